//! The seal queries of [`crate::storage::SealTx`], for both backends.

/// Chain rows (id, number, seal, version) as records.
pub fn seal_records(
    rows: Vec<(i64, String, Option<String>, i64)>,
) -> Vec<crate::storage::SealRecord> {
    rows.into_iter()
        .map(|(id, number, seal, version)| crate::storage::SealRecord {
            id,
            number,
            seal,
            version,
        })
        .collect()
}

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

            async fn invoice_seal_before(
                &mut self,
                number: &str,
            ) -> Result<Option<String>, crate::storage::StorageError> {
                let series: String = number.chars().take(9).collect();
                let seal: Option<Option<String>> = sqlx::query_scalar(
                    "SELECT seal FROM invoices WHERE number < $1 AND number LIKE $2 \
                     AND seal IS NOT NULL AND NOT imported ORDER BY number DESC LIMIT 1",
                )
                .bind(number)
                .bind(format!("{series}%"))
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(seal.flatten())
            }

            async fn set_invoice_seal(
                &mut self,
                id: i64,
                seal: &str,
                version: i64,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE invoices SET seal = $1, seal_version = $3 WHERE id = $2")
                    .bind(seal)
                    .bind(id)
                    .bind(version)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn sealed_invoices(
                &mut self,
                after: Option<&str>,
                limit: i64,
            ) -> Result<Vec<crate::storage::SealRecord>, crate::storage::StorageError> {
                let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
                    "SELECT id, number, seal, CAST(seal_version AS BIGINT) FROM invoices \
                     WHERE status <> 'draft' AND NOT imported AND number > $1 \
                     ORDER BY number LIMIT $2",
                )
                .bind(after.unwrap_or(""))
                .bind(limit)
                .fetch_all(&mut *self.tx)
                .await?;
                Ok(crate::storage::sql::seals::seal_records(rows))
            }

            async fn save_print_asset(
                &mut self,
                sha256: &str,
                content: &[u8],
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO print_assets (sha256, content) VALUES ($1, $2) \
                     ON CONFLICT (sha256) DO NOTHING",
                )
                .bind(sha256)
                .bind(content)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn print_asset(
                &mut self,
                sha256: &str,
            ) -> Result<Option<Vec<u8>>, crate::storage::StorageError> {
                Ok(
                    sqlx::query_scalar("SELECT content FROM print_assets WHERE sha256 = $1")
                        .bind(sha256)
                        .fetch_optional(&mut *self.tx)
                        .await?,
                )
            }

            async fn insert_issued_print(
                &mut self,
                document: crate::storage::SalesDocumentId,
                print: &crate::storage::IssuedPrintRecord,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                let (column, id) = document.column();
                let sources = serde_json::to_string(&print.sources)
                    .map_err(|error| crate::storage::StorageError::Corrupt(error.to_string()))?;
                sqlx::query(&format!(
                    "INSERT INTO issued_prints ({column}, main, sources, data, logo_sha256, \
                     sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                ))
                .bind(id)
                .bind(&print.main)
                .bind(sources)
                .bind(&print.data)
                .bind(&print.logo_sha256)
                .bind(&print.sha256)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn issued_print(
                &mut self,
                document: crate::storage::SalesDocumentId,
            ) -> Result<Option<crate::storage::IssuedPrintRecord>, crate::storage::StorageError>
            {
                type Row = (
                    String,
                    String,
                    String,
                    Option<String>,
                    String,
                    Option<Vec<u8>>,
                    Option<String>,
                );
                let (column, id) = document.column();
                let row: Option<Row> = sqlx::query_as(&format!(
                    "SELECT main, sources, data, logo_sha256, sha256, pdf, pdf_sha256 \
                     FROM issued_prints WHERE {column} = $1"
                ))
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
                let Some((main, sources, data, logo_sha256, sha256, pdf, pdf_sha256)) = row else {
                    return Ok(None);
                };
                let sources = serde_json::from_str(&sources).map_err(|error| {
                    crate::storage::StorageError::Corrupt(format!("issued print sources: {error}"))
                })?;
                Ok(Some(crate::storage::IssuedPrintRecord {
                    main,
                    sources,
                    data,
                    logo_sha256,
                    sha256,
                    pdf,
                    pdf_sha256,
                }))
            }

            async fn keep_issued_pdf(
                &mut self,
                document: crate::storage::SalesDocumentId,
                pdf: &[u8],
                sha256: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                let (column, id) = document.column();
                sqlx::query(&format!(
                    "UPDATE issued_prints SET pdf = $2, pdf_sha256 = $3, rendered_at = $4 \
                     WHERE {column} = $1 AND pdf IS NULL"
                ))
                .bind(id)
                .bind(pdf)
                .bind(sha256)
                .bind(at)
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
                     WHERE number IS NOT NULL AND NOT imported AND number > $1 \
                     ORDER BY number LIMIT $2",
                )
                .bind(after.unwrap_or(""))
                .bind(limit)
                .fetch_all(&mut *self.tx)
                .await?;
                Ok(crate::storage::sql::seals::seal_records(rows))
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
