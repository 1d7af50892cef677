use app::domain::{CreditNoteStatus, Currency, LineInput};
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

/// `CN-YYYY-NNNNN`: the year of the note's date and its gapless sequence in that year.
pub fn credit_note_number(year: i32, sequence: i64) -> String {
    format!("CN-{year:04}-{sequence:05}")
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
        if !matches!(
            note.status,
            CreditNoteStatus::Draft | CreditNoteStatus::PendingApproval
        ) {
            return Err(ServiceError::Invalid(app::problem::Problem::new(
                409,
                "credit_note_finalized",
                "The credit note is already finalized",
            )));
        }
        let year = note.date.year();
        let number = credit_note_number(year, tx.next_credit_note_sequence(year).await?);
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
