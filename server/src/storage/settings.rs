//! Settings: the tax table, the seller's details and the PDF templates saved in Settings.

use app::model::{DocumentKind, SellerProfile};
use chrono::{DateTime, Utc};

use super::StorageError;

/// The seller's logo as uploaded; its type is what its content showed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logo {
    pub media_type: String,
    pub content: Vec<u8>,
}

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
    async fn seller_logo(&mut self) -> Result<Option<Logo>, StorageError>;
    /// Sets or clears the logo; false when the seller's details were never saved (there is
    /// no seller to give it to).
    async fn set_seller_logo(
        &mut self,
        logo: Option<&Logo>,
        at: DateTime<Utc>,
    ) -> Result<bool, StorageError>;
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
