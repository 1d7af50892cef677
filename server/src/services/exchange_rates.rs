//! The exchange rates foreign documents are booked at (see [`app::domain::exchange`]): typed
//! by administrators, or imported from the ECB's reference rates file. A document keeps the
//! rate it was booked at, so a rate changed later moves nothing already booked.

use app::domain::exchange::{ExchangeRate, rate_violations};
use app::domain::{Permission, RuleCode, Violation};
use app::model::CurrentUser;

use super::{ServiceError, Services};
use crate::storage::RateFilter;

/// The largest ECB file taken: the whole history since 1999 is about 2 MiB.
pub const MAX_RATES_FILE_BYTES: usize = 5 * 1024 * 1024;

/// At most this many rates are read at once.
pub const MAX_RATES_LISTED: i64 = 500;

impl Services {
    /// Rates, newest first (staff).
    pub async fn exchange_rates(
        &self,
        user: &CurrentUser,
        filter: RateFilter,
    ) -> Result<Vec<ExchangeRate>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let filter = RateFilter {
            limit: filter.limit.clamp(1, MAX_RATES_LISTED),
            ..filter
        };
        let mut tx = self.storage.read().await?;
        Ok(tx.exchange_rates(&filter).await?)
    }

    /// The newest rate of each currency (staff).
    pub async fn latest_exchange_rates(
        &self,
        user: &CurrentUser,
    ) -> Result<Vec<ExchangeRate>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        Ok(tx.latest_rates().await?)
    }

    /// Keeps `rates`, each replacing the rate of its currency and day (administrators). All
    /// or nothing: a wrong rate is named by its place in the list.
    pub async fn save_exchange_rates(
        &self,
        user: &CurrentUser,
        rates: Vec<ExchangeRate>,
    ) -> Result<usize, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let violations: Vec<Violation> = rates
            .iter()
            .enumerate()
            .flat_map(|(index, rate)| {
                rate_violations(rate)
                    .into_iter()
                    .map(move |violation| Violation {
                        field: Some(match violation.field {
                            Some(field) => app::domain::FieldPath::element("rates", index)
                                .join(&field.to_string()),
                            None => app::domain::FieldPath::element("rates", index),
                        }),
                        ..violation
                    })
            })
            .collect();
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        if rates.is_empty() {
            return Err(ServiceError::Rules(vec![Violation::new(
                RuleCode::ValidationError,
                Some("rates".into()),
                "Give at least one rate",
            )]));
        }
        self.keep_rates(&rates, "manual").await
    }

    /// Imports the ECB's reference rates file a user downloaded (administrators): every rate
    /// it gives is kept, replacing the rate of its currency and day.
    pub async fn import_ecb_rates(
        &self,
        user: &CurrentUser,
        content: &[u8],
    ) -> Result<usize, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let refused = |message: String| {
            ServiceError::Rules(vec![Violation::new(
                RuleCode::ValidationError,
                Some("file".into()),
                message,
            )])
        };
        if content.len() > MAX_RATES_FILE_BYTES {
            return Err(refused(format!(
                "A rates file has at most {} MiB",
                MAX_RATES_FILE_BYTES / (1024 * 1024)
            )));
        }
        let rates = super::ecb::parse(content).map_err(|error| refused(error.to_string()))?;
        if let Some(wrong) = rates.iter().find(|rate| !rate_violations(rate).is_empty()) {
            return Err(refused(format!(
                "The {} rate of {} is out of range: {}",
                wrong.currency.code(),
                wrong.date,
                wrong.rate
            )));
        }
        self.keep_rates(&rates, "ecb").await
    }

    async fn keep_rates(
        &self,
        rates: &[ExchangeRate],
        source: &str,
    ) -> Result<usize, ServiceError> {
        let mut tx = self.storage.write().await?;
        tx.save_exchange_rates(rates, source, self.now()).await?;
        tx.commit().await?;
        Ok(rates.len())
    }
}
