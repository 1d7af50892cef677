//! Reading a list's filters from the text its URL holds: each filter at fault is named on its
//! field, the first one answered as a 422.

use chrono::NaiveDate;

use crate::domain::{Currency, Reader, Violation};
use crate::problem::Problem;

/// The value of a filter, unless it is absent or blank.
pub fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Collects what is wrong while filters are read, with the shared reader's rules.
#[derive(Default)]
pub struct FilterReader {
    errors: Vec<Violation>,
}

impl FilterReader {
    pub fn fail(&mut self, field: &'static str, message: String) {
        self.errors.push(Violation::invalid(field, message));
    }

    fn read<T>(&mut self, read: Result<T, Violation>) -> Option<T> {
        read.map_err(|violation| self.errors.push(violation)).ok()
    }

    /// A record id.
    pub fn id(&mut self, field: &'static str, value: &Option<String>) -> Option<i64> {
        let text = given(value)?;
        self.read(Reader::API.id(field, text))
    }

    /// A page's keyset cursor: the last id of the page before (0: from the start).
    pub fn cursor(&mut self, field: &'static str, value: &Option<String>) -> Option<i64> {
        let text = given(value)?;
        match text.parse::<i64>() {
            Ok(0) => Some(0),
            _ => self.read(Reader::API.id(field, text)),
        }
    }

    /// An ISO currency code, in any case.
    pub fn currency(&mut self, field: &'static str, value: &Option<String>) -> Option<Currency> {
        let text = given(value)?;
        self.read(Reader::API.currency(field, text))
    }

    /// A date as `YYYY-MM-DD` (the URL's form, whatever the page's language).
    pub fn date(&mut self, field: &'static str, value: &Option<String>) -> Option<NaiveDate> {
        let text = given(value)?;
        self.read(Reader::API.date(field, text))
    }

    /// `value` when every filter was read, else the first fault.
    pub fn finish<T>(self, value: T) -> Result<T, Problem> {
        match self.errors.into_iter().next() {
            Some(violation) => Err(Problem::from(violation)),
            None => Ok(value),
        }
    }
}
