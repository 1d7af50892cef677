//! Credit-note numbers: `CN-YYYY-NNNNN`, the year of the note's date and a gapless sequence
//! within that year (the counter itself lives in storage).
//!
//! A note is numbered and dated when it is finalized, so numbers follow time: CGI annexe II
//! art. 242 nonies A, I-7° asks for "un numéro unique basé sur une séquence chronologique et
//! continue". A note drafted last year and finalized this year takes this year's date and number.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{FieldPath, RuleCode, Violation};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CreditNoteNumber {
    year: i32,
    sequence: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum NumberError {
    #[error("`{0}` is not a credit-note number like CN-2026-00042")]
    Malformed(String),
    #[error("credit-note numbers run from 1 to 99999 a year")]
    OutOfRange,
}

impl CreditNoteNumber {
    pub const MAX_SEQUENCE: u32 = 99_999;

    pub fn new(year: i32, sequence: i64) -> Result<Self, NumberError> {
        let sequence = u32::try_from(sequence).map_err(|_| NumberError::OutOfRange)?;
        if !(1..=Self::MAX_SEQUENCE).contains(&sequence) || !(1..=9999).contains(&year) {
            return Err(NumberError::OutOfRange);
        }
        Ok(Self { year, sequence })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn sequence(self) -> u32 {
        self.sequence
    }
}

impl CreditNoteNumber {
    /// The number given just before this one in the same series, if any.
    pub fn previous(self) -> Option<Self> {
        (self.sequence > 1).then(|| Self {
            year: self.year,
            sequence: self.sequence - 1,
        })
    }
}

/// Refuses to number a document dated `date` (its field `field`) after one of the same series
/// dated later (`previous`, dated `previous_date`): the numbers of a series run in date order
/// (CGI annexe II art. 242 nonies A, I-7°). A credit note, dated when finalized, meets it only
/// when a server's clock runs behind another's; an invoice issued with a date of its own meets
/// it when that date is earlier than the last one issued.
pub fn check_chronological(
    previous: &str,
    previous_date: NaiveDate,
    date: NaiveDate,
    field: &str,
) -> Result<(), Violation> {
    if date < previous_date {
        return Err(Violation::new(
            RuleCode::NumberingOutOfOrder,
            Some(FieldPath::from(field)),
            format!(
                "{previous} is dated {previous_date}: a document dated {date} cannot follow it \
                 in the series (numbers follow time)"
            ),
        ));
    }
    Ok(())
}

impl fmt::Display for CreditNoteNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CN-{:04}-{:05}", self.year, self.sequence)
    }
}

impl FromStr for CreditNoteNumber {
    type Err = NumberError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let malformed = || NumberError::Malformed(text.to_string());
        let rest = text.strip_prefix("CN-").ok_or_else(malformed)?;
        let (year, sequence) = rest.split_once('-').ok_or_else(malformed)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(sequence, 5) {
            return Err(malformed());
        }
        let year = year.parse().map_err(|_| malformed())?;
        let sequence: i64 = sequence.parse().map_err(|_| malformed())?;
        Self::new(year, sequence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CGI annexe II art. 242 nonies A, I-7°: a chronological and continuous sequence.
    #[test]
    fn a_series_runs_in_date_order() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let first = CreditNoteNumber::new(2026, 1).unwrap();
        assert_eq!(first.previous(), None);
        let second = CreditNoteNumber::new(2026, 2).unwrap();
        assert_eq!(second.previous(), Some(first));
        assert!(
            check_chronological(
                "CN-2026-00001",
                day("2026-03-01"),
                day("2026-03-01"),
                "date"
            )
            .is_ok()
        );
        assert!(
            check_chronological(
                "CN-2026-00001",
                day("2026-03-01"),
                day("2026-03-02"),
                "date"
            )
            .is_ok()
        );
        let refused = check_chronological(
            "CN-2026-00001",
            day("2026-03-02"),
            day("2026-03-01"),
            "date",
        )
        .unwrap_err();
        assert_eq!(refused.code, RuleCode::NumberingOutOfOrder);
        assert!(
            refused
                .message
                .contains("CN-2026-00001 is dated 2026-03-02")
        );
    }

    #[test]
    fn formats_and_parses() {
        let number = CreditNoteNumber::new(2026, 42).unwrap();
        assert_eq!(number.to_string(), "CN-2026-00042");
        assert_eq!("CN-2026-00042".parse::<CreditNoteNumber>().unwrap(), number);
        assert_eq!(
            CreditNoteNumber::new(2026, 99_999).unwrap().to_string(),
            "CN-2026-99999"
        );
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for text in [
            "CN-2026-42",
            "cn-2026-00042",
            "CN-26-00042",
            "CN-2026-0004a",
            "INV-2026-00001",
            "CN-2026-00000",
        ] {
            assert!(text.parse::<CreditNoteNumber>().is_err(), "{text}");
        }
        assert_eq!(
            CreditNoteNumber::new(2026, 100_000),
            Err(NumberError::OutOfRange)
        );
    }
}
