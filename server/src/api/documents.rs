//! Printed documents: the invoice PDF, the seller's details and the PDF templates.

use app::model::{DocumentKind, SellerProfile};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::extract::{FileBytes, FileUpload};
use super::{ApiError, ApiJson, ApiPath, ApiUser};
use crate::services::{ServiceError, Services};

#[utoipa::path(
    get,
    operation_id = "download_invoice_pdf",
    path = "/invoices/{id}/pdf",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses(
        (status = 200, description = "The invoice as a PDF", content_type = "application/pdf", body = inline(FileBytes)),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
pub async fn invoice_pdf(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, ApiError> {
    Ok(super::download_response(
        services.invoice_pdf(&user, id).await?,
    ))
}

#[utoipa::path(
    get,
    operation_id = "read_seller",
    path = "/settings/seller",
    tag = "settings",
    responses((status = 200, body = SellerProfile), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// The seller's details that documents print (administrators).
pub async fn seller(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
) -> Result<axum::Json<SellerProfile>, ApiError> {
    Ok(axum::Json(services.seller(&user).await?))
}

#[utoipa::path(
    put,
    operation_id = "replace_seller",
    path = "/settings/seller",
    tag = "settings",
    request_body = SellerProfile,
    responses((status = 200, body = SellerProfile), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Replaces the seller's details (administrators): name, address, VAT id, IBAN, e-mail.
pub async fn set_seller(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(seller): ApiJson<SellerProfile>,
) -> Result<axum::Json<SellerProfile>, ApiError> {
    Ok(axum::Json(services.set_seller(&user, seller).await?))
}

#[utoipa::path(
    get,
    operation_id = "download_logo",
    path = "/settings/seller/logo",
    tag = "settings",
    responses(
        (status = 200, description = "The logo as uploaded", content(
            (inline(FileBytes) = "image/png"), (inline(FileBytes) = "image/jpeg")
        )),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// The seller's logo (administrators); 404 when there is none.
pub async fn logo(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
) -> Result<axum::response::Response, ApiError> {
    Ok(logo_response(services.seller_logo(&user).await?))
}

/// A logo as an image: its own type (as its content showed), never sniffed.
pub fn logo_response(logo: crate::storage::Logo) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, logo.media_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        logo.content,
    )
        .into_response()
}

#[utoipa::path(
    put,
    operation_id = "upload_logo",
    path = "/settings/seller/logo",
    tag = "settings",
    request_body(content = FileUpload, content_type = "multipart/form-data", description = "The field `file`: a PNG or JPEG of at most 1 MiB and 4000 pixels a side, recognised by its content"),
    responses(
        (status = 200, body = SellerProfile),
        (status = 413, description = "Larger than 1 MiB", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not a PNG or JPEG by its content", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// Sets the logo every document prints (administrators); the seller's details come first
/// (409 `seller_missing` before).
pub async fn set_logo(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<axum::Json<SellerProfile>, ApiError> {
    let (_, content) = crate::api::LOGO.file(form).await?;
    Ok(axum::Json(services.set_seller_logo(&user, content).await?))
}

#[utoipa::path(
    delete,
    operation_id = "delete_logo",
    path = "/settings/seller/logo",
    tag = "settings",
    responses((status = 200, body = SellerProfile), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Removes the logo: documents print without one (administrators).
pub async fn remove_logo(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
) -> Result<axum::Json<SellerProfile>, ApiError> {
    Ok(axum::Json(services.remove_seller_logo(&user).await?))
}

/// A PDF template: Typst source.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    /// The Typst source; it reads the document as JSON from `sys.inputs.data`.
    source: String,
    /// Whether this template was saved in Settings (else it is the built-in one).
    #[serde(default)]
    #[schema(read_only)]
    custom: bool,
}

fn kind(name: &str) -> Result<DocumentKind, ApiError> {
    DocumentKind::parse(name).ok_or_else(|| ServiceError::NotFound("The template").into())
}

#[utoipa::path(
    get,
    operation_id = "read_template",
    path = "/settings/templates/{kind}",
    tag = "settings",
    params(("kind" = String, Path, description = "`credit_note` or `invoice`", example = "credit_note")),
    responses((status = 200, body = TemplateBody), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// The PDF template that applies to a kind of document (administrators).
pub async fn template(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(name): ApiPath<String>,
) -> Result<axum::Json<TemplateBody>, ApiError> {
    let (source, custom) = services.document_template(&user, kind(&name)?).await?;
    Ok(axum::Json(TemplateBody { source, custom }))
}

#[utoipa::path(
    put,
    operation_id = "replace_template",
    path = "/settings/templates/{kind}",
    tag = "settings",
    params(("kind" = String, Path, description = "`credit_note` or `invoice`", example = "credit_note")),
    request_body = TemplateBody,
    responses(
        (status = 200, body = TemplateBody),
        (status = 422, description = "The template does not render: Typst's errors, by file and line", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// Replaces a kind's PDF template (administrators), once it renders sample documents.
pub async fn save_template(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(name): ApiPath<String>,
    ApiJson(body): ApiJson<TemplateBody>,
) -> Result<axum::Json<TemplateBody>, ApiError> {
    let kind = kind(&name)?;
    services
        .save_document_template(&user, kind, body.source)
        .await?;
    let (source, custom) = services.document_template(&user, kind).await?;
    Ok(axum::Json(TemplateBody { source, custom }))
}

#[utoipa::path(
    delete,
    operation_id = "reset_template",
    path = "/settings/templates/{kind}",
    tag = "settings",
    params(("kind" = String, Path, description = "`credit_note` or `invoice`", example = "credit_note")),
    responses((status = 204, description = "The built-in template applies again"), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Removes a saved template: the built-in one applies again (administrators).
pub async fn reset_template(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(name): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    services
        .reset_document_template(&user, kind(&name)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whom to send a credit note to, and what to say.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBody {
    /// Recipients; the customer's e-mail address when absent or empty.
    #[serde(default)]
    #[schema(example = json!(["ap@acme.example"]))]
    to: Vec<String>,
    #[serde(default)]
    cc: Vec<String>,
    /// The message's text; a standard one naming the note when absent.
    #[serde(default)]
    message: Option<String>,
}

#[utoipa::path(
    post,
    operation_id = "send_credit_note",
    path = "/credit-notes/{id}/send",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = SendBody,
    responses(
        (status = 202, description = "Queued in the outbox: the timeline shows when it was sent, or why not", body = crate::services::QueuedMessage),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// E-mails a finalized credit note with its PDF attached, through the outbox.
pub async fn send(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SendBody>,
) -> Result<(StatusCode, axum::Json<crate::services::QueuedMessage>), ApiError> {
    let request = crate::services::SendRequest {
        to: body.to,
        cc: body.cc,
        message: body.message,
    };
    let queued = services.send_credit_note(&user, id, request).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(queued)))
}
