use app::domain::Language;
use app::model::{Address, CustomerView};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::input::Fields;
use super::pagination::{List, page};
use super::resources::CreditNoteResource;
use super::{ApiError, ApiJson, ApiPath, ApiQuery, ApiUser};
use crate::services::CreditNoteFilter;
use crate::services::{Caller, NewCustomerInput, Services};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerRequest {
    name: String,
    #[serde(default)]
    email: Option<String>,
    currency: String,
    tax_region: String,
    /// The customer's VAT identification number (printed on its documents).
    #[serde(default)]
    #[schema(example = "FR40303265045")]
    vat_id: Option<String>,
    /// The customer's SIREN (9 digits, checked by INSEE's key), printed on its documents as
    /// the 2026 e-invoicing reform asks (BT-47). A French VAT number carries it already.
    #[serde(default)]
    #[schema(example = "303265045")]
    siren: Option<String>,
    /// A private person, not a business: documents to a business established in France need
    /// its SIREN (or its French VAT number); a private person's do not.
    #[serde(default)]
    consumer: bool,
    billing_address: Address,
    #[serde(default)]
    shipping_address: Option<Address>,
    /// What its documents, e-mails and reminders are written in (`en`, `fr`, `de`); absent:
    /// its tax region's language where creditdesk speaks it, else English.
    #[serde(default)]
    document_language: Option<Language>,
}

/// The fields to change; absent fields keep their value, `null` clears an optional one.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    #[serde(default)]
    name: Option<String>,
    #[serde(default, deserialize_with = "super::input::present")]
    email: Option<Option<String>>,
    /// Fixed once invoices or credit notes of the customer exist (409
    /// `customer_currency_fixed`).
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    tax_region: Option<String>,
    #[serde(default, deserialize_with = "super::input::present")]
    vat_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::input::present")]
    siren: Option<Option<String>>,
    #[serde(default)]
    consumer: Option<bool>,
    #[serde(default)]
    billing_address: Option<Address>,
    #[serde(default)]
    shipping_address: Option<Address>,
    #[serde(default)]
    document_language: Option<Language>,
}

#[utoipa::path(
    post,
    operation_id = "create_customer",
    path = "/customers",
    tag = "customers",
    request_body = CustomerRequest,
    responses((status = 201, body = app::model::CustomerView), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn create(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<CustomerRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let mut fields = Fields::default();
    let currency = fields.currency("currency", &request.currency);
    let input = fields.finish(|| {
        Some(NewCustomerInput {
            name: request.name.trim().to_string(),
            email: request.email.filter(|e| !e.trim().is_empty()),
            currency: currency?,
            tax_region: request.tax_region.trim().to_string(),
            vat_id: request
                .vat_id
                .map(|id| id.trim().to_string())
                .filter(|id| !id.is_empty()),
            siren: request.siren,
            consumer: request.consumer,
            shipping_address: request
                .shipping_address
                .unwrap_or_else(|| request.billing_address.clone()),
            billing_address: request.billing_address,
            document_language: request.document_language,
        })
    })?;
    let id = services.create_customer(Caller::User(&user), input).await?;
    let customer = services.customer(&user, id).await?;
    Ok((StatusCode::CREATED, axum::Json(customer)))
}

#[utoipa::path(
    patch,
    operation_id = "update_customer",
    path = "/customers/{id}",
    tag = "customers",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = CustomerPatch,
    responses((status = 200, body = CustomerView), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn update(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<CustomerPatch>,
) -> Result<axum::Json<CustomerView>, ApiError> {
    let current = services.customer(&user, id).await?;
    let mut fields = Fields::default();
    let currency = match patch.currency.as_deref() {
        Some(code) => fields.currency("currency", code),
        None => Some(current.currency),
    };
    let input = fields.finish(|| {
        Some(NewCustomerInput {
            name: patch.name.unwrap_or(current.name),
            email: patch.email.unwrap_or(current.email),
            currency: currency?,
            tax_region: patch.tax_region.unwrap_or(current.tax_region),
            vat_id: patch.vat_id.unwrap_or(current.vat_id),
            siren: patch.siren.unwrap_or(current.siren),
            consumer: patch.consumer.unwrap_or(current.consumer),
            billing_address: patch.billing_address.unwrap_or(current.billing_address),
            shipping_address: patch.shipping_address.unwrap_or(current.shipping_address),
            document_language: Some(patch.document_language.unwrap_or(current.document_language)),
        })
    })?;
    let updated = services
        .update_customer(Caller::User(&user), id, input)
        .await?;
    Ok(axum::Json(updated))
}

#[utoipa::path(
    get,
    operation_id = "list_customers",
    path = "/customers",
    tag = "customers",
    params(crate::api::pagination::PageParams),
    responses((status = 200, body = List<CustomerView>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn list(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
) -> Result<axum::Json<List<CustomerView>>, ApiError> {
    let mut fields = Fields::default();
    let page = page(&mut fields, query.get("limit"), query.get("cursor"));
    fields.finish(|| Some(()))?;
    let items = services.list_customers(&user, page).await?;
    Ok(axum::Json(List::new(items, page, |c| c.id)))
}

#[utoipa::path(
    get,
    operation_id = "read_customer",
    path = "/customers/{id}",
    tag = "customers",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses((status = 200, body = CustomerView), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn read(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<CustomerView>, ApiError> {
    Ok(axum::Json(services.customer(&user, id).await?))
}

#[utoipa::path(
    get,
    operation_id = "list_customer_credit_notes",
    path = "/customers/{id}/credit-notes",
    tag = "customers",
    params(("id" = i64, Path, description = "The id", example = 1), crate::api::pagination::PageParams),
    responses((status = 200, body = List<CreditNoteResource>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn credit_notes(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    query: ApiQuery,
) -> Result<axum::Json<List<CreditNoteResource>>, ApiError> {
    // Reading the customer checks the role (staff only).
    services.customer(&user, id).await?;
    let mut fields = Fields::default();
    let page = page(&mut fields, query.get("limit"), query.get("cursor"));
    fields.finish(|| Some(()))?;
    let filter = CreditNoteFilter {
        customer_id: Some(id),
        ..Default::default()
    };
    let items = services.list_credit_notes(&user, filter, page).await?;
    Ok(axum::Json(List::new(
        items.into_iter().map(CreditNoteResource::from).collect(),
        page,
        |n| n.note.id,
    )))
}

/// Whether the customer's users may use the customer portal.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalSwitch {
    enabled: bool,
}

/// Turns the customer portal on or off for this customer. Off, the customer's users cannot
/// sign in, and their open sessions and API tokens stop at once.
#[utoipa::path(
    put,
    operation_id = "set_customer_portal",
    path = "/customers/{id}/portal",
    tag = "customers",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = PortalSwitch,
    responses((status = 200, body = CustomerView), crate::api::extract::Problems),
    security(("bearer" = []))
)]
pub async fn set_portal(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(switch): ApiJson<PortalSwitch>,
) -> Result<axum::Json<CustomerView>, ApiError> {
    services
        .set_customer_portal(&user, id, switch.enabled)
        .await?;
    Ok(axum::Json(services.customer(&user, id).await?))
}
