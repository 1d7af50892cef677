//! `Idempotency-Key` on POST: a retry with the same key and body within 24 hours gets the first
//! answer again and changes nothing; the same key with another body is 422
//! `idempotency_key_reused`. Keys belong to the user of the bearer token.

use app::problem::Problem;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use sha2::{Digest, Sha256};

use super::ApiError;
use crate::services::Services;
use crate::storage::StoredResponse;

const HEADER: &str = "idempotency-key";
const KEEP_HOURS: i64 = 24;
/// Bodies larger than this are refused anyway by the JSON extractor's default limit.
const MAX_BODY: usize = 2 * 1024 * 1024;
/// Marks a key whose first request is still running.
const IN_FLIGHT: i32 = 0;

pub async fn layer(State(services): State<Services>, request: Request, next: Next) -> Response {
    let key = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (Some(key), true) = (key, request.method() == Method::POST) else {
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

    let storage = services.storage();
    let now = chrono::Utc::now();
    let internal = |_| fail(Problem::internal());
    {
        let mut tx = storage.write().await.map_err(internal)?;
        let existing = tx.stored_response(user.id, &key).await.map_err(internal)?;
        let stale = existing
            .as_ref()
            .is_some_and(|s| now - s.created_at >= Duration::hours(KEEP_HOURS));
        if let Some(stored) = existing.filter(|_| !stale) {
            if stored.request_hash != request_hash {
                return Err(fail(Problem::new(
                    422,
                    "idempotency_key_reused",
                    "This Idempotency-Key was used with another request body",
                )));
            }
            if stored.status == IN_FLIGHT {
                return Err(fail(Problem::new(
                    409,
                    "request_in_progress",
                    "The first request with this Idempotency-Key is still running",
                )));
            }
            return Ok(replay(&stored));
        }
        let claim = StoredResponse {
            request_hash: request_hash.clone(),
            status: IN_FLIGHT,
            body: String::new(),
            created_at: now,
        };
        if stale {
            tx.store_response(user.id, &key, &claim)
                .await
                .map_err(internal)?;
        } else if !tx
            .claim_response(user.id, &key, &claim)
            .await
            .map_err(internal)?
        {
            // Another request with this key got there first (PostgreSQL: it waited on our row).
            return Err(fail(Problem::new(
                409,
                "request_in_progress",
                "Another request with this Idempotency-Key is running",
            )));
        }
        tx.commit().await.map_err(internal)?;
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let stored = StoredResponse {
        request_hash,
        status: i32::from(parts.status.as_u16()),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        created_at: now,
    };
    // Server errors are not kept: a retry may then succeed.
    let keep = !parts.status.is_server_error();
    let mut tx = storage.write().await.map_err(internal)?;
    if keep {
        tx.store_response(user.id, &key, &stored)
            .await
            .map_err(internal)?;
    } else {
        tx.store_response(
            user.id,
            &key,
            &StoredResponse {
                created_at: now - Duration::hours(KEEP_HOURS),
                ..stored
            },
        )
        .await
        .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

fn replay(stored: &StoredResponse) -> Response {
    let status = u16::try_from(stored.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
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
