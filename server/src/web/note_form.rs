//! The browser's new-credit-note form, read into the service's input: the customer's currency
//! gives the amounts their meaning, the related invoice is named by its number, and every
//! refusal comes back on the form row it concerns.

use app::domain::{Charge, ReasonCategory};
use app::model::CurrentUser;
use app::problem::Problem;
use app::rpc::new_credit_note::{FormLine, NewCreditNoteForm, on_rows, parse_rows};

use crate::services::{
    Caller, CreditNoteChanges, InvoiceFilter, LineDraft, NewCreditNoteInput, NoteParticulars, Page,
    Services,
};

/// The lines a form gave, as the services take them (the rate, when blank, from the table).
pub fn line_drafts(lines: &[FormLine]) -> Vec<LineDraft> {
    lines
        .iter()
        .map(|line| LineDraft {
            description: line.description.clone(),
            quantity: line.quantity,
            unit_price: line.unit_price,
            discount_percent: line.discount_percent,
            tax_rate: line.tax_rate,
            tax_category: None,
            vat_category: line.vat_category,
            vat_exemption_reason: line.vat_exemption_reason.clone(),
            nature: line.nature,
            ship_date: line.ship_date,
            revenue_account: None,
        })
        .collect()
}

/// The customer a form's `customer_id` names, or "Choose a customer" on that field.
pub async fn chosen_customer(
    services: &Services,
    user: &CurrentUser,
    id: &str,
) -> Result<app::model::CustomerView, Problem> {
    let choose = || Problem::validation("customer_id", "Choose a customer");
    let id = id.trim().parse::<i64>().map_err(|_| choose())?;
    services.customer(user, id).await.map_err(|_| choose())
}

/// Creates the draft the form describes, or makes note `id` say it; answers the note's id.
pub async fn save_from_form(
    services: &Services,
    user: &CurrentUser,
    id: Option<i64>,
    form: NewCreditNoteForm,
) -> Result<i64, Problem> {
    let customer = chosen_customer(services, user, &form.customer_id).await?;
    let customer_id = customer.id;
    let currency = customer.currency;
    let date = app::rpc::reader().date("date", &form.date)?;
    let related_invoice_id = match form.related_invoice.trim() {
        "" => None,
        number => {
            let filter = InvoiceFilter {
                number: Some(number.to_string()),
                ..Default::default()
            };
            // Numbers are unique: one row answers.
            let found = services
                .find_invoices(user, filter, Page { after: 0, limit: 1 })
                .await?;
            let invoice = found.first().ok_or_else(|| {
                Problem::validation("related_invoice", format!("There is no invoice {number}"))
            })?;
            Some(invoice.id)
        }
    };
    let reason = Some(form.reason.trim().to_string()).filter(|r| !r.is_empty());
    let reason_category =
        match form.reason_category.trim() {
            "" => None,
            name => Some(ReasonCategory::parse(name).ok_or_else(|| {
                Problem::validation("reason_category", "Choose a reason category")
            })?),
        };
    let (billing_address, shipping_address) = (form.billing.address(), form.shipping.address());
    let (lines, charge) = if form.kind == "charge" {
        let amount =
            app::rpc::reader().positive_amount("charge.amount", &form.charge_amount, currency)?;
        let charge = Charge {
            code: form.charge_code.trim().to_string(),
            description: form.charge_description.trim().to_string(),
            amount,
        };
        (Vec::new(), Some(charge))
    } else {
        (parse_rows(&form.lines, currency)?, None)
    };
    let drafts = line_drafts(&lines);
    let saved = match id {
        Some(id) => {
            let is_charge = charge.is_some();
            let changes = CreditNoteChanges {
                customer_id: Some(customer_id),
                currency: Some(currency),
                related_invoice_id: Some(related_invoice_id),
                date: Some(date),
                reason: Some(reason),
                reason_category: Some(reason_category),
                billing_address,
                shipping_address,
                lines: (!is_charge).then_some(drafts),
                charge,
            };
            services
                .edit_credit_note(user, id, changes)
                .await
                .map(|note| note.id)
        }
        None => {
            let input = NewCreditNoteInput {
                customer_id,
                currency,
                date,
                reason,
                related_invoice_id,
                lines: drafts,
                charge,
                particulars: NoteParticulars {
                    reason_category,
                    billing_address,
                    shipping_address,
                    external_reference: None,
                },
            };
            services
                .create_credit_note(Caller::User(user), input)
                .await
                .map(|created| created.note.id)
        }
    };
    saved.map_err(|error| on_rows(Problem::from(error), &lines))
}
