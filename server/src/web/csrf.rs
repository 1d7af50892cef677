//! Cross-site request forgery: server functions and form posts are authenticated by the session
//! cookie, and SameSite=Strict alone lets sibling subdomains (same-site) post, and anyone post
//! a sign-in. A state-changing request is refused when the browser says it comes from
//! elsewhere: `Sec-Fetch-Site` other than same-origin (or none: typed by the user), or, from
//! browsers that do not send that, an `Origin` whose host is not the request's `Host`. Requests with neither header (curl, scripts, very old
//! browsers) pass: they carry no cookie a third party could abuse. The REST API takes bearer
//! tokens, not cookies, and is not behind this layer.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::problem::Problem;

use crate::api::ApiError;

/// The problem code of a refused cross-origin request.
pub const CROSS_ORIGIN_CODE: &str = "cross_origin_request";

/// Why a request looks cross-origin, or `None` when it may go on.
pub fn cross_origin(method: &Method, headers: &HeaderMap) -> Option<&'static str> {
    if matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return None;
    }
    // The browser's own verdict, which pages cannot forge, decides when it is there (so a
    // proxy that rewrites Host does not matter); otherwise the Origin is compared with Host.
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.to_str().map(str::to_ascii_lowercase).as_deref() {
            Ok("same-origin" | "none") => None,
            _ => Some("Sec-Fetch-Site"),
        };
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let same = origin
            .to_str()
            .ok()
            .and_then(origin_authority)
            .zip(host)
            .is_some_and(|(origin, host)| origin.eq_ignore_ascii_case(host));
        if !same {
            return Some("Origin");
        }
    }
    None
}

/// `host[:port]` of an `Origin` value like `https://desk.example.com:8443`; `None` for `null`
/// and anything else that is not `scheme://authority`.
fn origin_authority(origin: &str) -> Option<&str> {
    let (scheme, rest) = origin.split_once("://")?;
    let valid = matches!(scheme, "http" | "https") && !rest.is_empty() && !rest.contains('/');
    valid.then_some(rest)
}

/// Refuses cross-origin unsafe requests with 403 `cross_origin_request`.
pub async fn layer(request: Request, next: Next) -> Response {
    if let Some(header) = cross_origin(request.method(), request.headers()) {
        tracing::warn!(
            method = %request.method(),
            path = request.uri().path(),
            header,
            "cross-origin request refused"
        );
        return ApiError(Problem::new(
            403,
            CROSS_ORIGIN_CODE,
            "This request came from another site and was refused",
        ))
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("desk.example.com"));
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn same_origin_and_header_less_posts_pass() {
        let post = Method::POST;
        assert_eq!(cross_origin(&post, &headers(&[])), None);
        assert_eq!(
            cross_origin(&post, &headers(&[("origin", "https://desk.example.com")])),
            None
        );
        assert_eq!(
            cross_origin(&post, &headers(&[("sec-fetch-site", "same-origin")])),
            None
        );
    }

    #[test]
    fn foreign_posts_are_refused_and_reads_are_not() {
        let post = Method::POST;
        for (name, value) in [
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-site", "same-site"),
            ("origin", "https://evil.example.com"),
            ("origin", "https://sub.desk.example.com"),
            ("origin", "null"),
        ] {
            assert!(
                cross_origin(&post, &headers(&[(name, value)])).is_some(),
                "{name}: {value}"
            );
        }
        assert!(
            cross_origin(
                &Method::DELETE,
                &headers(&[("origin", "https://x.example")])
            )
            .is_some()
        );
        assert_eq!(
            cross_origin(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")])),
            None
        );
    }
}
