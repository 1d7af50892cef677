//! The credit-note page: status, totals, what was allocated and refunded, linked invoices,
//! comments, the timeline, and the actions the note's status and the user's role allow (the
//! domain's `credit_note_action_state`, the same checks the server runs). Every action is a
//! form that also posts without JavaScript.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{
    CreditNoteStatusBadge, DisabledAction, MoneyFields, ProblemMessage, Timeline, path_id,
    problem_view, refusal,
};
use crate::domain::{ActionState, CreditNoteAction, credit_note_action_state};
use crate::model::{AttachmentView, CreditNotePage, InvoiceView, TaskView};
use crate::problem::Problem;
use crate::rpc::credit_notes::{
    AddTask, CancelCreditNote, CommentCreditNote, DeleteCreditNote, FinalizeCreditNote,
    RefundCreditNote, RejectCreditNote, RemoveAttachment, SendCreditNote, SetTaskDone,
    SubmitCreditNote, VoidCreditNote, load_credit_note_page,
};

/// The page's forms; their versions reload the page after each post.
#[derive(Clone, Copy)]
struct Actions {
    submit: ServerAction<SubmitCreditNote>,
    reject: ServerAction<RejectCreditNote>,
    finalize: ServerAction<FinalizeCreditNote>,
    cancel: ServerAction<CancelCreditNote>,
    void: ServerAction<VoidCreditNote>,
    delete: ServerAction<DeleteCreditNote>,
    comment: ServerAction<CommentCreditNote>,
    refund: ServerAction<RefundCreditNote>,
    send: ServerAction<SendCreditNote>,
    remove_attachment: ServerAction<RemoveAttachment>,
    add_task: ServerAction<AddTask>,
    set_task_done: ServerAction<SetTaskDone>,
}

impl Actions {
    fn new() -> Self {
        Self {
            submit: ServerAction::new(),
            reject: ServerAction::new(),
            finalize: ServerAction::new(),
            cancel: ServerAction::new(),
            void: ServerAction::new(),
            delete: ServerAction::new(),
            comment: ServerAction::new(),
            refund: ServerAction::new(),
            send: ServerAction::new(),
            remove_attachment: ServerAction::new(),
            add_task: ServerAction::new(),
            set_task_done: ServerAction::new(),
        }
    }

    fn versions(&self) -> [usize; 12] {
        [
            self.submit.version().get(),
            self.reject.version().get(),
            self.finalize.version().get(),
            self.cancel.version().get(),
            self.void.version().get(),
            self.delete.version().get(),
            self.comment.version().get(),
            self.refund.version().get(),
            self.send.version().get(),
            self.remove_attachment.version().get(),
            self.add_task.version().get(),
            self.set_task_done.version().get(),
        ]
    }
}

