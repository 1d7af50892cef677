//! `Idempotency-Key`s: the first request with a key runs and its answer is kept for 24 hours;
//! a retry with the same body gets that answer again. A key is claimed atomically, so of any
//! number of concurrent retries exactly one runs.

use chrono::Duration;

use super::{ServiceError, Services};
use crate::storage::StoredResponse;

/// How long an answer is kept for replay.
pub const KEEP_HOURS: i64 = 24;
/// A claim whose request never finished (its server stopped) may be taken over after this.
const ABANDONED_MINUTES: i64 = 5;
/// The status stored while the first request with a key is still running.
const IN_FLIGHT: i32 = 0;

/// A kept answer: its status and body.
#[derive(Debug)]
pub struct StoredAnswer {
    pub status: u16,
    pub body: String,
}

/// What to do with a request that carries a key.
#[derive(Debug)]
pub enum KeyClaim {
    /// This request holds the key: run it, then [`Services::finish_idempotent_request`].
    Run,
    /// The key's answer, for a retry with the same body.
    Replay(StoredAnswer),
    /// The key was used with another body (422 `idempotency_key_reused`).
    Reused,
    /// The first request with the key is still running (409 `request_in_progress`).
    InProgress,
}

impl Services {
    /// Claims `key` for this user and request: a new key, or one whose answer expired, was a
    /// server error or was abandoned, is taken by exactly one request.
    pub async fn claim_idempotency_key(
        &self,
        user_id: i64,
        key: &str,
        request_hash: &str,
    ) -> Result<KeyClaim, ServiceError> {
        let now = self.now();
        let claim = StoredResponse {
            request_hash: request_hash.to_string(),
            status: IN_FLIGHT,
            body: String::new(),
            created_at: now,
        };
        let mut tx = self.storage.write().await?;
        let taken = tx.claim_response(user_id, key, &claim).await?
            || tx
                .reclaim_response(
                    user_id,
                    key,
                    &claim,
                    now - Duration::hours(KEEP_HOURS),
                    now - Duration::minutes(ABANDONED_MINUTES),
                )
                .await?;
        let decision = if taken {
            KeyClaim::Run
        } else {
            match tx.stored_response(user_id, key).await? {
                // Deleted between the two statements (a purge): claim it next time.
                None => KeyClaim::InProgress,
                Some(stored) if stored.request_hash != request_hash => KeyClaim::Reused,
                Some(stored) if stored.status == IN_FLIGHT => KeyClaim::InProgress,
                Some(stored) => KeyClaim::Replay(StoredAnswer {
                    status: u16::try_from(stored.status).unwrap_or(500),
                    body: stored.body,
                }),
            }
        };
        tx.commit().await?;
        Ok(decision)
    }

    /// Keeps the answer of a request that held `key`. A server error is kept too, but a retry
    /// may take the key over and run again.
    pub async fn finish_idempotent_request(
        &self,
        user_id: i64,
        key: &str,
        request_hash: &str,
        status: u16,
        body: String,
    ) -> Result<(), ServiceError> {
        let mut tx = self.storage.write().await?;
        tx.store_response(
            user_id,
            key,
            &StoredResponse {
                request_hash: request_hash.to_string(),
                status: i32::from(status),
                body,
                created_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
