//! The figures `creditdesk audit` checks: every document with the sums of what settled it.

use super::StorageError;

#[async_trait::async_trait]
pub trait AuditTx: Send {
    /// Every invoice, credit note, allocation and numbering counter, from this transaction's
    /// snapshot.
    async fn ledger_figures(&mut self) -> Result<app::domain::audit::LedgerFigures, StorageError>;
}
