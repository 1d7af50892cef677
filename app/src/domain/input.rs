//! The one reader of typed values, for every door: the REST API, server functions, form posts
//! and imports. It trims, treats blanks as absent, reads decimals (a locale's decimal comma
//! where a person typed it; the API's `1234.56` otherwise), dates, currencies and ids, and says
//! what is wrong with one [`InputError`] per rule: one English sentence for the API, one
//! message per language for people (`input.*` in the translations).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Currency, Language, MoneyError, Violation};

/// What is wrong with a typed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum InputError {
    #[error("enter a value")]
    Required,
    #[error("at most {max} characters")]
    TooLong { max: usize },
    #[error("not a number: use digits with an optional decimal point, like 1250.00")]
    NotANumber,
    #[error("at most {scale} decimal places")]
    TooManyDecimals { scale: u32 },
    #[error("the amount must not be negative")]
    Negative,
    #[error("the amount must be greater than zero")]
    NotPositive,
    #[error("the number is too large")]
    TooLarge,
    #[error("not a date: use YYYY-MM-DD")]
    NotADate,
    #[error("not an ISO 4217 currency code")]
    NotACurrency,
    #[error("not an id: use a whole number greater than zero")]
    NotAnId,
}

impl From<MoneyError> for InputError {
    fn from(error: MoneyError) -> Self {
        match error {
            MoneyError::Empty => InputError::Required,
            MoneyError::NotANumber(_) => InputError::NotANumber,
            MoneyError::TooManyDecimals { scale, .. } => InputError::TooManyDecimals { scale },
            MoneyError::Negative => InputError::Negative,
            MoneyError::NotPositive => InputError::NotPositive,
            MoneyError::TooLarge => InputError::TooLarge,
            MoneyError::UnknownCurrency(_) | MoneyError::CurrencyMismatch(..) => {
                InputError::NotACurrency
            }
        }
    }
}

impl InputError {
    /// This error on `field`, as a broken rule (`validation_error`).
    pub fn on(self, field: &str) -> Violation {
        Violation::input(field, self)
    }
}

/// Who typed the values: the API (decimal point, ISO dates) or a person writing in a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reader {
    typed_in: Option<Language>,
}

impl Reader {
    /// The REST API and imports: `1234.56`, `2026-12-06`.
    pub const API: Reader = Reader { typed_in: None };

    /// A person writing in `language`: `1 234,56` and `06/12/2026` in French, `1.234,56` and
    /// `06.12.2026` in German; the API's forms are read too.
    pub fn typed_in(language: Language) -> Self {
        Self {
            typed_in: Some(language),
        }
    }

