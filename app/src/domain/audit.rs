//! The ledger's invariants, checked over stored figures: every stored amount equals the sum of
//! what made it (allocations, payments, refunds), nothing is negative or above its document,
//! statuses agree with amounts, allocations join documents of one customer and currency, and
//! credit-note numbers run gapless from 1 each year; and the books agree with the documents:
//! per customer and currency, the journal's receivable is what the issued invoices are still
//! owed and its customer credit what the finalized notes still hold, and per document its VAT
//! awaiting payment what its settlement leaves waiting. `creditdesk audit`, the
//! stress test and the crash test all ask these questions, so they are written once, here.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::Currency;
use super::journal::{RateTax, Subledger, customer_id_of};
use super::lifecycle::{InvoiceKind, is_finalized};
use super::linking::{CreditNoteBalance, InvoiceBalance};
use super::numbering::CreditNoteNumber;
use super::status::{CreditNoteStatus, InvoiceStatus};

/// An invoice as stored, with the sums of what settles it.
#[derive(Clone, Debug)]
pub struct InvoiceFigures {
    pub number: String,
    pub kind: InvoiceKind,
    pub balance: InvoiceBalance,
    pub payments: Decimal,
    pub allocations: Decimal,
}

/// A credit note as stored, with the sums of what it gave.
#[derive(Clone, Debug)]
pub struct CreditNoteFigures {
    pub number: Option<String>,
    /// The year of the note's date: its number must carry it.
    pub year: i32,
    /// Issued by another system under its own number: outside this desk's series.
    pub imported: bool,
    pub balance: CreditNoteBalance,
    pub allocations: Decimal,
    pub refunds: Decimal,
}

#[derive(Clone, Copy, Debug)]
pub struct AllocationFigures {
    pub id: i64,
    pub invoice_id: i64,
    pub credit_note_id: i64,
    pub amount: Decimal,
}

/// A sum of journal lines (debit − credit) on one customer ledger. Lines name their
/// customer's own account; lines written before they did are summed per document instead.
#[derive(Clone, Debug)]
pub struct BookFigures {
    pub ledger: Subledger,
    /// The customer's own account the lines name (`C000042`).
    pub customer_account: Option<String>,
    /// For lines that name no customer: the documents of their entry.
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub currency: Currency,
    pub balance: Decimal,
}

/// Everything the audit reads, from one consistent snapshot.
#[derive(Clone, Debug, Default)]
pub struct LedgerFigures {
    pub invoices: Vec<InvoiceFigures>,
    pub credit_notes: Vec<CreditNoteFigures>,
    pub allocations: Vec<AllocationFigures>,
    /// The last credit-note sequence given out, per year.
    pub credit_note_counters: Vec<(i32, i64)>,
    /// The journal's customer ledgers.
    pub books: Vec<BookFigures>,
    /// Per document some of whose VAT waits for payment, what the journal holds for it.
    pub vat_waiting: Vec<VatWaitingFigures>,
}

/// A document some of whose VAT waits for payment (services, without the option for debits):
/// what waits, fixed when it was issued, and what the journal holds for it on the account of
/// VAT awaiting payment (44574 of the chart in force).
#[derive(Clone, Debug)]
pub struct VatWaitingFigures {
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub waiting: Vec<RateTax>,
    /// Credit − debit of its entries' lines on that account.
    pub booked: Decimal,
}

/// One broken invariant: which document, which rule, and the figures that break it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub document: String,
    pub rule: &'static str,
    pub detail: String,
}

/// What an audit found.
#[derive(Clone, Debug, Default)]
pub struct AuditReport {
    pub invoices: usize,
    pub credit_notes: usize,
    pub allocations: usize,
    pub findings: Vec<Finding>,
}

