use app::domain::{
    CreditNoteAction, CreditNoteNumber, CreditNoteStatus, Currency, LineInput,
    check_credit_note_action,
};
use app::model::CreditNoteView;
use chrono::{Datelike, NaiveDate};

use super::{ServiceError, Services};
use crate::storage::{NewCreditNote, NewEvent};

#[derive(Clone, Debug)]
pub struct NewCreditNoteInput {
    pub customer_id: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub reason: Option<String>,
    pub related_invoice_id: Option<i64>,
    pub lines: Vec<LineInput>,
}

impl Services {
    pub async fn create_credit_note(
        &self,
        input: NewCreditNoteInput,
    ) -> Result<CreditNoteView, ServiceError> {
        let now = self.now();
        let mut tx = self.storage.write().await?;
        let id = tx
            .insert_credit_note(&NewCreditNote {
                customer_id: input.customer_id,
                currency: input.currency,
                date: input.date,
                status: CreditNoteStatus::Draft,
                reason: input.reason,
                related_invoice_id: input.related_invoice_id,
                lines: input.lines,
                created_at: now,
            })
            .await?;
        tx.insert_event(&NewEvent {
            invoice_id: None,
            credit_note_id: Some(id),
            at: now,
            actor: None,
            kind: "credit_note_created",
            data: serde_json::json!({}),
        })
        .await?;
        let note = tx
            .credit_notes(&[id])
            .await?
            .pop()
            .ok_or(ServiceError::NotFound("The credit note"))?;
        tx.commit().await?;
        Ok(note)
    }

    /// Numbers a draft (or pending) credit note and makes it available.
    pub async fn finalize_credit_note(&self, id: i64) -> Result<CreditNoteView, ServiceError> {
        let now = self.now();
        let mut tx = self.storage.write().await?;
        let note = tx
            .credit_notes(&[id])
            .await?
            .pop()
            .ok_or(ServiceError::NotFound("The credit note"))?;
        check_credit_note_action(note.status, false, CreditNoteAction::Finalize)
            .map_err(|v| ServiceError::Rules(vec![v]))?;
        let year = note.date.year();
        let sequence = tx.next_credit_note_sequence(year).await?;
        let number = CreditNoteNumber::new(year, sequence)
            .map_err(|e| ServiceError::Internal(e.to_string()))?
            .to_string();
        tx.finalize_credit_note(id, &number, now).await?;
        tx.insert_event(&NewEvent {
            invoice_id: None,
            credit_note_id: Some(id),
            at: now,
            actor: None,
            kind: "credit_note_finalized",
            data: serde_json::json!({ "number": number }),
        })
        .await?;
        let note = tx
            .credit_notes(&[id])
            .await?
            .pop()
            .ok_or(ServiceError::NotFound("The credit note"))?;
        tx.commit().await?;
        Ok(note)
    }
}
