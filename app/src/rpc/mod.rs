//! Server functions: thin doors from the browser onto the service layer, under `/rpc`.

pub mod credit_notes;
pub mod customers;
pub mod filters;
pub mod imports;
pub mod invoice_editor;
pub mod invoices;
pub mod journal;
pub mod new_credit_note;
pub mod settings;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{AllocationRequest, Currency, FieldPath, Reader};
use crate::model::{CurrentUser, InvoicePage, PortalView};
use crate::problem::Problem;

#[server(prefix = "/rpc", endpoint = "load_invoice_page")]
pub async fn load_invoice_page(
    invoice_id: i64,
    /// With the link dialog's candidates (the dialog is open).
    #[server(default)]
    link: bool,
) -> Result<InvoicePage, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .invoice_page(&user, invoice_id, link)
        .await
}

/// One row of the link form, as the browser posts it (with or without JavaScript): every row
/// is sent so indices stay dense; `selected` is the checkbox, `amount` optional text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRowInput {
    pub credit_note_id: i64,
    #[serde(default)]
    pub selected: Option<String>,
    #[serde(default)]
    pub amount: Option<String>,
}

impl LinkRowInput {
    pub fn is_selected(&self) -> bool {
        self.selected.is_some()
    }
}

/// The dialog names a problem with one credit note by the note's id (`credit_notes[42].amount`),
/// not by its row's position, so a message still finds its row when the list has changed by
/// the time it is shown (a note used up meanwhile drops out of it).
const NOTES: &str = "credit_notes";

/// The position the dialog's notation gives a note's id; `None` for an id no row can have.
fn note_key(credit_note_id: i64) -> Option<usize> {
    usize::try_from(credit_note_id).ok()
}

/// The field of a credit note's row in the dialog's notation (`credit_notes[42].amount`).
pub fn note_field(credit_note_id: i64, field: &str) -> Option<FieldPath> {
    Some(FieldPath::item(NOTES, note_key(credit_note_id)?, field))
}

/// The messages of `problem` for the row of credit note `credit_note_id`.
pub fn note_messages(problem: &Problem, credit_note_id: i64) -> Vec<String> {
    note_key(credit_note_id)
        .map(|key| problem.item_messages(NOTES, key))
        .unwrap_or_default()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Renders the domain's paths in the dialog's notation. The domain numbers the requests, that
/// is the *selected* rows only (`allocations[1].amount`); each becomes the field of the note
/// that request named (`credit_notes[42].amount`), so the refusal shows in that note's row.
pub fn on_notes(problem: Problem, rows: &[LinkRowInput]) -> Problem {
    let selected: Vec<i64> = rows
        .iter()
        .filter(|row| row.is_selected())
        .map(|row| row.credit_note_id)
        .collect();
    problem.map_fields(|path| {
        let renamed = path.item_of("allocations").and_then(|(request, within)| {
            let key = note_key(*selected.get(request)?)?;
            Some(within.within(NOTES, key))
        });
        renamed.unwrap_or(path)
    })
}

/// The reader of what a person typed on this page, in the page's language.
pub fn reader() -> Reader {
    Reader::typed_in(crate::i18n::use_language())
}

/// Turns the posted rows into allocation requests, reading amounts of the invoice currency as
/// the page's language writes them (`12,50` in French): the browser's preview and the server
/// read them alike.
pub fn link_requests(
    rows: &[LinkRowInput],
    currency: Currency,
) -> Result<Vec<AllocationRequest>, Problem> {
    let reader = reader();
    let mut requests = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if !row.is_selected() {
            continue;
        }
        let field = note_field(row.credit_note_id, "amount")
            .map_or_else(|| format!("rows[{index}].amount"), |f| f.to_string());
        let amount = match row.amount.as_deref().and_then(|text| reader.text(text)) {
            None => None,
            Some(text) => Some(reader.positive_amount(&field, text, currency)?),
        };
        requests.push(AllocationRequest {
            credit_note_id: row.credit_note_id,
            amount,
        });
    }
    Ok(requests)
}

#[server(prefix = "/rpc", endpoint = "link_credit_notes")]
pub async fn link_credit_notes(
    invoice_id: i64,
    currency: String,
    #[server(default)] rows: Vec<LinkRowInput>,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let currency = reader().currency("currency", &currency)?;
    let requests = link_requests(&rows, currency)?;
    crate::backend::desk()?
        .link_credit_notes(&user, invoice_id, requests)
        .await
        .map_err(|problem| on_notes(problem, &rows))?;
    // Back to the invoice with the dialog closed (a real redirect without JavaScript).
    leptos_axum::redirect(&format!("/invoices/{invoice_id}"));
    Ok(())
}

/// Who is signed in (`None` for nobody): the header and the pages use it.
#[server(prefix = "/rpc", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<CurrentUser>, Problem> {
    crate::backend::current_user().await
}

