//! The seal queries of [`crate::storage::SealTx`], for both backends.

/// Implements [`crate::storage::SealTx`] for `SqlTx<$db>`.
macro_rules! impl_seal_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::SealTx for crate::storage::sql::SqlTx<$db> {
            async fn credit_note_seal(
                &mut self,
                number: &str,
            ) -> Result<Option<String>, crate::storage::StorageError> {
                let seal: Option<(Option<String>,)> =
                    sqlx::query_as("SELECT seal FROM credit_notes WHERE number = $1")
                        .bind(number)
                        .fetch_optional(&mut *self.tx)
                        .await?;
                Ok(seal.and_then(|(seal,)| seal))
            }

            async fn set_credit_note_seal(
                &mut self,
                id: i64,
                seal: &str,
                version: i64,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE credit_notes SET seal = $1, seal_version = $3 WHERE id = $2")
                    .bind(seal)
                    .bind(id)
                    .bind(version)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn sealed_credit_notes(
                &mut self,
                after: Option<&str>,
                limit: i64,
            ) -> Result<Vec<crate::storage::SealRecord>, crate::storage::StorageError> {
                let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
                    "SELECT id, number, seal, CAST(seal_version AS BIGINT) FROM credit_notes \
                     WHERE number IS NOT NULL AND number > $1 ORDER BY number LIMIT $2",
                )
                .bind(after.unwrap_or(""))
                .bind(limit)
                .fetch_all(&mut *self.tx)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, number, seal, version)| crate::storage::SealRecord {
                        id,
                        number,
                        seal,
                        version,
                    })
                    .collect())
            }

            async fn take_pending_backfill(
                &mut self,
                name: &str,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query("DELETE FROM pending_backfills WHERE name = $1")
                    .bind(name)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected() > 0)
            }
        }
    };
}

pub(crate) use impl_seal_tx;