/// Checks every invariant over `figures`.
pub fn audit(figures: &LedgerFigures) -> AuditReport {
    let mut findings = Vec::new();
    for invoice in &figures.invoices {
        check_invoice(invoice, &mut findings);
    }
    for note in &figures.credit_notes {
        check_credit_note(note, &mut findings);
    }
    check_allocations(figures, &mut findings);
    check_numbering(figures, &mut findings);
    check_books(figures, &mut findings);
    check_vat_waiting(figures, &mut findings);
    AuditReport {
        invoices: figures.invoices.len(),
        credit_notes: figures.credit_notes.len(),
        allocations: figures.allocations.len(),
        findings,
    }
}

fn invoice_name(invoice: &InvoiceFigures) -> String {
    format!("invoice {} (id {})", invoice.number, invoice.balance.id)
}

fn note_name(note: &CreditNoteFigures) -> String {
    match &note.number {
        Some(number) => format!("credit note {number} (id {})", note.balance.id),
        None => format!("credit note id {}", note.balance.id),
    }
}

fn check_invoice(invoice: &InvoiceFigures, findings: &mut Vec<Finding>) {
    let b = &invoice.balance;
    let mut find = |rule, detail: String| {
        findings.push(Finding {
            document: invoice_name(invoice),
            rule,
            detail,
        })
    };
    if b.paid != invoice.payments {
        find(
            "paid_equals_payments",
            format!("paid {} but payments sum to {}", b.paid, invoice.payments),
        );
    }
    if b.credited != invoice.allocations {
        find(
            "credited_equals_allocations",
            format!(
                "credited {} but allocations sum to {}",
                b.credited, invoice.allocations
            ),
        );
    }
    if b.paid.is_sign_negative() || b.credited.is_sign_negative() {
        find(
            "not_negative",
            format!("paid {}, credited {}", b.paid, b.credited),
        );
    }
    // A correction invoice is the negative of another: it is neither paid nor credited.
    if invoice.kind == InvoiceKind::Correction {
        return;
    }
    let settled = b.paid.saturating_add(b.credited);
    if settled > b.total {
        find(
            "within_total",
            format!(
                "paid {} + credited {} > total {}",
                b.paid, b.credited, b.total
            ),
        );
    }
    let outstanding = b.outstanding();
    let agrees = match b.status {
        InvoiceStatus::Paid => outstanding.is_zero(),
        InvoiceStatus::Pending => !outstanding.is_zero() || b.total.is_zero(),
        InvoiceStatus::Draft => b.paid.is_zero() && b.credited.is_zero(),
        // Cancelled by the credit note applied to it (settled), or, before cancelling issued
        // one, by reversing its entry (nothing credited).
        InvoiceStatus::Cancelled => b.credited.is_zero() || outstanding.is_zero(),
    };
    if !agrees {
        find(
            "status_agrees_with_amounts",
            format!(
                "{} with total {}, paid {}, credited {}",
                b.status.as_str(),
                b.total,
                b.paid,
                b.credited
            ),
        );
    }
}

fn check_credit_note(note: &CreditNoteFigures, findings: &mut Vec<Finding>) {
    let b = &note.balance;
    let mut find = |rule, detail: String| {
        findings.push(Finding {
            document: note_name(note),
            rule,
            detail,
        })
    };
    if b.allocated != note.allocations {
        find(
            "allocated_equals_allocations",
            format!(
                "allocated {} but allocations sum to {}",
                b.allocated, note.allocations
            ),
        );
    }
    if b.refunded != note.refunds {
        find(
            "refunded_equals_refunds",
            format!(
                "refunded {} but refunds sum to {}",
                b.refunded, note.refunds
            ),
        );
    }
    if [b.total, b.allocated, b.refunded, b.voided]
        .iter()
        .any(|amount| amount.is_sign_negative())
    {
        find(
            "not_negative",
            format!(
                "total {}, allocated {}, refunded {}, voided {}",
                b.total, b.allocated, b.refunded, b.voided
            ),
        );
    }
    if b.allocated
        .saturating_add(b.refunded)
        .saturating_add(b.voided)
        > b.total
    {
        find(
            "within_total",
            format!(
                "allocated {} + refunded {} + voided {} > total {}",
                b.allocated, b.refunded, b.voided, b.total
            ),
        );
    }
    let remaining = b.remaining();
    let untouched = b.allocated.is_zero() && b.refunded.is_zero() && b.voided.is_zero();
    let agrees = match b.status {
        CreditNoteStatus::Draft | CreditNoteStatus::PendingApproval => untouched,
        // A note of zero has nothing to give and stays available.
        CreditNoteStatus::Available => !remaining.is_zero() || b.total.is_zero(),
        CreditNoteStatus::Used => remaining.is_zero(),
        // A cancel reverses the whole note: only a note nothing settled may be cancelled.
        CreditNoteStatus::Cancelled => untouched,
    };
    if !agrees {
        find(
            "status_agrees_with_amounts",
            format!(
                "{} with total {}, allocated {}, refunded {}, voided {}",
                b.status.as_str(),
                b.total,
                b.allocated,
                b.refunded,
                b.voided
            ),
        );
    }
    if is_finalized(b.status) != note.number.is_some() {
        find(
            "numbered_when_finalized",
            format!("{} with number {:?}", b.status.as_str(), note.number),
        );
    }
}

