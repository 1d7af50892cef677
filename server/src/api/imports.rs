//! CSV imports of invoices and credit notes.

use app::model::ImportKind;
use axum::extract::State;

use super::extract::FileBytes;
use super::{ApiError, ApiQuery, ApiUser, input::Fields};
use crate::services::{ImportReport, Services};

#[utoipa::path(
    post,
    operation_id = "import_documents",
    path = "/imports",
    tag = "invoices",
    params(
        ("kind" = Option<String>, Query, description = "What the file holds: `invoices` (the default) or `credit_notes`"),
        ("dry_run" = Option<bool>, Query, description = "`true`: check everything and answer what the import would do, writing nothing"),
    ),
    request_body(content = inline(FileBytes), content_type = "text/csv", description = "UTF-8 CSV (commas, or semicolons throughout) with a header row and one row per document line; the rows of one document share its number and agree on its other columns. At most 5 MiB.\n\nInvoices: `number`, `customer` (the customer's exact name), `currency`, `issue_date`, `due_date` (may be blank), `description`, `quantity`, `unit_price`, `discount_percent` (may be blank), `tax_rate`, `ship_date` (may be blank or left out).\n\nCredit notes: `number` (the note's number where it comes from, kept as its `external_reference`; or its own `CN-` number), `customer`, `currency`, `date`, `invoice` (the credited invoice's number; may be blank), `reason_category` (`return`, `invoicing_error`, `goodwill`, `other`; may be blank), `reason` (may be blank), `description`, `quantity`, `unit_price`, `discount_percent` (may be blank), `tax_rate`, `ship_date` (may be blank or left out)."),
    responses(
        (status = 200, description = "Imported (or, with `dry_run`, what would be). Each invoice created, updated (lines or due date changed; outstanding = new total − payments − credits) or unchanged. Each credit note created as a draft (approved and finalized like any other), updated (while draft or pending approval) or unchanged", body = ImportReport),
        crate::api::extract::Problems,
        (status = 422, description = "`import_invalid`: nothing was imported; `errors` names each problem as `rows[N].column`, N the file's line (the header is line 1). A new invoice total below what was already paid and credited is one of them, and so is a row that would change a finalized credit note", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
/// Imports invoices or credit notes from CSV (administrators, credit managers): all rows
/// checked before any is written, all written or none; the same file twice changes nothing.
pub async fn import(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
    body: axum::body::Bytes,
) -> Result<axum::Json<ImportReport>, ApiError> {
    let mut fields = Fields::default();
    let dry_run = match query.get("dry_run") {
        None | Some("false") => Some(false),
        Some("true") => Some(true),
        Some(_) => {
            fields.error("dry_run", "Use true or false");
            None
        }
    };
    let kind = match query.get("kind") {
        None => Some(ImportKind::Invoices),
        Some(kind) => ImportKind::parse(kind).or_else(|| {
            fields.error("kind", "Use invoices or credit_notes");
            None
        }),
    };
    let (kind, dry_run) = fields.finish(|| Some((kind?, dry_run?)))?;
    Ok(axum::Json(
        services.import(&user, kind, &body, dry_run).await?,
    ))
}
