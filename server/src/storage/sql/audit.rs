//! The audit query of [`crate::storage::AuditTx`], for both backends. Sums are cast to BIGINT:
//! PostgreSQL's `SUM(bigint)` is `numeric`.

use app::domain::InvoiceKind;
use app::domain::audit::{AllocationFigures, BookFigures, CreditNoteFigures, InvoiceFigures};
use chrono::{Datelike, NaiveDate};

use crate::storage::StorageError;
use crate::storage::sql::{CreditNoteBalanceRow, InvoiceBalanceRow, currency};

pub const INVOICES: &str = "SELECT i.id, i.number, i.customer_id, i.currency, i.kind, i.status, \
     i.total_minor, i.paid_minor, i.credited_minor, \
     CAST(COALESCE((SELECT SUM(p.amount_minor) FROM payments p WHERE p.invoice_id = i.id), 0) \
     AS BIGINT) AS payments_minor, \
     CAST(COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.invoice_id = i.id), 0) \
     AS BIGINT) AS allocations_minor \
     FROM invoices i ORDER BY i.id";

pub const CREDIT_NOTES: &str = "SELECT n.id, n.number, n.customer_id, n.currency, n.date, \
     n.imported, n.status, n.total_minor, n.allocated_minor, n.refunded_minor, n.voided_minor, \
     CAST(COALESCE((SELECT SUM(a.amount_minor) FROM allocations a \
     WHERE a.credit_note_id = n.id), 0) AS BIGINT) AS allocations_minor, \
     CAST(COALESCE((SELECT SUM(r.amount_minor) FROM refunds r \
     WHERE r.credit_note_id = n.id), 0) AS BIGINT) AS refunds_minor \
     FROM credit_notes n ORDER BY n.id";

pub const ALLOCATIONS: &str = "SELECT a.id, a.invoice_id, a.credit_note_id, a.amount_minor, \
     i.currency FROM allocations a JOIN invoices i ON i.id = a.invoice_id ORDER BY a.id";

/// The journal's customer ledgers: lines that name their customer summed per customer
/// account, older lines on the receivable and customer-credit accounts ($1, $2) per document.
pub const BOOKS: &str = "SELECT l.aux_ledger, l.aux_account, l.account, \
     CASE WHEN l.aux_ledger IS NULL THEN e.invoice_id END AS invoice_id, \
     CASE WHEN l.aux_ledger IS NULL THEN e.credit_note_id END AS credit_note_id, \
     e.currency, CAST(SUM(l.debit_minor) - SUM(l.credit_minor) AS BIGINT) AS balance_minor \
     FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id \
     WHERE l.aux_ledger IS NOT NULL OR l.account IN ($1, $2) \
     GROUP BY 1, 2, 3, 4, 5, 6";

pub const COUNTERS: &str =
    "SELECT CAST(year AS BIGINT), CAST(last_number AS BIGINT) FROM credit_note_counters";

#[derive(sqlx::FromRow)]
pub struct InvoiceRow {
    #[sqlx(flatten)]
    balance: InvoiceBalanceRow,
    number: String,
    kind: String,
    payments_minor: i64,
    allocations_minor: i64,
}

