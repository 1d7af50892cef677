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
        <Transition fallback=|| view! { <p>"Loading invoice…"</p> }>
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
    view! {
        <p><A href="/invoices">"← All invoices"</A></p>
        <h1>"Invoice " {invoice.number.clone()}</h1>
        // A download, not a page of the app: the router must let the browser have it.
        <p class="downloads">
            <a class="button" href=format!("/invoices/{}/pdf", invoice.id) rel="external">"Export PDF"</a>
            // E-invoices (EN 16931) exist once the invoice is issued.
            {(invoice.status != InvoiceStatus::Draft).then(|| view! {
                " "<a class="button" href=format!("/invoices/{}/factur-x", invoice.id) rel="external">"Factur-X (PDF/A-3)"</a>
                " "<a class="button" href=format!("/invoices/{}/ubl", invoice.id) rel="external">"UBL (XML)"</a>
            })}
        </p>
        <dl class="facts">
            <dt>"Customer"</dt><dd>{invoice.customer_name.clone()}</dd>
            <dt>"Currency"</dt><dd>{currency.code()}</dd>
            <dt>"Issued"</dt><dd>{invoice.issue_date.to_string()}{invoice.imported.then_some(" by another system (imported)")}</dd>
            <dt>"Status"</dt><dd><InvoiceStatusBadge status=invoice.status/></dd>
            <dt>"Total"</dt><dd class="num">{currency.format(invoice.total)}</dd>
            <dt>"Paid"</dt><dd class="num">{currency.format(invoice.paid_amount)}</dd>
            <dt>"Credited"</dt><dd class="num">{currency.format(invoice.credited_amount)}</dd>
            <dt>"Outstanding"</dt><dd class="num">{currency.format(invoice.outstanding())}</dd>
        </dl>
        // Credit notes relate to issued invoices only: pending or paid, not corrections.
        {(may_credit
            && invoice.kind != InvoiceKind::Correction
            && matches!(invoice.status, InvoiceStatus::Pending | InvoiceStatus::Paid)).then(|| view! {
            <p><A href=credit_href>"Credit this invoice"</A></p>
        })}
        <InvoiceActions page=page_for_actions actions/>
        {if open && may_link {
            view! {
                <Form method="GET" action=self_href>
                    <input type="hidden" name="link" value="open"/>
                    <button type="submit" class="primary">"Link credit notes"</button>
                </Form>
            }.into_any()
        } else if may_link {
            view! { <p class="hint">"Only pending invoices take credit notes."</p> }.into_any()
        } else {
            ().into_any()
        }}
        <h2>"Linked credit notes"</h2>
        {if invoice.allocations.is_empty() {
            view! { <p>"No credit note is linked to this invoice."</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">"Linked credit notes"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Credit note"</th>
                            <th scope="col">"Linked on"</th>
                            <th scope="col" class="num">"Amount"</th>
                            {may_unlink.then(|| view! { <th scope="col">"Action"</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {invoice.allocations.iter().map(|allocation| {
                            let number = allocation.credit_note_number.clone().unwrap_or_default();
                            let label = format!("Unlink {number}");
                            let (invoice_id, allocation_id) = (allocation.invoice_id, allocation.id);
                            view! {
                                <tr>
                                    <td>{number}</td>
                                    <td>{allocation.created_at.date_naive().to_string()}</td>
                                    <td class="num">{currency.format(allocation.amount)}</td>
                                    {may_unlink.then(|| view! {
                                        <td>
                                            <ActionForm action=unlink>
                                                <input type="hidden" name="invoice_id" value=invoice_id/>
                                                <input type="hidden" name="allocation_id" value=allocation_id/>
                                                <button type="submit" aria-label=label.clone()>"Unlink"</button>
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
        <Timeline events=timeline total=timeline_total label="Invoice timeline" currency=currency/>
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
                None => id_action_form!(actions.remind, "invoice_id", id, "Send reminder now", ""),
                Some(violation) => view! {
                    <DisabledAction label="Send reminder now" reason=violation.message/>
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
            {button(InvoiceAction::Issue, "Issue invoice")}
            {button(InvoiceAction::Edit, "Edit invoice")}
            {correct.then(|| view! {
                <div class="action"><A href=format!("/invoices/new?corrects={id}") attr:class="button">"Correction invoice"</A></div>
            })}
            {button(InvoiceAction::MarkPaid, "Mark paid")}
            {remind}
            {button(InvoiceAction::MarkPending, "Mark pending")}
            {button(InvoiceAction::Cancel, "Cancel invoice")}
            {button(InvoiceAction::Delete, "Delete invoice")}
        </div>
        {payment}
    }
}

#[component]
fn PaymentForm(id: i64, today: String, action: ServerAction<RecordPayment>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="refund" attr:aria-label="Record a payment">
            <h3>"Record a payment"</h3>
            <input type="hidden" name="invoice_id" value=id/>
            <MoneyFields noun="Payment" today problem=Signal::derive(move || refusal(action)) with_reference=true/>
            <button type="submit">"Record payment"</button>
        </ActionForm>
    }
}
