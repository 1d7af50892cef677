//! Users, passwords, API tokens and login throttling.

use std::sync::OnceLock;

use app::domain::{
    Email, Language, Permission, Role, RuleCode, Violation, check_password, check_password_field,
    check_role_customer,
};
use app::model::{CurrentUser, UserSummary};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{ServiceError, Services, rule};
use crate::storage::{NewUser, StorageError, ThrottleRecord, UserRecord};

/// How long an API token stays valid.
pub const TOKEN_LIFETIME_DAYS: i64 = 30;
/// The longest email address (RFC 5321's path limit); longer ones are refused before anything
/// is stored or logged.
pub const MAX_EMAIL_BYTES: usize = 254;

/// How sign-in attempts under one throttle key are counted.
#[derive(Clone, Copy, Debug)]
struct ThrottlePolicy {
    /// Attempts within this window count together.
    window: Duration,
    /// Attempts allowed in a window before the key is locked.
    free: i64,
    /// The first lock; each further attempt doubles it, up to `max_lock`.
    first_lock: Duration,
    max_lock: Duration,
}

/// One email from one client address (IPv6: its /64): five attempts, then a minute's lock that
/// doubles. Only this pair is locked, so a stranger guessing cannot lock the owner out.
const PAIR: ThrottlePolicy = ThrottlePolicy {
    window: Duration::minutes(15),
    free: 5,
    first_lock: Duration::minutes(1),
    max_lock: Duration::minutes(15),
};

/// One email from all addresses together: a slow ceiling for guessing spread over many
/// addresses. One address alone cannot reach it (its pair lock allows about 24 an hour).
const CEILING: ThrottlePolicy = ThrottlePolicy {
    window: Duration::hours(1),
    free: 50,
    first_lock: Duration::minutes(15),
    max_lock: Duration::minutes(15),
};

/// How long an attempt waits once the email's ceiling is reached, from a browser that never
/// signed in to it: guessing spread over many addresses is slowed, the owner never locked out.
const CEILING_SLOWDOWN: std::time::Duration = std::time::Duration::from_secs(3);

/// The longest any throttle row matters: older unlocked rows are purged.
pub const THROTTLE_RETENTION: Duration = Duration::hours(1);

/// The throttle keys of one email from one client: the pair's, then the email's ceiling.
/// Storage locks them in this order in every transaction, so they never deadlock.
pub fn throttle_keys(email: &str, client: Option<std::net::IpAddr>) -> [String; 2] {
    let email = email.trim().to_lowercase();
    let client = client.map_or_else(
        || "unknown".to_string(),
        |ip| crate::net::address_group(ip).to_string(),
    );
    [format!("pair:{client}:{email}"), format!("email:{email}")]
}

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
        must_change_password: record.must_change_password,
        language: record.language.as_deref().and_then(Language::parse),
    })
}

/// What a user whose password was reset hears from every door but the password change.
fn password_change_required() -> ServiceError {
    ServiceError::Invalid(app::problem::Problem::new(
        403,
        "password_change_required",
        "An administrator reset your password: choose a new one first",
    ))
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

/// What an attempt at `now` finds under one key.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Go ahead; the attempt is counted (and may lock the key for the next ones).
    Counted(ThrottleRecord),
    /// Locked until then.
    Locked(DateTime<Utc>),
}

impl ThrottlePolicy {
    /// Counts one attempt at `now`. A window that ended (and holds no running lock) starts
    /// again; past the free attempts the key locks, longer with every further attempt.
    fn count(&self, current: ThrottleRecord, now: DateTime<Utc>) -> Verdict {
        if let Some(until) = current.locked_until.filter(|until| *until > now) {
            return Verdict::Locked(until);
        }
        let mut throttle = if now - current.window_started_at >= self.window {
            ThrottleRecord {
                attempts: 0,
                window_started_at: now,
                locked_until: None,
            }
        } else {
            current
        };
        throttle.attempts = throttle.attempts.saturating_add(1);
        if throttle.attempts > self.free {
            let doublings = u32::try_from(throttle.attempts - self.free - 1)
                .unwrap_or(u32::MAX)
                .min(16);
            let lock = self
                .first_lock
                .checked_mul(1 << doublings)
                .unwrap_or(self.max_lock)
                .min(self.max_lock);
            throttle.locked_until = Some(now + lock);
        }
        Verdict::Counted(throttle)
    }
}

fn throttled(until: DateTime<Utc>, now: DateTime<Utc>) -> ServiceError {
    ServiceError::Throttled {
        retry_after_seconds: (until - now).num_seconds().max(1),
    }
}