    /// The text trimmed; `None` when blank.
    pub fn text<'a>(&self, raw: &'a str) -> Option<&'a str> {
        let text = raw.trim();
        (!text.is_empty()).then_some(text)
    }

    /// The text trimmed, required, and at most `max` characters.
    pub fn required_text(&self, field: &str, raw: &str, max: usize) -> Result<String, Violation> {
        match self.optional_text(field, raw, max)? {
            Some(text) => Ok(text),
            None => Err(InputError::Required.on(field)),
        }
    }

    /// The text trimmed, at most `max` characters; `None` when blank.
    pub fn optional_text(
        &self,
        field: &str,
        raw: &str,
        max: usize,
    ) -> Result<Option<String>, Violation> {
        match self.text(raw) {
            Some(text) if text.chars().count() > max => Err(InputError::TooLong { max }.on(field)),
            text => Ok(text.map(str::to_string)),
        }
    }

    fn read_decimal(&self, raw: &str) -> Result<Decimal, MoneyError> {
        match self.typed_in {
            None => super::parse_decimal(raw),
            Some(language) => crate::i18n::format::parse_decimal(language, raw),
        }
    }

    /// A decimal (a quantity, a rate).
    pub fn decimal(&self, field: &str, raw: &str) -> Result<Decimal, Violation> {
        self.read_decimal(raw)
            .map_err(|error| InputError::from(error).on(field))
    }

    /// A decimal, or `None` when blank.
    pub fn optional_decimal(&self, field: &str, raw: &str) -> Result<Option<Decimal>, Violation> {
        self.text(raw)
            .map(|text| self.decimal(field, text))
            .transpose()
    }

    /// An amount of `currency`: its decimals at most, and room for it in the books.
    pub fn amount(&self, field: &str, raw: &str, currency: Currency) -> Result<Decimal, Violation> {
        self.read_decimal(raw)
            .and_then(|amount| currency.parse_amount(&amount.to_string()))
            .map_err(|error| InputError::from(error).on(field))
    }

    /// An amount of `currency` greater than zero.
    pub fn positive_amount(
        &self,
        field: &str,
        raw: &str,
        currency: Currency,
    ) -> Result<Decimal, Violation> {
        let amount = self.amount(field, raw, currency)?;
        if amount.is_sign_negative() && !amount.is_zero() {
            Err(InputError::Negative.on(field))
        } else if amount.is_zero() {
            Err(InputError::NotPositive.on(field))
        } else {
            Ok(amount)
        }
    }

    /// A date: `YYYY-MM-DD` (what a date picker and the API send), or as the person's language
    /// writes it.
    pub fn date(&self, field: &str, raw: &str) -> Result<NaiveDate, Violation> {
        let text = self
            .text(raw)
            .ok_or_else(|| InputError::Required.on(field))?;
        let local = match self.typed_in {
            Some(Language::Fr) => Some("%d/%m/%Y"),
            Some(Language::De) => Some("%d.%m.%Y"),
            Some(Language::En) | None => None,
        };
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .or_else(|| local.and_then(|format| NaiveDate::parse_from_str(text, format).ok()))
            .ok_or_else(|| InputError::NotADate.on(field))
    }

    /// A date, or `None` when blank.
    pub fn optional_date(&self, field: &str, raw: &str) -> Result<Option<NaiveDate>, Violation> {
        self.text(raw)
            .map(|text| self.date(field, text))
            .transpose()
    }

    /// A currency code, in any case (`eur` is EUR).
    pub fn currency(&self, field: &str, raw: &str) -> Result<Currency, Violation> {
        let text = self
            .text(raw)
            .ok_or_else(|| InputError::Required.on(field))?;
        Currency::parse(&text.to_ascii_uppercase()).map_err(|_| InputError::NotACurrency.on(field))
    }

    /// The id of a record: a whole number greater than zero.
    pub fn id(&self, field: &str, raw: &str) -> Result<i64, Violation> {
        let text = self
            .text(raw)
            .ok_or_else(|| InputError::Required.on(field))?;
        text.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| InputError::NotAnId.on(field))
    }

    /// An id, or `None` when blank.
    pub fn optional_id(&self, field: &str, raw: &str) -> Result<Option<i64>, Violation> {
        self.text(raw).map(|text| self.id(field, text)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn rule(result: Result<impl std::fmt::Debug, Violation>) -> Option<InputError> {
        result.unwrap_err().says
    }

    #[test]
    fn people_type_amounts_as_their_language_writes_them_and_the_api_keeps_the_point() {
        let fr = Reader::typed_in(Language::Fr);
        let de = Reader::typed_in(Language::De);
        let en = Reader::typed_in(Language::En);
        assert_eq!(fr.amount("a", " 1 410,50 ", eur()).unwrap(), dec!(1410.50));
        assert_eq!(fr.amount("a", "12.5", eur()).unwrap(), dec!(12.50));
        assert_eq!(de.amount("a", "1.410,50", eur()).unwrap(), dec!(1410.50));
        assert_eq!(en.amount("a", "1,410.50", eur()).unwrap(), dec!(1410.50));
        assert_eq!(
            Reader::API.amount("a", "1410.50", eur()).unwrap(),
            dec!(1410.50)
        );
        assert_eq!(
            rule(Reader::API.amount("a", "1410,50", eur())),
            Some(InputError::NotANumber),
            "the API reads the contract's decimals only"
        );
        assert_eq!(
            rule(fr.amount("a", "1,505", eur())),
            Some(InputError::TooManyDecimals { scale: 2 })
        );
        assert_eq!(
            rule(fr.positive_amount("a", "0,00", eur())),
            Some(InputError::NotPositive)
        );
        assert_eq!(
            rule(de.positive_amount("a", "-1", eur())),
            Some(InputError::Negative)
        );
        assert_eq!(
            rule(de.amount("a", "  ", eur())),
            Some(InputError::Required)
        );
    }

    #[test]
    fn dates_read_in_iso_and_as_the_language_writes_them() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let fr = Reader::typed_in(Language::Fr);
        assert_eq!(fr.date("d", "06/12/2026").unwrap(), day);
        assert_eq!(fr.date("d", "2026-12-06").unwrap(), day);
        assert_eq!(
            Reader::typed_in(Language::De)
                .date("d", "06.12.2026")
                .unwrap(),
            day
        );
        assert_eq!(
            rule(Reader::API.date("d", "06/12/2026")),
            Some(InputError::NotADate)
        );
        assert_eq!(Reader::API.optional_date("d", " ").unwrap(), None);
        assert_eq!(rule(fr.date("d", "31/02/2026")), Some(InputError::NotADate));
    }

    #[test]
    fn one_rule_for_ids_texts_and_currencies_whatever_the_door() {
        let reader = Reader::API;
        assert_eq!(reader.id("id", " 42 ").unwrap(), 42);
        for bad in ["0", "-3", "4.5", "x"] {
            assert_eq!(
                rule(reader.id("id", bad)),
                Some(InputError::NotAnId),
                "{bad}"
            );
        }
        assert_eq!(reader.currency("c", " eur ").unwrap(), eur());
        assert_eq!(
            rule(reader.currency("c", "EURO")),
            Some(InputError::NotACurrency)
        );
        assert_eq!(reader.optional_text("n", "  ", 5).unwrap(), None);
        assert_eq!(
            rule(reader.optional_text("n", "ééééééé", 5)),
            Some(InputError::TooLong { max: 5 })
        );
        let violation = reader.required_text("name", "", 5).unwrap_err();
        assert_eq!(violation.field.unwrap().to_string(), "name");
        assert_eq!(violation.message, "enter a value");
    }
}
