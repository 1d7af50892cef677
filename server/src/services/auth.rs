//! Users, passwords, API tokens and login throttling.

use std::sync::OnceLock;

use app::domain::{Email, Permission, Role, Violation, check_password, check_role_customer};
use app::model::CurrentUser;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{ServiceError, Services};
use crate::storage::{NewUser, StorageError, ThrottleRecord, UserRecord};

/// How long an API token stays valid.
pub const TOKEN_LIFETIME_DAYS: i64 = 30;
/// Failures within this window count together.
const FAILURE_WINDOW_MINUTES: i64 = 15;
/// Failures allowed before an email is locked for a while.
const FREE_FAILURES: i64 = 5;

#[derive(Clone, Debug)]
pub struct NewUserInput {
    pub email: String,
    pub password: String,
    pub role: Role,
    pub customer_id: Option<i64>,
}

/// Who asks: a signed-in user, or the command line (trusted: it runs on the server).
#[derive(Clone, Copy, Debug)]
pub enum Caller<'a> {
    User(&'a CurrentUser),
    CommandLine,
}

fn current_user(record: UserRecord) -> Result<CurrentUser, ServiceError> {
    let role = Role::parse(&record.role).ok_or_else(|| {
        ServiceError::Storage(StorageError::Corrupt(format!("role {}", record.role)))
    })?;
    Ok(CurrentUser {
        id: record.id,
        email: record.email,
        role,
        customer_id: record.customer_id,
    })
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A hash to verify against when the email is unknown, so both answers take as long.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password_auth::generate_hash("not a password of anyone"))
}

async fn hash_password(password: String) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

async fn password_matches(password: String, hash: String) -> Result<bool, ServiceError> {
    tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok())
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// The throttle after one more failure at `now`: past the free failures, the email is locked
/// for a minute, doubling with each further failure, up to the window's length.
fn after_failure(previous: Option<ThrottleRecord>, now: DateTime<Utc>) -> ThrottleRecord {
    let fresh = ThrottleRecord {
        failures: 0,
        first_failed_at: now,
        locked_until: None,
    };
    let mut throttle = previous
        .filter(|t| now - t.first_failed_at < Duration::minutes(FAILURE_WINDOW_MINUTES))
        .unwrap_or(fresh);
    throttle.failures += 1;
    if throttle.failures > FREE_FAILURES {
        let extra = u32::try_from(throttle.failures - FREE_FAILURES - 1)
            .unwrap_or(u32::MAX)
            .min(4);
        let minutes = (1i64 << extra).min(FAILURE_WINDOW_MINUTES);
        throttle.locked_until = Some(now + Duration::minutes(minutes));
    }
    throttle
}

