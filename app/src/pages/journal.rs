//! The accounting journal (staff): entries in the order they were written, each with its
//! balanced lines, filtered by date in the URL (a plain GET form, so it works without
//! JavaScript), and the FEC file of a year to download.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::{ProblemMessage, list_href};
use crate::i18n::{Msg, format, t, tf, use_language};
use crate::model::{JournalEntryView, JournalPage};
use crate::problem::Problem;
use crate::rpc::journal::{JournalFilters, load_journal};

const FILTER_KEYS: [&str; 2] = ["from", "to"];

fn page_href(filters: &JournalFilters, after: Option<i64>) -> String {
    list_href(
        "/journal",
        &FILTER_KEYS,
        &[&filters.from, &filters.to],
        after,
    )
}

#[component]
pub fn JournalPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let query = query.read();
        JournalFilters {
            from: query.get("from"),
            to: query.get("to"),
            after: query.get("after"),
        }
    };
    let page = Resource::new(filters, load_journal);
    view! {
        <h1>{t(Msg::NavJournal)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::JournalLoading)}</p> }>
            {move || Suspend::new(async move {
                let filters = filters();
                match page.await {
                    Err(problem) if problem.status == 422 => view! {
                        <JournalFilterForm filters problem=Some(problem)/>
                    }.into_any(),
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! { <JournalView page filters/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The journal of a fiscal year as a DATEV batch for a German tax adviser: a plain GET form
/// (a download, with or without JavaScript).
#[component]
fn DatevExportForm(years: Vec<i32>) -> impl IntoView {
    view! {
        <form method="get" action="/journal/datev" class="inline datev-export" aria-label=t(Msg::JournalDatevExport)>
            <label>{t(Msg::JournalDatevYear)}
                <select name="year">
                    {years.into_iter().map(|year| view! { <option value=year>{year}</option> }).collect_view()}
                </select>
            </label>
            <label>{t(Msg::JournalDatevConsultant)} <input type="text" name="consultant" inputmode="numeric" size="8" maxlength="7" required/></label>
            <label>{t(Msg::JournalDatevClient)} <input type="text" name="client" inputmode="numeric" size="6" maxlength="5" required/></label>
            <button type="submit">{t(Msg::JournalDatevDownload)}</button>
        </form>
    }
}

#[component]
fn JournalView(page: JournalPage, filters: JournalFilters) -> impl IntoView {
    let next_href = page
        .next_after
        .map(|after| page_href(&filters, Some(after)));
    let first_page = filters
        .after
        .as_deref()
        .is_some_and(|a| !a.is_empty() && a != "0");
    let first_href = page_href(&filters, None);
    view! {
        <p class="hint">
            {t(Msg::JournalFec)}
            {page.fec_years.iter().map(|year| view! {
                <a href=format!("/journal/fec?year={year}") rel="external">{format!("FEC {year}")}</a>
                " ("
                <a href=format!("/journal/fec/description?year={year}") rel="external">{tf(Msg::JournalFecDescription, &[("year", &year.to_string())])}</a>
                ") "
            }).collect_view()}
        </p>
        <DatevExportForm years=page.fec_years.clone()/>
        <JournalFilterForm filters problem=None/>
        {if page.entries.is_empty() {
            view! { <p>{t(Msg::JournalEmpty)}</p> }.into_any()
        } else {
            view! { <JournalTable entries=page.entries/> }.into_any()
        }}
        <nav class="paging" aria-label=t(Msg::CommonPages)>
            {first_page.then(|| view! { <A href=first_href>{t(Msg::JournalFirstPage)}</A> })}
            {next_href.map(|href| view! { <A href=href>{t(Msg::CommonNextPage)}</A> })}
        </nav>
    }
}

#[component]
fn JournalFilterForm(filters: JournalFilters, problem: Option<Problem>) -> impl IntoView {
    let error = move |field: &str| {
        problem.as_ref().and_then(|p| p.field_message(field)).map(
            |message| view! { <span class="field-error" role="alert">{message.to_string()}</span> },
        )
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    view! {
        <Form method="GET" action="/journal" attr:class="filters" attr:aria-label=t(Msg::JournalFilterLabel)>
            <label>{t(Msg::JournalFrom)} <input type="date" name="from" value=text(&filters.from)/></label>
            {error("from")}
            <label>{t(Msg::JournalTo)} <input type="date" name="to" value=text(&filters.to)/></label>
            {error("to")}
            <button type="submit">{t(Msg::JournalFilter)}</button>
        </Form>
    }
}

/// Each entry is a group of rows: its lines, under its date, journal and reference.
#[component]
fn JournalTable(entries: Vec<JournalEntryView>) -> impl IntoView {
    let language = use_language();
    view! {
        <table class="grid journal">
            <caption class="visually-hidden">{t(Msg::JournalCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(Msg::JournalDate)}</th>
                    <th scope="col">{t(Msg::JournalJournal)}</th>
                    <th scope="col">{t(Msg::JournalReference)}</th>
                    <th scope="col">{t(Msg::JournalAccount)}</th>
                    <th scope="col">{t(Msg::JournalLabel)}</th>
                    <th scope="col" class="num">{t(Msg::JournalDebit)}</th>
                    <th scope="col" class="num">{t(Msg::JournalCredit)}</th>
                </tr>
            </thead>
            {entries.into_iter().map(|entry| {
                let currency = entry.currency;
                let href = match (entry.credit_note_id, entry.invoice_id) {
                    (Some(id), _) => Some(format!("/credit-notes/{id}")),
                    (None, Some(id)) => Some(format!("/invoices/{id}")),
                    (None, None) => None,
                };
                let reference = entry.reference.clone();
                let date = format::date(language, entry.date);
                let journal = entry.journal.code();
                let seal = tf(Msg::JournalSeal, &[("seal", &entry.seal)]);
                let what_wrote = source_message(&entry.source).map_or_else(|| entry.source.clone(), |message| t(message).to_string());
                view! {
                    <tbody title=seal>
                        {entry.lines.into_iter().enumerate().map(|(index, line)| {
                            let first = index == 0;
                            let amount = |value: rust_decimal::Decimal| {
                                if value.is_zero() { String::new() } else { format::money(language, value, currency) }
                            };
                            view! {
                                <tr>
                                    <td>{first.then(|| date.clone())}</td>
                                    <td>{first.then_some(journal)}</td>
                                    <td>{first.then(|| {
                                        let text = reference.clone();
                                        let link = match href.clone() {
                                            Some(href) => view! { <A href=href>{text}</A> }.into_any(),
                                            None => text.into_any(),
                                        };
                                        view! { {link} " " <span class="hint">{what_wrote.clone()}</span> }
                                    })}</td>
                                    <td>{line.account.code.clone()} " " <span class="hint">{line.account.label.clone()}</span></td>
                                    <td>{line.label.clone()}</td>
                                    <td class="num">{amount(line.debit)}</td>
                                    <td class="num">{amount(line.credit)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                }
            }).collect_view()}
        </table>
    }
}

/// What wrote an entry, in the page's language. The lines' own labels are the books' text and
/// stay as written: French, as the accounts of a business established in France are kept
/// (Code de commerce art. L123-22).
fn source_message(source: &str) -> Option<Msg> {
    Some(match source {
        "invoice_issued" => Msg::JournalSourceInvoiceIssued,
        "invoice_reversed" => Msg::JournalSourceInvoiceReversed,
        "credit_note_finalized" => Msg::JournalSourceCreditNoteFinalized,
        "credit_note_reversed" => Msg::JournalSourceCreditNoteReversed,
        "payment" => Msg::JournalSourcePayment,
        "payment_reversed" => Msg::JournalSourcePaymentReversed,
        "credit_applied" => Msg::JournalSourceCreditApplied,
        "credit_unapplied" => Msg::JournalSourceCreditUnapplied,
        "refund" => Msg::JournalSourceRefund,
        "void" => Msg::JournalSourceVoid,
        "vat_due" => Msg::JournalSourceVatDue,
        "opening_balance" => Msg::JournalSourceOpeningBalance,
        _ => return None,
    })
}
