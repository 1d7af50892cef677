//! The queries, written once for both backends. SQLite and PostgreSQL accept the same SQL here
//! (`$n` parameters, `RETURNING`, `ON CONFLICT`); the one difference, row locks, is the
//! `lock` argument: `FOR UPDATE` on PostgreSQL, nothing on SQLite (whose write transactions
//! already hold the database).

use app::domain::{CreditNoteStatus, Currency, InvoiceKind, InvoiceStatus};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{Database, Transaction};

use super::StorageError;
use super::records::{
    AllocationRecord, ChargeRecord, CommentRecord, CreditNoteRecord, CustomerRecord, InvoiceRecord,
    LineRecord, TotalsRecord,
};

pub mod activities;
pub mod audit;
pub mod auth;
pub mod idempotency;
pub mod imports;
pub mod journal;
pub mod ledger;
pub mod lists;
pub mod outbox;
pub mod reminders;
pub mod seals;
pub mod settings;

/// A transaction on database `DB`; `locking` is set for write transactions.
pub struct SqlTx<DB: Database> {
    pub tx: TxConnection<DB>,
    pub locking: bool,
}

impl<DB: Database> SqlTx<DB> {
    /// A transaction of its own.
    pub fn new(tx: Transaction<'static, DB>, locking: bool) -> Self {
        SqlTx {
            tx: TxConnection::Own(tx),
            locking,
        }
    }

    /// A share of a transaction others also write in (SQLite's group commit).
    pub fn shared(share: Box<dyn SharedTransaction<DB>>) -> Self {
        SqlTx {
            tx: TxConnection::Shared(share),
            locking: true,
        }
    }
}

/// Where a [`SqlTx`] runs its queries: `&mut *tx` is the connection either way.
pub enum TxConnection<DB: Database> {
    Own(Transaction<'static, DB>),
    Shared(Box<dyn SharedTransaction<DB>>),
}

/// A part of a transaction that several requests share (see `super::group_commit`): its queries
/// run on the shared connection, and committing it means the whole transaction is durable.
#[async_trait::async_trait]
pub trait SharedTransaction<DB: Database>: Send {
    fn connection(&mut self) -> &mut DB::Connection;
    fn connection_ref(&self) -> &DB::Connection;
    async fn commit(self: Box<Self>) -> Result<(), StorageError>;
}

impl<DB: Database> TxConnection<DB> {
    pub async fn commit(self) -> Result<(), StorageError> {
        match self {
            TxConnection::Own(tx) => Ok(tx.commit().await?),
            TxConnection::Shared(share) => share.commit().await,
        }
    }
}

impl<DB: Database> std::ops::Deref for TxConnection<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        match self {
            TxConnection::Own(tx) => tx,
            TxConnection::Shared(share) => share.connection_ref(),
        }
    }
}

impl<DB: Database> std::ops::DerefMut for TxConnection<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        match self {
            TxConnection::Own(tx) => tx,
            TxConnection::Shared(share) => share.connection(),
        }
    }
}

pub const INVOICE_COLUMNS: &str = "SELECT i.id, i.number, i.customer_id, c.name AS customer_name, \
     i.currency, i.issue_date, i.due_date, i.kind, i.status, i.subtotal_minor, i.tax_total_minor, \
     i.total_minor, i.paid_minor, i.credited_minor, i.related_invoice_id, i.project, i.imported, \
     i.created_at, i.updated_at FROM invoices i JOIN customers c ON c.id = i.customer_id";

pub const CREDIT_NOTE_COLUMNS: &str = "SELECT id, number, customer_id, \
     (SELECT c.name FROM customers c WHERE c.id = credit_notes.customer_id) AS customer_name, \
     (SELECT i.number FROM invoices i WHERE i.id = credit_notes.related_invoice_id) \
     AS related_invoice_number, \
     currency, date, status, reason, reason_category, billing_address, shipping_address, \
     related_invoice_id, charge_code, charge_description, subtotal_minor, tax_total_minor, \
     total_minor, allocated_minor, refunded_minor, voided_minor, void_reason, created_at, \
     finalized_at, project, external_reference, imported FROM credit_notes";

