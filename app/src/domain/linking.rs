//! Linking credit notes to invoices: what the dialog may offer, and the exact effect of a
//! link or unlink. The browser uses these functions for the dialog and its preview; the server
//! calls them again inside the write transaction, against the stored state.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::lifecycle::{
    CreditNoteAction, InvoiceAction, check_credit_note_action, check_invoice_action,
};
use super::money::Currency;
use super::status::{CreditNoteStatus, InvoiceStatus};
use super::violation::{FieldPath, RuleCode, Violation};

/// The figures of an invoice that linking reads and changes. They come from storage, in i64
/// minor units, so sums of a few of them stay far inside `Decimal`'s range; the arithmetic on
/// them saturates anyway, so even a malformed balance cannot panic (and a saturated figure
/// never fits storage again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceBalance {
    pub id: i64,
    pub customer_id: i64,
    pub currency: Currency,
    pub status: InvoiceStatus,
    pub total: Decimal,
    pub paid: Decimal,
    pub credited: Decimal,
}

impl InvoiceBalance {
    /// `total − paid − credited`, never below zero.
    pub fn outstanding(&self) -> Decimal {
        self.total
            .saturating_sub(self.paid)
            .saturating_sub(self.credited)
            .max(self.currency.zero())
    }

    /// What settles it so far: paid and credited.
    pub fn settled(&self) -> Decimal {
        self.paid.saturating_add(self.credited)
    }
}

/// The figures of a credit note that linking reads and changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteBalance {
    pub id: i64,
    pub customer_id: i64,
    pub currency: Currency,
    pub status: CreditNoteStatus,
    pub total: Decimal,
    pub allocated: Decimal,
    pub refunded: Decimal,
    /// What was written off when the remaining credit was voided.
    pub voided: Decimal,
}

impl CreditNoteBalance {
    /// `total − allocated − refunded − voided`.
    pub fn remaining(&self) -> Decimal {
        self.total
            .saturating_sub(self.allocated)
            .saturating_sub(self.refunded)
            .saturating_sub(self.voided)
    }

    /// What of it was used so far: applied, refunded or voided.
    pub fn settled(&self) -> Decimal {
        self.allocated
            .saturating_add(self.refunded)
            .saturating_add(self.voided)
    }
}

/// Why a credit note cannot be picked for an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkBlock {
    NotAvailable,
    OtherCustomer,
    OtherCurrency,
}

impl LinkBlock {
    pub fn code(self) -> RuleCode {
        match self {
            LinkBlock::NotAvailable => RuleCode::CreditNoteNotAvailable,
            LinkBlock::OtherCustomer => RuleCode::CustomerMismatch,
            LinkBlock::OtherCurrency => RuleCode::CurrencyMismatch,
        }
    }

    /// The reason as the dialog shows it.
    pub fn explain(self, invoice: &InvoiceBalance, note: &CreditNoteBalance) -> String {
        match self {
            LinkBlock::NotAvailable => {
                format!(
                    "Not available: the credit note is {}",
                    note.status.label().to_lowercase()
                )
            }
            LinkBlock::OtherCustomer => "Belongs to another customer".to_string(),
            LinkBlock::OtherCurrency => format!(
                "Different currency: the credit note is in {}, the invoice in {}",
                note.currency, invoice.currency
            ),
        }
    }
}

/// Whether `note` may be linked to `invoice` at all (amounts aside).
pub fn link_block(invoice: &InvoiceBalance, note: &CreditNoteBalance) -> Option<LinkBlock> {
    if check_credit_note_action(
        note.status,
        super::lifecycle::Settled::NONE,
        CreditNoteAction::Link,
    )
    .is_err()
    {
        Some(LinkBlock::NotAvailable)
    } else if note.customer_id != invoice.customer_id {
        Some(LinkBlock::OtherCustomer)
    } else if note.currency != invoice.currency {
        Some(LinkBlock::OtherCurrency)
    } else {
        None
    }
}

/// One row of the link dialog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkableRow {
    pub credit_note_id: i64,
    pub selectable: bool,
    pub reason: Option<LinkBlock>,
}

/// What the link dialog lists: every given note, with whether it can be picked and why not.
pub fn linkable(invoice: &InvoiceBalance, notes: &[CreditNoteBalance]) -> Vec<LinkableRow> {
    notes
        .iter()
        .map(|note| {
            let reason = link_block(invoice, note);
            LinkableRow {
                credit_note_id: note.id,
                selectable: reason.is_none(),
                reason,
            }
        })
        .collect()
}

