//! A new credit note: with lines (net, tax and total previewed live by the shared domain, each
//! line's rate proposed from the tax table), or standalone with a charge. The tab is in the
//! URL (`?kind=charge`) and the form posts as plain HTML, so both work without JavaScript.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::ProblemMessage;
use crate::model::NewCreditNotePage;
use crate::problem::Problem;
use crate::rpc::credit_notes::load_credit_note_page;
use crate::rpc::new_credit_note::{
    LineRowInput, NewCreditNoteForm, STANDARD_CATEGORY, SaveCreditNote, load_new_credit_note,
    parse_rows, preview_total,
};

/// How many line rows the form offers; blank ones are ignored.
const LINE_ROWS: usize = 5;

#[component]
pub fn NewCreditNotePage() -> impl IntoView {
    let query = use_query_map();
    let action = ServerAction::<SaveCreditNote>::new();
    let page = Resource::new(|| (), |_| load_new_credit_note());
    let charge = Memo::new(move |_| query.read().get("kind").as_deref() == Some("charge"));
    view! {
        <h1>"New credit note"</h1>
        <nav class="tabs" aria-label="Kind of credit note">
            <A href="/credit-notes/new">"With lines"</A>
            <A href="/credit-notes/new?kind=charge">"Standalone charge"</A>
        </nav>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! {
                        <NoteForm page action charge=charge.get() initial=NewCreditNoteForm::default() note_id=None/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Editing a draft or pending note: the same form, filled with what the note says.
#[component]
pub fn EditCreditNotePage() -> impl IntoView {
    let params = use_params_map();
    let action = ServerAction::<SaveCreditNote>::new();
    let note_id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let page = Resource::new(note_id, |note_id| async move {
        let Some(id) = note_id else {
            return Err(Problem::not_found("The credit note"));
        };
        Ok((
            load_new_credit_note().await?,
            load_credit_note_page(id).await?.note,
        ))
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok((page, note)) => {
                        let initial = NewCreditNoteForm::from_note(&note);
                        let charge = initial.kind == "charge";
                        view! {
                            <h1>"Edit credit note " {note.display_number()}</h1>
                            {(note.status == crate::domain::CreditNoteStatus::PendingApproval).then(|| view! {
                                <p class="hint">"Saving sends it back to draft: it is submitted again for approval."</p>
                            })}
                            <NoteForm page action charge initial note_id=Some(note.id)/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoteForm(
    page: NewCreditNotePage,
    action: ServerAction<SaveCreditNote>,
    charge: bool,
    initial: NewCreditNoteForm,
    note_id: Option<i64>,
) -> impl IntoView {
    let problem = move || action.value().get().and_then(Result::err);
    let on = move |field: &'static str| {
        move || {
            problem()
                .and_then(|p| p.field_message(field).map(str::to_string))
                .map(|message| view! { <span class="field-error" role="alert">{message}</span> })
        }
    };
    let customer = RwSignal::new(initial.customer_id.parse::<i64>().ok());
    // The note's lines and a few blank rows to add more.
    let rows: Vec<RwSignal<LineRowInput>> = initial
        .lines
        .iter()
        .cloned()
        .chain(std::iter::repeat_with(LineRowInput::default))
        .take(LINE_ROWS.max(initial.lines.len() + 2))
        .map(RwSignal::new)
        .collect();
    let chosen_customer = initial.customer_id.clone();
    let customers = page.customers.clone();
    let table = page.tax_table.clone();
    let preview_rows = rows.clone();
    // The total as the server will compute it, once a customer gives the currency and region.
    let preview = Memo::new(move |_| {
        let chosen = customer.get()?;
        let customer = customers.iter().find(|c| c.id == chosen)?;
        let inputs: Vec<LineRowInput> = preview_rows.iter().map(|row| row.get()).collect();
        let lines = parse_rows(&inputs, customer.currency).ok()?;
        if lines.is_empty() {
            return None;
        }
        let total = preview_total(&lines, customer.currency, &table, &customer.tax_region)?;
        Some(customer.currency.format(total))
    });
    let proposed_customers = page.customers.clone();
    let proposed_table = page.tax_table.clone();
    // The rate the table proposes for the chosen customer, shown where no rate is typed.
    let proposed_rate = move || {
        let chosen = customer.get()?;
        let customer = proposed_customers.iter().find(|c| c.id == chosen)?;
        proposed_table
            .rate(&customer.tax_region, STANDARD_CATEGORY)
            .map(|rate| format!("{rate} (table)"))
    };
    view! {
        <ActionForm action=action attr:class="editor" attr:aria-label="New credit note">
            {note_id.map(|id| view! { <input type="hidden" name="credit_note_id" value=id/> })}
            <input type="hidden" name="form[kind]" value=if charge { "charge" } else { "lines" }/>
            <div class="fields">
                <label>"Customer"
                    <select name="form[customer_id]" required on:change=move |ev| {
                        customer.set(event_target_value(&ev).parse().ok());
                    }>
                        <option value="">"Choose…"</option>
                        {page.customers.iter().map(|c| {
                            let value = c.id.to_string();
                            let selected = value == chosen_customer;
                            view! {
                                <option value=value selected=selected>{format!("{} ({})", c.name, c.currency.code())}</option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                {on("customer_id")}
                <label>"Date" <input type="date" name="form[date]" value=if initial.date.is_empty() { page.today.to_string() } else { initial.date.clone() } required/></label>
                {on("date")}
                <RelatedInvoiceChoice page=page.clone() customer chosen=initial.related_invoice.clone()/>
                {on("related_invoice")}
                <label>"Reason" <input type="text" name="form[reason]" value=initial.reason.clone()/></label>
            </div>
            {if charge {
                view! {
                    <fieldset>
                        <legend>"Standalone charge"</legend>
                        <label>"Charge code" <input type="text" name="form[charge_code]" required value=initial.charge_code.clone()/></label>
                        {on("charge.code")}
                        <label>"Charge description" <input type="text" name="form[charge_description]" required value=initial.charge_description.clone()/></label>
                        {on("charge.description")}
                        <label>"Charge amount" <input type="text" inputmode="decimal" name="form[charge_amount]" required value=initial.charge_amount.clone()/></label>
                        {on("charge.amount")}
                    </fieldset>
                }.into_any()
            } else {
                view! {
                    <table class="grid">
                        <caption class="visually-hidden">"Credit note lines"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Description"</th>
                                <th scope="col">"Quantity"</th>
                                <th scope="col">"Unit price"</th>
                                <th scope="col">"Discount %"</th>
                                <th scope="col">"Tax %"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().enumerate().map(|(index, row)| {
                                line_row(index, row, problem, proposed_rate.clone())
                            }).collect_view()}
                        </tbody>
                    </table>
                    {on("lines")}
                    <p class="preview" aria-live="polite">
                        {move || preview.get().map(|total| view! {
                            <span>"Credit note total: " <output aria-label="Credit note total">{total}</output></span>
                        })}
                    </p>
                }.into_any()
            }}
            {move || problem().filter(|p| p.errors.is_empty()).map(|p| view! {
                <div class="problem" role="alert">{p.detail}</div>
            })}
            <div class="actions">
                <button type="submit" class="primary">{if note_id.is_some() { "Save changes" } else { "Create draft" }}</button>
                <A href="/credit-notes">"Cancel"</A>
            </div>
        </ActionForm>
    }
}

fn line_row(
    index: usize,
    row: RwSignal<LineRowInput>,
    problem: impl Fn() -> Option<Problem> + Copy + Send + Sync + 'static,
    proposed_rate: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    let name = move |field: &str| format!("form[lines][{index}][{field}]");
    let label = move |field: &str| format!("{field} of line {}", index + 1);
    let messages = move || {
        problem()
            .map(|p| {
                p.item_messages("lines", index)
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    // Each input writes its own field of the row's signal.
    let start = row.get_untracked();
    let input = move |field: &'static str, initial: String, set: fn(&mut LineRowInput, String)| {
        view! {
            <input
                type="text"
                name=name(field)
                value=initial
                aria-label=label(field_label(field))
                on:input=move |ev| row.update(|r| set(r, event_target_value(&ev)))
            />
        }
    };
    view! {
        <tr>
            <td>{input("description", start.description.clone(), |r, v| r.description = v)}</td>
            <td>{input("quantity", start.quantity.clone(), |r, v| r.quantity = v)}</td>
            <td>{input("unit_price", start.unit_price.clone(), |r, v| r.unit_price = v)}</td>
            <td>{input("discount", start.discount.clone(), |r, v| r.discount = v)}</td>
            <td>
                <input
                    type="text"
                    name=name("tax_rate")
                    value=start.tax_rate.clone()
                    aria-label=label("Tax %")
                    placeholder=move || proposed_rate().unwrap_or_default()
                    on:input=move |ev| row.update(|r| r.tax_rate = event_target_value(&ev))
                />
                {move || messages().into_iter().map(|m| view! { <span class="field-error">{m}</span> }).collect_view()}
            </td>
        </tr>
    }
}

fn field_label(field: &str) -> &'static str {
    match field {
        "description" => "Description",
        "quantity" => "Quantity",
        "unit_price" => "Unit price",
        "discount" => "Discount %",
        _ => "Tax %",
    }
}

/// The related invoice: the issued invoices of the chosen customer. Every customer's invoices
/// are in the page, grouped by customer, so the choice works without JavaScript too; with it,
/// only the chosen customer's group shows. The server checks the choice again.
#[component]
fn RelatedInvoiceChoice(
    page: NewCreditNotePage,
    customer: RwSignal<Option<i64>>,
    chosen: String,
) -> impl IntoView {
    let groups: Vec<(i64, String, Vec<String>)> = page
        .customers
        .iter()
        .map(|c| {
            let numbers = page
                .invoices
                .iter()
                .filter(|invoice| invoice.customer_id == c.id)
                .map(|invoice| invoice.number.clone())
                .collect::<Vec<_>>();
            (c.id, c.name.clone(), numbers)
        })
        .filter(|(_, _, numbers)| !numbers.is_empty())
        .collect();
    view! {
        <label>"Related invoice"
            <select name="form[related_invoice]">
                <option value="" selected=chosen.is_empty()>"None"</option>
                {groups.into_iter().map(|(id, name, numbers)| {
                    let chosen = chosen.clone();
                    view! {
                        <optgroup label=name hidden=move || customer.get().is_some_and(|c| c != id)>
                            {numbers.into_iter().map(|number| {
                                let selected = number == chosen;
                                let label = number.clone();
                                view! { <option value=number selected=selected>{label}</option> }
                            }).collect_view()}
                        </optgroup>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}
