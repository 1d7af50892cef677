//! Document lines and totals: net = qty × price × (1 − discount), tax = net × rate, each
//! rounded half away from zero to the currency's minor unit; totals are sums of line values.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::money::Currency;

/// What a line says; `discount_percent` and `tax_rate` are percentages ("10", "17.5").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Decimal,
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

impl LineInput {
    pub fn amounts(&self, currency: Currency) -> LineAmounts {
        let gross = self.quantity * self.unit_price;
        let net = currency.round(gross * (HUNDRED - self.discount_percent) / HUNDRED);
        let tax = currency.round(net * self.tax_rate / HUNDRED);
        LineAmounts {
            net,
            tax,
            total: net + tax,
        }
    }
}

pub fn document_totals(lines: &[LineInput], currency: Currency) -> DocumentTotals {
    let zero = currency.zero();
    lines.iter().map(|line| line.amounts(currency)).fold(
        DocumentTotals {
            subtotal: zero,
            tax_total: zero,
            total: zero,
        },
        |sum, line| DocumentTotals {
            subtotal: sum.subtotal + line.net,
            tax_total: sum.tax_total + line.tax,
            total: sum.total + line.total,
        },
    )
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
    fn correction_lines_are_negative() {
        let totals = document_totals(&[line(dec!(-1), dec!(100.00), dec!(0), dec!(0))], eur());
        assert_eq!(totals.total.to_string(), "-100.00");
    }
}