fn check_allocations(figures: &LedgerFigures, findings: &mut Vec<Finding>) {
    let invoices: HashMap<i64, &InvoiceFigures> =
        figures.invoices.iter().map(|i| (i.balance.id, i)).collect();
    let notes: HashMap<i64, &CreditNoteFigures> = figures
        .credit_notes
        .iter()
        .map(|n| (n.balance.id, n))
        .collect();
    for allocation in &figures.allocations {
        let mut find = |rule, detail: String| {
            findings.push(Finding {
                document: format!("allocation id {}", allocation.id),
                rule,
                detail,
            })
        };
        let (Some(invoice), Some(note)) = (
            invoices.get(&allocation.invoice_id),
            notes.get(&allocation.credit_note_id),
        ) else {
            find(
                "joins_documents",
                "its invoice or credit note is missing".into(),
            );
            continue;
        };
        if allocation.amount <= Decimal::ZERO {
            find("positive", format!("amount {}", allocation.amount));
        }
        if invoice.balance.customer_id != note.balance.customer_id {
            find(
                "same_customer",
                format!("{} and {}", invoice_name(invoice), note_name(note)),
            );
        }
        if invoice.balance.currency != note.balance.currency {
            find(
                "same_currency",
                format!(
                    "{} in {}, {} in {}",
                    invoice_name(invoice),
                    invoice.balance.currency.code(),
                    note_name(note),
                    note.balance.currency.code()
                ),
            );
        }
        // A cancelled invoice keeps the credit note that cancelled it.
        if !matches!(
            invoice.balance.status,
            InvoiceStatus::Pending | InvoiceStatus::Paid | InvoiceStatus::Cancelled
        ) || !matches!(
            note.balance.status,
            CreditNoteStatus::Available | CreditNoteStatus::Used
        ) {
            find(
                "between_open_documents",
                format!(
                    "{} is {}, {} is {}",
                    invoice_name(invoice),
                    invoice.balance.status.as_str(),
                    note_name(note),
                    note.balance.status.as_str()
                ),
            );
        }
    }
}

