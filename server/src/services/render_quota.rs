//! PDFs, e-invoices and the FEC are the costliest reads the server answers: each takes a
//! render worker or a whole year of entries. One user (or one leaked token) asking for them in
//! a loop would keep them from everyone else, so each user may ask for a burst of them, then
//! a steady few per second. The limit is per server, in memory (`governor`).

use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use super::ServiceError;

type Limiter = RateLimiter<i64, DefaultKeyedStateStore<i64>, DefaultClock>;

/// How many renders and exports one user may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderQuota {
    /// Asked for at once, then refilled one every `refill`.
    pub burst: NonZeroU32,
    pub refill: std::time::Duration,
}

impl Default for RenderQuota {
    /// 100 at once covers an integrator archiving a batch; 10 a second keeps one user below a
    /// third of a core's rendering (documents take about 30 ms).
    fn default() -> Self {
        RenderQuota {
            burst: NonZeroU32::new(100).unwrap_or(NonZeroU32::MIN),
            refill: std::time::Duration::from_millis(100),
        }
    }
}

#[derive(Clone)]
pub(super) struct RenderLimiter {
    limiter: Arc<Limiter>,
}

impl RenderLimiter {
    pub(super) fn new(quota: RenderQuota) -> Self {
        // A zero period is no limit governor takes: one a millisecond is the most it refills.
        let refill = quota.refill.max(std::time::Duration::from_millis(1));
        let quota = Quota::with_period(refill)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(quota.burst);
        RenderLimiter {
            limiter: Arc::new(RateLimiter::keyed(quota)),
        }
    }

    /// Takes one render or export from the user's allowance, or says how long to wait.
    pub(super) fn take(&self, user_id: i64) -> Result<(), ServiceError> {
        self.limiter.check_key(&user_id).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ServiceError::RateLimited {
                retry_after_seconds: i64::try_from(wait.as_secs()).unwrap_or(i64::MAX).max(1),
            }
        })?;
        // Users whose allowance refilled are forgotten, so the map stays small.
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        Ok(())
    }
}
