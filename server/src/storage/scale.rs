//! Scale data for the benchmarks (`creditdesk demo --scale N`): N credit notes over N / 100
//! customers (one of them holds 12,500 notes, 5,000 of them available, a tenth in USD), an invoice for every four notes, allocations,
//! payments and gapless numbers, written by a handful of set-based statements per backend
//! rather than N service calls, so a million notes take a minute, not hours. The data keep
//! every ledger invariant: `creditdesk audit` passes on them.
//!
//! Each note `k` gets its customer, status, amount and date from `k` alone: statuses repeat
//! every 20 notes (2 draft, 1 pending approval, 1 cancelled, 8 available — half of them
//! partly linked — and 8 used), dates run over as many years as keep each year under 90,000
//! numbers, ending in the year before the first demo year.

use std::fmt;

/// The most notes one customer gets: 12,500, of which 5,000 are available, the link dialog's
/// worst case.
pub const BIG_CUSTOMER_NOTES: i64 = 12_500;
const NOTES_PER_CUSTOMER: i64 = 100;
const NOTES_PER_YEAR: i64 = 100_000;
const LAST_YEAR: i64 = 2025;
/// The most notes one run may add (ids and numbers stay far from any limit).
pub const MAX_NOTES: i64 = 10_000_000;

/// Where the new ids start: above every id given out so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdBases {
    pub customers: i64,
    pub invoices: i64,
    pub credit_notes: i64,
    pub allocations: i64,
    pub payments: i64,
}

#[derive(Clone, Copy, Debug)]
pub struct ScalePlan {
    pub credit_notes: i64,
}

impl ScalePlan {
    pub fn new(credit_notes: i64) -> Result<ScalePlan, String> {
        if !(8..=MAX_NOTES).contains(&credit_notes) {
            return Err(format!(
                "the scale is a number of credit notes from 8 to {MAX_NOTES}"
            ));
        }
        Ok(ScalePlan { credit_notes })
    }

    pub fn customers(&self) -> i64 {
        (self.credit_notes / NOTES_PER_CUSTOMER).max(2)
    }

    /// The first customer's notes: a multiple of four (an invoice's group), half the notes at
    /// most.
    pub fn big_customer_notes(&self) -> i64 {
        BIG_CUSTOMER_NOTES.min(self.credit_notes / 2) / 4 * 4
    }

    fn years(&self) -> i64 {
        (self.credit_notes + NOTES_PER_YEAR - 1) / NOTES_PER_YEAR
    }

    /// The SQL of `dialect` with this plan's figures in it.
    pub fn script(&self, dialect: Dialect, bases: &IdBases) -> String {
        let template = match dialect {
            Dialect::Sqlite => include_str!("scale/sqlite.sql"),
            Dialect::Postgres => include_str!("scale/postgres.sql"),
        };
        let years = self.years();
        [
            ("{NOTES}", self.credit_notes),
            ("{CUSTOMERS}", self.customers()),
            ("{BIG}", self.big_customer_notes()),
            ("{FIRST_YEAR}", LAST_YEAR - years + 1),
            ("{DAYS}", years * 365),
            ("{CUSTOMER_BASE}", bases.customers),
            ("{INVOICE_BASE}", bases.invoices),
            ("{NOTE_BASE}", bases.credit_notes),
            ("{ALLOCATION_BASE}", bases.allocations),
            ("{PAYMENT_BASE}", bases.payments),
        ]
        .iter()
        .fold(template.to_string(), |sql, (name, value)| {
            sql.replace(name, &value.to_string())
        })
    }
}

/// The id bases in one row: above the largest id and, where ids are never reused, above the
/// last id handed out.
pub const SQLITE_BASES: &str = "SELECT \
    (SELECT COALESCE(MAX(id), 0) FROM customers), \
    (SELECT COALESCE(MAX(id), 0) FROM invoices), \
    (SELECT COALESCE(MAX(id), 0) FROM credit_notes), \
    MAX((SELECT COALESCE(MAX(id), 0) FROM allocations), \
        COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'allocations'), 0)), \
    MAX((SELECT COALESCE(MAX(id), 0) FROM payments), \
        COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'payments'), 0))";

