//! Document lines as requests give them, and the tax rates they take inside the transaction.

use app::domain::{LineInput, RuleCode, Violation};
use rust_decimal::Decimal;

use super::ServiceError;
use crate::storage::Tx;

/// A line as a request gives it: its own tax rate, or a tax category whose rate the tax table
/// gives for the customer's region.
#[derive(Clone, Debug)]
pub struct LineDraft {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Option<Decimal>,
    /// `standard` when absent.
    pub tax_category: Option<String>,
}

impl From<LineInput> for LineDraft {
    fn from(line: LineInput) -> Self {
        Self {
            description: line.description,
            quantity: line.quantity,
            unit_price: line.unit_price,
            discount_percent: line.discount_percent,
            tax_rate: Some(line.tax_rate),
            tax_category: None,
        }
    }
}

/// Gives every line its tax rate, read in the caller's transaction: its own (0–100 %), else
/// the table's for the customer's region and the line's category. Every line at fault is named.
pub(crate) async fn resolve_lines(
    tx: &mut Box<dyn Tx>,
    customer_id: i64,
    drafts: Vec<LineDraft>,
) -> Result<Vec<LineInput>, ServiceError> {
    let needs_table = drafts.iter().any(|line| line.tax_rate.is_none());
    let context = if needs_table {
        let region = tx.customer(customer_id).await?.map(|c| c.tax_region);
        Some((tx.tax_table().await?, region))
    } else {
        None
    };
    let mut violations = Vec::new();
    let mut lines = Vec::with_capacity(drafts.len());
    for (i, draft) in drafts.into_iter().enumerate() {
        let field = format!("lines[{i}].tax_rate");
        let rate = match (&context, draft.tax_rate) {
            (Some((table, Some(region))), rate) => {
                let category = draft.tax_category.as_deref().unwrap_or("standard");
                table.line_rate(region, category, rate, &field)
            }
            (_, Some(rate)) => {
                app::domain::TaxTable::default().line_rate("", "", Some(rate), &field)
            }
            // The customer is unknown: the customer check names that.
            (_, None) => Err(Violation::new(
                RuleCode::ValidationError,
                Some(field.as_str().into()),
                "Give a tax_rate, or a customer whose region has rates",
            )),
        };
        match rate {
            Ok(tax_rate) => lines.push(LineInput {
                description: draft.description,
                quantity: draft.quantity,
                unit_price: draft.unit_price,
                discount_percent: draft.discount_percent,
                tax_rate,
            }),
            Err(violation) => violations.push(violation),
        }
    }
    if violations.is_empty() {
        Ok(lines)
    } else {
        Err(violations.into())
    }
}
