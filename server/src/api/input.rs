//! Reading request bodies and query strings: every text field is parsed with the domain's
//! rules, and every problem is reported on its field at once (422 `validation_error`).

use app::domain::{Currency, LineInput, parse_decimal};
use app::problem::{FieldProblem, Problem};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::ApiError;

/// Collects field errors while a request is read.
#[derive(Default)]
pub struct Fields {
    errors: Vec<FieldProblem>,
}

impl Fields {
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldProblem {
            field: field.to_string(),
            code: "validation_error".into(),
            message: message.into(),
        });
    }

    pub fn currency(&mut self, field: &str, code: &str) -> Option<Currency> {
        Currency::parse(code)
            .map_err(|e| self.error(field, e.to_string()))
            .ok()
    }

    pub fn amount(
        &mut self,
        field: &str,
        text: &str,
        currency: Option<Currency>,
    ) -> Option<Decimal> {
        let currency = currency?;
        currency
            .parse_amount(text)
            .map_err(|e| self.error(field, e.to_string()))
            .ok()
    }

    pub fn decimal(&mut self, field: &str, text: &str) -> Option<Decimal> {
        parse_decimal(text)
            .map_err(|e| self.error(field, e.to_string()))
            .ok()
    }

    pub fn date(&mut self, field: &str, text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| self.error(field, "Use a date like 2026-11-23"))
            .ok()
    }

    pub fn id(&mut self, field: &str, text: &str) -> Option<i64> {
        text.parse::<i64>().ok().filter(|id| *id > 0).or_else(|| {
            self.error(field, "Use a positive whole number");
            None
        })
    }

    /// Reads lines; a line without `tax_rate` takes the tax table's rate for the customer's
    /// region and the line's `tax_category` (default `standard`).
    pub fn lines(
        &mut self,
        lines: &[LineRequest],
        currency: Option<Currency>,
        tax: Option<&TaxContext>,
    ) -> Vec<LineInput> {
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| {
                let field = |name: &str| format!("lines[{i}].{name}");
                let quantity = self.decimal(&field("quantity"), &line.quantity);
                let unit_price = self.amount(&field("unit_price"), &line.unit_price, currency);
                let discount = self.decimal(
                    &field("discount_percent"),
                    line.discount_percent.as_deref().unwrap_or("0"),
                );
                let tax_rate = match (&line.tax_rate, tax) {
                    (Some(rate), _) => self.decimal(&field("tax_rate"), rate),
                    (None, Some(tax)) => {
                        let category = line.tax_category.as_deref().unwrap_or("standard");
                        tax.table
                            .line_rate(&tax.region, category, None, &field("tax_rate"))
                            .map_err(|v| self.error(&field("tax_rate"), v.message))
                            .ok()
                    }
                    (None, None) => {
                        self.error(
                            &field("tax_rate"),
                            "Give a tax_rate, or a customer whose region has rates",
                        );
                        None
                    }
                };
                Some(LineInput {
                    description: line.description.clone(),
                    quantity: quantity?,
                    unit_price: unit_price?,
                    discount_percent: discount?,
                    tax_rate: tax_rate?,
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
}

/// What a line without its own rate needs: the tax table and the customer's region.
pub struct TaxContext {
    pub table: app::domain::TaxTable,
    pub region: String,
}

impl TaxContext {
    /// Loaded only when some line lacks a rate; `None` when the customer is unknown (the
    /// service then reports the customer).
    pub async fn for_lines(
        services: &crate::services::Services,
        user: &app::model::CurrentUser,
        customer_id: i64,
        lines: &[LineRequest],
    ) -> Result<Option<TaxContext>, ApiError> {
        if lines.iter().all(|line| line.tax_rate.is_some()) {
            return Ok(None);
        }
        let Ok(customer) = services.customer(user, customer_id).await else {
            return Ok(None);
        };
        let table = services.tax_table(user).await?;
        Ok(Some(TaxContext {
            table,
            region: customer.tax_region,
        }))
    }
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
