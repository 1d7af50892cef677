//! Server functions of the credit-note screens. Each action is a plain form post that also
//! works without JavaScript: it redirects back to the page, and a refusal comes back on the
//! field it concerns.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::filters::{FilterReader, given};
use crate::domain::{CreditNoteStatus, FieldPath, LineSelection};
use crate::model::{CreditFromInvoicePage, CreditNoteListPage, CreditNotePage, CreditNoteQuery};
use crate::problem::Problem;

/// The list's filters as the URL carries them: text, parsed by [`CreditNoteFilters::parse`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteFilters {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The customer search box (see [`crate::pages::customer_choice`]).
    #[serde(default)]
    pub customer_q: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub date_from: Option<String>,
    #[serde(default)]
    pub date_to: Option<String>,
    #[serde(default)]
    pub invoice: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
    /// `by-invoice` groups the page under the related invoices; not a filter.
    #[serde(default)]
    pub view: Option<String>,
}

/// The list's `view` value that groups notes under their related invoice.
pub const BY_INVOICE: &str = "by-invoice";

/// The status the list shows when the URL names none: what can still be used.
pub const DEFAULT_STATUS: CreditNoteStatus = CreditNoteStatus::Available;
/// The status filter's value for "every status".
pub const ALL_STATUSES: &str = "all";

impl CreditNoteFilters {
    /// Parses every filter; each one at fault is named on its field.
    pub fn parse(&self) -> Result<CreditNoteQuery, Problem> {
        let mut read = FilterReader::default();
        let status = match given(&self.status) {
            None => Some(DEFAULT_STATUS),
            Some(ALL_STATUSES) => None,
            Some(name) => CreditNoteStatus::parse(name).or_else(|| {
                read.fail("status", format!("There is no status {name}"));
                None
            }),
        };
        let customer_id = read.id("customer_id", &self.customer_id);
        let after = read.cursor("after", &self.after).unwrap_or(0);
        let currency = read.currency("currency", &self.currency);
        let date_from = read.date("date_from", &self.date_from);
        let date_to = read.date("date_to", &self.date_to);
        read.finish(CreditNoteQuery {
            status,
            // Numbers are upper case (`CN-2026-00001`); `cn-2026` finds them on every database.
            number_prefix: given(&self.number).map(str::to_uppercase),
            customer_id,
            currency,
            date_from,
            date_to,
            related_invoice_number: given(&self.invoice).map(str::to_string),
            after,
            customer_search: self.customer_q.clone().unwrap_or_default(),
        })
    }
}

#[server(prefix = "/rpc", endpoint = "load_credit_note_list")]
pub async fn load_credit_note_list(
    // No filter at all encodes as nothing: absent means the defaults.
    #[server(default)] filters: CreditNoteFilters,
) -> Result<CreditNoteListPage, Problem> {
    let user = crate::backend::require_user().await?;
    let query = filters.parse()?;
    crate::backend::desk()?
        .credit_note_list_page(&user, query)
        .await
}

#[server(prefix = "/rpc", endpoint = "load_credit_note_page")]
pub async fn load_credit_note_page(credit_note_id: i64) -> Result<CreditNotePage, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .credit_note_page(&user, credit_note_id)
        .await
}

/// Runs one action on a credit note, then sends the browser back to its page (or `to`).
#[cfg(feature = "ssr")]
async fn act(
    credit_note_id: i64,
    command: crate::backend::NoteCommand,
    to: Option<&str>,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .credit_note_command(&user, credit_note_id, command)
        .await?;
    let page = format!("/credit-notes/{credit_note_id}");
    leptos_axum::redirect(to.unwrap_or(&page));
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "submit_credit_note")]
pub async fn submit_credit_note(credit_note_id: i64) -> Result<(), Problem> {
    act(credit_note_id, crate::backend::NoteCommand::Submit, None).await
}

#[server(prefix = "/rpc", endpoint = "reject_credit_note")]
pub async fn reject_credit_note(
    credit_note_id: i64,
    #[server(default)] reason: String,
) -> Result<(), Problem> {
    act(
        credit_note_id,
        crate::backend::NoteCommand::Reject { reason },
        None,
    )
    .await
}

