//! Tax rates: the customer's tax region and the product's tax category select a rate from the
//! tax table kept in settings; a line may override it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::lines::is_percentage;
use super::vat::{VatCategory, line_vat};
use super::violation::{FieldPath, RuleCode, Violation};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRule {
    pub region: String,
    pub category: String,
    /// Percent, e.g. 20 or 17.5.
    pub rate: Decimal,
    /// Why the rule's lines are taxed as they are; absent: the rate says (standard or zero
    /// rated). A region of exports, say, has its rules at 0 % in category `export`.
    #[serde(default)]
    pub vat_category: Option<VatCategory>,
    /// The mention the rule's untaxed lines print, when not the category's own.
    #[serde(default)]
    pub vat_exemption_reason: Option<String>,
    /// The revenue account of the category's lines, when not the chart's account of their
    /// nature (PCG art. 944-70: 706 and 707 subdivided, exports apart say).
    #[serde(default)]
    pub revenue_account: Option<super::journal::Account>,
}

impl TaxRule {
    /// A rule whose rate alone says how its lines are taxed.
    pub fn new(region: &str, category: &str, rate: Decimal) -> Self {
        Self {
            region: region.into(),
            category: category.into(),
            rate,
            vat_category: None,
            vat_exemption_reason: None,
            revenue_account: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxTable {
    pub rules: Vec<TaxRule>,
}

impl TaxTable {
    /// What makes a table unusable: blank names, rates outside 0–100 %, a region and
    /// category given twice. Each on its field (`rules[2].rate`).
    pub fn violations(&self) -> Vec<Violation> {
        let mut violations = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let field = |name: &str| Some(FieldPath::item("rules", i, name));
            if rule.region.trim().is_empty() {
                violations.push(Violation::new(
                    RuleCode::ValidationError,
                    field("region"),
                    "Name the tax region",
                ));
            }
            if rule.category.trim().is_empty() {
                violations.push(Violation::new(
                    RuleCode::ValidationError,
                    field("category"),
                    "Name the tax category",
                ));
            }
            if !is_percentage(rule.rate) {
                violations.push(Violation::new(
                    RuleCode::ValidationError,
                    field("rate"),
                    "A tax rate is a percentage between 0 and 100",
                ));
            } else if let Err(violation) = line_vat(
                rule.rate,
                rule.vat_category,
                rule.vat_exemption_reason.as_deref(),
                &format!("rules[{i}]."),
                "rate",
            ) {
                violations.push(violation);
            }
            if let Some(account) = &rule.revenue_account {
                let prefix = format!("rules[{i}].revenue_account");
                for (path, message) in account.violations(&prefix) {
                    violations.push(Violation::new(
                        RuleCode::ValidationError,
                        Some(path.into()),
                        message,
                    ));
                }
            }
            if self.rules[..i]
                .iter()
                .any(|r| r.region == rule.region && r.category == rule.category)
            {
                violations.push(Violation::new(
                    RuleCode::ValidationError,
                    field("category"),
                    format!(
                        "Region {} has category {} twice",
                        rule.region, rule.category
                    ),
                ));
            }
        }
        violations
    }

    pub fn rate(&self, region: &str, category: &str) -> Option<Decimal> {
        self.rule(region, category).map(|rule| rule.rate)
    }

    /// The rule of a region and a product category.
    pub fn rule(&self, region: &str, category: &str) -> Option<&TaxRule> {
        self.rules
            .iter()
            .find(|rule| rule.region == region && rule.category == category)
    }

    /// The rate of one line: its own override when given (0–100 %), else the table's rate for
    /// the customer's region and the product's category.
    pub fn line_rate(
        &self,
        region: &str,
        category: &str,
        override_rate: Option<Decimal>,
        field: &str,
    ) -> Result<Decimal, Violation> {
        match override_rate {
            Some(rate) if !is_percentage(rate) => Err(Violation::new(
                RuleCode::ValidationError,
                Some(field.into()),
                "A tax rate is a percentage between 0 and 100",
            )),
            Some(rate) => Ok(rate),
            None => self.rate(region, category).ok_or_else(|| {
                Violation::new(
                    RuleCode::ValidationError,
                    Some(field.into()),
                    format!("No tax rate is set for region {region} and category {category}"),
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn table() -> TaxTable {
        TaxTable {
            rules: vec![
                TaxRule::new("DE", "standard", dec!(19)),
                TaxRule::new("DE", "reduced", dec!(7)),
                TaxRule::new("GB", "standard", dec!(20)),
            ],
        }
    }

    #[test]
    fn region_and_category_pick_the_rate() {
        assert_eq!(table().line_rate("DE", "reduced", None, "f"), Ok(dec!(7)));
        assert_eq!(table().line_rate("GB", "standard", None, "f"), Ok(dec!(20)));
    }

    #[test]
    fn a_line_may_override_the_rate() {
        assert_eq!(
            table().line_rate("DE", "standard", Some(dec!(17.5)), "f"),
            Ok(dec!(17.5))
        );
        assert!(
            table()
                .line_rate("DE", "standard", Some(dec!(101)), "f")
                .is_err()
        );
    }

    #[test]
    fn a_missing_rate_is_an_error_on_the_field() {
        let error = table()
            .line_rate("FR", "standard", None, "lines[0].tax_rate")
            .unwrap_err();
        assert_eq!(error.field, Some(FieldPath::item("lines", 0, "tax_rate")));
        assert_eq!(error.code, RuleCode::ValidationError);
    }

    /// EN 16931 BR-G-05: an export rule is at 0 %; BR-E-10 (CGI annexe II art. 242 nonies A,
    /// I-12°): an exempt rule names the article that exempts its lines.
    #[test]
    fn a_rule_states_a_category_its_rate_allows() {
        let mut table = table();
        table.rules.push(TaxRule {
            vat_category: Some(VatCategory::Export),
            ..TaxRule::new("EXPORT", "standard", dec!(20))
        });
        table.rules.push(TaxRule {
            vat_category: Some(VatCategory::Exempt),
            ..TaxRule::new("FR", "medical", dec!(0))
        });
        let fields: Vec<_> = table
            .violations()
            .into_iter()
            .map(|violation| violation.field.unwrap().to_string())
            .collect();
        assert_eq!(fields, ["rules[3].rate", "rules[4].vat_exemption_reason"]);
    }
}
