//! CSV imports of invoices.

use axum::extract::State;

use super::{ApiError, ApiQuery, ApiUser, input::Fields};
use crate::services::{ImportReport, Services};

#[utoipa::path(
    post,
    path = "/imports",
    tag = "invoices",
    params(("dry_run" = Option<bool>, Query, description = "`true`: check everything and answer what the import would do, writing nothing")),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 CSV with a header row and one row per invoice line. Columns, in any order: `number`, `customer` (the customer's exact name), `currency`, `issue_date`, `due_date` (may be blank), `description`, `quantity`, `unit_price`, `discount_percent` (may be blank), `tax_rate`. Rows of one invoice share its number and agree on customer, currency and dates. At most 5 MiB."),
    responses(
        (status = 200, description = "Imported (or, with `dry_run`, what would be): each invoice created, updated (lines or due date changed; outstanding = new total − payments − credits) or unchanged", body = ImportReport),
        crate::api::extract::Problems,
        (status = 422, description = "`import_invalid`: nothing was imported; `errors` names each problem as `rows[N].column`, N the file's line (the header is line 1). A new total below what was already paid and credited is one of them", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
/// Imports invoices from CSV (administrators, credit managers): all rows checked before any is
/// written, all written or none; the same file twice changes nothing.
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
    let dry_run = fields.finish(|| dry_run)?;
    Ok(axum::Json(
        services.import_invoices(&user, &body, dry_run).await?,
    ))
}
