//! The audit query of [`crate::storage::AuditTx`], for both backends. Sums are cast to BIGINT:
//! PostgreSQL's `SUM(bigint)` is `numeric`.

use app::domain::audit::{AllocationFigures, CreditNoteFigures, InvoiceFigures};
use app::domain::{
    CreditNoteBalance, CreditNoteStatus, InvoiceBalance, InvoiceKind, InvoiceStatus,
};
use chrono::{Datelike, NaiveDate};

use crate::storage::StorageError;
use crate::storage::sql::currency;

pub const INVOICES: &str = "SELECT i.id, i.number, i.customer_id, i.currency, i.kind, i.status, \
     i.total_minor, i.paid_minor, i.credited_minor, \
     CAST(COALESCE((SELECT SUM(p.amount_minor) FROM payments p WHERE p.invoice_id = i.id), 0) \
     AS BIGINT) AS payments_minor, \
     CAST(COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.invoice_id = i.id), 0) \
     AS BIGINT) AS allocations_minor \
     FROM invoices i ORDER BY i.id";

pub const CREDIT_NOTES: &str = "SELECT n.id, n.number, n.customer_id, n.currency, n.date, \
     n.status, n.total_minor, n.allocated_minor, n.refunded_minor, \
     CAST(COALESCE((SELECT SUM(a.amount_minor) FROM allocations a \
     WHERE a.credit_note_id = n.id), 0) AS BIGINT) AS allocations_minor, \
     CAST(COALESCE((SELECT SUM(r.amount_minor) FROM refunds r \
     WHERE r.credit_note_id = n.id), 0) AS BIGINT) AS refunds_minor \
     FROM credit_notes n ORDER BY n.id";

pub const ALLOCATIONS: &str = "SELECT a.id, a.invoice_id, a.credit_note_id, a.amount_minor, \
     i.currency FROM allocations a JOIN invoices i ON i.id = a.invoice_id ORDER BY a.id";

pub const COUNTERS: &str =
    "SELECT CAST(year AS BIGINT), CAST(last_number AS BIGINT) FROM credit_note_counters";

#[derive(sqlx::FromRow)]
pub struct InvoiceRow {
    id: i64,
    number: String,
    customer_id: i64,
    currency: String,
    kind: String,
    status: String,
    total_minor: i64,
    paid_minor: i64,
    credited_minor: i64,
    payments_minor: i64,
    allocations_minor: i64,
}

impl InvoiceRow {
    pub fn into_figures(self) -> Result<InvoiceFigures, StorageError> {
        let currency = currency(&self.currency)?;
        Ok(InvoiceFigures {
            number: self.number,
            kind: InvoiceKind::parse(&self.kind)
                .ok_or_else(|| StorageError::Corrupt(format!("invoice kind {}", self.kind)))?,
            balance: InvoiceBalance {
                id: self.id,
                customer_id: self.customer_id,
                currency,
                status: InvoiceStatus::parse(&self.status).ok_or_else(|| {
                    StorageError::Corrupt(format!("invoice status {}", self.status))
                })?,
                total: currency.from_minor(self.total_minor),
                paid: currency.from_minor(self.paid_minor),
                credited: currency.from_minor(self.credited_minor),
            },
            payments: currency.from_minor(self.payments_minor),
            allocations: currency.from_minor(self.allocations_minor),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct CreditNoteRow {
    id: i64,
    number: Option<String>,
    customer_id: i64,
    currency: String,
    date: NaiveDate,
    status: String,
    total_minor: i64,
    allocated_minor: i64,
    refunded_minor: i64,
    allocations_minor: i64,
    refunds_minor: i64,
}

impl CreditNoteRow {
    pub fn into_figures(self) -> Result<CreditNoteFigures, StorageError> {
        let currency = currency(&self.currency)?;
        Ok(CreditNoteFigures {
            number: self.number,
            year: self.date.year(),
            balance: CreditNoteBalance {
                id: self.id,
                customer_id: self.customer_id,
                currency,
                status: CreditNoteStatus::parse(&self.status).ok_or_else(|| {
                    StorageError::Corrupt(format!("credit note status {}", self.status))
                })?,
                total: currency.from_minor(self.total_minor),
                allocated: currency.from_minor(self.allocated_minor),
                refunded: currency.from_minor(self.refunded_minor),
            },
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

/// Implements [`crate::storage::AuditTx`] for `SqlTx<$db>`.
macro_rules! impl_audit_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::AuditTx for crate::storage::sql::SqlTx<$db> {
            async fn ledger_figures(
                &mut self,
            ) -> Result<app::domain::audit::LedgerFigures, crate::storage::StorageError> {
                use crate::storage::sql::audit as q;
                let invoices = sqlx::query_as::<_, q::InvoiceRow>(q::INVOICES)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(q::InvoiceRow::into_figures)
                    .collect::<Result<_, _>>()?;
                let credit_notes = sqlx::query_as::<_, q::CreditNoteRow>(q::CREDIT_NOTES)
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
                Ok(app::domain::audit::LedgerFigures {
                    invoices,
                    credit_notes,
                    allocations,
                    credit_note_counters,
                })
            }
        }
    };
}

pub(crate) use impl_audit_tx;
