//! Slows password guessing from one address, whichever door it uses (the browser's sign-in
//! server function or `POST /api/v1/auth/token`): a burst of 20 attempts, then one every
//! 3 seconds. Per-account throttling lives in the service, so it holds across servers.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use app::problem::Problem;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter};

use super::ApiError;

/// The sign-in paths, as the router sees them.
const SIGN_IN_PATHS: [&str; 2] = ["/rpc/login", "/api/v1/auth/token"];

#[derive(Clone)]
pub struct SignInLimit {
    limiter: Arc<
        RateLimiter<IpAddr, governor::state::keyed::DefaultKeyedStateStore<IpAddr>, DefaultClock>,
    >,
}

impl Default for SignInLimit {
    fn default() -> Self {
        let quota = Quota::with_period(Duration::from_secs(3))
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(20).expect("a non-zero burst"));
        SignInLimit {
            limiter: Arc::new(RateLimiter::keyed(quota)),
        }
    }
}

pub async fn layer(State(limit): State<SignInLimit>, request: Request, next: Next) -> Response {
    let signing_in =
        request.method() == Method::POST && SIGN_IN_PATHS.contains(&request.uri().path());
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let (true, Some(ip)) = (signing_in, peer)
        && let Err(not_until) = limit.limiter.check_key(&ip)
    {
        let wait = not_until
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            .max(1);
        tracing::warn!(%ip, "sign-in attempts slowed");
        return ApiError(Problem::new(
            429,
            "too_many_requests",
            format!("Too many sign-in attempts from this address; wait {wait} s"),
        ))
        .into_response();
    }
    next.run(request).await
}
