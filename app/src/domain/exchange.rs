//! Books kept in euros. French books are kept in euros (Code de commerce art. L123-22; PCG art.
//! 420-5): a document in another currency is booked at the exchange rate of its date, with its
//! own amount kept beside (the FEC's `Montantdevise` and `Idevise`, LPF art. A47 A-1), and
//! what a later settlement at another rate gains or loses is a realised exchange difference
//! (PCG art. 420-7: accounts 666 and 766).
//!
//! A rate is written the way the European Central Bank publishes its reference rates: how many
//! units of the currency one euro buys (`USD 1.0921` means 1 EUR = 1.0921 USD).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::money::{Currency, MoneyError};
use super::violation::{RuleCode, Violation};

/// The currency the books are kept in.
pub const BOOK_CURRENCY: &str = "EUR";

/// The currency the books are kept in.
pub fn book_currency() -> Currency {
    // The code is a constant ISO 4217 code: parsing it cannot fail.
    Currency::parse(BOOK_CURRENCY).unwrap_or_else(|_| unreachable!("EUR is a currency"))
}

/// How long a rate stays in force after its date while no newer one is published: the ECB
/// publishes none on weekends and TARGET holidays (Good Friday to Easter Monday is four days).
pub const RATE_IN_FORCE_DAYS: i64 = 7;

/// The most decimals a rate may have (the ECB publishes at most six significant digits).
pub const MAX_RATE_SCALE: u32 = 10;

/// A reference rate: how many units of `currency` one euro buys on `date`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRate {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "USD"))]
    pub currency: Currency,
    pub date: NaiveDate,
    /// Units of `currency` for one euro, as the ECB writes it.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "1.0921"))]
    pub rate: Decimal,
}

/// What is wrong with a rate before it is kept, by field: a currency other than the books', a
/// positive rate of at most [`MAX_RATE_SCALE`] decimals and at most a million units per euro.
pub fn rate_violations(rate: &ExchangeRate) -> Vec<Violation> {
    let mut found = Vec::new();
    if rate.currency == book_currency() {
        found.push(Violation::new(
            RuleCode::ValidationError,
            Some("currency".into()),
            format!("The books are kept in {BOOK_CURRENCY}: it needs no rate"),
        ));
    }
    // No currency buys less than a millionth of a euro or more than a million a euro.
    let (min, max) = (Decimal::new(1, 6), Decimal::from(1_000_000));
    if rate.rate < min || rate.rate > max || rate.rate.normalize().scale() > MAX_RATE_SCALE {
        found.push(Violation::new(
            RuleCode::ValidationError,
            Some("rate".into()),
            format!(
                "A rate is the units of {} one euro buys: from 0.000001 to 1000000, with at \
                 most {MAX_RATE_SCALE} decimals",
                rate.currency.code()
            ),
        ));
    }
    found
}

/// Of the rates of one currency published on or before `date` (`latest` is the newest of
/// them), the one in force on `date`: none when it is older than [`RATE_IN_FORCE_DAYS`].
pub fn rate_in_force(latest: Option<&ExchangeRate>, date: NaiveDate) -> Option<Decimal> {
    let latest = latest?;
    let age = (date - latest.date).num_days();
    (0..=RATE_IN_FORCE_DAYS)
        .contains(&age)
        .then_some(latest.rate)
}

/// The refusal when a document, payment or refund in `currency` is dated `date` and no rate is
/// in force then.
pub fn missing_rate(currency: Currency, date: NaiveDate, field: &str) -> Violation {
    Violation::new(
        RuleCode::ExchangeRateMissing,
        Some(field.into()),
        format!(
            "No {} exchange rate in force on {date}: add the rate of that day (or of one of the \
             {RATE_IN_FORCE_DAYS} days before) under Settings → Exchange rates, or import the \
             ECB reference rates",
            currency.code()
        ),
    )
}

/// `amount` of a foreign currency in the books' currency at `rate`, rounded to the cent.
pub fn book_value(amount: Decimal, rate: Decimal) -> Result<Decimal, MoneyError> {
    let value = amount.checked_div(rate).ok_or(MoneyError::TooLarge)?;
    Ok(book_currency().round(value))
}

