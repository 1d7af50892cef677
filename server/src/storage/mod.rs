//! Storage: one trait, a SQLite and a PostgreSQL implementation, picked by `DATABASE_URL`.
//!
//! Every service operation runs inside one [`Tx`]. A write transaction holds the rows it reads:
//! SQLite starts it `IMMEDIATE` (one writer at a time), PostgreSQL reads with `FOR UPDATE`
//! (invoices before credit notes, ids ascending, so two writers never wait on each other in a
//! circle). Money is stored as integer minor units.

mod housekeeping;
mod postgres;
mod records;
mod sessions;
mod sql;
mod sqlite;

use std::sync::Arc;

use app::domain::{CreditNoteStatus, InvoiceStatus};
use app::model::{AllocationView, CreditNoteView, CustomerView, InvoiceView};
use chrono::{DateTime, Utc};

pub use housekeeping::{PurgeCutoffs, Purged};
pub use postgres::PostgresStorage;
pub use records::{
    CreditNoteFilter, CreditNoteUpdate, EventKind, EventRecord, InvoiceFilter, NewCreditNote,
    NewCustomer, NewEvent, NewInvoice, NewUser, Page, StoredResponse, ThrottleRecord, TokenRecord,
    UserRecord,
};
pub use sessions::SessionBackend;
pub use sqlite::SqliteStorage;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A unique or CHECK or foreign-key constraint refused a write: a rule the services check
    /// first, met here only by a request that raced another.
    #[error("a database constraint refused the write: {kind:?} {detail}")]
    Constraint {
        kind: ConstraintKind,
        detail: String,
    },
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Config(String),
    #[error("{0} already exists")]
    Duplicate(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    Unique,
    Check,
    ForeignKey,
    NotNull,
}

impl From<sqlx::Error> for StorageError {
    fn from(error: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        if let sqlx::Error::Database(db) = &error {
            let kind = match db.kind() {
                ErrorKind::UniqueViolation => Some(ConstraintKind::Unique),
                ErrorKind::CheckViolation => Some(ConstraintKind::Check),
                ErrorKind::ForeignKeyViolation => Some(ConstraintKind::ForeignKey),
                ErrorKind::NotNullViolation => Some(ConstraintKind::NotNull),
                _ => None,
            };
            if let Some(kind) = kind {
                // PostgreSQL names the constraint; SQLite says it in the message.
                let detail = db
                    .constraint()
                    .map_or_else(|| db.message().to_string(), str::to_string);
                return StorageError::Constraint { kind, detail };
            }
        }
        StorageError::Database(error)
    }
}

#[async_trait::async_trait]
pub trait Storage: Send + Sync + 'static {
    /// A transaction for reads that see one consistent state.
    async fn read(&self) -> Result<Box<dyn Tx>, StorageError>;
    /// A transaction that may write; rows it reads stay locked until it ends.
    async fn write(&self) -> Result<Box<dyn Tx>, StorageError>;
    /// The session store in the same database.
    fn session_store(&self) -> SessionBackend;
    /// Which database this is, for logs and messages.
    fn backend(&self) -> &'static str;
    /// Deletes expired sessions, tokens, idempotency keys and throttle rows, in one transaction.
    async fn purge(&self, cutoffs: &PurgeCutoffs) -> Result<Purged, StorageError>;
    async fn close(&self);
}

#[async_trait::async_trait]
pub trait Tx: Send {
    async fn insert_customer(&mut self, customer: &NewCustomer) -> Result<i64, StorageError>;
    async fn insert_invoice(&mut self, invoice: &NewInvoice) -> Result<i64, StorageError>;
    async fn insert_credit_note(&mut self, note: &NewCreditNote) -> Result<i64, StorageError>;

    async fn list_invoices(&mut self) -> Result<Vec<InvoiceView>, StorageError>;
    /// One invoice with its allocations; locked in a write transaction.
    async fn invoice(&mut self, id: i64) -> Result<Option<InvoiceView>, StorageError>;
    /// A customer's credit notes, optionally of one status, oldest first (date, then id).
    async fn customer_credit_notes(
        &mut self,
        customer_id: i64,
        status: Option<CreditNoteStatus>,
        page: Page,
    ) -> Result<Vec<CreditNoteView>, StorageError>;
    /// The credit notes with these ids (missing ones are left out); locked in a write
    /// transaction, in ascending id order.
    async fn credit_notes(&mut self, ids: &[i64]) -> Result<Vec<CreditNoteView>, StorageError>;