/// One requested link; without an amount the note's whole remaining amount is used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationRequest {
    pub credit_note_id: i64,
    pub amount: Option<Decimal>,
}

/// The complete outcome of a link: the new invoice, the new notes, and the amounts to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationPlan {
    pub invoice: InvoiceBalance,
    pub notes: Vec<CreditNoteBalance>,
    /// `(credit_note_id, amount)` in request order.
    pub allocations: Vec<(i64, Decimal)>,
}

/// Plans linking `requests` to `invoice`, all or nothing. `notes` must hold the current state
/// of every requested note (others are ignored). Returns every broken rule when any is broken.
pub fn plan_allocations(
    invoice: &InvoiceBalance,
    notes: &[CreditNoteBalance],
    requests: &[AllocationRequest],
) -> Result<AllocationPlan, Vec<Violation>> {
    if requests.is_empty() {
        return Err(vec![Violation::new(
            RuleCode::ValidationError,
            Some("allocations".into()),
            "Select at least one credit note",
        )]);
    }
    // The invoice must be open before amounts mean anything.
    check_invoice_action(invoice.status, false, InvoiceAction::LinkCredit).map_err(|v| vec![v])?;

    let by_id: HashMap<i64, &CreditNoteBalance> =
        notes.iter().map(|note| (note.id, note)).collect();
    let mut seen = HashSet::with_capacity(requests.len());
    let mut violations = Vec::new();
    let mut planned_notes: Vec<CreditNoteBalance> = Vec::with_capacity(requests.len());
    let mut allocations = Vec::with_capacity(requests.len());
    for (index, request) in requests.iter().enumerate() {
        // The request's position among the requests; the door maps it back to what it showed.
        let field = |name: &str| Some(FieldPath::item("allocations", index, name));
        if !seen.insert(request.credit_note_id) {
            violations.push(Violation::new(
                RuleCode::ValidationError,
                field("credit_note_id"),
                format!("Credit note {} is listed twice", request.credit_note_id),
            ));
            continue;
        }
        let Some(note) = by_id.get(&request.credit_note_id).copied() else {
            violations.push(Violation::new(
                RuleCode::NotFound,
                field("credit_note_id"),
                format!("Credit note {} does not exist", request.credit_note_id),
            ));
            continue;
        };
        if let Some(block) = link_block(invoice, note) {
            violations.push(Violation::new(
                block.code(),
                field("credit_note_id"),
                block.explain(invoice, note),
            ));
            continue;
        }
        let remaining = note.remaining();
        let amount = match request.amount {
            None => remaining,
            Some(amount) if amount <= Decimal::ZERO => {
                violations.push(Violation::new(
                    RuleCode::ValidationError,
                    field("amount"),
                    "The amount must be greater than zero",
                ));
                continue;
            }
            Some(amount) if invoice.currency.to_minor(amount).is_none() => {
                violations.push(
                    Violation::new(
                        RuleCode::ValidationError,
                        field("amount"),
                        invoice.currency.too_many_decimals().to_string(),
                    )
                    .saying(invoice.currency.too_many_decimals().into()),
                );
                continue;
            }
            Some(amount) => amount,
        };
        if amount > remaining {
            violations.push(Violation::new(
                RuleCode::ExceedsRemaining,
                field("amount"),
                format!(
                    "Only {} remain on this credit note",
                    invoice.currency.format(remaining)
                ),
            ));
            continue;
        }
        let mut planned = note.clone();
        planned.allocated = planned.allocated.saturating_add(amount);
        if planned.remaining().is_zero() {
            planned.status = CreditNoteStatus::Used;
        }
        planned_notes.push(planned);
        allocations.push((note.id, invoice.currency.round(amount)));
    }
    if !violations.is_empty() {
        return Err(violations);
    }

    // Every amount fits the stored minor units, yet the list is the caller's: sum checked.
    let linked = allocations
        .iter()
        .try_fold(Decimal::ZERO, |sum, (_, amount)| sum.checked_add(*amount));
    let outstanding = invoice.outstanding();
    let Some(linked) = linked.filter(|linked| *linked <= outstanding) else {
        let linked = linked.map_or_else(|| "more".into(), |l| invoice.currency.format(l));
        return Err(vec![Violation::new(
            RuleCode::ExceedsOutstanding,
            Some("allocations".into()),
            format!(
                "The credit notes add up to {linked}, more than the {} outstanding",
                invoice.currency.format(outstanding)
            ),
        )]);
    };

    let mut planned_invoice = invoice.clone();
    planned_invoice.credited = invoice
        .currency
        .round(invoice.credited.saturating_add(linked));
    if planned_invoice.outstanding().is_zero() {
        planned_invoice.status = InvoiceStatus::Paid;
    }
    Ok(AllocationPlan {
        invoice: planned_invoice,
        notes: planned_notes,
        allocations,
    })
}

