pub mod invoice_detail;
pub mod invoices;
pub mod link_dialog;

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

/// A failed load, said plainly.
#[component]
pub fn ProblemMessage(problem: Problem) -> impl IntoView {
    view! {
        <div class="problem" role="alert">
            <strong>{problem.title.clone()}</strong>
            <p>{problem.detail.clone()}</p>
        </div>
    }
}