impl InvoiceRow {
    pub fn into_figures(self) -> Result<InvoiceFigures, StorageError> {
        let balance = self.balance.into_balance()?;
        let currency = balance.currency;
        Ok(InvoiceFigures {
            number: self.number,
            kind: InvoiceKind::parse(&self.kind)
                .ok_or_else(|| StorageError::Corrupt(format!("invoice kind {}", self.kind)))?,
            balance,
            payments: currency.from_minor(self.payments_minor),
            allocations: currency.from_minor(self.allocations_minor),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct CreditNoteRow {
    #[sqlx(flatten)]
    note: CreditNoteBalanceRow,
    date: NaiveDate,
    imported: bool,
    allocations_minor: i64,
    refunds_minor: i64,
}

impl CreditNoteRow {
    pub fn into_figures(self) -> Result<CreditNoteFigures, StorageError> {
        let note = self.note.into_record()?;
        let currency = note.balance.currency;
        Ok(CreditNoteFigures {
            number: note.number,
            year: self.date.year(),
            imported: self.imported,
            balance: note.balance,
            allocations: currency.from_minor(self.allocations_minor),
            refunds: currency.from_minor(self.refunds_minor),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AllocationRow {
    id: i64,
    invoice_id: i64,
    credit_note_id: i64,
    amount_minor: i64,
    currency: String,
}

impl AllocationRow {
    pub fn into_figures(self) -> Result<AllocationFigures, StorageError> {
        Ok(AllocationFigures {
            id: self.id,
            invoice_id: self.invoice_id,
            credit_note_id: self.credit_note_id,
            amount: currency(&self.currency)?.from_minor(self.amount_minor),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct BookRow {
    aux_ledger: Option<String>,
    aux_account: Option<String>,
    account: String,
    invoice_id: Option<i64>,
    credit_note_id: Option<i64>,
    currency: String,
    balance_minor: i64,
}

impl BookRow {
    /// The row as the audit reads it; an older line's ledger is the account it is on in
    /// `chart`.
    pub fn into_figures(
        self,
        chart: &app::domain::journal::ChartOfAccounts,
    ) -> Result<BookFigures, StorageError> {
        use app::domain::journal::Subledger;
        let ledger = match &self.aux_ledger {
            Some(name) => Subledger::parse(name)
                .ok_or_else(|| StorageError::Corrupt(format!("customer ledger {name}")))?,
            None if self.account == chart.receivable.code => Subledger::Receivable,
            None => Subledger::CustomerCredit,
        };
        let currency = currency(&self.currency)?;
        Ok(BookFigures {
            ledger,
            customer_account: self.aux_account,
            invoice_id: self.invoice_id,
            credit_note_id: self.credit_note_id,
            currency,
            balance: currency.from_minor(self.balance_minor),
        })
    }
}

/// What of each document's VAT waits for payment, per rate.
pub const VAT_WAITING: &str = "SELECT invoice_id, credit_note_id, rate, tax_minor \
     FROM vat_on_payment ORDER BY invoice_id, credit_note_id, rate";

/// Per document, credit − debit of its entries' lines on the account of VAT awaiting payment
/// ($1). Only entries of one document name it alone (those applying a note name both).
pub const VAT_WAITING_BOOKED: &str = "SELECT e.invoice_id, e.credit_note_id, \
     CAST(SUM(l.credit_minor) - SUM(l.debit_minor) AS BIGINT) \
     FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id \
     WHERE l.account = $1 GROUP BY e.invoice_id, e.credit_note_id";

/// Gathers, per document, what of its VAT waits and what the journal holds for it; amounts in
/// the currency of the document's balance in `figures`.
pub fn vat_waiting(
    rows: Vec<(Option<i64>, Option<i64>, String, i64)>,
    booked: Vec<(Option<i64>, Option<i64>, i64)>,
    invoices: &[InvoiceFigures],
    credit_notes: &[CreditNoteFigures],
) -> Result<Vec<app::domain::audit::VatWaitingFigures>, StorageError> {
    let currency_of =
        |invoice_id: Option<i64>, credit_note_id: Option<i64>| match (invoice_id, credit_note_id) {
            (Some(id), _) => invoices
                .iter()
                .find(|invoice| invoice.balance.id == id)
                .map(|invoice| invoice.balance.currency),
            (None, Some(id)) => credit_notes
                .iter()
                .find(|note| note.balance.id == id)
                .map(|note| note.balance.currency),
            (None, None) => None,
        };
    let mut figures: Vec<app::domain::audit::VatWaitingFigures> = Vec::new();
    for (invoice_id, credit_note_id, rate, tax_minor) in rows {
        let currency = currency_of(invoice_id, credit_note_id).ok_or_else(|| {
            StorageError::Corrupt(format!(
                "VAT awaiting payment of a missing document ({invoice_id:?}, {credit_note_id:?})"
            ))
        })?;
        let row = app::domain::journal::RateTax {
            rate: rate
                .parse()
                .map_err(|_| StorageError::Corrupt(format!("VAT rate {rate}")))?,
            tax: currency.from_minor(tax_minor),
        };
        match figures.last_mut() {
            Some(last)
                if (last.invoice_id, last.credit_note_id) == (invoice_id, credit_note_id) =>
            {
                last.waiting.push(row)
            }
            _ => {
                let held = booked
                    .iter()
                    .find(|(invoice, note, _)| (*invoice, *note) == (invoice_id, credit_note_id))
                    .map_or(0, |(_, _, minor)| *minor);
                figures.push(app::domain::audit::VatWaitingFigures {
                    invoice_id,
                    credit_note_id,
                    waiting: vec![row],
                    booked: currency.from_minor(held),
                });
            }
        }
    }
    Ok(figures)
}

/// Implements [`crate::storage::AuditTx`] for `SqlTx<$db>`.
macro_rules! impl_audit_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::AuditTx for crate::storage::sql::SqlTx<$db> {
            async fn ledger_figures(
                &mut self,
            ) -> Result<app::domain::audit::LedgerFigures, crate::storage::StorageError> {
                use crate::storage::sql::audit as q;
                let invoices: Vec<app::domain::audit::InvoiceFigures> =
                    sqlx::query_as::<_, q::InvoiceRow>(q::INVOICES)
                        .fetch_all(&mut *self.tx)
                        .await?
                        .into_iter()
                        .map(q::InvoiceRow::into_figures)
                        .collect::<Result<_, _>>()?;
                let credit_notes: Vec<app::domain::audit::CreditNoteFigures> =
                    sqlx::query_as::<_, q::CreditNoteRow>(q::CREDIT_NOTES)
                        .fetch_all(&mut *self.tx)
                        .await?
                        .into_iter()
                        .map(q::CreditNoteRow::into_figures)
                        .collect::<Result<_, _>>()?;
                let allocations = sqlx::query_as::<_, q::AllocationRow>(q::ALLOCATIONS)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(q::AllocationRow::into_figures)
                    .collect::<Result<_, _>>()?;
                let counters: Vec<(i64, i64)> =
                    sqlx::query_as(q::COUNTERS).fetch_all(&mut *self.tx).await?;
                let credit_note_counters = counters
                    .into_iter()
                    .map(|(year, last)| {
                        i32::try_from(year).map(|year| (year, last)).map_err(|_| {
                            crate::storage::StorageError::Corrupt(format!("counter year {year}"))
                        })
                    })
                    .collect::<Result<_, _>>()?;
                let chart = crate::storage::JournalTx::chart_of_accounts(self)
                    .await?
                    .unwrap_or_default();
                let books = sqlx::query_as::<_, q::BookRow>(q::BOOKS)
                    .bind(&chart.receivable.code)
                    .bind(&chart.customer_credit.code)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(|row| row.into_figures(&chart))
                    .collect::<Result<_, _>>()?;
                let waiting: Vec<(Option<i64>, Option<i64>, String, i64)> =
                    sqlx::query_as(q::VAT_WAITING)
                        .fetch_all(&mut *self.tx)
                        .await?;
                let booked: Vec<(Option<i64>, Option<i64>, i64)> =
                    sqlx::query_as(q::VAT_WAITING_BOOKED)
                        .bind(&chart.vat_pending.code)
                        .fetch_all(&mut *self.tx)
                        .await?;
                let vat_waiting = q::vat_waiting(waiting, booked, &invoices, &credit_notes)?;
                Ok(app::domain::audit::LedgerFigures {
                    invoices,
                    credit_notes,
                    allocations,
                    credit_note_counters,
                    books,
                    vat_waiting,
                })
            }
        }
    };
}

pub(crate) use impl_audit_tx;