/// One customer ledger in one currency (by its code, so keys sort).
type BookKey = (i64, &'static str, Subledger);

/// What the documents say each customer ledger holds, as the journal keeps it (debit −
/// credit): an issued invoice is owed its total less what paid and credited it (a cancelled one
/// too when the note that cancelled it is applied to it; nothing when its entry was reversed);
/// a finalized note owes the customer what remains of it.
fn expected_books(figures: &LedgerFigures) -> BTreeMap<BookKey, Decimal> {
    let mut expected: BTreeMap<BookKey, Decimal> = BTreeMap::new();
    for invoice in &figures.invoices {
        let b = &invoice.balance;
        let owed = match b.status {
            InvoiceStatus::Draft => continue,
            InvoiceStatus::Cancelled if b.credited.is_zero() => Decimal::ZERO,
            InvoiceStatus::Cancelled | InvoiceStatus::Pending | InvoiceStatus::Paid => b.total,
        };
        let owed = owed.saturating_sub(b.paid).saturating_sub(b.credited);
        let sum = expected
            .entry((b.customer_id, b.currency.code(), Subledger::Receivable))
            .or_default();
        *sum = sum.saturating_add(owed);
    }
    for note in &figures.credit_notes {
        let b = &note.balance;
        if !matches!(
            b.status,
            CreditNoteStatus::Available | CreditNoteStatus::Used
        ) {
            continue;
        }
        let sum = expected
            .entry((b.customer_id, b.currency.code(), Subledger::CustomerCredit))
            .or_default();
        *sum = sum.saturating_sub(b.remaining());
    }
    expected
}

/// A customer ledger on which the journal and the documents disagree; amounts as the journal
/// keeps them (debit − credit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookDifference {
    pub customer_id: i64,
    pub currency: &'static str,
    pub ledger: Subledger,
    pub documents: Decimal,
    pub books: Decimal,
}

/// Per customer and currency, where the journal's receivable or customer credit differs from
/// what the issued invoices are still owed or what the finalized notes still hold; and the
/// findings for journal lines that name no known customer.
pub fn book_differences(figures: &LedgerFigures) -> (Vec<BookDifference>, Vec<Finding>) {
    let invoice_customers: HashMap<i64, i64> = figures
        .invoices
        .iter()
        .map(|i| (i.balance.id, i.balance.customer_id))
        .collect();
    let note_customers: HashMap<i64, i64> = figures
        .credit_notes
        .iter()
        .map(|n| (n.balance.id, n.balance.customer_id))
        .collect();
    let mut unattributed = Vec::new();
    let mut journal: BTreeMap<BookKey, Decimal> = BTreeMap::new();
    for book in &figures.books {
        let customer = match &book.customer_account {
            Some(account) => customer_id_of(account),
            None => book
                .invoice_id
                .and_then(|id| invoice_customers.get(&id).copied())
                .or_else(|| {
                    book.credit_note_id
                        .and_then(|id| note_customers.get(&id).copied())
                }),
        };
        let Some(customer) = customer else {
            if !book.balance.is_zero() {
                unattributed.push(Finding {
                    document: format!("{} lines", book.ledger.as_str()),
                    rule: "books_name_their_customer",
                    detail: format!(
                        "{} {} on account {:?} of no known customer",
                        book.balance,
                        book.currency.code(),
                        book.customer_account
                    ),
                });
            }
            continue;
        };
        let sum = journal
            .entry((customer, book.currency.code(), book.ledger))
            .or_default();
        *sum = sum.saturating_add(book.balance);
    }
    let expected = expected_books(figures);
    let keys: std::collections::BTreeSet<&BookKey> =
        expected.keys().chain(journal.keys()).collect();
    let differences = keys
        .into_iter()
        .filter_map(|key @ (customer_id, currency, ledger)| {
            let documents = expected.get(key).copied().unwrap_or_default();
            let books = journal.get(key).copied().unwrap_or_default();
            (documents != books).then_some(BookDifference {
                customer_id: *customer_id,
                currency,
                ledger: *ledger,
                documents,
                books,
            })
        })
        .collect();
    (differences, unattributed)
}

