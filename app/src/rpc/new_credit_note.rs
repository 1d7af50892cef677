//! The new-credit-note form: lines, or a standalone charge. The form's text is parsed here, in
//! shared code, so the browser's live totals and the server read it the same way.

use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::{Currency, FieldPath, LineInput, TaxTable, document_totals, parse_decimal};
use crate::model::NewCreditNotePage;
use crate::problem::Problem;

/// The tax category lines of this form take their table rate from.
pub const STANDARD_CATEGORY: &str = "standard";

/// One line row as posted; a row left blank is ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRowInput {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub unit_price: String,
    #[serde(default)]
    pub discount: String,
    /// Blank: the tax table's rate for the customer's region.
    #[serde(default)]
    pub tax_rate: String,
    /// YYYY-MM-DD, or blank.
    #[serde(default)]
    pub ship_date: String,
}

impl LineRowInput {
    fn is_blank(&self) -> bool {
        [&self.description, &self.unit_price, &self.tax_rate]
            .iter()
            .all(|text| text.trim().is_empty())
    }
}

/// A line read from the form: its row, and its rate if one was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormLine {
    pub row: usize,
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Option<Decimal>,
    pub ship_date: Option<chrono::NaiveDate>,
}

/// The field of a form row (`lines[3].unit_price`).
pub fn row_field(row: usize, field: &str) -> String {
    FieldPath::item("lines", row, field).to_string()
}

/// Reads the non-blank rows for `currency`; every field at fault is named on its row.
pub fn parse_rows(rows: &[LineRowInput], currency: Currency) -> Result<Vec<FormLine>, Problem> {
    let mut errors: Vec<crate::domain::Violation> = Vec::new();
    let mut lines = Vec::new();
    for (row, input) in rows.iter().enumerate() {
        if input.is_blank() {
            continue;
        }
        let mut number = |field: &str, text: &str, default: Option<Decimal>| {
            let text = text.trim();
            if text.is_empty()
                && let Some(default) = default
            {
                return Some(default);
            }
            let parsed = if field == "unit_price" {
                currency.parse_amount(text)
            } else {
                parse_decimal(text)
            };
            parsed
                .map_err(|error| {
                    errors.push(crate::domain::Violation::new(
                        crate::domain::RuleCode::ValidationError,
                        Some(FieldPath::item("lines", row, field)),
                        error.to_string(),
                    ))
                })
                .ok()
        };
        let quantity = number("quantity", &input.quantity, Some(Decimal::ONE));
        let unit_price = number("unit_price", &input.unit_price, None);
        let discount = number("discount_percent", &input.discount, Some(Decimal::ZERO));
        let tax_rate = if input.tax_rate.trim().is_empty() {
            Some(None)
        } else {
            number("tax_rate", &input.tax_rate, None).map(Some)
        };
        let ship_date = match input.ship_date.trim() {
            "" => Some(None),
            text => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => Some(Some(date)),
                Err(_) => {
                    errors.push(crate::domain::Violation::new(
                        crate::domain::RuleCode::ValidationError,
                        Some(FieldPath::item("lines", row, "ship_date")),
                        format!("{text} is not a date (YYYY-MM-DD)"),
                    ));
                    None
                }
            },
        };
        if let (
            Some(quantity),
            Some(unit_price),
            Some(discount_percent),
            Some(tax_rate),
            Some(ship_date),
        ) = (quantity, unit_price, discount, tax_rate, ship_date)
        {
            lines.push(FormLine {
                row,
                description: input.description.trim().to_string(),
                quantity,
                unit_price,
                discount_percent,
                tax_rate,
                ship_date,
            });
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(Problem::from(errors))
    }
}

/// The domain numbers its findings over the lines given; the form shows each on its row.
pub fn on_rows(problem: Problem, lines: &[FormLine]) -> Problem {
    problem.map_fields(|path| {
        let renamed = path
            .item_of("lines")
            .and_then(|(index, within)| Some(within.within("lines", lines.get(index)?.row)));
        renamed.unwrap_or(path)
    })
}

