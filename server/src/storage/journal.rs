//! The accounting journal: append-only entries with their lines, each journal's chain head,
//! and the chart of accounts they are written to.

use app::domain::Currency;
use app::domain::exchange::ExchangeRate;
use app::domain::journal::{ChartOfAccounts, Journal, JournalEntry};
use chrono::{DateTime, NaiveDate, Utc};

use super::StorageError;

/// A journal's head, held for the posting transaction.
#[derive(Clone, Debug)]
pub struct JournalHead {
    /// The seal the next entry chains on.
    pub seal: String,
    /// Nothing is posted on or before this date.
    pub closed_through: Option<NaiveDate>,
    /// The seller's fiscal year end (`MM-DD`), which numbers entries per fiscal year.
    pub fiscal_year_end: Option<String>,
}

/// An entry ready to store: what it says, where it comes from, and its seal.
#[derive(Clone, Debug)]
pub struct NewJournalEntry<'a> {
    pub entry: &'a JournalEntry,
    /// What wrote it: `invoice_issued`, `payment`, `credit_note_finalized`, `credit_applied`,
    /// `credit_unapplied`, `refund`.
    pub source: &'a str,
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub seal: &'a str,
    /// Its number in its journal and fiscal year (the FEC's `EcritureNum`).
    pub number: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalLineRecord {
    pub account: String,
    pub account_label: String,
    pub label: String,
    pub debit_minor: i64,
    pub credit_minor: i64,
    /// The customer ledger and account of a receivable or customer-credit line.
    pub auxiliary: Option<app::domain::journal::Auxiliary>,
    /// Debit and credit in the books' currency (EUR, minor units), when the entry is in
    /// another currency and was booked in euros.
    pub booked_minor: Option<(i64, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntryRecord {
    pub id: i64,
    pub journal: Journal,
    pub date: NaiveDate,
    pub reference: String,
    pub label: String,
    pub currency: Currency,
    pub source: String,
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub seal: String,
    /// Its number in its journal and fiscal year; none for entries written before numbers
    /// were stored (the export numbers them in the order they were written).
    pub number: Option<i64>,
    pub lines: Vec<JournalLineRecord>,
}

/// How much a span of the journal holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JournalExtent {
    pub entries: i64,
    pub lines: i64,
    pub longest_account: i64,
    /// The highest customer id there is (0 without customers): what numbers debtor accounts.
    pub highest_customer: i64,
}

/// Which entries to read: dated within `from..=to`, ids above `after`, at most `limit`, in id
/// order.
#[derive(Clone, Copy, Debug, Default)]
pub struct JournalFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub after: i64,
    pub limit: i64,
}

