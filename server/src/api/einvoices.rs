//! E-invoice downloads: UBL 2.1 XML and Factur-X PDFs of finalized credit notes and issued
//! invoices.

use axum::extract::State;

use super::extract::FileBytes;
use super::{ApiError, ApiPath, ApiUser, download_response};
use crate::services::{EInvoiceFormat, Services};

#[utoipa::path(
    get,
    operation_id = "download_credit_note_ubl",
    path = "/credit-notes/{id}/ubl",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses(
        (status = 200, description = "The finalized credit note as a UBL 2.1 `CreditNote` (type code 381, EN 16931), with a `BillingReference` to the credited invoice", content_type = "application/xml", body = inline(FileBytes)),
        crate::api::extract::Problems,
        (status = 409, description = "`not_final`: a draft; `einvoice_incomplete`: EN 16931 needs details the seller or the customer lacks, each named in `errors`", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
pub async fn credit_note_ubl(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, ApiError> {
    let file = services
        .credit_note_einvoice(&user, id, EInvoiceFormat::Ubl)
        .await?;
    Ok(download_response(file))
}

#[utoipa::path(
    get,
    operation_id = "download_credit_note_facturx",
    path = "/credit-notes/{id}/factur-x",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses(
        (status = 200, description = "The finalized credit note as a Factur-X PDF: PDF/A-3b with its EN 16931 CII XML attached as `factur-x.xml`", content_type = "application/pdf", body = inline(FileBytes)),
        crate::api::extract::Problems,
        (status = 409, description = "`not_final`: a draft; `einvoice_incomplete`: EN 16931 needs details the seller or the customer lacks, each named in `errors`", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
pub async fn credit_note_facturx(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, ApiError> {
    let file = services
        .credit_note_einvoice(&user, id, EInvoiceFormat::FacturX)
        .await?;
    Ok(download_response(file))
}

#[utoipa::path(
    get,
    operation_id = "download_invoice_ubl",
    path = "/invoices/{id}/ubl",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses(
        (status = 200, description = "The issued invoice as a UBL 2.1 `Invoice` (type code 380; 384 for a correction, 386 for an advance invoice)", content_type = "application/xml", body = inline(FileBytes)),
        crate::api::extract::Problems,
        (status = 409, description = "`not_final`: a draft; `einvoice_incomplete`: EN 16931 needs details the seller or the customer lacks, each named in `errors`", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
pub async fn invoice_ubl(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, ApiError> {
    let file = services
        .invoice_einvoice(&user, id, EInvoiceFormat::Ubl)
        .await?;
    Ok(download_response(file))
}

#[utoipa::path(
    get,
    operation_id = "download_invoice_facturx",
    path = "/invoices/{id}/factur-x",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses(
        (status = 200, description = "The issued invoice as a Factur-X PDF: PDF/A-3b with its EN 16931 CII XML attached as `factur-x.xml`", content_type = "application/pdf", body = inline(FileBytes)),
        crate::api::extract::Problems,
        (status = 409, description = "`not_final`: a draft; `einvoice_incomplete`: EN 16931 needs details the seller or the customer lacks, each named in `errors`", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
pub async fn invoice_facturx(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, ApiError> {
    let file = services
        .invoice_einvoice(&user, id, EInvoiceFormat::FacturX)
        .await?;
    Ok(download_response(file))
}
