use leptos::prelude::*;
use leptos_router::components::A;

use super::{InvoiceStatusBadge, ProblemMessage};
use crate::rpc::list_invoices;

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let invoices = Resource::new(|| (), |_| list_invoices());
    view! {
        <h1>"Invoices"</h1>
        <Suspense fallback=|| view! { <p>"Loading invoices…"</p> }>
            {move || Suspend::new(async move {
                match invoices.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(invoices) => view! {
                        <table class="grid">
                            <caption class="visually-hidden">"All invoices"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Number"</th>
                                    <th scope="col">"Customer"</th>
                                    <th scope="col">"Issued"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col" class="num">"Total"</th>
                                    <th scope="col" class="num">"Outstanding"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {invoices.into_iter().map(|invoice| {
                                    let href = format!("/invoices/{}", invoice.id);
                                    let outstanding = invoice.currency.format(invoice.outstanding());
                                    view! {
                                        <tr>
                                            <td><A href=href>{invoice.number.clone()}</A></td>
                                            <td>{invoice.customer_name.clone()}</td>
                                            <td>{invoice.issue_date.to_string()}</td>
                                            <td><InvoiceStatusBadge status=invoice.status/></td>
                                            <td class="num">{invoice.currency.format(invoice.total)}</td>
                                            <td class="num">{outstanding}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
