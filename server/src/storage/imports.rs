//! What an import looks up (invoices by number, customers by name), and the files uploaded for
//! import in the browser.

use chrono::{DateTime, Utc};

use super::StorageError;

/// A file uploaded for import.
#[derive(Clone, Debug)]
pub struct ImportUpload {
    pub id: i64,
    pub kind: app::model::ImportKind,
    pub file_name: String,
    pub content: Vec<u8>,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    pub applied_at: Option<DateTime<Utc>>,
}

#[async_trait::async_trait]
pub trait ImportTx: Send {
    /// The id of the invoice with this number, if any.
    async fn invoice_id_by_number(&mut self, number: &str) -> Result<Option<i64>, StorageError>;
    /// The id of the credit note with this external reference, else with this number.
    async fn credit_note_id_by_number(&mut self, number: &str)
    -> Result<Option<i64>, StorageError>;
    /// The ids of the customers with exactly this name (names are not unique).
    async fn customer_ids_by_name(&mut self, name: &str) -> Result<Vec<i64>, StorageError>;
    async fn insert_import_upload(
        &mut self,
        kind: app::model::ImportKind,
        file_name: &str,
        content: &[u8],
        uploaded_by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StorageError>;
    async fn import_upload(&mut self, id: i64) -> Result<Option<ImportUpload>, StorageError>;
    async fn mark_import_applied(&mut self, id: i64, at: DateTime<Utc>)
    -> Result<(), StorageError>;
}
