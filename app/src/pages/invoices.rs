//! The invoice list: filters (status, number prefix, customer, currency) held in the URL,
//! keyset paging, a plain GET form that works the same with JavaScript off.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::customer_choice::{CustomerChoice, SEARCH_PARAM};
use super::{InvoiceStatusBadge, ProblemMessage, list_href};
use crate::domain::{InvoiceStatus, Permission};
use crate::i18n::{Msg, format, t, use_language};
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
        <h1>{t(Msg::NavInvoices)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::InvoicesListLoading)}</p> }>
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
                                <p><A href="/invoices/new">{t(Msg::InvoicesListNew)}</A></p>
                            })}
                            <InvoiceFilterForm filters=filters.clone() customers=page.customers.clone() problem=None/>
                            {if page.invoices.is_empty() {
                                view! { <p>{t(Msg::InvoicesListEmpty)}</p> }.into_any()
                            } else {
                                view! { <InvoiceTable invoices=page.invoices caption=t(Msg::NavInvoices) staff=true/> }.into_any()
                            }}
                            <nav class="paging" aria-label=t(Msg::InvoicesListPages)>
                                {first_page.then(|| view! { <A href=first_href>{t(Msg::InvoicesListFirstPage)}</A> })}
                                {next_href.map(|href| view! { <A href=href>{t(Msg::InvoicesListNextPage)}</A> })}
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
        <Form method="GET" action="/invoices" attr:class="filters" attr:aria-label=t(Msg::InvoicesFilterLabel)>
            <label>{t(Msg::InvoicesFieldStatus)}
                <select name="status">
                    <option value="" selected=status.is_empty()>{t(Msg::InvoicesFilterEveryStatus)}</option>
                    {InvoiceStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=status == s.as_str()>{t(status_message(*s))}</option>
                    }).collect_view()}
                </select>
            </label>
            {error("status")}
            <label>{t(Msg::InvoicesFilterNumber)}
                <input type="search" name="number" value=text(&filters.number)/>
            </label>
            <CustomerChoice customers chosen=customer field="customer_id" blank=t(Msg::InvoicesFilterEveryCustomer) required=false/>
            {error("customer_id")}
            <label>{t(Msg::InvoicesFieldCurrency)}
                <input type="text" name="currency" size="4" maxlength="3" value=text(&filters.currency)/>
            </label>
            {error("currency")}
            <button type="submit">{t(Msg::InvoicesFilterSubmit)}</button>
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
    let language = use_language();
    view! {
        <table class="grid">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(Msg::InvoicesFieldNumber)}</th>
                    {staff.then(|| view! { <th scope="col">{t(Msg::InvoicesFieldCustomer)}</th> })}
                    <th scope="col">{t(Msg::InvoicesFieldIssued)}</th>
                    <th scope="col">{t(Msg::InvoicesFieldStatus)}</th>
                    <th scope="col" class="num">{t(Msg::InvoicesFieldTotal)}</th>
                    <th scope="col" class="num">{t(Msg::InvoicesFieldOutstanding)}</th>
                </tr>
            </thead>
            <tbody>
                {invoices.into_iter().map(move |invoice| {
                    let number = crate::model::shown_invoice_number(&invoice.number);
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
                            <td>{format::date(language, invoice.issue_date)}</td>
                            <td><InvoiceStatusBadge status=invoice.status/></td>
                            <td class="num">{format::money(language, invoice.total, invoice.currency)}</td>
                            <td class="num">{format::money(language, invoice.outstanding(), invoice.currency)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A status as the filter's choices name it (the shared status texts).
fn status_message(status: InvoiceStatus) -> Msg {
    match status {
        InvoiceStatus::Draft => Msg::StatusDraft,
        InvoiceStatus::Pending => Msg::StatusPending,
        InvoiceStatus::Paid => Msg::StatusPaid,
        InvoiceStatus::Cancelled => Msg::StatusCancelled,
    }
}
