//! Payment reminders for overdue invoices: which invoice may be reminded of, and when a
//! customer's schedule sends the next one.

use chrono::{Duration, NaiveDate};

use super::{InvoiceBalance, InvoiceStatus, RuleCode, Violation};

/// A schedule sends a reminder at most this many days after the due date (and every as many
/// days after that).
pub const MAX_REMINDER_DAYS: u16 = 365;

/// Why `invoice` cannot be reminded of on `today`, if it cannot: it must be issued, unpaid
/// after payments and credits, and past its due date.
pub fn reminder_refusal(
    invoice: &InvoiceBalance,
    due_date: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Violation> {
    if invoice.status != InvoiceStatus::Pending || invoice.outstanding().is_zero() {
        return Some(Violation::new(
            RuleCode::InvoiceNotOpen,
            None,
            "Only an issued invoice with an amount outstanding can be reminded of",
        ));
    }
    match due_date {
        Some(due) if due < today => None,
        _ => Some(Violation::new(
            RuleCode::InvoiceNotOverdue,
            None,
            "The invoice is not overdue: a reminder goes out after its due date",
        )),
    }
}

/// Whether a schedule of `every_days` sends a reminder for an invoice due on `due_date` today:
/// `every_days` after the due date, then again every `every_days` after the last reminder
/// (sent by hand or by the schedule).
pub fn reminder_due(
    due_date: NaiveDate,
    every_days: u16,
    last_reminded: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    let period = Duration::days(i64::from(every_days.max(1)));
    let first = due_date.checked_add_signed(period);
    let overdue_enough = first.is_some_and(|first| today >= first);
    let period_passed = match last_reminded {
        None => true,
        Some(last) => last
            .checked_add_signed(period)
            .is_some_and(|next| today >= next),
    };
    overdue_enough && period_passed
}

/// A schedule as typed (`""` or `off` for none, else 1 to 365 days).
pub fn parse_reminder_days(text: &str) -> Result<Option<u16>, String> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match text.parse::<u16>() {
        Ok(days) if (1..=MAX_REMINDER_DAYS).contains(&days) => Ok(Some(days)),
        _ => Err(format!(
            "Give a number of days from 1 to {MAX_REMINDER_DAYS}, or leave it empty for no \
             reminders"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use rust_decimal::Decimal;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn balance(status: InvoiceStatus, total: i64, paid: i64, credited: i64) -> InvoiceBalance {
        InvoiceBalance {
            id: 1,
            customer_id: 1,
            currency: Currency::parse("EUR").expect("EUR"),
            status,
            total: Decimal::from(total),
            paid: Decimal::from(paid),
            credited: Decimal::from(credited),
        }
    }

    #[test]
    fn only_an_open_overdue_invoice_is_reminded_of() {
        let today = day("2026-05-01");
        let open = balance(InvoiceStatus::Pending, 100, 20, 30);
        assert!(reminder_refusal(&open, Some(day("2026-04-30")), today).is_none());
        let code = |violation: Option<Violation>| violation.map(|v| v.code);
        assert_eq!(
            code(reminder_refusal(&open, Some(today), today)),
            Some(RuleCode::InvoiceNotOverdue),
            "due today is not overdue yet"
        );
        assert_eq!(
            code(reminder_refusal(&open, None, today)),
            Some(RuleCode::InvoiceNotOverdue)
        );
        let settled = balance(InvoiceStatus::Pending, 100, 20, 80);
        assert_eq!(
            code(reminder_refusal(&settled, Some(day("2026-01-01")), today)),
            Some(RuleCode::InvoiceNotOpen),
            "credits cover what payments left"
        );
        for status in [
            InvoiceStatus::Draft,
            InvoiceStatus::Paid,
            InvoiceStatus::Cancelled,
        ] {
            let invoice = balance(status, 100, 0, 0);
            assert_eq!(
                code(reminder_refusal(&invoice, Some(day("2026-01-01")), today)),
                Some(RuleCode::InvoiceNotOpen)
            );
        }
    }

    #[test]
    fn a_schedule_reminds_n_days_after_the_due_date_then_every_n_days() {
        let due = day("2026-04-01");
        assert!(!reminder_due(due, 14, None, day("2026-04-14")));
        assert!(reminder_due(due, 14, None, day("2026-04-15")));
        assert!(
            reminder_due(due, 14, None, day("2026-06-01")),
            "late is still due"
        );
        assert!(!reminder_due(
            due,
            14,
            Some(day("2026-04-15")),
            day("2026-04-28")
        ));
        assert!(reminder_due(
            due,
            14,
            Some(day("2026-04-15")),
            day("2026-04-29")
        ));
        // A reminder sent by hand counts: the schedule waits a period after it.
        assert!(!reminder_due(
            due,
            14,
            Some(day("2026-04-20")),
            day("2026-04-30")
        ));
    }

    #[test]
    fn schedules_are_off_or_one_to_365_days() {
        assert_eq!(parse_reminder_days(""), Ok(None));
        assert_eq!(parse_reminder_days(" off "), Ok(None));
        assert_eq!(parse_reminder_days("14"), Ok(Some(14)));
        assert!(parse_reminder_days("0").is_err());
        assert!(parse_reminder_days("366").is_err());
        assert!(parse_reminder_days("two weeks").is_err());
    }
}
