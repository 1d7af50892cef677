//! Importing invoices or credit notes from CSV (administrators, credit managers): upload a
//! file (a plain multipart form, so it works without JavaScript), see what importing it would
//! do, row by row, then import it. Nothing is written before "Import".

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{ProblemMessage, path_id, problem_view, refusal};
use crate::domain::Permission;
use crate::model::{ImportKind, ImportPage, ImportReport};
use crate::problem::Problem;
use crate::rpc::imports::{ApplyImport, load_import_page};

/// A file's columns, as the upload form lists them.
fn columns(kind: ImportKind) -> String {
    kind.format().columns.join(", ")
}

#[component]
pub fn ImportsPage() -> impl IntoView {
    let query = use_query_map();
    let upload_error = move || query.read().get("upload_error");
    view! {
        <h1>"Import invoices or credit notes"</h1>
        <p>
            "A CSV file with a header row and one row per document line; the rows of a document "
            "share its number. The customer is named as on its page; dates are YYYY-MM-DD; "
            "blank is allowed in " <code>"due_date"</code> ", " <code>"discount_percent"</code>
            ", " <code>"ship_date"</code> " (a line's, which may also be left out), and a credit "
            "note's " <code>"invoice"</code> ", " <code>"reason_category"</code> " and "
            <code>"reason"</code> ". Importing a file twice changes nothing."
        </p>
        <h2>"Invoices"</h2>
        <p><code>{columns(ImportKind::Invoices)}</code></p>
        <p>
            "A new number creates an issued invoice. A known number updates the invoice when its "
            "lines or due date differ: what is owed becomes the new total less payments and "
            "credits, and a total below them is refused."
        </p>
        <h2>"Credit notes"</h2>
        <p><code>{columns(ImportKind::CreditNotes)}</code></p>
        <p>
            "The number is the note's number where it comes from: a new one creates a draft, "
            "approved and finalized here like any other (and then numbered CN-YYYY-NNNNN). A "
            "known one updates the note while it is a draft or pending approval; a finalized "
            "note cannot change. " <code>"invoice"</code> " is the number of the invoice it credits."
        </p>
        <form method="post" action="/imports" enctype="multipart/form-data" class="upload" aria-label="Import file">
            <label>"The file holds"
                <select name="kind">
                    {ImportKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.as_str()>{kind.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"CSV file (at most 5 MiB)"
                <input type="file" name="file" accept="text/csv,.csv" required/>
            </label>
            {move || upload_error().map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
            <button type="submit" class="primary">"Preview import"</button>
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
        <p><A href="/imports">"← Import another file"</A></p>
        <Suspense fallback=|| view! { <p>"Checking the file…"</p> }>
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
    let when = page.uploaded_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let applied = page
        .applied_at
        .map(|at| format!("Imported {}", at.format("%Y-%m-%d %H:%M UTC")));
    let may_import = page.viewer.may(Permission::WriteInvoices);
    let body = match page.preview {
        Err(problem) => view! { <ImportErrors problem/> }.into_any(),
        Ok(report) => {
            let changes = report.created + report.updated;
            let button = (may_import && changes > 0).then(|| {
                let label = format!(
                    "Import: create {}, update {}",
                    report.created, report.updated
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
                let documents = match report.kind {
                    ImportKind::Invoices => "invoice",
                    ImportKind::CreditNotes => "credit note",
                };
                view! { <p role="status">{format!("Every {documents} already says what the file says: nothing to import.")}</p> }
            });
            let table = match report.kind {
                ImportKind::Invoices => view! { <ImportTable report/> }.into_any(),
                ImportKind::CreditNotes => view! { <CreditNoteImportTable report/> }.into_any(),
            };
            view! { {table} {settled} {button} }.into_any()
        }
    };
    view! {
        <h1>"Import " {page.file_name.clone()}</h1>
        <dl class="facts">
            <dt>"Holds"</dt><dd>{page.kind.label()}</dd>
            <dt>"Uploaded"</dt><dd>{when} " by " {page.uploaded_by.clone()}</dd>
            <dt>"Imported"</dt><dd>{applied.unwrap_or_else(|| "Not yet: this is a preview".to_string())}</dd>
        </dl>
        {body}
    }
}

/// How many documents the import creates, updates and leaves.
fn counts(report: &ImportReport) -> String {
    format!(
        "{} to create, {} to update, {} unchanged",
        report.created, report.updated, report.unchanged
    )
}

/// What importing does to each invoice.
#[component]
fn ImportTable(report: ImportReport) -> impl IntoView {
    view! {
        <table class="grid">
            <caption>{counts(&report)}</caption>
            <thead>
                <tr>
                    <th scope="col">"Line"</th>
                    <th scope="col">"Invoice"</th>
                    <th scope="col">"Change"</th>
                    <th scope="col" class="num">"Total before"</th>
                    <th scope="col" class="num">"Total"</th>
                    <th scope="col" class="num">"Outstanding"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {report.invoices.into_iter().map(|invoice| {
                    let currency = invoice.currency;
                    view! {
                        <tr>
                            <td class="num">{invoice.line}</td>
                            <td>{invoice.number}</td>
                            <td>{invoice.change}</td>
                            <td class="num">{invoice.previous_total.map(|total| currency.format(total)).unwrap_or_default()}</td>
                            <td class="num">{currency.format(invoice.total)}</td>
                            <td class="num">{currency.format(invoice.outstanding)}</td>
                            <td>{invoice.status.label()}</td>
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
    view! {
        <table class="grid">
            <caption>{counts(&report)}</caption>
            <thead>
                <tr>
                    <th scope="col">"Line"</th>
                    <th scope="col">"Number in the file"</th>
                    <th scope="col">"Credit note"</th>
                    <th scope="col">"Change"</th>
                    <th scope="col">"Invoice"</th>
                    <th scope="col" class="num">"Total before"</th>
                    <th scope="col" class="num">"Total"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {report.credit_notes.into_iter().map(|note| {
                    let currency = note.currency;
                    // A preview's new notes do not exist yet: no link.
                    let link = note.id.map(|id| {
                        let shown = note.credit_note_number.clone().unwrap_or_else(|| format!("Draft #{id}"));
                        (format!("/credit-notes/{id}"), shown)
                    });
                    let warnings = (!note.warnings.is_empty()).then(|| view! {
                        <span class="warning">{note.warnings.join(" ")}</span>
                    });
                    view! {
                        <tr>
                            <td class="num">{note.line}</td>
                            <td>{note.number}</td>
                            <td>{match link {
                                Some((href, shown)) => view! { <A href=href>{shown}</A> }.into_any(),
                                None => view! { "New" }.into_any(),
                            }}</td>
                            <td>{note.change}{warnings}</td>
                            <td>{note.related_invoice_number.unwrap_or_default()}</td>
                            <td class="num">{note.previous_total.map(|total| currency.format(total)).unwrap_or_default()}</td>
                            <td class="num">{currency.format(note.total)}</td>
                            <td>{note.status.label()}</td>
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
            <caption>"Errors in the file"</caption>
            <thead>
                <tr>
                    <th scope="col">"Line"</th>
                    <th scope="col">"Column"</th>
                    <th scope="col">"Problem"</th>
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
