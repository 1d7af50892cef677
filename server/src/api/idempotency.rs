//! `Idempotency-Key` on POST: a retry with the same key and request within 24 hours gets the
//! first answer again and changes nothing; the same key with another request (method, path,
//! query, content type or body) is 422 `idempotency_key_reused`. Keys belong to the user of the
//! bearer token.

use app::problem::Problem;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
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
/// The largest answer kept for replay: as large as the largest request.
const MAX_KEPT: usize = MAX_BODY;
/// Kept instead of an answer too large to keep.
const ANSWER_TOO_LARGE: &str = "idempotency_answer_too_large";

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
    let request_hash = fingerprint(&parts, &bytes);

    let internal = |error: crate::services::ServiceError| fail(Problem::from(error));
    let _lease = match services
        .claim_idempotency_key(user.id, &key, &request_hash)
        .await
        .map_err(internal)?
    {
        KeyClaim::Run(lease) => lease,
        KeyClaim::Replay(stored) => return Ok(replay(&stored)),
        KeyClaim::Reused => {
            return Err(fail(Problem::new(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used with another request",
            )));
        }
        KeyClaim::InProgress => {
            return Err(fail(Problem::new(
                409,
                "request_in_progress",
                "The first request with this Idempotency-Key is still running",
            )));
        }
    };

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = response.into_parts();
    // Answers are built in memory; this one is read whole so the caller gets all of it.
    let answer = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => {
            // A server error: a retry may take the key over.
            let (status, kept) = problem_answer(Problem::internal()).await;
            services
                .finish_idempotent_request(user.id, &key, &request_hash, status, kept)
                .await
                .map_err(internal)?;
            return Err(fail(Problem::internal()));
        }
    };
    let (status, kept) = match std::str::from_utf8(&answer) {
        Ok(text) if answer.len() <= MAX_KEPT => (parts.status.as_u16(), text.to_string()),
        // A retry gets a problem that says so, never an empty or cut answer.
        _ => {
            problem_answer(Problem::new(
                409,
                ANSWER_TOO_LARGE,
                "The first request with this Idempotency-Key ran, but its answer was too large \
                 to keep for a retry; read the result instead",
            ))
            .await
        }
    };
    services
        .finish_idempotent_request(user.id, &key, &request_hash, status, kept)
        .await
        .map_err(internal)?;
    Ok(Response::from_parts(parts, Body::from(answer)))
}

/// What identifies a request besides its key: method, path, query, content type and body,
/// each length-prefixed so no two requests run together into the same bytes.
fn fingerprint(parts: &Parts, body: &[u8]) -> String {
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .map(HeaderValue::as_bytes)
        .unwrap_or_default();
    let mut hasher = Sha256::new();
    for field in [
        parts.method.as_str().as_bytes(),
        parts.uri.path().as_bytes(),
        parts.uri.query().unwrap_or_default().as_bytes(),
        content_type,
        body,
    ] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A problem as a kept answer: its status and JSON.
async fn problem_answer(problem: Problem) -> (u16, String) {
    let status = problem.status;
    let body = ApiError(problem).into_response().into_body();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    (status, String::from_utf8_lossy(&bytes).into_owned())
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
