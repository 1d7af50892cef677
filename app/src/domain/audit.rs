//! The ledger's invariants, checked over stored figures: every stored amount equals the sum of
//! what made it (allocations, payments, refunds), nothing is negative or above its document,
//! statuses agree with amounts, allocations join documents of one customer and currency, and
//! credit-note numbers run gapless from 1 each year. `creditdesk audit`, the stress test and
//! the crash test all ask these questions, so they are written once, here.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

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

/// Everything the audit reads, from one consistent snapshot.
#[derive(Clone, Debug, Default)]
pub struct LedgerFigures {
    pub invoices: Vec<InvoiceFigures>,
    pub credit_notes: Vec<CreditNoteFigures>,
    pub allocations: Vec<AllocationFigures>,
    /// The last credit-note sequence given out, per year.
    pub credit_note_counters: Vec<(i32, i64)>,
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
        InvoiceStatus::Cancelled => b.credited.is_zero(),
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
    if b.total.is_sign_negative() || b.allocated.is_sign_negative() || b.refunded.is_sign_negative()
    {
        find(
            "not_negative",
            format!(
                "total {}, allocated {}, refunded {}",
                b.total, b.allocated, b.refunded
            ),
        );
    }
    if b.allocated.saturating_add(b.refunded) > b.total {
        find(
            "within_total",
            format!(
                "allocated {} + refunded {} > total {}",
                b.allocated, b.refunded, b.total
            ),
        );
    }
    let remaining = b.remaining();
    let agrees = match b.status {
        CreditNoteStatus::Draft | CreditNoteStatus::PendingApproval => {
            b.allocated.is_zero() && b.refunded.is_zero()
        }
        // A note of zero has nothing to give and stays available.
        CreditNoteStatus::Available => !remaining.is_zero() || b.total.is_zero(),
        CreditNoteStatus::Used => remaining.is_zero(),
        CreditNoteStatus::Cancelled => b.allocated.is_zero(),
    };
    if !agrees {
        find(
            "status_agrees_with_amounts",
            format!(
                "{} with total {}, allocated {}, refunded {}",
                b.status.as_str(),
                b.total,
                b.allocated,
                b.refunded
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
        if !matches!(
            invoice.balance.status,
            InvoiceStatus::Pending | InvoiceStatus::Paid
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

/// Each year's numbers are exactly 1 ..= the counter, each once, in the note's own year.
fn check_numbering(figures: &LedgerFigures, findings: &mut Vec<Finding>) {
    let mut by_year: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    for note in &figures.credit_notes {
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
            balance: CreditNoteBalance {
                id,
                customer_id: 1,
                currency: eur(),
                status,
                total,
                allocated,
                refunded: Decimal::ZERO,
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
}
