//! The new-credit-note form: lines, or a standalone charge. The form's text is parsed here, in
//! shared code, so the browser's live totals and the server read it the same way.

use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::{Currency, FieldPath, LineInput, TaxTable, document_totals};
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
    /// `goods`, `services`, or blank: what the seller's operations say.
    #[serde(default)]
    pub nature: String,
    /// An EN 16931 VAT category (`exempt`, `reverse_charge`…), or blank: the rate's.
    #[serde(default)]
    pub vat_category: String,
    /// An untaxed line's mention, or blank: the category's own.
    #[serde(default)]
    pub vat_exemption_reason: String,
}

impl LineRowInput {
    /// The row a document's line shows, `sign` applied to its quantity (−1: a correction).
    /// A VAT category or mention the rate implies is left blank, so a changed rate brings its
    /// own.
    pub fn of_line(line: &crate::model::LineView, currency: Currency, sign: Decimal) -> Self {
        // In the page's language, as the person edits them and the reader reads them back.
        let language = crate::i18n::use_language();
        let text = |value: Decimal| crate::i18n::format::editable(language, value.normalize());
        let implied = crate::domain::VatCategory::of_rate(line.tax_rate);
        let stated_reason = line
            .vat_exemption_reason
            .clone()
            .filter(|reason| Some(reason.as_str()) != line.vat_category.default_reason());
        LineRowInput {
            description: line.description.clone(),
            quantity: text(line.quantity * sign),
            unit_price: crate::i18n::format::editable(language, currency.round(line.unit_price)),
            discount: text(line.discount_percent),
            tax_rate: text(line.tax_rate),
            ship_date: line.ship_date.map(|d| d.to_string()).unwrap_or_default(),
            nature: line.nature.as_str().to_string(),
            vat_category: Some(line.vat_category)
                .filter(|category| *category != implied)
                .map(|category| category.as_str().to_string())
                .unwrap_or_default(),
            vat_exemption_reason: stated_reason.unwrap_or_default(),
        }
    }
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
    pub nature: Option<crate::domain::LineNature>,
    pub vat_category: Option<crate::domain::VatCategory>,
    pub vat_exemption_reason: Option<String>,
}

