//! Seals: the hash chain over finalized credit notes, the prints issued documents keep, and
//! one-off start-up backfills.

use super::StorageError;

/// A finalized credit note's or an issued invoice's place in its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealRecord {
    pub id: i64,
    pub number: String,
    pub seal: Option<String>,
    /// Which content the seal covers (see `services::seals`).
    pub version: i64,
}

/// What an issued document prints, frozen when it was issued: the renderer's main file, its
/// sources and logo by SHA-256 (the content kept once in the print assets), the document's
/// data, the SHA-256 over all of it, and the PDF once rendered from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedPrintRecord {
    pub main: String,
    /// `(file name, SHA-256)` of each source.
    pub sources: Vec<(String, String)>,
    pub data: String,
    pub logo_sha256: Option<String>,
    pub sha256: String,
    pub pdf: Option<Vec<u8>>,
    pub pdf_sha256: Option<String>,
}

#[async_trait::async_trait]
pub trait SealTx: Send {
    /// The seal of the credit note numbered `number`, if it exists and is sealed.
    async fn credit_note_seal(&mut self, number: &str) -> Result<Option<String>, StorageError>;
    async fn set_credit_note_seal(
        &mut self,
        id: i64,
        seal: &str,
        version: i64,
    ) -> Result<(), StorageError>;
    /// Finalized credit notes numbered after `after`, in number order, at most `limit`.
    async fn sealed_credit_notes(
        &mut self,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<SealRecord>, StorageError>;
    /// The seal of the last sealed invoice of `number`'s series (`INV-YYYY-`) numbered before
    /// it.
    async fn invoice_seal_before(&mut self, number: &str) -> Result<Option<String>, StorageError>;
    async fn set_invoice_seal(
        &mut self,
        id: i64,
        seal: &str,
        version: i64,
    ) -> Result<(), StorageError>;
    /// Invoices issued here (neither drafts nor imported) numbered after `after`, in number
    /// order, at most `limit`.
    async fn sealed_invoices(
        &mut self,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<SealRecord>, StorageError>;
    /// Keeps `content` under its SHA-256 (once: a second save changes nothing).
    async fn save_print_asset(&mut self, sha256: &str, content: &[u8]) -> Result<(), StorageError>;
    async fn print_asset(&mut self, sha256: &str) -> Result<Option<Vec<u8>>, StorageError>;
    /// Freezes what `document` prints, as it is issued.
    async fn insert_issued_print(
        &mut self,
        document: super::SalesDocumentId,
        print: &IssuedPrintRecord,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StorageError>;
    async fn issued_print(
        &mut self,
        document: super::SalesDocumentId,
    ) -> Result<Option<IssuedPrintRecord>, StorageError>;
    /// Keeps the PDF rendered from `document`'s frozen print, unless one is kept already (the
    /// first kept stays).
    async fn keep_issued_pdf(
        &mut self,
        document: super::SalesDocumentId,
        pdf: &[u8],
        sha256: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StorageError>;
    /// Removes the backfill named `name` from those pending; whether it was pending.
    async fn take_pending_backfill(&mut self, name: &str) -> Result<bool, StorageError>;
}
