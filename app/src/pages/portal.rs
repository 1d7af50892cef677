//! The customer portal: a customer's own invoices and finalized credit notes, nothing else.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{CreditNoteStatusBadge, InvoiceStatusBadge, ProblemMessage};
use crate::rpc::portal_overview;

/// A page of credit notes and one of invoices; each list pages on its own (`?notes_after=`,
/// `?invoices_after=`), keeping the other where it is.
#[component]
pub fn PortalPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move |name: &str| {
        query
            .read()
            .get(name)
            .and_then(|value| value.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let cursors = move || (cursor("notes_after"), cursor("invoices_after"));
    let overview = Resource::new(cursors, |(notes, invoices)| {
        portal_overview(notes, invoices)
    });
    let href = |notes: i64, invoices: i64| {
        format!("/portal?notes_after={notes}&invoices_after={invoices}")
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(portal) => view! {
                        <h1>{portal.customer_name.clone()}</h1>
                        <h2>"Your credit notes"</h2>
                        <table class="grid">
                            <caption class="visually-hidden">"Your credit notes"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Number"</th>
                                    <th scope="col">"Date"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col" class="num">"Total"</th>
                                    <th scope="col" class="num">"Remaining"</th>
                                    <th scope="col">"Document"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {portal.credit_notes.iter().map(|note| view! {
                                    <tr>
                                        <td>{note.display_number()}</td>
                                        <td>{note.date.to_string()}</td>
                                        <td><CreditNoteStatusBadge status=note.status/></td>
                                        <td class="num">{note.currency.format(note.total)}</td>
                                        <td class="num">{note.currency.format(note.remaining_amount)}</td>
                                        <td>
                                            // A file, not a page: the router must let the browser fetch it.
                                            <a href=format!("/credit-notes/{}/pdf", note.id) rel="external">
                                                "PDF" <span class="visually-hidden">" of " {note.display_number()}</span>
                                            </a>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {portal.notes_next.map(|next| view! {
                            <nav class="paging" aria-label="Credit note pages">
                                <A href=href(next, cursors().1)>"More credit notes"</A>
                            </nav>
                        })}
                        <h2>"Your invoices"</h2>
                        <table class="grid">
                            <caption class="visually-hidden">"Your invoices"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Number"</th>
                                    <th scope="col">"Issued"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col" class="num">"Total"</th>
                                    <th scope="col" class="num">"Outstanding"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {portal.invoices.iter().map(|invoice| view! {
                                    <tr>
                                        <td>{invoice.number.clone()}</td>
                                        <td>{invoice.issue_date.to_string()}</td>
                                        <td><InvoiceStatusBadge status=invoice.status/></td>
                                        <td class="num">{invoice.currency.format(invoice.total)}</td>
                                        <td class="num">{invoice.currency.format(invoice.outstanding)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {portal.invoices_next.map(|next| view! {
                            <nav class="paging" aria-label="Invoice pages">
                                <A href=href(cursors().0, next)>"More invoices"</A>
                            </nav>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
