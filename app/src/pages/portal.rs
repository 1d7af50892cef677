//! The customer portal: a customer's own invoices and finalized credit notes, nothing else.

use leptos::prelude::*;

use super::invoices::InvoiceTable;
use super::{CreditNoteStatusBadge, ProblemMessage};
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
                                        <td class="num">{note.currency.format(note.remaining_amount())}</td>
                                        <td>
                                            // A file, not a page: the router must let the browser fetch it.
                                            <a href=format!("/credit-notes/{}/pdf", note.id) rel="external" download>
                                                "PDF" <span class="visually-hidden">" of " {note.display_number()}</span>
                                            </a>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <h2>"Your invoices"</h2>
                        <InvoiceTable invoices=portal.invoices.clone() caption="Your invoices" staff=false/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
