//! `Idempotency-Key` on POST: a retry with the same key and body within 24 hours gets the first
//! answer again and changes nothing; the same key with another body is 422
//! `idempotency_key_reused`. Keys belong to the user of the bearer token.

use app::problem::Problem;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::ApiError;
use crate::services::{KeyClaim, Services, StoredAnswer};

const HEADER: &str = "idempotency-key";
/// Endpoints whose answers carry secrets.
const SECRET_PATHS: &[&str] = &["/auth/token"];
/// Bodies larger than this are refused anyway by the JSON extractor's default limit.
const MAX_BODY: usize = 2 * 1024 * 1024;

pub async fn layer(State(services): State<Services>, request: Request, next: Next) -> Response {
    let key = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Answers that hold a secret (a new API token) are never stored, so never replayed.
    let holds_secret = SECRET_PATHS
        .iter()
        .any(|path| request.uri().path().ends_with(path));
    let (Some(key), true, false) = (key, request.method() == Method::POST, holds_secret) else {
        return next.run(request).await;
    };
    match replay_or_run(&services, key, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn replay_or_run(
    services: &Services,
    key: String,
    request: Request,
    next: Next,
) -> Result<Response, Response> {
    let fail = |problem: Problem| ApiError(problem).into_response();
    if key.is_empty() || key.len() > 255 {
        return Err(fail(Problem::validation(
            "Idempotency-Key",
            "Use a key of 1 to 255 characters",
        )));
    }
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    // Without a valid user, the handler answers 401 itself; nothing is stored.
    let Ok(Some(user)) = services.user_for_token(&token).await else {
        return Ok(next.run(request).await);
    };
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.map_err(|_| {
        fail(Problem::new(
            413,
            "payload_too_large",
            "The body is too large",
        ))
    })?;
    let mut hasher = Sha256::new();
    hasher.update(parts.uri.path().as_bytes());
    hasher.update([0]);
    hasher.update(&bytes);
    let request_hash: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let internal = |error: crate::services::ServiceError| fail(Problem::from(error));
    match services
        .claim_idempotency_key(user.id, &key, &request_hash)
        .await
        .map_err(internal)?
    {
        KeyClaim::Run => {}
        KeyClaim::Replay(stored) => return Ok(replay(&stored)),
        KeyClaim::Reused => {
            return Err(fail(Problem::new(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used with another request body",
            )));
        }
        KeyClaim::InProgress => {
            return Err(fail(Problem::new(
                409,
                "request_in_progress",
                "The first request with this Idempotency-Key is still running",
            )));
        }
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    services
        .finish_idempotent_request(
            user.id,
            &key,
            &request_hash,
            parts.status.as_u16(),
            String::from_utf8_lossy(&bytes).into_owned(),
        )
        .await
        .map_err(internal)?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

fn replay(stored: &StoredAnswer) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    let mut response = (status, stored.body.clone()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}
