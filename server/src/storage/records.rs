//! What services hand to storage to write, and the records storage reads back: stored values
//! only (money in integer minor units, as written). Views and totals are the services' work.

use app::domain::{CreditNoteStatus, Currency, InvoiceKind, InvoiceStatus};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// A document line as stored: what was entered, and the amounts the services computed for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineRecord {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price_minor: i64,
    pub discount_percent: Decimal,
    pub tax_rate: Decimal,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub ship_date: Option<NaiveDate>,
    pub vat_category: app::domain::VatCategory,
    pub vat_exemption_reason: Option<String>,
    pub nature: app::domain::LineNature,
    /// The account of its tax category, when it has its own.
    pub revenue_account: Option<app::domain::journal::Account>,
}

/// A document's totals in minor units, as the services computed them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TotalsRecord {
    pub subtotal_minor: i64,
    pub tax_total_minor: i64,
    pub total_minor: i64,
}

/// What a document says, ready to store: its lines (none for a charge) and its totals.
#[derive(Clone, Debug, Default)]
pub struct ContentRecord {
    pub lines: Vec<LineRecord>,
    pub totals: TotalsRecord,
}

/// A standalone credit's charge (its amount is the note's total).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeRecord {
    pub code: String,
    pub description: String,
}

#[derive(Clone, Debug)]
pub struct CustomerRecord {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub currency: Currency,
    pub tax_region: String,
    pub vat_id: Option<String>,
    /// The SIREN given for the customer (a French VAT number carries its own).
    pub siren: Option<String>,
    /// A private person, not a business.
    pub consumer: bool,
    pub billing_address: app::model::Address,
    pub shipping_address: app::model::Address,
    /// Whether the customer's users may use the portal.
    pub portal_enabled: bool,
    /// Payment reminders every this many days after the due date; `None`: off.
    pub reminder_days: Option<u16>,
    /// What its documents, e-mails and reminders are written in.
    pub document_language: app::domain::Language,
    pub created_at: DateTime<Utc>,
}

/// A credit note's balance and number, as linking reads them.
#[derive(Clone, Debug)]
pub struct CreditNoteBalanceRecord {
    pub balance: app::domain::CreditNoteBalance,
    pub number: Option<String>,
    pub date: NaiveDate,
}

#[derive(Clone, Debug)]
pub struct AllocationRecord {
    pub id: i64,
    pub credit_note_id: i64,
    pub credit_note_number: Option<String>,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub amount_minor: i64,
    /// The invoice's currency, which is also the note's.
    pub currency: Currency,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CommentRecord {
    pub id: i64,
    pub credit_note_id: i64,
    pub author: Option<String>,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct InvoiceRecord {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub totals: TotalsRecord,
    pub paid_minor: i64,
    pub credited_minor: i64,
    pub related_invoice_id: Option<i64>,
    pub project: Option<String>,
    /// Came from another system by import: only an import changes it.
    pub imported: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<LineRecord>,
    pub allocations: Vec<AllocationRecord>,
}

#[derive(Clone, Debug)]
pub struct CreditNoteRecord {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: Currency,
    pub date: NaiveDate,
    pub status: CreditNoteStatus,
    pub reason: Option<String>,
    pub reason_category: Option<app::domain::ReasonCategory>,
    pub billing_address: app::model::Address,
    pub shipping_address: app::model::Address,
    pub related_invoice_id: Option<i64>,
    pub related_invoice_number: Option<String>,
    pub project: Option<String>,
    /// The number the note had in the system it was imported from.
    pub external_reference: Option<String>,
    /// Issued by that system: numbered by it, not sealed here.
    pub imported: bool,
    pub charge: Option<ChargeRecord>,
    pub totals: TotalsRecord,
    pub allocated_minor: i64,
    pub refunded_minor: i64,
    pub voided_minor: i64,
    pub void_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub lines: Vec<LineRecord>,
    pub allocations: Vec<AllocationRecord>,
    pub comments: Vec<CommentRecord>,
}

#[derive(Clone, Debug)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub currency: Currency,
    pub tax_region: String,
    pub vat_id: Option<String>,
    pub siren: Option<String>,
    /// A private person, not a business.
    pub consumer: bool,
    pub billing_address: app::model::Address,
    pub shipping_address: app::model::Address,
    pub document_language: app::domain::Language,
    pub created_at: DateTime<Utc>,
}

/// What editing a customer rewrites: everything [`NewCustomer`] says but its creation time.
pub type CustomerUpdate = NewCustomer;

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
    /// From another system, by import.
    pub imported: bool,
    pub content: ContentRecord,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct NewCreditNote {
    pub customer_id: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub status: CreditNoteStatus,
    pub reason: Option<String>,
    pub reason_category: Option<app::domain::ReasonCategory>,
    pub billing_address: app::model::Address,
    pub shipping_address: app::model::Address,
    pub related_invoice_id: Option<i64>,
    /// The related invoice's project, carried on.
    pub project: Option<String>,
    /// The number the note had in the system it was imported from.
    pub external_reference: Option<String>,
    pub content: ContentRecord,
    pub charge: Option<ChargeRecord>,
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
    pub reason_category: Option<app::domain::ReasonCategory>,
    pub billing_address: &'a app::model::Address,
    pub shipping_address: &'a app::model::Address,
    pub content: ContentRecord,
    pub charge: Option<ChargeRecord>,
}

/// A timeline entry of an invoice and/or a credit note.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    /// `credit_note_linked`, … (`app::domain::timeline::EventData` names them).
    pub kind: String,
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
    /// Set by an administrator's reset: nothing but a new password until it is changed.
    pub must_change_password: bool,
    /// Sessions signed in before this end.
    pub password_changed_at: Option<DateTime<Utc>>,
    /// The language the user chose for the desk (`en`, `fr`, `de`); none until chosen.
    pub language: Option<String>,
}

/// A user as the settings screen lists them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserListRecord {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// A token's user (active, and allowed in if a portal user) with the token's validity.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenUserRecord {
    #[sqlx(flatten)]
    pub user: UserRecord,
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
    /// Numbers that start with this.
    pub number_prefix: Option<String>,
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
    /// Numbers that start with this.
    pub number_prefix: Option<String>,
    /// Notes related to the invoice of this number.
    pub related_invoice_number: Option<String>,
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
