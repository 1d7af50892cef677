//! The idempotency queries of [`crate::storage::IdempotencyTx`], for both backends.

/// Implements [`crate::storage::IdempotencyTx`] for `SqlTx<$db>`.
macro_rules! impl_idempotency_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::IdempotencyTx for crate::storage::sql::SqlTx<$db> {
            async fn stored_response(
                &mut self,
                user_id: i64,
                key: &str,
            ) -> Result<Option<crate::storage::StoredResponse>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT request_hash, status, body, created_at FROM idempotency_keys \
                     WHERE user_id = $1 AND key = $2",
                )
                .bind(user_id)
                .bind(key)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn claim_response(
                &mut self,
                user_id: i64,
                key: &str,
                response: &crate::storage::StoredResponse,
            ) -> Result<bool, crate::storage::StorageError> {
                let inserted = sqlx::query(
                    "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, key) DO NOTHING",
                )
                .bind(user_id)
                .bind(key)
                .bind(&response.request_hash)
                .bind(response.status)
                .bind(&response.body)
                .bind(response.created_at)
                .execute(&mut *self.tx)
                .await?;
                Ok(inserted.rows_affected() == 1)
            }

            async fn reclaim_response(
                &mut self,
                user_id: i64,
                key: &str,
                response: &crate::storage::StoredResponse,
                expired_before: chrono::DateTime<chrono::Utc>,
                abandoned_before: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, crate::storage::StorageError> {
                let updated = sqlx::query(
                    "UPDATE idempotency_keys SET request_hash = $3, status = $4, body = $5, created_at = $6 \
                     WHERE user_id = $1 AND key = $2 \
                     AND (created_at < $7 OR status >= 500 OR (status = 0 AND created_at < $8))",
                )
                .bind(user_id)
                .bind(key)
                .bind(&response.request_hash)
                .bind(response.status)
                .bind(&response.body)
                .bind(response.created_at)
                .bind(expired_before)
                .bind(abandoned_before)
                .execute(&mut *self.tx)
                .await?;
                Ok(updated.rows_affected() == 1)
            }

            async fn renew_claim(
                &mut self,
                user_id: i64,
                key: &str,
                request_hash: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE idempotency_keys SET created_at = $4 \
                     WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status = 0",
                )
                .bind(user_id)
                .bind(key)
                .bind(request_hash)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn store_response(
                &mut self,
                user_id: i64,
                key: &str,
                response: &crate::storage::StoredResponse,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, key) DO UPDATE SET \
                     request_hash = excluded.request_hash, status = excluded.status, \
                     body = excluded.body, created_at = excluded.created_at",
                )
                .bind(user_id)
                .bind(key)
                .bind(&response.request_hash)
                .bind(response.status)
                .bind(&response.body)
                .bind(response.created_at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_idempotency_tx;
