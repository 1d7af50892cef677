//! `Idempotency-Key`s: the first request with a key runs and its answer is kept for 24 hours;
//! a retry with the same request gets that answer again. A key is claimed atomically, so of any
//! number of concurrent retries exactly one runs. While its request runs, the holder renews the
//! claim; a claim no longer renewed (its server stopped, or the request was dropped) is taken
//! over, however long a live request takes.

use chrono::Duration;

use super::{ServiceError, Services};
use crate::storage::StoredResponse;

/// How long an answer is kept for replay.
pub const KEEP_HOURS: i64 = 24;
/// A claim not renewed for this long has lost its holder and may be taken over.
const CLAIM_LEASE_SECONDS: i64 = 60;
/// How often a running request renews its claim: well within the lease, so a slow renewal
/// (a busy database) does not let a live claim lapse.
pub const CLAIM_RENEWAL: std::time::Duration = std::time::Duration::from_secs(2);
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
    /// This request holds the key: run it, then [`Services::finish_idempotent_request`]; keep
    /// the lease until then.
    Run(ClaimLease),
    /// The key's answer, for a retry with the same body.
    Replay(StoredAnswer),
    /// The key was used with another request (422 `idempotency_key_reused`).
    Reused,
    /// The first request with the key is still running (409 `request_in_progress`).
    InProgress,
}

/// Renews a claim while its request runs; dropped (the request finished or was dropped), the
/// renewals stop and the claim lapses after [`CLAIM_LEASE_SECONDS`] unless it was finished.
#[derive(Debug)]
pub struct ClaimLease(tokio::task::JoinHandle<()>);

impl Drop for ClaimLease {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Services {
    /// Claims `key` for this user and request: a new key, or one whose answer expired, was a
    /// server error or whose holder is gone, is taken by exactly one request.
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
                    now - Duration::seconds(CLAIM_LEASE_SECONDS),
                )
                .await?;
        let decision = if taken {
            KeyClaim::Run(self.renew_claim(user_id, key, request_hash))
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

    /// Renews the claim every [`CLAIM_RENEWAL`] until the lease is dropped. A failed renewal
    /// is tried again at the next tick; the lease leaves slack for a few.
    fn renew_claim(&self, user_id: i64, key: &str, request_hash: &str) -> ClaimLease {
        let (services, key, request_hash) =
            (self.clone(), key.to_string(), request_hash.to_string());
        ClaimLease(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(CLAIM_RENEWAL);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let renewed = async {
                    let mut tx = services.storage.write().await?;
                    tx.renew_claim(user_id, &key, &request_hash, services.now())
                        .await?;
                    tx.commit().await
                };
                if let Err(error) = renewed.await {
                    tracing::warn!(%error, "an idempotency claim was not renewed");
                }
            }
        }))
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
