//! "Credit this invoice": pick lines, reduce quantities, see what was credited on the invoice
//! before, and a warning (not a block) when the new credit takes the total above the invoice.
//! The preview is the shared domain's (`credit_lines_from_invoice`, `document_totals`,
//! `over_credit_warning`); the server runs the same rules when the form posts.

use leptos::prelude::*;
use leptos_router::components::A;

use super::credit_notes::shown_number;
use super::{CreditNoteStatusBadge, ProblemMessage, path_id};
use crate::domain::{credit_lines_from_invoice, document_totals, over_credit_warning};
use crate::i18n::{Msg, format, t, tf, use_language, warnings};
use crate::model::CreditFromInvoicePage;
use crate::problem::Problem;
use crate::rpc::credit_notes::{
    ALL_STATUSES, CreditInvoice, CreditRowInput, credit_selection, load_credit_from_invoice,
};

#[component]
pub fn CreditFromInvoicePage() -> impl IntoView {
    let action = ServerAction::<CreditInvoice>::new();
    let invoice_id = path_id();
    let page = Resource::new(invoice_id, |invoice_id| async move {
        match invoice_id {
            Some(id) => load_credit_from_invoice(id).await,
            None => Err(Problem::not_found("The invoice")),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::CreditNotesFromInvoiceLoading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! { <CreditForm page action/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreditForm(page: CreditFromInvoicePage, action: ServerAction<CreditInvoice>) -> impl IntoView {
    let language = use_language();
    let credited_before = page.credited_before;
    let more = (page.earlier_count > page.earlier.len() as i64).then(|| {
        let href = format!(
            "/credit-notes?status={ALL_STATUSES}&invoice={}",
            page.invoice.number
        );
        (href, page.earlier_count)
    });
    let invoice = page.invoice;
    let currency = invoice.currency;
    let invoice_lines: Vec<_> = invoice.lines.iter().map(|line| line.input()).collect();
    // Every line starts chosen in full: a partial credit unticks or reduces.
    let rows: Vec<(RwSignal<bool>, RwSignal<String>)> = invoice
        .lines
        .iter()
        .map(|line| {
            (
                RwSignal::new(true),
                RwSignal::new(format::editable(language, line.quantity)),
            )
        })
        .collect();
    let inputs = rows.clone();
    let invoice_total = invoice.total;
    // The new note's total and the over-credit warning, as the server will compute them.
    let preview = Memo::new(move |_| {
        let posted: Vec<CreditRowInput> = inputs
            .iter()
            .enumerate()
            .map(|(line, (selected, quantity))| CreditRowInput {
                line,
                selected: selected.get().then(|| "on".to_string()),
                quantity: Some(quantity.get()),
            })
            .collect();
        let selection = credit_selection(&posted)?;
        let lines = credit_lines_from_invoice(&invoice_lines, &selection).map_err(Problem::from)?;
        let total = document_totals(&lines, currency).total;
        let warning = over_credit_warning(invoice_total, credited_before, total, currency);
        Ok::<_, Problem>((total, warning))
    });
    let server_problem = move || super::refusal(action);
    let back = format!("/invoices/{}", invoice.id);
    let number = invoice.number.clone();
    view! {
        <p><A href=back.clone()>{tf(Msg::CreditNotesFromInvoiceBack, &[("number", number.as_str())])}</A></p>
        <h1>{tf(Msg::CreditNotesFromInvoiceHeading, &[("number", invoice.number.as_str())])}</h1>
        <dl class="facts">
            <dt>{t(Msg::CreditNotesCustomer)}</dt><dd>{invoice.customer_name.clone()}</dd>
            <dt>{t(Msg::CreditNotesFromInvoiceInvoiceTotal)}</dt><dd class="num">{format::money(language, invoice.total, currency)}</dd>
            <dt>{t(Msg::CreditNotesFromInvoiceCreditedBefore)}</dt>
            <dd class="num">{format::money(language, credited_before, currency)}</dd>
        </dl>
        <h2>{t(Msg::CreditNotesFromInvoiceCreditedBefore)}</h2>
        {if page.earlier.is_empty() {
            view! { <p>{t(Msg::CreditNotesFromInvoiceNoneYet)}</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">{t(Msg::CreditNotesFromInvoiceEarlierCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::CreditNotesFromInvoiceCreditNote)}</th>
                            <th scope="col">{t(Msg::CreditNotesStatus)}</th>
                            <th scope="col" class="num">{t(Msg::CreditNotesAmount)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.earlier.into_iter().map(|note| {
                            let href = format!("/credit-notes/{}", note.id);
                            let number = shown_number(note.number.as_deref(), note.id);
                            view! {
                                <tr>
                                    <td><A href=href>{number}</A></td>
                                    <td><CreditNoteStatusBadge status=note.status/></td>
                                    <td class="num">{format::money(language, note.total, currency)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {more.map(|(href, count)| view! {
                    <p><A href=href>{tf(Msg::CreditNotesFromInvoiceAllEarlier, &[("count", &count.to_string())])}</A></p>
                })}
            }.into_any()
        }}
        <ActionForm action=action attr:aria-label=t(Msg::CreditNotesFromInvoiceFormLabel)>
            <input type="hidden" name="invoice_id" value=invoice.id/>
            <table class="grid">
                <caption class="visually-hidden">{t(Msg::CreditNotesFromInvoiceLinesCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::CreditNotesFromInvoiceCredit)}</th>
                        <th scope="col">{t(Msg::CreditNotesDescription)}</th>
                        <th scope="col" class="num">{t(Msg::CreditNotesFromInvoiceInvoiced)}</th>
                        <th scope="col" class="num">{t(Msg::CreditNotesUnitPrice)}</th>
                        <th scope="col">{t(Msg::CreditNotesFromInvoiceQuantityToCredit)}</th>
                    </tr>
                </thead>
                <tbody>
                    {invoice.lines.iter().zip(rows).enumerate().map(|(index, (line, (selected, quantity)))| {
                        let messages = move || {
                            server_problem()
                                .map(|p| p.item_messages("lines", index).into_iter().map(str::to_string).collect::<Vec<_>>())
                                .unwrap_or_default()
                        };
                        let description = line.description.clone();
                        // Attributes for the first render (and for browsers without
                        // JavaScript); the properties follow the signals afterwards.
                        let initial_quantity = quantity.get_untracked();
                        view! {
                            <tr>
                                <td>
                                    <input type="hidden" name=format!("rows[{index}][line]") value=index/>
                                    <input
                                        type="checkbox"
                                        name=format!("rows[{index}][selected]")
                                        value="on"
                                        aria-label=tf(Msg::CreditNotesFromInvoiceCreditLine, &[("description", description.as_str())])
                                        checked=true
                                        prop:checked=move || selected.get()
                                        on:change=move |ev| selected.set(event_target_checked(&ev))
                                    />
                                </td>
                                <td>{line.description.clone()}</td>
                                <td class="num">{format::decimal(language, line.quantity)}</td>
                                <td class="num">{format::money(language, line.unit_price, currency)}</td>
                                <td>
                                    <input
                                        type="text"
                                        inputmode="decimal"
                                        name=format!("rows[{index}][quantity]")
                                        aria-label=tf(Msg::CreditNotesFromInvoiceQuantityOf, &[("description", description.as_str())])
                                        value=initial_quantity
                                        prop:value=move || quantity.get()
                                        on:input=move |ev| quantity.set(event_target_value(&ev))
                                    />
                                    {move || messages().into_iter().map(|m| view! { <span class="field-error">{m}</span> }).collect_view()}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="preview" aria-live="polite">
                {move || match preview.get() {
                    Ok((total, warning)) => view! {
                        <span>{t(Msg::CreditNotesFromInvoiceTotalLabel)} " "
                            <output aria-label=t(Msg::CreditNotesFromInvoiceTotal)>{format::money(language, total, currency)}</output>
                        </span>
                        {warning.map(|w| view! { <span class="warning" role="status">{warnings::over_credit(language, &w)}</span> })}
                    }.into_any(),
                    Err(problem) => view! { <span class="error">{problem.detail}</span> }.into_any(),
                }}
            </p>
            <label>{t(Msg::CreditNotesFromInvoiceDate)} <input type="date" name="date" value=page.today.to_string() required/></label>
            <label>{t(Msg::CreditNotesReason)} <input type="text" name="reason"/></label>
            {move || server_problem().map(|problem| view! {
                <div class="problem" role="alert">{problem.detail}</div>
            })}
            <div class="actions">
                <button type="submit" class="primary">{t(Msg::CreditNotesFromInvoiceCreate)}</button>
                <A href=back>{t(Msg::CreditNotesFormCancel)}</A>
            </div>
        </ActionForm>
    }
}
