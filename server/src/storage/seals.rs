//! Seals: the hash chain over finalized credit notes, and one-off start-up backfills.

use super::StorageError;

/// A finalized credit note's place in its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealRecord {
    pub id: i64,
    pub number: String,
    pub seal: Option<String>,
    /// Which content the seal covers (see `services::seals`).
    pub version: i64,
}

#[async_trait::async_trait]
pub trait SealTx: Send {
    /// The seal of the credit note numbered `number`, if it exists and is sealed.
    async fn credit_note_seal(&mut self, number: &str) -> Result<Option<String>, StorageError>;
    async fn set_credit_note_seal(
        &mut self,
        id: i64,
        seal: &str,
        version: i64,
    ) -> Result<(), StorageError>;
    /// Finalized credit notes numbered after `after`, in number order, at most `limit`.
    async fn sealed_credit_notes(
        &mut self,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<SealRecord>, StorageError>;
    /// Removes the backfill named `name` from those pending; whether it was pending.
    async fn take_pending_backfill(&mut self, name: &str) -> Result<bool, StorageError>;
}
