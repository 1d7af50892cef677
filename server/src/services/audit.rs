//! The ledger audit: the domain's invariants over one consistent snapshot of the database.

use app::domain::audit::{AuditReport, audit};

use super::{ServiceError, Services};

impl Services {
    /// Checks every invoice, credit note, allocation and numbering counter; an operator's tool
    /// (`creditdesk audit`), with database access already, so no user is asked for.
    pub async fn audit_ledger(&self) -> Result<AuditReport, ServiceError> {
        let mut tx = self.storage.read().await?;
        let figures = tx.ledger_figures().await?;
        Ok(audit(&figures))
    }
}
