//! The outbox queries of [`crate::storage::OutboxTx`], for both backends.

/// Implements [`crate::storage::OutboxTx`] for `SqlTx<$db>`.
macro_rules! impl_outbox_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::OutboxTx for crate::storage::sql::SqlTx<$db> {
            async fn insert_message(
                &mut self,
                message: &crate::storage::NewMessage,
            ) -> Result<i64, crate::storage::StorageError> {
                let content = &message.content;
                let recipients = serde_json::json!({"to": content.to, "cc": content.cc});
                let (credit_note_id, invoice_id) = message.about.ids();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO outbox (credit_note_id, invoice_id, sender, recipients, subject, \
                     body, attachment_name, attachment, next_attempt_ms, created_at, created_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(credit_note_id)
                .bind(invoice_id)
                .bind(&content.sender)
                .bind(recipients.to_string())
                .bind(&content.subject)
                .bind(&content.body)
                .bind(&content.attachment_name)
                .bind(&content.attachment)
                .bind(message.created_at.timestamp_millis())
                .bind(message.created_at)
                .bind(&message.created_by)
                .fetch_one(&mut *self.tx)
                .await?;
                Ok(id)
            }

            async fn claim_messages(
                &mut self,
                now_ms: i64,
                hold_until_ms: i64,
                limit: i64,
            ) -> Result<Vec<crate::storage::MessageRecord>, crate::storage::StorageError> {
                // SQLite has one writer at a time: the claim cannot race there.
                let skip_locked = if <$db as sqlx::Database>::NAME == "PostgreSQL" {
                    " FOR UPDATE SKIP LOCKED"
                } else {
                    ""
                };
                let sql = format!(
                    "UPDATE outbox SET claimed_until_ms = $1 WHERE id IN (SELECT id FROM outbox \
                     WHERE status = 'pending' AND next_attempt_ms <= $2 \
                     AND (claimed_until_ms IS NULL OR claimed_until_ms <= $2) \
                     ORDER BY id LIMIT $3{skip_locked}) \
                     RETURNING id, credit_note_id, invoice_id, sender, recipients, subject, body, \
                     attachment_name, attachment, attempts"
                );
                #[allow(clippy::type_complexity)]
                let rows: Vec<(i64, Option<i64>, Option<i64>, String, String, String, String, String, Vec<u8>, i32)> =
                    sqlx::query_as(&sql)
                        .bind(hold_until_ms)
                        .bind(now_ms)
                        .bind(limit)
                        .fetch_all(&mut *self.tx)
                        .await?;
                let mut messages = Vec::with_capacity(rows.len());
                for (id, credit_note_id, invoice_id, sender, recipients, subject, body, name, attachment, attempts) in rows {
                    let about = crate::storage::MessageAbout::from_ids(credit_note_id, invoice_id)
                        .ok_or_else(|| crate::storage::StorageError::Corrupt(format!("outbox {id}: no document")))?;
                    let list = |field: &str| -> Result<Vec<String>, crate::storage::StorageError> {
                        let parsed: serde_json::Value = serde_json::from_str(&recipients)
                            .map_err(|e| crate::storage::StorageError::Corrupt(format!("outbox {id} recipients: {e}")))?;
                        Ok(parsed[field]
                            .as_array()
                            .map(|items| items.iter().filter_map(|item| item.as_str().map(str::to_string)).collect())
                            .unwrap_or_default())
                    };
                    messages.push(crate::storage::MessageRecord {
                        id,
                        about,
                        content: crate::storage::MessageContent {
                            sender,
                            to: list("to")?,
                            cc: list("cc")?,
                            subject,
                            body,
                            attachment_name: name,
                            attachment,
                        },
                        attempts,
                    });
                }
                messages.sort_by_key(|message| message.id);
                Ok(messages)
            }

            async fn messages_queued_by(
                &mut self,
                created_by: &str,
                since: chrono::DateTime<chrono::Utc>,
            ) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM outbox WHERE created_by = $1 AND created_at >= $2",
                )
                .bind(created_by)
                .bind(since)
                .fetch_one(&mut *self.tx)
                .await?)
            }

            async fn message_sent(
                &mut self,
                id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
                     claimed_until_ms = NULL, last_error = NULL WHERE id = $2",
                )
                .bind(at)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn message_delayed(
                &mut self,
                id: i64,
                attempts: i32,
                next_attempt_ms: i64,
                error: &str,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE outbox SET attempts = $1, next_attempt_ms = $2, last_error = $3, \
                     claimed_until_ms = NULL WHERE id = $4",
                )
                .bind(attempts)
                .bind(next_attempt_ms)
                .bind(error)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn message_failed(
                &mut self,
                id: i64,
                attempts: i32,
                error: &str,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE outbox SET status = 'failed', attempts = $1, last_error = $2, \
                     claimed_until_ms = NULL WHERE id = $3",
                )
                .bind(attempts)
                .bind(error)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_outbox_tx;
