//! The service layer: every operation is one transaction — load, let the domain plan, write.
//! Server functions, the REST API and the CLI all call these.

mod activities;
mod audit;
mod auth;
mod credit_notes;
mod customers;
mod datev;
mod documents;
mod ecb;
mod einvoices;
mod error;
mod exchange_rates;
mod fec;
mod idempotency;
mod imports;
mod invoice_seals;
mod invoices;
mod journal;
mod journal_backfill;
mod lines;
mod linking;
mod logo;
mod outbox;
mod periods;
mod portal;
mod prints;
mod reminders;
mod render_quota;
mod seals;
mod settlement;
mod views;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::storage::Storage;
use app::domain::timeline::EventData;

/// What list requests filter and page by (the doors build these; storage reads them).
pub use crate::storage::{CreditNoteFilter, InvoiceFilter, Page};
pub use activities::{MAX_ATTACHMENT_BYTES, NewTaskInput};
pub use app::model::{ImportReport, ImportedInvoice};
pub use auth::{
    Caller, MAX_EMAIL_BYTES, NewUserInput, THROTTLE_RETENTION, TOKEN_LIFETIME_DAYS, throttle_keys,
};
pub use credit_notes::{CreatedCreditNote, NewCreditNoteInput, NoteParticulars};
pub use customers::NewCustomerInput;
pub use datev::DatevClient;
pub use documents::RenderedFile;
pub use einvoices::EInvoiceFormat;
pub use error::ServiceError;
pub use exchange_rates::{MAX_RATES_FILE_BYTES, MAX_RATES_LISTED};
pub use idempotency::{
    CLAIM_RENEWAL as IDEMPOTENCY_CLAIM_RENEWAL, ClaimLease, KEEP_HOURS as IDEMPOTENCY_KEEP_HOURS,
    KeyClaim, StoredAnswer,
};
pub use imports::MAX_IMPORT_BYTES;
pub use invoices::{NewInvoiceInput, TimelineEvent};
pub use lines::LineDraft;
pub use linking::LinkableNote;
pub use logo::MAX_LOGO_BYTES;
pub use outbox::{MAX_ATTEMPTS, MailPolicy, MailTransport, QueuedMessage, SendRequest};
pub use portal::SeenCreditNote;
pub use render_quota::RenderQuota;
pub use seals::{BrokenLink, ChainReport, ChainSummary};
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
    printer: Arc<crate::pdf::Printer>,
    /// Wakes the outbox worker when a request queues a message.
    outbox_queued: Arc<tokio::sync::Notify>,
    mail_policy: outbox::MailPolicy,
    render_limiter: render_quota::RenderLimiter,
}

impl Services {
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        Self::with_clock(storage, Arc::new(SystemClock))
    }

    pub fn with_clock(storage: Arc<dyn Storage>, clock: Arc<dyn Clock>) -> Self {
        Self {
            storage,
            clock,
            printer: Arc::default(),
            outbox_queued: Arc::default(),
            mail_policy: outbox::MailPolicy::default(),
            render_limiter: render_quota::RenderLimiter::new(RenderQuota::default()),
        }
    }

    /// These services reading the time from `clock` instead (the demo writes its history on
    /// the days it happened).
    pub fn at_clock(&self, clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            ..self.clone()
        }
    }

    /// These services, allowing each user `quota` renders and exports.
    pub fn with_render_quota(self, quota: RenderQuota) -> Self {
        Self {
            render_limiter: render_quota::RenderLimiter::new(quota),
            ..self
        }
    }

    /// These services, printing with `printer` (templates from a directory).
    pub fn with_printer(self, printer: crate::pdf::Printer) -> Self {
        Self {
            printer: Arc::new(printer),
            ..self
        }
    }

    /// Who may e-mail whom, how much, and how long sent PDFs are kept.
    pub fn mail_policy(&self) -> outbox::MailPolicy {
        self.mail_policy
    }

    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    /// The current time, from the clock these services were given.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's date (UTC), the date documents are numbered and posted on.
    pub fn today(&self) -> chrono::NaiveDate {
        self.now().date_naive()
    }
}

impl Caller<'_> {
    /// Who the timeline names: the user's e-mail, or nobody for the command line.
    pub fn actor(self) -> Option<String> {
        match self {
            Caller::User(user) => Some(user.email.clone()),
            Caller::CommandLine => None,
        }
    }
}

/// The one way a broken rule becomes a service error.
impl From<app::domain::Violation> for ServiceError {
    fn from(violation: app::domain::Violation) -> Self {
        ServiceError::Rules(vec![violation])
    }
}

impl From<Vec<app::domain::Violation>> for ServiceError {
    fn from(violations: Vec<app::domain::Violation>) -> Self {
        ServiceError::Rules(violations)
    }
}

