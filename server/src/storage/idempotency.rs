//! Kept answers of requests with an `Idempotency-Key`.

use chrono::{DateTime, Utc};

use super::{StorageError, StoredResponse};

/// Kept answers of requests with an `Idempotency-Key`.
#[async_trait::async_trait]
pub trait IdempotencyTx: Send {
    async fn stored_response(
        &mut self,
        user_id: i64,
        key: &str,
    ) -> Result<Option<StoredResponse>, StorageError>;
    /// Records `response` for a key not yet used; `false` when another request has it.
    async fn claim_response(
        &mut self,
        user_id: i64,
        key: &str,
        response: &StoredResponse,
    ) -> Result<bool, StorageError>;
    /// Takes over a key whose answer is older than `expired_before`, was a server error, or
    /// whose claim was last renewed before `abandoned_before` (its holder is gone); `false`
    /// when the key is live (one conditional update, so concurrent retries cannot both take it).
    async fn reclaim_response(
        &mut self,
        user_id: i64,
        key: &str,
        response: &StoredResponse,
        expired_before: DateTime<Utc>,
        abandoned_before: DateTime<Utc>,
    ) -> Result<bool, StorageError>;
    /// Marks the claim on `key` for `request_hash` as still held at `at`; a finished answer is
    /// left alone.
    async fn renew_claim(
        &mut self,
        user_id: i64,
        key: &str,
        request_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn store_response(
        &mut self,
        user_id: i64,
        key: &str,
        response: &StoredResponse,
    ) -> Result<(), StorageError>;
}
