//! Server functions of the credit-note screens. Each action is a plain form post that also
//! works without JavaScript: it redirects back to the page, and a refusal comes back on the
//! field it concerns.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{CreditNoteStatus, Currency};
use crate::model::{CreditNoteListPage, CreditNotePage, CreditNoteQuery};
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
}

/// The status the list shows when the URL names none: what can still be used.
pub const DEFAULT_STATUS: CreditNoteStatus = CreditNoteStatus::Available;
/// The status filter's value for "every status".
pub const ALL_STATUSES: &str = "all";

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl CreditNoteFilters {
    /// Parses every filter; each one at fault is named on its field.
    pub fn parse(&self) -> Result<CreditNoteQuery, Problem> {
        let mut errors: Vec<(&str, String)> = Vec::new();
        let status = match given(&self.status) {
            None => Some(DEFAULT_STATUS),
            Some(ALL_STATUSES) => None,
            Some(name) => CreditNoteStatus::parse(name).or_else(|| {
                errors.push(("status", format!("There is no status {name}")));
                None
            }),
        };
        let mut id = |field: &'static str, value: &Option<String>| {
            given(value).and_then(|text| match text.parse::<i64>() {
                Ok(id) if id >= 0 => Some(id),
                _ => {
                    errors.push((field, format!("{text} is not an id")));
                    None
                }
            })
        };
        let customer_id = id("customer_id", &self.customer_id);
        let after = id("after", &self.after).unwrap_or(0);
        let currency = given(&self.currency).and_then(|code| {
            Currency::parse(&code.to_uppercase())
                .map_err(|e| errors.push(("currency", e.to_string())))
                .ok()
        });
        let mut date = |field: &'static str, value: &Option<String>| {
            given(value).and_then(|text| {
                chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| errors.push((field, format!("{text} is not a date (YYYY-MM-DD)"))))
                    .ok()
            })
        };
        let date_from = date("date_from", &self.date_from);
        let date_to = date("date_to", &self.date_to);
        if let Some((field, message)) = errors.into_iter().next() {
            return Err(Problem::validation(field, message));
        }
        Ok(CreditNoteQuery {
            status,
            // Numbers are upper case (`CN-2026-00001`); `cn-2026` finds them on every database.
            number_prefix: given(&self.number).map(str::to_uppercase),
            customer_id,
            currency,
            date_from,
            date_to,
            related_invoice_number: given(&self.invoice).map(str::to_string),
            after,
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
    let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| Problem::validation("date", "Give the refund's date (YYYY-MM-DD)"))?;
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
}
