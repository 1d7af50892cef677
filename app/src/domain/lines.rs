//! Document lines and totals: net = qty × price × (1 − discount), tax = net × rate, each
//! rounded half away from zero to the currency's minor unit; totals are sums of line values.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::money::{Currency, MoneyError};
use super::vat::{LineNature, VatCategory};
use super::violation::{FieldPath, RuleCode, Violation};

/// What a line says; `discount_percent` and `tax_rate` are percentages ("10", "17.5").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Decimal,
    /// When the goods of the line were shipped, if known: a credit that credits the line
    /// carries it on.
    #[serde(default)]
    pub ship_date: Option<chrono::NaiveDate>,
    /// Why the line is taxed as it is; absent: standard above 0 %, zero rated at 0 %.
    #[serde(default)]
    pub vat_category: Option<VatCategory>,
    /// For an untaxed line: the mention it prints (the exempting article, "Autoliquidation").
    #[serde(default)]
    pub vat_exemption_reason: Option<String>,
    /// What the line sells; absent: what the seller's operations say (services unless goods
    /// only).
    #[serde(default)]
    pub nature: Option<LineNature>,
    /// Where its net is booked, when its tax category has an account of its own (else the
    /// chart's account of its nature). Taken from the tax rule that priced it.
    #[serde(default)]
    pub revenue_account: Option<super::journal::Account>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmounts {
    pub net: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentTotals {
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// At most this many lines on one document.
pub const MAX_LINES: usize = 1_000;
/// Quantities are at most this large (in absolute value)…
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// …with at most this many decimals.
pub const MAX_QUANTITY_DECIMALS: u32 = 6;
/// Unit prices are at most this large (in absolute value). Lines within these bounds still
/// overflow the stored integer minor units when both are near the top, so totals are checked
/// too (`line_violations`).
pub const MAX_UNIT_PRICE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

impl LineInput {
    /// The line's VAT category: its own, else its rate's.
    pub fn vat_category(&self) -> VatCategory {
        self.vat_category
            .unwrap_or(VatCategory::of_rate(self.tax_rate))
    }

    /// The exemption reason the line prints: its own, else its category's by law.
    pub fn exemption_reason(&self) -> Option<String> {
        let category = self.vat_category();
        if !category.is_untaxed() {
            return None;
        }
        self.vat_exemption_reason
            .clone()
            .or_else(|| category.default_reason().map(str::to_owned))
    }

    /// The line's net, tax and total, or [`MoneyError::TooLarge`] when one of them does not
    /// fit the currency's stored minor units. Never panics, whatever the input.
    pub fn checked_amounts(&self, currency: Currency) -> Result<LineAmounts, MoneyError> {
        let too_large = || MoneyError::TooLarge;
        let kept = HUNDRED
            .checked_sub(self.discount_percent)
            .ok_or_else(too_large)?;
        let net = self
            .quantity
            .checked_mul(self.unit_price)
            .and_then(|gross| gross.checked_mul(kept))
            .and_then(|net| net.checked_div(HUNDRED))
            .map(|net| currency.round(net))
            .ok_or_else(too_large)?;
        let tax = net
            .checked_mul(self.tax_rate)
            .and_then(|tax| tax.checked_div(HUNDRED))
            .map(|tax| currency.round(tax))
            .ok_or_else(too_large)?;
        let total = net.checked_add(tax).ok_or_else(too_large)?;
        let amounts = LineAmounts { net, tax, total };
        fits(currency, [net, tax, total])?;
        Ok(amounts)
    }

    /// [`LineInput::checked_amounts`] of a line that passed [`line_violations`], as every
    /// stored line has. Out-of-range input gives amounts no currency can store (never a panic).
    pub fn amounts(&self, currency: Currency) -> LineAmounts {
        self.checked_amounts(currency).unwrap_or(LineAmounts {
            net: Decimal::MAX,
            tax: Decimal::MAX,
            total: Decimal::MAX,
        })
    }
}

/// Every amount fits the currency's integer minor units, as storage keeps them.
fn fits(currency: Currency, amounts: [Decimal; 3]) -> Result<(), MoneyError> {
    if amounts
        .iter()
        .all(|amount| currency.to_minor(*amount).is_some())
    {
        Ok(())
    } else {
        Err(MoneyError::TooLarge)
    }
}

/// The sums of the lines' values, or [`MoneyError::TooLarge`] when a line or a sum does not
/// fit the currency's stored minor units.
pub fn checked_document_totals(
    lines: &[LineInput],
    currency: Currency,
) -> Result<DocumentTotals, MoneyError> {
    let zero = currency.zero();
    let mut sum = DocumentTotals {
        subtotal: zero,
        tax_total: zero,
        total: zero,
    };
    for line in lines {
        let line = line.checked_amounts(currency)?;
        let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or(MoneyError::TooLarge);
        sum = DocumentTotals {
            subtotal: add(sum.subtotal, line.net)?,
            tax_total: add(sum.tax_total, line.tax)?,
            total: add(sum.total, line.total)?,
        };
    }
    fits(currency, [sum.subtotal, sum.tax_total, sum.total])?;
    Ok(sum)
}

/// [`checked_document_totals`] of lines that passed [`line_violations`], as stored lines have.
/// Out-of-range input gives totals no currency can store (never a panic).
pub fn document_totals(lines: &[LineInput], currency: Currency) -> DocumentTotals {
    checked_document_totals(lines, currency).unwrap_or(DocumentTotals {
        subtotal: Decimal::MAX,
        tax_total: Decimal::MAX,
        total: Decimal::MAX,
    })
}

/// The taxable amount and the tax of every rate a document uses, lowest rate first: what an
/// invoice or credit note must state per rate (EU VAT Directive art. 226). Sums of the lines'
/// own rounded values, so the rows add up to the document's totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTotals {
    pub rate: Decimal,
    pub net: Decimal,
    pub tax: Decimal,
}

pub fn totals_by_rate(
    lines: &[LineInput],
    currency: Currency,
) -> Result<Vec<RateTotals>, MoneyError> {
    let mut rates: Vec<RateTotals> = totals_by(lines, currency, |line| line.tax_rate.normalize())?
        .into_iter()
        .map(|(rate, net, tax)| RateTotals { rate, net, tax })
        .collect();
    rates.sort_by_key(|row| row.rate);
    Ok(rates)
}

/// The net and the tax of the lines that share each `key`, in the order keys first appear:
/// sums of the lines' own rounded values, so they add up to the document's totals.
pub(crate) fn totals_by<K: PartialEq>(
    lines: &[LineInput],
    currency: Currency,
    key: impl Fn(&LineInput) -> K,
) -> Result<Vec<(K, Decimal, Decimal)>, MoneyError> {
    let mut rows: Vec<(K, Decimal, Decimal)> = Vec::new();
    for line in lines {
        let amounts = line.checked_amounts(currency)?;
        let key = key(line);
        let index = match rows.iter().position(|row| row.0 == key) {
            Some(index) => index,
            None => {
                rows.push((key, currency.zero(), currency.zero()));
                rows.len() - 1
            }
        };
        let row = &mut rows[index];
        row.1 = row.1.checked_add(amounts.net).ok_or(MoneyError::TooLarge)?;
        row.2 = row.2.checked_add(amounts.tax).ok_or(MoneyError::TooLarge)?;
    }
    Ok(rows)
}

/// Whether a percentage (a discount, a tax rate) lies within 0–100.
pub fn is_percentage(value: Decimal) -> bool {
    (Decimal::ZERO..=HUNDRED).contains(&value)
}

/// Which signs a document's lines may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineSigns {
    /// Invoice lines: a correction invoice carries negative amounts.
    Any,
    /// Credit-note lines: quantities above zero, prices not below (the note is the negative).
    Positive,
}

