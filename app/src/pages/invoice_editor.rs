//! The invoice editor: a new invoice (saved as a draft, or issued at once), the edit of a
//! draft or pending invoice, and a correction invoice (`/invoices/new?corrects=7`), which
//! starts as the corrected invoice with every quantity negated. Lines are previewed live by
//! the shared domain; the form posts as plain HTML, so it works without JavaScript too.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::customer_choice::{CustomerChoice, CustomerSearchForm, SEARCH_FORM, searched};
use super::line_table::{LineTable, Pricing, row_signals};
use super::{InvoiceStatusBadge, ProblemMessage, field_error, form_error, path_id, refusal};
use crate::domain::{InvoiceKind, InvoiceStatus};
use crate::i18n::{Msg, format, t, tf, use_language};
use crate::model::{InvoiceEditorPage, InvoiceView};
use crate::problem::Problem;
use crate::rpc::invoice_editor::{InvoiceForm, SaveInvoice, load_invoice_editor};
use crate::rpc::load_invoice_page;

/// What the editor is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Purpose {
    New,
    /// A correction invoice.
    Correct,
    /// The edit of this invoice.
    Edit(i64),
}

#[component]
pub fn NewInvoicePage() -> impl IntoView {
    let query = use_query_map();
    let action = ServerAction::<SaveInvoice>::new();
    // `?corrects=7`: the invoice to correct (`Some(None)` when the id is no number).
    let corrects = move || {
        query
            .read()
            .get("corrects")
            .map(|id| id.parse::<i64>().ok())
    };
    let customer_q = searched();
    let page = Resource::new(corrects, move |corrects| {
        let customer_q = customer_q.clone();
        async move {
            let corrected = match corrects {
                None => None,
                Some(None) => return Err(Problem::not_found("The corrected invoice")),
                Some(Some(id)) => Some(load_invoice_page(id, false).await?.invoice),
            };
            let customer_id = corrected.as_ref().map(|invoice| invoice.customer_id);
            let editor = load_invoice_editor(customer_id, customer_q).await?;
            Ok::<_, Problem>((editor, corrected))
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::InvoicesEditorLoading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok((page, None)) => view! {
                        <h1>{t(Msg::InvoicesEditorNewTitle)}</h1>
                        <InvoiceEditor page action initial=InvoiceForm::default() purpose=Purpose::New/>
                    }.into_any(),
                    Ok((page, Some(corrected))) => {
                        let initial = InvoiceForm::correction_of(&corrected);
                        let purpose = Purpose::Correct;
                        view! {
                            <h1>{tf(Msg::InvoicesEditorCorrectionTitle, &[("number", &corrected.number)])}</h1>
                            <p class="hint">{t(Msg::InvoicesEditorCorrectionHint)}</p>
                            <InvoiceEditor page action initial purpose/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Editing a draft or pending invoice: the same form, filled with what the invoice says.
#[component]
pub fn EditInvoicePage() -> impl IntoView {
    let action = ServerAction::<SaveInvoice>::new();
    let invoice_id = path_id();
    let customer_q = searched();
    let page = Resource::new(invoice_id, move |invoice_id| {
        let customer_q = customer_q.clone();
        async move {
            let Some(id) = invoice_id else {
                return Err(Problem::not_found("The invoice"));
            };
            let invoice = load_invoice_page(id, false).await?.invoice;
            let editor = load_invoice_editor(Some(invoice.customer_id), customer_q).await?;
            Ok((editor, invoice))
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::InvoicesEditorLoading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok((page, invoice)) => view! {
                        <h1>{tf(Msg::InvoicesEditorEditTitle, &[("number", &crate::model::shown_invoice_number(&invoice.number))])}</h1>
                        <Facts invoice=invoice.clone()/>
                        <InvoiceEditor page action initial=InvoiceForm::from_invoice(&invoice) purpose=Purpose::Edit(invoice.id)/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What an edit keeps: the number, kind and issue date are set when the invoice is made.
#[component]
fn Facts(invoice: InvoiceView) -> impl IntoView {
    let language = use_language();
    let kind = match invoice.kind {
        InvoiceKind::Standard => Msg::InvoicesKindStandard,
        InvoiceKind::Advance => Msg::InvoicesKindAdvance,
        InvoiceKind::Correction => Msg::InvoicesKindCorrection,
    };
    view! {
        <dl class="facts">
            <dt>{t(Msg::InvoicesFieldKind)}</dt><dd>{t(kind)}</dd>
            <dt>{t(Msg::InvoicesFieldIssued)}</dt><dd>{format::date(language, invoice.issue_date)}</dd>
            <dt>{t(Msg::InvoicesFieldStatus)}</dt><dd><InvoiceStatusBadge status=invoice.status/></dd>
        </dl>
    }
}

#[component]
fn InvoiceEditor(
    page: InvoiceEditorPage,
    action: ServerAction<SaveInvoice>,
    initial: InvoiceForm,
    purpose: Purpose,
) -> impl IntoView {
    let on = move |field: &'static str| field_error(action, field);
    let problem = Signal::derive(move || refusal(action));
    let chosen_id = initial.customer_id.parse::<i64>().ok();
    let customer = RwSignal::new(
        page.customers
            .iter()
            .find(|c| Some(c.id) == chosen_id)
            .cloned(),
    );
    let currency = RwSignal::new(initial.currency.clone());
    let rows = row_signals(&initial.lines);
    // The typed currency, else the chosen customer's: the one the server will read amounts in.
    let pricing = Signal::derive(move || {
        customer.with(|customer| {
            let customer = customer.as_ref()?;
            let currency = crate::domain::Reader::API
                .currency("currency", &currency.get())
                .unwrap_or(customer.currency);
            Some(Pricing {
                currency,
                tax_region: customer.tax_region.clone(),
            })
        })
    });
    let chosen_customer = initial.customer_id.clone();
    let correcting = purpose == Purpose::Correct;
    let (invoice_id, cancel_href) = match &purpose {
        Purpose::Edit(id) => (Some(*id), format!("/invoices/{id}")),
        _ => (None, "/invoices".to_string()),
    };
    let creating = invoice_id.is_none();
    let issue_date = if initial.issue_date.is_empty() {
        page.today.to_string()
    } else {
        initial.issue_date.clone()
    };
    let draft = initial.status == InvoiceStatus::Draft.as_str();
    view! {
        <CustomerSearchForm keep=&[]/>
        <ActionForm action=action attr:class="editor" attr:aria-label=t(Msg::InvoicesEditorFormLabel)>
            {invoice_id.map(|id| view! { <input type="hidden" name="invoice_id" value=id/> })}
            <div class="fields">
                // A correction is for the corrected invoice's customer: shown, not chosen.
                {if correcting {
                    let name = customer.with_untracked(|c| c.as_ref().map(|c| c.name.clone())).unwrap_or_default();
                    view! {
                        <p>{tf(Msg::InvoicesEditorCustomer, &[("name", &name)])}</p>
                        <input type="hidden" name="form[customer_id]" value=chosen_customer.clone()/>
                    }.into_any()
                } else {
                    view! {
                        <CustomerChoice customers=page.customers.clone() chosen=chosen_customer.clone()
                            search_form=SEARCH_FORM on_choose=Callback::new(move |chosen| customer.set(chosen))/>
                    }.into_any()
                }}
                {on("customer_id")}
                <label>{t(Msg::InvoicesFieldCurrency)}
                    <input type="text" name="form[currency]" value=initial.currency.clone() maxlength="3"
                        placeholder=t(Msg::InvoicesEditorCurrencyPlaceholder) readonly=correcting
                        on:input=move |ev| currency.set(event_target_value(&ev))/>
                </label>
                {on("currency")}
                {creating.then(|| view! {
                    <label>{t(Msg::InvoicesEditorIssueDate)} <input type="date" name="form[issue_date]" value=issue_date.clone() required/></label>
                })}
                {on("issue_date")}
                <label>{t(Msg::InvoicesEditorDueDate)} <input type="date" name="form[due_date]" value=initial.due_date.clone()/></label>
                {on("due_date")}
                {(creating && !correcting).then(|| view! {
                    <label>{t(Msg::InvoicesFieldKind)}
                        <select name="form[kind]">
                            <option value="standard" selected=initial.kind != "advance">{t(Msg::InvoicesEditorKindStandard)}</option>
                            <option value="advance" selected=initial.kind == "advance">{t(Msg::InvoicesEditorKindAdvance)}</option>
                        </select>
                    </label>
                })}
                {correcting.then(|| view! {
                    <input type="hidden" name="form[kind]" value=InvoiceKind::Correction.as_str()/>
                    <input type="hidden" name="form[corrects]" value=initial.corrects.clone()/>
                })}
                {on("related_invoice_id")}
                {creating.then(|| view! {
                    <label>{t(Msg::InvoicesEditorExternalNumber)} <input type="text" name="form[number]" value=initial.number.clone() placeholder=t(Msg::InvoicesEditorExternalNumberPlaceholder)/></label>
                    <label>{t(Msg::InvoicesEditorProject)} <input type="text" name="form[project]" value=initial.project.clone()/></label>
                })}
                {on("number")}
            </div>
            <LineTable noun="Invoice" rows problem pricing table=page.tax_table.clone()/>
            {creating.then(|| view! {
                <fieldset class="choice">
                    <legend>{t(Msg::InvoicesEditorSaveAs)}</legend>
                    <label><input type="radio" name="form[status]" value="pending" checked=!draft/>" "{t(Msg::InvoicesEditorSaveIssued)}</label>
                    <label><input type="radio" name="form[status]" value="draft" checked=draft/>" "{t(Msg::InvoicesEditorSaveDraft)}</label>
                </fieldset>
            })}
            {on("status")}
            {form_error(action)}
            <div class="actions">
                <button type="submit" class="primary">{if creating { t(Msg::InvoicesEditorSaveInvoice) } else { t(Msg::InvoicesEditorSaveChanges) }}</button>
                <A href=cancel_href>{t(Msg::InvoicesEditorCancel)}</A>
            </div>
        </ActionForm>
    }
}
