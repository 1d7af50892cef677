//! The credit-note list: available notes by default, filters held in the URL (shareable, the
//! back button works), keyset paging. The filter form is a plain GET form, so it works the
//! same with JavaScript off.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::customer_choice::{CustomerChoice, SEARCH_PARAM};
use super::{CreditNoteStatusBadge, ProblemMessage};
use crate::domain::{CreditNoteStatus, Permission, ReasonCategory};
use crate::i18n::{Language, Msg, format, t, tf, use_language};
use crate::model::{CreditNoteListPage, CreditNoteView, CustomerView};
use crate::rpc::credit_notes::{
    ALL_STATUSES, BY_INVOICE, CreditNoteFilters, DEFAULT_STATUS, load_credit_note_list,
};

/// The URL parameters of the filters, in the order the form has them.
const FILTER_KEYS: [&str; 8] = [
    "status",
    "number",
    "customer_id",
    "currency",
    "date_from",
    "date_to",
    "invoice",
    "view",
];

pub use crate::model::shown_number;

/// A reason category as people read it, in the page's language.
pub fn reason_category_label(category: ReasonCategory) -> &'static str {
    t(match category {
        ReasonCategory::Return => Msg::CreditNotesCategoryReturn,
        ReasonCategory::InvoicingError => Msg::CreditNotesCategoryInvoicingError,
        ReasonCategory::Goodwill => Msg::CreditNotesCategoryGoodwill,
        ReasonCategory::Other => Msg::CreditNotesCategoryOther,
    })
}

/// A status as people read it, in the page's language.
fn status_label(status: CreditNoteStatus) -> &'static str {
    t(match status {
        CreditNoteStatus::Draft => Msg::StatusDraft,
        CreditNoteStatus::PendingApproval => Msg::StatusPendingApproval,
        CreditNoteStatus::Available => Msg::StatusAvailable,
        CreditNoteStatus::Used => Msg::StatusUsed,
        CreditNoteStatus::Cancelled => Msg::StatusCancelled,
    })
}