/// The state after removing one allocation of `amount` between `invoice` and `note`: a paid
/// invoice with money outstanding again becomes pending, a used note becomes available again.
/// Whether a link to an invoice in `status` may be undone: the credit note that cancelled an
/// invoice stays applied to it (undone, the invoice would be owed again while cancelled).
pub fn check_unlink(status: InvoiceStatus) -> Result<(), Violation> {
    if status == InvoiceStatus::Cancelled {
        return Err(Violation::general(
            RuleCode::InvalidStatus,
            "The credit notes of a cancelled invoice stay linked to it",
        ));
    }
    Ok(())
}

pub fn plan_unlink(
    invoice: &InvoiceBalance,
    note: &CreditNoteBalance,
    amount: Decimal,
) -> (InvoiceBalance, CreditNoteBalance) {
    let mut invoice = invoice.clone();
    invoice.credited = invoice.credited.saturating_sub(amount);
    if invoice.status == InvoiceStatus::Paid && !invoice.outstanding().is_zero() {
        invoice.status = InvoiceStatus::Pending;
    }
    let mut note = note.clone();
    note.allocated = note.allocated.saturating_sub(amount);
    if note.status == CreditNoteStatus::Used && !note.remaining().is_zero() {
        note.status = CreditNoteStatus::Available;
    }
    (invoice, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn invoice(total: Decimal) -> InvoiceBalance {
        InvoiceBalance {
            id: 1,
            customer_id: 10,
            currency: eur(),
            status: InvoiceStatus::Pending,
            total,
            paid: dec!(0.00),
            credited: dec!(0.00),
        }
    }

    fn note(id: i64, total: Decimal) -> CreditNoteBalance {
        CreditNoteBalance {
            id,
            customer_id: 10,
            currency: eur(),
            status: CreditNoteStatus::Available,
            total,
            allocated: dec!(0.00),
            refunded: dec!(0.00),
            voided: dec!(0.00),
        }
    }

    fn whole(id: i64) -> AllocationRequest {
        AllocationRequest {
            credit_note_id: id,
            amount: None,
        }
    }

    fn codes(result: Result<AllocationPlan, Vec<Violation>>) -> Vec<&'static str> {
        result
            .expect_err("the plan should be refused")
            .iter()
            .map(|v| v.code.as_str())
            .collect()
    }

    #[test]
    fn the_dialog_disables_other_currencies_with_a_reason() {
        let mut usd = note(2, dec!(10.00));
        usd.currency = Currency::parse("USD").unwrap();
        let mut draft = note(3, dec!(10.00));
        draft.status = CreditNoteStatus::Draft;
        let mut stranger = note(4, dec!(10.00));
        stranger.customer_id = 99;
        let rows = linkable(
            &invoice(dec!(100.00)),
            &[note(1, dec!(10.00)), usd, draft, stranger],
        );
        let reasons: Vec<_> = rows
            .iter()
            .map(|row| (row.selectable, row.reason))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (true, None),
                (false, Some(LinkBlock::OtherCurrency)),
                (false, Some(LinkBlock::NotAvailable)),
                (false, Some(LinkBlock::OtherCustomer)),
            ]
        );
    }

    #[test]
    fn linking_lowers_outstanding_and_uses_the_note() {
        let plan =
            plan_allocations(&invoice(dec!(100.00)), &[note(1, dec!(30.00))], &[whole(1)]).unwrap();
        assert_eq!(plan.invoice.credited, dec!(30.00));
        assert_eq!(plan.invoice.outstanding(), dec!(70.00));
        assert_eq!(plan.invoice.status, InvoiceStatus::Pending);
        assert_eq!(plan.notes[0].status, CreditNoteStatus::Used);
        assert_eq!(plan.allocations, vec![(1, dec!(30.00))]);
    }

    #[test]
    fn an_invoice_credited_to_zero_is_paid() {
        let plan = plan_allocations(
            &invoice(dec!(100.00)),
            &[note(1, dec!(60.00)), note(2, dec!(40.00))],
            &[whole(1), whole(2)],
        )
        .unwrap();
        assert_eq!(plan.invoice.outstanding(), dec!(0));
        assert_eq!(plan.invoice.status, InvoiceStatus::Paid);
    }

    #[test]
    fn a_partial_amount_leaves_the_note_available() {
        let plan = plan_allocations(
            &invoice(dec!(100.00)),
            &[note(1, dec!(150.00))],
            &[AllocationRequest {
                credit_note_id: 1,
                amount: Some(dec!(100.00)),
            }],
        )
        .unwrap();
        assert_eq!(plan.notes[0].remaining(), dec!(50.00));
        assert_eq!(plan.notes[0].status, CreditNoteStatus::Available);
        assert_eq!(plan.invoice.status, InvoiceStatus::Paid);
    }

    #[test]
    fn every_rule_has_its_code() {
        let inv = invoice(dec!(100.00));
        assert_eq!(
            codes(plan_allocations(&inv, &[], &[])),
            ["validation_error"]
        );
        assert_eq!(
            codes(plan_allocations(
                &inv,
                &[note(1, dec!(150.00))],
                &[whole(1)]
            )),
            ["exceeds_outstanding"]
        );
        let mut used = note(1, dec!(10.00));
        used.status = CreditNoteStatus::Used;
        assert_eq!(
            codes(plan_allocations(&inv, &[used], &[whole(1)])),
            ["credit_note_not_available"]
        );
        let mut other = note(1, dec!(10.00));
        other.customer_id = 11;
        assert_eq!(
            codes(plan_allocations(&inv, &[other], &[whole(1)])),
            ["customer_mismatch"]
        );
        let mut usd = note(1, dec!(10.00));
        usd.currency = Currency::parse("USD").unwrap();
        assert_eq!(
            codes(plan_allocations(&inv, &[usd], &[whole(1)])),
            ["currency_mismatch"]
        );
        let amount = |amount| AllocationRequest {
            credit_note_id: 1,
            amount: Some(amount),
        };
        let ten = [note(1, dec!(10.00))];
        assert_eq!(
            codes(plan_allocations(&inv, &ten, &[amount(dec!(10.01))])),
            ["exceeds_remaining"]
        );
        assert_eq!(
            codes(plan_allocations(&inv, &ten, &[amount(dec!(0))])),
            ["validation_error"]
        );
        assert_eq!(
            codes(plan_allocations(&inv, &ten, &[amount(dec!(-1))])),
            ["validation_error"]
        );
        assert_eq!(
            codes(plan_allocations(&inv, &ten, &[amount(dec!(1.001))])),
            ["validation_error"]
        );
        assert_eq!(
            codes(plan_allocations(&inv, &ten, &[whole(1), whole(1)])),
            ["validation_error"]
        );
        assert_eq!(
            codes(plan_allocations(&inv, &ten, &[whole(7)])),
            ["not_found"]
        );
        let mut paid = inv.clone();
        paid.status = InvoiceStatus::Paid;
        assert_eq!(
            codes(plan_allocations(&paid, &ten, &[whole(1)])),
            ["invoice_not_open"]
        );
    }

    #[test]
    fn one_bad_note_refuses_the_whole_request() {
        let mut usd = note(2, dec!(10.00));
        usd.currency = Currency::parse("USD").unwrap();
        let result = plan_allocations(
            &invoice(dec!(100.00)),
            &[note(1, dec!(10.00)), usd],
            &[whole(1), whole(2)],
        );
        let violations = result.unwrap_err();
        assert_eq!(violations.len(), 1);
        assert_eq!(
            violations[0].field,
            Some(FieldPath::item("allocations", 1, "credit_note_id"))
        );
    }

    #[test]
    fn unlink_restores_the_state_before_the_link() {
        let before_invoice = invoice(dec!(100.00));
        let before_note = note(1, dec!(100.00));
        let plan = plan_allocations(
            &before_invoice,
            std::slice::from_ref(&before_note),
            &[whole(1)],
        )
        .unwrap();
        assert_eq!(plan.invoice.status, InvoiceStatus::Paid);
        let (invoice_after, note_after) =
            plan_unlink(&plan.invoice, &plan.notes[0], plan.allocations[0].1);
        assert_eq!(invoice_after, before_invoice);
        assert_eq!(note_after, before_note);
    }
}
