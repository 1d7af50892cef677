//! The invoice editor's form: a new invoice (a draft, or issued at once), the edit of a draft
//! or pending one, and the correction invoice of an issued one, its lines negated.

use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::new_credit_note::LineRowInput;
use crate::model::{InvoiceEditorPage, InvoiceView};
use crate::problem::Problem;

/// The whole form as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceForm {
    #[serde(default)]
    pub customer_id: String,
    /// Blank: the customer's currency.
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub issue_date: String,
    #[serde(default)]
    pub due_date: String,
    /// Blank: the next number of the series (when issued).
    #[serde(default)]
    pub number: String,
    /// `standard`, `advance` or `correction`.
    #[serde(default)]
    pub kind: String,
    /// The invoice a correction invoice corrects (its id).
    #[serde(default)]
    pub corrects: String,
    #[serde(default)]
    pub project: String,
    /// `draft`, or `pending` to issue it at once.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub lines: Vec<LineRowInput>,
}

impl InvoiceForm {
    /// The form filled with what an invoice says, to edit it.
    pub fn from_invoice(invoice: &InvoiceView) -> Self {
        InvoiceForm {
            customer_id: invoice.customer_id.to_string(),
            currency: invoice.currency.code().to_string(),
            issue_date: invoice.issue_date.to_string(),
            due_date: invoice
                .due_date
                .map(|date| date.to_string())
                .unwrap_or_default(),
            number: invoice.number.clone(),
            kind: invoice.kind.as_str().to_string(),
            corrects: invoice
                .related_invoice_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            project: invoice.project.clone().unwrap_or_default(),
            status: invoice.status.as_str().to_string(),
            lines: line_rows(invoice, Decimal::ONE),
        }
    }

    /// A correction invoice of `invoice`: same customer and project, every line with its
    /// quantity negated, so its total is the negative of the original (−100 EUR for 100 EUR).
    /// The user then keeps only what is corrected.
    pub fn correction_of(invoice: &InvoiceView) -> Self {
        InvoiceForm {
            customer_id: invoice.customer_id.to_string(),
            currency: invoice.currency.code().to_string(),
            kind: crate::domain::InvoiceKind::Correction.as_str().to_string(),
            corrects: invoice.id.to_string(),
            project: invoice.project.clone().unwrap_or_default(),
            status: crate::domain::InvoiceStatus::Pending.as_str().to_string(),
            lines: line_rows(invoice, Decimal::NEGATIVE_ONE),
            ..Default::default()
        }
    }
}

fn line_rows(invoice: &InvoiceView, sign: Decimal) -> Vec<LineRowInput> {
    invoice
        .lines
        .iter()
        .map(|line| LineRowInput::of_line(line, invoice.currency, sign))
        .collect()
}

/// The editor's choices: the customers matching `customer_q` (`customer_id` first) and the
/// tax table.
#[server(prefix = "/rpc", endpoint = "load_invoice_editor")]
pub async fn load_invoice_editor(
    #[server(default)] customer_id: Option<i64>,
    #[server(default)] customer_q: String,
) -> Result<InvoiceEditorPage, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .invoice_editor_page(&user, customer_id, &customer_q)
        .await
}

/// Saves the form: a new invoice, or the changes of invoice `invoice_id`. Then opens it.
#[server(prefix = "/rpc", endpoint = "save_invoice")]
pub async fn save_invoice(
    #[server(default)] invoice_id: Option<i64>,
    #[server(default)] form: InvoiceForm,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let id = crate::backend::desk()?
        .save_invoice(&user, invoice_id, form)
        .await?;
    leptos_axum::redirect(&format!("/invoices/{id}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, InvoiceKind, InvoiceStatus};
    use crate::model::LineView;

    #[test]
    fn a_correction_negates_every_line_of_the_invoice_it_corrects() {
        let line = LineView {
            description: "Chair".into(),
            quantity: Decimal::new(25, 1),
            unit_price: Decimal::new(4000, 2),
            discount_percent: Decimal::ZERO,
            tax_rate: Decimal::from(20),
            net: Decimal::new(10000, 2),
            tax: Decimal::new(2000, 2),
            total: Decimal::new(12000, 2),
            ship_date: None,
            vat_category: crate::domain::VatCategory::Standard,
            vat_exemption_reason: None,
            nature: crate::domain::LineNature::Goods,
            revenue_account: None,
        };
        let invoice = InvoiceView {
            id: 7,
            number: "INV-2026-00007".into(),
            customer_id: 3,
            customer_name: "Acme".into(),
            currency: Currency::parse("EUR").unwrap(),
            issue_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            due_date: None,
            kind: InvoiceKind::Standard,
            status: InvoiceStatus::Pending,
            lines: vec![line],
            subtotal: Decimal::new(10000, 2),
            tax_total: Decimal::new(2000, 2),
            total: Decimal::new(12000, 2),
            paid_amount: Decimal::ZERO,
            credited_amount: Decimal::ZERO,
            related_invoice_id: None,
            project: Some("Fit-out".into()),
            imported: false,
            allocations: vec![],
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        };
        let form = InvoiceForm::correction_of(&invoice);
        assert_eq!(
            (
                form.kind.as_str(),
                form.corrects.as_str(),
                form.customer_id.as_str()
            ),
            ("correction", "7", "3")
        );
        assert_eq!(form.lines[0].quantity, "-2.5");
        assert_eq!(form.lines[0].unit_price, "40.00");
        assert_eq!(form.project, "Fit-out");
        assert!(form.issue_date.is_empty(), "the editor proposes today");
        assert_eq!(InvoiceForm::from_invoice(&invoice).lines[0].quantity, "2.5");
    }
}
