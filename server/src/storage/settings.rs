//! Settings: the tax table, the seller's details and the PDF templates saved in Settings.

use app::model::{DocumentKind, SellerProfile};
use chrono::{DateTime, Utc};

use super::StorageError;

/// A PDF template saved in Settings.
#[derive(Clone, Debug)]
pub struct TemplateRecord {
    pub source: String,
    pub updated_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait SettingsTx: Send {
    async fn tax_table(&mut self) -> Result<app::domain::TaxTable, StorageError>;
    async fn replace_tax_table(
        &mut self,
        table: &app::domain::TaxTable,
    ) -> Result<(), StorageError>;
    /// The seller's details; none until an administrator saves them.
    async fn seller(&mut self) -> Result<Option<SellerProfile>, StorageError>;
    async fn save_seller(
        &mut self,
        seller: &SellerProfile,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn document_template(
        &mut self,
        kind: DocumentKind,
    ) -> Result<Option<TemplateRecord>, StorageError>;
    async fn save_document_template(
        &mut self,
        kind: DocumentKind,
        source: &str,
        at: DateTime<Utc>,
        by: i64,
    ) -> Result<(), StorageError>;
    /// Removes a saved template (the built-in one applies again); whether there was one.
    async fn remove_document_template(&mut self, kind: DocumentKind) -> Result<bool, StorageError>;
}
