//! Storage: one trait, a SQLite and a PostgreSQL implementation, picked by `DATABASE_URL`.
//!
//! Every service operation runs inside one [`Tx`], whose role traits ([`LedgerTx`], [`AuditTx`], [`AuthTx`],
//! [`IdempotencyTx`], [`SettingsTx`]) each live in a file of their own, as do their queries
//! under `sql/`. A write transaction holds the rows it reads:
//! SQLite starts it `IMMEDIATE` (one writer at a time), PostgreSQL reads with `FOR UPDATE`
//! (invoices before credit notes, ids ascending, so two writers never wait on each other in a
//! circle). Money is stored as integer minor units.

mod activities;
mod audit;
mod auth;
mod group_commit;
mod housekeeping;
mod idempotency;
mod imports;
mod journal;
mod ledger;
mod outbox;
mod postgres;
mod records;
mod reminders;
pub mod scale;
mod seals;
mod sessions;
mod settings;
mod sql;
mod sqlite;

use std::sync::Arc;

pub use activities::{ActivitiesTx, NewAttachment, NewTask};
pub use audit::AuditTx;
pub use auth::AuthTx;
pub use housekeeping::{PurgeCutoffs, Purged};
pub use idempotency::IdempotencyTx;
pub use imports::{ImportTx, ImportUpload};
pub use journal::{
    JournalEntryRecord, JournalExtent, JournalFilter, JournalHead, JournalLineRecord, JournalTx,
    NewJournalEntry, RateFilter, SalesDocumentId, UnpostedDocuments,
};
pub use ledger::LedgerTx;
pub use outbox::{MessageAbout, MessageContent, MessageRecord, NewMessage, OutboxTx};
pub use postgres::PostgresStorage;
pub use records::{
    AllocationRecord, ChargeRecord, CommentRecord, ContentRecord, CreditNoteBalanceRecord,
    CreditNoteFilter, CreditNoteRecord, CreditNoteUpdate, CustomerRecord, CustomerUpdate,
    EventRecord, InvoiceFilter, InvoiceRecord, LineRecord, NewCreditNote, NewCustomer, NewEvent,
    NewInvoice, NewUser, Page, StoredResponse, ThrottleRecord, TokenUserRecord, TotalsRecord,
    UserListRecord, UserRecord,
};
pub use reminders::{ReminderCandidate, ReminderTx};
pub use seals::{IssuedPrintRecord, SealRecord, SealTx};
pub use sessions::SessionBackend;
pub use settings::{Logo, SettingsTx, TemplateRecord};
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
    /// PostgreSQL cannot store this text (a NUL character). The doors refuse NUL first; this
    /// keeps a door that forgot from answering 500.
    #[error("the database cannot store this text: {0}")]
    UnstorableText(String),
    /// The transaction this write shared with others (SQLite's group commit) did not commit.
    #[error("the write was not committed: {0}")]
    CommitFailed(String),
    /// PostgreSQL ended the transaction because it waited on another that waited on it (a
    /// deadlock) or could not serialize them: nothing was written, and trying again works.
    #[error("the transaction met another one: {0}")]
    Contention(String),
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
            // character_not_in_repertoire, untranslatable_character
            if matches!(db.code().as_deref(), Some("22021" | "22P05")) {
                return StorageError::UnstorableText(db.message().to_string());
            }
            // deadlock_detected, serialization_failure
            if matches!(db.code().as_deref(), Some("40P01" | "40001")) {
                return StorageError::Contention(db.message().to_string());
            }
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
    /// The user of the API token with this hash, in one statement outside any transaction.
    async fn token_user(&self, token_hash: &str) -> Result<Option<TokenUserRecord>, StorageError>;
    /// The session store in the same database.
    fn session_store(&self) -> SessionBackend;
    /// Which database this is, for logs and messages.
    fn backend(&self) -> &'static str;
    /// Deletes expired sessions, tokens, idempotency keys and throttle rows, in one transaction.
    async fn purge(&self, cutoffs: &PurgeCutoffs) -> Result<Purged, StorageError>;
    async fn close(&self);
    /// Adds the scale benchmark's data (see [`scale`]) in one transaction, then refreshes the
    /// planner's statistics.
    async fn seed_scale(&self, plan: &scale::ScalePlan)
    -> Result<scale::ScaleSeeded, StorageError>;
    /// The credit-note list query for `filter` and how the database runs it (PostgreSQL runs
    /// it: `EXPLAIN ANALYZE`), for `creditdesk explain`.
    async fn explain_credit_note_list(
        &self,
        filter: &CreditNoteFilter,
        page: Page,
    ) -> Result<ExplainedQuery, StorageError>;
}

/// A query's SQL and its plan, one line per step.
#[derive(Clone, Debug)]
pub struct ExplainedQuery {
    pub sql: String,
    pub plan: Vec<String>,
}

/// One transaction: the role traits hold what it can read and write.
#[async_trait::async_trait]
pub trait Tx:
    LedgerTx
    + AuditTx
    + AuthTx
    + IdempotencyTx
    + SettingsTx
    + OutboxTx
    + ActivitiesTx
    + SealTx
    + JournalTx
    + ReminderTx
    + ImportTx
    + Send
{
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
