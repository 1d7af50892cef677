//! Removes what has expired — sessions, API tokens, idempotency keys, sign-in throttle rows —
//! periodically in the server and on demand with `creditdesk purge`; on the same tick, runs the
//! customers' payment reminder schedules.

use std::time::Duration;

use chrono::TimeDelta;

use crate::services::{IDEMPOTENCY_KEEP_HOURS, ServiceError, Services, THROTTLE_RETENTION};
use crate::storage::{PurgeCutoffs, Purged};

/// How often the server purges.
pub const PURGE_EVERY: Duration = Duration::from_secs(15 * 60);

impl Services {
    /// Deletes everything that expired by the services' clock.
    pub async fn purge_expired(&self) -> Result<Purged, ServiceError> {
        let now = self.now();
        let cutoffs = PurgeCutoffs {
            now,
            idempotency_before: now - TimeDelta::hours(IDEMPOTENCY_KEEP_HOURS),
            throttle_before: now - THROTTLE_RETENTION,
            mail_attachments_before: now
                - TimeDelta::days(i64::from(self.mail_policy().retention_days)),
        };
        Ok(self.storage().purge(&cutoffs).await?)
    }
}

/// Purges every [`PURGE_EVERY`] until the returned task is aborted; failures are logged and
/// tried again next time.
pub fn spawn_periodic(services: Services) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PURGE_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match services.purge_expired().await {
                Ok(purged) if purged == Purged::default() => {}
                Ok(purged) => tracing::info!("housekeeping: {purged}"),
                Err(error) => {
                    tracing::warn!(error = %error.to_string().escape_debug(), "housekeeping failed")
                }
            }
            match services.send_due_reminders().await {
                Ok(0) => {}
                Ok(queued) => tracing::info!("payment reminders queued: {queued}"),
                Err(error) => {
                    tracing::warn!(error = %error.to_string().escape_debug(), "payment reminders failed")
                }
            }
        }
    })
}
