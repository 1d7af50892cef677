//! The settings queries of [`crate::storage::SettingsTx`], for both backends.

/// Implements [`crate::storage::SettingsTx`] for `SqlTx<$db>`.
macro_rules! impl_settings_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::SettingsTx for crate::storage::sql::SqlTx<$db> {
            async fn tax_table(
                &mut self,
            ) -> Result<app::domain::TaxTable, crate::storage::StorageError> {
                type Row = (String, String, String, Option<String>, Option<String>, Option<String>, Option<String>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT region, category, rate, vat_category, vat_exemption_reason, \
                     revenue_account, revenue_account_label FROM tax_rules ORDER BY region, category",
                )
                .fetch_all(&mut *self.tx)
                .await?;
                let rules = rows
                    .into_iter()
                    .map(|(region, category, rate, vat_category, vat_exemption_reason, account, account_label)| {
                        let rate = rate.parse().map_err(|e| {
                            crate::storage::StorageError::Corrupt(format!("tax rate {rate}: {e}"))
                        })?;
                        let vat_category = vat_category
                            .map(|text| {
                                app::domain::VatCategory::parse(&text).ok_or_else(|| {
                                    crate::storage::StorageError::Corrupt(format!(
                                        "tax rule VAT category {text}"
                                    ))
                                })
                            })
                            .transpose()?;
                        Ok(app::domain::TaxRule {
                            region,
                            category,
                            rate,
                            vat_category,
                            vat_exemption_reason,
                            revenue_account: crate::storage::sql::revenue_account(account, account_label)?,
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
                        "INSERT INTO tax_rules (region, category, rate, vat_category, \
                         vat_exemption_reason, revenue_account, revenue_account_label) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(&rule.region)
                    .bind(&rule.category)
                    .bind(rule.rate.normalize().to_string())
                    .bind(rule.vat_category.map(|category| category.as_str()))
                    .bind(rule.vat_exemption_reason.as_deref())
                    .bind(rule.revenue_account.as_ref().map(|account| account.code.as_str()))
                    .bind(rule.revenue_account.as_ref().map(|account| account.label.as_str()))
                    .execute(&mut *self.tx)
                    .await?;
                }
                Ok(())
            }

            async fn seller(
                &mut self,
            ) -> Result<Option<app::model::SellerProfile>, crate::storage::StorageError> {
                type Row = (
                    String,
                    String,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                );
                let row: Option<Row> = sqlx::query_as(
                    "SELECT name, address, vat_id, iban, email, logo_media_type, \
                     late_payment_penalty, early_payment_discount, legal_identity, vat_regime, \
                     fiscal_year_end FROM seller_profile WHERE id = 1",
                )
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(row.map(
                    |(name, address, vat_id, iban, email, logo_media_type, late_payment_penalty, early_payment_discount, legal_identity, vat_regime, fiscal_year_end)| {
                        app::model::SellerProfile {
                            name,
                            address: crate::storage::sql::address(&address),
                            vat_id,
                            iban,
                            email,
                            logo_media_type,
                            late_payment_penalty,
                            early_payment_discount,
                            legal_identity: legal_identity
                                .and_then(|json| serde_json::from_str(&json).ok())
                                .unwrap_or_default(),
                            vat_regime: vat_regime
                                .and_then(|json| serde_json::from_str(&json).ok())
                                .unwrap_or_default(),
                            fiscal_year_end,
                        }
                    },
                ))
            }

            async fn seller_logo(
                &mut self,
            ) -> Result<Option<crate::storage::Logo>, crate::storage::StorageError> {
                let row: Option<(Option<String>, Option<Vec<u8>>)> = sqlx::query_as(
                    "SELECT logo_media_type, logo FROM seller_profile WHERE id = 1",
                )
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(match row {
                    Some((Some(media_type), Some(content))) => Some(crate::storage::Logo {
                        media_type,
                        content,
                    }),
                    _ => None,
                })
            }

            async fn set_seller_logo(
                &mut self,
                logo: Option<&crate::storage::Logo>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query(
                    "UPDATE seller_profile SET logo = $1, logo_media_type = $2, updated_at = $3 \
                     WHERE id = 1",
                )
                .bind(logo.map(|logo| logo.content.as_slice()))
                .bind(logo.map(|logo| logo.media_type.as_str()))
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn save_seller(
                &mut self,
                seller: &app::model::SellerProfile,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO seller_profile (id, name, address, vat_id, iban, email, updated_at, \
                     late_payment_penalty, early_payment_discount, legal_identity, vat_regime, \
                     fiscal_year_end) \
                     VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO UPDATE SET \
                     name = excluded.name, address = excluded.address, vat_id = excluded.vat_id, \
                     iban = excluded.iban, email = excluded.email, updated_at = excluded.updated_at, \
                     late_payment_penalty = excluded.late_payment_penalty, \
                     early_payment_discount = excluded.early_payment_discount, \
                     legal_identity = excluded.legal_identity, vat_regime = excluded.vat_regime, \
                     fiscal_year_end = excluded.fiscal_year_end",
                )
                .bind(&seller.name)
                .bind(crate::storage::sql::address_json(&seller.address))
                .bind(&seller.vat_id)
                .bind(&seller.iban)
                .bind(&seller.email)
                .bind(at)
                .bind(&seller.late_payment_penalty)
                .bind(&seller.early_payment_discount)
                .bind(serde_json::to_string(&seller.legal_identity).ok())
                .bind(serde_json::to_string(&seller.vat_regime).ok())
                .bind(&seller.fiscal_year_end)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn document_template(
                &mut self,
                kind: app::model::DocumentKind,
            ) -> Result<Option<crate::storage::TemplateRecord>, crate::storage::StorageError> {
                let row: Option<(String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT source, updated_at FROM document_templates WHERE kind = $1",
                )
                .bind(kind.as_str())
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(row.map(|(source, updated_at)| crate::storage::TemplateRecord {
                    source,
                    updated_at,
                }))
            }

            async fn save_document_template(
                &mut self,
                kind: app::model::DocumentKind,
                source: &str,
                at: chrono::DateTime<chrono::Utc>,
                by: i64,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO document_templates (kind, source, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (kind) DO UPDATE SET \
                     source = excluded.source, updated_at = excluded.updated_at, \
                     updated_by = excluded.updated_by",
                )
                .bind(kind.as_str())
                .bind(source)
                .bind(at)
                .bind(by)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn remove_document_template(
                &mut self,
                kind: app::model::DocumentKind,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query("DELETE FROM document_templates WHERE kind = $1")
                    .bind(kind.as_str())
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected() > 0)
            }
        }
    };
}

pub(crate) use impl_settings_tx;
