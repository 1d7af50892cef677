use app::domain::{AllocationRequest, InvoiceAction, InvoiceStatus};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::input::{Fields, LineRequest};
use super::pagination::{List, page};
use super::resources::{CreditNoteResource, InvoiceResource, LinkableResource};
use super::{ApiError, ApiJson, ApiPath, ApiQuery, ApiUser};
use crate::services::InvoiceFilter;
use crate::services::{
    Caller, InvoiceChanges, NewInvoiceInput, PaymentInput, Services, TimelineEvent,
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceRequest {
    customer_id: i64,
    currency: String,
    issue_date: String,
    #[serde(default)]
    due_date: Option<String>,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    related_invoice_id: Option<i64>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    status: Option<String>,
    lines: Vec<LineRequest>,
}

#[utoipa::path(
    post,
    operation_id = "create_invoice",
    path = "/invoices",
    tag = "invoices",
    request_body = InvoiceRequest,
    responses((status = 201, body = InvoiceResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn create(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<InvoiceRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let mut fields = Fields::default();
    let currency = fields.currency("currency", &request.currency);
    let issue_date = fields.date("issue_date", &request.issue_date);
    let due_date = request
        .due_date
        .as_deref()
        .map(|d| fields.date("due_date", d));
    // Which statuses a new invoice may take is the service's rule; here only the name.
    let status = match request.status.as_deref() {
        None => Some(InvoiceStatus::Pending),
        Some(name) => InvoiceStatus::parse(name).or_else(|| {
            fields.error("status", "A new invoice is \"pending\" or \"draft\"");
            None
        }),
    };
    let kind = match request.kind.as_deref() {
        None => Some(app::domain::InvoiceKind::Standard),
        Some(name) => app::domain::InvoiceKind::parse(name).or_else(|| {
            fields.error("kind", "Use standard, advance or correction");
            None
        }),
    };
    let lines = fields.lines(&request.lines, currency);
    let input = fields.finish(|| {
        Some(NewInvoiceInput {
            number: request.number,
            customer_id: request.customer_id,
            currency: currency?,
            issue_date: issue_date?,
            due_date: match due_date {
                Some(parsed) => Some(parsed?),
                None => None,
            },
            kind: kind?,
            status: status?,
            related_invoice_id: request.related_invoice_id,
            project: request.project.filter(|p| !p.trim().is_empty()),
            lines,
        })
    })?;
    let invoice = services.create_invoice(Caller::User(&user), input).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(InvoiceResource::from(invoice)),
    ))
}

#[utoipa::path(
    get,
    operation_id = "list_invoices",
    path = "/invoices",
    tag = "invoices",
    params(crate::api::pagination::PageParams, crate::api::pagination::InvoiceListParams),
    responses((status = 200, body = List<InvoiceResource>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn list(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
) -> Result<axum::Json<List<InvoiceResource>>, ApiError> {
    let mut fields = Fields::default();
    let page = page(&mut fields, query.get("limit"), query.get("cursor"));
    let customer_id = query
        .get("customer_id")
        .map(|v| fields.id("customer_id", v));
    let status = query.get("status").map(|v| {
        InvoiceStatus::parse(v).or_else(|| {
            fields.error("status", "Use draft, pending, paid or cancelled");
            None
        })
    });
    let currency = query
        .get("currency")
        .map(|v| fields.currency("currency", v));
    let filter = fields.finish(|| {
        Some(InvoiceFilter {
            customer_id: customer_id.flatten(),
            status: status.flatten(),
            currency: currency.flatten(),
            number_prefix: query.get("number").map(str::to_string),
            ..Default::default()
        })
    })?;
    let items = services.find_invoices(&user, filter, page).await?;
    Ok(axum::Json(List::new(
        items.into_iter().map(InvoiceResource::from).collect(),
        page,
        |i| i.invoice.id,
    )))
}

#[utoipa::path(
    get,
    operation_id = "read_invoice",
    path = "/invoices/{id}",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = InvoiceResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn read(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<InvoiceResource>, ApiError> {
    Ok(axum::Json(services.invoice(&user, id).await?.into()))
}

#[utoipa::path(
    get,
    operation_id = "read_invoice_timeline",
    path = "/invoices/{id}/timeline",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1), crate::api::pagination::PageParams),
    responses((status = 200, body = List<TimelineEvent>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn timeline(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    query: ApiQuery,
) -> Result<axum::Json<List<TimelineEvent>>, ApiError> {
    let mut fields = Fields::default();
    let page = page(&mut fields, query.get("limit"), query.get("cursor"));
    fields.finish(|| Some(()))?;
    let events = services.invoice_timeline(&user, id, page).await?;
    Ok(axum::Json(List::new(events, page, |event| event.id)))
}

#[utoipa::path(
    get,
    operation_id = "list_linkable_credit_notes",
    path = "/invoices/{id}/linkable-credit-notes",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1), crate::api::pagination::PageParams),
    responses((status = 200, body = List<LinkableResource>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn linkable(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    query: ApiQuery,
) -> Result<axum::Json<List<LinkableResource>>, ApiError> {
    let mut fields = Fields::default();
    let page = page(&mut fields, query.get("limit"), query.get("cursor"));
    fields.finish(|| Some(()))?;
    let rows = services.linkable_credit_notes(&user, id, page).await?;
    let items = rows
        .into_iter()
        .map(|linkable| LinkableResource {
            note: CreditNoteResource::from(linkable.note),
            selectable: linkable.row.selectable,
            reason: linkable.row.reason.map(|block| block.code().as_str()),
        })
        .collect();
    Ok(axum::Json(List::new(items, page, |item| item.note.note.id)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationsRequest {
    allocations: Vec<AllocationItem>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationItem {
    credit_note_id: i64,
    #[serde(default)]
    amount: Option<String>,
}

#[utoipa::path(
    post,
    operation_id = "link_credit_note",
    path = "/invoices/{id}/allocations",
    tag = "allocations",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = AllocationsRequest,
    responses((status = 201, body = InvoiceResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Amounts are read as plain decimals here; the domain then checks them against the
/// invoice's currency inside the transaction.
pub async fn link(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<AllocationsRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let mut fields = Fields::default();
    let requests: Vec<_> = request
        .allocations
        .iter()
        .enumerate()
        .map(|(i, item)| AllocationRequest {
            credit_note_id: item.credit_note_id,
            amount: item
                .amount
                .as_deref()
                .and_then(|text| fields.decimal(&format!("allocations[{i}].amount"), text)),
        })
        .collect();
    let requests = match fields.finish(|| Some(requests)) {
        Ok(requests) => requests,
        // The contract names an invoice that is not open before any amount.
        Err(field_errors) => {
            services
                .check_invoice_action(&user, id, InvoiceAction::LinkCredit)
                .await?;
            return Err(field_errors);
        }
    };
    let invoice = services.link_credit_notes(id, requests, &user).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(InvoiceResource::from(invoice)),
    ))
}

#[utoipa::path(
    delete,
    operation_id = "unlink_credit_note",
    path = "/invoices/{id}/allocations/{allocation_id}",
    tag = "allocations",
    params(("id" = i64, Path, description = "The id", example = 1), ("allocation_id" = i64, Path, description = "The allocation", example = 1)),
    responses((status = 204, description = "Unlinked"), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn unlink(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath((id, allocation_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    services
        .unlink_credit_note(&user, id, allocation_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoicePatch {
    #[serde(default)]
    customer_id: Option<i64>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default, deserialize_with = "super::input::present")]
    due_date: Option<Option<String>>,
    #[serde(default)]
    lines: Option<Vec<LineRequest>>,
}

#[utoipa::path(
    patch,
    operation_id = "update_invoice",
    path = "/invoices/{id}",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = InvoicePatch,
    responses((status = 200, body = InvoiceResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn edit(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<InvoicePatch>,
) -> Result<axum::Json<InvoiceResource>, ApiError> {
    let mut fields = Fields::default();
    let currency = patch
        .currency
        .as_deref()
        .map(|c| fields.currency("currency", c));
    let lines = patch
        .lines
        .as_ref()
        .map(|lines| fields.lines(lines, currency.flatten()));
    let due_date = patch
        .due_date
        .map(|d| d.map(|text| fields.date("due_date", &text)));
    let changes = fields.finish(|| {
        Some(InvoiceChanges {
            customer_id: patch.customer_id,
            currency: match currency {
                Some(parsed) => Some(parsed?),
                None => None,
            },
            due_date: match due_date {
                Some(Some(parsed)) => Some(Some(parsed?)),
                Some(None) => Some(None),
                None => None,
            },
            lines,
        })
    })?;
    Ok(axum::Json(
        services.edit_invoice(&user, id, changes).await?.into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    amount: String,
    date: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    reference: Option<String>,
}

#[utoipa::path(
    post,
    operation_id = "record_invoice_payment",
    path = "/invoices/{id}/payments",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = PaymentRequest,
    responses((status = 201, body = InvoiceResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn pay(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<PaymentRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let mut fields = Fields::default();
    let amount = fields.decimal("amount", &request.amount);
    let date = fields.date("date", &request.date);
    let payment = fields.finish(|| {
        Some(PaymentInput {
            amount: amount?,
            date: date?,
            method: request.method,
            reference: request.reference,
        })
    });
    // The contract checks that the invoice is open before it looks at amounts.
    let payment = match payment {
        Ok(payment) => payment,
        Err(field_errors) => {
            services
                .check_invoice_action(&user, id, InvoiceAction::RecordPayment)
                .await?;
            return Err(field_errors);
        }
    };
    let invoice = services.record_payment(&user, id, payment).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(InvoiceResource::from(invoice)),
    ))
}

#[utoipa::path(
    post,
    operation_id = "issue_invoice",
    path = "/invoices/{id}/issue",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses(
        (status = 200, description = "draft → pending; numbered now when the draft had no number of its own", body = InvoiceResource),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
pub async fn issue(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<InvoiceResource>, ApiError> {
    Ok(axum::Json(services.issue_invoice(&user, id).await?.into()))
}

#[utoipa::path(
    post,
    operation_id = "mark_invoice_paid",
    path = "/invoices/{id}/mark-paid",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = InvoiceResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn mark_paid(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<InvoiceResource>, ApiError> {
    Ok(axum::Json(services.mark_paid(&user, id).await?.into()))
}

#[utoipa::path(
    post,
    operation_id = "mark_invoice_pending",
    path = "/invoices/{id}/mark-pending",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = InvoiceResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn mark_pending(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<InvoiceResource>, ApiError> {
    Ok(axum::Json(services.mark_pending(&user, id).await?.into()))
}

#[utoipa::path(
    post,
    operation_id = "cancel_invoice",
    path = "/invoices/{id}/cancel",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = InvoiceResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn cancel(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<InvoiceResource>, ApiError> {
    Ok(axum::Json(services.cancel_invoice(&user, id).await?.into()))
}

#[utoipa::path(
    delete,
    operation_id = "delete_invoice",
    path = "/invoices/{id}",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 204, description = "Deleted"), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn remove(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    services.delete_invoice(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditInvoiceRequest {
    /// Defaults to today (never before the invoice).
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    /// The invoice lines to credit (0-based), each with an optional reduced quantity; all lines
    /// when absent or empty.
    #[serde(default)]
    lines: Vec<CreditLineRequest>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditLineRequest {
    line: usize,
    #[serde(default)]
    quantity: Option<String>,
}

#[utoipa::path(
    post,
    operation_id = "credit_invoice",
    path = "/invoices/{id}/credit-notes",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The invoice to credit")),
    request_body = CreditInvoiceRequest,
    responses(
        (status = 201, body = CreditNoteResource),
        (status = 401, description = "No or an invalid token", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow this", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Unknown id", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
/// A draft credit note copied from an invoice: all lines, or chosen lines and quantities.
pub async fn credit(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<CreditInvoiceRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let mut fields = Fields::default();
    let date = request.date.as_deref().map(|d| fields.date("date", d));
    let selection: Vec<_> = request
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| app::domain::LineSelection {
            line: line.line,
            quantity: line
                .quantity
                .as_deref()
                .and_then(|q| fields.decimal(&format!("lines[{i}].quantity"), q)),
        })
        .collect();
    let (date, selection) = fields.finish(|| {
        let date = match date {
            Some(parsed) => Some(parsed?),
            None => None,
        };
        Some((date, selection))
    })?;
    let reason = request.reason.filter(|r| !r.trim().is_empty());
    let created = services
        .credit_invoice(&user, id, date, reason, selection)
        .await?;
    let warnings = created.warnings();
    let mut resource = CreditNoteResource::from(created.note);
    resource.warnings = warnings;
    Ok((StatusCode::CREATED, axum::Json(resource)))
}
