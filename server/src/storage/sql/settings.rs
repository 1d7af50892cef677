//! The settings queries of [`crate::storage::SettingsTx`], for both backends.

/// Implements [`crate::storage::SettingsTx`] for `SqlTx<$db>`.
macro_rules! impl_settings_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::SettingsTx for crate::storage::sql::SqlTx<$db> {
            async fn tax_table(
                &mut self,
            ) -> Result<app::domain::TaxTable, crate::storage::StorageError> {
                let rows: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT region, category, rate FROM tax_rules ORDER BY region, category",
                )
                .fetch_all(&mut *self.tx)
                .await?;
                let rules = rows
                    .into_iter()
                    .map(|(region, category, rate)| {
                        let rate = rate.parse().map_err(|e| {
                            crate::storage::StorageError::Corrupt(format!("tax rate {rate}: {e}"))
                        })?;
                        Ok(app::domain::TaxRule {
                            region,
                            category,
                            rate,
                        })
                    })
                    .collect::<Result<_, crate::storage::StorageError>>()?;
                Ok(app::domain::TaxTable { rules })
            }

            async fn replace_tax_table(
                &mut self,
                table: &app::domain::TaxTable,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("DELETE FROM tax_rules")
                    .execute(&mut *self.tx)
                    .await?;
                for rule in &table.rules {
                    sqlx::query(
                        "INSERT INTO tax_rules (region, category, rate) VALUES ($1, $2, $3)",
                    )
                    .bind(&rule.region)
                    .bind(&rule.category)
                    .bind(rule.rate.normalize().to_string())
                    .execute(&mut *self.tx)
                    .await?;
                }
                Ok(())
            }
        }
    };
}

pub(crate) use impl_settings_tx;
