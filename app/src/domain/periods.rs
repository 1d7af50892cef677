//! Closed periods. Once the books are closed through a date (an administrator's setting, moved
//! forward only), nothing is posted on or before it: a document, payment, refund or link dated
//! in a closed period is refused with the closing date named, and reversals and corrections
//! are dated in the open period (PCG art. 420-6, règlement CRC 99-03: a closing procedure fixes
//! the chronology and guarantees that entries cannot change; an entry of a closed period is never
//! changed, its correction is a new entry of the open one).

use chrono::{Datelike, NaiveDate};

use super::{FieldPath, RuleCode, Violation};

/// Refuses `date` (of `field`) when the books are closed through it.
pub fn check_open(
    closed_through: Option<NaiveDate>,
    date: NaiveDate,
    field: Option<&str>,
) -> Result<(), Violation> {
    match closed_through {
        Some(closed) if date <= closed => Err(Violation::new(
            RuleCode::PeriodClosed,
            field.map(FieldPath::from),
            format!("The books are closed through {closed}: nothing is dated {date} or earlier"),
        )),
        _ => Ok(()),
    }
}

/// Checks a new closing date: later than the current one (a closed period never reopens) and
/// before `today` (today's work is still being posted).
pub fn check_new_closing(
    current: Option<NaiveDate>,
    new: NaiveDate,
    today: NaiveDate,
) -> Result<(), Violation> {
    let refuse = |message: String| {
        Err(Violation::new(
            RuleCode::ValidationError,
            Some(FieldPath::from("closed_through")),
            message,
        ))
    };
    if let Some(current) = current
        && new <= current
    {
        return refuse(format!(
            "The books are already closed through {current}: a closing date only moves forward"
        ));
    }
    if new.year() < 1900 {
        return refuse(format!("{new} is no closing date of these books"));
    }
    if new >= today {
        return refuse(format!(
            "Close a day before today ({today}): today's work is still being posted"
        ));
    }
    Ok(())
}

/// The last day of the company's fiscal year, the same month and day every year (Code de
/// commerce L123-12: the accounts are closed at the end of each fiscal year; a FEC covers one
/// fiscal year and is named with its closing date, LPF art. A47 A-1). Typed `MM-DD`; none: the
/// calendar year (`12-31`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FiscalYearEnd {
    month: u32,
    day: u32,
}

impl Default for FiscalYearEnd {
    fn default() -> Self {
        Self { month: 12, day: 31 }
    }
}

impl FiscalYearEnd {
    /// `MM-DD`, a day every year has (29 February is not one).
    pub fn parse(text: &str) -> Result<Self, String> {
        let refuse = || {
            format!("{text} is no fiscal year end: give its month and day, such as 12-31 or 06-30")
        };
        let (month, day) = text.trim().split_once('-').ok_or_else(refuse)?;
        let month: u32 = month.parse().map_err(|_| refuse())?;
        let day: u32 = day.parse().map_err(|_| refuse())?;
        // 2025 is no leap year: a day that exists in it exists every year.
        NaiveDate::from_ymd_opt(2025, month, day).ok_or_else(refuse)?;
        Ok(Self { month, day })
    }

    /// The fiscal year that closes in `year`: from the day after the previous closing through
    /// this one.
    pub fn year_closing_in(self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let to = NaiveDate::from_ymd_opt(year, self.month, self.day)?;
        let previous = NaiveDate::from_ymd_opt(year - 1, self.month, self.day)?;
        Some((previous.succ_opt()?, to))
    }

    /// The fiscal year `date` falls in.
    pub fn year_of(self, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let this = self.year_closing_in(date.year())?;
        if date <= this.1 {
            Some(this)
        } else {
            self.year_closing_in(date.year() + 1)
        }
    }

    /// The fiscal year `date` falls in, as the seller's setting `end` (`MM-DD`; the calendar
    /// year when absent) has it.
    pub fn year_of_setting(end: Option<&str>, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        end.and_then(|end| Self::parse(end).ok())
            .unwrap_or_default()
            .year_of(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn nothing_is_dated_on_or_before_the_closing_date() {
        assert!(check_open(None, day("2020-01-01"), None).is_ok());
        let closed = Some(day("2026-03-31"));
        assert!(check_open(closed, day("2026-04-01"), None).is_ok());
        let refused = check_open(closed, day("2026-03-31"), Some("date")).unwrap_err();
        assert_eq!(refused.code, RuleCode::PeriodClosed);
        assert!(refused.message.contains("closed through 2026-03-31"));
    }

    #[test]
    fn a_closing_date_moves_forward_and_stays_before_today() {
        let today = day("2026-12-07");
        assert!(check_new_closing(None, day("2026-11-30"), today).is_ok());
        assert!(check_new_closing(Some(day("2026-11-30")), day("2026-10-31"), today).is_err());
        assert!(check_new_closing(Some(day("2026-11-30")), day("2026-11-30"), today).is_err());
        assert!(check_new_closing(None, today, today).is_err());
        assert!(check_new_closing(None, day("0999-12-31"), today).is_err());
    }

    #[test]
    fn a_date_falls_in_the_fiscal_year_that_closes_next() {
        let june = FiscalYearEnd::parse("06-30").unwrap();
        assert_eq!(
            june.year_of(day("2026-06-30")),
            Some((day("2025-07-01"), day("2026-06-30")))
        );
        assert_eq!(
            june.year_of(day("2026-07-01")),
            Some((day("2026-07-01"), day("2027-06-30")))
        );
        assert_eq!(
            FiscalYearEnd::year_of_setting(None, day("2026-03-02")),
            Some((day("2026-01-01"), day("2026-12-31")))
        );
    }

    /// Code de commerce L123-12, LPF art. A47 A-1: a FEC covers the fiscal year, which need not
    /// be the calendar year.
    #[test]
    fn a_fiscal_year_runs_from_the_day_after_the_last_closing() {
        let june = FiscalYearEnd::parse("06-30").unwrap();
        assert_eq!(
            june.year_closing_in(2026),
            Some((day("2025-07-01"), day("2026-06-30")))
        );
        assert_eq!(
            FiscalYearEnd::default().year_closing_in(2026),
            Some((day("2026-01-01"), day("2026-12-31")))
        );
        for wrong in ["02-29", "13-01", "6/30", "", "06-31"] {
            assert!(FiscalYearEnd::parse(wrong).is_err(), "{wrong}");
        }
    }
}