/// Finalizing cannot be undone: the form carries an explicit confirmation.
#[server(prefix = "/rpc", endpoint = "finalize_credit_note")]
pub async fn finalize_credit_note(
    credit_note_id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), Problem> {
    if confirm.is_none() {
        return Err(Problem::validation(
            "confirm",
            "Confirm that the credit note is to be numbered and locked",
        ));
    }
    act(credit_note_id, crate::backend::NoteCommand::Finalize, None).await
}

#[server(prefix = "/rpc", endpoint = "cancel_credit_note")]
pub async fn cancel_credit_note(credit_note_id: i64) -> Result<(), Problem> {
    act(credit_note_id, crate::backend::NoteCommand::Cancel, None).await
}

#[server(prefix = "/rpc", endpoint = "void_credit_note")]
pub async fn void_credit_note(
    credit_note_id: i64,
    #[server(default)] reason: String,
) -> Result<(), Problem> {
    act(
        credit_note_id,
        crate::backend::NoteCommand::Void { reason },
        None,
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "delete_credit_note")]
pub async fn delete_credit_note(credit_note_id: i64) -> Result<(), Problem> {
    act(
        credit_note_id,
        crate::backend::NoteCommand::Delete,
        Some("/credit-notes?status=all"),
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "comment_credit_note")]
pub async fn comment_credit_note(
    credit_note_id: i64,
    #[server(default)] text: String,
) -> Result<(), Problem> {
    act(
        credit_note_id,
        crate::backend::NoteCommand::Comment { text },
        None,
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "refund_credit_note")]
pub async fn refund_credit_note(
    credit_note_id: i64,
    #[server(default)] amount: String,
    #[server(default)] date: String,
    #[server(default)] method: String,
) -> Result<(), Problem> {
    let date = super::reader().date("date", &date)?;
    let method = Some(method.trim().to_string()).filter(|m| !m.is_empty());
    act(
        credit_note_id,
        crate::backend::NoteCommand::Refund {
            amount,
            date,
            method,
        },
        None,
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "remove_attachment")]
pub async fn remove_attachment(credit_note_id: i64, attachment_id: i64) -> Result<(), Problem> {
    let tab = format!("/credit-notes/{credit_note_id}?tab=documents");
    act(
        credit_note_id,
        crate::backend::NoteCommand::RemoveAttachment { attachment_id },
        Some(&tab),
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "add_task")]
pub async fn add_task(
    credit_note_id: i64,
    #[server(default)] title: String,
    #[server(default)] due_date: String,
    #[server(default)] assignee_id: String,
) -> Result<(), Problem> {
    let due_date = super::reader().optional_date("due_date", &due_date)?;
    let assignee_id = super::reader()
        .optional_id("assignee_id", &assignee_id)
        .map_err(|_| Problem::validation("assignee_id", "Tasks go to an active staff user"))?;
    let tab = format!("/credit-notes/{credit_note_id}?tab=activities");
    act(
        credit_note_id,
        crate::backend::NoteCommand::AddTask {
            title,
            due_date,
            assignee_id,
        },
        Some(&tab),
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "set_task_done")]
pub async fn set_task_done(
    credit_note_id: i64,
    task_id: i64,
    #[server(default)] done: String,
) -> Result<(), Problem> {
    let tab = format!("/credit-notes/{credit_note_id}?tab=activities");
    act(
        credit_note_id,
        crate::backend::NoteCommand::SetTaskDone {
            task_id,
            done: done == "true",
        },
        Some(&tab),
    )
    .await
}

/// Addresses as a form field holds them: separated by commas, semicolons or spaces.
pub fn address_list(text: &str) -> Vec<String> {
    text.split([',', ';', ' ', '\n'])
        .map(str::trim)
        .filter(|address| !address.is_empty())
        .map(str::to_string)
        .collect()
}

#[server(prefix = "/rpc", endpoint = "send_credit_note")]
pub async fn send_credit_note(
    credit_note_id: i64,
    #[server(default)] to: String,
    #[server(default)] cc: String,
    #[server(default)] message: String,
) -> Result<(), Problem> {
    let message = Some(message).filter(|text| !text.trim().is_empty());
    act(
        credit_note_id,
        crate::backend::NoteCommand::Send {
            to: address_list(&to),
            cc: address_list(&cc),
            message,
        },
        None,
    )
    .await
}

/// One invoice line of the "credit this invoice" form: every line is posted, so positions
/// stay dense; `selected` is the checkbox, `quantity` the text typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditRowInput {
    pub line: usize,
    #[serde(default)]
    pub selected: Option<String>,
    #[serde(default)]
    pub quantity: Option<String>,
}

