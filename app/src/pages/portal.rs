//! The customer portal: a customer's own invoices and finalized credit notes, nothing else.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{CreditNoteStatusBadge, InvoiceStatusBadge, ProblemMessage};
use crate::i18n::{Msg, format, t, tf, use_language};
use crate::rpc::portal_overview;

/// A page of credit notes and one of invoices; each list pages on its own (`?notes_after=`,
/// `?invoices_after=`), keeping the other where it is.
#[component]
pub fn PortalPage() -> impl IntoView {
    let query = use_query_map();
    let language = use_language();
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
        <Suspense fallback=|| view! { <p>{t(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(portal) => view! {
                        <h1>{portal.customer_name.clone()}</h1>
                        <h2>{t(Msg::PortalCreditNotes)}</h2>
                        <table class="grid">
                            <caption class="visually-hidden">{t(Msg::PortalCreditNotes)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Msg::PortalNumber)}</th>
                                    <th scope="col">{t(Msg::PortalDate)}</th>
                                    <th scope="col">{t(Msg::PortalStatus)}</th>
                                    <th scope="col" class="num">{t(Msg::PortalTotal)}</th>
                                    <th scope="col" class="num">{t(Msg::PortalRemaining)}</th>
                                    <th scope="col">{t(Msg::PortalDocument)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {portal.credit_notes.iter().map(|note| view! {
                                    <tr>
                                        <td>{crate::model::shown_number(note.number.as_deref(), note.id)}</td>
                                        <td>{format::date(language, note.date)}</td>
                                        <td><CreditNoteStatusBadge status=note.status/></td>
                                        <td class="num">{format::money(language, note.total, note.currency)}</td>
                                        <td class="num">{format::money(language, note.remaining_amount, note.currency)}</td>
                                        <td>
                                            // A file, not a page: the router must let the browser fetch it.
                                            <a href=format!("/credit-notes/{}/pdf", note.id) rel="external">
                                                "PDF" <span class="visually-hidden">" " {tf(Msg::PortalPdfOf, &[("number", &crate::model::shown_number(note.number.as_deref(), note.id))])}</span>
                                            </a>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {portal.notes_next.map(|next| view! {
                            <nav class="paging" aria-label=t(Msg::PortalCreditNotePages)>
                                <A href=href(next, cursors().1)>{t(Msg::PortalMoreCreditNotes)}</A>
                            </nav>
                        })}
                        <h2>{t(Msg::PortalInvoices)}</h2>
                        <table class="grid">
                            <caption class="visually-hidden">{t(Msg::PortalInvoices)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Msg::PortalNumber)}</th>
                                    <th scope="col">{t(Msg::PortalIssued)}</th>
                                    <th scope="col">{t(Msg::PortalStatus)}</th>
                                    <th scope="col" class="num">{t(Msg::PortalTotal)}</th>
                                    <th scope="col" class="num">{t(Msg::PortalOutstanding)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {portal.invoices.iter().map(|invoice| view! {
                                    <tr>
                                        <td>{invoice.number.clone()}</td>
                                        <td>{format::date(language, invoice.issue_date)}</td>
                                        <td><InvoiceStatusBadge status=invoice.status/></td>
                                        <td class="num">{format::money(language, invoice.total, invoice.currency)}</td>
                                        <td class="num">{format::money(language, invoice.outstanding, invoice.currency)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {portal.invoices_next.map(|next| view! {
                            <nav class="paging" aria-label=t(Msg::PortalInvoicePages)>
                                <A href=href(cursors().0, next)>{t(Msg::PortalMoreInvoices)}</A>
                            </nav>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
