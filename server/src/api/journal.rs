//! The accounting journal (staff), its FEC export, and the chart of accounts (administrators).

use app::domain::journal::ChartOfAccounts;
use app::model::{BooksClosing, JournalEntryView};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::input::Fields;
use super::pagination::{List, page};
use super::{ApiError, ApiJson, ApiQuery, ApiUser};
use crate::services::Services;
use crate::storage::JournalFilter;

/// The journal's filters, for the OpenAPI document (the handler reads them from the query).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct JournalParams {
    /// Entries dated on or after this day.
    #[param(value_type = Option<String>, example = "2026-01-01")]
    from: Option<String>,
    /// Entries dated on or before this day.
    #[param(value_type = Option<String>, example = "2026-12-31")]
    to: Option<String>,
}

#[utoipa::path(
    get,
    operation_id = "list_journal_entries",
    path = "/journal",
    tag = "journal",
    params(JournalParams, crate::api::pagination::PageParams),
    responses((status = 200, body = List<JournalEntryView>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Journal entries in the order they were written, with their lines (staff).
pub async fn list(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
) -> Result<axum::Json<List<JournalEntryView>>, ApiError> {
    let mut fields = Fields::default();
    let paging = page(&mut fields, query.get("limit"), query.get("cursor"));
    let from = query.get("from").and_then(|text| fields.date("from", text));
    let to = query.get("to").and_then(|text| fields.date("to", text));
    fields.finish(|| Some(()))?;
    let filter = JournalFilter {
        from,
        to,
        after: paging.after,
        limit: paging.limit,
    };
    let items = services.journal(&user, filter).await?;
    Ok(axum::Json(List::new(items, paging, |entry| entry.id)))
}

/// The FEC's year, for the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FecParams {
    /// The fiscal year, named by the year it closes in (Settings: `fiscal_year_end`; the
    /// calendar year by default).
    #[param(example = 2026, minimum = 1, maximum = 9999)]
    year: i32,
}

#[utoipa::path(
    get,
    operation_id = "export_fec",
    path = "/exports/fec",
    tag = "journal",
    params(FecParams),
    responses(
        (status = 200, description = "The FEC file: 18 tab-separated columns, ISO 8859-15", content_type = "text/tab-separated-values", body = String),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// Every journal entry of a fiscal year as the French FEC file (staff).
pub async fn fec(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
) -> Result<axum::response::Response, ApiError> {
    fec_download(&services, &user, &query, FecPart::File).await
}

#[utoipa::path(
    get,
    operation_id = "export_fec_description",
    path = "/exports/fec/description",
    tag = "journal",
    params(FecParams),
    responses(
        (status = 200, description = "The description that goes with the FEC (LPF art. A47 A-1, II): each column's name, nature and meaning, the codes, the character set and separators; ISO 8859-15", content_type = "text/plain", body = String),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// The description of the FEC of a fiscal year (staff).
pub async fn fec_description(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
) -> Result<axum::response::Response, ApiError> {
    fec_download(&services, &user, &query, FecPart::Description).await
}

/// Which of a fiscal year's books files a download is.
#[derive(Clone, Copy, Debug)]
pub enum FecPart {
    /// The FEC itself.
    File,
    /// The description that goes with it.
    Description,
    /// The DATEV batch for a German tax adviser.
    Datev,
}

/// The tax adviser and client `?consultant=&client=` name, each in DATEV's range.
fn datev_client(query: &ApiQuery) -> Result<crate::services::DatevClient, ApiError> {
    use crate::services::DatevClient;
    let mut fields = Fields::default();
    let mut number = |field: &str, range: std::ops::RangeInclusive<u32>, what: &str| {
        let parsed = query
            .get(field)
            .and_then(|text| text.trim().parse::<u32>().ok())
            .filter(|number| range.contains(number));
        if parsed.is_none() {
            fields.error(
                field,
                format!(
                    "Give the {what} at DATEV, a number from {} to {}",
                    range.start(),
                    range.end()
                ),
            );
        }
        parsed
    };
    let consultant = number(
        "consultant",
        DatevClient::CONSULTANTS,
        "tax adviser's number (Beraternummer)",
    );
    let client = number(
        "client",
        DatevClient::CLIENTS,
        "client's number (Mandantennummer)",
    );
    fields.finish(|| {
        Some(DatevClient {
            consultant: consultant?,
            client: client?,
        })
    })
}

#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DatevParams {
    /// The fiscal year, named by the year it closes in.
    #[param(example = 2026, minimum = 1, maximum = 9999)]
    year: i32,
    /// The tax adviser's number at DATEV (Beraternummer).
    #[param(example = 29098, minimum = 1001, maximum = 9999999)]
    consultant: u32,
    /// The client's number at DATEV (Mandantennummer).
    #[param(example = 55003, minimum = 1, maximum = 99999)]
    client: u32,
}

#[utoipa::path(
    get,
    operation_id = "export_datev",
    path = "/exports/datev",
    tag = "journal",
    params(DatevParams),
    responses(
        (status = 200, description = "The journal of the fiscal year as a DATEV Buchungsstapel (EXTF 700, format version 13): amounts in euros, customers on debtor accounts; Windows-1252, `;`-separated, CRLF", content_type = "text/csv", body = inline(crate::api::extract::FileBytes)),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// Every journal entry of a fiscal year as a DATEV batch for a German tax adviser (staff).
pub async fn datev(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    query: ApiQuery,
) -> Result<axum::response::Response, ApiError> {
    fec_download(&services, &user, &query, FecPart::Datev).await
}

/// The fiscal year `?year=` names, or a 422 on `year`.
fn fec_year(query: &ApiQuery) -> Result<i32, ApiError> {
    let mut fields = Fields::default();
    let year = match query.get("year") {
        None => {
            fields.error("year", "Name the year, like ?year=2026");
            None
        }
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|year| (1..=9999).contains(year))
            .or_else(|| {
                fields.error("year", "Use a year like 2026");
                None
            }),
    };
    fields.finish(|| year)
}

/// The FEC (or its description) of the `year` the query names, as a download (the API's and
/// the journal page's).
pub async fn fec_download(
    services: &Services,
    user: &app::model::CurrentUser,
    query: &ApiQuery,
    part: FecPart,
) -> Result<axum::response::Response, ApiError> {
    let year = fec_year(query)?;
    let (file_name, content_type, body) = match part {
        FecPart::File => {
            let file = services.fec(user, year).await?;
            (
                file.file_name,
                "text/tab-separated-values; charset=iso-8859-15",
                axum::body::Body::from_stream(file.chunks),
            )
        }
        FecPart::Description => {
            let (file_name, bytes) = services.fec_description(user, year).await?;
            (
                file_name,
                "text/plain; charset=iso-8859-15",
                axum::body::Body::from(bytes),
            )
        }
        FecPart::Datev => {
            let file = services.datev(user, year, datev_client(query)?).await?;
            (
                file.file_name,
                "text/csv; charset=windows-1252",
                axum::body::Body::from_stream(file.chunks),
            )
        }
    };
    Ok((
        [(header::CONTENT_TYPE, content_type)],
        [(
            header::CONTENT_DISPOSITION,
            crate::content_disposition::attachment(&file_name),
        )],
        body,
    )
        .into_response())
}

#[utoipa::path(
    get,
    operation_id = "read_accounts",
    path = "/settings/accounts",
    tag = "settings",
    responses((status = 200, body = ChartOfAccounts), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// The accounts journal entries are written to (administrators).
pub async fn accounts(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
) -> Result<axum::Json<ChartOfAccounts>, ApiError> {
    Ok(axum::Json(services.chart_of_accounts(&user).await?))
}

#[utoipa::path(
    put,
    operation_id = "replace_accounts",
    path = "/settings/accounts",
    tag = "settings",
    request_body = ChartOfAccounts,
    responses((status = 200, body = ChartOfAccounts), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Changes the accounts later entries are written to (administrators).
pub async fn set_accounts(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(chart): ApiJson<ChartOfAccounts>,
) -> Result<axum::Json<ChartOfAccounts>, ApiError> {
    Ok(axum::Json(
        services.set_chart_of_accounts(&user, chart).await?,
    ))
}

#[utoipa::path(
    get,
    operation_id = "read_closing_date",
    path = "/settings/closing-date",
    tag = "settings",
    responses((status = 200, body = BooksClosing), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// How far the books are closed: nothing is posted on or before that date (staff).
pub async fn closing_date(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
) -> Result<axum::Json<BooksClosing>, ApiError> {
    Ok(axum::Json(services.books_closing(&user).await?))
}

/// A new closing date.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBooks {
    /// YYYY-MM-DD: later than the current closing date, before today.
    pub closed_through: chrono::NaiveDate,
}

#[utoipa::path(
    put,
    operation_id = "close_books",
    path = "/settings/closing-date",
    tag = "settings",
    request_body = CloseBooks,
    responses((status = 200, body = BooksClosing), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Closes the books through a date (administrators); a closing date only moves forward.
pub async fn close_books(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<CloseBooks>,
) -> Result<axum::Json<BooksClosing>, ApiError> {
    Ok(axum::Json(
        services.close_books(&user, body.closed_through).await?,
    ))
}
