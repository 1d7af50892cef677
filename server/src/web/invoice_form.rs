//! The browser's invoice editor, read into the service's input: the customer's currency gives
//! the amounts their meaning, and every refusal comes back on the form row it concerns.

use app::domain::{InvoiceKind, InvoiceStatus};
use app::model::CurrentUser;
use app::problem::Problem;
use app::rpc::invoice_editor::InvoiceForm;
use app::rpc::new_credit_note::{on_rows, parse_rows};

use crate::services::{Caller, InvoiceChanges, NewInvoiceInput, Services};

/// Creates the invoice the form describes, or makes invoice `id` say it; answers its id.
pub async fn save_from_form(
    services: &Services,
    user: &CurrentUser,
    id: Option<i64>,
    form: InvoiceForm,
) -> Result<i64, Problem> {
    let customer =
        crate::web::note_form::chosen_customer(services, user, &form.customer_id).await?;
    let customer_id = customer.id;
    // The currency typed, else the customer's; a correction's is the corrected invoice's.
    let reader = app::rpc::reader();
    let currency = match reader.text(&form.currency) {
        None => customer.currency,
        Some(code) => reader.currency("currency", code)?,
    };
    let due_date = reader.optional_date("due_date", &form.due_date)?;
    let lines = parse_rows(&form.lines, currency)?;
    let drafts = crate::web::note_form::line_drafts(&lines);
    let saved = match id {
        Some(id) => {
            let changes = InvoiceChanges {
                customer_id: Some(customer_id),
                currency: Some(currency),
                due_date: Some(due_date),
                lines: Some(drafts),
            };
            services
                .edit_invoice(user, id, changes)
                .await
                .map(|invoice| invoice.id)
        }
        None => {
            let issue_date = reader.date("issue_date", &form.issue_date)?;
            let kind = match form.kind.trim() {
                "" => InvoiceKind::Standard,
                kind => InvoiceKind::parse(kind)
                    .ok_or_else(|| Problem::validation("kind", "Choose the kind of invoice"))?,
            };
            let status = match form.status.trim() {
                "draft" => InvoiceStatus::Draft,
                "" | "pending" => InvoiceStatus::Pending,
                _ => {
                    return Err(Problem::validation(
                        "status",
                        "Save as a draft, or issue it",
                    ));
                }
            };
            let related_invoice_id = reader.optional_id("corrects", &form.corrects)?;
            let input = NewInvoiceInput {
                number: Some(form.number.trim().to_string()).filter(|n| !n.is_empty()),
                customer_id,
                currency,
                issue_date,
                due_date,
                kind,
                status,
                related_invoice_id,
                project: Some(form.project.trim().to_string()).filter(|p| !p.is_empty()),
                lines: drafts,
            };
            services
                .create_invoice(Caller::User(user), input)
                .await
                .map(|invoice| invoice.id)
        }
    };
    saved.map_err(|error| on_rows(Problem::from(error), &lines))
}
