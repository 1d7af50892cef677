//! Importing invoices or credit notes from CSV (administrators, credit managers): upload a
//! file (a plain multipart form, so it works without JavaScript), see what importing it would
//! do, row by row, then import it. Nothing is written before "Import".

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{ProblemMessage, path_id, problem_view, refusal};
use crate::domain::Permission;
use crate::i18n::{Msg, format, status, t, tf, use_language};
use crate::model::{ImportKind, ImportPage, ImportReport};
use crate::problem::Problem;
use crate::rpc::imports::{ApplyImport, load_import_page};

/// A file's columns, as the upload form lists them.
fn columns(kind: ImportKind) -> String {
    kind.format().columns.join(", ")
}

/// What a file holds, for people.
fn kind_message(kind: ImportKind) -> Msg {
    match kind {
        ImportKind::Invoices => Msg::ImportsKindInvoices,
        ImportKind::CreditNotes => Msg::ImportsKindCreditNotes,
    }
}

/// What importing does to a document (`created`, `updated`, `unchanged`), for people; another
/// code as it is.
fn change_text(change: &str) -> String {
    match change {
        "created" => t(Msg::ImportsChangeCreated).to_string(),
        "updated" => t(Msg::ImportsChangeUpdated).to_string(),
        "unchanged" => t(Msg::ImportsChangeUnchanged).to_string(),
        other => other.to_string(),
    }
}

