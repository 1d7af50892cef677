//! Money that settles documents other than links: incoming payments on invoices (recorded, or
//! "mark paid"), taking a mark-paid back ("mark pending"), and refunds paid out of a credit note.
//! Amounts are checked to fit the stored minor units before any sum, and sums saturate (see
//! [`InvoiceBalance`]), so no input panics.

use rust_decimal::Decimal;

use super::lifecycle::{
    CreditNoteAction, InvoiceAction, check_credit_note_action, check_invoice_action,
};
use super::linking::{CreditNoteBalance, InvoiceBalance};
use super::status::{CreditNoteStatus, InvoiceStatus};
use super::violation::{RuleCode, Violation};

fn check_amount(amount: Decimal, currency: super::Currency) -> Result<(), Violation> {
    if amount <= Decimal::ZERO {
        return Err(Violation::new(
            RuleCode::ValidationError,
            Some("amount".into()),
            "The amount must be greater than zero",
        )
        .saying(super::InputError::NotPositive));
    }
    if currency.to_minor(amount).is_none() {
        return Err(Violation::new(
            RuleCode::ValidationError,
            Some("amount".into()),
            currency.too_many_decimals().to_string(),
        )
        .saying(currency.too_many_decimals().into()));
    }
    Ok(())
}

/// An incoming payment of `amount`; at zero outstanding the invoice is paid.
pub fn plan_payment(
    invoice: &InvoiceBalance,
    amount: Decimal,
) -> Result<InvoiceBalance, Violation> {
    check_invoice_action(invoice.status, false, InvoiceAction::RecordPayment)?;
    check_amount(amount, invoice.currency)?;
    if amount > invoice.outstanding() {
        return Err(Violation::new(
            RuleCode::ExceedsOutstanding,
            Some("amount".into()),
            format!(
                "The payment is more than the {} outstanding",
                invoice.currency.format(invoice.outstanding())
            ),
        ));
    }
    let mut planned = invoice.clone();
    planned.paid = planned.paid.saturating_add(amount);
    if planned.outstanding().is_zero() {
        planned.status = InvoiceStatus::Paid;
    }
    Ok(planned)
}

/// Marks a pending invoice paid by adding a payment equal to its outstanding amount (after
/// credits). Returns the new invoice and that payment (zero when nothing was outstanding).
pub fn plan_mark_paid(invoice: &InvoiceBalance) -> Result<(InvoiceBalance, Decimal), Violation> {
    check_invoice_action(invoice.status, false, InvoiceAction::MarkPaid)?;
    let payment = invoice.outstanding();
    let mut planned = invoice.clone();
    planned.paid = planned.paid.saturating_add(payment);
    planned.status = InvoiceStatus::Paid;
    Ok((planned, payment))
}

/// Takes a paid invoice back to pending, removing the payments that "mark paid" added
/// (`mark_paid_payments`). Refused while credit notes are linked, and when recorded payments
/// still settle the invoice in full.
pub fn plan_mark_pending(
    invoice: &InvoiceBalance,
    has_allocations: bool,
    mark_paid_payments: Decimal,
) -> Result<InvoiceBalance, Violation> {
    check_invoice_action(invoice.status, has_allocations, InvoiceAction::MarkPending)?;
    let mut planned = invoice.clone();
    planned.paid = planned
        .paid
        .saturating_sub(mark_paid_payments.min(planned.paid));
    if planned.outstanding().is_zero() && !planned.total.is_zero() {
        return Err(Violation::general(
            RuleCode::InvalidStatus,
            "Recorded payments settle this invoice in full; it stays paid",
        ));
    }
    planned.status = InvoiceStatus::Pending;
    Ok(planned)
}

/// Pays `amount` of a credit note out to the customer; at zero remaining the note is used.
pub fn plan_refund(
    note: &CreditNoteBalance,
    amount: Decimal,
) -> Result<CreditNoteBalance, Violation> {
    check_credit_note_action(
        note.status,
        super::lifecycle::Settled::NONE,
        CreditNoteAction::Refund,
    )?;
    check_amount(amount, note.currency)?;
    if amount > note.remaining() {
        return Err(Violation::new(
            RuleCode::ExceedsRemaining,
            Some("amount".into()),
            format!(
                "Only {} remain on this credit note",
                note.currency.format(note.remaining())
            ),
        ));
    }
    let mut planned = note.clone();
    planned.refunded = planned.refunded.saturating_add(amount);
    if planned.remaining().is_zero() {
        planned.status = CreditNoteStatus::Used;
    }
    Ok(planned)
}

/// The longest reason a void keeps.
pub const MAX_VOID_REASON: usize = 500;

