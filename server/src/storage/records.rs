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

/// A timeline entry of an invoice and/or a credit note.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub kind: &'static str,
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

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ThrottleRecord {
    pub failures: i64,
    pub first_failed_at: DateTime<Utc>,
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