    async fn insert_allocation(
        &mut self,
        invoice_id: i64,
        credit_note_id: i64,
        amount_minor: i64,
        at: DateTime<Utc>,
    ) -> Result<AllocationView, StorageError>;
    async fn set_invoice_balance(
        &mut self,
        id: i64,
        paid_minor: i64,
        credited_minor: i64,
        status: InvoiceStatus,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn set_credit_note_balance(
        &mut self,
        id: i64,
        allocated_minor: i64,
        refunded_minor: i64,
        status: CreditNoteStatus,
    ) -> Result<(), StorageError>;
    /// Gives a credit note its number and makes it available.
    async fn finalize_credit_note(
        &mut self,
        id: i64,
        number: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// The next credit-note sequence number of `year`, gapless: it is only taken when the
    /// transaction commits.
    async fn next_credit_note_sequence(&mut self, year: i32) -> Result<i64, StorageError>;
    async fn insert_event(&mut self, event: &NewEvent) -> Result<(), StorageError>;

    async fn customer(&mut self, id: i64) -> Result<Option<CustomerView>, StorageError>;
    async fn find_customers(&mut self, page: Page) -> Result<Vec<CustomerView>, StorageError>;
    async fn customer_exists(&mut self, id: i64) -> Result<bool, StorageError>;
    /// The customer's invoices that are not drafts, newest first.
    async fn customer_invoices(
        &mut self,
        customer_id: i64,
    ) -> Result<Vec<InvoiceView>, StorageError>;
    async fn customer_name(&mut self, id: i64) -> Result<Option<String>, StorageError>;

    /// Fails with [`StorageError::Duplicate`] when the email is taken.
    async fn insert_user(&mut self, user: &NewUser) -> Result<i64, StorageError>;
    async fn user_by_email(&mut self, email: &str) -> Result<Option<UserRecord>, StorageError>;
    async fn user_by_id(&mut self, id: i64) -> Result<Option<UserRecord>, StorageError>;
    async fn insert_api_token(
        &mut self,
        user_id: i64,
        token_hash: &str,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn revoke_api_token(
        &mut self,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn api_token(&mut self, token_hash: &str) -> Result<Option<TokenRecord>, StorageError>;
    /// The sign-in throttle row of `key`, created empty (no attempts, window from `now`) when
    /// missing, and locked until the transaction ends: concurrent attempts take turns.
    async fn lock_sign_in_throttle(
        &mut self,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<ThrottleRecord, StorageError>;
    async fn set_sign_in_throttle(
        &mut self,
        key: &str,
        throttle: &ThrottleRecord,
    ) -> Result<(), StorageError>;
    async fn delete_sign_in_throttle(&mut self, key: &str) -> Result<(), StorageError>;
    /// The sign-in throttle row of `key`, read without a lock.
    async fn sign_in_throttle(&mut self, key: &str)
    -> Result<Option<ThrottleRecord>, StorageError>;

    async fn find_invoices(
        &mut self,
        filter: &InvoiceFilter,
        page: Page,
    ) -> Result<Vec<InvoiceView>, StorageError>;
    async fn find_credit_notes(
        &mut self,
        filter: &CreditNoteFilter,
        page: Page,
    ) -> Result<Vec<CreditNoteView>, StorageError>;
    async fn invoice_number_taken(&mut self, number: &str) -> Result<bool, StorageError>;
    async fn set_invoice_number(&mut self, id: i64, number: &str) -> Result<(), StorageError>;
    /// How many payments an invoice has on record.
    async fn payment_count(&mut self, invoice_id: i64) -> Result<i64, StorageError>;
    /// How many credit notes name this invoice as their related invoice.
    async fn related_credit_note_count(&mut self, invoice_id: i64) -> Result<i64, StorageError>;
    /// The next invoice sequence number of `year` (for generated `INV-YYYY-NNNNN` numbers).
    async fn next_invoice_sequence(&mut self, year: i32) -> Result<i64, StorageError>;
    async fn set_credit_note_status(
        &mut self,
        id: i64,
        status: CreditNoteStatus,
    ) -> Result<(), StorageError>;
    async fn insert_comment(
        &mut self,
        credit_note_id: i64,
        author: Option<&str>,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn allocation(&mut self, id: i64) -> Result<Option<AllocationView>, StorageError>;
    async fn delete_allocation(&mut self, id: i64) -> Result<(), StorageError>;
    /// Timeline events of an invoice or a credit note (`column` is `invoice_id` or
    /// `credit_note_id`), oldest first (time, then id).
    async fn events(
        &mut self,
        column: &'static str,
        id: i64,
        page: Page,
    ) -> Result<Vec<EventRecord>, StorageError>;
    async fn stored_response(
        &mut self,
        user_id: i64,
        key: &str,
    ) -> Result<Option<StoredResponse>, StorageError>;
    /// Records `response` for a key not yet used; `false` when another request has it.
    async fn claim_response(
        &mut self,
        user_id: i64,
        key: &str,
        response: &StoredResponse,
    ) -> Result<bool, StorageError>;
    /// Takes over a key whose answer is older than `expired_before`, was a server error, or
    /// whose request started before `abandoned_before` and never finished; `false` when the
    /// key is live (one conditional update, so concurrent retries cannot both take it).
    async fn reclaim_response(
        &mut self,
        user_id: i64,
        key: &str,
        response: &StoredResponse,
        expired_before: DateTime<Utc>,
        abandoned_before: DateTime<Utc>,
    ) -> Result<bool, StorageError>;
    async fn store_response(
        &mut self,
        user_id: i64,
        key: &str,
        response: &StoredResponse,
    ) -> Result<(), StorageError>;

    #[allow(clippy::too_many_arguments)]
    async fn insert_payment(
        &mut self,
        invoice_id: i64,
        amount_minor: i64,
        date: chrono::NaiveDate,
        method: Option<&str>,
        reference: Option<&str>,
        from_mark_paid: bool,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// Removes the payments "mark paid" added and answers their sum in minor units.
    async fn remove_mark_paid_payments(&mut self, invoice_id: i64) -> Result<i64, StorageError>;
    /// The sum of the payments "mark paid" added, in minor units.
    async fn mark_paid_payments(&mut self, invoice_id: i64) -> Result<i64, StorageError>;
    async fn insert_refund(
        &mut self,
        credit_note_id: i64,
        amount_minor: i64,
        date: chrono::NaiveDate,
        method: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// Replaces what an invoice says: customer, currency, due date and all lines (with totals).
    async fn update_invoice(
        &mut self,
        id: i64,
        customer_id: i64,
        currency: app::domain::Currency,
        due_date: Option<chrono::NaiveDate>,
        lines: &[app::domain::LineInput],
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// Replaces what a draft credit note says: customer, currency, related invoice, date,
    /// reason and content (with totals).
    async fn update_credit_note(
        &mut self,
        update: &CreditNoteUpdate<'_>,
    ) -> Result<(), StorageError>;
    /// A credit note's related invoice, read without a lock (to lock that invoice first);
    /// `None` when the note does not exist.
    async fn credit_note_related_invoice(
        &mut self,
        id: i64,
    ) -> Result<Option<Option<i64>>, StorageError>;
    async fn delete_invoice(&mut self, id: i64) -> Result<(), StorageError>;
    async fn delete_credit_note(&mut self, id: i64) -> Result<(), StorageError>;

    async fn tax_table(&mut self) -> Result<app::domain::TaxTable, StorageError>;
    async fn replace_tax_table(
        &mut self,
        table: &app::domain::TaxTable,
    ) -> Result<(), StorageError>;

    async fn commit(self: Box<Self>) -> Result<(), StorageError>;
}

/// Opens the database named by `url` (`sqlite:…` or `postgres://…`) and brings its schema up to
/// date.
pub async fn connect(url: &str) -> Result<Arc<dyn Storage>, StorageError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStorage::connect(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStorage::connect(url).await?))
    } else {
        // Only the scheme is echoed: the rest may hold a password.
        let scheme = url.split_once(':').map_or("none", |(scheme, _)| scheme);
        Err(StorageError::Config(format!(
            "DATABASE_URL must start with sqlite: or postgres:// (got a `{scheme}:` URL)"
        )))
    }
}
