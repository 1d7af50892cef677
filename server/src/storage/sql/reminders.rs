//! The reminder queries of [`crate::storage::ReminderTx`], for both backends.

/// Implements [`crate::storage::ReminderTx`] for `SqlTx<$db>`.
macro_rules! impl_reminder_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::ReminderTx for crate::storage::sql::SqlTx<$db> {
            async fn set_customer_reminders(
                &mut self,
                customer_id: i64,
                every_days: Option<u16>,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query("UPDATE customers SET reminder_days = $2 WHERE id = $1")
                    .bind(customer_id)
                    .bind(every_days.map(i32::from))
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn reminder_candidates(
                &mut self,
                today: chrono::NaiveDate,
                after_id: i64,
                limit: i64,
            ) -> Result<Vec<crate::storage::ReminderCandidate>, crate::storage::StorageError> {
                let rows: Vec<(i64, chrono::NaiveDate, i32, Option<chrono::DateTime<chrono::Utc>>)> =
                    sqlx::query_as(
                        "SELECT i.id, i.due_date, c.reminder_days, i.last_reminded_at \
                         FROM invoices i JOIN customers c ON c.id = i.customer_id \
                         WHERE i.status = 'pending' AND i.due_date < $1 \
                         AND c.reminder_days IS NOT NULL AND i.id > $2 ORDER BY i.id LIMIT $3",
                    )
                    .bind(today)
                    .bind(after_id)
                    .bind(limit)
                    .fetch_all(&mut *self.tx)
                    .await?;
                rows.into_iter()
                    .map(|(invoice_id, due_date, days, last_reminded_at)| {
                        Ok(crate::storage::ReminderCandidate {
                            invoice_id,
                            due_date,
                            every_days: u16::try_from(days).map_err(|_| {
                                crate::storage::StorageError::Corrupt(format!(
                                    "customer schedule of {days} days"
                                ))
                            })?,
                            last_reminded_at,
                        })
                    })
                    .collect()
            }

            async fn last_reminded(
                &mut self,
                invoice_id: i64,
            ) -> Result<Option<chrono::DateTime<chrono::Utc>>, crate::storage::StorageError> {
                let at: Option<Option<chrono::DateTime<chrono::Utc>>> =
                    sqlx::query_scalar("SELECT last_reminded_at FROM invoices WHERE id = $1")
                        .bind(invoice_id)
                        .fetch_optional(&mut *self.tx)
                        .await?;
                Ok(at.flatten())
            }

            async fn set_last_reminded(
                &mut self,
                invoice_id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE invoices SET last_reminded_at = $2 WHERE id = $1")
                    .bind(invoice_id)
                    .bind(at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_reminder_tx;