/// The value a list of the row names (`parse`), none when it is blank; else the text no list
/// offers.
fn chosen<T>(text: &str, parse: fn(&str) -> Option<T>) -> Result<Option<T>, &str> {
    match text.trim() {
        "" => Ok(None),
        text => parse(text).map(Some).ok_or(text),
    }
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
        let reader = super::reader();
        let at = |field: &str| FieldPath::item("lines", row, field).to_string();
        let mut number = |field: &str, text: &str, default: Option<Decimal>| {
            if reader.text(text).is_none()
                && let Some(default) = default
            {
                return Some(default);
            }
            let parsed = if field == "unit_price" {
                reader.amount(&at(field), text, currency)
            } else {
                reader.decimal(&at(field), text)
            };
            parsed.map_err(|violation| errors.push(violation)).ok()
        };
        let quantity = number("quantity", &input.quantity, Some(Decimal::ONE));
        let unit_price = number("unit_price", &input.unit_price, None);
        let discount = number("discount_percent", &input.discount, Some(Decimal::ZERO));
        let tax_rate = if input.tax_rate.trim().is_empty() {
            Some(None)
        } else {
            number("tax_rate", &input.tax_rate, None).map(Some)
        };
        let ship_date = reader
            .optional_date(&at("ship_date"), &input.ship_date)
            .map_err(|violation| errors.push(violation))
            .ok();
        // The choices of the row's lists; a value no list offers is named on its row.
        let mut unlisted = |field: &str, text: &str| {
            errors.push(crate::domain::Violation::new(
                crate::domain::RuleCode::ValidationError,
                Some(FieldPath::item("lines", row, field)),
                format!("{text} is not one of the choices"),
            ))
        };
        let nature = chosen(&input.nature, crate::domain::LineNature::parse)
            .map_err(|text| unlisted("nature", text))
            .ok();
        let vat_category = chosen(&input.vat_category, crate::domain::VatCategory::parse)
            .map_err(|text| unlisted("vat_category", text))
            .ok();
        if let (
            Some(quantity),
            Some(unit_price),
            Some(discount_percent),
            Some(tax_rate),
            Some(ship_date),
            Some(nature),
            Some(vat_category),
        ) = (
            quantity,
            unit_price,
            discount,
            tax_rate,
            ship_date,
            nature,
            vat_category,
        ) {
            lines.push(FormLine {
                row,
                description: input.description.trim().to_string(),
                quantity,
                unit_price,
                discount_percent,
                tax_rate,
                ship_date,
                nature,
                vat_category,
                vat_exemption_reason: Some(input.vat_exemption_reason.trim().to_string())
                    .filter(|text| !text.is_empty()),
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
                nature: None,
                revenue_account: None,
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
                .map(|line| LineRowInput::of_line(line, note.currency, Decimal::ONE))
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

    /// A line says what it sells and, at 0 %, why (EN 16931 BT-151, BT-120): the editor's
    /// lists reach the server as typed, and a value no list offers is refused on its row.
    #[test]
    fn a_row_carries_its_nature_and_vat_category_and_refuses_unknown_choices() {
        let row = |nature: &str, category: &str| LineRowInput {
            description: "Training".into(),
            unit_price: "100.00".into(),
            tax_rate: "0".into(),
            nature: nature.into(),
            vat_category: category.into(),
            vat_exemption_reason: " Exonération de TVA, article 261-4-4° du CGI ".into(),
            ..Default::default()
        };
        let lines = parse_rows(&[row("services", "exempt")], eur()).unwrap();
        assert_eq!(
            (
                lines[0].nature,
                lines[0].vat_category,
                lines[0].vat_exemption_reason.as_deref()
            ),
            (
                Some(crate::domain::LineNature::Services),
                Some(crate::domain::VatCategory::Exempt),
                Some("Exonération de TVA, article 261-4-4° du CGI")
            )
        );
        let blank = parse_rows(&[row("", "")], eur()).unwrap();
        assert_eq!((blank[0].nature, blank[0].vat_category), (None, None));
        let problem =
            parse_rows(&[LineRowInput::default(), row("software", "Z")], eur()).unwrap_err();
        assert!(
            problem.field_message("lines[1].nature").is_some(),
            "{problem:?}"
        );
        assert!(
            problem.field_message("lines[1].vat_category").is_some(),
            "{problem:?}"
        );
    }

    /// A line shown again for editing states only what its rate does not imply, so a changed
    /// rate is not held to a category it no longer has.
    #[test]
    fn a_line_shown_for_editing_keeps_only_what_its_rate_does_not_imply() {
        let line = |rate: i64, category, reason: Option<&str>| crate::model::LineView {
            description: "Chair".into(),
            quantity: Decimal::ONE,
            unit_price: Decimal::from(10),
            discount_percent: Decimal::ZERO,
            tax_rate: Decimal::from(rate),
            net: Decimal::from(10),
            tax: Decimal::ZERO,
            total: Decimal::from(10),
            ship_date: None,
            vat_category: category,
            vat_exemption_reason: reason.map(str::to_string),
            nature: crate::domain::LineNature::Goods,
            revenue_account: None,
        };
        let standard = LineRowInput::of_line(
            &line(20, crate::domain::VatCategory::Standard, None),
            eur(),
            Decimal::ONE,
        );
        assert_eq!(
            (standard.nature.as_str(), standard.vat_category.as_str()),
            ("goods", "")
        );
        let reverse = LineRowInput::of_line(
            &line(
                0,
                crate::domain::VatCategory::ReverseCharge,
                Some("Autoliquidation"),
            ),
            eur(),
            Decimal::NEGATIVE_ONE,
        );
        assert_eq!(
            (
                reverse.vat_category.as_str(),
                reverse.vat_exemption_reason.as_str(),
                reverse.quantity.as_str()
            ),
            ("reverse_charge", "", "-1")
        );
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