impl Services {
    /// Refuses what `permission` does not allow for the caller's role.
    pub fn authorize(
        &self,
        user: &CurrentUser,
        permission: Permission,
    ) -> Result<(), ServiceError> {
        if user.must_change_password {
            return Err(password_change_required());
        }
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

    /// Every user, for the administrators' settings screen.
    pub async fn list_users(&self, user: &CurrentUser) -> Result<Vec<UserSummary>, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let mut tx = self.storage.read().await?;
        Ok(tx
            .users()
            .await?
            .into_iter()
            .map(|record| UserSummary {
                id: record.id,
                email: record.email,
                role: Role::parse(&record.role).unwrap_or(Role::Viewer),
                customer_id: record.customer_id,
                customer_name: record.customer_name,
                created_at: record.created_at,
                deactivated_at: record.deactivated_at,
            })
            .collect())
    }

    /// Gives a staff user another staff role; it applies from their next request. Customer
    /// users stay customer users (they belong to a customer), and nobody changes their own role.
    pub async fn change_role(
        &self,
        user: &CurrentUser,
        id: i64,
        role: Role,
    ) -> Result<(), ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        refuse_own_account(user, id, "change your own role")?;
        if !role.is_internal() {
            return Err(rule(
                RuleCode::ValidationError,
                "role",
                "Customer users are created for their customer; give a staff role",
            ));
        }
        let mut tx = self.storage.write().await?;
        if !tx.set_staff_role(id, role.as_str()).await? {
            return Err(ServiceError::NotFound("An active staff user"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates a user: they can no longer sign in, and their sessions and API tokens stop
    /// working at once. The user stays on record, so timelines keep their name.
    pub async fn deactivate_user(&self, user: &CurrentUser, id: i64) -> Result<(), ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        refuse_own_account(user, id, "deactivate yourself")?;
        let mut tx = self.storage.write().await?;
        if !tx.deactivate_user(id, self.now()).await? {
            return Err(ServiceError::NotFound("An active user"));
        }
        tx.commit().await?;
        Ok(())
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
            // A portal login is given to be used: the customer's portal goes on with it.
            tx.set_customer_portal(customer_id, true).await?;
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
            must_change_password: false,
            language: None,
        })
    }

