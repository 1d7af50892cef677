//! Security headers. Every answer: no framing, no MIME sniffing, no referrer sent to other
//! sites, and HSTS when the site is served over HTTPS. HTML pages also get a
//! Content-Security-Policy: scripts only from the site itself or inline with this request's
//! nonce (Leptos writes it on the hydration script and on the data scripts it streams), the
//! wasm allowed to compile, styles only from the site's stylesheet, and no framing at all.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use tower_http::set_header::SetResponseHeaderLayer;

/// One year; browsers then refuse plain HTTP to the site for that long.
const HSTS: &str = "max-age=31536000";

/// The headers every answer carries; `https`: the site is served over HTTPS (secure cookies).
pub fn every_answer(router: Router, https: bool) -> Router {
    let fixed = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(fixed(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(header::X_FRAME_OPTIONS, "DENY"))
        .layer(fixed(header::REFERRER_POLICY, "same-origin"))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &Response| https.then(|| HeaderValue::from_static(HSTS)),
        ))
}

/// The policy of an HTML page whose inline scripts carry `nonce`. `'wasm-unsafe-eval'` lets
/// the app's WebAssembly compile; it does not allow `eval` of JavaScript.
fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Gives the request a fresh nonce (for the page to write, see [`provide_nonce`]) and an HTML
/// answer the policy that allows it.
pub async fn content_security_policy(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if is_html && let Ok(policy) = HeaderValue::from_str(&page_policy(&nonce)) {
        response
            .headers_mut()
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(policy);
    }
    response
}

/// In a page's render: makes Leptos write the request's nonce (instead of one of its own,
/// which no header would name).
pub fn provide_nonce() {
    let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        leptos::prelude::provide_context(nonce);
    }
}
