//! Slows password guessing from one address, whichever door it uses (the browser's sign-in
//! server function or `POST /api/v1/auth/token`): a burst of 20 attempts (configurable: an
//! office behind one address may need more), then one every 3 seconds. The address is the resolved client ([`crate::net`]: behind a trusted proxy, the
//! forwarded one), IPv6 by its /64. Per-account throttling lives in the service, so it holds
//! across servers.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::problem::Problem;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use super::ApiError;
use crate::net::{ClientIp, address_group};

/// The sign-in paths, as the router sees them.
const SIGN_IN_PATHS: [&str; 2] = ["/rpc/login", "/api/v1/auth/token"];

/// How often addresses whose burst has refilled are dropped from memory.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

type Limiter<C> =
    RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, C, NoOpMiddleware<<C as Clock>::Instant>>;

#[derive(Clone)]
pub struct SignInLimit<C: Clock = DefaultClock> {
    limiter: Arc<Limiter<C>>,
    clock: C,
    last_pruned: Arc<Mutex<C::Instant>>,
}

/// Sign-in attempts one address may make at once before it is slowed down.
pub const DEFAULT_BURST: NonZeroU32 = NonZeroU32::new(20).unwrap();

fn quota(burst: NonZeroU32) -> Quota {
    Quota::with_period(Duration::from_secs(3))
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Default for SignInLimit {
    fn default() -> Self {
        Self::new(DEFAULT_BURST)
    }
}

impl SignInLimit {
    pub fn new(burst: NonZeroU32) -> Self {
        Self::with_clock_and_burst(DefaultClock::default(), burst)
    }
}

impl<C: Clock + Clone> SignInLimit<C> {
    pub fn with_clock(clock: C) -> Self {
        Self::with_clock_and_burst(clock, DEFAULT_BURST)
    }

    pub fn with_clock_and_burst(clock: C, burst: NonZeroU32) -> Self {
        let limiter = RateLimiter::new(
            quota(burst),
            DefaultKeyedStateStore::default(),
            clock.clone(),
        );
        SignInLimit {
            limiter: Arc::new(limiter),
            last_pruned: Arc::new(Mutex::new(clock.now())),
            clock,
        }
    }

    /// `Err(seconds to wait)` when the address (IPv6: its /64) used up its attempts.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.prune_now_and_then();
        self.limiter
            .check_key(&address_group(ip))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs().max(1))
    }

    /// Forgets addresses whose burst has refilled, at most once per [`PRUNE_EVERY`], so the
    /// table holds only the recently active ones.
    fn prune_now_and_then(&self) {
        let now = self.clock.now();
        let due = {
            let mut last = self
                .last_pruned
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let due = Duration::from(now.duration_since(*last)) >= PRUNE_EVERY;
            if due {
                *last = now;
            }
            due
        };
        if due {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
    }

    /// How many addresses are remembered.
    pub fn len(&self) -> usize {
        self.limiter.len()
    }

    pub fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }
}

pub async fn layer(State(limit): State<SignInLimit>, request: Request, next: Next) -> Response {
    let signing_in =
        request.method() == Method::POST && SIGN_IN_PATHS.contains(&request.uri().path());
    let client = request
        .extensions()
        .get::<ClientIp>()
        .map(|ClientIp(ip)| *ip);
    if let (true, Some(ip)) = (signing_in, client)
        && let Err(wait) = limit.check(ip)
    {
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

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn one_ipv6_64_shares_one_budget() {
        let limit = SignInLimit::with_clock(FakeRelativeClock::default());
        for i in 0..20 {
            assert!(limit.check(ip(&format!("2001:db8:1:2::{i:x}"))).is_ok());
        }
        assert!(limit.check(ip("2001:db8:1:2:ffff::1")).is_err());
        assert!(limit.check(ip("2001:db8:1:3::1")).is_ok(), "another /64");
        assert_eq!(limit.len(), 2);
    }

    #[test]
    fn quiet_addresses_are_pruned() {
        let clock = FakeRelativeClock::default();
        let limit = SignInLimit::with_clock(clock.clone());
        for i in 0..50 {
            assert!(limit.check(ip(&format!("192.0.2.{i}"))).is_ok());
        }
        assert_eq!(limit.len(), 50);
        // After the burst has refilled and the prune interval passed, the next check prunes.
        clock.advance(Duration::from_secs(120));
        assert!(limit.check(ip("198.51.100.1")).is_ok());
        assert_eq!(limit.len(), 1);
    }
}