/// The rules every document line keeps, invoice or credit note, each broken one on its field
/// (`lines[3].quantity`): at most [`MAX_LINES`] lines; a description; a quantity other than
/// zero, within ±[`MAX_QUANTITY`] with at most [`MAX_QUANTITY_DECIMALS`] decimals; a unit
/// price within ±[`MAX_UNIT_PRICE`] in whole minor units; discount and tax rate 0–100 %; the
/// `signs` the document allows; and line and document totals that fit the currency's stored
/// minor units, so no later sum or conversion of these lines can overflow.
pub fn line_violations(
    lines: &[LineInput],
    currency: Currency,
    signs: LineSigns,
) -> Vec<Violation> {
    let invalid = |field: FieldPath, message: String| {
        Violation::new(RuleCode::ValidationError, Some(field), message)
    };
    if lines.len() > MAX_LINES {
        return vec![invalid(
            "lines".into(),
            format!("A document has at most {MAX_LINES} lines"),
        )];
    }
    let mut violations = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let field = |name: &str| FieldPath::item("lines", i, name);
        let before = violations.len();
        if line.description.trim().is_empty() {
            violations.push(invalid(field("description"), "Describe the line".into()));
        }
        let positive = signs == LineSigns::Positive;
        if line.quantity.is_zero() || (positive && line.quantity.is_sign_negative()) {
            let message = match signs {
                LineSigns::Any => "The quantity cannot be zero",
                LineSigns::Positive => "The quantity must be greater than zero",
            };
            violations.push(invalid(field("quantity"), message.into()));
        } else if line.quantity.abs() > MAX_QUANTITY {
            violations.push(invalid(
                field("quantity"),
                format!("A quantity is at most {MAX_QUANTITY}"),
            ));
        } else if line.quantity.normalize().scale() > MAX_QUANTITY_DECIMALS {
            violations.push(invalid(
                field("quantity"),
                format!("A quantity has at most {MAX_QUANTITY_DECIMALS} decimal places"),
            ));
        }
        if positive && line.unit_price.is_sign_negative() && !line.unit_price.is_zero() {
            violations.push(invalid(
                field("unit_price"),
                "A credited price cannot be negative".into(),
            ));
        } else if line.unit_price.abs() > MAX_UNIT_PRICE {
            violations.push(invalid(
                field("unit_price"),
                format!(
                    "A unit price is at most {}",
                    currency.format(MAX_UNIT_PRICE)
                ),
            ));
        } else if currency.to_minor(line.unit_price).is_none() {
            violations.push(
                invalid(
                    field("unit_price"),
                    currency.too_many_decimals().to_string(),
                )
                .saying(currency.too_many_decimals().into()),
            );
        }
        if !is_percentage(line.discount_percent) {
            violations.push(invalid(
                field("discount_percent"),
                "A discount is a percentage between 0 and 100".into(),
            ));
        }
        if !is_percentage(line.tax_rate) {
            violations.push(invalid(
                field("tax_rate"),
                "A tax rate is a percentage between 0 and 100".into(),
            ));
        }
        // Each value in bounds, the product may still not fit.
        if violations.len() == before && line.checked_amounts(currency).is_err() {
            violations.push(invalid(
                FieldPath::element("lines", i),
                format!(
                    "The line's total is more than {} can hold",
                    currency.format(max_amount(currency))
                ),
            ));
        }
    }
    if violations.is_empty() && checked_document_totals(lines, currency).is_err() {
        violations.push(invalid(
            "lines".into(),
            format!(
                "The document's total is more than {} can hold",
                currency.format(max_amount(currency))
            ),
        ));
    }
    violations
}