/// An address column: JSON. Customers created before addresses were required hold `{}`: read
/// it as empty.
pub fn address(json: &str) -> app::model::Address {
    serde_json::from_str(json).unwrap_or_default()
}

/// An address as its column holds it.
pub fn address_json(address: &app::model::Address) -> String {
    serde_json::to_string(address).unwrap_or_default()
}

pub const CUSTOMER_COLUMNS: &str = "SELECT id, name, email, currency, tax_region, vat_id, siren, \
     consumer, billing_address, shipping_address, portal_enabled, reminder_days, \
     document_language, created_at FROM customers";

#[derive(sqlx::FromRow)]
pub struct CustomerRow {
    id: i64,
    name: String,
    email: Option<String>,
    currency: String,
    tax_region: String,
    vat_id: Option<String>,
    siren: Option<String>,
    consumer: bool,
    billing_address: String,
    shipping_address: String,
    portal_enabled: bool,
    reminder_days: Option<i32>,
    document_language: String,
    created_at: DateTime<Utc>,
}

impl CustomerRow {
    pub fn into_record(self) -> Result<CustomerRecord, StorageError> {
        Ok(CustomerRecord {
            id: self.id,
            name: self.name,
            email: self.email,
            currency: currency(&self.currency)?,
            tax_region: self.tax_region,
            vat_id: self.vat_id,
            siren: self.siren,
            consumer: self.consumer,
            billing_address: address(&self.billing_address),
            shipping_address: address(&self.shipping_address),
            portal_enabled: self.portal_enabled,
            reminder_days: self.reminder_days.and_then(|days| u16::try_from(days).ok()),
            document_language: app::domain::Language::parse(&self.document_language)
                .unwrap_or_default(),
            created_at: self.created_at,
        })
    }
}

/// The columns of a document line, with its owner's id as `owner_id`.
pub fn line_columns(owner_column: &str) -> String {
    format!(
        "SELECT {owner_column} AS owner_id, description, quantity, unit_price_minor, \
         discount_percent, tax_rate, net_minor, tax_minor, total_minor, ship_date, vat_category, \
         vat_exemption_reason, nature, revenue_account, revenue_account_label FROM"
    )
}

/// `$1, $2, …, $n`: the parameters of an `IN (…)` list.
/// The most ids one `IN (…)` binds: a customer's every note can be tens of thousands, beyond
/// SQLite's 32,766 and PostgreSQL's 65,535 parameters, so longer lists go in several queries.
pub const IDS_PER_QUERY: usize = 1000;

