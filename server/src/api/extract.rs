//! What every API handler shares: problem+json errors, a JSON body extractor whose rejections
//! are problems too, and the bearer-token user.

use app::domain::{FieldPath, text};
use app::model::CurrentUser;
use app::problem::Problem;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::services::{ServiceError, Services};

/// An API failure, answered as RFC 9457 problem details.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl From<Problem> for ApiError {
    fn from(problem: Problem) -> Self {
        ApiError(problem)
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        let retry_after = match &error {
            ServiceError::Throttled {
                retry_after_seconds,
            }
            | ServiceError::RateLimited {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            _ => None,
        };
        let mut problem = Problem::from(error);
        if let Some(seconds) = retry_after {
            problem.detail = format!("{} (Retry-After: {seconds})", problem.detail);
        }
        ApiError(problem)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = self.0;
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = serde_json::json!({
            "type": format!("https://creditdesk.invalid/problems/{}", problem.code),
            "title": problem.title,
            "status": problem.status,
            "detail": problem.detail,
            "code": problem.code,
        });
        if !problem.errors.is_empty() {
            body["errors"] = serde_json::to_value(&problem.errors).unwrap_or_default();
        }
        let mut response = (status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A JSON body; malformed JSON is 400, a body of the wrong shape (unknown or missing fields,
/// wrong types) or a text holding NUL 422, all as problems.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(body) = axum::Json::<serde_json::Value>::from_request(request, state)
            .await
            .map_err(|rejection| ApiError(json_problem(&rejection)))?;
        if let Some(field) = text_holding_nul(&body, FieldPath::default()) {
            return Err(ApiError(Problem::from(vec![text::nul_violation(field)])));
        }
        serde_path_to_error::deserialize(body)
            .map(ApiJson)
            .map_err(|error| {
                ApiError(Problem::new(
                    422,
                    "validation_error",
                    format!("Failed to deserialize the JSON body into the target type: {error}"),
                ))
            })
    }
}

/// Where in a JSON document a key or a string holds NUL, if anywhere.
fn text_holding_nul(value: &serde_json::Value, path: FieldPath) -> Option<FieldPath> {
    match value {
        serde_json::Value::String(text) => text::holds_nul(text).then_some(path),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| text_holding_nul(item, path.clone().at(index))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(name, item)| {
            if text::holds_nul(name) {
                Some(path.clone().join(&name.replace('\0', "")))
            } else {
                text_holding_nul(item, path.clone().join(name))
            }
        }),
        _ => None,
    }
}

fn json_problem(rejection: &JsonRejection) -> Problem {
    match rejection {
        JsonRejection::JsonDataError(error) => {
            Problem::new(422, "validation_error", error.body_text())
        }
        JsonRejection::MissingJsonContentType(_) => Problem::new(
            415,
            "unsupported_media_type",
            "Send the body as application/json",
        ),
        other => Problem::new(400, "bad_request", other.body_text()),
    }
}

/// The user of a valid `Authorization: Bearer` token; 401 `unauthorized` otherwise.
pub struct ApiUser(pub CurrentUser);

/// The bearer token of the request, if it has one.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

impl FromRequestParts<Services> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        services: &Services,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(parts).ok_or(ServiceError::Unauthorized)?;
        let user = services
            .user_for_token(token)
            .await?
            .ok_or(ServiceError::Unauthorized)?;
        Ok(ApiUser(user))
    }
}

/// Path parameters; an id that is not a number names nothing, so it is 404 `not_found`.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(ApiError(Problem::not_found("That resource"))),
        }
    }
}

/// The query string as name → value; the handlers parse each value with field errors.
pub struct ApiQuery(pub std::collections::HashMap<String, String>);

impl<S> FromRequestParts<S> for ApiQuery
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::from_request_parts(parts, state).await {
            Ok(axum::extract::Query::<std::collections::HashMap<String, String>>(map)) => {
                let holding_nul = map
                    .iter()
                    .find(|(name, value)| text::holds_nul(name) || text::holds_nul(value));
                match holding_nul {
                    Some((name, _)) => Err(ApiError(Problem::from(vec![text::nul_violation(
                        name.replace('\0', ""),
                    )]))),
                    None => Ok(ApiQuery(map)),
                }
            }
            Err(rejection) => Err(ApiError(Problem::new(
                400,
                "bad_request",
                rejection.body_text(),
            ))),
        }
    }
}

impl ApiQuery {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }
}

/// How every API error looks (RFC 9457), for the OpenAPI document.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ProblemDetails {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The machine code: a broken rule (422, 409), or what went wrong with the request.
    #[schema(value_type = ProblemCode)]
    pub code: String,
    pub errors: Option<Vec<FieldError>>,
}

/// Every problem `code` the API answers with, for the OpenAPI document: answers are checked
/// against it (schemathesis). The broken rules come from the domain's `RuleCode`, so a new rule
/// is documented without being listed twice; the rest are about the request itself.
pub struct ProblemCode;

/// The codes that are not domain rules.
const REQUEST_CODES: &[&str] = &[
    "bad_request",
    "unauthorized",
    "forbidden",
    "conflict",
    "request_in_progress",
    "idempotency_key_reused",
    "idempotency_answer_too_large",
    "payload_too_large",
    "unsupported_media_type",
    "too_many_requests",
    "template_error",
    "seller_missing",
    "not_final",
    "einvoice_incomplete",
    "import_invalid",
    "internal_error",
];

impl utoipa::PartialSchema for ProblemCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let codes = app::domain::RuleCode::ALL
            .iter()
            .map(|rule| rule.as_str())
            .chain(REQUEST_CODES.iter().copied());
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(codes))
            .into()
    }
}

impl utoipa::ToSchema for ProblemCode {}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
    /// For a typed value the shared reader refused, which of its rules: `rule` is one of
    /// `required`, `too_long` (with `max`), `not_a_number`, `too_many_decimals` (with
    /// `scale`), `negative`, `not_positive`, `too_large`, `not_a_date`, `not_a_currency`,
    /// `not_an_id`.
    #[schema(value_type = Option<Object>, example = json!({"rule": "too_many_decimals", "scale": 2}))]
    pub says: Option<serde_json::Value>,
}

// A file sent or answered as it is, for the OpenAPI document: `type: string, format: binary`,
// which client generators turn into a file or bytes (`Vec<u8>` would read as an array of
// integers). Not a doc comment: that would be printed with every file.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileBytes(Vec<u8>);

// The multipart uploads, for the OpenAPI document.
/// A form with the file in the field `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FileUpload {
    /// The file's bytes; its type is recognised by its content, not its name.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// The errors every authenticated endpoint may answer, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Problems {
    #[response(
        status = 401,
        description = "No or an invalid token",
        content_type = "application/problem+json"
    )]
    Unauthorized(ProblemDetails),
    #[response(
        status = 403,
        description = "The role does not allow this",
        content_type = "application/problem+json"
    )]
    Forbidden(ProblemDetails),
    #[response(
        status = 404,
        description = "Unknown id",
        content_type = "application/problem+json"
    )]
    NotFound(ProblemDetails),
    #[response(
        status = 409,
        description = "The document's state does not allow this, or another request changed it first",
        content_type = "application/problem+json"
    )]
    Conflict(ProblemDetails),
    #[response(
        status = 422,
        description = "Invalid input or a broken rule",
        content_type = "application/problem+json"
    )]
    Invalid(ProblemDetails),
}
