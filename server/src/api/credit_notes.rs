use app::domain::{Charge, CreditNoteStatus, ReasonCategory};
use app::model::Address;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::extract::FileBytes;
use super::input::{Fields, LineRequest};
use super::pagination::{List, page};
use super::resources::CreditNoteResource;
use super::{ApiError, ApiJson, ApiPath, ApiQuery, ApiUser};
use crate::services::CreditNoteFilter;
use crate::services::{
    Caller, CreditNoteChanges, NewCreditNoteInput, NoteParticulars, PaymentInput, Services,
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargeRequest {
    code: String,
    description: String,
    amount: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditNoteRequest {
    customer_id: i64,
    currency: String,
    date: String,
    #[serde(default)]
    related_invoice_id: Option<i64>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    reason_category: Option<ReasonCategory>,
    /// Blank: the customer's billing address.
    #[serde(default)]
    billing_address: Option<Address>,
    /// Blank: the customer's shipping address.
    #[serde(default)]
    shipping_address: Option<Address>,
    #[serde(default)]
    lines: Vec<LineRequest>,
    #[serde(default)]
    charge: Option<ChargeRequest>,
}

#[utoipa::path(
    post,
    operation_id = "create_credit_note",
    path = "/credit-notes",
    tag = "credit notes",
    request_body = CreditNoteRequest,
    responses((status = 201, body = CreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn create(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<CreditNoteRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let mut fields = Fields::default();
    let currency = fields.currency("currency", &request.currency);
    let date = fields.date("date", &request.date);
    let lines = fields.lines(&request.lines, currency);
    let charge = request.charge.as_ref().map(|charge| {
        let amount = fields.decimal("charge.amount", &charge.amount);
        (charge, amount)
    });
    let input = fields.finish(|| {
        let charge = match charge {
            Some((charge, amount)) => Some(Charge {
                code: charge.code.clone(),
                description: charge.description.clone(),
                amount: amount?,
            }),
            None => None,
        };
        Some(NewCreditNoteInput {
            customer_id: request.customer_id,
            currency: currency?,
            date: date?,
            reason: request.reason.filter(|r| !r.trim().is_empty()),
            related_invoice_id: request.related_invoice_id,
            lines,
            charge,
            particulars: NoteParticulars {
                reason_category: request.reason_category,
                billing_address: request.billing_address,
                shipping_address: request.shipping_address,
                external_reference: None,
            },
        })
    })?;
    let created = services
        .create_credit_note(Caller::User(&user), input)
        .await?;
    let warnings = created.warnings();
    let mut resource = CreditNoteResource::from(created.note);
    resource.warnings = warnings;
    Ok((StatusCode::CREATED, axum::Json(resource)))
}

#[utoipa::path(
    get,
    operation_id = "list_credit_notes",
    path = "/credit-notes",
    tag = "credit notes",
    params(crate::api::pagination::PageParams, crate::api::pagination::CreditNoteListParams),
    responses((status = 200, body = List<super::resources::SeenCreditNoteResource>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn list(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
) -> Result<axum::Json<List<super::resources::SeenCreditNoteResource>>, ApiError> {
    let mut fields = Fields::default();
    let page = page(&mut fields, query.get("limit"), query.get("cursor"));
    let customer_id = query
        .get("customer_id")
        .map(|v| fields.id("customer_id", v));
    let related_invoice_id = query
        .get("related_invoice_id")
        .map(|v| fields.id("related_invoice_id", v));
    let status = query.get("status").map(|v| {
        CreditNoteStatus::parse(v).or_else(|| {
            fields.error(
                "status",
                "Use draft, pending_approval, available, used or cancelled",
            );
            None
        })
    });
    let currency = query
        .get("currency")
        .map(|v| fields.currency("currency", v));
    let date_from = query.get("date_from").map(|v| fields.date("date_from", v));
    let date_to = query.get("date_to").map(|v| fields.date("date_to", v));
    let filter = fields.finish(|| {
        Some(CreditNoteFilter {
            customer_id: customer_id.flatten(),
            status: status.flatten(),
            currency: currency.flatten(),
            number_prefix: query.get("number").map(str::to_string),
            date_from: date_from.flatten(),
            date_to: date_to.flatten(),
            related_invoice_id: related_invoice_id.flatten(),
            ..Default::default()
        })
    })?;
    // A customer's token gets the portal view of each note.
    let items = services.credit_notes_as_seen(&user, filter, page).await?;
    let next = List::new(items, page, |n| n.id());
    Ok(axum::Json(List {
        items: next.items.into_iter().map(Into::into).collect(),
        next_cursor: next.next_cursor,
    }))
}

#[utoipa::path(
    get,
    operation_id = "read_credit_note",
    path = "/credit-notes/{id}",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = super::resources::SeenCreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn read(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<super::resources::SeenCreditNoteResource>, ApiError> {
    Ok(axum::Json(
        services.credit_note_as_seen(&user, id).await?.into(),
    ))
}

#[utoipa::path(
    post,
    operation_id = "submit_credit_note",
    path = "/credit-notes/{id}/submit",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = CreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn submit(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<CreditNoteResource>, ApiError> {
    Ok(axum::Json(
        services.submit_credit_note(&user, id).await?.into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Why the approver sends the note back.
    reason: String,
}

#[utoipa::path(
    post,
    operation_id = "reject_credit_note",
    path = "/credit-notes/{id}/reject",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = RejectRequest,
    responses(
        (status = 200, description = "pending_approval → draft, the reason on the timeline", body = CreditNoteResource),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
pub async fn reject(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<RejectRequest>,
) -> Result<axum::Json<CreditNoteResource>, ApiError> {
    Ok(axum::Json(
        services
            .reject_credit_note(&user, id, &request.reason)
            .await?
            .into(),
    ))
}

#[utoipa::path(
    post,
    operation_id = "finalize_credit_note",
    path = "/credit-notes/{id}/finalize",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = CreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn finalize(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<CreditNoteResource>, ApiError> {
    Ok(axum::Json(
        services
            .finalize_credit_note(Caller::User(&user), id)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    text: String,
}

#[utoipa::path(
    post,
    operation_id = "create_credit_note_comment",
    path = "/credit-notes/{id}/comments",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = CommentRequest,
    responses((status = 201, body = CreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn comment(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<CommentRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let note = services
        .comment_credit_note(&user, id, &request.text)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreditNoteResource::from(note)),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditNotePatch {
    #[serde(default)]
    customer_id: Option<i64>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default, deserialize_with = "super::input::present")]
    related_invoice_id: Option<Option<i64>>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default, deserialize_with = "super::input::present")]
    reason: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::input::present")]
    reason_category: Option<Option<ReasonCategory>>,
    #[serde(default)]
    billing_address: Option<Address>,
    #[serde(default)]
    shipping_address: Option<Address>,
    #[serde(default)]
    lines: Option<Vec<LineRequest>>,
    #[serde(default)]
    charge: Option<ChargeRequest>,
}

#[utoipa::path(
    patch,
    operation_id = "update_credit_note",
    path = "/credit-notes/{id}",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = CreditNotePatch,
    responses((status = 200, body = CreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn edit(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<CreditNotePatch>,
) -> Result<axum::Json<CreditNoteResource>, ApiError> {
    let mut fields = Fields::default();
    let currency = patch
        .currency
        .as_deref()
        .map(|c| fields.currency("currency", c));
    let date = patch.date.as_deref().map(|d| fields.date("date", d));
    let lines = patch
        .lines
        .as_ref()
        .map(|lines| fields.lines(lines, currency.flatten()));
    let charge = patch
        .charge
        .as_ref()
        .map(|c| (c, fields.decimal("charge.amount", &c.amount)));
    let changes = fields.finish(|| {
        Some(CreditNoteChanges {
            customer_id: patch.customer_id,
            currency: match currency {
                Some(parsed) => Some(parsed?),
                None => None,
            },
            related_invoice_id: patch.related_invoice_id,
            date: match date {
                Some(parsed) => Some(parsed?),
                None => None,
            },
            reason: patch.reason,
            reason_category: patch.reason_category,
            billing_address: patch.billing_address,
            shipping_address: patch.shipping_address,
            lines,
            charge: match charge {
                Some((c, amount)) => Some(Charge {
                    code: c.code.clone(),
                    description: c.description.clone(),
                    amount: amount?,
                }),
                None => None,
            },
        })
    });
    // A finalized or linked note answers its 409 before any field is looked at.
    let changes = match changes {
        Ok(changes) => changes,
        Err(field_errors) => {
            services.check_credit_note_editable(&user, id).await?;
            return Err(field_errors);
        }
    };
    Ok(axum::Json(
        services.edit_credit_note(&user, id, changes).await?.into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    amount: String,
    date: String,
    #[serde(default)]
    method: Option<String>,
}

#[utoipa::path(
    post,
    operation_id = "refund_credit_note",
    path = "/credit-notes/{id}/refunds",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = RefundRequest,
    responses((status = 201, body = CreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn refund(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<RefundRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let mut fields = Fields::default();
    let amount = fields.decimal("amount", &request.amount);
    let date = fields.date("date", &request.date);
    let refund = fields.finish(|| {
        Some(PaymentInput {
            amount: amount?,
            date: date?,
            method: request.method,
            reference: None,
        })
    })?;
    let note = services.refund_credit_note(&user, id, refund).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreditNoteResource::from(note)),
    ))
}

#[utoipa::path(
    post,
    operation_id = "cancel_credit_note",
    path = "/credit-notes/{id}/cancel",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = CreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn cancel(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<CreditNoteResource>, ApiError> {
    Ok(axum::Json(
        services.cancel_credit_note(&user, id).await?.into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    /// Why the remaining credit is written off (at most 500 characters).
    #[schema(example = "The customer waived the rest of the goodwill credit")]
    reason: String,
}

/// Writes off what remains of a finalized note: links and refunds stay, the remainder is
/// posted to the write-off account and the note ends `used`. A note partly linked or refunded
/// cannot be cancelled (409 `credit_note_refunded` / `credit_note_allocated`); it is voided.
#[utoipa::path(
    post,
    operation_id = "void_credit_note",
    path = "/credit-notes/{id}/void",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = VoidRequest,
    responses((status = 200, body = CreditNoteResource), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn void(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<VoidRequest>,
) -> Result<axum::Json<CreditNoteResource>, ApiError> {
    Ok(axum::Json(
        services
            .void_credit_note(&user, id, &request.reason)
            .await?
            .into(),
    ))
}

#[utoipa::path(
    delete,
    operation_id = "delete_credit_note",
    path = "/credit-notes/{id}",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 204, description = "Deleted"), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn remove(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    services.delete_credit_note(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    operation_id = "read_credit_note_timeline",
    path = "/credit-notes/{id}/timeline",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1), crate::api::pagination::PageParams),
    responses(
        (status = 200, body = List<crate::services::TimelineEvent>),
        (status = 404, description = "Unknown id", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
pub async fn timeline(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    query: ApiQuery,
) -> Result<axum::Json<List<crate::services::TimelineEvent>>, ApiError> {
    let mut fields = Fields::default();
    let page = page(&mut fields, query.get("limit"), query.get("cursor"));
    fields.finish(|| Some(()))?;
    let events = services.credit_note_timeline(&user, id, page).await?;
    Ok(axum::Json(List::new(events, page, |event| event.id)))
}

#[utoipa::path(
    get,
    operation_id = "download_credit_note_pdf",
    path = "/credit-notes/{id}/pdf",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses(
        (status = 200, description = "The credit note as a PDF", content_type = "application/pdf", body = inline(FileBytes)),
        (status = 404, description = "Unknown id, or not the caller's", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
pub async fn pdf(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, ApiError> {
    Ok(download_response(
        services.credit_note_pdf(&user, id).await?,
    ))
}

/// A document download (PDF, XML).
pub fn download_response(file: crate::services::RenderedFile) -> axum::response::Response {
    use axum::http::header;
    (
        [(header::CONTENT_TYPE, file.content_type.to_string())],
        [(
            header::CONTENT_DISPOSITION,
            crate::content_disposition::attachment(&file.file_name),
        )],
        file.bytes,
    )
        .into_response()
}
