//! E-invoices: a finalized credit note or an issued invoice as UBL 2.1 XML or as a Factur-X
//! PDF (PDF/A-3 with its CII XML attached), for whoever may read the document.

use app::domain::{InvoiceStatus, MoneyError, Permission};
use app::model::{CurrentUser, DocumentKind};
use app::problem::Problem;

use super::documents::RenderedFile;
use super::{ServiceError, Services};
use crate::einvoice::{EDocument, cii, ubl};
use crate::pdf::PrintData;
use crate::storage::TemplateRecord;

/// The two syntaxes a document is exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EInvoiceFormat {
    /// UBL 2.1 XML.
    Ubl,
    /// A PDF/A-3 with the CII XML attached (EN 16931 profile).
    FacturX,
}

fn not_final(detail: &str) -> ServiceError {
    ServiceError::Invalid(Problem::new(409, "not_final", detail))
}

/// Refuses a document EN 16931 would reject, naming each missing part on its field.
fn complete(document: Result<EDocument, MoneyError>) -> Result<EDocument, ServiceError> {
    // Stored amounts were checked when written; a failure here is a bug, not input.
    let document =
        document.map_err(|error| ServiceError::Internal(format!("e-invoice amounts: {error}")))?;
    let gaps = document.gaps();
    if gaps.is_empty() {
        return Ok(document);
    }
    Err(ServiceError::Invalid(Problem {
        errors: gaps,
        ..Problem::new(
            409,
            "einvoice_incomplete",
            "An e-invoice (EN 16931) needs details this document lacks: see errors",
        )
    }))
}

impl Services {
    /// A finalized credit note as an e-invoice (a portal user: its own notes only).
    pub async fn credit_note_einvoice(
        &self,
        user: &CurrentUser,
        id: i64,
        format: EInvoiceFormat,
    ) -> Result<RenderedFile, ServiceError> {
        self.authorize(user, Permission::DownloadCreditNotePdf)?;
        let note = self.credit_note(user, id).await?;
        self.render_limiter.take(user.id)?;
        let Some(number) = note.number.clone() else {
            return Err(not_final(
                "A draft credit note has no number yet: e-invoices are for finalized notes",
            ));
        };
        let context = self
            .print_context(super::documents::PrintSubject::credit_note(&note))
            .await?;
        let tax_in_books = context.tax_in_books(note.currency, &note.lines);
        let document = complete(
            EDocument::credit_note(
                &note,
                number,
                &context.buyer,
                &context.seller,
                context.related.clone(),
            )
            .map(|document| document.with_tax_in_accounting_currency(tax_in_books)),
        )?;
        let data = context.credit_note(&note);
        self.einvoice_file(
            DocumentKind::CreditNote,
            context.saved,
            data,
            &document,
            format,
        )
        .await
    }

    /// An issued invoice as an e-invoice (a portal user: its own customer's only).
    pub async fn invoice_einvoice(
        &self,
        user: &CurrentUser,
        id: i64,
        format: EInvoiceFormat,
    ) -> Result<RenderedFile, ServiceError> {
        let invoice = self.invoice(user, id).await?;
        self.render_limiter.take(user.id)?;
        if invoice.status == InvoiceStatus::Draft {
            return Err(not_final(
                "A draft invoice is not issued yet: e-invoices are for issued invoices",
            ));
        }
        let context = self
            .print_context(super::documents::PrintSubject::invoice(&invoice))
            .await?;
        let tax_in_books = context.tax_in_books(invoice.currency, &invoice.lines);
        let document = complete(
            EDocument::invoice(
                &invoice,
                &context.buyer,
                &context.seller,
                context.related.clone(),
            )
            .map(|document| document.with_tax_in_accounting_currency(tax_in_books)),
        )?;
        let data = context.invoice(&invoice);
        self.einvoice_file(
            DocumentKind::Invoice,
            context.saved,
            data,
            &document,
            format,
        )
        .await
    }

    /// The file of `format`: the UBL XML, or the printed document with its CII attached.
    async fn einvoice_file(
        &self,
        kind: DocumentKind,
        saved: Option<TemplateRecord>,
        data: PrintData,
        document: &EDocument,
        format: EInvoiceFormat,
    ) -> Result<RenderedFile, ServiceError> {
        match format {
            EInvoiceFormat::Ubl => Ok(RenderedFile {
                file_name: format!("{}.xml", document.number),
                content_type: "application/xml",
                bytes: ubl::write(document).into_bytes(),
            }),
            EInvoiceFormat::FacturX => {
                let cii = cii::write(document);
                let bytes = self.render(kind, saved, data, Some(cii)).await?;
                Ok(RenderedFile::pdf(
                    format!("{}-factur-x.pdf", document.number),
                    bytes,
                ))
            }
        }
    }
}
