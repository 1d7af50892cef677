//! Reading request bodies and query strings: every text field is parsed with the domain's
//! rules, and every problem is reported on its field at once (422 `validation_error`).

use app::domain::{Currency, LineNature, Reader, VatCategory, Violation};
use app::problem::{FieldProblem, Problem};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::ApiError;
use crate::services::LineDraft;

/// Collects field errors while a request is read, with the shared reader's rules
/// ([`Reader::API`]: decimals with a point, ISO dates).
#[derive(Default)]
pub struct Fields {
    errors: Vec<FieldProblem>,
}

impl Fields {
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.refused(Violation::invalid(field, message));
    }

    fn refused(&mut self, violation: Violation) {
        self.errors.extend(Problem::from(vec![violation]).errors);
    }

    fn read<T>(&mut self, read: Result<T, Violation>) -> Option<T> {
        read.map_err(|violation| self.refused(violation)).ok()
    }

    pub fn currency(&mut self, field: &str, code: &str) -> Option<Currency> {
        self.read(Reader::API.currency(field, code))
    }

    pub fn decimal(&mut self, field: &str, text: &str) -> Option<Decimal> {
        self.read(Reader::API.decimal(field, text))
    }

    pub fn date(&mut self, field: &str, text: &str) -> Option<NaiveDate> {
        self.read(Reader::API.date(field, text))
    }

    pub fn id(&mut self, field: &str, text: &str) -> Option<i64> {
        self.read(Reader::API.id(field, text))
    }

    /// Reads lines as decimals; a unit price with more decimals than `currency` has (when the
    /// request names it) is reported with the other fields. The service checks the lines again
    /// against the document's currency and gives a line without `tax_rate` the tax table's
    /// rate, inside its transaction.
    pub fn lines(&mut self, lines: &[LineRequest], currency: Option<Currency>) -> Vec<LineDraft> {
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| {
                let field = |name: &str| format!("lines[{i}].{name}");
                let quantity = self.decimal(&field("quantity"), &line.quantity);
                let unit_price = match currency {
                    Some(currency) => self.read(Reader::API.amount(
                        &field("unit_price"),
                        &line.unit_price,
                        currency,
                    )),
                    None => self.decimal(&field("unit_price"), &line.unit_price),
                };
                let discount = self.decimal(
                    &field("discount_percent"),
                    line.discount_percent.as_deref().unwrap_or("0"),
                );
                let tax_rate = match &line.tax_rate {
                    Some(rate) => Some(self.decimal(&field("tax_rate"), rate)?),
                    None => None,
                };
                let ship_date = match &line.ship_date {
                    Some(date) => Some(self.date(&field("ship_date"), date)?),
                    None => None,
                };
                Some(LineDraft {
                    description: line.description.clone(),
                    quantity: quantity?,
                    unit_price: unit_price?,
                    discount_percent: discount?,
                    tax_rate,
                    tax_category: line.tax_category.clone(),
                    ship_date,
                    vat_category: line.vat_category,
                    vat_exemption_reason: line.vat_exemption_reason.clone(),
                    nature: line.nature,
                    revenue_account: None,
                })
            })
            .collect()
    }

    /// `Ok(value)` when nothing was wrong, else one 422 problem listing every field.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, ApiError> {
        if self.errors.is_empty()
            && let Some(value) = value()
        {
            return Ok(value);
        }
        let mut problem = Problem::new(
            422,
            "validation_error",
            self.errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        );
        problem.errors = self.errors;
        Err(ApiError(problem))
    }
}

/// A line as the API takes it: decimals as strings.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    #[serde(default)]
    pub discount_percent: Option<String>,
    /// Percent; taken from the tax table when absent.
    #[serde(default)]
    pub tax_rate: Option<String>,
    /// The product's tax category for the tax table (`standard` when absent).
    #[serde(default)]
    pub tax_category: Option<String>,
    /// When the line's goods were shipped (YYYY-MM-DD); a credit of the line carries it.
    #[serde(default)]
    #[schema(example = "2026-02-27")]
    pub ship_date: Option<String>,
    /// Why the line is taxed as it is (EN 16931 VAT category). Absent: the tax table's rule
    /// says when the rate comes from it, else the rate (`standard` above 0 %, `zero_rated` at
    /// 0 %). Every category but `standard` is at 0 %.
    #[serde(default)]
    pub vat_category: Option<VatCategory>,
    /// What an untaxed line prints about its VAT: the exempting article (required for
    /// `exempt`); the law's mention for the other untaxed categories when absent.
    #[serde(default)]
    #[schema(example = json!(null))]
    pub vat_exemption_reason: Option<String>,
    /// What the line sells: `goods` (revenue account 707) or `services` (706, VAT due on
    /// payment unless the seller opted for debits). Absent: `goods` for a seller of goods
    /// only, else `services`.
    #[serde(default)]
    pub nature: Option<LineNature>,
}

/// For `PATCH` fields that may be set to null: absent stays `None`, `null` becomes
/// `Some(None)`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
