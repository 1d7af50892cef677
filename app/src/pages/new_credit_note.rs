//! A new credit note: with lines (net, tax and total previewed live by the shared domain, each
//! line's rate proposed from the tax table), or standalone with a charge. The tab is in the
//! URL (`?kind=charge`) and the form posts as plain HTML, so both work without JavaScript.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::credit_notes::{reason_category_label, shown_number};
use super::customer_choice::{CustomerChoice, CustomerSearchForm, SEARCH_FORM, searched};
use super::line_table::{LineTable, Pricing, row_signals};
use super::{ProblemMessage, field_error, form_error, path_id, refusal};
use crate::domain::ReasonCategory;
use crate::i18n::{Msg, format, t, tf, use_language};
use crate::model::{CustomerView, NewCreditNotePage};
use crate::problem::Problem;
use crate::rpc::credit_notes::load_credit_note_page;
use crate::rpc::new_credit_note::{
    AddressInput, NewCreditNoteForm, SaveCreditNote, load_new_credit_note, relatable_invoices,
};

#[component]
pub fn NewCreditNotePage() -> impl IntoView {
    let query = use_query_map();
    let action = ServerAction::<SaveCreditNote>::new();
    // `?customer_id=` chooses the customer up front (the customer page's "New credit note").
    let customer_id = query
        .read_untracked()
        .get("customer_id")
        .and_then(|id| id.parse::<i64>().ok());
    let customer_q = searched();
    let page = Resource::new(
        || (),
        move |_| load_new_credit_note(customer_id, customer_q.clone()),
    );
    let charge = Memo::new(move |_| query.read().get("kind").as_deref() == Some("charge"));
    let initial = NewCreditNoteForm {
        customer_id: customer_id.map(|id| id.to_string()).unwrap_or_default(),
        ..NewCreditNoteForm::default()
    };
    view! {
        <h1>{t(Msg::CreditNotesNewTitle)}</h1>
        <nav class="tabs" aria-label=t(Msg::CreditNotesNewKind)>
            <A href="/credit-notes/new">{t(Msg::CreditNotesNewWithLines)}</A>
            <A href="/credit-notes/new?kind=charge">{t(Msg::CreditNotesNewStandaloneCharge)}</A>
        </nav>
        <Suspense fallback=|| view! { <p>{t(Msg::CreditNotesLoading)}</p> }>
            {move || {
                let initial = initial.clone();
                Suspend::new(async move {
                    match page.await {
                        Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                        Ok(page) => view! {
                            <NoteForm page action charge=charge.get() initial note_id=None/>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Editing a draft or pending note: the same form, filled with what the note says.
#[component]
pub fn EditCreditNotePage() -> impl IntoView {
    let action = ServerAction::<SaveCreditNote>::new();
    let note_id = path_id();
    let customer_q = searched();
    let page = Resource::new(note_id, move |note_id| {
        let customer_q = customer_q.clone();
        async move {
            let Some(id) = note_id else {
                return Err(Problem::not_found("The credit note"));
            };
            let note = load_credit_note_page(id).await?.note;
            let page = load_new_credit_note(Some(note.customer_id), customer_q).await?;
            Ok((page, note))
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::CreditNotesLoading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok((page, note)) => {
                        let initial = NewCreditNoteForm::from_note(&note);
                        let charge = initial.kind == "charge";
                        view! {
                            <h1>{tf(Msg::CreditNotesNewEditTitle, &[("number", &shown_number(note.number.as_deref(), note.id))])}</h1>
                            {(note.status == crate::domain::CreditNoteStatus::PendingApproval).then(|| view! {
                                <p class="hint">{t(Msg::CreditNotesNewEditHint)}</p>
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
    let on = move |field: &'static str| field_error(action, field);
    let customer = RwSignal::new(initial.customer_id.parse::<i64>().ok());
    let rows = row_signals(&initial.lines);
    let chosen_customer = initial.customer_id.clone();
    // The chosen customer, whose currency and tax region price the lines.
    let holds = RwSignal::new(
        page.customers
            .iter()
            .find(|c| Some(c.id) == customer.get_untracked())
            .cloned(),
    );
    let pricing = Signal::derive(move || {
        holds.with(|c| {
            c.as_ref().map(|c| Pricing {
                currency: c.currency,
                tax_region: c.tax_region.clone(),
            })
        })
    });
    let problem = Signal::derive(move || refusal(action));
    let billing = RwSignal::new(initial.billing.clone());
    let shipping = RwSignal::new(initial.shipping.clone());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <CustomerSearchForm keep=&["kind", "customer_id"]/>
        <ActionForm action=action attr:class="editor" attr:aria-label=t(Msg::CreditNotesNewTitle)>
            {note_id.map(|id| view! { <input type="hidden" name="credit_note_id" value=id/> })}
            <input type="hidden" name="form[kind]" value=if charge { "charge" } else { "lines" }/>
            <div class="fields">
                <CustomerChoice customers=page.customers.clone() chosen=chosen_customer.clone() search_form=SEARCH_FORM
                    on_choose=Callback::new(move |chosen: Option<CustomerView>| {
                        customer.set(chosen.as_ref().map(|c| c.id));
                        // A customer's addresses are the note's until edited on the note.
                        if let Some(c) = &chosen {
                            billing.set(AddressInput::from_address(&c.billing_address));
                            shipping.set(AddressInput::from_address(&c.shipping_address));
                        }
                        holds.set(chosen);
                    })/>
                {on("customer_id")}
                <label>{t(Msg::CreditNotesDate)} <input type="date" name="form[date]" value=if initial.date.is_empty() { page.today.to_string() } else { initial.date.clone() } required/></label>
                {on("date")}
                <p class="hint">{t(Msg::CreditNotesNewDateHint)}</p>
                <RelatedInvoiceChoice page=page.clone() customer chosen=initial.related_invoice.clone()/>
                {on("related_invoice")}
                <label>{t(Msg::CreditNotesReasonCategory)}
                    <select name="form[reason_category]">
                        <option value="" selected=initial.reason_category.is_empty()>{t(Msg::CreditNotesNewNotGiven)}</option>
                        {ReasonCategory::ALL.into_iter().map(|category| {
                            let selected = initial.reason_category == category.as_str();
                            view! { <option value=category.as_str() selected=selected>{reason_category_label(category)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {on("reason_category")}
                <label>{t(Msg::CreditNotesReason)} <input type="text" name="form[reason]" value=initial.reason.clone()/></label>
            </div>
            <div class="addresses">
                <AddressFields legend=t(Msg::CreditNotesBillingAddress) prefix="billing" address=billing initial=initial.billing.clone()/>
                <AddressFields legend=t(Msg::CreditNotesShippingAddress) prefix="shipping" address=shipping initial=initial.shipping.clone()/>
            </div>
            // Copying needs the page's code; without it, blank fields take the customer's.
            <div class="actions" hidden=move || !hydrated.get()>
                <button type="button" on:click=move |_| shipping.set(billing.get_untracked())>{t(Msg::CreditNotesNewCopyToShipping)}</button>
                <button type="button" on:click=move |_| billing.set(shipping.get_untracked())>{t(Msg::CreditNotesNewCopyToBilling)}</button>
            </div>
            {if charge {
                view! {
                    <fieldset>
                        <legend>{t(Msg::CreditNotesNewStandaloneCharge)}</legend>
                        <label>{t(Msg::CreditNotesNewChargeCode)} <input type="text" name="form[charge_code]" required value=initial.charge_code.clone()/></label>
                        {on("charge.code")}
                        <label>{t(Msg::CreditNotesNewChargeDescription)} <input type="text" name="form[charge_description]" required value=initial.charge_description.clone()/></label>
                        {on("charge.description")}
                        <label>{t(Msg::CreditNotesNewChargeAmount)} <input type="text" inputmode="decimal" name="form[charge_amount]" required value=initial.charge_amount.clone()/></label>
                        {on("charge.amount")}
                    </fieldset>
                }.into_any()
            } else {
                view! {
                    <LineTable noun="Credit note" rows=rows.clone() problem pricing table=page.tax_table.clone()/>
                }.into_any()
            }}
            {form_error(action)}
            <div class="actions">
                <button type="submit" class="primary">{if note_id.is_some() { t(Msg::CreditNotesNewSave) } else { t(Msg::CreditNotesNewCreateDraft) }}</button>
                <A href="/credit-notes">{t(Msg::CreditNotesFormCancel)}</A>
            </div>
        </ActionForm>
    }
}

/// An address of the note: blank fields take the customer's when the note is saved.
#[component]
fn AddressFields(
    legend: &'static str,
    prefix: &'static str,
    address: RwSignal<AddressInput>,
    initial: AddressInput,
) -> impl IntoView {
    let field = move |label: &'static str,
                      name: &'static str,
                      start: String,
                      get: fn(&AddressInput) -> String,
                      set: fn(&mut AddressInput, String)| {
        view! {
            <label>{label}
                <input type="text" name=format!("form[{prefix}][{name}]") value=start
                    placeholder=t(Msg::CreditNotesNewAddressPlaceholder)
                    prop:value=move || address.with(get)
                    on:input=move |ev| address.update(|a| set(a, event_target_value(&ev)))/>
            </label>
        }
    };
    view! {
        <fieldset aria-label=legend>
            <legend>{legend}</legend>
            {field(t(Msg::CreditNotesNewStreet), "line1", initial.line1, |a| a.line1.clone(), |a, v| a.line1 = v)}
            {field(t(Msg::CreditNotesNewStreet2), "line2", initial.line2, |a| a.line2.clone(), |a, v| a.line2 = v)}
            {field(t(Msg::CreditNotesNewCity), "city", initial.city, |a| a.city.clone(), |a, v| a.city = v)}
            {field(t(Msg::CreditNotesNewPostalCode), "postal_code", initial.postal_code, |a| a.postal_code.clone(), |a, v| a.postal_code = v)}
            {field(t(Msg::CreditNotesNewCountry), "country", initial.country, |a| a.country.clone(), |a, v| a.country = v)}
        </fieldset>
    }
}

/// The related invoice: a number, typed or picked from the chosen customer's invoices the
/// page brought (the first few). Once the page's code runs, the suggestions follow the chosen
/// customer and what is typed, from the server. Without JavaScript the number is typed; the
/// server checks it either way.
#[component]
fn RelatedInvoiceChoice(
    page: NewCreditNotePage,
    customer: RwSignal<Option<i64>>,
    chosen: String,
) -> impl IntoView {
    let suggestions = RwSignal::new(page.invoices);
    let typed = RwSignal::new(chosen.clone());
    let first_customer = customer.get_untracked();
    let language = use_language();
    // Runs in the browser only: asks again when the customer or the typed text changes.
    Effect::new(move |previous: Option<(Option<i64>, String)>| {
        let now = (customer.get(), typed.get());
        let first_run = previous.is_none();
        if !(first_run && now.0 == first_customer) {
            let (customer_id, text) = now.clone();
            leptos::task::spawn_local(async move {
                let found = match customer_id {
                    Some(id) => relatable_invoices(id, text).await.unwrap_or_default(),
                    None => Vec::new(),
                };
                suggestions.set(found);
            });
        }
        now
    });
    view! {
        <label>{t(Msg::CreditNotesRelatedInvoice)}
            <input type="text" name="form[related_invoice]" list="relatable-invoices"
                autocomplete="off" placeholder=t(Msg::CreditNotesNewInvoiceNumber) value=chosen
                on:input=move |ev| typed.set(event_target_value(&ev))/>
        </label>
        <datalist id="relatable-invoices">
            {move || suggestions.get().into_iter().map(|invoice| {
                let label = tf(Msg::CreditNotesNewRelatableInvoice, &[
                    ("number", invoice.number.as_str()),
                    ("date", &format::date(language, invoice.issue_date)),
                ]);
                view! { <option value=invoice.number>{label}</option> }
            }).collect_view()}
        </datalist>
    }
}
