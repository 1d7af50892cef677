//! The service layer: every operation is one transaction — load, let the domain plan, write.
//! Server functions, the REST API and the CLI all call these.

mod auth;
mod credit_notes;
mod error;
mod invoices;
mod linking;
mod settlement;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::storage::Storage;

pub use auth::{Caller, NewUserInput, TOKEN_LIFETIME_DAYS};
pub use credit_notes::{CreatedCreditNote, CreditNotePdf, NewCreditNoteInput};
pub use error::ServiceError;
pub use invoices::{NewCustomerInput, NewInvoiceInput, TimelineEvent};
pub use linking::LinkableNote;
pub use settlement::{CreditNoteChanges, InvoiceChanges, PaymentInput};

#[derive(Clone)]
pub struct Services {
    storage: Arc<dyn Storage>,
}

impl Services {
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        Self { storage }
    }

    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Converts an amount the domain produced to the integer minor units storage keeps.
fn minor(
    currency: app::domain::Currency,
    amount: rust_decimal::Decimal,
) -> Result<i64, ServiceError> {
    currency.to_minor(amount).ok_or_else(|| {
        ServiceError::Internal(format!("{amount} {currency} is not a whole minor unit"))
    })
}

/// The invoice with this id, or 404.
async fn load_invoice(
    tx: &mut Box<dyn crate::storage::Tx>,
    id: i64,
) -> Result<app::model::InvoiceView, ServiceError> {
    tx.invoice(id)
        .await?
        .ok_or(ServiceError::NotFound("The invoice"))
}

/// The credit note with this id, or 404.
async fn load_note(
    tx: &mut Box<dyn crate::storage::Tx>,
    id: i64,
) -> Result<app::model::CreditNoteView, ServiceError> {
    tx.credit_notes(&[id])
        .await?
        .pop()
        .ok_or(ServiceError::NotFound("The credit note"))
}

/// A customer named in a request must exist (422 on `customer_id` otherwise).
async fn require_customer(
    tx: &mut Box<dyn crate::storage::Tx>,
    customer_id: i64,
) -> Result<(), ServiceError> {
    if tx.customer_exists(customer_id).await? {
        Ok(())
    } else {
        Err(ServiceError::Rules(vec![app::domain::Violation::new(
            app::domain::RuleCode::ValidationError,
            Some("customer_id".into()),
            format!("There is no customer {customer_id}"),
        )]))
    }
}