/// The largest amount storage keeps in `currency` (i64 minor units).
fn max_amount(currency: Currency) -> Decimal {
    currency.from_minor(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn line(quantity: Decimal, unit_price: Decimal, discount: Decimal, rate: Decimal) -> LineInput {
        LineInput {
            description: "item".into(),
            quantity,
            unit_price,
            discount_percent: discount,
            tax_rate: rate,
            ship_date: None,
            vat_category: None,
            vat_exemption_reason: None,
            nature: None,
            revenue_account: None,
        }
    }

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn tax_is_rounded_per_line_then_summed() {
        let lines = vec![line(dec!(1), dec!(33.33), dec!(0), dec!(20)); 3];
        assert_eq!(lines[0].amounts(eur()).tax, dec!(6.67));
        let totals = document_totals(&lines, eur());
        assert_eq!(totals.subtotal, dec!(99.99));
        assert_eq!(totals.tax_total, dec!(20.01));
        assert_eq!(totals.total.to_string(), "120.00");
    }

    #[test]
    fn discounts_apply_before_tax() {
        let totals = document_totals(&[line(dec!(2), dec!(50.00), dec!(10), dec!(20))], eur());
        assert_eq!(totals.subtotal, dec!(90.00));
        assert_eq!(totals.tax_total, dec!(18.00));
        assert_eq!(totals.total, dec!(108.00));
    }

    #[test]
    fn fractional_tax_rates() {
        let totals = document_totals(&[line(dec!(1), dec!(1200.00), dec!(0), dec!(17.5))], eur());
        assert_eq!(totals.total, dec!(1410.00));
    }

    #[test]
    fn totals_by_rate_add_up_to_the_document_and_merge_equal_rates() {
        let lines = [
            line(dec!(1), dec!(100.00), dec!(0), dec!(20)),
            line(dec!(3), dec!(10.00), dec!(0), dec!(5.5)),
            line(dec!(1), dec!(33.33), dec!(0), dec!(20.0)),
        ];
        let rates = totals_by_rate(&lines, eur()).unwrap();
        assert_eq!(
            rates,
            vec![
                RateTotals {
                    rate: dec!(5.5),
                    net: dec!(30.00),
                    tax: dec!(1.65)
                },
                RateTotals {
                    rate: dec!(20),
                    net: dec!(133.33),
                    tax: dec!(26.67)
                },
            ]
        );
        let totals = document_totals(&lines, eur());
        let net: Decimal = rates.iter().map(|row| row.net).sum();
        let tax: Decimal = rates.iter().map(|row| row.tax).sum();
        assert_eq!((net, tax), (totals.subtotal, totals.tax_total));
    }

    fn fields(lines: &[LineInput], currency: Currency, signs: LineSigns) -> Vec<String> {
        line_violations(lines, currency, signs)
            .into_iter()
            .map(|v| v.field.map(|path| path.to_string()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn extreme_values_are_refused_on_their_field_without_panicking() {
        let huge = Decimal::MAX;
        let bad = vec![
            line(huge, dec!(1), dec!(0), dec!(0)),
            line(dec!(1), dec!(100000000000000000000), dec!(0), dec!(0)),
            line(dec!(1), dec!(1), dec!(101), dec!(0)),
            line(dec!(1), dec!(1), dec!(0), dec!(-1)),
            line(dec!(0.0000001), dec!(1), dec!(0), dec!(0)),
            line(Decimal::MIN, Decimal::MIN, Decimal::MIN, Decimal::MAX),
        ];
        assert_eq!(
            fields(&bad, eur(), LineSigns::Any),
            [
                "lines[0].quantity",
                "lines[1].unit_price",
                "lines[2].discount_percent",
                "lines[3].tax_rate",
                "lines[4].quantity",
                "lines[5].quantity",
                "lines[5].unit_price",
                "lines[5].discount_percent",
                "lines[5].tax_rate",
            ]
        );
        // Unchecked, the same lines compute without a panic, to amounts no currency stores.
        for line in &bad {
            let amounts = line.amounts(eur());
            assert!(eur().to_minor(amounts.total).is_some() || amounts.total == Decimal::MAX);
        }
        assert!(checked_document_totals(&bad, eur()).is_err());
        assert_eq!(document_totals(&bad, eur()).total, Decimal::MAX);
    }

    #[test]
    fn the_largest_values_in_bounds_still_need_a_total_that_fits() {
        let top = line(MAX_QUANTITY, MAX_UNIT_PRICE, dec!(0), dec!(100));
        assert_eq!(fields(&[top], eur(), LineSigns::Any), ["lines[0]"]);
        // 9 × 10¹⁶ EUR fits the stored cents; twice that does not.
        let big = line(MAX_QUANTITY, dec!(90000000), dec!(0), dec!(0));
        assert!(line_violations(std::slice::from_ref(&big), eur(), LineSigns::Any).is_empty());
        assert_eq!(
            fields(&[big.clone(), big], eur(), LineSigns::Any),
            ["lines"]
        );
        // In KWD (three decimals) the same line is already too large on its own.
        let kwd = Currency::parse("KWD").unwrap();
        let big = line(MAX_QUANTITY, dec!(90000000), dec!(0), dec!(0));
        assert_eq!(fields(&[big], kwd, LineSigns::Any), ["lines[0]"]);
    }

    #[test]
    fn a_document_has_at_most_max_lines() {
        let many = vec![line(dec!(1), dec!(1), dec!(0), dec!(20)); MAX_LINES];
        assert!(line_violations(&many, eur(), LineSigns::Any).is_empty());
        let too_many = vec![line(dec!(1), dec!(1), dec!(0), dec!(20)); MAX_LINES + 1];
        assert_eq!(fields(&too_many, eur(), LineSigns::Any), ["lines"]);
    }

    #[test]
    fn signs_follow_the_document_kind() {
        let negative = [line(dec!(-1), dec!(-5), dec!(0), dec!(0))];
        assert!(line_violations(&negative, eur(), LineSigns::Any).is_empty());
        assert_eq!(
            fields(&negative, eur(), LineSigns::Positive),
            ["lines[0].quantity", "lines[0].unit_price"]
        );
        let free = [line(dec!(1), dec!(0), dec!(0), dec!(0))];
        assert!(line_violations(&free, eur(), LineSigns::Positive).is_empty());
    }

    #[test]
    fn correction_lines_are_negative() {
        let totals = document_totals(&[line(dec!(-1), dec!(100.00), dec!(0), dec!(0))], eur());
        assert_eq!(totals.total.to_string(), "-100.00");
    }
}
