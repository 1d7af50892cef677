//! The auth queries of [`crate::storage::AuthTx`], for both backends.

/// The user behind an API token, in one statement: every API request asks it, so it runs
/// outside any transaction (one round trip instead of four on PostgreSQL).
pub const TOKEN_USER: &str = "SELECT u.id, u.email, u.password_hash, u.role, u.customer_id, \
     u.must_change_password, u.password_changed_at, u.language, t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
     WHERE t.token_hash = $1 AND u.deactivated_at IS NULL AND (u.customer_id IS NULL OR \
     u.customer_id IN (SELECT id FROM customers WHERE portal_enabled))";

/// Implements [`crate::storage::AuthTx`] for `SqlTx<$db>`.
macro_rules! impl_auth_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::AuthTx for crate::storage::sql::SqlTx<$db> {
            async fn insert_user(
                &mut self,
                user: &crate::storage::NewUser,
            ) -> Result<i64, crate::storage::StorageError> {
                let inserted = sqlx::query_scalar(
                    "INSERT INTO users (email, password_hash, role, customer_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&user.email)
                .bind(&user.password_hash)
                .bind(user.role.as_str())
                .bind(user.customer_id)
                .bind(user.created_at)
                .fetch_one(&mut *self.tx)
                .await;
                match inserted {
                    Ok(id) => Ok(id),
                    Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                        Err(crate::storage::StorageError::Duplicate("A user with this email"))
                    }
                    Err(error) => Err(error.into()),
                }
            }

            async fn user_by_email(
                &mut self,
                email: &str,
            ) -> Result<Option<crate::storage::UserRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT id, email, password_hash, role, customer_id, must_change_password, \
                     password_changed_at, language FROM users \
                     WHERE email = $1 AND deactivated_at IS NULL AND (customer_id IS NULL OR \
                     customer_id IN (SELECT id FROM customers WHERE portal_enabled))",
                )
                .bind(email)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn user_by_id(
                &mut self,
                id: i64,
            ) -> Result<Option<crate::storage::UserRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT id, email, password_hash, role, customer_id, must_change_password, \
                     password_changed_at, language FROM users \
                     WHERE id = $1 AND deactivated_at IS NULL AND (customer_id IS NULL OR \
                     customer_id IN (SELECT id FROM customers WHERE portal_enabled))",
                )
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn users(
                &mut self,
            ) -> Result<Vec<crate::storage::UserListRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT u.id, u.email, u.role, u.customer_id, c.name AS customer_name, \
                     u.created_at, u.deactivated_at \
                     FROM users u LEFT JOIN customers c ON c.id = u.customer_id ORDER BY u.email",
                )
                .fetch_all(&mut *self.tx)
                .await?)
            }

            async fn set_staff_role(
                &mut self,
                id: i64,
                role: &str,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query(
                    "UPDATE users SET role = $2 \
                     WHERE id = $1 AND role <> 'customer' AND deactivated_at IS NULL",
                )
                .bind(id)
                .bind(role)
                .execute(&mut *self.tx)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_user_language(
                &mut self,
                id: i64,
                language: &str,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE users SET language = $2 WHERE id = $1")
                    .bind(id)
                    .bind(language)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn set_password(
                &mut self,
                id: i64,
                password_hash: &str,
                must_change: bool,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query(
                    "UPDATE users SET password_hash = $2, must_change_password = $3, \
                     password_changed_at = $4 WHERE id = $1 AND deactivated_at IS NULL",
                )
                .bind(id)
                .bind(password_hash)
                .bind(must_change)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                self.revoke_api_tokens_of(id, at).await?;
                Ok(done.rows_affected() == 1)
            }

            async fn revoke_api_tokens_of(
                &mut self,
                user_id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
                )
                .bind(user_id)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn deactivate_user(
                &mut self,
                id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query(
                    "UPDATE users SET deactivated_at = $2 WHERE id = $1 AND deactivated_at IS NULL",
                )
                .bind(id)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                self.revoke_api_tokens_of(id, at).await?;
                Ok(done.rows_affected() == 1)
            }

            async fn insert_api_token(
                &mut self,
                user_id: i64,
                token_hash: &str,
                created_at: chrono::DateTime<chrono::Utc>,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(user_id)
                .bind(token_hash)
                .bind(created_at)
                .bind(expires_at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn revoke_api_token(
                &mut self,
                token_hash: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
                )
                .bind(token_hash)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn lock_sign_in_throttle(
                &mut self,
                key: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<crate::storage::ThrottleRecord, crate::storage::StorageError> {
                // One statement inserts the row or takes the existing one's lock (the no-op
                // update locks it on PostgreSQL; SQLite's IMMEDIATE transaction holds all).
                Ok(sqlx::query_as(
                    "INSERT INTO sign_in_throttle (key, attempts, window_started_at, locked_until) \
                     VALUES ($1, 0, $2, NULL) ON CONFLICT (key) DO UPDATE SET \
                     attempts = sign_in_throttle.attempts \
                     RETURNING attempts, window_started_at, locked_until",
                )
                .bind(key)
                .bind(now)
                .fetch_one(&mut *self.tx)
                .await?)
            }

            async fn set_sign_in_throttle(
                &mut self,
                key: &str,
                throttle: &crate::storage::ThrottleRecord,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE sign_in_throttle SET attempts = $2, window_started_at = $3, \
                     locked_until = $4 WHERE key = $1",
                )
                .bind(key)
                .bind(throttle.attempts)
                .bind(throttle.window_started_at)
                .bind(throttle.locked_until)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn remember_device(
                &mut self,
                token_hash: &str,
                user_id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO known_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (token_hash) DO NOTHING",
                )
                .bind(token_hash)
                .bind(user_id)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn device_user(
                &mut self,
                token_hash: &str,
            ) -> Result<Option<i64>, crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT user_id FROM known_devices WHERE token_hash = $1")
                    .bind(token_hash)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn delete_sign_in_throttle(
                &mut self,
                key: &str,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("DELETE FROM sign_in_throttle WHERE key = $1")
                    .bind(key)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn sign_in_throttle(
                &mut self,
                key: &str,
            ) -> Result<Option<crate::storage::ThrottleRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT attempts, window_started_at, locked_until FROM sign_in_throttle WHERE key = $1",
                )
                .bind(key)
                .fetch_optional(&mut *self.tx)
                .await?)
            }
        }
    };
}

pub(crate) use impl_auth_tx;
