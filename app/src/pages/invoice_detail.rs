use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::link_dialog::LinkDialog;
use super::{
    DisabledAction, InvoiceStatusBadge, MoneyFields, ProblemMessage, Timeline, path_id, refusal,
};
use crate::domain::{
    ActionState, InvoiceAction, InvoiceKind, InvoiceStatus, Permission, invoice_action_state,
};
use crate::i18n::{Msg, format, t, tf, use_language};
use crate::model::InvoicePage;
use crate::problem::Problem;
use crate::rpc::invoices::{
    CancelInvoice, DeleteInvoice, IssueInvoice, MarkInvoicePaid, MarkInvoicePending, RecordPayment,
    SendInvoiceReminder,
};
use crate::rpc::{LinkCreditNotes, UnlinkCreditNote, load_invoice_page};

/// The page's forms; their versions reload the page after each post.
#[derive(Clone, Copy)]
struct Actions {
    link: ServerAction<LinkCreditNotes>,
    unlink: ServerAction<UnlinkCreditNote>,
    payment: ServerAction<RecordPayment>,
    issue: ServerAction<IssueInvoice>,
    mark_paid: ServerAction<MarkInvoicePaid>,
    mark_pending: ServerAction<MarkInvoicePending>,
    cancel: ServerAction<CancelInvoice>,
    delete: ServerAction<DeleteInvoice>,
    remind: ServerAction<SendInvoiceReminder>,
}

impl Actions {
    fn new() -> Self {
        Self {
            link: ServerAction::new(),
            unlink: ServerAction::new(),
            payment: ServerAction::new(),
            issue: ServerAction::new(),
            mark_paid: ServerAction::new(),
            mark_pending: ServerAction::new(),
            cancel: ServerAction::new(),
            delete: ServerAction::new(),
            remind: ServerAction::new(),
        }
    }

    fn versions(&self) -> [usize; 9] {
        [
            self.link.version().get(),
            self.unlink.version().get(),
            self.payment.version().get(),
            self.issue.version().get(),
            self.mark_paid.version().get(),
            self.mark_pending.version().get(),
            self.cancel.version().get(),
            self.delete.version().get(),
            self.remind.version().get(),
        ]
    }
}