/// Writes off what remains of a finalized note: allocations and refunds stay, the remainder
/// becomes `voided` and the note is used. Returns the new balance and the amount written off.
pub fn plan_void(
    note: &CreditNoteBalance,
    reason: &str,
) -> Result<(CreditNoteBalance, Decimal), Violation> {
    check_credit_note_action(
        note.status,
        super::lifecycle::Settled::NONE,
        CreditNoteAction::VoidRemaining,
    )?;
    let reason = reason.trim();
    if reason.is_empty()
        || reason.chars().count() > MAX_VOID_REASON
        || super::text::holds_nul(reason)
    {
        return Err(Violation::new(
            RuleCode::ValidationError,
            Some("reason".into()),
            format!(
                "Say why the remaining credit is voided (at most {MAX_VOID_REASON} characters)"
            ),
        ));
    }
    let written_off = note.remaining();
    if written_off.is_zero() {
        return Err(Violation::general(
            RuleCode::InvalidStatus,
            "Nothing remains on this credit note to void",
        ));
    }
    let mut planned = note.clone();
    planned.voided = planned.voided.saturating_add(written_off);
    planned.status = CreditNoteStatus::Used;
    Ok((planned, written_off))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use rust_decimal::dec;

    fn invoice() -> InvoiceBalance {
        InvoiceBalance {
            id: 1,
            customer_id: 1,
            currency: Currency::parse("EUR").unwrap(),
            status: InvoiceStatus::Pending,
            total: dec!(100.00),
            paid: dec!(0.00),
            credited: dec!(30.00),
        }
    }

    #[test]
    fn payments_settle_the_outstanding_amount() {
        let paid = plan_payment(&invoice(), dec!(70.00)).unwrap();
        assert_eq!(paid.status, InvoiceStatus::Paid);
        assert_eq!(
            plan_payment(&invoice(), dec!(70.01)).unwrap_err().code,
            RuleCode::ExceedsOutstanding
        );
        assert_eq!(
            plan_payment(&invoice(), dec!(0)).unwrap_err().code,
            RuleCode::ValidationError
        );
    }

    #[test]
    fn mark_paid_pays_what_is_left_after_credits() {
        let (paid, payment) = plan_mark_paid(&invoice()).unwrap();
        assert_eq!(payment, dec!(70.00));
        assert_eq!(paid.status, InvoiceStatus::Paid);
        assert_eq!(paid.outstanding(), dec!(0));
    }

    #[test]
    fn mark_pending_takes_back_the_mark_paid_payment() {
        let mut no_credit = invoice();
        no_credit.credited = dec!(0);
        let (paid, payment) = plan_mark_paid(&no_credit).unwrap();
        let pending = plan_mark_pending(&paid, false, payment).unwrap();
        assert_eq!(pending, no_credit);
        assert_eq!(
            plan_mark_pending(&paid, true, payment).unwrap_err().code,
            RuleCode::InvoiceHasAllocations
        );
        assert_eq!(
            plan_mark_pending(&paid, false, dec!(0)).unwrap_err().code,
            RuleCode::InvalidStatus
        );
    }

    #[test]
    fn refunds_reduce_what_remains() {
        let note = CreditNoteBalance {
            id: 1,
            customer_id: 1,
            currency: Currency::parse("EUR").unwrap(),
            status: CreditNoteStatus::Available,
            total: dec!(50.00),
            allocated: dec!(20.00),
            refunded: dec!(0.00),
            voided: dec!(0.00),
        };
        assert_eq!(
            plan_refund(&note, dec!(10.00)).unwrap().remaining(),
            dec!(20.00)
        );
        assert_eq!(
            plan_refund(&note, dec!(30.00)).unwrap().status,
            CreditNoteStatus::Used
        );
        assert_eq!(
            plan_refund(&note, dec!(30.01)).unwrap_err().code,
            RuleCode::ExceedsRemaining
        );
        let mut draft = note;
        draft.status = CreditNoteStatus::Draft;
        assert!(plan_refund(&draft, dec!(1)).is_err());
    }

    /// 100.00 with 30.00 refunded: voiding writes off exactly the 70.00 left, keeps the refund,
    /// and leaves nothing to link or refund.
    #[test]
    fn voiding_writes_off_exactly_what_remains() {
        let note = CreditNoteBalance {
            id: 1,
            customer_id: 1,
            currency: Currency::parse("EUR").unwrap(),
            status: CreditNoteStatus::Available,
            total: dec!(100.00),
            allocated: dec!(0.00),
            refunded: dec!(30.00),
            voided: dec!(0.00),
        };
        let (voided, written_off) = plan_void(&note, " goodwill lapsed ").unwrap();
        assert_eq!(written_off, dec!(70.00));
        assert_eq!(voided.refunded, dec!(30.00));
        assert_eq!(voided.remaining(), dec!(0.00));
        assert_eq!(voided.status, CreditNoteStatus::Used);
        assert_eq!(
            plan_void(&note, "  ").unwrap_err().field,
            Some("reason".into())
        );
        assert_eq!(
            plan_void(&voided, "again").unwrap_err().code,
            RuleCode::InvalidStatus
        );
        assert_eq!(
            plan_refund(&voided, dec!(1.00)).unwrap_err().code,
            RuleCode::InvalidStatus
        );
    }
}
