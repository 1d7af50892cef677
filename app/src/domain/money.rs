//! Money: a decimal amount in one ISO 4217 currency, never a float.
//!
//! Amounts are `rust_decimal::Decimal` scaled to the currency's minor unit (EUR 2, JPY 0);
//! storage keeps them as integer minor units.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An ISO 4217 currency that has a minor unit (funds and metals such as XAU are refused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(iso_currency::Currency);

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("enter an amount")]
    Empty,
    #[error("`{0}` is not an amount: use digits with an optional decimal point, like 1250.00")]
    NotANumber(String),
    #[error("{currency} amounts have at most {scale} decimal places")]
    TooManyDecimals { currency: &'static str, scale: u32 },
    #[error("the amount must not be negative")]
    Negative,
    #[error("the amount must be greater than zero")]
    NotPositive,
    #[error("the amount is too large")]
    TooLarge,
    #[error("`{0}` is not an ISO 4217 currency code")]
    UnknownCurrency(String),
    #[error("cannot combine {0} and {1} amounts")]
    CurrencyMismatch(&'static str, &'static str),
}

impl Currency {
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let unknown = || MoneyError::UnknownCurrency(code.to_string());
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(unknown());
        }
        let iso = iso_currency::Currency::from_code(code).ok_or_else(unknown)?;
        // A currency without a minor unit (gold, SDR, testing codes) cannot hold invoice amounts.
        iso.exponent().ok_or_else(unknown)?;
        Ok(Self(iso))
    }

    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Number of decimal places of the minor unit (2 for EUR, 0 for JPY, 3 for KWD).
    pub fn scale(self) -> u32 {
        u32::from(self.0.exponent().unwrap_or(0))
    }

    /// Zero, written with the currency's scale ("0.00").
    pub fn zero(self) -> Decimal {
        Decimal::new(0, self.scale())
    }

    /// Rounds half away from zero to the minor unit, and writes the result with exactly that
    /// many decimals so that "100" in EUR is shown and serialized as "100.00".
    pub fn round(self, amount: Decimal) -> Decimal {
        let mut rounded =
            amount.round_dp_with_strategy(self.scale(), RoundingStrategy::MidpointAwayFromZero);
        rounded.rescale(self.scale());
        rounded
    }

    /// The amount in integer minor units, as stored. `None` when it is not a whole number of
    /// minor units or does not fit. Never panics.
    pub fn to_minor(self, amount: Decimal) -> Option<i64> {
        if amount.normalize().scale() > self.scale() {
            return None;
        }
        let mut scaled = amount;
        // `rescale` stops short of the scale (silently) when the digits would not fit.
        scaled.rescale(self.scale());
        if scaled.scale() != self.scale() {
            return None;
        }
        i64::try_from(scaled.mantissa()).ok()
    }

    /// The error for an amount with more decimals than this currency has.
    pub fn too_many_decimals(self) -> MoneyError {
        MoneyError::TooManyDecimals {
            currency: self.code(),
            scale: self.scale(),
        }
    }

    pub fn from_minor(self, minor: i64) -> Decimal {
        Decimal::new(minor, self.scale())
    }

    /// Parses user or API text into an amount of this currency. Accepts `123`, `123.4`,
    /// `-5.00`; refuses exponents, `+`, separators, spaces inside and too many decimals.
    pub fn parse_amount(self, text: &str) -> Result<Decimal, MoneyError> {
        let amount = parse_decimal(text)?;
        if amount.scale() > self.scale() {
            return Err(self.too_many_decimals());
        }
        // Keep room for minor units in an i64 column.
        self.to_minor(amount).ok_or(MoneyError::TooLarge)?;
        Ok(self.round(amount))
    }

    /// Like [`Currency::parse_amount`], for amounts that must be greater than zero.
    pub fn parse_positive_amount(self, text: &str) -> Result<Decimal, MoneyError> {
        let amount = self.parse_amount(text)?;
        if amount.is_sign_negative() && !amount.is_zero() {
            Err(MoneyError::Negative)
        } else if amount.is_zero() {
            Err(MoneyError::NotPositive)
        } else {
            Ok(amount)
        }
    }

    /// Formats an amount for people: "1,410.00 EUR".
    pub fn format(self, amount: Decimal) -> String {
        format!("{} {}", self.figure(amount), self.code())
    }

    /// An amount as a column of figures shows it, without the currency: "1,410.00".
    pub fn figure(self, amount: Decimal) -> String {
        let rounded = self.round(amount);
        let text = rounded.abs().to_string();
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text.as_str(), None),
        };
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
            "-"
        } else {
            ""
        };
        match fraction {
            Some(fraction) => format!("{sign}{grouped}.{fraction}"),
            None => format!("{sign}{grouped}"),
        }
    }
}

/// Parses a plain decimal as people and the API write it (`2`, `17.5`, `-1`): digits with an
/// optional point and sign; no exponent, `+`, separators or inner spaces. Quantities, rates and
/// (through [`Currency::parse_amount`]) amounts all go through here.
pub fn parse_decimal(text: &str) -> Result<Decimal, MoneyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(MoneyError::Empty);
    }
    let not_a_number = || MoneyError::NotANumber(text.to_string());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return Err(not_a_number());
    }
    Decimal::from_str(text).map_err(|_| MoneyError::TooLarge)
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Currency::parse(&code)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> Self {
        currency.code().to_string()
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Currency::parse(code)
    }
}

