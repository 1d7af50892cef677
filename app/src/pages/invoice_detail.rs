use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::link_dialog::LinkDialog;
use super::{InvoiceStatusBadge, ProblemMessage};
use crate::domain::{InvoiceKind, InvoiceStatus, Permission};
use crate::model::InvoicePage;
use crate::problem::Problem;
use crate::rpc::{LinkCreditNotes, UnlinkCreditNote, load_invoice_page};

#[component]
pub fn InvoiceDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let link_action = ServerAction::<LinkCreditNotes>::new();
    let unlink_action = ServerAction::<UnlinkCreditNote>::new();
    let invoice_id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let page = Resource::new(
        move || {
            (
                invoice_id(),
                link_action.version().get(),
                unlink_action.version().get(),
            )
        },
        |(invoice_id, _, _)| async move {
            match invoice_id {
                Some(id) => load_invoice_page(id).await,
                None => Err(Problem::not_found("The invoice")),
            }
        },
    );
    // The dialog's open state lives in the URL, so it opens with or without JavaScript.
    let dialog_open = Memo::new(move |_| query.read().get("link").is_some());

    view! {
        <Suspense fallback=|| view! { <p>"Loading invoice…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => {
                        let may_link = page.viewer.may(Permission::LinkCreditNotes);
                        view! {
                        <InvoiceDetail page=page.clone() unlink=unlink_action/>
                        <Show when=move || dialog_open.get() && may_link>
                            <LinkDialog page=page.clone() action=link_action/>
                        </Show>
                    }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn InvoiceDetail(page: InvoicePage, unlink: ServerAction<UnlinkCreditNote>) -> impl IntoView {
    let timeline = page.timeline;
    let invoice = page.invoice;
    let currency = invoice.currency;
    let open = invoice.status == InvoiceStatus::Pending;
    // The server checks again; this only spares users a button they may not use.
    let may_link = page.viewer.may(Permission::LinkCreditNotes);
    let self_href = format!("/invoices/{}", invoice.id);
    let may_credit = page.viewer.may(Permission::WriteCreditNotes);
    let credit_href = format!("/invoices/{}/credit", invoice.id);
    view! {
        <p><A href="/invoices">"← All invoices"</A></p>
        <h1>"Invoice " {invoice.number.clone()}</h1>
        <dl class="facts">
            <dt>"Customer"</dt><dd>{invoice.customer_name.clone()}</dd>
            <dt>"Currency"</dt><dd>{currency.code()}</dd>
            <dt>"Issued"</dt><dd>{invoice.issue_date.to_string()}</dd>
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
                            {may_link.then(|| view! { <th scope="col">"Action"</th> })}
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
                                    {may_link.then(|| view! {
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
        {(!timeline.is_empty()).then(|| view! {
            <h2>"Timeline"</h2>
            <ol class="timeline" aria-label="Invoice timeline">
                {timeline.iter().map(|event| view! {
                    <li>
                        <time datetime=event.at.to_rfc3339()>{event.at.format("%Y-%m-%d %H:%M UTC").to_string()}</time>
                        " · " {event.describe()}
                        {event.actor.clone().map(|actor| view! { <span class="hint">" · " {actor}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        })}
    }
}