/// What of each document's VAT still waits in the journal is what its settlement leaves
/// waiting: its VAT awaiting payment less the share of what was paid, applied, refunded or
/// voided (CGI art. 269-2-c). An invoice's waits on the credit side, a credit note's on the
/// debit side.
fn check_vat_waiting(figures: &LedgerFigures, findings: &mut Vec<Finding>) {
    for vat in &figures.vat_waiting {
        let document = match (vat.invoice_id, vat.credit_note_id) {
            (Some(id), _) => figures
                .invoices
                .iter()
                .find(|invoice| invoice.balance.id == id)
                .map(|invoice| {
                    let balance = &invoice.balance;
                    let settled = balance.settled();
                    (
                        invoice_name(invoice),
                        balance.currency,
                        balance.total,
                        settled,
                        Decimal::ONE,
                    )
                }),
            (None, Some(id)) => figures
                .credit_notes
                .iter()
                .find(|note| note.balance.id == id)
                .map(|note| {
                    let balance = &note.balance;
                    let settled = balance.settled();
                    (
                        note_name(note),
                        balance.currency,
                        balance.total,
                        settled,
                        -Decimal::ONE,
                    )
                }),
            (None, None) => None,
        };
        let Some((name, currency, total, settled, side)) = document else {
            continue;
        };
        let sum = |rows: &[RateTax]| {
            rows.iter()
                .try_fold(Decimal::ZERO, |sum, row| sum.checked_add(row.tax))
        };
        let due = super::journal::vat_released(&vat.waiting, total, settled, currency).ok();
        let expected = match (sum(&vat.waiting), due.as_deref().and_then(sum)) {
            (Some(waiting), Some(due)) => waiting.checked_sub(due).map(|left| left * side),
            _ => None,
        };
        if expected != Some(vat.booked) {
            let expected = expected.map_or_else(
                || "too much to add up".to_string(),
                |left| (left * side).to_string(),
            );
            findings.push(Finding {
                document: name,
                rule: "vat_awaiting_payment_in_books",
                detail: format!(
                    "the journal holds {} of VAT awaiting payment, its settlement leaves {expected}",
                    vat.booked * side,
                ),
            });
        }
    }
}

/// Per customer and currency, the journal's receivable and customer credit equal what the
/// issued invoices are still owed and what the finalized notes still hold (Code de commerce
/// art. L123-14: the accounts give a true picture of the ledger they summarise).
fn check_books(figures: &LedgerFigures, findings: &mut Vec<Finding>) {
    let (differences, unattributed) = book_differences(figures);
    findings.extend(unattributed);
    for difference in differences {
        let BookDifference {
            customer_id,
            currency,
            ledger,
            documents,
            books,
        } = difference;
        let (rule, detail) = match ledger {
            Subledger::Receivable => (
                "receivable_agrees_with_invoices",
                format!(
                    "the journal's receivable is {books}, the issued invoices are owed {documents}"
                ),
            ),
            Subledger::CustomerCredit => (
                "customer_credit_agrees_with_notes",
                format!(
                    "the journal's customer credit is {}, the finalized notes hold {}",
                    -books, -documents
                ),
            ),
        };
        findings.push(Finding {
            document: format!("customer id {customer_id} in {currency}"),
            rule,
            detail,
        });
    }
}

