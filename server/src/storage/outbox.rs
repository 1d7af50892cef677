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

/// The document a message is about: a credit note sent, or an invoice reminded of. Its
/// timeline records what becomes of the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageAbout {
    CreditNote(i64),
    Invoice(i64),
}

impl MessageAbout {
    /// The `credit_note_id` and `invoice_id` columns.
    pub fn ids(self) -> (Option<i64>, Option<i64>) {
        match self {
            MessageAbout::CreditNote(id) => (Some(id), None),
            MessageAbout::Invoice(id) => (None, Some(id)),
        }
    }

    /// From the columns; the schema holds exactly one.
    pub fn from_ids(credit_note_id: Option<i64>, invoice_id: Option<i64>) -> Option<Self> {
        match (credit_note_id, invoice_id) {
            (Some(id), None) => Some(MessageAbout::CreditNote(id)),
            (None, Some(id)) => Some(MessageAbout::Invoice(id)),
            _ => None,
        }
    }
}

/// A message to send, as a request writes it.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub about: MessageAbout,
    pub content: MessageContent,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

/// A message a worker claimed.
#[derive(Clone, Debug)]
pub struct MessageRecord {
    pub id: i64,
    pub about: MessageAbout,
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
    /// How many messages `created_by` queued since `since`.
    async fn messages_queued_by(
        &mut self,
        created_by: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StorageError>;
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
