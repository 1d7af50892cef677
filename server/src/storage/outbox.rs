//! The e-mail outbox: messages written with the request that sends them, handed to the SMTP
//! server later by a worker.

use chrono::{DateTime, Utc};

use super::StorageError;

/// What a message says and to whom: text, and one attachment.
#[derive(Clone, Debug)]
pub struct MessageContent {
    pub sender: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    pub attachment_name: String,
    pub attachment: Vec<u8>,
}

/// A message to send, as a request writes it.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub credit_note_id: i64,
    pub content: MessageContent,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

/// A message a worker claimed.
#[derive(Clone, Debug)]
pub struct MessageRecord {
    pub id: i64,
    pub credit_note_id: i64,
    pub content: MessageContent,
    /// Attempts made before this one.
    pub attempts: i32,
}

#[async_trait::async_trait]
pub trait OutboxTx: Send {
    /// Queues a message, due at once; answers its id.
    async fn insert_message(&mut self, message: &NewMessage) -> Result<i64, StorageError>;
    /// Takes up to `limit` pending messages that are due and not held by another worker, and
    /// holds them until `hold_until_ms`. On PostgreSQL rows another transaction is claiming
    /// are skipped (`FOR UPDATE SKIP LOCKED`), so two servers never take the same message.
    async fn claim_messages(
        &mut self,
        now_ms: i64,
        hold_until_ms: i64,
        limit: i64,
    ) -> Result<Vec<MessageRecord>, StorageError>;
    async fn message_sent(&mut self, id: i64, at: DateTime<Utc>) -> Result<(), StorageError>;
    /// A failed attempt: tried again from `next_attempt_ms`.
    async fn message_delayed(
        &mut self,
        id: i64,
        attempts: i32,
        next_attempt_ms: i64,
        error: &str,
    ) -> Result<(), StorageError>;
    /// The last attempt failed: the message is not tried again.
    async fn message_failed(
        &mut self,
        id: i64,
        attempts: i32,
        error: &str,
    ) -> Result<(), StorageError>;
}
