//! Properties of the link, unlink, refund and payment plans over random sequences of actions:
//! whatever happens, nothing is over-credited or over-spent, statuses agree with amounts, and
//! an unlink right after a link restores the exact state before it.

use app::domain::{
    AllocationRequest, CreditNoteBalance, CreditNoteStatus, Currency, InvoiceBalance,
    InvoiceStatus, plan_allocations, plan_mark_paid, plan_mark_pending, plan_payment, plan_refund,
    plan_unlink,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Clone, Debug)]
enum Action {
    Link { note: usize, amount: Option<i64> },
    Unlink { allocation: usize },
    Refund { note: usize, amount: i64 },
    Payment { amount: i64 },
    MarkPaid,
    MarkPending,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..4usize, proptest::option::of(1..6_000i64)).prop_map(|(note, amount)| Action::Link { note, amount }),
        2 => (0..8usize).prop_map(|allocation| Action::Unlink { allocation }),
        1 => (0..4usize, 1..6_000i64).prop_map(|(note, amount)| Action::Refund { note, amount }),
        1 => (1..6_000i64).prop_map(|amount| Action::Payment { amount }),
        1 => Just(Action::MarkPaid),
        1 => Just(Action::MarkPending),
    ]
}

fn cents(minor: i64) -> Decimal {
    Decimal::new(minor, 2)
}

struct Ledger {
    invoice: InvoiceBalance,
    notes: Vec<CreditNoteBalance>,
    allocations: Vec<(usize, Decimal)>,
    mark_paid_payments: Decimal,
}

impl Ledger {
    fn new(invoice_total: i64, note_totals: &[i64]) -> Self {
        let eur = Currency::parse("EUR").unwrap();
        Ledger {
            invoice: InvoiceBalance {
                id: 1,
                customer_id: 7,
                currency: eur,
                status: InvoiceStatus::Pending,
                total: cents(invoice_total),
                paid: cents(0),
                credited: cents(0),
            },
            notes: note_totals
                .iter()
                .enumerate()
                .map(|(i, total)| CreditNoteBalance {
                    id: i as i64 + 1,
                    customer_id: 7,
                    currency: eur,
                    status: CreditNoteStatus::Available,
                    total: cents(*total),
                    allocated: cents(0),
                    refunded: cents(0),
                    voided: cents(0),
                })
                .collect(),
            allocations: Vec::new(),
            mark_paid_payments: cents(0),
        }
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Link { note, amount } => {
                let Some(target) = self.notes.get(note).cloned() else {
                    return;
                };
                let request = AllocationRequest {
                    credit_note_id: target.id,
                    amount: amount.map(cents),
                };
                if let Ok(plan) = plan_allocations(&self.invoice, &self.notes, &[request]) {
                    let (_, amount) = plan.allocations[0];
                    // Unlinking straight away gives back exactly what was there.
                    let (invoice_back, note_back) =
                        plan_unlink(&plan.invoice, &plan.notes[0], amount);
                    assert_eq!(invoice_back, self.invoice);
                    assert_eq!(note_back, target);
                    self.invoice = plan.invoice;
                    self.notes[note] = plan.notes[0].clone();
                    self.allocations.push((note, amount));
                }
            }
            Action::Unlink { allocation } => {
                if allocation < self.allocations.len() {
                    let (note, amount) = self.allocations.remove(allocation);
                    let (invoice, planned) = plan_unlink(&self.invoice, &self.notes[note], amount);
                    self.invoice = invoice;
                    self.notes[note] = planned;
                }
            }
            Action::Refund { note, amount } => {
                if let Some(Ok(planned)) = self
                    .notes
                    .get(note)
                    .map(|target| plan_refund(target, cents(amount)))
                {
                    self.notes[note] = planned;
                }
            }
            Action::Payment { amount } => {
                if let Ok(invoice) = plan_payment(&self.invoice, cents(amount)) {
                    self.invoice = invoice;
                }
            }
            Action::MarkPaid => {
                if let Ok((invoice, payment)) = plan_mark_paid(&self.invoice) {
                    self.invoice = invoice;
                    self.mark_paid_payments += payment;
                }
            }
            Action::MarkPending => {
                let linked = !self.allocations.is_empty();
                if let Ok(invoice) =
                    plan_mark_pending(&self.invoice, linked, self.mark_paid_payments)
                {
                    self.invoice = invoice;
                    self.mark_paid_payments = cents(0);
                }
            }
        }
    }

    fn check(&self) {
        let invoice = &self.invoice;
        assert!(
            invoice.credited + invoice.paid <= invoice.total,
            "over-settled: {invoice:?}"
        );
        assert!(invoice.credited >= Decimal::ZERO && invoice.paid >= Decimal::ZERO);
        assert_eq!(
            invoice.status == InvoiceStatus::Paid,
            invoice.outstanding().is_zero(),
            "invoice status disagrees with its amounts: {invoice:?}"
        );
        let linked: Decimal = self.allocations.iter().map(|(_, amount)| *amount).sum();
        assert_eq!(linked, invoice.credited);
        for (i, note) in self.notes.iter().enumerate() {
            assert!(note.remaining() >= Decimal::ZERO, "over-spent: {note:?}");
            assert_eq!(
                note.status == CreditNoteStatus::Used,
                note.remaining().is_zero(),
                "note status disagrees with its amounts: {note:?}"
            );
            let allocated: Decimal = self
                .allocations
                .iter()
                .filter(|(n, _)| *n == i)
                .map(|(_, amount)| *amount)
                .sum();
            assert_eq!(allocated, note.allocated);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_sequence_keeps_the_ledger_consistent(
        invoice_total in 1..20_000i64,
        note_totals in proptest::collection::vec(1..8_000i64, 1..4),
        actions in proptest::collection::vec(action(), 0..40),
    ) {
        let mut ledger = Ledger::new(invoice_total, &note_totals);
        ledger.check();
        for action in &actions {
            ledger.apply(action);
            ledger.check();
        }
    }
}
