//! The status layer of server functions: a refusal answers with its own status.

use app::problem::Problem;
use axum::response::IntoResponse;

/// Server functions answer every error with 500; a refusal carries its real status (401,
/// 403, 404, 409, 422) in the problem it returns. This gives the response that status, so
/// clients and logs tell a refused request from a server failure. Plain form posts are
/// redirects and pass untouched.
pub(super) async fn problem_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_rpc = request.uri().path().starts_with("/rpc/");
    let response = next.run(request).await;
    if !is_rpc || response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Problems are small; anything larger is not one.
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(_) => return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if let Ok(problem) = serde_json::from_slice::<Problem>(&bytes)
        && let Ok(status) = axum::http::StatusCode::from_u16(problem.status)
        && (status.is_client_error() || status.is_server_error())
    {
        parts.status = status;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}
