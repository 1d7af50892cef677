//! The invoice list: filters (status, number prefix, customer, currency) held in the URL,
//! keyset paging, a plain GET form that works the same with JavaScript off.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::customer_choice::{CustomerChoice, SEARCH_PARAM};
use super::{InvoiceStatusBadge, ProblemMessage, list_href};
use crate::domain::{InvoiceStatus, Permission};
use crate::model::{CustomerView, InvoiceView};
use crate::problem::Problem;
use crate::rpc::invoices::{InvoiceFilters, load_invoice_list};

/// The URL parameters of the filters, in the order the form has them.
const FILTER_KEYS: [&str; 4] = ["status", "number", "customer_id", "currency"];

fn page_href(filters: &InvoiceFilters, after: Option<i64>) -> String {
    let values = [
        &filters.status,
        &filters.number,
        &filters.customer_id,
        &filters.currency,
    ];
    list_href("/invoices", &FILTER_KEYS, &values, after)
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let query = query.read();
        InvoiceFilters {
            status: query.get("status"),
            number: query.get("number"),
            customer_id: query.get("customer_id"),
            customer_q: query.get(SEARCH_PARAM),
            currency: query.get("currency"),
            after: query.get("after"),
        }
    };
    let page = Resource::new(filters, load_invoice_list);
    view! {
        <h1>"Invoices"</h1>
        <Suspense fallback=|| view! { <p>"Loading invoices…"</p> }>
            {move || Suspend::new(async move {
                let filters = filters();
                match page.await {
                    // A bad filter is said next to its field; the form stays usable.
                    Err(problem) if problem.status == 422 => view! {
                        <InvoiceFilterForm filters customers=Vec::new() problem=Some(problem)/>
                    }.into_any(),
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => {
                        let first_page = filters.after.as_deref().is_some_and(|a| !a.is_empty() && a != "0");
                        let first_href = page_href(&filters, None);
                        let next_href = page.next_after.map(|after| page_href(&filters, Some(after)));
                        view! {
                            {page.viewer.may(Permission::WriteInvoices).then(|| view! {
                                <p><A href="/invoices/new">"New invoice"</A></p>
                            })}
                            <InvoiceFilterForm filters=filters.clone() customers=page.customers.clone() problem=None/>
                            {if page.invoices.is_empty() {
                                view! { <p>"No invoice matches these filters."</p> }.into_any()
                            } else {
                                view! { <InvoiceTable invoices=page.invoices caption="Invoices" staff=true/> }.into_any()
                            }}
                            <nav class="paging" aria-label="Pages">
                                {first_page.then(|| view! { <A href=first_href>"First page"</A> })}
                                {next_href.map(|href| view! { <A href=href>"Next page"</A> })}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn InvoiceFilterForm(
    filters: InvoiceFilters,
    customers: Vec<CustomerView>,
    problem: Option<Problem>,
) -> impl IntoView {
    let status = filters.status.clone().unwrap_or_default();
    let customer = filters.customer_id.clone().unwrap_or_default();
    let error = move |field: &str| {
        problem.as_ref().and_then(|p| p.field_message(field)).map(
            |message| view! { <span class="field-error" role="alert">{message.to_string()}</span> },
        )
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    view! {
        <Form method="GET" action="/invoices" attr:class="filters" attr:aria-label="Filter invoices">
            <label>"Status"
                <select name="status">
                    <option value="" selected=status.is_empty()>"Every status"</option>
                    {InvoiceStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=status == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            {error("status")}
            <label>"Number starts with"
                <input type="search" name="number" value=text(&filters.number)/>
            </label>
            <CustomerChoice customers chosen=customer field="customer_id" blank="Every customer" required=false/>
            {error("customer_id")}
            <label>"Currency"
                <input type="text" name="currency" size="4" maxlength="3" value=text(&filters.currency)/>
            </label>
            {error("currency")}
            <button type="submit">"Filter"</button>
        </Form>
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
