//! The browser door's share of the NUL rule (`app::domain::text`): a query string or a form
//! post that holds an encoded NUL is refused whole, before a page or a server function reads
//! it, so neither database is ever asked to store one. The REST API checks its own JSON and
//! query strings and names the field.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::problem::Problem;

use crate::api::ApiError;

/// The largest form body read (axum's default body limit).
const MAX_FORM_BODY: usize = 2 * 1024 * 1024;

pub async fn layer(request: Request, next: Next) -> Response {
    if request
        .uri()
        .query()
        .is_some_and(|query| encodes_nul(query.as_bytes()))
    {
        return refused();
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BODY).await else {
        return ApiError(Problem::new(
            413,
            "payload_too_large",
            "The form is too large",
        ))
        .into_response();
    };
    if encodes_nul(&bytes) {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// URL-encoded text decodes to NUL only from `%00` (or a raw zero byte a client should not
/// send); a typed "%00" arrives as `%2500`.
fn encodes_nul(encoded: &[u8]) -> bool {
    encoded.contains(&0) || encoded.windows(3).any(|window| window == b"%00")
}

fn refused() -> Response {
    ApiError(Problem::new(
        422,
        "validation_error",
        app::domain::text::NUL_REFUSED,
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::encodes_nul;

    #[test]
    fn only_an_encoded_nul_is_refused() {
        assert!(encodes_nul(b"name=Acme%00&x=1"));
        assert!(encodes_nul(b"name=Acme\0"));
        assert!(!encodes_nul(b"name=100%2500+off"), "a typed %00 is text");
        assert!(!encodes_nul(b"amount=100.00&note=%C5%81%C3%B3d%C5%BA"));
    }
}
