//! What issued documents print, kept as issued. When an invoice is issued or a credit note
//! finalized here, the renderer's inputs are frozen in the same transaction: the document as
//! its template reads it, the template and layout sources, the logo (sources and logo kept once
//! each, by SHA-256). The SHA-256 over all of it goes into the note's seal. The first download
//! renders the PDF from those inputs and keeps it with its own SHA-256; every later download,
//! e-mail or reminder serves that file. So a reprint is the document as issued, whatever the
//! customer, the seller's details or the template became since (CGI art. 289: the document
//! issued is the one kept). Drafts, documents issued by another system (imported) and those
//! issued before prints were kept render live.
//!
//! The PDF is made on first download rather than in the issuing transaction: rendering takes
//! tens of milliseconds, and the database's writer is not held for it.

use app::model::DocumentKind;
use serde::Serialize;

use super::documents::{PrintSubject, print_context_in};
use super::seals::sha256_hex;
use super::{ServiceError, Services};
use crate::pdf::{PrintData, RenderJob};
use crate::storage::{IssuedPrintRecord, SalesDocumentId, TemplateRecord, Tx};

/// What an issued print's SHA-256 covers, in a fixed order.
#[derive(Serialize)]
struct FrozenPrint<'a> {
    main: &'a str,
    sources: &'a [(String, String)],
    data: &'a str,
    logo_sha256: Option<&'a str>,
}

/// The SHA-256 over a print's inputs (the stored one, recomputed, shows an edited print).
pub(super) fn print_sha256(print: &IssuedPrintRecord) -> String {
    super::seals::sha256_after(
        "",
        &FrozenPrint {
            main: &print.main,
            sources: &print.sources,
            data: &print.data,
            logo_sha256: print.logo_sha256.as_deref(),
        },
    )
}

impl Services {
    /// Freezes what a credit note prints, in the transaction that finalizes it.
    pub(super) async fn freeze_credit_note_print(
        &self,
        tx: &mut Box<dyn Tx>,
        note: &app::model::CreditNoteView,
    ) -> Result<(), ServiceError> {
        let kind = DocumentKind::CreditNote;
        let context = print_context_in(tx, PrintSubject::credit_note(note)).await?;
        let data = context.credit_note(note);
        let document = SalesDocumentId::CreditNote(note.id);
        self.freeze_print(tx, document, kind, &data, context.saved.as_ref())
            .await
    }

    /// Freezes what an invoice prints, in the transaction that issues it.
    pub(super) async fn freeze_invoice_print(
        &self,
        tx: &mut Box<dyn Tx>,
        invoice: &app::model::InvoiceView,
    ) -> Result<(), ServiceError> {
        let kind = DocumentKind::Invoice;
        let context = print_context_in(tx, PrintSubject::invoice(invoice)).await?;
        let data = context.invoice(invoice);
        let document = SalesDocumentId::Invoice(invoice.id);
        self.freeze_print(tx, document, kind, &data, context.saved.as_ref())
            .await
    }

    /// Freezes what `document` prints (`data`, with the template `saved` in Settings if any).
    async fn freeze_print(
        &self,
        tx: &mut Box<dyn Tx>,
        document: SalesDocumentId,
        kind: DocumentKind,
        data: &PrintData,
        saved: Option<&TemplateRecord>,
    ) -> Result<(), ServiceError> {
        let saved = saved.map(|template| template.source.as_str());
        let job = self
            .printer
            .job(kind, saved, data, None)
            .map_err(|error| ServiceError::Internal(format!("the print: {error}")))?;
        let mut sources = Vec::with_capacity(job.sources.len());
        for (name, text) in &job.sources {
            let sha256 = sha256_hex(text.as_bytes());
            tx.save_print_asset(&sha256, text.as_bytes()).await?;
            sources.push((name.clone(), sha256));
        }
        let logo_sha256 = match job.logo_bytes() {
            Some(logo) => {
                let sha256 = sha256_hex(&logo);
                tx.save_print_asset(&sha256, &logo).await?;
                Some(sha256)
            }
            None => None,
        };
        let mut print = IssuedPrintRecord {
            main: job.main,
            sources,
            data: job.data,
            logo_sha256,
            sha256: String::new(),
            pdf: None,
            pdf_sha256: None,
        };
        print.sha256 = print_sha256(&print);
        tx.insert_issued_print(document, &print, self.now()).await?;
        Ok(())
    }

    /// The PDF `document` was issued with: kept, or rendered from its frozen print and kept
    /// (the first kept stays, should two downloads race). `None` when it has no frozen print.
    pub(super) async fn issued_pdf(
        &self,
        document: SalesDocumentId,
    ) -> Result<Option<Vec<u8>>, ServiceError> {
        let job = {
            let mut tx = self.storage.read().await?;
            let Some(print) = tx.issued_print(document).await? else {
                return Ok(None);
            };
            if let Some(pdf) = print.pdf {
                return Ok(Some(pdf));
            }
            frozen_job(&mut tx, &print).await?
        };
        let kind = match document {
            SalesDocumentId::Invoice(_) => DocumentKind::Invoice,
            SalesDocumentId::CreditNote(_) => DocumentKind::CreditNote,
        };
        let pdf = self.render_frozen(kind, &job).await?;
        let mut tx = self.storage.write().await?;
        tx.keep_issued_pdf(document, &pdf, &sha256_hex(&pdf), self.now())
            .await?;
        let kept = tx
            .issued_print(document)
            .await?
            .and_then(|print| print.pdf)
            .ok_or_else(|| ServiceError::Internal(format!("the print of {document:?} went")))?;
        tx.commit().await?;
        Ok(Some(kept))
    }

    async fn render_frozen(
        &self,
        kind: DocumentKind,
        job: &RenderJob,
    ) -> Result<Vec<u8>, ServiceError> {
        self.printer
            .render_job(job)
            .await
            .map_err(|error| match error {
                crate::pdf::PrintError::Template(_)
                | crate::pdf::PrintError::TooSlow { .. }
                | crate::pdf::PrintError::TooBig { .. } => {
                    ServiceError::Invalid(app::problem::Problem::new(
                        422,
                        "template_error",
                        format!(
                            "The {} template in force when this document was issued fails on it: \
                         {error}",
                            kind.label().to_lowercase()
                        ),
                    ))
                }
                other => super::documents::render_failed(kind, other),
            })
    }
}

/// The render job a frozen print describes, its sources and logo read back.
async fn frozen_job(
    tx: &mut Box<dyn Tx>,
    print: &IssuedPrintRecord,
) -> Result<RenderJob, ServiceError> {
    let missing = |sha256: &str| ServiceError::Internal(format!("print asset {sha256} is missing"));
    let mut sources = Vec::with_capacity(print.sources.len());
    for (name, sha256) in &print.sources {
        let bytes = tx
            .print_asset(sha256)
            .await?
            .ok_or_else(|| missing(sha256))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| ServiceError::Internal(format!("print asset {sha256} is not text")))?;
        sources.push((name.clone(), text));
    }
    let logo = match &print.logo_sha256 {
        Some(sha256) => Some(RenderJob::encode_logo(
            &tx.print_asset(sha256)
                .await?
                .ok_or_else(|| missing(sha256))?,
        )),
        None => None,
    };
    Ok(RenderJob {
        main: print.main.clone(),
        sources,
        data: print.data.clone(),
        logo,
        facturx: None,
    })
}