#[component]
pub fn ImportsPage() -> impl IntoView {
    let query = use_query_map();
    let upload_error = move || query.read().get("upload_error");
    view! {
        <h1>{t(Msg::ImportsTitle)}</h1>
        <p>
            {t(Msg::ImportsFormatIntro)} <code>"due_date"</code> ", " <code>"discount_percent"</code>
            ", " <code>"ship_date"</code> {t(Msg::ImportsFormatLineShipDate)} <code>"invoice"</code>
            ", " <code>"reason_category"</code> {t(Msg::ImportsFormatAnd)} <code>"reason"</code>
            {t(Msg::ImportsFormatTwice)}
        </p>
        <h2>{t(Msg::ImportsKindInvoices)}</h2>
        <p><code>{columns(ImportKind::Invoices)}</code></p>
        <p>{t(Msg::ImportsInvoicesHint)}</p>
        <h2>{t(Msg::ImportsKindCreditNotes)}</h2>
        <p><code>{columns(ImportKind::CreditNotes)}</code></p>
        <p>
            {t(Msg::ImportsCreditNotesHint)} <code>"invoice"</code> {t(Msg::ImportsCreditNotesInvoice)}
        </p>
        <form method="post" action="/imports" enctype="multipart/form-data" class="upload" aria-label=t(Msg::ImportsFileLabel)>
            <label>{t(Msg::ImportsHolds)}
                <select name="kind">
                    {ImportKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.as_str()>{t(kind_message(kind))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t(Msg::ImportsCsvFile)}
                <input type="file" name="file" accept="text/csv,.csv" required/>
            </label>
            {move || upload_error().map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
            <button type="submit" class="primary">{t(Msg::ImportsPreview)}</button>
        </form>
    }
}

#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    let id = path_id();
    let apply = ServerAction::<ApplyImport>::new();
    let page = Resource::new(
        move || (id(), apply.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_import_page(id).await,
                None => Err(Problem::not_found("The uploaded file")),
            }
        },
    );
    view! {
        <p><A href="/imports">{t(Msg::ImportsAnotherFile)}</A></p>
        <Suspense fallback=|| view! { <p>{t(Msg::ImportsChecking)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! { <ImportPreview page apply/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportPreview(page: ImportPage, apply: ServerAction<ApplyImport>) -> impl IntoView {
    let language = use_language();
    let uploaded = tf(
        Msg::ImportsUploadedBy,
        &[
            ("when", &format::moment(language, page.uploaded_at)),
            ("user", &page.uploaded_by),
        ],
    );
    let applied = page.applied_at.map(|at| {
        tf(
            Msg::ImportsImportedAt,
            &[("when", &format::moment(language, at))],
        )
    });
    let may_import = page.viewer.may(Permission::WriteInvoices);
    let body = match page.preview {
        Err(problem) => view! { <ImportErrors problem/> }.into_any(),
        Ok(report) => {
            let changes = report.created + report.updated;
            let button = (may_import && changes > 0).then(|| {
                let label = tf(
                    Msg::ImportsApply,
                    &[
                        ("created", &report.created.to_string()),
                        ("updated", &report.updated.to_string()),
                    ],
                );
                view! {
                    <ActionForm action=apply attr:class="action">
                        <input type="hidden" name="import_id" value=page.id/>
                        <button type="submit" class="primary">{label}</button>
                        {move || problem_view(refusal(apply), "")}
                    </ActionForm>
                }
            });
            let settled = (changes == 0).then(|| {
                let message = match report.kind {
                    ImportKind::Invoices => t(Msg::ImportsSettledInvoices),
                    ImportKind::CreditNotes => t(Msg::ImportsSettledCreditNotes),
                };
                view! { <p role="status">{message}</p> }
            });
            let table = match report.kind {
                ImportKind::Invoices => view! { <ImportTable report/> }.into_any(),
                ImportKind::CreditNotes => view! { <CreditNoteImportTable report/> }.into_any(),
            };
            view! { {table} {settled} {button} }.into_any()
        }
    };
    view! {
        <h1>{tf(Msg::ImportsFileTitle, &[("file", &page.file_name)])}</h1>
        <dl class="facts">
            <dt>{t(Msg::ImportsFactHolds)}</dt><dd>{t(kind_message(page.kind))}</dd>
            <dt>{t(Msg::ImportsFactUploaded)}</dt><dd>{uploaded}</dd>
            <dt>{t(Msg::ImportsFactImported)}</dt><dd>{applied.unwrap_or_else(|| t(Msg::ImportsNotYet).to_string())}</dd>
        </dl>
        {body}
    }
}

/// How many documents the import creates, updates and leaves.
fn counts(report: &ImportReport) -> String {
    tf(
        Msg::ImportsCounts,
        &[
            ("created", &report.created.to_string()),
            ("updated", &report.updated.to_string()),
            ("unchanged", &report.unchanged.to_string()),
        ],
    )
}

/// What importing does to each invoice.
#[component]
fn ImportTable(report: ImportReport) -> impl IntoView {
    let language = use_language();
    view! {
        <table class="grid">
            <caption>{counts(&report)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(Msg::ImportsLine)}</th>
                    <th scope="col">{t(Msg::ImportsInvoice)}</th>
                    <th scope="col">{t(Msg::ImportsChange)}</th>
                    <th scope="col" class="num">{t(Msg::ImportsTotalBefore)}</th>
                    <th scope="col" class="num">{t(Msg::ImportsTotal)}</th>
                    <th scope="col" class="num">{t(Msg::ImportsOutstanding)}</th>
                    <th scope="col">{t(Msg::ImportsStatus)}</th>
                </tr>
            </thead>
            <tbody>
                {report.invoices.into_iter().map(|invoice| {
                    let currency = invoice.currency;
                    view! {
                        <tr>
                            <td class="num">{invoice.line}</td>
                            <td>{invoice.number}</td>
                            <td>{change_text(&invoice.change)}</td>
                            <td class="num">{invoice.previous_total.map(|total| format::money(language, total, currency)).unwrap_or_default()}</td>
                            <td class="num">{format::money(language, invoice.total, currency)}</td>
                            <td class="num">{format::money(language, invoice.outstanding, currency)}</td>
                            <td>{t(status::invoice(invoice.status))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What importing does to each credit note.
#[component]
fn CreditNoteImportTable(report: ImportReport) -> impl IntoView {
    let language = use_language();
    view! {
        <table class="grid">
            <caption>{counts(&report)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(Msg::ImportsLine)}</th>
                    <th scope="col">{t(Msg::ImportsNumberInFile)}</th>
                    <th scope="col">{t(Msg::ImportsCreditNote)}</th>
                    <th scope="col">{t(Msg::ImportsChange)}</th>
                    <th scope="col">{t(Msg::ImportsInvoice)}</th>
                    <th scope="col" class="num">{t(Msg::ImportsTotalBefore)}</th>
                    <th scope="col" class="num">{t(Msg::ImportsTotal)}</th>
                    <th scope="col">{t(Msg::ImportsStatus)}</th>
                </tr>
            </thead>
            <tbody>
                {report.credit_notes.into_iter().map(|note| {
                    let currency = note.currency;
                    // A preview's new notes do not exist yet: no link.
                    let link = note.id.map(|id| {
                        let shown = crate::model::shown_number(note.credit_note_number.as_deref(), id);
                        (format!("/credit-notes/{id}"), shown)
                    });
                    // Said in the page's language when its figures are known.
                    let said = match &note.over_credit {
                        Some(warning) => crate::i18n::warnings::over_credit(language, warning),
                        None => note.warnings.join(" "),
                    };
                    let warnings = (!said.is_empty()).then(|| view! {
                        <span class="warning">{said}</span>
                    });
                    view! {
                        <tr>
                            <td class="num">{note.line}</td>
                            <td>{note.number}</td>
                            <td>{match link {
                                Some((href, shown)) => view! { <A href=href>{shown}</A> }.into_any(),
                                None => t(Msg::ImportsNew).into_any(),
                            }}</td>
                            <td>{change_text(&note.change)}{warnings}</td>
                            <td>{note.related_invoice_number.unwrap_or_default()}</td>
                            <td class="num">{note.previous_total.map(|total| format::money(language, total, currency)).unwrap_or_default()}</td>
                            <td class="num">{format::money(language, note.total, currency)}</td>
                            <td>{t(status::credit_note(note.status))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Why the file cannot be imported: each error on its line and column.
#[component]
fn ImportErrors(problem: Problem) -> impl IntoView {
    let problem = crate::i18n::refusals::localize(problem, use_language());
    let rows: Vec<(String, String, String)> = problem
        .errors
        .iter()
        .map(|error| {
            // `rows[N].column`: the file's line and the column.
            let inner = error.field.trim_start_matches("rows[");
            let (line, column) = inner.split_once(']').unwrap_or((inner, ""));
            (
                line.to_string(),
                column.trim_start_matches('.').to_string(),
                error.message.clone(),
            )
        })
        .collect();
    view! {
        <p class="problem" role="alert">{problem.detail.clone()}</p>
        <table class="grid">
            <caption>{t(Msg::ImportsErrorsCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(Msg::ImportsLine)}</th>
                    <th scope="col">{t(Msg::ImportsColumn)}</th>
                    <th scope="col">{t(Msg::ImportsProblem)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|(line, column, message)| view! {
                    <tr><td class="num">{line}</td><td>{column}</td><td>{message}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