/// An amount together with its currency; sums across currencies are an error, not a mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self {
            amount: currency.round(amount),
            currency,
        }
    }

    pub fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let sum = self.amount.checked_add(other.amount);
        Ok(Money::new(sum.ok_or(MoneyError::TooLarge)?, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let difference = self.amount.checked_sub(other.amount);
        Ok(Money::new(
            difference.ok_or(MoneyError::TooLarge)?,
            self.currency,
        ))
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(
                self.currency.code(),
                other.currency.code(),
            ))
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.currency.format(self.amount))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn currencies_carry_their_minor_unit() {
        assert_eq!(eur().scale(), 2);
        assert_eq!(Currency::parse("JPY").unwrap().scale(), 0);
        assert_eq!(Currency::parse("KWD").unwrap().scale(), 3);
        assert!(Currency::parse("eur").is_err());
        assert!(Currency::parse("XAU").is_err(), "no minor unit");
        assert!(Currency::parse("ABC").is_err());
    }

    #[test]
    fn amounts_parse_to_the_currency_scale() {
        assert_eq!(eur().parse_amount("100").unwrap().to_string(), "100.00");
        assert_eq!(eur().parse_amount(" 12.5 ").unwrap().to_string(), "12.50");
        assert_eq!(eur().parse_amount("-5.01").unwrap(), dec!(-5.01));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.parse_amount("1500").unwrap().to_string(), "1500");
    }

    #[test]
    fn bad_amount_text_is_refused_with_a_reason() {
        for text in [
            "1e3", "+5", "1,000.00", "12.", ".5", "abc", "1 000", "--1", "NaN",
        ] {
            assert!(
                matches!(eur().parse_amount(text), Err(MoneyError::NotANumber(_))),
                "{text} should be refused"
            );
        }
        assert_eq!(eur().parse_amount(""), Err(MoneyError::Empty));
        assert!(matches!(
            eur().parse_amount("1.001"),
            Err(MoneyError::TooManyDecimals { scale: 2, .. })
        ));
        let jpy = Currency::parse("JPY").unwrap();
        assert!(jpy.parse_amount("10.5").is_err());
        assert_eq!(
            eur().parse_positive_amount("0.00"),
            Err(MoneyError::NotPositive)
        );
        assert_eq!(eur().parse_positive_amount("-1"), Err(MoneyError::Negative));
        assert_eq!(
            eur().parse_amount("99999999999999999999999"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn sums_that_overflow_are_errors() {
        let max = Money {
            amount: Decimal::MAX,
            currency: eur(),
        };
        assert_eq!(max.checked_add(max), Err(MoneyError::TooLarge));
        let min = Money {
            amount: Decimal::MIN,
            currency: eur(),
        };
        assert_eq!(min.checked_sub(max), Err(MoneyError::TooLarge));
    }

    #[test]
    fn minor_units_never_panic_and_refuse_what_does_not_fit() {
        assert_eq!(eur().to_minor(Decimal::MAX), None);
        assert_eq!(eur().to_minor(Decimal::MIN), None);
        assert_eq!(eur().to_minor(dec!(7922816251426433759354395033)), None);
        assert_eq!(eur().to_minor(dec!(92233720368547758.07)), Some(i64::MAX));
        assert_eq!(eur().to_minor(dec!(92233720368547758.08)), None);
        assert_eq!(eur().to_minor(dec!(-92233720368547758.08)), Some(i64::MIN));
    }

    #[test]
    fn minor_units_round_trip() {
        assert_eq!(eur().to_minor(dec!(12.34)), Some(1234));
        assert_eq!(eur().to_minor(dec!(12.345)), None);
        assert_eq!(eur().to_minor(dec!(12.3400)), Some(1234));
        assert_eq!(eur().from_minor(1234).to_string(), "12.34");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(eur().round(dec!(6.665)), dec!(6.67));
        assert_eq!(eur().round(dec!(-6.665)), dec!(-6.67));
        assert_eq!(eur().round(dec!(6.664)), dec!(6.66));
    }

    #[test]
    fn formatting_groups_thousands() {
        assert_eq!(eur().format(dec!(1410)), "1,410.00 EUR");
        assert_eq!(eur().format(dec!(-1234567.5)), "-1,234,567.50 EUR");
        assert_eq!(
            Currency::parse("JPY").unwrap().format(dec!(1500)),
            "1,500 JPY"
        );
    }

    #[test]
    fn money_refuses_to_mix_currencies() {
        let usd = Currency::parse("USD").unwrap();
        let a = Money::new(dec!(10), eur());
        let b = Money::new(dec!(5), usd);
        assert!(matches!(
            a.checked_add(b),
            Err(MoneyError::CurrencyMismatch("EUR", "USD"))
        ));
        assert_eq!(
            a.checked_sub(Money::new(dec!(2.5), eur()))
                .unwrap()
                .to_string(),
            "7.50 EUR"
        );
    }
}
