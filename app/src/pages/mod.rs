pub mod credit_from_invoice;
pub mod credit_note_detail;
pub mod credit_notes;
pub mod invoice_detail;
pub mod invoices;
pub mod link_dialog;
pub mod login;
pub mod new_credit_note;
pub mod portal;

use leptos::prelude::*;

use crate::domain::{CreditNoteStatus, InvoiceStatus};
use crate::problem::Problem;

/// A status shown as a labelled badge.
#[component]
pub fn InvoiceStatusBadge(status: InvoiceStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.as_str())>{status.label()}</span> }
}

#[component]
pub fn CreditNoteStatusBadge(status: CreditNoteStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.as_str())>{status.label()}</span> }
}

/// A failed load, said plainly; without a session, the way to the sign-in page.
#[component]
pub fn ProblemMessage(problem: Problem) -> impl IntoView {
    if problem.status == 401 {
        return view! { <leptos_router::components::Redirect path="/login"/> }.into_any();
    }
    // The page says what went wrong, and so does its HTTP status.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(problem.status)
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    view! {
        <div class="problem" role="alert">
            <strong>{problem.title.clone()}</strong>
            <p>{problem.detail.clone()}</p>
        </div>
    }
    .into_any()
}

/// A list's address: its filters (`keys` with their `values`, blank ones left out) and the
/// keyset cursor `after` of the page to show, so links keep what the user chose.
pub fn list_href(
    path: &str,
    keys: &[&str],
    values: &[&Option<String>],
    after: Option<i64>,
) -> String {
    let after = after.map(|after| after.to_string());
    let pairs: Vec<(&str, &str)> = keys
        .iter()
        .zip(values)
        .filter_map(|(key, value)| Some((*key, value.as_deref().filter(|v| !v.is_empty())?)))
        .chain(after.as_deref().map(|after| ("after", after)))
        .collect();
    match serde_urlencoded::to_string(&pairs) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_string(),
    }
}

/// A list filter's customer choice: every customer, or one (`chosen` is the id as the URL
/// holds it).
#[component]
pub fn CustomerFilter(customers: Vec<(i64, String)>, chosen: String) -> impl IntoView {
    view! {
        <label>"Customer"
            <select name="customer_id">
                <option value="" selected=chosen.is_empty()>"Every customer"</option>
                {customers.into_iter().map(|(id, name)| {
                    let value = id.to_string();
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}