/// Switches the browser to `language` (a cookie kept for a year), then shows `back` again,
/// now in that language. Signed in or not: the sign-in page has the switch too.
#[server(prefix = "/rpc", endpoint = "set_language")]
pub async fn set_language(
    #[server(default)] language: String,
    #[server(default)] back: String,
) -> Result<(), Problem> {
    let language = crate::domain::Language::parse(&language).ok_or_else(|| {
        Problem::validation("language", format!("{language} is not en, fr or de"))
    })?;
    crate::backend::keep_language(language);
    // A signed-in user keeps the choice: their next sign-in, in any browser, opens in it.
    if let Some(user) = crate::backend::current_user().await? {
        crate::backend::desk()?
            .user_command(&user, crate::backend::UserCommand::ChooseLanguage(language))
            .await?;
    }
    let back = crate::pages::local_path(&back).unwrap_or("/");
    leptos_axum::redirect(back);
    Ok(())
}

/// Signs in, then opens the page the user was sent away from (`next`, when it is a page of
/// this site that their side of it may open), else their home page.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<CurrentUser, Problem> {
    let desk = crate::backend::desk()?;
    let device = crate::backend::device_token();
    let user = desk
        .authenticate(
            &email,
            &password,
            crate::backend::client_ip(),
            device.as_deref(),
        )
        .await?;
    crate::backend::sign_in(&user).await?;
    // This browser is now known for the user: the email's ceiling never refuses it.
    let token = desk.remember_device(&user, device.as_deref()).await?;
    crate::backend::keep_device_token(&token);
    if let Some(language) = user.language {
        crate::backend::keep_language(language);
    }
    leptos_axum::redirect(&after_sign_in(&user, next.as_deref()));
    Ok(user)
}

/// Where a signed-in `user` goes: the page they were sent away from (`next`, when it is a page
/// of this site their side of it may open), else their home page; first of all a new password
/// when an administrator reset theirs.
pub fn after_sign_in(user: &CurrentUser, next: Option<&str>) -> String {
    let home = if user.role.is_internal() {
        "/invoices"
    } else {
        "/portal"
    };
    let next = next
        .and_then(crate::pages::return_path)
        .filter(|path| user.role.is_internal() != path.starts_with("/portal"));
    if user.must_change_password {
        "/account/password".to_string()
    } else {
        next.unwrap_or(home).to_string()
    }
}

/// The signed-in user's new password, typed twice; then their home page. Every other session of
/// theirs ends, and their API tokens are revoked.
#[server(prefix = "/rpc", endpoint = "change_password")]
pub async fn change_password(
    #[server(default)] current_password: String,
    #[server(default)] new_password: String,
    #[server(default)] repeat_password: String,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    if new_password != repeat_password {
        return Err(Problem::validation(
            "repeat_password",
            "The two new passwords differ",
        ));
    }
    crate::backend::desk()?
        .user_command(
            &user,
            crate::backend::UserCommand::ChangeOwnPassword {
                current: current_password,
                new: new_password,
            },
        )
        .await?;
    crate::backend::renew_sign_in().await?;
    leptos_axum::redirect(if user.role.is_internal() {
        "/invoices"
    } else {
        "/portal"
    });
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), Problem> {
    crate::backend::sign_out().await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// The portal's page of credit notes and of invoices after these keyset cursors (0: the first).
#[server(prefix = "/rpc", endpoint = "portal_overview")]
pub async fn portal_overview(
    #[server(default)] notes_after: i64,
    #[server(default)] invoices_after: i64,
) -> Result<PortalView, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .portal(&user, notes_after, invoices_after)
        .await
}

#[server(prefix = "/rpc", endpoint = "unlink_credit_note")]
pub async fn unlink_credit_note(invoice_id: i64, allocation_id: i64) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .unlink_credit_note(&user, invoice_id, allocation_id)
        .await?;
    leptos_axum::redirect(&format!("/invoices/{invoice_id}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{RuleCode, Violation};

    fn row(credit_note_id: i64, selected: bool) -> LinkRowInput {
        LinkRowInput {
            credit_note_id,
            selected: selected.then(|| "on".to_string()),
            amount: None,
        }
    }

    #[test]
    fn a_refused_request_is_named_by_the_note_of_its_row() {
        let refused = Violation::new(
            RuleCode::ExceedsRemaining,
            Some(FieldPath::item("allocations", 1, "amount")),
            "Only 20.00 EUR remain on this credit note",
        );
        let whole = Violation::new(RuleCode::ExceedsOutstanding, Some("allocations".into()), "");
        let rows = [row(7, true), row(8, false), row(9, true)];
        let problem = on_notes(Problem::from(vec![refused, whole]), &rows);
        let fields: Vec<_> = problem.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["credit_notes[9].amount", "allocations"]);
        assert_eq!(
            note_messages(&problem, 9),
            ["Only 20.00 EUR remain on this credit note"]
        );
        assert!(note_messages(&problem, 8).is_empty());
        assert!(note_messages(&problem, -1).is_empty());
    }
}