    /// Checks an email and password from `client`. Every failure answers the same
    /// `unauthorized`, whether the email exists or not. The attempt is counted before the
    /// password is checked, in one transaction that holds the throttle rows, so concurrent
    /// guesses take turns and none goes uncounted; a correct password then takes its count back.
    pub async fn authenticate(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<CurrentUser, ServiceError> {
        self.authenticate_from(email, password, client, None).await
    }

    /// [`Self::authenticate`] from a browser that may carry a device token (a cookie set when
    /// it signed in before). The email's ceiling never refuses a correct password from a device
    /// known for that user; from anywhere else, past the ceiling, each attempt is slowed down,
    /// never refused, so a stranger's guessing cannot lock the owner out.
    pub async fn authenticate_from(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
        device: Option<&str>,
    ) -> Result<CurrentUser, ServiceError> {
        if email.trim().len() > MAX_EMAIL_BYTES {
            return Err(ServiceError::Invalid(app::problem::Problem::validation(
                "email",
                format!("An email address has at most {MAX_EMAIL_BYTES} characters"),
            )));
        }
        let key = email.trim().to_lowercase();
        let [pair_key, email_key] = throttle_keys(&key, client);
        let now = self.now();
        let (user, attempts) = {
            let mut tx = self.storage.write().await?;
            let pair = tx.lock_sign_in_throttle(&pair_key, now).await?;
            let counted = match PAIR.count(pair.clone(), now) {
                Verdict::Locked(until) => {
                    // Refused attempts count too (the count is what was tried), without
                    // moving the running lock.
                    let mut pair = pair;
                    pair.attempts = pair.attempts.saturating_add(1);
                    tx.set_sign_in_throttle(&pair_key, &pair).await?;
                    tx.commit().await?;
                    tracing::warn!(email = ?key, ?client, "sign-in refused: too many attempts from this address");
                    return Err(throttled(until, now));
                }
                Verdict::Counted(pair) => pair,
            };
            tx.set_sign_in_throttle(&pair_key, &counted).await?;
            let ceiling = tx.lock_sign_in_throttle(&email_key, now).await?;
            let over_ceiling = match CEILING.count(ceiling.clone(), now) {
                Verdict::Locked(_) => {
                    let mut ceiling = ceiling;
                    ceiling.attempts = ceiling.attempts.saturating_add(1);
                    tx.set_sign_in_throttle(&email_key, &ceiling).await?;
                    true
                }
                Verdict::Counted(ceiling) => {
                    let locked = ceiling.locked_until.is_some_and(|until| until > now);
                    tx.set_sign_in_throttle(&email_key, &ceiling).await?;
                    locked
                }
            };
            let user = tx.user_by_email(&key).await?;
            let known_device = match (device, &user) {
                (Some(token), Some(user)) => {
                    tx.device_user(&token_hash(token)).await? == Some(user.id)
                }
                _ => false,
            };
            tx.commit().await?;
            if over_ceiling && !known_device {
                tracing::warn!(email = ?key, "sign-in slowed: many attempts on this email");
                tokio::time::sleep(CEILING_SLOWDOWN).await;
            }
            (user, counted.attempts)
        };
        let hash = user
            .as_ref()
            .map_or_else(|| dummy_hash().to_string(), |u| u.password_hash.clone());
        let matches = password_matches(password.to_string(), hash).await?;
        match user {
            Some(user) if matches => {
                let mut tx = self.storage.write().await?;
                tx.delete_sign_in_throttle(&pair_key).await?;
                let mut ceiling = tx.lock_sign_in_throttle(&email_key, now).await?;
                ceiling.attempts = (ceiling.attempts - 1).max(0);
                if ceiling.attempts <= CEILING.free {
                    ceiling.locked_until = None;
                }
                tx.set_sign_in_throttle(&email_key, &ceiling).await?;
                tx.commit().await?;
                current_user(user)
            }
            _ => {
                // Debug-formatted: what was typed reaches the log escaped, never as raw control
                // characters that could forge log lines.
                tracing::warn!(email = ?key, ?client, attempts, "failed sign-in");
                Err(ServiceError::Unauthorized)
            }
        }
    }

    /// A device token for the browser `user` just signed in from: the one it carries when it is
    /// already known for that user, else a new random one (only its hash is stored).
    pub async fn remember_device(
        &self,
        user: &CurrentUser,
        carried: Option<&str>,
    ) -> Result<String, ServiceError> {
        let mut tx = self.storage.write().await?;
        if let Some(token) = carried
            && tx.device_user(&token_hash(token)).await? == Some(user.id)
        {
            return Ok(token.to_string());
        }
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        tx.remember_device(&token_hash(&token), user.id, self.now())
            .await?;
        tx.commit().await?;
        Ok(token)
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
        let Some(found) = self.storage.token_user(&token_hash(token)).await? else {
            return Ok(None);
        };
        if found.revoked_at.is_some() || found.expires_at <= self.now() {
            return Ok(None);
        }
        current_user(found.user).map(Some)
    }

    /// Revokes a bearer token at once (it stays stored, marked revoked).
    pub async fn revoke_token(&self, token: &str) -> Result<(), ServiceError> {
        let mut tx = self.storage.write().await?;
        tx.revoke_api_token(&token_hash(token), self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user of a browser session that signed in at `signed_in_at_ms` (Unix milliseconds):
    /// none once the password changed after it, so a change or a reset ends every other session.
    pub async fn session_user(
        &self,
        id: i64,
        signed_in_at_ms: i64,
    ) -> Result<Option<CurrentUser>, ServiceError> {
        let mut tx = self.storage.read().await?;
        let Some(record) = tx.user_by_id(id).await? else {
            return Ok(None);
        };
        if record
            .password_changed_at
            .is_some_and(|changed| changed.timestamp_millis() > signed_in_at_ms)
        {
            return Ok(None);
        }
        current_user(record).map(Some)
    }

    /// Changes the signed-in user's own password, once `current` is right. Their API tokens
    /// are revoked and their other sessions end; the caller's session goes on (its door
    /// stamps it anew). A user whose password was reset may do this, and only this.
    pub async fn change_own_password(
        &self,
        user: &CurrentUser,
        current: &str,
        new: &str,
    ) -> Result<(), ServiceError> {
        let mut violations = Vec::new();
        if let Err(violation) = check_password_field(new, "new_password") {
            violations.push(violation);
        } else if new == current {
            violations.push(Violation::new(
                RuleCode::ValidationError,
                Some("new_password".into()),
                "Choose a password other than the current one",
            ));
        }
        if current.chars().count() > app::domain::MAX_PASSWORD_LENGTH {
            violations.push(wrong_current_password());
        }
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        let record = {
            let mut tx = self.storage.read().await?;
            tx.user_by_id(user.id).await?
        };
        let Some(record) = record else {
            return Err(ServiceError::Unauthorized);
        };
        if !password_matches(current.to_string(), record.password_hash).await? {
            tracing::warn!(
                user = user.id,
                "password change refused: wrong current password"
            );
            return Err(ServiceError::Rules(vec![wrong_current_password()]));
        }
        let hash = hash_password(new.to_string()).await?;
        let mut tx = self.storage.write().await?;
        if !tx.set_password(user.id, &hash, false, self.now()).await? {
            return Err(ServiceError::Unauthorized);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Keeps the language the signed-in user chose for the desk: their next sign-in, in any
    /// browser, opens in it.
    pub async fn set_own_language(
        &self,
        user: &CurrentUser,
        language: Language,
    ) -> Result<(), ServiceError> {
        let mut tx = self.storage.write().await?;
        tx.set_user_language(user.id, language.code()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives another user a temporary password (administrators): they must choose a new one
    /// at their next sign-in, their sessions end and their API tokens are revoked.
    pub async fn reset_password(
        &self,
        user: &CurrentUser,
        id: i64,
        temporary: &str,
    ) -> Result<(), ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        refuse_own_account(user, id, "reset your own password; change it instead")?;
        check_password(temporary).map_err(|violation| ServiceError::Rules(vec![violation]))?;
        let hash = hash_password(temporary.to_string()).await?;
        let mut tx = self.storage.write().await?;
        if !tx.set_password(id, &hash, true, self.now()).await? {
            return Err(ServiceError::NotFound("An active user"));
        }
        tx.commit().await?;
        tracing::info!(
            user = id,
            by = user.id,
            "password reset by an administrator"
        );
        Ok(())
    }
}

fn wrong_current_password() -> Violation {
    Violation::new(
        RuleCode::ValidationError,
        Some("current_password".into()),
        "The current password is not right",
    )
}

fn refuse_own_account(user: &CurrentUser, id: i64, what: &str) -> Result<(), ServiceError> {
    if user.id == id {
        return Err(Violation::general(
            RuleCode::OwnAccount,
            format!("You cannot {what}; another administrator can"),
        )
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(now: DateTime<Utc>) -> ThrottleRecord {
        ThrottleRecord {
            attempts: 0,
            window_started_at: now,
            locked_until: None,
        }
    }

    fn counted(verdict: Verdict) -> ThrottleRecord {
        match verdict {
            Verdict::Counted(throttle) => throttle,
            Verdict::Locked(until) => panic!("locked until {until}"),
        }
    }

    #[test]
    fn five_attempts_are_free_then_locks_grow() {
        let now = Utc::now();
        let mut throttle = fresh(now);
        for _ in 0..5 {
            throttle = counted(PAIR.count(throttle, now));
            assert!(throttle.locked_until.is_none());
        }
        // The sixth attempt still runs, and locks the pair for the next one.
        let sixth = counted(PAIR.count(throttle, now));
        assert_eq!(sixth.locked_until, Some(now + Duration::minutes(1)));
        assert_eq!(
            PAIR.count(sixth.clone(), now),
            Verdict::Locked(now + Duration::minutes(1))
        );
        let later = now + Duration::minutes(1);
        let seventh = counted(PAIR.count(sixth, later));
        assert_eq!(seventh.locked_until, Some(later + Duration::minutes(2)));
    }

    #[test]
    fn old_attempts_are_forgotten_but_not_a_running_lock() {
        let now = Utc::now();
        let old = ThrottleRecord {
            attempts: 9,
            window_started_at: now - Duration::hours(1),
            locked_until: None,
        };
        assert_eq!(counted(PAIR.count(old.clone(), now)).attempts, 1);
        let locked = ThrottleRecord {
            locked_until: Some(now + Duration::minutes(3)),
            ..old
        };
        assert!(matches!(PAIR.count(locked, now), Verdict::Locked(_)));
    }

    #[test]
    fn locks_stop_growing_at_their_maximum() {
        let now = Utc::now();
        let many = ThrottleRecord {
            attempts: 1_000,
            window_started_at: now,
            locked_until: None,
        };
        assert_eq!(
            counted(PAIR.count(many.clone(), now)).locked_until,
            Some(now + Duration::minutes(15))
        );
        assert_eq!(
            counted(CEILING.count(many, now)).locked_until,
            Some(now + Duration::minutes(15))
        );
    }

    #[test]
    fn keys_group_ipv6_clients_by_their_64() {
        let a = throttle_keys(" Ann@Example.com", "2001:db8:1:2::1".parse().ok());
        let b = throttle_keys("ann@example.com", "2001:db8:1:2:ffff::2".parse().ok());
        let c = throttle_keys("ann@example.com", "2001:db8:1:3::1".parse().ok());
        assert_eq!(a, b);
        assert_ne!(a[0], c[0]);
        assert_eq!(a[1], c[1], "one ceiling per email");
    }
}
