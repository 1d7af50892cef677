//! What services hand to storage to insert.

use app::domain::{CreditContent, CreditNoteStatus, Currency, InvoiceStatus, LineInput};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub currency: Currency,
    pub tax_region: String,
    pub billing_address: app::model::Address,
    pub shipping_address: app::model::Address,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct NewInvoice {
    pub number: String,
    pub customer_id: i64,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub kind: app::domain::InvoiceKind,
    pub status: InvoiceStatus,
    pub related_invoice_id: Option<i64>,
    pub project: Option<String>,
    pub lines: Vec<LineInput>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct NewCreditNote {
    pub customer_id: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub status: CreditNoteStatus,
    pub reason: Option<String>,
    pub related_invoice_id: Option<i64>,
    pub content: CreditContent,
    pub created_at: DateTime<Utc>,
}

/// The new content of a draft or pending credit note.
pub struct CreditNoteUpdate<'a> {
    pub id: i64,
    pub customer_id: i64,
    pub currency: Currency,
    pub related_invoice_id: Option<i64>,
    pub date: NaiveDate,
    pub reason: Option<&'a str>,
    pub content: &'a CreditContent,
}

/// What happened, as timelines name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    InvoiceCreated,
    InvoiceIssued,
    InvoiceEdited,
    CreditNoteCreated,
    CreditNoteEdited,
    CreditNoteFinalized,
    CreditNoteRejected,
    StatusChanged,
    Comment,
    PaymentRecorded,
    RefundRecorded,
    CreditNoteLinked,
    CreditNoteUnlinked,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::InvoiceCreated => "invoice_created",
            EventKind::InvoiceIssued => "invoice_issued",
            EventKind::InvoiceEdited => "invoice_edited",
            EventKind::CreditNoteCreated => "credit_note_created",
            EventKind::CreditNoteEdited => "credit_note_edited",
            EventKind::CreditNoteFinalized => "credit_note_finalized",
            EventKind::CreditNoteRejected => "credit_note_rejected",
            EventKind::StatusChanged => "status_changed",
            EventKind::Comment => "comment",
            EventKind::PaymentRecorded => "payment_recorded",
            EventKind::RefundRecorded => "refund_recorded",
            EventKind::CreditNoteLinked => "credit_note_linked",
            EventKind::CreditNoteUnlinked => "credit_note_unlinked",
        }
    }
}

/// A timeline entry of an invoice and/or a credit note.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub kind: EventKind,
    pub data: serde_json::Value,
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub role: app::domain::Role,
    pub customer_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A user row as stored, with its password hash (never leaves the server).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub customer_id: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenRecord {
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Sign-in attempts counted under one key since `window_started_at`.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ThrottleRecord {
    pub attempts: i64,
    pub window_started_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Filters of the invoice list; `None` means any.
#[derive(Clone, Debug, Default)]
pub struct InvoiceFilter {
    pub customer_id: Option<i64>,
    pub status: Option<InvoiceStatus>,
    pub currency: Option<Currency>,
    pub number: Option<String>,
    /// Leave drafts out (the portal's view).
    pub exclude_drafts: bool,
}

/// Filters of the credit-note list; `None` means any. Dates include both bounds.
#[derive(Clone, Debug, Default)]
pub struct CreditNoteFilter {
    pub customer_id: Option<i64>,
    pub status: Option<CreditNoteStatus>,
    pub currency: Option<Currency>,
    pub number: Option<String>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub related_invoice_id: Option<i64>,
    /// Only numbered (finalized) notes: the portal's view.
    pub finalized_only: bool,
}

/// Keyset paging: items with an id above `after`, at most `limit` of them.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub after: i64,
    pub limit: i64,
}

impl Page {
    /// Everything, for screens that show a whole list at once.
    pub const ALL: Page = Page {
        after: 0,
        limit: i64::MAX,
    };
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub kind: String,
    pub data: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredResponse {
    pub request_hash: String,
    pub status: i32,
    pub body: String,
    pub created_at: DateTime<Utc>,
}