/// The document's total as the browser previews it: typed rates, else the table's.
pub fn preview_total(
    lines: &[FormLine],
    currency: Currency,
    table: &TaxTable,
    region: &str,
) -> Option<Decimal> {
    let inputs = lines
        .iter()
        .map(|line| {
            let rate = table
                .line_rate(region, STANDARD_CATEGORY, line.tax_rate, "")
                .ok()?;
            Some(LineInput {
                description: line.description.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                discount_percent: line.discount_percent,
                tax_rate: rate,
                ship_date: line.ship_date,
                vat_category: None,
                vat_exemption_reason: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(document_totals(&inputs, currency).total)
}

/// An address as the form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressInput {
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

impl AddressInput {
    pub fn from_address(address: &crate::model::Address) -> Self {
        AddressInput {
            line1: address.line1.clone(),
            line2: address.line2.clone().unwrap_or_default(),
            city: address.city.clone(),
            postal_code: address.postal_code.clone(),
            country: address.country.clone(),
        }
    }

    /// The address typed; `None` when every field is blank (the customer's then applies).
    pub fn address(&self) -> Option<crate::model::Address> {
        let typed = crate::model::Address::typed(
            &self.line1,
            &self.line2,
            &self.city,
            &self.postal_code,
            &self.country,
        );
        (typed != crate::model::Address::default()).then_some(typed)
    }
}

/// The whole form as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCreditNoteForm {
    #[serde(default)]
    pub customer_id: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub reason: String,
    /// A [`crate::domain::ReasonCategory`] name, or blank.
    #[serde(default)]
    pub reason_category: String,
    /// Blank: the customer's.
    #[serde(default)]
    pub billing: AddressInput,
    /// Blank: the customer's.
    #[serde(default)]
    pub shipping: AddressInput,
    /// The related invoice's number, if any.
    #[serde(default)]
    pub related_invoice: String,
    /// `lines`, or `charge` for a standalone credit.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub lines: Vec<LineRowInput>,
    #[serde(default)]
    pub charge_code: String,
    #[serde(default)]
    pub charge_description: String,
    #[serde(default)]
    pub charge_amount: String,
}

/// The form's choices: the customers matching `customer_q` (and the chosen one); with
/// `customer_id`, the first invoices of that customer a note can relate to.
#[server(prefix = "/rpc", endpoint = "load_new_credit_note")]
pub async fn load_new_credit_note(
    #[server(default)] customer_id: Option<i64>,
    #[server(default)] customer_q: String,
) -> Result<NewCreditNotePage, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .new_credit_note_page(&user, customer_id, &customer_q)
        .await
}

/// The customer's relatable invoices whose numbers start with `typed` (the related-invoice
/// field's type-ahead).
#[server(prefix = "/rpc", endpoint = "relatable_invoices")]
pub async fn relatable_invoices(
    customer_id: i64,
    #[server(default)] typed: String,
) -> Result<Vec<crate::model::RelatableInvoice>, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .relatable_invoices(&user, customer_id, &typed)
        .await
}

impl NewCreditNoteForm {
    /// The form filled with what a note says, to edit it.
    pub fn from_note(note: &crate::model::CreditNoteView) -> Self {
        let text = |value: Decimal| value.normalize().to_string();
        let money = |value: Decimal| note.currency.round(value).to_string();
        let (kind, charge) = match &note.charge {
            Some(charge) => ("charge", Some(charge)),
            None => ("lines", None),
        };
        NewCreditNoteForm {
            customer_id: note.customer_id.to_string(),
            date: note.date.to_string(),
            reason: note.reason.clone().unwrap_or_default(),
            reason_category: note
                .reason_category
                .map(|category| category.as_str().to_string())
                .unwrap_or_default(),
            billing: AddressInput::from_address(&note.billing_address),
            shipping: AddressInput::from_address(&note.shipping_address),
            related_invoice: note.related_invoice_number.clone().unwrap_or_default(),
            kind: kind.to_string(),
            lines: note
                .lines
                .iter()
                .map(|line| LineRowInput {
                    description: line.description.clone(),
                    quantity: text(line.quantity),
                    unit_price: money(line.unit_price),
                    discount: text(line.discount_percent),
                    tax_rate: text(line.tax_rate),
                    ship_date: line.ship_date.map(|d| d.to_string()).unwrap_or_default(),
                })
                .collect(),
            charge_code: charge.map(|c| c.code.clone()).unwrap_or_default(),
            charge_description: charge.map(|c| c.description.clone()).unwrap_or_default(),
            charge_amount: charge.map(|c| money(c.amount)).unwrap_or_default(),
        }
    }
}

/// Saves the form: a new draft credit note, or the changes of the note being edited (a
/// pending note goes back to draft). Then opens it.
#[server(prefix = "/rpc", endpoint = "save_credit_note")]
pub async fn save_credit_note(
    #[server(default)] credit_note_id: Option<i64>,
    #[server(default)] form: NewCreditNoteForm,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let note_id = crate::backend::desk()?
        .save_credit_note(&user, credit_note_id, form)
        .await?;
    leptos_axum::redirect(&format!("/credit-notes/{note_id}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn blank_rows_are_skipped_and_faults_named_on_their_row() {
        let rows = vec![
            LineRowInput::default(),
            LineRowInput {
                description: "Chair".into(),
                unit_price: "25.001".into(),
                ..Default::default()
            },
        ];
        let problem = parse_rows(&rows, eur()).unwrap_err();
        assert!(
            problem.field_message("lines[1].unit_price").is_some(),
            "{problem:?}"
        );

        let rows = vec![
            LineRowInput::default(),
            LineRowInput {
                description: "Chair".into(),
                quantity: "2".into(),
                unit_price: "25.00".into(),
                ..Default::default()
            },
        ];
        let lines = parse_rows(&rows, eur()).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].row, lines[0].tax_rate), (1, None));
        let table = TaxTable {
            rules: vec![crate::domain::TaxRule::new(
                "DE",
                STANDARD_CATEGORY,
                Decimal::from(19),
            )],
        };
        // 50.00 net and 19 % from the table.
        assert_eq!(
            preview_total(&lines, eur(), &table, "DE"),
            Some(Decimal::new(5950, 2))
        );
    }
}
