//! The customer portal: a customer's own invoices and finalized credit notes, nothing else.

use leptos::prelude::*;

use super::{CreditNoteStatusBadge, InvoiceStatusBadge, ProblemMessage};
use crate::rpc::portal_overview;

#[component]
pub fn PortalPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| portal_overview());
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
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
