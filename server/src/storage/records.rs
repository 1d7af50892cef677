//! What services hand to storage to insert.

use app::domain::{CreditNoteStatus, Currency, InvoiceStatus, LineInput};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub currency: Currency,
    pub tax_region: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct NewInvoice {
    pub number: String,
    pub customer_id: i64,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub status: InvoiceStatus,
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
    pub lines: Vec<LineInput>,
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