/// Each year's numbers are exactly 1 ..= the counter, each once, in the note's own year.
fn check_numbering(figures: &LedgerFigures, findings: &mut Vec<Finding>) {
    let mut by_year: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    for note in figures.credit_notes.iter().filter(|note| !note.imported) {
        let Some(text) = &note.number else { continue };
        match text.parse::<CreditNoteNumber>() {
            Ok(number) if number.year() == note.year => by_year
                .entry(number.year())
                .or_default()
                .push(number.sequence()),
            Ok(number) => findings.push(Finding {
                document: note_name(note),
                rule: "numbered_in_its_year",
                detail: format!("dated {} but numbered in {}", note.year, number.year()),
            }),
            Err(error) => findings.push(Finding {
                document: note_name(note),
                rule: "number_well_formed",
                detail: error.to_string(),
            }),
        }
    }
    let counters: HashMap<i32, i64> = figures.credit_note_counters.iter().copied().collect();
    let years: std::collections::BTreeSet<i32> =
        by_year.keys().chain(counters.keys()).copied().collect();
    for year in years {
        let mut sequences = by_year.remove(&year).unwrap_or_default();
        sequences.sort_unstable();
        let counter = counters.get(&year).copied().unwrap_or(0);
        let expected = 1..=u32::try_from(counter).unwrap_or(0);
        let gapless =
            sequences.len() == expected.clone().count() && sequences.iter().copied().eq(expected);
        if !gapless {
            let duplicates = sequences.windows(2).filter(|w| w[0] == w[1]).count();
            findings.push(Finding {
                document: format!("credit-note numbers of {year}"),
                rule: "gapless_and_unique",
                detail: format!(
                    "{} numbers ({} repeated) for a counter at {counter}",
                    sequences.len(),
                    duplicates
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use rust_decimal::dec;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn invoice(id: i64, total: Decimal, paid: Decimal, credited: Decimal) -> InvoiceFigures {
        let status = if total == paid + credited {
            InvoiceStatus::Paid
        } else {
            InvoiceStatus::Pending
        };
        InvoiceFigures {
            number: format!("INV-{id}"),
            kind: InvoiceKind::Standard,
            balance: InvoiceBalance {
                id,
                customer_id: 1,
                currency: eur(),
                status,
                total,
                paid,
                credited,
            },
            payments: paid,
            allocations: credited,
        }
    }

    fn note(id: i64, sequence: i64, total: Decimal, allocated: Decimal) -> CreditNoteFigures {
        let status = if total == allocated {
            CreditNoteStatus::Used
        } else {
            CreditNoteStatus::Available
        };
        CreditNoteFigures {
            number: Some(CreditNoteNumber::new(2026, sequence).unwrap().to_string()),
            year: 2026,
            imported: false,
            balance: CreditNoteBalance {
                id,
                customer_id: 1,
                currency: eur(),
                status,
                total,
                allocated,
                refunded: Decimal::ZERO,
                voided: Decimal::ZERO,
            },
            allocations: allocated,
            refunds: Decimal::ZERO,
        }
    }

    fn ledger() -> LedgerFigures {
        LedgerFigures {
            invoices: vec![invoice(1, dec!(100.00), dec!(20.00), dec!(80.00))],
            credit_notes: vec![
                note(1, 1, dec!(80.00), dec!(80.00)),
                note(2, 2, dec!(5.00), dec!(0)),
            ],
            allocations: vec![AllocationFigures {
                id: 1,
                invoice_id: 1,
                credit_note_id: 1,
                amount: dec!(80.00),
            }],
            credit_note_counters: vec![(2026, 2)],
            // Invoice 1 is settled; note 2 holds 5.00 for the customer.
            books: vec![
                book(Subledger::Receivable, Some("C000001"), None, dec!(0.00)),
                book(
                    Subledger::CustomerCredit,
                    Some("C000001"),
                    None,
                    dec!(-5.00),
                ),
            ],
            vat_waiting: Vec::new(),
        }
    }

    fn book(
        ledger: Subledger,
        account: Option<&str>,
        invoice_id: Option<i64>,
        balance: Decimal,
    ) -> BookFigures {
        BookFigures {
            ledger,
            customer_account: account.map(str::to_string),
            invoice_id,
            credit_note_id: None,
            currency: eur(),
            balance,
        }
    }

    fn rules(figures: &LedgerFigures) -> Vec<&'static str> {
        audit(figures).findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_consistent_ledger_has_no_findings() {
        assert_eq!(audit(&ledger()).findings, vec![]);
    }

    #[test]
    fn stored_amounts_must_equal_their_sums() {
        let mut figures = ledger();
        figures.invoices[0].payments = dec!(10.00);
        figures.credit_notes[0].allocations = dec!(70.00);
        assert_eq!(
            rules(&figures),
            ["paid_equals_payments", "allocated_equals_allocations"]
        );
    }

    #[test]
    fn statuses_must_agree_with_amounts() {
        let mut figures = ledger();
        figures.invoices[0].balance.status = InvoiceStatus::Pending;
        figures.credit_notes[1].balance.status = CreditNoteStatus::Used;
        assert_eq!(
            rules(&figures),
            ["status_agrees_with_amounts", "status_agrees_with_amounts"]
        );
    }

    /// A cancelled note with a refund left −refund of customer credit nobody owes; a voided
    /// note is used with nothing remaining.
    #[test]
    fn a_cancelled_note_was_never_settled_and_a_voided_one_is_used() {
        let mut figures = ledger();
        figures.credit_notes[1].refunds = dec!(2.00);
        figures.credit_notes[1].balance.refunded = dec!(2.00);
        figures.credit_notes[1].balance.status = CreditNoteStatus::Cancelled;
        // The journal then holds −5.00 + 5.00 reversed + 2.00 refunded: 2.00 nobody owes.
        figures.books[1].balance = dec!(2.00);
        assert_eq!(
            rules(&figures),
            [
                "status_agrees_with_amounts",
                "customer_credit_agrees_with_notes"
            ]
        );
        figures.credit_notes[1].balance.voided = dec!(3.00);
        figures.credit_notes[1].balance.status = CreditNoteStatus::Used;
        figures.books[1].balance = dec!(0.00);
        assert_eq!(audit(&figures).findings, vec![]);
        // A cent too much written off: above the total, so something remains below zero.
        figures.credit_notes[1].balance.voided = dec!(3.01);
        assert_eq!(
            rules(&figures),
            [
                "within_total",
                "status_agrees_with_amounts",
                "customer_credit_agrees_with_notes"
            ]
        );
    }

    /// Code de commerce art. L123-14: the journal's customer ledgers agree with the documents;
    /// lines written before they named customers count through their document.
    #[test]
    fn the_books_agree_with_the_documents_per_customer() {
        let mut figures = ledger();
        figures.books[0].balance = dec!(10.00);
        let report = audit(&figures);
        assert_eq!(
            report.findings,
            [Finding {
                document: "customer id 1 in EUR".into(),
                rule: "receivable_agrees_with_invoices",
                detail: "the journal's receivable is 10.00, the issued invoices are owed 0.00"
                    .into(),
            }]
        );
        // An older line without a customer counts for its invoice's customer.
        figures.books[0].balance = dec!(0.00);
        figures.invoices[0].balance.paid = dec!(10.00);
        figures.invoices[0].payments = dec!(10.00);
        figures.invoices[0].balance.status = InvoiceStatus::Pending;
        figures
            .books
            .push(book(Subledger::Receivable, None, Some(1), dec!(10.00)));
        assert_eq!(audit(&figures).findings, vec![]);
        // A document with no entry at all is a gap in the books.
        figures.books.clear();
        assert_eq!(
            rules(&figures),
            [
                "receivable_agrees_with_invoices",
                "customer_credit_agrees_with_notes"
            ]
        );
    }

    #[test]
    fn allocations_join_one_customer_and_currency() {
        let mut figures = ledger();
        figures.credit_notes[0].balance.customer_id = 2;
        figures.credit_notes[0].balance.currency = Currency::parse("USD").unwrap();
        assert_eq!(rules(&figures), ["same_customer", "same_currency"]);
    }

    #[test]
    fn numbers_run_gapless_from_one_each_year() {
        let mut figures = ledger();
        figures.credit_notes[1].number = Some("CN-2026-00003".into());
        figures.credit_note_counters = vec![(2026, 3)];
        assert_eq!(rules(&figures), ["gapless_and_unique"]);
        figures.credit_notes[1].number = Some("CN-2026-00001".into());
        figures.credit_note_counters = vec![(2026, 2)];
        assert_eq!(rules(&figures), ["gapless_and_unique"]);
    }

    /// CGI annexe II art. 242 nonies A, I-7°: the series is this desk's own; a note issued by
    /// another system keeps that system's number and is not counted in it.
    #[test]
    fn imported_notes_stand_outside_the_series() {
        let mut figures = ledger();
        figures.credit_notes[1].number = Some("AV-100".into());
        figures.credit_note_counters = vec![(2026, 1)];
        assert_eq!(rules(&figures), ["number_well_formed"]);
        figures.credit_notes[1].imported = true;
        assert_eq!(rules(&figures), Vec::<&str>::new());
    }
}
