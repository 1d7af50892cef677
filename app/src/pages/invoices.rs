use leptos::prelude::*;
use leptos_router::components::A;

use super::{InvoiceStatusBadge, ProblemMessage};
use crate::model::InvoiceView;
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
                        <InvoiceTable invoices caption="All invoices" staff=true/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A list of invoices. Staff get the customer column and links to each invoice; the portal
/// shows a customer its own invoices only.
#[component]
pub fn InvoiceTable(
    invoices: Vec<InvoiceView>,
    caption: &'static str,
    staff: bool,
) -> impl IntoView {
    view! {
        <table class="grid">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Number"</th>
                    {staff.then(|| view! { <th scope="col">"Customer"</th> })}
                    <th scope="col">"Issued"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="num">"Total"</th>
                    <th scope="col" class="num">"Outstanding"</th>
                </tr>
            </thead>
            <tbody>
                {invoices.into_iter().map(|invoice| {
                    let number = invoice.number.clone();
                    let number = if staff {
                        let href = format!("/invoices/{}", invoice.id);
                        view! { <A href=href>{number}</A> }.into_any()
                    } else {
                        number.into_any()
                    };
                    view! {
                        <tr>
                            <td>{number}</td>
                            {staff.then(|| view! { <td>{invoice.customer_name.clone()}</td> })}
                            <td>{invoice.issue_date.to_string()}</td>
                            <td><InvoiceStatusBadge status=invoice.status/></td>
                            <td class="num">{invoice.currency.format(invoice.total)}</td>
                            <td class="num">{invoice.currency.format(invoice.outstanding())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
