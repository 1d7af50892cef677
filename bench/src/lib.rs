//! Fixtures for the benchmarks (a customer with thousands of credit notes), and the drivers of
//! the load, stress and crash runs: an API client and random operations with a journal.

pub mod api;
pub mod crash;
pub mod documents;
pub mod load;
pub mod scale;
pub mod server;
pub mod stress;

use app::domain::{
    AllocationRequest, CreditNoteBalance, CreditNoteStatus, Currency, InvoiceBalance, InvoiceStatus,
};
use rust_decimal::Decimal;

/// An invoice of 1,000,000.00 EUR and `count` notes of 10.00: every fifth in USD, every
/// seventh used, the rest available.
pub fn customer_with_notes(count: usize) -> (InvoiceBalance, Vec<CreditNoteBalance>) {
    let eur = Currency::parse("EUR").expect("EUR");
    let usd = Currency::parse("USD").expect("USD");
    let invoice = InvoiceBalance {
        id: 1,
        customer_id: 1,
        currency: eur,
        status: InvoiceStatus::Pending,
        total: Decimal::new(100_000_000, 2),
        paid: Decimal::new(0, 2),
        credited: Decimal::new(0, 2),
    };
    let notes = (0..count)
        .map(|i| CreditNoteBalance {
            id: i as i64 + 1,
            customer_id: 1,
            currency: if i % 5 == 0 { usd } else { eur },
            status: if i % 7 == 0 {
                CreditNoteStatus::Used
            } else {
                CreditNoteStatus::Available
            },
            total: Decimal::new(1_000, 2),
            allocated: Decimal::new(0, 2),
            refunded: Decimal::new(0, 2),
            voided: Decimal::new(0, 2),
        })
        .collect();
    (invoice, notes)
}

/// A request for every selectable note, as the dialog would send after "select all".
pub fn select_all(rows: &[app::domain::LinkableRow]) -> Vec<AllocationRequest> {
    rows.iter()
        .filter(|row| row.selectable)
        .map(|row| AllocationRequest {
            credit_note_id: row.credit_note_id,
            amount: None,
        })
        .collect()
}
