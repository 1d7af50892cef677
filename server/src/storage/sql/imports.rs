//! The import queries of [`crate::storage::ImportTx`], for both backends.

/// Implements [`crate::storage::ImportTx`] for `SqlTx<$db>`.
macro_rules! impl_import_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::ImportTx for crate::storage::sql::SqlTx<$db> {
            async fn invoice_id_by_number(
                &mut self,
                number: &str,
            ) -> Result<Option<i64>, crate::storage::StorageError> {
                Ok(
                    sqlx::query_scalar("SELECT id FROM invoices WHERE number = $1")
                        .bind(number)
                        .fetch_optional(&mut *self.tx)
                        .await?,
                )
            }

            async fn customer_ids_by_name(
                &mut self,
                name: &str,
            ) -> Result<Vec<i64>, crate::storage::StorageError> {
                Ok(
                    sqlx::query_scalar("SELECT id FROM customers WHERE name = $1 ORDER BY id")
                        .bind(name)
                        .fetch_all(&mut *self.tx)
                        .await?,
                )
            }

            async fn insert_import_upload(
                &mut self,
                file_name: &str,
                content: &[u8],
                uploaded_by: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO import_uploads (file_name, content, uploaded_by, uploaded_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(file_name)
                .bind(content)
                .bind(uploaded_by)
                .bind(at)
                .fetch_one(&mut *self.tx)
                .await?)
            }

            async fn import_upload(
                &mut self,
                id: i64,
            ) -> Result<Option<crate::storage::ImportUpload>, crate::storage::StorageError> {
                #[allow(clippy::type_complexity)]
                let row: Option<(
                    i64,
                    String,
                    Vec<u8>,
                    String,
                    chrono::DateTime<chrono::Utc>,
                    Option<chrono::DateTime<chrono::Utc>>,
                )> = sqlx::query_as(
                    "SELECT id, file_name, content, uploaded_by, uploaded_at, applied_at \
                         FROM import_uploads WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(row.map(
                    |(id, file_name, content, uploaded_by, uploaded_at, applied_at)| {
                        crate::storage::ImportUpload {
                            id,
                            file_name,
                            content,
                            uploaded_by,
                            uploaded_at,
                            applied_at,
                        }
                    },
                ))
            }

            async fn mark_import_applied(
                &mut self,
                id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE import_uploads SET applied_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_import_tx;