/// A broken rule on one field.
fn rule(code: app::domain::RuleCode, field: &str, message: impl Into<String>) -> ServiceError {
    app::domain::Violation::new(code, Some(field.into()), message).into()
}

/// What is about to be written, on the timelines of an invoice and/or a credit note.
pub(crate) struct Event {
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub data: EventData,
}

impl Event {
    pub fn invoice(id: i64, data: EventData) -> Self {
        Self::both(Some(id), None, data)
    }

    pub fn note(id: i64, data: EventData) -> Self {
        Self::both(None, Some(id), data)
    }

    pub fn both(invoice_id: Option<i64>, credit_note_id: Option<i64>, data: EventData) -> Self {
        Self {
            invoice_id,
            credit_note_id,
            data,
        }
    }
}

impl Services {
    /// The one way services write a timeline event: stamped now, which is after the
    /// transaction took its locks, so a timeline's order is the order of its writes.
    pub(crate) async fn record(
        &self,
        tx: &mut Box<dyn crate::storage::Tx>,
        caller: Caller<'_>,
        event: Event,
    ) -> Result<(), ServiceError> {
        let (kind, data) = event.data.to_parts();
        tx.insert_event(&crate::storage::NewEvent {
            invoice_id: event.invoice_id,
            credit_note_id: event.credit_note_id,
            at: self.now(),
            actor: caller.actor(),
            kind,
            data,
        })
        .await?;
        Ok(())
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
        .map(views::invoice)
        .ok_or(ServiceError::NotFound("The invoice"))
}

/// How many rows one page of a list screen shows.
pub const LIST_PAGE_SIZE: i64 = 50;

/// What a list screen asks storage for: one more than a page, which tells whether a next
/// page exists.
fn list_page(after: i64) -> crate::storage::Page {
    crate::storage::Page {
        after,
        limit: LIST_PAGE_SIZE + 1,
    }
}

/// Cuts what [`list_page`] read down to a page; answers the next page's cursor, if any.
fn next_cursor<T>(items: &mut Vec<T>, id: impl Fn(&T) -> i64) -> Option<i64> {
    if items.len() as i64 > LIST_PAGE_SIZE {
        items.truncate(LIST_PAGE_SIZE as usize);
        items.last().map(id)
    } else {
        None
    }
}

/// The invoice a request names as `related_invoice_id`, or 422 on that field.
async fn related_invoice(
    tx: &mut Box<dyn crate::storage::Tx>,
    id: i64,
) -> Result<app::model::InvoiceView, ServiceError> {
    tx.invoice(id).await?.map(views::invoice).ok_or_else(|| {
        rule(
            app::domain::RuleCode::ValidationError,
            "related_invoice_id",
            format!("There is no invoice {id}"),
        )
    })
}

/// The credit note with this id, or 404.
async fn load_note(
    tx: &mut Box<dyn crate::storage::Tx>,
    id: i64,
) -> Result<app::model::CreditNoteView, ServiceError> {
    tx.credit_notes(&[id])
        .await?
        .pop()
        .map(views::credit_note)
        .ok_or(ServiceError::NotFound("The credit note"))
}

/// The invoice with this id, once its status (and links) allow `action`.
async fn load_invoice_for(
    tx: &mut Box<dyn crate::storage::Tx>,
    id: i64,
    action: app::domain::InvoiceAction,
) -> Result<app::model::InvoiceView, ServiceError> {
    let invoice = load_invoice(tx, id).await?;
    app::domain::check_invoice_action(invoice.status, !invoice.allocations.is_empty(), action)?;
    Ok(invoice)
}

/// The credit note with this id, once its status (and links) allow `action`.
async fn load_note_for(
    tx: &mut Box<dyn crate::storage::Tx>,
    id: i64,
    action: app::domain::CreditNoteAction,
) -> Result<app::model::CreditNoteView, ServiceError> {
    let note = load_note(tx, id).await?;
    app::domain::check_credit_note_action(note.status, note.settled(), action)?;
    Ok(note)
}

/// The customer with this id, or 422 on `customer_id`.
async fn load_customer(
    tx: &mut Box<dyn crate::storage::Tx>,
    customer_id: i64,
) -> Result<crate::storage::CustomerRecord, ServiceError> {
    tx.customer(customer_id).await?.ok_or_else(|| {
        rule(
            app::domain::RuleCode::ValidationError,
            "customer_id",
            format!("There is no customer {customer_id}"),
        )
    })
}

async fn require_customer(
    tx: &mut Box<dyn crate::storage::Tx>,
    customer_id: i64,
) -> Result<(), ServiceError> {
    if tx.customer_exists(customer_id).await? {
        Ok(())
    } else {
        Err(rule(
            app::domain::RuleCode::ValidationError,
            "customer_id",
            format!("There is no customer {customer_id}"),
        ))
    }
}