#[async_trait::async_trait]
pub trait JournalTx: Send {
    /// The chart saved in Settings; none until saved.
    async fn chart_of_accounts(&mut self) -> Result<Option<ChartOfAccounts>, StorageError>;
    async fn save_chart_of_accounts(&mut self, chart: &ChartOfAccounts)
    -> Result<(), StorageError>;
    /// The date the books are closed through, if they are.
    async fn closing_date(&mut self) -> Result<Option<NaiveDate>, StorageError>;
    /// Closes the books through `date`. The caller holds every journal's head first, so no
    /// entry is being posted meanwhile.
    async fn set_closing_date(
        &mut self,
        date: NaiveDate,
        at: chrono::DateTime<chrono::Utc>,
        by: Option<i64>,
    ) -> Result<(), StorageError>;
    /// The last seal of `journal`, held (PostgreSQL: locked) until the transaction ends, and
    /// the closing date of the books, read in the same statement (every posting needs both).
    async fn journal_head(&mut self, journal: Journal) -> Result<JournalHead, StorageError>;
    /// Whether any entry is dated after `date` (at all, without one).
    async fn entries_dated_after(&mut self, date: Option<NaiveDate>) -> Result<bool, StorageError>;
    /// The next number of `journal` in the fiscal year `(from, to)`: one after the last taken,
    /// or, the first time, after the entries the journal already holds in that year. The
    /// caller holds the journal's head.
    async fn next_entry_number(
        &mut self,
        journal: Journal,
        fiscal_year: (NaiveDate, NaiveDate),
    ) -> Result<i64, StorageError>;
    /// Stores the entry and makes its seal the journal's head; answers its id.
    async fn insert_journal_entry(
        &mut self,
        entry: &NewJournalEntry<'_>,
    ) -> Result<i64, StorageError>;
    async fn journal_entries(
        &mut self,
        filter: &JournalFilter,
    ) -> Result<Vec<JournalEntryRecord>, StorageError>;
    /// Of the entries dated within `from..=to`: how many there are, how many lines they
    /// hold, their longest account number (0 without entries), and the highest customer id.
    async fn journal_extent(
        &mut self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<JournalExtent, StorageError>;
    /// Issued invoices and finalized credit notes that no entry names (written before the
    /// journal existed), in id order.
    async fn unposted_documents(&mut self) -> Result<UnpostedDocuments, StorageError>;
    /// The payments of an invoice: amount (minor units) and date, in the order recorded.
    async fn payments_of(&mut self, invoice_id: i64)
    -> Result<Vec<(i64, NaiveDate)>, StorageError>;
    /// The refunds of a credit note: amount (minor units) and date, in the order recorded.
    async fn refunds_of(&mut self, note_id: i64) -> Result<Vec<(i64, NaiveDate)>, StorageError>;
    /// Of the documents `ids` (invoices on the receivable ledger, credit notes on the
    /// customer-credit one), those whose lines on `ledger` add up to zero, each with the date
    /// of its last entry there: the documents settled, as the FEC letters them.
    async fn settled_on_ledger(
        &mut self,
        ledger: app::domain::journal::Subledger,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, NaiveDate>, StorageError>;
    /// What of `document`'s VAT waits for payment: per rate, the tax in minor units.
    async fn vat_on_payment(
        &mut self,
        document: SalesDocumentId,
    ) -> Result<Vec<(rust_decimal::Decimal, i64)>, StorageError>;
    /// Replaces what of `document`'s VAT waits for payment.
    async fn set_vat_on_payment(
        &mut self,
        document: SalesDocumentId,
        rows: &[(rust_decimal::Decimal, i64)],
    ) -> Result<(), StorageError>;
    /// The rate `document` was booked at, if it is in a foreign currency and was booked in
    /// euros.
    async fn document_rate(
        &mut self,
        document: SalesDocumentId,
    ) -> Result<Option<rust_decimal::Decimal>, StorageError>;
    /// Fixes the rate `document` is booked at.
    async fn set_document_rate(
        &mut self,
        document: SalesDocumentId,
        rate: rust_decimal::Decimal,
    ) -> Result<(), StorageError>;
    /// The newest rate of `currency` dated on or before `date`.
    async fn latest_rate(
        &mut self,
        currency: app::domain::Currency,
        date: NaiveDate,
    ) -> Result<Option<ExchangeRate>, StorageError>;
    /// The newest rate of each currency, by currency.
    async fn latest_rates(&mut self) -> Result<Vec<ExchangeRate>, StorageError>;
    /// Rates, newest first (by date, then currency), of one currency or all, within
    /// `from..=to`, at most `limit`.
    async fn exchange_rates(
        &mut self,
        filter: &RateFilter,
    ) -> Result<Vec<ExchangeRate>, StorageError>;
    /// Keeps `rates` (replacing a rate of the same currency and date); `source` is `manual` or
    /// `ecb`.
    async fn save_exchange_rates(
        &mut self,
        rates: &[ExchangeRate],
        source: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
}

/// Which rates to read.
#[derive(Clone, Copy, Debug, Default)]
pub struct RateFilter {
    pub currency: Option<app::domain::Currency>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
}

/// An invoice or a credit note, by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SalesDocumentId {
    Invoice(i64),
    CreditNote(i64),
}

impl SalesDocumentId {
    /// The table that holds such a document.
    pub fn table(self) -> &'static str {
        match self {
            SalesDocumentId::Invoice(_) => "invoices",
            SalesDocumentId::CreditNote(_) => "credit_notes",
        }
    }

    /// The column that names such a document, and its id.
    pub fn column(self) -> (&'static str, i64) {
        match self {
            SalesDocumentId::Invoice(id) => ("invoice_id", id),
            SalesDocumentId::CreditNote(id) => ("credit_note_id", id),
        }
    }
}

/// Documents no journal entry names.
#[derive(Clone, Debug, Default)]
pub struct UnpostedDocuments {
    pub invoices: Vec<i64>,
    pub credit_notes: Vec<i64>,
}