#[component]
pub fn InvoiceDetailPage() -> impl IntoView {
    let query = use_query_map();
    let actions = Actions::new();
    let invoice_id = path_id();
    // The dialog's open state lives in the URL, so it opens with or without JavaScript; the
    // page loads the customer's notes only while it is open.
    let dialog_open = Memo::new(move |_| query.read().get("link").is_some());
    let page = Resource::new(
        move || (invoice_id(), dialog_open.get(), actions.versions()),
        |(invoice_id, link, _)| async move {
            let page = match invoice_id {
                Some(id) => load_invoice_page(id, link).await,
                None => Err(Problem::not_found("The invoice")),
            };
            (link, page)
        },
    );

    view! {
        <Transition fallback=|| view! { <p>{t(Msg::InvoicesDetailLoading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    (_, Err(problem)) => view! { <ProblemMessage problem/> }.into_any(),
                    (with_notes, Ok(page)) => {
                        // The dialog shows once the page holds its notes, never empty meanwhile.
                        let may_link = page.viewer.may(Permission::LinkCreditNotes) && with_notes;
                        view! {
                        <InvoiceDetail page=page.clone() actions/>
                        <Show when=move || dialog_open.get() && may_link>
                            <LinkDialog page=page.clone() action=actions.link/>
                        </Show>
                    }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn InvoiceDetail(page: InvoicePage, actions: Actions) -> impl IntoView {
    let language = use_language();
    let unlink = actions.unlink;
    let page_for_actions = page.clone();
    let timeline = page.timeline;
    let timeline_total = page.timeline_total;
    let invoice = page.invoice;
    let currency = invoice.currency;
    let open = invoice.status == InvoiceStatus::Pending;
    // The server checks again; this only spares users a button they may not use.
    let may_link = page.viewer.may(Permission::LinkCreditNotes);
    let may_unlink = may_link && crate::domain::linking::check_unlink(invoice.status).is_ok();
    let self_href = format!("/invoices/{}", invoice.id);
    let may_credit = page.viewer.may(Permission::WriteCreditNotes);
    let credit_href = format!("/invoices/{}/credit", invoice.id);
    let issued = format::date(language, invoice.issue_date);
    let issued = if invoice.imported {
        tf(Msg::InvoicesDetailIssuedImported, &[("date", &issued)])
    } else {
        issued
    };
    view! {
        <p><A href="/invoices">{t(Msg::InvoicesDetailBack)}</A></p>
        <h1>{tf(Msg::InvoicesDetailTitle, &[("number", &crate::model::shown_invoice_number(&invoice.number))])}</h1>
        // A download, not a page of the app: the router must let the browser have it.
        <p class="downloads">
            <a class="button" href=format!("/invoices/{}/pdf", invoice.id) rel="external">{t(Msg::InvoicesDetailExportPdf)}</a>
            // E-invoices (EN 16931) exist once the invoice is issued.
            {(invoice.status != InvoiceStatus::Draft).then(|| view! {
                " "<a class="button" href=format!("/invoices/{}/factur-x", invoice.id) rel="external">"Factur-X (PDF/A-3)"</a>
                " "<a class="button" href=format!("/invoices/{}/ubl", invoice.id) rel="external">"UBL (XML)"</a>
            })}
        </p>
        <dl class="facts">
            <dt>{t(Msg::InvoicesFieldCustomer)}</dt><dd>{invoice.customer_name.clone()}</dd>
            <dt>{t(Msg::InvoicesFieldCurrency)}</dt><dd>{currency.code()}</dd>
            <dt>{t(Msg::InvoicesFieldIssued)}</dt><dd>{issued}</dd>
            <dt>{t(Msg::InvoicesFieldStatus)}</dt><dd><InvoiceStatusBadge status=invoice.status/></dd>
            <dt>{t(Msg::InvoicesFieldTotal)}</dt><dd class="num">{format::money(language, invoice.total, currency)}</dd>
            <dt>{t(Msg::InvoicesFieldPaid)}</dt><dd class="num">{format::money(language, invoice.paid_amount, currency)}</dd>
            <dt>{t(Msg::InvoicesFieldCredited)}</dt><dd class="num">{format::money(language, invoice.credited_amount, currency)}</dd>
            <dt>{t(Msg::InvoicesFieldOutstanding)}</dt><dd class="num">{format::money(language, invoice.outstanding(), currency)}</dd>
        </dl>
        // Credit notes relate to issued invoices only: pending or paid, not corrections.
        {(may_credit
            && invoice.kind != InvoiceKind::Correction
            && matches!(invoice.status, InvoiceStatus::Pending | InvoiceStatus::Paid)).then(|| view! {
            <p><A href=credit_href>{t(Msg::InvoicesDetailCredit)}</A></p>
        })}
        <InvoiceActions page=page_for_actions actions/>
        {if open && may_link {
            view! {
                <Form method="GET" action=self_href>
                    <input type="hidden" name="link" value="open"/>
                    <button type="submit" class="primary">{t(Msg::InvoicesDetailLink)}</button>
                </Form>
            }.into_any()
        } else if may_link {
            view! { <p class="hint">{t(Msg::InvoicesDetailPendingOnly)}</p> }.into_any()
        } else {
            ().into_any()
        }}
        <h2>{t(Msg::InvoicesDetailLinked)}</h2>
        {if invoice.allocations.is_empty() {
            view! { <p>{t(Msg::InvoicesDetailLinkedEmpty)}</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">{t(Msg::InvoicesDetailLinked)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::InvoicesDetailCreditNote)}</th>
                            <th scope="col">{t(Msg::InvoicesDetailLinkedOn)}</th>
                            <th scope="col" class="num">{t(Msg::InvoicesFieldAmount)}</th>
                            {may_unlink.then(|| view! { <th scope="col">{t(Msg::InvoicesDetailAction)}</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {invoice.allocations.iter().map(|allocation| {
                            let number = allocation.credit_note_number.clone().unwrap_or_default();
                            let label = tf(Msg::InvoicesDetailUnlinkLabel, &[("number", &number)]);
                            let (invoice_id, allocation_id) = (allocation.invoice_id, allocation.id);
                            view! {
                                <tr>
                                    <td>{number}</td>
                                    <td>{format::date(language, allocation.created_at.date_naive())}</td>
                                    <td class="num">{format::money(language, allocation.amount, currency)}</td>
                                    {may_unlink.then(|| view! {
                                        <td>
                                            <ActionForm action=unlink>
                                                <input type="hidden" name="invoice_id" value=invoice_id/>
                                                <input type="hidden" name="allocation_id" value=allocation_id/>
                                                <button type="submit" aria-label=label.clone()>{t(Msg::InvoicesDetailUnlink)}</button>
                                            </ActionForm>
                                        </td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <Timeline events=timeline total=timeline_total label=t(Msg::InvoicesDetailTimeline) currency=currency/>
    }
}

/// Record a payment, mark paid, mark pending, cancel and delete: each shown when the role may
/// and the status allows (the domain's `invoice_action_state`, as the server checks), disabled
/// with the reason while linked credit notes block it.
#[component]
fn InvoiceActions(page: InvoicePage, actions: Actions) -> impl IntoView {
    let invoice = &page.invoice;
    let (id, status, linked) = (invoice.id, invoice.status, !invoice.allocations.is_empty());
    let role = page.viewer.role;
    let state = move |action| invoice_action_state(role, status, linked, action);
    let button = move |action: InvoiceAction, label: &'static str| -> AnyView {
        let form = match action {
            InvoiceAction::Issue => id_action_form!(actions.issue, "invoice_id", id, label, "primary"),
            InvoiceAction::Edit => view! {
                <div class="action"><A href=format!("/invoices/{id}/edit") attr:class="button">{label}</A></div>
            }
            .into_any(),
            InvoiceAction::MarkPaid => id_action_form!(actions.mark_paid, "invoice_id", id, label, ""),
            InvoiceAction::MarkPending => id_action_form!(actions.mark_pending, "invoice_id", id, label, ""),
            InvoiceAction::Cancel => id_action_form!(actions.cancel, "invoice_id", id, label, ""),
            InvoiceAction::Delete => id_action_form!(actions.delete, "invoice_id", id, label, "danger"),
            _ => ().into_any(),
        };
        match state(action) {
            ActionState::Absent => ().into_any(),
            ActionState::Disabled(reason) => view! { <DisabledAction label reason/> }.into_any(),
            ActionState::Enabled => form,
        }
    };
    // A correction invoice corrects an issued standard or advance invoice (the server checks).
    let correct = page.viewer.may(InvoiceAction::Edit.permission())
        && crate::domain::may_be_related(status, invoice.kind);
    // A payment reminder: for an issued, unpaid invoice; before its due date, disabled with why.
    let remind = (page.viewer.may(Permission::WriteInvoices) && status == InvoiceStatus::Pending)
        .then(|| {
            match crate::domain::reminder_refusal(&invoice.balance(), invoice.due_date, page.today)
            {
                None => id_action_form!(
                    actions.remind,
                    "invoice_id",
                    id,
                    t(Msg::InvoicesActionRemind),
                    ""
                ),
                Some(violation) => view! {
                    <DisabledAction label=t(Msg::InvoicesActionRemind) reason=violation/>
                }
                .into_any(),
            }
        });
    let payment = (state(InvoiceAction::RecordPayment) == ActionState::Enabled).then(|| {
        let today = page.today.to_string();
        view! { <PaymentForm id today action=actions.payment/> }
    });
    view! {
        <div class="action-list">
            {button(InvoiceAction::Issue, t(Msg::InvoicesActionIssue))}
            {button(InvoiceAction::Edit, t(Msg::InvoicesActionEdit))}
            {correct.then(|| view! {
                <div class="action"><A href=format!("/invoices/new?corrects={id}") attr:class="button">{t(Msg::InvoicesActionCorrection)}</A></div>
            })}
            {button(InvoiceAction::MarkPaid, t(Msg::InvoicesActionMarkPaid))}
            {remind}
            {button(InvoiceAction::MarkPending, t(Msg::InvoicesActionMarkPending))}
            {button(InvoiceAction::Cancel, t(Msg::InvoicesActionCancel))}
            {button(InvoiceAction::Delete, t(Msg::InvoicesActionDelete))}
        </div>
        {payment}
    }
}

#[component]
fn PaymentForm(id: i64, today: String, action: ServerAction<RecordPayment>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="refund" attr:aria-label=t(Msg::InvoicesPaymentTitle)>
            <h3>{t(Msg::InvoicesPaymentTitle)}</h3>
            <input type="hidden" name="invoice_id" value=id/>
            <MoneyFields noun="Payment" today problem=Signal::derive(move || refusal(action)) with_reference=true/>
            <button type="submit">{t(Msg::InvoicesPaymentSubmit)}</button>
        </ActionForm>
    }
}
