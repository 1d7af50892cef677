//! Exchange rates foreign documents are booked at: read (staff), kept by hand or imported from
//! the ECB's reference rates file (administrators).

use app::domain::exchange::ExchangeRate;
use axum::extract::State;

use super::input::Fields;
use super::{ApiError, ApiJson, ApiQuery, ApiUser};
use crate::services::Services;
use crate::storage::RateFilter;

/// The rates' filters, for the OpenAPI document (the handler reads them from the query).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RateParams {
    /// One currency's rates.
    #[param(value_type = Option<String>, example = "USD")]
    currency: Option<String>,
    /// Rates of this day or later.
    #[param(value_type = Option<String>, example = "2026-01-01")]
    from: Option<String>,
    /// Rates of this day or earlier.
    #[param(value_type = Option<String>, example = "2026-12-31")]
    to: Option<String>,
    /// At most this many (100 by default, 500 at most).
    #[param(value_type = Option<i64>, example = 100)]
    limit: Option<i64>,
}

/// Rates, newest first.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ExchangeRates {
    pub items: Vec<ExchangeRate>,
}

/// Rates to keep.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveRates {
    /// Each replaces the rate of its currency and day.
    pub rates: Vec<ExchangeRate>,
}

/// How many rates were kept.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RatesSaved {
    pub saved: usize,
}

#[utoipa::path(
    get,
    operation_id = "list_exchange_rates",
    path = "/exchange-rates",
    tag = "settings",
    params(RateParams),
    responses((status = 200, body = ExchangeRates), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// The exchange rates kept, newest first (staff): units of the currency one euro buys.
pub async fn list(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
) -> Result<axum::Json<ExchangeRates>, ApiError> {
    let mut fields = Fields::default();
    let currency = query
        .get("currency")
        .and_then(|text| fields.currency("currency", text));
    let from = query.get("from").and_then(|text| fields.date("from", text));
    let to = query.get("to").and_then(|text| fields.date("to", text));
    let limit = match query.get("limit") {
        None => Some(100),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|limit| (1..=crate::services::MAX_RATES_LISTED).contains(limit))
            .or_else(|| {
                fields.error("limit", "A limit is a number from 1 to 500");
                None
            }),
    };
    let limit = fields.finish(|| limit)?;
    let filter = RateFilter {
        currency,
        from,
        to,
        limit,
    };
    let items = services.exchange_rates(&user, filter).await?;
    Ok(axum::Json(ExchangeRates { items }))
}

#[utoipa::path(
    put,
    operation_id = "save_exchange_rates",
    path = "/exchange-rates",
    tag = "settings",
    request_body = SaveRates,
    responses((status = 200, body = RatesSaved), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Keeps rates, each replacing the rate of its currency and day (administrators). Documents
/// already booked keep the rate they were booked at.
pub async fn save(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<SaveRates>,
) -> Result<axum::Json<RatesSaved>, ApiError> {
    let saved = services.save_exchange_rates(&user, body.rates).await?;
    Ok(axum::Json(RatesSaved { saved }))
}

#[utoipa::path(
    post,
    operation_id = "import_ecb_rates",
    path = "/exchange-rates/ecb",
    tag = "settings",
    request_body(content = super::extract::FileUpload, content_type = "multipart/form-data", description = "The field `file`: an ECB reference rates file as downloaded (eurofxref.csv, eurofxref-hist.csv, or an eurofxref XML file), at most 5 MiB"),
    responses(
        (status = 200, body = RatesSaved),
        (status = 413, description = "Larger than 5 MiB", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// Imports the ECB's euro reference rates (administrators): every rate of the file is kept.
pub async fn import_ecb(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<axum::Json<RatesSaved>, ApiError> {
    let (_, content) = crate::api::RATES_FILE.file(form).await?;
    let saved = services.import_ecb_rates(&user, &content).await?;
    Ok(axum::Json(RatesSaved { saved }))
}
