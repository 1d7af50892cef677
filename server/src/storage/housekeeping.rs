//! What expires: browser sessions, API tokens, idempotency keys, sign-in throttle rows, and the
//! PDFs of messages sent longer ago than mail is kept (the message's record stays).
//! The services decide the cut-offs (from their clock); storage deletes what lies before them.

use chrono::{DateTime, Utc};

/// Rows older than these go.
#[derive(Clone, Copy, Debug)]
pub struct PurgeCutoffs {
    /// Sessions and API tokens that expired before this, and tokens revoked before it.
    pub now: DateTime<Utc>,
    /// Idempotency keys first used before this.
    pub idempotency_before: DateTime<Utc>,
    /// Throttle rows whose window started before this and that hold no running lock.
    pub throttle_before: DateTime<Utc>,
    /// Messages sent before this lose their attachment.
    pub mail_attachments_before: DateTime<Utc>,
}

/// How many rows of each kind were removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub api_tokens: u64,
    pub idempotency_keys: u64,
    pub throttle_rows: u64,
    pub mail_attachments: u64,
}

impl std::fmt::Display for Purged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "removed {} expired sessions, {} expired or revoked API tokens, \
             {} idempotency keys older than 24 hours, {} sign-in throttle rows and the \
             attachments of {} messages sent before the retention period",
            self.sessions,
            self.api_tokens,
            self.idempotency_keys,
            self.throttle_rows,
            self.mail_attachments
        )
    }
}