pub fn placeholders(count: usize) -> String {
    (1..=count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub const ALLOCATION_COLUMNS: &str = "SELECT a.id, a.credit_note_id, n.number AS credit_note_number, \
     a.invoice_id, i.number AS invoice_number, a.amount_minor, a.created_at, i.currency \
     FROM allocations a JOIN credit_notes n ON n.id = a.credit_note_id \
     JOIN invoices i ON i.id = a.invoice_id";

#[derive(sqlx::FromRow)]
pub struct InvoiceRow {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub kind: String,
    pub status: String,
    pub subtotal_minor: i64,
    pub tax_total_minor: i64,
    pub total_minor: i64,
    pub paid_minor: i64,
    pub credited_minor: i64,
    pub related_invoice_id: Option<i64>,
    pub project: Option<String>,
    pub imported: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub struct CreditNoteRow {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub date: NaiveDate,
    pub status: String,
    pub reason: Option<String>,
    pub reason_category: Option<String>,
    pub billing_address: String,
    pub shipping_address: String,
    pub related_invoice_id: Option<i64>,
    pub related_invoice_number: Option<String>,
    pub charge_code: Option<String>,
    pub charge_description: Option<String>,
    pub subtotal_minor: i64,
    pub tax_total_minor: i64,
    pub total_minor: i64,
    pub allocated_minor: i64,
    pub refunded_minor: i64,
    pub voided_minor: i64,
    pub void_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub project: Option<String>,
    pub external_reference: Option<String>,
    pub imported: bool,
}

/// A journal line as stored; the customer columns are NULL on lines that name none.
#[derive(sqlx::FromRow)]
pub struct JournalLineRow {
    pub entry_id: i64,
    account: String,
    account_label: String,
    label: String,
    debit_minor: i64,
    credit_minor: i64,
    aux_ledger: Option<String>,
    aux_account: Option<String>,
    aux_label: Option<String>,
    book_debit_minor: Option<i64>,
    book_credit_minor: Option<i64>,
}

impl JournalLineRow {
    pub fn into_record(self) -> Result<super::JournalLineRecord, StorageError> {
        use app::domain::journal::{Account, Auxiliary, Subledger};
        let auxiliary = match (self.aux_ledger, self.aux_account, self.aux_label) {
            (None, None, None) => None,
            (Some(ledger), Some(code), Some(label)) => Some(Auxiliary {
                ledger: Subledger::parse(&ledger)
                    .ok_or_else(|| StorageError::Corrupt(format!("customer ledger {ledger}")))?,
                account: Account { code, label },
            }),
            _ => {
                return Err(StorageError::Corrupt(
                    "a journal line with part of its customer".into(),
                ));
            }
        };
        Ok(super::JournalLineRecord {
            account: self.account,
            account_label: self.account_label,
            label: self.label,
            debit_minor: self.debit_minor,
            credit_minor: self.credit_minor,
            auxiliary,
            booked_minor: match (self.book_debit_minor, self.book_credit_minor) {
                (Some(debit), Some(credit)) => Some((debit, credit)),
                (None, None) => None,
                _ => {
                    return Err(StorageError::Corrupt(
                        "a journal line with one side in euros".into(),
                    ));
                }
            },
        })
    }
}

/// An account kept as its number and name (both, or neither).
pub fn revenue_account(
    code: Option<String>,
    label: Option<String>,
) -> Result<Option<app::domain::journal::Account>, StorageError> {
    match (code, label) {
        (Some(code), Some(label)) => Ok(Some(app::domain::journal::Account { code, label })),
        (None, None) => Ok(None),
        _ => Err(StorageError::Corrupt(
            "a revenue account without its name".into(),
        )),
    }
}

/// A rate kept as exact text.
pub fn exact_rate(text: &str) -> Result<rust_decimal::Decimal, StorageError> {
    text.parse()
        .map_err(|_| StorageError::Corrupt(format!("exchange rate {text}")))
}

/// A row of `exchange_rates`: currency, date, rate.
pub fn exchange_rate(
    (currency_code, date, rate): (String, chrono::NaiveDate, String),
) -> Result<app::domain::exchange::ExchangeRate, StorageError> {
    Ok(app::domain::exchange::ExchangeRate {
        currency: currency(&currency_code)?,
        date,
        rate: exact_rate(&rate)?,
    })
}

/// A line row: decimals are stored as exact text (SQLite has no exact decimal type).
#[derive(sqlx::FromRow)]
pub struct LineRow {
    pub owner_id: i64,
    pub description: String,
    pub quantity: String,
    pub unit_price_minor: i64,
    pub discount_percent: String,
    pub tax_rate: String,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub ship_date: Option<NaiveDate>,
    pub vat_category: String,
    pub vat_exemption_reason: Option<String>,
    pub nature: String,
    pub revenue_account: Option<String>,
    pub revenue_account_label: Option<String>,
}

impl LineRow {
    pub fn into_record(self) -> Result<LineRecord, StorageError> {
        let decimal = |text: &str| {
            text.parse::<Decimal>()
                .map_err(|e| StorageError::Corrupt(format!("line decimal {text}: {e}")))
        };
        Ok(LineRecord {
            description: self.description,
            quantity: decimal(&self.quantity)?,
            unit_price_minor: self.unit_price_minor,
            discount_percent: decimal(&self.discount_percent)?,
            tax_rate: decimal(&self.tax_rate)?,
            net_minor: self.net_minor,
            tax_minor: self.tax_minor,
            total_minor: self.total_minor,
            ship_date: self.ship_date,
            vat_category: app::domain::VatCategory::parse(&self.vat_category).ok_or_else(|| {
                StorageError::Corrupt(format!("line VAT category {}", self.vat_category))
            })?,
            vat_exemption_reason: self.vat_exemption_reason,
            nature: app::domain::LineNature::parse(&self.nature)
                .ok_or_else(|| StorageError::Corrupt(format!("line nature {}", self.nature)))?,
            revenue_account: revenue_account(self.revenue_account, self.revenue_account_label)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AllocationRow {
    pub id: i64,
    pub credit_note_id: i64,
    pub credit_note_number: Option<String>,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub amount_minor: i64,
    pub created_at: DateTime<Utc>,
    pub currency: String,
}

impl AllocationRow {
    pub fn into_record(self) -> Result<AllocationRecord, StorageError> {
        Ok(AllocationRecord {
            id: self.id,
            credit_note_id: self.credit_note_id,
            credit_note_number: self.credit_note_number,
            invoice_id: self.invoice_id,
            invoice_number: self.invoice_number,
            amount_minor: self.amount_minor,
            currency: currency(&self.currency)?,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct InvoiceBalanceRow {
    id: i64,
    customer_id: i64,
    currency: String,
    status: String,
    total_minor: i64,
    paid_minor: i64,
    credited_minor: i64,
}

impl InvoiceBalanceRow {
    pub fn into_balance(self) -> Result<app::domain::InvoiceBalance, StorageError> {
        let currency = currency(&self.currency)?;
        Ok(app::domain::InvoiceBalance {
            id: self.id,
            customer_id: self.customer_id,
            currency,
            status: InvoiceStatus::parse(&self.status)
                .ok_or_else(|| StorageError::Corrupt(format!("invoice status {}", self.status)))?,
            total: currency.from_minor(self.total_minor),
            paid: currency.from_minor(self.paid_minor),
            credited: currency.from_minor(self.credited_minor),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct CreditNoteBalanceRow {
    id: i64,
    number: Option<String>,
    customer_id: i64,
    currency: String,
    status: String,
    date: NaiveDate,
    total_minor: i64,
    allocated_minor: i64,
    refunded_minor: i64,
    voided_minor: i64,
}

/// The columns of a [`CreditNoteBalanceRow`].
pub const CREDIT_NOTE_BALANCE_COLUMNS: &str = "SELECT id, number, customer_id, currency, status, \
     date, total_minor, allocated_minor, refunded_minor, voided_minor FROM credit_notes";

impl CreditNoteBalanceRow {
    pub fn into_record(self) -> Result<super::CreditNoteBalanceRecord, StorageError> {
        let currency = currency(&self.currency)?;
        Ok(super::CreditNoteBalanceRecord {
            balance: app::domain::CreditNoteBalance {
                id: self.id,
                customer_id: self.customer_id,
                currency,
                status: CreditNoteStatus::parse(&self.status).ok_or_else(|| {
                    StorageError::Corrupt(format!("credit note status {}", self.status))
                })?,
                total: currency.from_minor(self.total_minor),
                allocated: currency.from_minor(self.allocated_minor),
                refunded: currency.from_minor(self.refunded_minor),
                voided: currency.from_minor(self.voided_minor),
            },
            number: self.number,
            date: self.date,
        })
    }
}

/// A `LIKE` pattern (used with `ESCAPE '\'`) for values starting with `prefix`, matched
/// literally: `%`, `_` and `\` are escaped.
pub fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A `LIKE` pattern (used with `ESCAPE '\'`) for values holding `part` anywhere.
pub fn like_contains(part: &str) -> String {
    format!("%{}", like_prefix(part))
}

pub fn currency(code: &str) -> Result<Currency, StorageError> {
    Currency::parse(code).map_err(|e| StorageError::Corrupt(e.to_string()))
}

impl InvoiceRow {
    pub fn into_record(
        self,
        lines: Vec<LineRecord>,
        allocations: Vec<AllocationRecord>,
    ) -> Result<InvoiceRecord, StorageError> {
        Ok(InvoiceRecord {
            id: self.id,
            number: self.number,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            currency: currency(&self.currency)?,
            issue_date: self.issue_date,
            due_date: self.due_date,
            kind: InvoiceKind::parse(&self.kind)
                .ok_or_else(|| StorageError::Corrupt(format!("invoice kind {}", self.kind)))?,
            status: InvoiceStatus::parse(&self.status)
                .ok_or_else(|| StorageError::Corrupt(format!("invoice status {}", self.status)))?,
            totals: TotalsRecord {
                subtotal_minor: self.subtotal_minor,
                tax_total_minor: self.tax_total_minor,
                total_minor: self.total_minor,
            },
            paid_minor: self.paid_minor,
            credited_minor: self.credited_minor,
            related_invoice_id: self.related_invoice_id,
            project: self.project,
            imported: self.imported,
            created_at: self.created_at,
            updated_at: self.updated_at,
            lines,
            allocations,
        })
    }
}

impl CreditNoteRow {
    pub fn into_record(
        self,
        lines: Vec<LineRecord>,
        allocations: Vec<AllocationRecord>,
        comments: Vec<CommentRecord>,
    ) -> Result<CreditNoteRecord, StorageError> {
        let charge = match (self.charge_code, self.charge_description) {
            (Some(code), Some(description)) => Some(ChargeRecord { code, description }),
            _ => None,
        };
        Ok(CreditNoteRecord {
            id: self.id,
            number: self.number,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            currency: currency(&self.currency)?,
            date: self.date,
            status: CreditNoteStatus::parse(&self.status).ok_or_else(|| {
                StorageError::Corrupt(format!("credit note status {}", self.status))
            })?,
            reason: self.reason,
            reason_category: match self.reason_category.as_deref() {
                None => None,
                Some(name) => Some(app::domain::ReasonCategory::parse(name).ok_or_else(|| {
                    StorageError::Corrupt(format!("credit note reason category {name}"))
                })?),
            },
            billing_address: address(&self.billing_address),
            shipping_address: address(&self.shipping_address),
            related_invoice_id: self.related_invoice_id,
            related_invoice_number: self.related_invoice_number,
            project: self.project,
            external_reference: self.external_reference,
            imported: self.imported,
            charge,
            totals: TotalsRecord {
                subtotal_minor: self.subtotal_minor,
                tax_total_minor: self.tax_total_minor,
                total_minor: self.total_minor,
            },
            allocated_minor: self.allocated_minor,
            refunded_minor: self.refunded_minor,
            voided_minor: self.voided_minor,
            void_reason: self.void_reason,
            created_at: self.created_at,
            finalized_at: self.finalized_at,
            lines,
            allocations,
            comments,
        })
    }
}

/// Implements [`super::Tx`] for `SqlTx<$db>`; `$lock` is appended to reads that must lock.
macro_rules! impl_sql_tx {
    ($db:ty, $lock:literal) => {
        impl crate::storage::sql::SqlTx<$db> {
            fn lock(&self) -> &'static str {
                if self.locking { $lock } else { "" }
            }

            /// The allocations of these invoices or credit notes (`column` names which), by
            /// owner: one query for a whole page.
            async fn allocations_of(
                &mut self,
                column: &str,
                ids: &[i64],
            ) -> Result<std::collections::HashMap<i64, Vec<crate::storage::AllocationRecord>>, crate::storage::StorageError> {
                let mut by_owner: std::collections::HashMap<i64, Vec<crate::storage::AllocationRecord>> =
                    std::collections::HashMap::new();
                if ids.is_empty() {
                    return Ok(by_owner);
                }
                for ids in ids.chunks(crate::storage::sql::IDS_PER_QUERY) {
                    let sql = format!(
                        "{} WHERE a.{column} IN ({}) ORDER BY a.id",
                        crate::storage::sql::ALLOCATION_COLUMNS,
                        crate::storage::sql::placeholders(ids.len())
                    );
                    let mut query = sqlx::query_as::<_, crate::storage::sql::AllocationRow>(&sql);
                    for id in ids {
                        query = query.bind(*id);
                    }
                    for row in query.fetch_all(&mut *self.tx).await? {
                        let owner = if column == "invoice_id" { row.invoice_id } else { row.credit_note_id };
                        by_owner.entry(owner).or_default().push(row.into_record()?);
                    }
                }
                Ok(by_owner)
            }

            /// The lines of these documents, by owner, in position order: one query.
            async fn lines_of(
                &mut self,
                table: &str,
                owner_column: &str,
                ids: &[i64],
            ) -> Result<std::collections::HashMap<i64, Vec<crate::storage::sql::LineRow>>, crate::storage::StorageError> {
                let mut by_owner: std::collections::HashMap<i64, Vec<crate::storage::sql::LineRow>> =
                    std::collections::HashMap::new();
                if ids.is_empty() {
                    return Ok(by_owner);
                }
                for ids in ids.chunks(crate::storage::sql::IDS_PER_QUERY) {
                    let sql = format!(
                        "{} {table} WHERE {owner_column} IN ({}) ORDER BY {owner_column}, position",
                        crate::storage::sql::line_columns(owner_column),
                        crate::storage::sql::placeholders(ids.len())
                    );
                    let mut query = sqlx::query_as::<_, crate::storage::sql::LineRow>(&sql);
                    for id in ids {
                        query = query.bind(*id);
                    }
                    for row in query.fetch_all(&mut *self.tx).await? {
                        by_owner.entry(row.owner_id).or_default().push(row);
                    }
                }
                Ok(by_owner)
            }

            /// Invoice rows with their lines and allocations: one query per table.
            async fn complete_invoices(
                &mut self,
                rows: Vec<crate::storage::sql::InvoiceRow>,
            ) -> Result<Vec<crate::storage::InvoiceRecord>, crate::storage::StorageError> {
                let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
                let mut lines = self.lines_of("invoice_lines", "invoice_id", &ids).await?;
                let mut allocations = self.allocations_of("invoice_id", &ids).await?;
                rows.into_iter()
                    .map(|row| {
                        let lines = lines
                            .remove(&row.id)
                            .unwrap_or_default()
                            .into_iter()
                            .map(crate::storage::sql::LineRow::into_record)
                            .collect::<Result<Vec<_>, _>>()?;
                        let allocations = allocations.remove(&row.id).unwrap_or_default();
                        row.into_record(lines, allocations)
                    })
                    .collect()
            }

            /// Credit-note rows with their lines, allocations and comments: one query per table.
            async fn complete_notes(
                &mut self,
                rows: Vec<crate::storage::sql::CreditNoteRow>,
            ) -> Result<Vec<crate::storage::CreditNoteRecord>, crate::storage::StorageError> {
                let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
                let mut lines = self.lines_of("credit_note_lines", "credit_note_id", &ids).await?;
                let mut allocations = self.allocations_of("credit_note_id", &ids).await?;
                let mut comments: std::collections::HashMap<i64, Vec<crate::storage::CommentRecord>> =
                    std::collections::HashMap::new();
                for ids in ids.chunks(crate::storage::sql::IDS_PER_QUERY) {
                    let sql = format!(
                        "SELECT id, credit_note_id, author, text, created_at FROM comments \
                         WHERE credit_note_id IN ({}) ORDER BY id",
                        crate::storage::sql::placeholders(ids.len())
                    );
                    let mut query = sqlx::query_as::<_, crate::storage::CommentRecord>(&sql);
                    for id in ids {
                        query = query.bind(*id);
                    }
                    for row in query.fetch_all(&mut *self.tx).await? {
                        comments.entry(row.credit_note_id).or_default().push(row);
                    }
                }
                rows.into_iter()
                    .map(|row| {
                        let lines = lines
                            .remove(&row.id)
                            .unwrap_or_default()
                            .into_iter()
                            .map(crate::storage::sql::LineRow::into_record)
                            .collect::<Result<Vec<_>, _>>()?;
                        let allocations = allocations.remove(&row.id).unwrap_or_default();
                        let comments = comments.remove(&row.id).unwrap_or_default();
                        row.into_record(lines, allocations, comments)
                    })
                    .collect()
            }

            async fn complete_invoice(
                &mut self,
                row: crate::storage::sql::InvoiceRow,
            ) -> Result<crate::storage::InvoiceRecord, crate::storage::StorageError> {
                self.complete_invoices(vec![row])
                    .await?
                    .pop()
                    .ok_or_else(|| crate::storage::StorageError::Corrupt("an invoice vanished".into()))
            }

            async fn insert_lines(
                &mut self,
                table: &str,
                owner_column: &str,
                owner_id: i64,
                lines: &[crate::storage::LineRecord],
            ) -> Result<(), crate::storage::StorageError> {
                let sql = format!(
                    "INSERT INTO {table} ({owner_column}, position, description, quantity, \
                     unit_price_minor, discount_percent, tax_rate, net_minor, tax_minor, total_minor, \
                     ship_date, vat_category, vat_exemption_reason, nature, revenue_account, \
                     revenue_account_label) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
                );
                for (position, line) in lines.iter().enumerate() {
                    sqlx::query(&sql)
                        .bind(owner_id)
                        .bind(position as i64)
                        .bind(&line.description)
                        .bind(line.quantity.normalize().to_string())
                        .bind(line.unit_price_minor)
                        .bind(line.discount_percent.normalize().to_string())
                        .bind(line.tax_rate.normalize().to_string())
                        .bind(line.net_minor)
                        .bind(line.tax_minor)
                        .bind(line.total_minor)
                        .bind(line.ship_date)
                        .bind(line.vat_category.as_str())
                        .bind(line.vat_exemption_reason.as_deref())
                        .bind(line.nature.as_str())
                        .bind(line.revenue_account.as_ref().map(|account| account.code.as_str()))
                        .bind(line.revenue_account.as_ref().map(|account| account.label.as_str()))
                        .execute(&mut *self.tx)
                        .await?;
                }
                Ok(())
            }
        }

        crate::storage::sql::audit::impl_audit_tx!($db);
        crate::storage::sql::auth::impl_auth_tx!($db);
        crate::storage::sql::idempotency::impl_idempotency_tx!($db);
        crate::storage::sql::ledger::impl_ledger_tx!($db);
        crate::storage::sql::settings::impl_settings_tx!($db);
        crate::storage::sql::outbox::impl_outbox_tx!($db);
        crate::storage::sql::activities::impl_activities_tx!($db);
        crate::storage::sql::seals::impl_seal_tx!($db);
        crate::storage::sql::journal::impl_journal_tx!($db);
        crate::storage::sql::reminders::impl_reminder_tx!($db);
        crate::storage::sql::imports::impl_import_tx!($db);

        #[async_trait::async_trait]
        impl crate::storage::Tx for crate::storage::sql::SqlTx<$db> {
            async fn commit(self: Box<Self>) -> Result<(), crate::storage::StorageError> {
                self.tx.commit().await
            }
        }
    };
}

pub(crate) use impl_sql_tx;
