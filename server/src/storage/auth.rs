//! Users, API tokens and the sign-in throttle.

use chrono::{DateTime, Utc};

use super::{NewUser, StorageError, ThrottleRecord, UserListRecord, UserRecord};

/// Users, API tokens and the sign-in throttle.
#[async_trait::async_trait]
pub trait AuthTx: Send {
    /// Fails with [`StorageError::Duplicate`] when the email is taken.
    async fn insert_user(&mut self, user: &NewUser) -> Result<i64, StorageError>;
    /// An active user (deactivated users are not found: they cannot sign in), and for a
    /// customer user, one whose customer has the portal on.
    async fn user_by_email(&mut self, email: &str) -> Result<Option<UserRecord>, StorageError>;
    /// An active user, as [`AuthTx::user_by_email`] (a deactivated user's sessions and tokens
    /// find no one, nor do a customer user's once the portal is off).
    async fn user_by_id(&mut self, id: i64) -> Result<Option<UserRecord>, StorageError>;
    /// Every user, deactivated ones too, by email.
    async fn users(&mut self) -> Result<Vec<UserListRecord>, StorageError>;
    /// Gives an active staff user another staff role; false when there is no such user.
    async fn set_staff_role(&mut self, id: i64, role: &str) -> Result<bool, StorageError>;
    /// Keeps the language a user chose for the desk.
    async fn set_user_language(&mut self, id: i64, language: &str) -> Result<(), StorageError>;
    /// Replaces an active user's password hash, says whether they must change it at their next
    /// sign-in, stamps the change (sessions signed in before it end) and revokes their API
    /// tokens; false when there is no such user.
    async fn set_password(
        &mut self,
        id: i64,
        password_hash: &str,
        must_change: bool,
        at: DateTime<Utc>,
    ) -> Result<bool, StorageError>;
    /// Revokes every API token of the user that is still valid.
    async fn revoke_api_tokens_of(
        &mut self,
        user_id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// Deactivates an active user and revokes their API tokens; false when there is no
    /// such user.
    async fn deactivate_user(&mut self, id: i64, at: DateTime<Utc>) -> Result<bool, StorageError>;
    async fn insert_api_token(
        &mut self,
        user_id: i64,
        token_hash: &str,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn revoke_api_token(
        &mut self,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// The sign-in throttle row of `key`, created empty (no attempts, window from `now`) when
    /// missing, and locked until the transaction ends: concurrent attempts take turns.
    async fn lock_sign_in_throttle(
        &mut self,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<ThrottleRecord, StorageError>;
    async fn set_sign_in_throttle(
        &mut self,
        key: &str,
        throttle: &ThrottleRecord,
    ) -> Result<(), StorageError>;
    async fn delete_sign_in_throttle(&mut self, key: &str) -> Result<(), StorageError>;
    /// Remembers a browser `user_id` signed in from, by its device token's hash.
    async fn remember_device(
        &mut self,
        token_hash: &str,
        user_id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// The user a device token's hash was remembered for.
    async fn device_user(&mut self, token_hash: &str) -> Result<Option<i64>, StorageError>;
    /// The sign-in throttle row of `key`, read without a lock.
    async fn sign_in_throttle(&mut self, key: &str)
    -> Result<Option<ThrottleRecord>, StorageError>;
}
