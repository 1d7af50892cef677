//! The credit-note page: status, totals, what was allocated and refunded, linked invoices,
//! comments, the timeline, and the actions the note's status and the user's role allow (the
//! domain's `credit_note_action_state`, the same checks the server runs). Every action is a
//! form that also posts without JavaScript.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    CreditNoteStatusBadge, DisabledAction, MoneyFields, ProblemMessage, Timeline, path_id,
    problem_view, refusal,
};
use crate::domain::{ActionState, CreditNoteAction, credit_note_action_state};
use crate::model::CreditNotePage;
use crate::problem::Problem;
use crate::rpc::credit_notes::{
    CancelCreditNote, CommentCreditNote, DeleteCreditNote, FinalizeCreditNote, RefundCreditNote,
    RejectCreditNote, SendCreditNote, SubmitCreditNote, load_credit_note_page,
};

/// The page's forms; their versions reload the page after each post.
#[derive(Clone, Copy)]
struct Actions {
    submit: ServerAction<SubmitCreditNote>,
    reject: ServerAction<RejectCreditNote>,
    finalize: ServerAction<FinalizeCreditNote>,
    cancel: ServerAction<CancelCreditNote>,
    delete: ServerAction<DeleteCreditNote>,
    comment: ServerAction<CommentCreditNote>,
    refund: ServerAction<RefundCreditNote>,
    send: ServerAction<SendCreditNote>,
}

impl Actions {
    fn new() -> Self {
        Self {
            submit: ServerAction::new(),
            reject: ServerAction::new(),
            finalize: ServerAction::new(),
            cancel: ServerAction::new(),
            delete: ServerAction::new(),
            comment: ServerAction::new(),
            refund: ServerAction::new(),
            send: ServerAction::new(),
        }
    }

    fn versions(&self) -> [usize; 8] {
        [
            self.submit.version().get(),
            self.reject.version().get(),
            self.finalize.version().get(),
            self.cancel.version().get(),
            self.delete.version().get(),
            self.comment.version().get(),
            self.refund.version().get(),
            self.send.version().get(),
        ]
    }
}

