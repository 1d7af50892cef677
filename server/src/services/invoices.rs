use app::domain::{Currency, InvoiceStatus, LineInput};
use app::model::{InvoicePage, InvoiceView};
use chrono::NaiveDate;

use super::{ServiceError, Services};
use crate::storage::{NewCustomer, NewEvent, NewInvoice};

#[derive(Clone, Debug)]
pub struct NewCustomerInput {
    pub name: String,
    pub email: Option<String>,
    pub currency: Currency,
    pub tax_region: String,
}

#[derive(Clone, Debug)]
pub struct NewInvoiceInput {
    pub number: String,
    pub customer_id: i64,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub status: InvoiceStatus,
    pub lines: Vec<LineInput>,
}

impl Services {
    pub async fn create_customer(&self, input: NewCustomerInput) -> Result<i64, ServiceError> {
        let mut tx = self.storage.write().await?;
        let id = tx
            .insert_customer(&NewCustomer {
                name: input.name,
                email: input.email,
                currency: input.currency,
                tax_region: input.tax_region,
                created_at: self.now(),
            })
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn create_invoice(
        &self,
        input: NewInvoiceInput,
    ) -> Result<InvoiceView, ServiceError> {
        let now = self.now();
        let mut tx = self.storage.write().await?;
        let id = tx
            .insert_invoice(&NewInvoice {
                number: input.number,
                customer_id: input.customer_id,
                currency: input.currency,
                issue_date: input.issue_date,
                due_date: input.due_date,
                status: input.status,
                lines: input.lines,
                created_at: now,
            })
            .await?;
        tx.insert_event(&NewEvent {
            invoice_id: Some(id),
            credit_note_id: None,
            at: now,
            actor: None,
            kind: "invoice_created",
            data: serde_json::json!({}),
        })
        .await?;
        let invoice = tx
            .invoice(id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        tx.commit().await?;
        Ok(invoice)
    }

    pub async fn list_invoices(&self) -> Result<Vec<InvoiceView>, ServiceError> {
        let mut tx = self.storage.read().await?;
        Ok(tx.list_invoices().await?)
    }

    pub async fn invoice(&self, id: i64) -> Result<InvoiceView, ServiceError> {
        let mut tx = self.storage.read().await?;
        tx.invoice(id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))
    }

    /// The invoice and the customer's available credit notes, read in one snapshot.
    pub async fn invoice_page(&self, id: i64) -> Result<InvoicePage, ServiceError> {
        let mut tx = self.storage.read().await?;
        let invoice = tx
            .invoice(id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        let candidates = tx
            .customer_credit_notes(
                invoice.customer_id,
                Some(app::domain::CreditNoteStatus::Available),
            )
            .await?;
        Ok(InvoicePage {
            invoice,
            candidates,
        })
    }
}
