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

            async fn credit_note_id_by_number(
                &mut self,
                number: &str,
            ) -> Result<Option<i64>, crate::storage::StorageError> {
                let by_reference =
                    sqlx::query_scalar("SELECT id FROM credit_notes WHERE external_reference = $1")
                        .bind(number)
                        .fetch_optional(&mut *self.tx)
                        .await?;
                if by_reference.is_some() {
                    return Ok(by_reference);
                }
                Ok(
                    sqlx::query_scalar("SELECT id FROM credit_notes WHERE number = $1")
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
                kind: app::model::ImportKind,
                file_name: &str,
                content: &[u8],
                uploaded_by: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO import_uploads (kind, file_name, content, uploaded_by, \
                     uploaded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(kind.as_str())
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
                    String,
                    Vec<u8>,
                    String,
                    chrono::DateTime<chrono::Utc>,
                    Option<chrono::DateTime<chrono::Utc>>,
                )> = sqlx::query_as(
                    "SELECT id, kind, file_name, content, uploaded_by, uploaded_at, applied_at \
                         FROM import_uploads WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
                let Some((id, kind, file_name, content, uploaded_by, uploaded_at, applied_at)) =
                    row
                else {
                    return Ok(None);
                };
                let kind = app::model::ImportKind::parse(&kind).ok_or_else(|| {
                    crate::storage::StorageError::Corrupt(format!("import kind {kind}"))
                })?;
                Ok(Some(crate::storage::ImportUpload {
                    id,
                    kind,
                    file_name,
                    content,
                    uploaded_by,
                    uploaded_at,
                    applied_at,
                }))
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