#[component]
pub fn CreditNoteDetailPage() -> impl IntoView {
    let actions = Actions::new();
    let note_id = path_id();
    let page = Resource::new(
        move || (note_id(), actions.versions()),
        |(note_id, _)| async move {
            match note_id {
                Some(id) => load_credit_note_page(id).await,
                None => Err(Problem::not_found("The credit note")),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading credit note…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! { <CreditNoteDetail page actions/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreditNoteDetail(page: CreditNotePage, actions: Actions) -> impl IntoView {
    let note = page.note;
    let currency = note.currency;
    let money = move |amount| currency.format(amount);
    let related = match (note.related_invoice_id, note.related_invoice_number.clone()) {
        (Some(id), Some(number)) => {
            view! { <A href=format!("/invoices/{id}")>{number}</A> }.into_any()
        }
        _ => "—".into_any(),
    };
    let (role, status, linked) = (page.viewer.role, note.status, !note.allocations.is_empty());
    let state = move |action| credit_note_action_state(role, status, linked, action);
    let id = note.id;
    view! {
        <p><A href="/credit-notes">"← Credit notes"</A></p>
        <h1>"Credit note " {note.display_number()}</h1>
        // A download, not a page of the app: the router must let the browser have it.
        <p><a class="button" href=format!("/credit-notes/{id}/pdf") rel="external" download>"Export PDF"</a></p>
        <dl class="facts">
            <dt>"Customer"</dt><dd>{note.customer_name.clone()}</dd>
            <dt>"Date"</dt><dd>{note.date.to_string()}</dd>
            <dt>"Status"</dt><dd><CreditNoteStatusBadge status=note.status/></dd>
            <dt>"Related invoice"</dt><dd>{related}</dd>
            <dt>"Reason category"</dt><dd>{note.reason_category.map(|c| c.label()).unwrap_or("—")}</dd>
            <dt>"Reason"</dt><dd>{note.reason.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Billing address"</dt><dd>{note.billing_address.one_line()}</dd>
            <dt>"Shipping address"</dt><dd>{note.shipping_address.one_line()}</dd>
            <dt>"Subtotal"</dt><dd class="num">{money(note.subtotal)}</dd>
            <dt>"Tax"</dt><dd class="num">{money(note.tax_total)}</dd>
            <dt>"Total"</dt><dd class="num">{money(note.total)}</dd>
            <dt>"Allocated"</dt><dd class="num">{money(note.allocated_amount)}</dd>
            <dt>"Refunded"</dt><dd class="num">{money(note.refunded_amount)}</dd>
            <dt>"Remaining"</dt><dd class="num">{money(note.remaining_amount())}</dd>
        </dl>

        <section aria-labelledby="actions-title" class="actions-panel">
            <h2 id="actions-title">"Actions"</h2>
            {match state(CreditNoteAction::Edit) {
                ActionState::Enabled => view! {
                    <p><A href=format!("/credit-notes/{id}/edit")>"Edit"</A></p>
                }.into_any(),
                ActionState::Disabled(reason) => view! { <p class="hint">{reason}</p> }.into_any(),
                ActionState::Absent => ().into_any(),
            }}
            <StatusActions id state=state actions/>
            {(state(CreditNoteAction::Refund) == ActionState::Enabled).then(|| view! {
                <RefundForm id today=page.today.to_string() action=actions.refund/>
            })}
            {(state(CreditNoteAction::Send) == ActionState::Enabled).then(|| view! {
                <SendForm id action=actions.send/>
            })}
        </section>

        <h2>"Lines"</h2>
        {match &note.charge {
            Some(charge) => view! {
                <p>"Standalone credit: " {charge.code.clone()} " — " {charge.description.clone()}
                   " · " {money(charge.amount)}</p>
            }.into_any(),
            None => view! {
                <table class="grid">
                    <caption class="visually-hidden">"Lines"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Description"</th>
                            <th scope="col" class="num">"Quantity"</th>
                            <th scope="col" class="num">"Unit price"</th>
                            <th scope="col" class="num">"Discount %"</th>
                            <th scope="col" class="num">"Tax %"</th>
                            <th scope="col" class="num">"Net"</th>
                            <th scope="col" class="num">"Tax"</th>
                            <th scope="col" class="num">"Total"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {note.lines.iter().map(|line| view! {
                            <tr>
                                <td>{line.description.clone()}</td>
                                <td class="num">{line.quantity.to_string()}</td>
                                <td class="num">{money(line.unit_price)}</td>
                                <td class="num">{line.discount_percent.to_string()}</td>
                                <td class="num">{line.tax_rate.to_string()}</td>
                                <td class="num">{money(line.net)}</td>
                                <td class="num">{money(line.tax)}</td>
                                <td class="num">{money(line.total)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}

        <h2>"Linked invoices"</h2>
        {if note.allocations.is_empty() {
            view! { <p>"This credit note is not linked to any invoice."</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">"Linked invoices"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Invoice"</th>
                            <th scope="col">"Linked on"</th>
                            <th scope="col" class="num">"Amount"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {note.allocations.clone().into_iter().map(|allocation| view! {
                            <tr>
                                <td><A href=format!("/invoices/{}", allocation.invoice_id)>{allocation.invoice_number.clone()}</A></td>
                                <td>{allocation.created_at.date_naive().to_string()}</td>
                                <td class="num">{money(allocation.amount)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}

        <h2>"Comments"</h2>
        <ul class="comments" aria-label="Comments">
            {note.comments.iter().map(|comment| view! {
                <li>
                    <p>{comment.text.clone()}</p>
                    <span class="hint">
                        {comment.author.clone().unwrap_or_default()} " · "
                        {comment.created_at.format("%Y-%m-%d %H:%M UTC").to_string()}
                    </span>
                </li>
            }).collect_view()}
        </ul>
        {(state(CreditNoteAction::Comment) == ActionState::Enabled).then(|| view! {
            <ActionForm action=actions.comment attr:class="comment-form">
                <input type="hidden" name="credit_note_id" value=id/>
                <label>"New comment" <textarea name="text" required rows="2"></textarea></label>
                {move || problem_view(refusal(actions.comment), "text")}
                <button type="submit">"Add comment"</button>
            </ActionForm>
        })}

        <Timeline events=page.timeline.clone() label="Credit note timeline"/>
    }
}

/// Submit, reject, approve & finalize, cancel and delete: each shown when the role may and
/// the status allows, disabled with the reason when links block it.
#[component]
fn StatusActions(
    id: i64,
    state: impl Fn(CreditNoteAction) -> ActionState + 'static,
    actions: Actions,
) -> impl IntoView {
    let simple = |action: CreditNoteAction, label: &'static str| -> AnyView {
        match state(action) {
            ActionState::Absent => ().into_any(),
            ActionState::Disabled(reason) => view! { <DisabledAction label reason/> }.into_any(),
            ActionState::Enabled => match action {
                CreditNoteAction::Submit => {
                    id_action_form!(actions.submit, "credit_note_id", id, label, "")
                }
                CreditNoteAction::Cancel => {
                    id_action_form!(actions.cancel, "credit_note_id", id, label, "")
                }
                CreditNoteAction::Delete => {
                    id_action_form!(actions.delete, "credit_note_id", id, label, "danger")
                }
                _ => ().into_any(),
            },
        }
    };
    let reject = match state(CreditNoteAction::Reject) {
        ActionState::Enabled => view! {
            <ActionForm action=actions.reject attr:class="action">
                <input type="hidden" name="credit_note_id" value=id/>
                <label>"Reason for rejecting" <input type="text" name="reason" required/></label>
                <button type="submit">"Reject"</button>
                {move || problem_view(refusal(actions.reject), "reason")}
            </ActionForm>
        }
        .into_any(),
        _ => ().into_any(),
    };
    let finalize = match state(CreditNoteAction::Finalize) {
        ActionState::Enabled => view! {
            <ActionForm action=actions.finalize attr:class="action confirm">
                <input type="hidden" name="credit_note_id" value=id/>
                <label>
                    <input type="checkbox" name="confirm" value="yes" required/>
                    " I confirm: the credit note gets its number and is locked. This cannot be undone."
                </label>
                <button type="submit" class="primary">"Approve & finalize"</button>
                {move || problem_view(refusal(actions.finalize), "confirm")}
            </ActionForm>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <div class="action-list">
            {simple(CreditNoteAction::Submit, "Submit for approval")}
            {reject}
            {finalize}
            {simple(CreditNoteAction::Cancel, "Cancel")}
            {simple(CreditNoteAction::Delete, "Delete")}
        </div>
    }
}

#[component]
fn RefundForm(id: i64, today: String, action: ServerAction<RefundCreditNote>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="refund" attr:aria-label="Record a refund">
            <h3>"Record a refund"</h3>
            <input type="hidden" name="credit_note_id" value=id/>
            <MoneyFields noun="Refund" today problem=Signal::derive(move || refusal(action))/>
            <button type="submit">"Record refund"</button>
        </ActionForm>
    }
}

/// "Send by e-mail": the PDF goes to the customer's address unless others are given; the
/// message waits in the outbox and the timeline shows when it left.
#[component]
fn SendForm(id: i64, action: ServerAction<SendCreditNote>) -> impl IntoView {
    let on = move |field: &'static str| {
        move || {
            refusal(action).and_then(|p| {
                p.errors
                    .iter()
                    .find(|error| error.field == field || error.field.starts_with(&format!("{field}[")))
                    .map(|error| view! { <span class="field-error" role="alert">{error.message.clone()}</span> })
            })
        }
    };
    let general = move || {
        refusal(action)
            .filter(|p| {
                p.errors.iter().all(|e| {
                    !["to", "cc", "message"]
                        .iter()
                        .any(|f| e.field.starts_with(f))
                })
            })
            .map(|p| view! { <p class="problem" role="alert">{p.detail}</p> })
    };
    let queued = move || {
        (action.version().get() > 0 && refusal(action).is_none() && !action.pending().get())
            .then(|| view! { <p class="notice" role="status">"Queued for sending: the timeline shows when it has left."</p> })
    };
    view! {
        <ActionForm action attr:class="send" attr:aria-label="Send by e-mail">
            <h3>"Send by e-mail"</h3>
            <input type="hidden" name="credit_note_id" value=id/>
            <label>"To" <input type="text" name="to" placeholder="the customer's e-mail address"/></label>
            {on("to")}
            <label>"Cc" <input type="text" name="cc"/></label>
            {on("cc")}
            <label>"Message" <textarea name="message" rows="3" placeholder="a standard message naming the note"></textarea></label>
            {on("message")}
            {general}
            {queued}
            <button type="submit">"Send by e-mail"</button>
        </ActionForm>
    }
}
