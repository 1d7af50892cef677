//! REST API v1 under `/api/v1`: a thin door onto the service layer. Errors leave as
//! `application/problem+json`, mapped in one place ([`ApiError`]).

mod auth;
mod credit_notes;
mod customers;
mod extract;
mod idempotency;
mod input;
mod invoices;
pub mod openapi;
mod pagination;
mod resources;
mod tax;

use std::sync::Arc;
use std::time::Duration;

use app::problem::Problem;
use axum::Router;
use axum::body::Body;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use governor::clock::QuantaInstant;
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::PeerIpKeyExtractor;

pub use extract::{ApiError, ApiJson, ApiPath, ApiQuery, ApiUser};

use crate::services::Services;

pub fn router(services: Services) -> Router {
    Router::new()
        .route(
            "/auth/token",
            post(auth::create_token)
                .layer(login_rate_limit())
                .delete(auth::revoke_token),
        )
        .route("/users", post(auth::create_user))
        .route(
            "/openapi.json",
            get(|| async { axum::Json(<openapi::ApiDoc as utoipa::OpenApi>::openapi()) }),
        )
        .route("/tax-rules", get(tax::read).put(tax::replace))
        .route("/customers", post(customers::create).get(customers::list))
        .route("/customers/{id}", get(customers::read))
        .route("/customers/{id}/credit-notes", get(customers::credit_notes))
        .route("/invoices", post(invoices::create).get(invoices::list))
        .route(
            "/invoices/{id}",
            get(invoices::read)
                .patch(invoices::edit)
                .delete(invoices::remove),
        )
        .route("/invoices/{id}/payments", post(invoices::pay))
        .route("/invoices/{id}/mark-paid", post(invoices::mark_paid))
        .route("/invoices/{id}/mark-pending", post(invoices::mark_pending))
        .route("/invoices/{id}/cancel", post(invoices::cancel))
        .route("/invoices/{id}/credit-notes", post(invoices::credit))
        .route("/invoices/{id}/timeline", get(invoices::timeline))
        .route(
            "/invoices/{id}/linkable-credit-notes",
            get(invoices::linkable),
        )
        .route("/invoices/{id}/allocations", post(invoices::link))
        .route(
            "/invoices/{id}/allocations/{allocation_id}",
            delete(invoices::unlink),
        )
        .route(
            "/credit-notes",
            post(credit_notes::create).get(credit_notes::list),
        )
        .route(
            "/credit-notes/{id}",
            get(credit_notes::read)
                .patch(credit_notes::edit)
                .delete(credit_notes::remove),
        )
        .route("/credit-notes/{id}/refunds", post(credit_notes::refund))
        .route("/credit-notes/{id}/cancel", post(credit_notes::cancel))
        .route("/credit-notes/{id}/timeline", get(credit_notes::timeline))
        .route("/credit-notes/{id}/submit", post(credit_notes::submit))
        .route("/credit-notes/{id}/finalize", post(credit_notes::finalize))
        .route("/credit-notes/{id}/comments", post(credit_notes::comment))
        .fallback(|| async { ApiError::from(app::problem::Problem::not_found("This API path")) })
        .layer(axum::middleware::from_fn_with_state(
            services.clone(),
            idempotency::layer,
        ))
        .with_state(services)
}

/// Slows password guessing from one address: a burst of 20 attempts, then one every 3 s.
/// (Per-account throttling lives in the service, so it holds across servers.)
pub fn login_rate_limit() -> GovernorLayer<PeerIpKeyExtractor, NoOpMiddleware<QuantaInstant>, Body>
{
    let config = GovernorConfigBuilder::default()
        .period(Duration::from_secs(3))
        .burst_size(20)
        .finish()
        .expect("a valid rate limit");
    GovernorLayer::new(Arc::new(config)).error_handler(|error| {
        let problem = match error {
            tower_governor::GovernorError::TooManyRequests { wait_time, .. } => Problem::new(
                429,
                "too_many_requests",
                format!("Too many sign-in attempts from this address; wait {wait_time} s"),
            ),
            _ => Problem::internal(),
        };
        ApiError(problem).into_response()
    })
}
