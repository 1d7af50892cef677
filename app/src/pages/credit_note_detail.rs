//! The credit-note page: status, totals, what was allocated and refunded, linked invoices,
//! comments, the timeline, and the actions the note's status and the user's role allow (the
//! domain's `credit_note_action_state`, the same checks the server runs). Every action is a
//! form that also posts without JavaScript.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::credit_notes::{reason_category_label, shown_number};
use super::{
    CreditNoteStatusBadge, DisabledAction, MoneyFields, ProblemMessage, Timeline, path_id,
    problem_view, refusal,
};
use crate::domain::{ActionState, CreditNoteAction, credit_note_action_state};
use crate::i18n::{Language, Msg, format, t, tf, use_language};
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
        <Suspense fallback=|| view! { <p>{t(Msg::CreditNotesDetailLoading)}</p> }>
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
    let language = use_language();
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
    let money = move |amount| format::money(language, amount, currency);
    let related = match (note.related_invoice_id, note.related_invoice_number.clone()) {
        (Some(id), Some(number)) => {
            view! { <A href=format!("/invoices/{id}")>{number}</A> }.into_any()
        }
        _ => "—".into_any(),
    };
    let (role, status, settled) = (page.viewer.role, note.status, note.settled());
    let state = move |action| credit_note_action_state(role, status, settled, action);
    let id = note.id;
    let date = format::date(language, note.date);
    // A draft's date is provisional: finalizing dates it again.
    let date = if note.number.is_some() {
        date
    } else {
        tf(
            Msg::CreditNotesDetailDateUntilFinalized,
            &[("date", date.as_str())],
        )
    };
    view! {
        <p><A href="/credit-notes">{t(Msg::CreditNotesDetailBack)}</A></p>
        <h1>{tf(Msg::CreditNotesDetailHeading, &[("number", &shown_number(note.number.as_deref(), note.id))])}</h1>
        // A download, not a page of the app: the router must let the browser have it.
        <p class="downloads">
            <a class="button" href=format!("/credit-notes/{id}/pdf") rel="external">{t(Msg::CreditNotesDetailExportPdf)}</a>
            // E-invoices (EN 16931) exist once the note has its number.
            {note.number.is_some().then(|| view! {
                " "<a class="button" href=format!("/credit-notes/{id}/factur-x") rel="external">"Factur-X (PDF/A-3)"</a>
                " "<a class="button" href=format!("/credit-notes/{id}/ubl") rel="external">"UBL (XML)"</a>
            })}
        </p>
        <dl class="facts">
            <dt>{t(Msg::CreditNotesCustomer)}</dt><dd>{note.customer_name.clone()}</dd>
            <dt>{t(Msg::CreditNotesDate)}</dt><dd>{date}</dd>
            <dt>{t(Msg::CreditNotesStatus)}</dt><dd><CreditNoteStatusBadge status=note.status/></dd>
            <dt>{t(Msg::CreditNotesRelatedInvoice)}</dt><dd>{related}</dd>
            <dt>{t(Msg::CreditNotesDetailProject)}</dt><dd>{note.project.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t(Msg::CreditNotesDetailShipDate)}</dt><dd>{note.ship_date.map(|date| format::date(language, date)).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t(Msg::CreditNotesReasonCategory)}</dt><dd>{note.reason_category.map(reason_category_label).unwrap_or("—")}</dd>
            <dt>{t(Msg::CreditNotesReason)}</dt><dd>{note.reason.clone().unwrap_or_else(|| "—".into())}</dd>
            {note.external_reference.clone().map(|reference| view! {
                <dt>{t(Msg::CreditNotesDetailImportedAs)}</dt><dd>{reference}</dd>
            })}
            {note.imported.then(|| view! {
                <dt>{t(Msg::CreditNotesDetailIssuedBy)}</dt><dd>{t(Msg::CreditNotesDetailIssuedElsewhere)}</dd>
            })}
            <dt>{t(Msg::CreditNotesBillingAddress)}</dt><dd>{note.billing_address.one_line()}</dd>
            <dt>{t(Msg::CreditNotesShippingAddress)}</dt><dd>{note.shipping_address.one_line()}</dd>
            <dt>{t(Msg::CreditNotesDetailSubtotal)}</dt><dd class="num">{money(note.subtotal)}</dd>
            <dt>{t(Msg::CreditNotesDetailTax)}</dt><dd class="num">{money(note.tax_total)}</dd>
            <dt>{t(Msg::CreditNotesTotal)}</dt><dd class="num">{money(note.total)}</dd>
            <dt>{t(Msg::CreditNotesDetailAllocated)}</dt><dd class="num">{money(note.allocated_amount)}</dd>
            <dt>{t(Msg::CreditNotesDetailRefunded)}</dt><dd class="num">{money(note.refunded_amount)}</dd>
            {(!note.voided_amount.is_zero()).then(|| view! {
                <dt>{t(Msg::CreditNotesDetailVoided)}</dt>
                <dd class="num">{money(note.voided_amount)}</dd>
                <dt>{t(Msg::CreditNotesDetailWhyVoided)}</dt>
                <dd>{note.void_reason.clone().unwrap_or_default()}</dd>
            })}
            <dt>{t(Msg::CreditNotesRemaining)}</dt><dd class="num">{money(note.remaining_amount())}</dd>
        </dl>

        <section aria-labelledby="actions-title" class="actions-panel">
            <h2 id="actions-title">{t(Msg::CreditNotesDetailActions)}</h2>
            {match state(CreditNoteAction::Edit) {
                ActionState::Enabled => view! {
                    <p><A href=format!("/credit-notes/{id}/edit")>{t(Msg::CreditNotesDetailEdit)}</A></p>
                }.into_any(),
                ActionState::Disabled(reason) => view! {
                    <p class="hint">{crate::i18n::refusals::violation_text(language, &reason)}</p>
                }.into_any(),
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

        <nav class="tabs" aria-label=t(Msg::CreditNotesDetailTabs)>
            {tab_link("", t(Msg::CreditNotesDetailTabDetails))}
            {tab_link("documents", t(Msg::CreditNotesDetailDocuments))}
            {tab_link("activities", t(Msg::CreditNotesDetailActivities))}
            {tab_link("invoice", t(Msg::CreditNotesRelatedInvoice))}
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
                <h2>{t(Msg::CreditNotesDetailLines)}</h2>
                {match &note.charge {
                    Some(charge) => view! {
                        <p>{tf(Msg::CreditNotesDetailStandaloneCredit, &[
                            ("code", charge.code.as_str()),
                            ("description", charge.description.as_str()),
                            ("amount", &money(charge.amount)),
                        ])}</p>
                    }.into_any(),
                    None => view! {
                        <table class="grid">
                            <caption class="visually-hidden">{t(Msg::CreditNotesDetailLines)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Msg::CreditNotesDescription)}</th>
                                    <th scope="col" class="num">{t(Msg::CreditNotesDetailQuantity)}</th>
                                    <th scope="col" class="num">{t(Msg::CreditNotesUnitPrice)}</th>
                                    <th scope="col" class="num">{t(Msg::CreditNotesDetailDiscountPercent)}</th>
                                    <th scope="col" class="num">{t(Msg::CreditNotesDetailTaxPercent)}</th>
                                    <th scope="col" class="num">{t(Msg::CreditNotesDetailNet)}</th>
                                    <th scope="col" class="num">{t(Msg::CreditNotesDetailTax)}</th>
                                    <th scope="col" class="num">{t(Msg::CreditNotesTotal)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {note.lines.iter().map(|line| view! {
                                    <tr>
                                        <td>{line.description.clone()}</td>
                                        <td class="num">{format::decimal(language, line.quantity)}</td>
                                        <td class="num">{money(line.unit_price)}</td>
                                        <td class="num">{format::decimal(language, line.discount_percent)}</td>
                                        <td class="num">
                                            {format::decimal(language, line.tax_rate)}
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

                <h2>{t(Msg::CreditNotesDetailLinkedInvoices)}</h2>
                {if note.allocations.is_empty() {
                    view! { <p>{t(Msg::CreditNotesDetailNotLinked)}</p> }.into_any()
                } else {
                    view! {
                        <table class="grid">
                            <caption class="visually-hidden">{t(Msg::CreditNotesDetailLinkedInvoices)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Msg::CreditNotesInvoice)}</th>
                                    <th scope="col">{t(Msg::CreditNotesDetailLinkedOn)}</th>
                                    <th scope="col" class="num">{t(Msg::CreditNotesAmount)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {note.allocations.clone().into_iter().map(|allocation| view! {
                                    <tr>
                                        <td><A href=format!("/invoices/{}", allocation.invoice_id)>{allocation.invoice_number.clone()}</A></td>
                                        <td>{format::date(language, allocation.created_at.date_naive())}</td>
                                        <td class="num">{money(allocation.amount)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}

                <h2>{t(Msg::CreditNotesDetailComments)}</h2>
                <ul class="comments" aria-label=t(Msg::CreditNotesDetailComments)>
                    {note.comments.iter().map(|comment| view! {
                        <li>
                            <p>{comment.text.clone()}</p>
                            <span class="hint">
                                {comment.author.clone().unwrap_or_default()} " · "
                                {format::moment(language, comment.created_at)}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
                {(state(CreditNoteAction::Comment) == ActionState::Enabled).then(|| view! {
                    <ActionForm action=actions.comment attr:class="comment-form">
                        <input type="hidden" name="credit_note_id" value=id/>
                        <label>{t(Msg::CreditNotesDetailNewComment)} <textarea name="text" required rows="2"></textarea></label>
                        {move || problem_view(refusal(actions.comment), "text")}
                        <button type="submit">{t(Msg::CreditNotesDetailAddComment)}</button>
                    </ActionForm>
                })}

                <Timeline events=page.timeline.clone() total=page.timeline_total label=t(Msg::CreditNotesDetailTimelineLabel) currency=currency/>
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
                <label>{t(Msg::CreditNotesDetailRejectReason)} <input type="text" name="reason" required/></label>
                <button type="submit">{t(Msg::CreditNotesDetailReject)}</button>
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
                    " " {t(Msg::CreditNotesDetailConfirmFinalize)}
                </label>
                <button type="submit" class="primary">{t(Msg::CreditNotesDetailApproveFinalize)}</button>
                {move || problem_view(refusal(actions.finalize), "confirm")}
            </ActionForm>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <div class="action-list">
            {simple(CreditNoteAction::Submit, t(Msg::CreditNotesDetailSubmit))}
            {reject}
            {finalize}
            {simple(CreditNoteAction::Cancel, t(Msg::CreditNotesDetailCancelNote))}
            {simple(CreditNoteAction::Delete, t(Msg::CreditNotesDetailDelete))}
        </div>
    }
}

#[component]
fn RefundForm(id: i64, today: String, action: ServerAction<RefundCreditNote>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="refund" attr:aria-label=t(Msg::CreditNotesDetailRefundTitle)>
            <h3>{t(Msg::CreditNotesDetailRefundTitle)}</h3>
            <input type="hidden" name="credit_note_id" value=id/>
            <MoneyFields noun="Refund" today problem=Signal::derive(move || refusal(action))/>
            <button type="submit">{t(Msg::CreditNotesDetailRecordRefund)}</button>
        </ActionForm>
    }
}

/// "Void the remaining credit": a write-off with a reason, for a note partly linked or refunded
/// (which cannot be cancelled) or whose credit the customer will never use.
#[component]
fn VoidForm(id: i64, remaining: String, action: ServerAction<VoidCreditNote>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="void" attr:aria-label=t(Msg::CreditNotesDetailVoidTitle)>
            <h3>{t(Msg::CreditNotesDetailVoidTitle)}</h3>
            <p class="hint">{tf(Msg::CreditNotesDetailVoidHint, &[("amount", remaining.as_str())])}</p>
            <input type="hidden" name="credit_note_id" value=id/>
            <label>{t(Msg::CreditNotesDetailVoidReason)} <input type="text" name="reason" required maxlength="500"/></label>
            {move || problem_view(refusal(action), "reason")}
            <button type="submit">{t(Msg::CreditNotesDetailVoid)}</button>
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
        (action.version().get() > 0 && refusal(action).is_none() && !action.pending().get()).then(
            || view! { <p class="notice" role="status">{t(Msg::CreditNotesDetailSendQueued)}</p> },
        )
    };
    view! {
        <ActionForm action attr:class="send" attr:aria-label=t(Msg::CreditNotesDetailSend)>
            <h3>{t(Msg::CreditNotesDetailSend)}</h3>
            <input type="hidden" name="credit_note_id" value=id/>
            {if may_address {
                view! {
                    <label>{t(Msg::CreditNotesDetailTo)} <input type="text" name="to" placeholder=t(Msg::CreditNotesDetailToPlaceholder)/></label>
                    {on("to")}
                    <label>{t(Msg::CreditNotesDetailCc)} <input type="text" name="cc"/></label>
                    {on("cc")}
                    <label>{t(Msg::CreditNotesDetailMessage)} <textarea name="message" rows="3" placeholder=t(Msg::CreditNotesDetailMessagePlaceholder)></textarea></label>
                    {on("message")}
                }.into_any()
            } else {
                view! {
                    <p class="hint">{t(Msg::CreditNotesDetailSendHint)}</p>
                }.into_any()
            }}
            {general}
            {queued}
            <button type="submit">{t(Msg::CreditNotesDetailSend)}</button>
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
    let language = use_language();
    let remove = actions.remove_attachment;
    view! {
        <h2>{t(Msg::CreditNotesDetailDocuments)}</h2>
        {if files.is_empty() {
            view! { <p>{t(Msg::CreditNotesDetailNoFiles)}</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">{t(Msg::CreditNotesDetailFilesCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::CreditNotesDetailFile)}</th>
                            <th scope="col">{t(Msg::CreditNotesDetailFileType)}</th>
                            <th scope="col" class="num">{t(Msg::CreditNotesDetailFileSize)}</th>
                            <th scope="col">{t(Msg::CreditNotesDetailUploaded)}</th>
                            <th scope="col">"SHA-256"</th>
                            <th scope="col">{t(Msg::CreditNotesDetailAction)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {files.into_iter().map(|file| {
                            let href = format!("/credit-notes/{id}/attachments/{}", file.id);
                            let label = tf(Msg::CreditNotesDetailRemoveFile, &[("file", file.file_name.as_str())]);
                            let size = kilobytes(language, file.size_bytes as f64);
                            view! {
                                <tr>
                                    <td><a href=href rel="external">{file.file_name.clone()}</a></td>
                                    <td>{file.media_type.clone()}</td>
                                    <td class="num">{tf(Msg::CreditNotesDetailKilobytes, &[("size", size.as_str())])}</td>
                                    <td>{file.uploaded_by.clone().unwrap_or_default()} " · " {format::moment(language, file.uploaded_at)}</td>
                                    <td><code title=file.sha256.clone()>{file.sha256.chars().take(12).collect::<String>()} "…"</code></td>
                                    <td>{may_remove.then(|| view! {
                                        <ActionForm action=remove attr:class="inline">
                                            <input type="hidden" name="credit_note_id" value=id/>
                                            <input type="hidden" name="attachment_id" value=file.id/>
                                            <button type="submit" class="danger" aria-label=label>{t(Msg::CreditNotesDetailRemove)}</button>
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
            <form method="post" action=format!("/credit-notes/{id}/attachments") enctype="multipart/form-data" class="upload" aria-label=t(Msg::CreditNotesDetailUploadLabel)>
                <label>{t(Msg::CreditNotesDetailUploadField)}
                    <input type="file" name="file" accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg" required/>
                </label>
                {upload_error.clone().map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
                <button type="submit">{t(Msg::CreditNotesDetailUpload)}</button>
            </form>
        })}
    }
}

/// A file's size in kilobytes with one decimal, as `language` writes decimals (`12.5`, `12,5`).
fn kilobytes(language: Language, bytes: f64) -> String {
    let size = format!("{:.1}", bytes / 1024.0);
    match language {
        Language::En => size,
        Language::Fr | Language::De => size.replace('.', ","),
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
    let language = use_language();
    view! {
        <h2>{t(Msg::CreditNotesDetailActivities)}</h2>
        {if tasks.is_empty() {
            view! { <p>{t(Msg::CreditNotesDetailNoTasks)}</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">{t(Msg::CreditNotesDetailTasks)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::CreditNotesDetailTask)}</th>
                            <th scope="col">{t(Msg::CreditNotesDetailDue)}</th>
                            <th scope="col">{t(Msg::CreditNotesDetailAssignee)}</th>
                            <th scope="col">{t(Msg::CreditNotesStatus)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {tasks.into_iter().map(|task| {
                            let done = task.done_at.is_some();
                            let status = match task.done_at {
                                Some(at) => tf(Msg::CreditNotesDetailTaskDone, &[("date", &format::date(language, at.date_naive()))]),
                                None => t(Msg::CreditNotesDetailTaskOpen).to_string(),
                            };
                            let (value, label) = if done {
                                ("false", t(Msg::CreditNotesDetailReopen))
                            } else {
                                ("true", t(Msg::CreditNotesDetailMarkDone))
                            };
                            let aria = tf(Msg::CreditNotesDetailTaskAction, &[("action", label), ("task", task.title.as_str())]);
                            view! {
                                <tr>
                                    <td>{task.title.clone()}</td>
                                    <td>{task.due_date.map(|d| format::date(language, d)).unwrap_or_default()}</td>
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
            <ActionForm action=add attr:class="task-form" attr:aria-label=t(Msg::CreditNotesDetailNewTask)>
                <h3>{t(Msg::CreditNotesDetailNewTask)}</h3>
                <input type="hidden" name="credit_note_id" value=id/>
                <label>{t(Msg::CreditNotesDetailTaskTitle)} <input type="text" name="title" maxlength="200" required/></label>
                {on("title")}
                <label>{t(Msg::CreditNotesDetailDue)} <input type="date" name="due_date" min=today/></label>
                {on("due_date")}
                <label>{t(Msg::CreditNotesDetailAssignee)}
                    <select name="assignee_id">
                        <option value="">{t(Msg::CreditNotesDetailNobody)}</option>
                        {assignees.into_iter().map(|(user, email)| view! { <option value=user>{email}</option> }).collect_view()}
                    </select>
                </label>
                {on("assignee_id")}
                <button type="submit">{t(Msg::CreditNotesDetailAddTask)}</button>
            </ActionForm>
        })}
    }
}

/// The invoice the note credits, with a link back to it.
#[component]
fn RelatedInvoiceTab(invoice: Option<InvoiceView>) -> impl IntoView {
    let language = use_language();
    view! {
        <h2>{t(Msg::CreditNotesRelatedInvoice)}</h2>
        {match invoice {
            None => view! { <p>{t(Msg::CreditNotesDetailNoRelatedInvoice)}</p> }.into_any(),
            Some(invoice) => {
                let currency = invoice.currency;
                let (href, number) = (format!("/invoices/{}", invoice.id), invoice.number.clone());
                view! {
                    <dl class="facts">
                        <dt>{t(Msg::CreditNotesInvoice)}</dt>
                        <dd><A href=href>{number}</A></dd>
                        <dt>{t(Msg::CreditNotesDetailIssued)}</dt><dd>{format::date(language, invoice.issue_date)}</dd>
                        <dt>{t(Msg::CreditNotesTotal)}</dt><dd class="num">{format::money(language, invoice.total, currency)}</dd>
                        <dt>{t(Msg::CreditNotesDetailOutstanding)}</dt><dd class="num">{format::money(language, invoice.outstanding(), currency)}</dd>
                    </dl>
                }.into_any()
            }
        }}
    }
}