/// The field of an invoice line in the form (`lines[2].quantity`).
pub fn line_field(line: usize, field: &str) -> FieldPath {
    FieldPath::item("lines", line, field)
}

/// The chosen lines as the domain takes them; a quantity that is not a number is named on its
/// own line.
pub fn credit_selection(rows: &[CreditRowInput]) -> Result<Vec<LineSelection>, Problem> {
    let mut selection = Vec::new();
    for row in rows.iter().filter(|row| row.selected.is_some()) {
        let quantity = match row.quantity.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                Some(super::reader().decimal(&line_field(row.line, "quantity").to_string(), text)?)
            }
        };
        selection.push(LineSelection {
            line: row.line,
            quantity,
        });
    }
    if selection.is_empty() {
        return Err(Problem::validation(
            "lines",
            "Pick at least one line to credit",
        ));
    }
    Ok(selection)
}

/// The domain numbers its findings over the chosen lines; the form shows each on the invoice
/// line it came from.
pub fn on_invoice_lines(problem: Problem, selection: &[LineSelection]) -> Problem {
    problem.map_fields(|path| {
        let renamed = path
            .item_of("lines")
            .and_then(|(chosen, within)| Some(within.within("lines", selection.get(chosen)?.line)));
        renamed.unwrap_or(path)
    })
}

#[server(prefix = "/rpc", endpoint = "load_credit_from_invoice")]
pub async fn load_credit_from_invoice(invoice_id: i64) -> Result<CreditFromInvoicePage, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .credit_from_invoice_page(&user, invoice_id)
        .await
}

/// Creates a draft credit note of the chosen lines and opens it.
#[server(prefix = "/rpc", endpoint = "credit_invoice")]
pub async fn credit_invoice(
    invoice_id: i64,
    #[server(default)] date: String,
    #[server(default)] reason: String,
    #[server(default)] rows: Vec<CreditRowInput>,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let date = super::reader().date("date", &date)?;
    let selection = credit_selection(&rows)?;
    let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
    let note_id = crate::backend::desk()?
        .credit_invoice(&user, invoice_id, date, reason, selection.clone())
        .await
        .map_err(|problem| on_invoice_lines(problem, &selection))?;
    leptos_axum::redirect(&format!("/credit-notes/{note_id}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_shows_available_notes_unless_the_url_says_otherwise() {
        let query = CreditNoteFilters::default().parse().unwrap();
        assert_eq!(query.status, Some(CreditNoteStatus::Available));
        let all = CreditNoteFilters {
            status: Some("all".into()),
            number: Some(" cn-2026 ".into()),
            ..Default::default()
        };
        let query = all.parse().unwrap();
        assert_eq!(query.status, None);
        assert_eq!(query.number_prefix.as_deref(), Some("CN-2026"));
    }

    #[test]
    fn a_bad_filter_is_named_on_its_field() {
        let filters = CreditNoteFilters {
            date_from: Some("28/11/2026".into()),
            ..Default::default()
        };
        let problem = filters.parse().unwrap_err();
        assert_eq!(problem.status, 422);
        assert!(problem.field_message("date_from").is_some(), "{problem:?}");
    }

    #[test]
    fn a_refused_quantity_is_named_on_its_invoice_line() {
        let rows = [
            CreditRowInput {
                line: 0,
                selected: None,
                quantity: Some("1".into()),
            },
            CreditRowInput {
                line: 1,
                selected: Some("on".into()),
                quantity: Some("9".into()),
            },
        ];
        let selection = credit_selection(&rows).unwrap();
        assert_eq!(
            selection,
            [LineSelection {
                line: 1,
                quantity: Some(9.into())
            }]
        );
        let refused = crate::domain::Violation::new(
            crate::domain::RuleCode::ValidationError,
            Some(line_field(0, "quantity")),
            "Credit between 0 and 2 of this line",
        );
        let problem = on_invoice_lines(Problem::from(vec![refused]), &selection);
        assert_eq!(
            problem.item_messages("lines", 1),
            ["Credit between 0 and 2 of this line"]
        );
        let none = [CreditRowInput {
            line: 0,
            selected: None,
            quantity: None,
        }];
        assert!(
            credit_selection(&none)
                .unwrap_err()
                .field_message("lines")
                .is_some()
        );
    }
}