#[component]
pub fn CreditNoteDetailPage() -> impl IntoView {
    let actions = Actions::new();
    let query = use_query_map();
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
                    Ok(page) => {
                        let tab = query.read().get("tab").unwrap_or_default();
                        let upload_error = query.read().get("upload_error");
                        view! { <CreditNoteDetail page actions tab upload_error/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreditNoteDetail(
    page: CreditNotePage,
    actions: Actions,
    tab: String,
    upload_error: Option<String>,
) -> impl IntoView {
    let note = page.note;
    let attachments = page.attachments.clone();
    let tasks = page.tasks.clone();
    let assignees = page.assignees.clone();
    let related_invoice = page.related_invoice.clone();
    let may_write = page.viewer.may(crate::domain::Permission::WriteCreditNotes);
    let may_address = page
        .viewer
        .may(crate::domain::Permission::EmailAnyRecipient);
    let may_remove = credit_note_action_state(
        page.viewer.role,
        note.status,
        crate::domain::Settled::NONE,
        CreditNoteAction::RemoveAttachment,
    ) == ActionState::Enabled;
    let base = format!("/credit-notes/{}", note.id);
    let current_tab = tab.clone();
    let tab_link = move |name: &'static str, label: &'static str| {
        let current = (current_tab == name).then_some("page");
        let href = if name.is_empty() {
            base.clone()
        } else {
            format!("{base}?tab={name}")
        };
        view! { <A href=href attr:aria-current=current>{label}</A> }
    };
    let currency = note.currency;
    let money = move |amount| currency.format(amount);
    let related = match (note.related_invoice_id, note.related_invoice_number.clone()) {
        (Some(id), Some(number)) => {
            view! { <A href=format!("/invoices/{id}")>{number}</A> }.into_any()
        }
        _ => "—".into_any(),
    };
    let (role, status, settled) = (page.viewer.role, note.status, note.settled());
    let state = move |action| credit_note_action_state(role, status, settled, action);
    let id = note.id;
    view! {
        <p><A href="/credit-notes">"← Credit notes"</A></p>
        <h1>"Credit note " {note.display_number()}</h1>
        // A download, not a page of the app: the router must let the browser have it.
        <p class="downloads">
            <a class="button" href=format!("/credit-notes/{id}/pdf") rel="external">"Export PDF"</a>
            // E-invoices (EN 16931) exist once the note has its number.
            {note.number.is_some().then(|| view! {
                " "<a class="button" href=format!("/credit-notes/{id}/factur-x") rel="external">"Factur-X (PDF/A-3)"</a>
                " "<a class="button" href=format!("/credit-notes/{id}/ubl") rel="external">"UBL (XML)"</a>
            })}
        </p>
        <dl class="facts">
            <dt>"Customer"</dt><dd>{note.customer_name.clone()}</dd>
            <dt>"Date"</dt><dd>{note.date.to_string()}{note.number.is_none().then_some(" (until finalized)")}</dd>
            <dt>"Status"</dt><dd><CreditNoteStatusBadge status=note.status/></dd>
            <dt>"Related invoice"</dt><dd>{related}</dd>
            <dt>"Project"</dt><dd>{note.project.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Latest ship date"</dt><dd>{note.ship_date.map(|date| date.to_string()).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Reason category"</dt><dd>{note.reason_category.map(|c| c.label()).unwrap_or("—")}</dd>
            <dt>"Reason"</dt><dd>{note.reason.clone().unwrap_or_else(|| "—".into())}</dd>
            {note.external_reference.clone().map(|reference| view! {
                <dt>"Imported as"</dt><dd>{reference}</dd>
            })}
            {note.imported.then(|| view! {
                <dt>"Issued by"</dt><dd>"Another system, under its own number (imported)"</dd>
            })}
            <dt>"Billing address"</dt><dd>{note.billing_address.one_line()}</dd>
            <dt>"Shipping address"</dt><dd>{note.shipping_address.one_line()}</dd>
            <dt>"Subtotal"</dt><dd class="num">{money(note.subtotal)}</dd>
            <dt>"Tax"</dt><dd class="num">{money(note.tax_total)}</dd>
            <dt>"Total"</dt><dd class="num">{money(note.total)}</dd>
            <dt>"Allocated"</dt><dd class="num">{money(note.allocated_amount)}</dd>
            <dt>"Refunded"</dt><dd class="num">{money(note.refunded_amount)}</dd>
            {(!note.voided_amount.is_zero()).then(|| view! {
                <dt>"Voided"</dt>
                <dd class="num">{money(note.voided_amount)}</dd>
                <dt>"Why voided"</dt>
                <dd>{note.void_reason.clone().unwrap_or_default()}</dd>
            })}
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
            {(state(CreditNoteAction::VoidRemaining) == ActionState::Enabled).then(|| view! {
                <VoidForm id remaining=money(note.remaining_amount()) action=actions.void/>
            })}
            {(state(CreditNoteAction::Send) == ActionState::Enabled).then(|| view! {
                <SendForm id may_address action=actions.send/>
            })}
        </section>

        <nav class="tabs" aria-label="Credit note">
            {tab_link("", "Details")}
            {tab_link("documents", "Documents")}
            {tab_link("activities", "Activities")}
            {tab_link("invoice", "Related invoice")}
        </nav>
        {match tab.as_str() {
            "documents" => view! {
                <DocumentsTab id files=attachments may_write=may_write may_remove=may_remove upload_error actions/>
            }.into_any(),
            "activities" => view! {
                <ActivitiesTab id tasks assignees may_write today=page.today.to_string() actions/>
            }.into_any(),
            "invoice" => view! { <RelatedInvoiceTab invoice=related_invoice/> }.into_any(),
            _ => view! {
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
                                        <td class="num">
                                            {line.tax_rate.to_string()}
                                            // Why an untaxed line carries no VAT.
                                            {line.vat_category.is_untaxed().then(|| view! {
                                                " "
                                                <abbr title=line.vat_exemption_reason.clone().unwrap_or_default()>
                                                    {line.vat_category.code()}
                                                </abbr>
                                            })}
                                        </td>
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

                <Timeline events=page.timeline.clone() total=page.timeline_total label="Credit note timeline" currency=currency/>
            }.into_any(),
        }}
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

/// "Void the remaining credit": a write-off with a reason, for a note partly linked or refunded
/// (which cannot be cancelled) or whose credit the customer will never use.
#[component]
fn VoidForm(id: i64, remaining: String, action: ServerAction<VoidCreditNote>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="void" attr:aria-label="Void the remaining credit">
            <h3>"Void the remaining credit"</h3>
            <p class="hint">{format!("Writes off the {remaining} that remains; links and refunds stay as they are.")}</p>
            <input type="hidden" name="credit_note_id" value=id/>
            <label>"Reason for voiding" <input type="text" name="reason" required maxlength="500"/></label>
            {move || problem_view(refusal(action), "reason")}
            <button type="submit">"Void remaining credit"</button>
        </ActionForm>
    }
}

/// "Send by e-mail": the PDF goes to the customer's address unless others are given (only
/// roles that may address anyone see those fields); the message waits in the outbox and the
/// timeline shows when it left.
#[component]
fn SendForm(id: i64, may_address: bool, action: ServerAction<SendCreditNote>) -> impl IntoView {
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
            {if may_address {
                view! {
                    <label>"To" <input type="text" name="to" placeholder="the customer's e-mail address"/></label>
                    {on("to")}
                    <label>"Cc" <input type="text" name="cc"/></label>
                    {on("cc")}
                    <label>"Message" <textarea name="message" rows="3" placeholder="a standard message naming the note"></textarea></label>
                    {on("message")}
                }.into_any()
            } else {
                view! {
                    <p class="hint">"It goes to the customer's own e-mail address with the standard message."</p>
                }.into_any()
            }}
            {general}
            {queued}
            <button type="submit">"Send by e-mail"</button>
        </ActionForm>
    }
}

/// Supporting files: listed with uploader and time, downloadable; added with a plain
/// multipart form (it works without JavaScript); removable until the note is finalized.
#[component]
fn DocumentsTab(
    id: i64,
    files: Vec<AttachmentView>,
    may_write: bool,
    may_remove: bool,
    upload_error: Option<String>,
    actions: Actions,
) -> impl IntoView {
    let remove = actions.remove_attachment;
    view! {
        <h2>"Documents"</h2>
        {if files.is_empty() {
            view! { <p>"No supporting files yet."</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">"Supporting files"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"File"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col" class="num">"Size"</th>
                            <th scope="col">"Uploaded"</th>
                            <th scope="col">"SHA-256"</th>
                            <th scope="col">"Action"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {files.into_iter().map(|file| {
                            let href = format!("/credit-notes/{id}/attachments/{}", file.id);
                            let label = format!("Remove {}", file.file_name);
                            view! {
                                <tr>
                                    <td><a href=href rel="external">{file.file_name.clone()}</a></td>
                                    <td>{file.media_type.clone()}</td>
                                    <td class="num">{format!("{:.1} KB", file.size_bytes as f64 / 1024.0)}</td>
                                    <td>{file.uploaded_by.clone().unwrap_or_default()} " · " {file.uploaded_at.format("%Y-%m-%d %H:%M UTC").to_string()}</td>
                                    <td><code title=file.sha256.clone()>{file.sha256.chars().take(12).collect::<String>()} "…"</code></td>
                                    <td>{may_remove.then(|| view! {
                                        <ActionForm action=remove attr:class="inline">
                                            <input type="hidden" name="credit_note_id" value=id/>
                                            <input type="hidden" name="attachment_id" value=file.id/>
                                            <button type="submit" class="danger" aria-label=label>"Remove"</button>
                                        </ActionForm>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {move || problem_view(refusal(remove), "")}
        {may_write.then(|| view! {
            <form method="post" action=format!("/credit-notes/{id}/attachments") enctype="multipart/form-data" class="upload" aria-label="Add a supporting file">
                <label>"Add a file (PDF, PNG or JPEG, at most 10 MiB)"
                    <input type="file" name="file" accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg" required/>
                </label>
                {upload_error.clone().map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
                <button type="submit">"Upload"</button>
            </form>
        })}
    }
}

/// Tasks on the note: title, due date, assignee, done.
#[component]
fn ActivitiesTab(
    id: i64,
    tasks: Vec<TaskView>,
    assignees: Vec<(i64, String)>,
    may_write: bool,
    today: String,
    actions: Actions,
) -> impl IntoView {
    let (add, toggle) = (actions.add_task, actions.set_task_done);
    let on = move |field: &'static str| move || problem_view(refusal(add), field);
    view! {
        <h2>"Activities"</h2>
        {if tasks.is_empty() {
            view! { <p>"No tasks yet."</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">"Tasks"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Task"</th>
                            <th scope="col">"Due"</th>
                            <th scope="col">"Assignee"</th>
                            <th scope="col">"Status"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {tasks.into_iter().map(|task| {
                            let done = task.done_at.is_some();
                            let status = match task.done_at {
                                Some(at) => format!("Done {}", at.date_naive()),
                                None => "Open".to_string(),
                            };
                            let (value, label) = if done { ("false", "Reopen") } else { ("true", "Mark done") };
                            let aria = format!("{label}: {}", task.title);
                            view! {
                                <tr>
                                    <td>{task.title.clone()}</td>
                                    <td>{task.due_date.map(|d| d.to_string()).unwrap_or_default()}</td>
                                    <td>{task.assignee.clone().unwrap_or_default()}</td>
                                    <td>
                                        {status} " "
                                        {may_write.then(|| view! {
                                            <ActionForm action=toggle attr:class="inline">
                                                <input type="hidden" name="credit_note_id" value=id/>
                                                <input type="hidden" name="task_id" value=task.id/>
                                                <input type="hidden" name="done" value=value/>
                                                <button type="submit" aria-label=aria>{label}</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {may_write.then(|| view! {
            <ActionForm action=add attr:class="task-form" attr:aria-label="New task">
                <h3>"New task"</h3>
                <input type="hidden" name="credit_note_id" value=id/>
                <label>"Title" <input type="text" name="title" maxlength="200" required/></label>
                {on("title")}
                <label>"Due" <input type="date" name="due_date" min=today/></label>
                {on("due_date")}
                <label>"Assignee"
                    <select name="assignee_id">
                        <option value="">"Nobody"</option>
                        {assignees.into_iter().map(|(user, email)| view! { <option value=user>{email}</option> }).collect_view()}
                    </select>
                </label>
                {on("assignee_id")}
                <button type="submit">"Add task"</button>
            </ActionForm>
        })}
    }
}

/// The invoice the note credits, with a link back to it.
#[component]
fn RelatedInvoiceTab(invoice: Option<InvoiceView>) -> impl IntoView {
    view! {
        <h2>"Related invoice"</h2>
        {match invoice {
            None => view! { <p>"This credit note does not relate to an invoice."</p> }.into_any(),
            Some(invoice) => {
                let currency = invoice.currency;
                let (href, number) = (format!("/invoices/{}", invoice.id), invoice.number.clone());
                view! {
                    <dl class="facts">
                        <dt>"Invoice"</dt>
                        <dd><A href=href>{number}</A></dd>
                        <dt>"Issued"</dt><dd>{invoice.issue_date.to_string()}</dd>
                        <dt>"Total"</dt><dd class="num">{currency.format(invoice.total)}</dd>
                        <dt>"Outstanding"</dt><dd class="num">{currency.format(invoice.outstanding())}</dd>
                    </dl>
                }.into_any()
            }
        }}
    }
}
