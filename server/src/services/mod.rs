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

/// Where services read the time. Tests move a [`ManualClock`] to cross time limits (session
/// lifetimes, key expiry) without waiting.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved.
pub struct ManualClock(std::sync::Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(std::sync::Mutex::new(at))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Clone)]
pub struct Services {
    storage: Arc<dyn Storage>,
    clock: Arc<dyn Clock>,
}

impl Services {
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        Self::with_clock(storage, Arc::new(SystemClock))
    }

    pub fn with_clock(storage: Arc<dyn Storage>, clock: Arc<dyn Clock>) -> Self {
        Self { storage, clock }
    }

    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    /// The current time, from the clock these services were given.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
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