impl Services {
    /// Refuses what `permission` does not allow for the caller's role.
    pub fn authorize(
        &self,
        user: &CurrentUser,
        permission: Permission,
    ) -> Result<(), ServiceError> {
        if user.may(permission) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// Like [`Services::authorize`]; the command line may do anything.
    pub fn authorize_caller(
        &self,
        caller: Caller<'_>,
        permission: Permission,
    ) -> Result<(), ServiceError> {
        match caller {
            Caller::User(user) => self.authorize(user, permission),
            Caller::CommandLine => Ok(()),
        }
    }

    pub async fn create_user(
        &self,
        caller: Caller<'_>,
        input: NewUserInput,
    ) -> Result<CurrentUser, ServiceError> {
        if let Caller::User(user) = caller {
            self.authorize(user, Permission::ManageUsers)?;
        }
        let mut violations: Vec<Violation> = Vec::new();
        let email = Email::parse(&input.email)
            .map_err(|v| violations.push(v))
            .ok();
        if let Err(v) = check_password(&input.password) {
            violations.push(v);
        }
        if let Err(v) = check_role_customer(input.role, input.customer_id) {
            violations.push(v);
        }
        let Some(email) = email.filter(|_| violations.is_empty()) else {
            return Err(ServiceError::Rules(violations));
        };
        let password_hash = hash_password(input.password).await?;
        let mut tx = self.storage.write().await?;
        if let Some(customer_id) = input.customer_id {
            super::require_customer(&mut tx, customer_id).await?;
        }
        let id = tx
            .insert_user(&NewUser {
                email: email.as_str().to_string(),
                password_hash,
                role: input.role,
                customer_id: input.customer_id,
                created_at: self.now(),
            })
            .await?;
        tx.commit().await?;
        Ok(CurrentUser {
            id,
            email: email.as_str().to_string(),
            role: input.role,
            customer_id: input.customer_id,
        })
    }

    /// Checks an email and password. Every failure answers the same `unauthorized`, whether
    /// the email exists or not; repeated failures for one email are throttled.
    pub async fn authenticate(
        &self,
        email: &str,
        password: &str,
    ) -> Result<CurrentUser, ServiceError> {
        let key = email.trim().to_lowercase();
        let now = self.now();
        let (user, throttle) = {
            let mut tx = self.storage.read().await?;
            (
                tx.user_by_email(&key).await?,
                tx.login_throttle(&key).await?,
            )
        };
        if let Some(until) = throttle
            .as_ref()
            .and_then(|t| t.locked_until)
            .filter(|until| *until > now)
        {
            tracing::warn!(email = %key, "login refused: too many failed attempts");
            return Err(ServiceError::Throttled {
                retry_after_seconds: (until - now).num_seconds().max(1),
            });
        }
        let hash = user
            .as_ref()
            .map_or_else(|| dummy_hash().to_string(), |u| u.password_hash.clone());
        let matches = password_matches(password.to_string(), hash).await?;
        let mut tx = self.storage.write().await?;
        match user {
            Some(user) if matches => {
                tx.set_login_throttle(&key, None).await?;
                tx.commit().await?;
                current_user(user)
            }
            _ => {
                let previous = tx.login_throttle(&key).await?;
                let throttle = after_failure(previous, now);
                tracing::warn!(email = %key, failures = throttle.failures, "failed login");
                tx.set_login_throttle(&key, Some(&throttle)).await?;
                tx.commit().await?;
                Err(ServiceError::Unauthorized)
            }
        }
    }

    /// A new random API token for `user`; only its hash is stored.
    pub async fn issue_token(&self, user: &CurrentUser) -> Result<String, ServiceError> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let now = self.now();
        let mut tx = self.storage.write().await?;
        tx.insert_api_token(
            user.id,
            &token_hash(&token),
            now,
            now + Duration::days(TOKEN_LIFETIME_DAYS),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The user a bearer token belongs to, if it is known, unexpired and not revoked.
    pub async fn user_for_token(&self, token: &str) -> Result<Option<CurrentUser>, ServiceError> {
        let mut tx = self.storage.read().await?;
        let Some(record) = tx.api_token(&token_hash(token)).await? else {
            return Ok(None);
        };
        if record.revoked_at.is_some() || record.expires_at <= self.now() {
            return Ok(None);
        }
        tx.user_by_id(record.user_id)
            .await?
            .map(current_user)
            .transpose()
    }

    /// Revokes a bearer token at once (it stays stored, marked revoked).
    pub async fn revoke_token(&self, token: &str) -> Result<(), ServiceError> {
        let mut tx = self.storage.write().await?;
        tx.revoke_api_token(&token_hash(token), self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user(&self, id: i64) -> Result<Option<CurrentUser>, ServiceError> {
        let mut tx = self.storage.read().await?;
        tx.user_by_id(id).await?.map(current_user).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_then_locks_grow() {
        let now = Utc::now();
        let mut throttle = None;
        for _ in 0..5 {
            let next = after_failure(throttle, now);
            assert!(next.locked_until.is_none());
            throttle = Some(next);
        }
        let sixth = after_failure(throttle, now);
        assert_eq!(sixth.locked_until, Some(now + Duration::minutes(1)));
        let seventh = after_failure(Some(sixth), now);
        assert_eq!(seventh.locked_until, Some(now + Duration::minutes(2)));
    }

    #[test]
    fn old_failures_are_forgotten() {
        let now = Utc::now();
        let old = ThrottleRecord {
            failures: 9,
            first_failed_at: now - Duration::hours(1),
            locked_until: None,
        };
        assert_eq!(after_failure(Some(old), now).failures, 1);
    }
}
