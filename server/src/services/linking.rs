use app::domain::{AllocationRequest, Permission, plan_allocations};
use app::model::{CurrentUser, InvoiceView};

use super::{ServiceError, Services, minor};
use crate::storage::NewEvent;

impl Services {
    /// Links credit notes to an invoice, all or nothing. The domain's plan runs again here,
    /// on the rows this transaction holds, whatever the client already checked.
    pub async fn link_credit_notes(
        &self,
        invoice_id: i64,
        requests: Vec<AllocationRequest>,
        user: &CurrentUser,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, Permission::LinkCreditNotes)?;
        let actor = Some(user.email.clone());
        let now = self.now();
        let mut tx = self.storage.write().await?;
        // Lock order: the invoice first, then the notes by ascending id.
        let invoice = tx
            .invoice(invoice_id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        let ids: Vec<i64> = requests.iter().map(|r| r.credit_note_id).collect();
        let notes: Vec<_> = tx
            .credit_notes(&ids)
            .await?
            .iter()
            .map(|n| n.balance())
            .collect();
        let plan =
            plan_allocations(&invoice.balance(), &notes, &requests).map_err(ServiceError::Rules)?;

        let currency = invoice.currency;
        for (credit_note_id, amount) in &plan.allocations {
            let allocation = tx
                .insert_allocation(invoice_id, *credit_note_id, minor(currency, *amount)?, now)
                .await?;
            tx.insert_event(&NewEvent {
                invoice_id: Some(invoice_id),
                credit_note_id: Some(*credit_note_id),
                at: now,
                actor: actor.clone(),
                kind: "credit_note_linked",
                data: serde_json::json!({
                    "allocation_id": allocation.id,
                    "credit_note_number": allocation.credit_note_number,
                    "amount": amount.to_string(),
                }),
            })
            .await?;
        }
        for note in &plan.notes {
            tx.set_credit_note_balance(
                note.id,
                minor(currency, note.allocated)?,
                minor(currency, note.refunded)?,
                note.status,
            )
            .await?;
        }
        let planned = &plan.invoice;
        tx.set_invoice_balance(
            invoice_id,
            minor(currency, planned.paid)?,
            minor(currency, planned.credited)?,
            planned.status,
            now,
        )
        .await?;
        if planned.status != invoice.status {
            tx.insert_event(&NewEvent {
                invoice_id: Some(invoice_id),
                credit_note_id: None,
                at: now,
                actor,
                kind: "status_changed",
                data: serde_json::json!({ "from": invoice.status, "to": planned.status }),
            })
            .await?;
        }
        let updated = tx
            .invoice(invoice_id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        tx.commit().await?;
        Ok(updated)
    }
}