/// A document's VAT total in the books: the sum of each rate's VAT valued at `rate`, as its
/// entry books it (a rate's VAT, not each line's, is converted).
pub fn vat_in_books(
    lines: &[super::LineInput],
    currency: Currency,
    rate: Decimal,
) -> Result<Decimal, MoneyError> {
    super::lines::totals_by_rate(lines, currency)?
        .into_iter()
        .try_fold(Decimal::ZERO, |total, row| {
            total
                .checked_add(book_value(row.tax, rate)?)
                .ok_or(MoneyError::TooLarge)
        })
        .map(|total| book_currency().round(total))
}

/// The book value of settling a document booked at `rate` from `before` to `after` (amounts of
/// its currency): the difference of their values, not the value of the difference, so what the
/// settlements of one document clear adds up to its booked total to the cent, in any order.
pub fn settled_value(
    rate: Decimal,
    before: Decimal,
    after: Decimal,
) -> Result<Decimal, MoneyError> {
    book_value(after, rate)?
        .checked_sub(book_value(before, rate)?)
        .ok_or(MoneyError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, d).unwrap()
    }

    fn rate(date: NaiveDate, rate: &str) -> ExchangeRate {
        ExchangeRate {
            currency: usd(),
            date,
            rate: rate.parse().unwrap(),
        }
    }

    /// PCG art. 420-5: a foreign amount is converted at the rate of the day; the ECB rate is
    /// units per euro, so 109.21 USD at 1.0921 is 100.00 EUR.
    #[test]
    fn a_foreign_amount_is_divided_by_the_rate_and_rounded_to_the_cent() {
        let value = |amount: &str, rate: &str| {
            book_value(amount.parse().unwrap(), rate.parse().unwrap())
                .unwrap()
                .to_string()
        };
        assert_eq!(value("109.21", "1.0921"), "100.00");
        assert_eq!(value("10.00", "3"), "3.33");
        assert_eq!(value("-10.00", "3"), "-3.33");
        assert_eq!(value("1000", "160.5"), "6.23");
    }

    #[test]
    fn settlements_of_one_document_clear_its_booked_total_to_the_cent() {
        let rate: Decimal = "3".parse().unwrap();
        let total: Decimal = "10.00".parse().unwrap();
        let booked = book_value(total, rate).unwrap();
        // Two payments of 5.00 are worth 1.67 each one by one: 3.34, a cent more than booked.
        // Valued as the change of what is settled, they are worth 1.67 and 1.66.
        let steps = ["0", "5.00", "10.00"].map(|s| s.parse::<Decimal>().unwrap());
        let cleared: Decimal = steps
            .windows(2)
            .map(|pair| settled_value(rate, pair[0], pair[1]).unwrap())
            .sum();
        assert_eq!(cleared, booked);
        assert_eq!(
            book_value(steps[1], rate).unwrap() * Decimal::TWO,
            booked + Decimal::new(1, 2)
        );
        // Taken back, it comes back to the cent.
        assert_eq!(settled_value(rate, steps[2], steps[0]).unwrap(), -booked);
    }

    #[test]
    fn a_rate_stays_in_force_a_week_and_never_before_its_date() {
        let friday = rate(day(3), "1.08");
        assert_eq!(
            rate_in_force(Some(&friday), day(3)),
            Some("1.08".parse().unwrap())
        );
        // The weekend and Easter Monday use Thursday's rate.
        assert!(rate_in_force(Some(&friday), day(6)).is_some());
        assert!(rate_in_force(Some(&friday), day(10)).is_some());
        assert_eq!(rate_in_force(Some(&friday), day(11)), None);
        assert_eq!(rate_in_force(Some(&friday), day(2)), None);
        assert_eq!(rate_in_force(None, day(3)), None);
    }

    #[test]
    fn a_rate_is_positive_bounded_and_not_for_the_books_currency() {
        assert!(rate_violations(&rate(day(1), "1.0921")).is_empty());
        for bad in ["0", "-1", "0.0000001", "1000001", "1.00000000001"] {
            assert_eq!(rate_violations(&rate(day(1), bad)).len(), 1, "{bad}");
        }
        let euro = ExchangeRate {
            currency: book_currency(),
            date: day(1),
            rate: Decimal::ONE,
        };
        assert_eq!(
            rate_violations(&euro)[0]
                .field
                .as_ref()
                .map(|f| f.to_string()),
            Some("currency".to_string())
        );
    }
}