#[component]
pub fn CreditNotesPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let query = query.read();
        let get = |key: &str| query.get(key);
        CreditNoteFilters {
            status: get("status"),
            number: get("number"),
            customer_id: get("customer_id"),
            customer_q: get(SEARCH_PARAM),
            currency: get("currency"),
            date_from: get("date_from"),
            date_to: get("date_to"),
            invoice: get("invoice"),
            after: get("after"),
            view: get("view"),
        }
    };
    let page = Resource::new(filters, load_credit_note_list);
    view! {
        <h1>{t(Msg::NavCreditNotes)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::CreditNotesListLoading)}</p> }>
            {move || Suspend::new(async move {
                let filters = filters();
                match page.await {
                    // A bad filter is said next to its field; the form stays usable.
                    Err(problem) if problem.status == 422 => view! {
                        <FilterForm filters customers=Vec::new() problem=Some(problem)/>
                    }.into_any(),
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! {
                        {page.viewer.may(Permission::WriteCreditNotes).then(|| view! {
                            <p><A href="/credit-notes/new">{t(Msg::CreditNotesNewTitle)}</A></p>
                        })}
                        <FilterForm filters=filters.clone() customers=page.customers.clone() problem=None/>
                        <CreditNoteList page filters/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(
    filters: CreditNoteFilters,
    customers: Vec<CustomerView>,
    problem: Option<crate::problem::Problem>,
) -> impl IntoView {
    let status = filters
        .status
        .clone()
        .unwrap_or_else(|| DEFAULT_STATUS.as_str().to_string());
    let customer = filters.customer_id.clone().unwrap_or_default();
    let error = move |field: &str| {
        problem.as_ref().and_then(|p| p.field_message(field)).map(
            |message| view! { <span class="field-error" role="alert">{message.to_string()}</span> },
        )
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    view! {
        <Form method="GET" action="/credit-notes" attr:class="filters" attr:aria-label=t(Msg::CreditNotesListFilterLabel)>
            <label>{t(Msg::CreditNotesStatus)}
                <select name="status">
                    <option value=ALL_STATUSES selected=status == ALL_STATUSES>{t(Msg::CreditNotesListEveryStatus)}</option>
                    {CreditNoteStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=status == s.as_str()>{status_label(*s)}</option>
                    }).collect_view()}
                </select>
                {error("status")}
            </label>
            <label>{t(Msg::CreditNotesListNumberStartsWith)}
                <input type="search" name="number" value=text(&filters.number)/>
            </label>
            <CustomerChoice customers chosen=customer field="customer_id" blank=t(Msg::CreditNotesListEveryCustomer) required=false/>
            {error("customer_id")}
            <label>{t(Msg::CreditNotesListCurrency)}
                <input type="text" name="currency" size="4" maxlength="3" value=text(&filters.currency)/>
                {error("currency")}
            </label>
            <label>{t(Msg::CreditNotesListFrom)}
                <input type="date" name="date_from" value=text(&filters.date_from)/>
                {error("date_from")}
            </label>
            <label>{t(Msg::CreditNotesListTo)}
                <input type="date" name="date_to" value=text(&filters.date_to)/>
                {error("date_to")}
            </label>
            <label>{t(Msg::CreditNotesRelatedInvoice)}
                <input type="search" name="invoice" placeholder="INV-2026-00001" value=text(&filters.invoice)/>
            </label>
            // The chosen view stays when filters change.
            {filters.view.clone().map(|view| view! { <input type="hidden" name="view" value=view/> })}
            <button type="submit">{t(Msg::CreditNotesListFilter)}</button>
        </Form>
    }
}

/// The current filters as a query string, with `after` for the page to show.
fn page_href(filters: &CreditNoteFilters, after: Option<i64>) -> String {
    let values = [
        &filters.status,
        &filters.number,
        &filters.customer_id,
        &filters.currency,
        &filters.date_from,
        &filters.date_to,
        &filters.invoice,
        &filters.view,
    ];
    super::list_href("/credit-notes", &FILTER_KEYS, &values, after)
}

#[component]
fn CreditNoteList(page: CreditNoteListPage, filters: CreditNoteFilters) -> impl IntoView {
    let first_page = filters
        .after
        .as_deref()
        .is_some_and(|after| !after.is_empty() && after != "0");
    let first_href = page_href(&filters, None);
    let next_href = page
        .next_after
        .map(|after| page_href(&filters, Some(after)));
    let grouped = filters.view.as_deref() == Some(BY_INVOICE);
    let list_href = page_href(
        &CreditNoteFilters {
            view: None,
            after: None,
            ..filters.clone()
        },
        None,
    );
    let grouped_href = page_href(
        &CreditNoteFilters {
            view: Some(BY_INVOICE.into()),
            after: None,
            ..filters.clone()
        },
        None,
    );
    view! {
        <nav class="tabs" aria-label=t(Msg::CreditNotesListViews)>
            <A href=list_href>{t(Msg::CreditNotesListViewList)}</A>
            <A href=grouped_href>{t(Msg::CreditNotesListViewGrouped)}</A>
        </nav>
        {if page.notes.is_empty() {
            view! { <p>{t(Msg::CreditNotesListEmpty)}</p> }.into_any()
        } else if grouped {
            view! { <GroupedByInvoice notes=page.notes/> }.into_any()
        } else {
            view! { <CreditNoteTable notes=page.notes/> }.into_any()
        }}
        <nav class="paging" aria-label=t(Msg::CreditNotesListPages)>
            {first_page.then(|| view! { <A href=first_href>{t(Msg::CreditNotesListFirstPage)}</A> })}
            {next_href.map(|href| view! { <A href=href>{t(Msg::CreditNotesListNextPage)}</A> })}
        </nav>
    }
}

#[component]
pub fn CreditNoteTable(notes: Vec<CreditNoteView>) -> impl IntoView {
    let language = use_language();
    view! {
        <table class="grid">
            <caption class="visually-hidden">{t(Msg::NavCreditNotes)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(Msg::CreditNotesListNumber)}</th>
                    <th scope="col">{t(Msg::CreditNotesCustomer)}</th>
                    <th scope="col">{t(Msg::CreditNotesDate)}</th>
                    <th scope="col">{t(Msg::CreditNotesStatus)}</th>
                    <th scope="col">{t(Msg::CreditNotesRelatedInvoice)}</th>
                    <th scope="col" class="num">{t(Msg::CreditNotesTotal)}</th>
                    <th scope="col" class="num">{t(Msg::CreditNotesRemaining)}</th>
                </tr>
            </thead>
            <tbody>
                {notes.into_iter().map(|note| {
                    let href = format!("/credit-notes/{}", note.id);
                    let currency = note.currency;
                    let remaining = format::money(language, note.remaining_amount(), currency);
                    let number = shown_number(note.number.as_deref(), note.id);
                    view! {
                        <tr>
                            <td><A href=href>{number}</A></td>
                            <td>{note.customer_name.clone()}</td>
                            <td>{format::date(language, note.date)}</td>
                            <td><CreditNoteStatusBadge status=note.status/></td>
                            <td>{note.related_invoice_number.clone().unwrap_or_default()}</td>
                            <td class="num">{format::money(language, note.total, currency)}</td>
                            <td class="num">{remaining}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The notes of one related invoice (or of none), in the order the page lists them.
struct InvoiceGroup {
    invoice: Option<(i64, String)>,
    notes: Vec<CreditNoteView>,
}

impl InvoiceGroup {
    /// What the group's notes credit, cancelled ones left out: one currency per invoice, so
    /// only groups under an invoice have a total.
    fn credited(&self, language: Language) -> Option<String> {
        self.invoice.as_ref()?;
        let currency = self.notes.first()?.currency;
        self.notes
            .iter()
            .filter(|note| crate::domain::counts_as_credit(note.status))
            .try_fold(rust_decimal::Decimal::ZERO, |sum, note| {
                sum.checked_add(note.total)
            })
            .map(|sum| format::money(language, sum, currency))
    }
}

fn group_by_invoice(notes: Vec<CreditNoteView>) -> Vec<InvoiceGroup> {
    let mut groups: Vec<InvoiceGroup> = Vec::new();
    for note in notes {
        let key = note
            .related_invoice_id
            .zip(note.related_invoice_number.clone());
        match groups.iter_mut().find(|group| group.invoice == key) {
            Some(group) => group.notes.push(note),
            None => groups.push(InvoiceGroup {
                invoice: key,
                notes: vec![note],
            }),
        }
    }
    groups
}

/// Each related invoice with its credit notes (status and amount) and its credited total.
#[component]
fn GroupedByInvoice(notes: Vec<CreditNoteView>) -> impl IntoView {
    let language = use_language();
    group_by_invoice(notes)
        .into_iter()
        .map(|group| {
            let credited = group.credited(language);
            let title = match &group.invoice {
                Some((id, number)) => {
                    let label = tf(Msg::CreditNotesListGroupInvoice, &[("number", number.as_str())]);
                    view! { <A href=format!("/invoices/{id}")>{label}</A> }
                }
                .into_any(),
                None => t(Msg::CreditNotesListNoRelatedInvoice).into_any(),
            };
            let label = match &group.invoice {
                Some((_, number)) => tf(Msg::CreditNotesListGroupLabel, &[("number", number.as_str())]),
                None => t(Msg::CreditNotesListGroupLabelNone).to_string(),
            };
            view! {
                <section class="group" aria-label=label>
                    <h2>{title}</h2>
                    {credited.map(|total| view! { <p>{t(Msg::CreditNotesListCreditedTotal)} " " <strong>{total}</strong></p> })}
                    <ul class="group-notes">
                        {group.notes.into_iter().map(|note| {
                            let href = format!("/credit-notes/{}", note.id);
                            let number = shown_number(note.number.as_deref(), note.id);
                            let amount = format::money(language, note.total, note.currency);
                            view! {
                                <li>
                                    <A href=href>{number}</A> " "
                                    <CreditNoteStatusBadge status=note.status/> " "
                                    <span class="num">{amount}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_keeps_the_filters_in_the_url() {
        let filters = CreditNoteFilters {
            status: Some("all".into()),
            number: Some("CN 2026&x".into()),
            after: Some("40".into()),
            ..Default::default()
        };
        assert_eq!(
            page_href(&filters, Some(90)),
            "/credit-notes?status=all&number=CN+2026%26x&after=90"
        );
        assert_eq!(
            page_href(&CreditNoteFilters::default(), None),
            "/credit-notes"
        );
    }
}
