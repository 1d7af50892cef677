//! Reading a list's filters from the text its URL holds: each filter at fault is named on its
//! field, the first one answered as a 422.

use chrono::NaiveDate;

use crate::domain::Currency;
use crate::problem::Problem;

/// The value of a filter, unless it is absent or blank.
pub fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Collects what is wrong while filters are read.
#[derive(Default)]
pub struct FilterReader {
    errors: Vec<(&'static str, String)>,
}

impl FilterReader {
    pub fn fail(&mut self, field: &'static str, message: String) {
        self.errors.push((field, message));
    }

    /// A record id (0 or more).
    pub fn id(&mut self, field: &'static str, value: &Option<String>) -> Option<i64> {
        let text = given(value)?;
        match text.parse::<i64>() {
            Ok(id) if id >= 0 => Some(id),
            _ => {
                self.fail(field, format!("{text} is not an id"));
                None
            }
        }
    }

    /// An ISO currency code, in any case.
    pub fn currency(&mut self, field: &'static str, value: &Option<String>) -> Option<Currency> {
        let code = given(value)?;
        Currency::parse(&code.to_uppercase())
            .map_err(|e| self.fail(field, e.to_string()))
            .ok()
    }

    /// A date as `YYYY-MM-DD`.
    pub fn date(&mut self, field: &'static str, value: &Option<String>) -> Option<NaiveDate> {
        let text = given(value)?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| self.fail(field, format!("{text} is not a date (YYYY-MM-DD)")))
            .ok()
    }

    /// `value` when every filter was read, else the first fault.
    pub fn finish<T>(self, value: T) -> Result<T, Problem> {
        match self.errors.into_iter().next() {
            Some((field, message)) => Err(Problem::validation(field, message)),
            None => Ok(value),
        }
    }
}