pub const POSTGRES_BASES: &str = "SELECT \
    GREATEST((SELECT COALESCE(MAX(id), 0) FROM customers), \
        (SELECT COALESCE(last_value, 0) FROM pg_sequences WHERE sequencename = 'customers_id_seq')), \
    GREATEST((SELECT COALESCE(MAX(id), 0) FROM invoices), \
        (SELECT COALESCE(last_value, 0) FROM pg_sequences WHERE sequencename = 'invoices_id_seq')), \
    GREATEST((SELECT COALESCE(MAX(id), 0) FROM credit_notes), \
        (SELECT COALESCE(last_value, 0) FROM pg_sequences WHERE sequencename = 'credit_notes_id_seq')), \
    GREATEST((SELECT COALESCE(MAX(id), 0) FROM allocations), \
        (SELECT COALESCE(last_value, 0) FROM pg_sequences WHERE sequencename = 'allocations_id_seq')), \
    GREATEST((SELECT COALESCE(MAX(id), 0) FROM payments), \
        (SELECT COALESCE(last_value, 0) FROM pg_sequences WHERE sequencename = 'payments_id_seq'))";

/// What a run added, counted above the bases ($1 … $5).
pub const COUNT_ADDED: &str = "SELECT \
    (SELECT COUNT(*) FROM customers WHERE id > $1), \
    (SELECT COUNT(*) FROM invoices WHERE id > $2), \
    (SELECT COUNT(*) FROM credit_notes WHERE id > $3), \
    (SELECT COUNT(*) FROM allocations WHERE id > $4), \
    (SELECT COUNT(*) FROM payments WHERE id > $5)";

impl IdBases {
    pub fn from_row((customers, invoices, credit_notes, allocations, payments): Row5) -> Self {
        IdBases {
            customers,
            invoices,
            credit_notes,
            allocations,
            payments,
        }
    }
}

pub type Row5 = (i64, i64, i64, i64, i64);

impl ScaleSeeded {
    pub fn new(plan: &ScalePlan, bases: &IdBases, added: Row5) -> Self {
        let (customers, invoices, credit_notes, allocations, payments) = added;
        ScaleSeeded {
            customers,
            invoices,
            credit_notes,
            allocations,
            payments,
            big_customer_id: bases.customers + 1,
            // The big customer's second invoice: every third one is paid, this one is open.
            big_customer_invoice_id: bases.invoices
                + if plan.big_customer_notes() >= 8 { 2 } else { 1 },
        }
    }
}

/// Runs the plan's script in the open transaction `$tx` (a `$connection`), counts what it
/// added and commits: the same steps on both backends, with their own SQL.
macro_rules! seed_in {
    ($tx:ident, $plan:expr, $dialect:expr, $bases_sql:expr, $connection:ty) => {{
        use $crate::storage::scale::{COUNT_ADDED, IdBases, Row5, ScaleSeeded};
        let bases = IdBases::from_row(
            sqlx::query_as::<_, Row5>($bases_sql)
                .fetch_one(&mut *$tx)
                .await?,
        );
        // One script of several statements; the executor is named so the borrow of the
        // script's text is not higher-ranked (sqlx's raw_sql in an async trait).
        let script = $plan.script($dialect, &bases);
        let connection: &mut $connection = &mut $tx;
        sqlx::Executor::execute(connection, sqlx::raw_sql(&script)).await?;
        let added: Row5 = sqlx::query_as(COUNT_ADDED)
            .bind(bases.customers)
            .bind(bases.invoices)
            .bind(bases.credit_notes)
            .bind(bases.allocations)
            .bind(bases.payments)
            .fetch_one(&mut *$tx)
            .await?;
        $tx.commit().await?;
        ScaleSeeded::new($plan, &bases, added)
    }};
}
pub(crate) use seed_in;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// What a scale run added.
#[derive(Clone, Debug, Default)]
pub struct ScaleSeeded {
    pub customers: i64,
    pub invoices: i64,
    pub credit_notes: i64,
    pub allocations: i64,
    pub payments: i64,
    /// The customer with the most notes, and one of its open invoices.
    pub big_customer_id: i64,
    pub big_customer_invoice_id: i64,
}

impl fmt::Display for ScaleSeeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Scale data: {} customers, {} invoices, {} credit notes, {} allocations, {} payments; \
             customer {} holds the most notes (open invoice {})",
            self.customers,
            self.invoices,
            self.credit_notes,
            self.allocations,
            self.payments,
            self.big_customer_id,
            self.big_customer_invoice_id
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled_in_both_dialects() {
        let plan = ScalePlan::new(1_000_000).unwrap();
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let sql = plan.script(dialect, &IdBases::default());
            assert!(
                !sql.contains("{NOTES}") && !sql.contains("_BASE}"),
                "{dialect:?}"
            );
            assert!(
                sql.contains("2016-01-01"),
                "ten years end in 2025: {dialect:?}"
            );
        }
        assert_eq!(
            (plan.customers(), plan.big_customer_notes()),
            (10_000, 12_500)
        );
        assert_eq!(ScalePlan::new(10).unwrap().big_customer_notes(), 4);
        assert!(ScalePlan::new(0).is_err());
    }
}
