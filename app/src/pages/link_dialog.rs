//! The link-credit dialog: the customer's available credit notes, which of them can be picked
//! (the domain's `linkable`), and a live preview of the new outstanding amount (the domain's
//! `plan_allocations`, the same function the server runs again before it writes).

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::components::A;

use crate::domain::{AllocationRequest, InvoiceBalance, LinkableRow, linkable, plan_allocations};
use crate::i18n::{Language, Msg, format, tr, trf, use_language};
use crate::model::{InvoicePage, LinkCandidate};
use crate::problem::Problem;
use crate::rpc::{LinkCreditNotes, LinkRowInput, link_requests, note_messages};

struct RowState {
    note: LinkCandidate,
    row: LinkableRow,
    selected: RwSignal<bool>,
    amount: RwSignal<String>,
}

#[component]
pub fn LinkDialog(page: InvoicePage, action: ServerAction<LinkCreditNotes>) -> impl IntoView {
    let language = use_language();
    let invoice = page.invoice;
    let currency = invoice.currency;
    let balance = invoice.balance();
    let notes: Vec<_> = page.candidates.iter().map(LinkCandidate::balance).collect();
    let rows: Vec<RowState> = linkable(&balance, &notes)
        .into_iter()
        .zip(page.candidates)
        .map(|(row, note)| RowState {
            note,
            row,
            selected: RwSignal::new(false),
            amount: RwSignal::new(String::new()),
        })
        .collect();

    // What the form would post right now, read from the row signals.
    let inputs: Vec<_> = rows
        .iter()
        .map(|state| (state.note.id, state.selected, state.amount))
        .collect();
    let preview = Memo::new(move |_| {
        let rows: Vec<LinkRowInput> = inputs
            .iter()
            .map(|(id, selected, amount)| LinkRowInput {
                credit_note_id: *id,
                selected: selected.get().then(|| "on".to_string()),
                amount: Some(amount.get()),
            })
            .collect();
        let requests: Vec<AllocationRequest> = link_requests(&rows, currency)?;
        if requests.is_empty() {
            return Ok(None);
        }
        plan_allocations(&balance, &notes, &requests)
            .map(|plan| Some(plan.invoice.outstanding()))
            .map_err(Problem::from)
    });

    let server_problem = move || super::refusal(action);
    let close_href = format!("/invoices/{}", invoice.id);
    let has_rows = !rows.is_empty();
    let reason_invoice = invoice.balance();

    // Keyboard use: focus starts inside, Tab and Shift+Tab stay inside, Escape closes, Enter
    // on a checkbox submits (Enter in a text field submits as in any form).
    let dialog = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(first) = dialog.get().and_then(|d| focusables(&d).into_iter().next()) {
            let _ = first.focus();
        }
    });
    let navigate = leptos_router::hooks::use_navigate();
    let close = close_href.clone();
    let on_keydown = move |ev: leptos::web_sys::KeyboardEvent| {
        let Some(dialog) = dialog.get() else {
            return;
        };
        match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                navigate(&close, Default::default());
            }
            "Tab" => {
                let items = focusables(&dialog);
                let (Some(first), Some(last)) = (items.first(), items.last()) else {
                    return;
                };
                let active = document().active_element();
                let is_active = |item: &leptos::web_sys::HtmlElement| {
                    active.as_ref().is_some_and(|a| {
                        let item: &leptos::web_sys::Element = item;
                        a == item
                    })
                };
                if ev.shift_key() && is_active(first) {
                    ev.prevent_default();
                    let _ = last.focus();
                } else if !ev.shift_key() && is_active(last) {
                    ev.prevent_default();
                    let _ = first.focus();
                }
            }
            "Enter" => {
                let on_checkbox = document()
                    .active_element()
                    .is_some_and(|a| a.get_attribute("type").as_deref() == Some("checkbox"));
                if on_checkbox {
                    ev.prevent_default();
                    let submit = dialog
                        .query_selector("button[type=submit]")
                        .ok()
                        .flatten()
                        .and_then(|b| b.dyn_into::<leptos::web_sys::HtmlElement>().ok());
                    if let Some(submit) = submit {
                        submit.click();
                    }
                }
            }
            _ => {}
        }
    };

    view! {
        <section class="dialog" role="dialog" aria-modal="true" aria-labelledby="link-dialog-title"
            node_ref=dialog on:keydown=on_keydown>
            <h2 id="link-dialog-title">{tr(language, Msg::InvoicesLinkTitle)}</h2>
            <p>
                {trf(language, Msg::InvoicesLinkSummary, &[("number", &invoice.number)])} " "
                <strong>{format::money(language, invoice.outstanding(), currency)}</strong>
            </p>
            <ActionForm action=action>
                <input type="hidden" name="invoice_id" value=invoice.id/>
                <input type="hidden" name="currency" value=currency.code()/>
                {if has_rows {
                    view! {
                        <table class="grid">
                            <caption class="visually-hidden">{tr(language, Msg::InvoicesLinkCaption)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{tr(language, Msg::InvoicesLinkSelectColumn)}</th>
                                    <th scope="col">{tr(language, Msg::InvoicesLinkCreditNote)}</th>
                                    <th scope="col">{tr(language, Msg::InvoicesLinkDate)}</th>
                                    <th scope="col" class="num">{tr(language, Msg::InvoicesLinkRemaining)}</th>
                                    <th scope="col">{tr(language, Msg::InvoicesLinkAmount)}</th>
                                    <th scope="col">{tr(language, Msg::InvoicesLinkNote)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().enumerate().map(|(index, state)| {
                                    link_row(language, index, state, &reason_invoice, server_problem)
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                } else {
                    view! { <p>{tr(language, Msg::InvoicesLinkEmpty)}</p> }.into_any()
                }}
                <p class="preview" aria-live="polite">
                    {move || match preview.get() {
                        Ok(None) => view! { <span>{tr(language, Msg::InvoicesLinkPrompt)}</span> }.into_any(),
                        Ok(Some(outstanding)) => view! {
                            <span>{tr(language, Msg::InvoicesLinkNewOutstandingLabel)} " "
                                <output aria-label=tr(language, Msg::InvoicesLinkNewOutstanding)>{format::money(language, outstanding, currency)}</output>
                            </span>
                        }.into_any(),
                        Err(problem) => view! { <span class="error">{crate::i18n::refusals::problem_detail(language, &problem)}</span> }.into_any(),
                    }}
                </p>
                {move || server_problem().map(|problem| view! {
                    <div class="problem" role="alert">{problem.detail}</div>
                })}
                <div class="actions">
                    <button type="submit" class="primary">{tr(language, Msg::InvoicesLinkSubmit)}</button>
                    <A href=close_href>{tr(language, Msg::InvoicesLinkCancel)}</A>
                </div>
            </ActionForm>
        </section>
    }
}

/// What can take focus inside the dialog, in document order.
fn focusables(dialog: &leptos::web_sys::HtmlElement) -> Vec<leptos::web_sys::HtmlElement> {
    let Ok(list) = dialog.query_selector_all(
        "input:not([disabled]):not([type=hidden]), button:not([disabled]), a[href]",
    ) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| {
            list.item(i)?
                .dyn_into::<leptos::web_sys::HtmlElement>()
                .ok()
        })
        .collect()
}

fn link_row(
    language: Language,
    index: usize,
    state: RowState,
    invoice: &InvoiceBalance,
    server_problem: impl Fn() -> Option<Problem> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let RowState {
        note,
        row,
        selected,
        amount,
    } = state;
    let number = crate::model::shown_number(note.number.as_deref(), note.id);
    let reason = row.reason.map(|block| {
        crate::i18n::refusals::link_block_text(language, block, invoice, &note.balance())
    });
    // The server names each refused note by its id (`credit_notes[42].amount`): its own row.
    let note_id = note.id;
    let row_errors = move || {
        server_problem()
            .map(|problem| note_messages(&problem, note_id))
            .unwrap_or_default()
    };
    let remaining = format::money(language, note.remaining_amount(), note.currency);
    view! {
        <tr class:disabled=!row.selectable>
            <td>
                <input type="hidden" name=format!("rows[{index}][credit_note_id]") value=note.id/>
                <input
                    type="checkbox"
                    name=format!("rows[{index}][selected]")
                    value="on"
                    aria-label=trf(language, Msg::InvoicesLinkSelect, &[("number", &number)])
                    disabled=!row.selectable
                    prop:checked=move || selected.get()
                    on:change=move |ev| selected.set(event_target_checked(&ev))
                />
            </td>
            <td>{number.clone()}</td>
            <td>{format::date(language, note.date)}</td>
            <td class="num">{remaining.clone()}</td>
            <td>
                <input
                    type="text"
                    inputmode="decimal"
                    name=format!("rows[{index}][amount]")
                    aria-label=trf(language, Msg::InvoicesLinkAmountFor, &[("number", &number)])
                    placeholder=format::figure(language, note.remaining_amount(), note.currency)
                    disabled=!row.selectable
                    prop:value=move || amount.get()
                    on:input=move |ev| amount.set(event_target_value(&ev))
                />
                {move || row_errors().into_iter().map(|message| view! { <span class="field-error">{message}</span> }).collect_view()}
            </td>
            <td>{reason.unwrap_or_default()}</td>
        </tr>
    }
}
