//! Printed documents: PDFs of credit notes and invoices, the seller's details they carry, and
//! the templates saved in Settings.

use app::domain::{Permission, RuleCode, Violation};
use app::model::{CurrentUser, DocumentKind, SellerProfile};
use chrono::NaiveDate;

use super::{ServiceError, Services, views};
use crate::pdf::{PrintData, PrintError, print};
use crate::storage::{Logo, TemplateRecord};

/// A rendered document to download: its file name, media type and bytes.
pub struct RenderedFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl RenderedFile {
    pub fn pdf(file_name: String, bytes: Vec<u8>) -> Self {
        RenderedFile {
            file_name,
            content_type: "application/pdf",
            bytes,
        }
    }
}

/// The document a print context is for: its kind, id and currency, its customer, and the
/// invoice it relates to.
pub(super) struct PrintSubject {
    kind: DocumentKind,
    document: crate::storage::SalesDocumentId,
    currency: app::domain::Currency,
    customer_id: i64,
    related_invoice_id: Option<i64>,
}

impl PrintSubject {
    pub fn credit_note(note: &app::model::CreditNoteView) -> Self {
        PrintSubject {
            kind: DocumentKind::CreditNote,
            document: crate::storage::SalesDocumentId::CreditNote(note.id),
            currency: note.currency,
            customer_id: note.customer_id,
            related_invoice_id: note.related_invoice_id,
        }
    }

    pub fn invoice(invoice: &app::model::InvoiceView) -> Self {
        PrintSubject {
            kind: DocumentKind::Invoice,
            document: crate::storage::SalesDocumentId::Invoice(invoice.id),
            currency: invoice.currency,
            customer_id: invoice.customer_id,
            related_invoice_id: invoice.related_invoice_id,
        }
    }
}

pub(super) struct PrintContext {
    pub buyer: app::model::CustomerView,
    pub related: Option<(String, NaiveDate)>,
    pub seller: SellerProfile,
    pub logo: Option<Logo>,
    pub saved: Option<TemplateRecord>,
    /// The rate a foreign document is booked at.
    pub rate: Option<rust_decimal::Decimal>,
}

impl PrintContext {
    /// The credit note as its template sees it, with the seller's logo.
    pub fn credit_note(&self, note: &app::model::CreditNoteView) -> PrintData {
        let mut data = print::credit_note(note, &self.buyer, &self.seller, self.related.clone());
        data.book_vat = self.book_vat(note.currency, &note.lines);
        self.with_logo(data)
    }

    /// The invoice as its template sees it, with the seller's logo.
    pub fn invoice(&self, invoice: &app::model::InvoiceView) -> PrintData {
        let mut data = print::invoice(invoice, &self.buyer, &self.seller, self.related.clone());
        data.book_vat = self.book_vat(invoice.currency, &invoice.lines);
        self.with_logo(data)
    }

    /// A foreign document's VAT total in the books' currency, at the rate it is booked at, as
    /// its entry books it.
    pub fn tax_in_books(
        &self,
        currency: app::domain::Currency,
        lines: &[app::model::LineView],
    ) -> Option<(app::domain::Currency, rust_decimal::Decimal)> {
        let book = app::domain::exchange::book_currency();
        let rate = self.rate.filter(|_| currency != book)?;
        let inputs: Vec<app::domain::LineInput> = lines.iter().map(|line| line.input()).collect();
        let tax = app::domain::exchange::vat_in_books(&inputs, currency, rate).ok()?;
        Some((book, tax))
    }

    /// The VAT total in euros as a document prints it, with its rate.
    fn book_vat(
        &self,
        currency: app::domain::Currency,
        lines: &[app::model::LineView],
    ) -> Option<print::BookVat> {
        let (book, tax) = self.tax_in_books(currency, lines)?;
        Some(print::BookVat::new(
            self.buyer.document_language,
            book,
            tax,
            self.rate?,
            currency,
        ))
    }

    fn with_logo(&self, mut data: PrintData) -> PrintData {
        data.logo = self
            .logo
            .as_ref()
            .map(|logo| typst::foundations::Bytes::new(logo.content.clone()));
        data
    }
}

/// Texts of the seller's details are at most this long.
const MAX_SELLER_TEXT_CHARS: usize = 200;

impl Services {
    /// The credit note as a PDF, for whoever may read it (a portal user: its own finalized
    /// notes only; others answer 404): the one it was finalized with, once finalized.
    pub async fn credit_note_pdf(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<RenderedFile, ServiceError> {
        self.authorize(user, Permission::DownloadCreditNotePdf)?;
        let note = self.credit_note(user, id).await?;
        self.render_limiter.take(user.id)?;
        if let (Some(number), false) = (&note.number, note.imported) {
            let document = crate::storage::SalesDocumentId::CreditNote(id);
            if let Some(pdf) = self.issued_pdf(document).await? {
                return Ok(RenderedFile::pdf(format!("{number}.pdf"), pdf));
            }
        }
        let context = self.print_context(PrintSubject::credit_note(&note)).await?;
        let data = context.credit_note(&note);
        let file_name = match &note.number {
            Some(number) => format!("{number}.pdf"),
            None => format!("draft-credit-note-{}.pdf", note.id),
        };
        let bytes = self
            .render(DocumentKind::CreditNote, context.saved, data, None)
            .await?;
        Ok(RenderedFile::pdf(file_name, bytes))
    }

    /// The invoice as a PDF, for whoever may read it (a portal user: its own customer's
    /// non-draft invoices; others answer 404).
    pub async fn invoice_pdf(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<RenderedFile, ServiceError> {
        let invoice = self.invoice(user, id).await?;
        self.render_limiter.take(user.id)?;
        self.render_invoice_pdf(&invoice).await
    }

    /// The PDF of an invoice the caller was allowed to read.
    pub(super) async fn render_invoice_pdf(
        &self,
        invoice: &app::model::InvoiceView,
    ) -> Result<RenderedFile, ServiceError> {
        if invoice.status != app::domain::InvoiceStatus::Draft && !invoice.imported {
            let document = crate::storage::SalesDocumentId::Invoice(invoice.id);
            if let Some(pdf) = self.issued_pdf(document).await? {
                return Ok(RenderedFile::pdf(format!("{}.pdf", invoice.number), pdf));
            }
        }
        let context = self.print_context(PrintSubject::invoice(invoice)).await?;
        let data = context.invoice(invoice);
        let file_name = if data.draft {
            format!("draft-invoice-{}.pdf", invoice.id)
        } else {
            format!("{}.pdf", invoice.number)
        };
        let bytes = self
            .render(DocumentKind::Invoice, context.saved, data, None)
            .await?;
        Ok(RenderedFile::pdf(file_name, bytes))
    }

    /// What a document prints besides itself, read in one snapshot: the customer, the related
    /// invoice's number and date, the seller, and the template saved in Settings.
    pub(super) async fn print_context(
        &self,
        subject: PrintSubject,
    ) -> Result<PrintContext, ServiceError> {
        let mut tx = self.storage.read().await?;
        print_context_in(&mut tx, subject).await
    }

    /// Renders in a worker process, within the printer's limits. With `facturx` (the
    /// document's CII XML), a Factur-X PDF.
    pub(super) async fn render(
        &self,
        kind: DocumentKind,
        saved: Option<TemplateRecord>,
        data: PrintData,
        facturx: Option<String>,
    ) -> Result<Vec<u8>, ServiceError> {
        let saved = saved.as_ref().map(|t| t.source.as_str());
        let rendered = match &facturx {
            Some(cii) => self.printer.render_facturx(kind, saved, &data, cii).await,
            None => self.printer.render(kind, saved, &data).await,
        };
        rendered.map_err(|error| render_failed(kind, error))
    }

    /// The seller's details (administrators); empty until saved.
    pub async fn seller(&self, user: &CurrentUser) -> Result<SellerProfile, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let mut tx = self.storage.read().await?;
        Ok(tx.seller().await?.unwrap_or_default())
    }

    /// Saves the seller's details (administrators). The name is required; texts are trimmed,
    /// and blank optional ones are left out.
    pub async fn set_seller(
        &self,
        user: &CurrentUser,
        seller: SellerProfile,
    ) -> Result<SellerProfile, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let seller = tidy_seller(seller);
        let violations = seller_violations(&seller);
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        let mut tx = self.storage.write().await?;
        let fiscal_year = |seller: Option<&SellerProfile>| {
            seller
                .and_then(|seller| seller.fiscal_year_end.as_deref())
                .and_then(|end| app::domain::FiscalYearEnd::parse(end).ok())
                .unwrap_or_default()
        };
        let new_end = fiscal_year(Some(&seller));
        if fiscal_year(tx.seller().await?.as_ref()) != new_end {
            // Entries are numbered per fiscal year as they are written (the FEC's
            // EcritureNum): the years cannot move under numbered entries. Every journal's head
            // is held, so none is being numbered meanwhile, and the setting read again.
            for journal in app::domain::journal::Journal::ALL {
                tx.journal_head(journal).await?;
            }
            let old_end = fiscal_year(tx.seller().await?.as_ref());
            // The first open day's fiscal year, as either setting has it: no entry may lie in
            // either (its numbers would straddle two partitions).
            let first_open = tx
                .closing_date()
                .await?
                .and_then(|closed| closed.succ_opt());
            let from = first_open.and_then(|day| {
                let old_start = old_end.year_of(day)?.0;
                let new_start = new_end.year_of(day)?.0;
                old_start.min(new_start).pred_opt()
            });
            let moves = old_end != new_end;
            if moves && tx.entries_dated_after(from).await? {
                return Err(ServiceError::Rules(vec![app::domain::Violation::new(
                    app::domain::RuleCode::FiscalYearInUse,
                    Some("fiscal_year_end".into()),
                    "The fiscal year end moves only when no entry is dated in the fiscal years it \
                     would change: entries are numbered in their fiscal year as they are written",
                )]));
            }
        }
        tx.save_seller(&seller, self.now()).await?;
        let saved = tx.seller().await?.unwrap_or(seller);
        tx.commit().await?;
        Ok(saved)
    }

    /// The template that applies to `kind`, and whether it was saved in Settings.
    pub async fn document_template(
        &self,
        user: &CurrentUser,
        kind: DocumentKind,
    ) -> Result<(String, bool), ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let mut tx = self.storage.read().await?;
        Ok(match tx.document_template(kind).await? {
            Some(saved) => (saved.source, true),
            None => (self.printer.default_template(kind).to_string(), false),
        })
    }

    /// Saves a template for `kind` (administrators) once it renders every sample document;
    /// otherwise refuses it with what Typst said, and nothing changes.
    pub async fn save_document_template(
        &self,
        user: &CurrentUser,
        kind: DocumentKind,
        source: String,
    ) -> Result<(), ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        if app::domain::text::holds_nul(&source) {
            return Err(ServiceError::Rules(vec![app::domain::text::nul_violation(
                "source",
            )]));
        }
        let checked = self.printer.check(kind, Some(&source)).await;
        if let Err(error) = checked {
            return Err(ServiceError::Rules(vec![Violation::new(
                RuleCode::ValidationError,
                Some("source".into()),
                format!("The template does not render: {error}"),
            )]));
        }
        let mut tx = self.storage.write().await?;
        tx.save_document_template(kind, &source, self.now(), user.id)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Goes back to the built-in (or templates-directory) template of `kind`.
    pub async fn reset_document_template(
        &self,
        user: &CurrentUser,
        kind: DocumentKind,
    ) -> Result<(), ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let mut tx = self.storage.write().await?;
        tx.remove_document_template(kind).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn tidy(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

/// A registration number as stored: the spaces people type between its groups taken out.
fn digits_only(typed: &str) -> String {
    typed.split_whitespace().collect()
}

fn tidy_seller(seller: SellerProfile) -> SellerProfile {
    let address = seller.address;
    SellerProfile {
        name: seller.name.trim().to_string(),
        address: app::model::Address::typed(
            &address.line1,
            address.line2.as_deref().unwrap_or(""),
            &address.city,
            &address.postal_code,
            &address.country,
        ),
        vat_id: tidy(seller.vat_id),
        iban: tidy(seller.iban),
        email: tidy(seller.email),
        // The logo has its own upload; what was sent here does not count.
        logo_media_type: None,
        late_payment_penalty: tidy(seller.late_payment_penalty),
        early_payment_discount: tidy(seller.early_payment_discount),
        legal_identity: app::domain::LegalIdentity {
            legal_form: tidy(seller.legal_identity.legal_form),
            share_capital: tidy(seller.legal_identity.share_capital),
            siren: tidy(seller.legal_identity.siren).map(|siren| digits_only(&siren)),
            siret: tidy(seller.legal_identity.siret).map(|siret| digits_only(&siret)),
            rcs_city: tidy(seller.legal_identity.rcs_city),
        },
        vat_regime: seller.vat_regime,
        fiscal_year_end: tidy(seller.fiscal_year_end),
    }
}

/// Refuses to issue a document while the seller's legal identity is incomplete; answers the
/// seller otherwise (Code de commerce art. R123-237, CGI annexe II art. 242 nonies A).
pub(super) async fn require_issuer(
    tx: &mut Box<dyn crate::storage::Tx>,
) -> Result<SellerProfile, ServiceError> {
    let seller = tx.seller().await?.unwrap_or_default();
    app::domain::check_issuer(&seller.issuer_facts()).map_err(ServiceError::Rules)?;
    Ok(seller)
}

/// Refuses to issue a document whose buyer its lines or the law need identified: the VAT
/// number for intra-EU supply or reverse-charge lines (CGI annexe II art. 242 nonies A, I-2°),
/// the SIREN of a business established in France (the 2026 reform, décret n° 2022-1299).
pub(super) async fn require_identified_buyer(
    tx: &mut Box<dyn crate::storage::Tx>,
    customer_id: i64,
    lines: &[app::domain::LineInput],
) -> Result<(), ServiceError> {
    let buyer = tx
        .customer(customer_id)
        .await?
        .map(views::customer)
        .ok_or(ServiceError::NotFound("The customer"))?;
    let violations: Vec<Violation> = [
        app::domain::check_buyer_identified(lines, buyer.vat_id.as_deref()),
        app::domain::check_buyer_siren(
            &buyer.billing_address.country,
            buyer.consumer,
            buyer.siren.as_deref(),
        ),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Rules(violations))
    }
}

fn seller_violations(seller: &SellerProfile) -> Vec<Violation> {
    let mut violations = Vec::new();
    let mut refuse =
        |field: &str, message: String| violations.push(Violation::invalid(field, message));
    if seller.name.is_empty() {
        refuse(
            "name",
            "Give the seller's name as documents print it".into(),
        );
    }
    let texts = [
        ("name", Some(&seller.name)),
        ("vat_id", seller.vat_id.as_ref()),
        ("iban", seller.iban.as_ref()),
        ("email", seller.email.as_ref()),
        ("late_payment_penalty", seller.late_payment_penalty.as_ref()),
        (
            "early_payment_discount",
            seller.early_payment_discount.as_ref(),
        ),
        ("address.line1", Some(&seller.address.line1)),
        ("address.line2", seller.address.line2.as_ref()),
        ("address.city", Some(&seller.address.city)),
        ("address.postal_code", Some(&seller.address.postal_code)),
        ("address.country", Some(&seller.address.country)),
        (
            "legal_identity.legal_form",
            seller.legal_identity.legal_form.as_ref(),
        ),
        (
            "legal_identity.share_capital",
            seller.legal_identity.share_capital.as_ref(),
        ),
        (
            "legal_identity.rcs_city",
            seller.legal_identity.rcs_city.as_ref(),
        ),
    ];
    for (field, text) in texts {
        let Some(text) = text else { continue };
        if app::domain::text::holds_nul(text) {
            refuse(field, app::domain::text::NUL_REFUSED.into());
        } else if text.chars().count() > MAX_SELLER_TEXT_CHARS {
            refuse(field, format!("At most {MAX_SELLER_TEXT_CHARS} characters"));
        }
    }
    let identity = &seller.legal_identity;
    let siren = identity.siren.as_deref().map(app::domain::parse_siren);
    if let Some(Err(why)) = &siren {
        refuse("legal_identity.siren", why.clone());
    }
    match identity.siret.as_deref().map(app::domain::parse_siret) {
        Some(Err(why)) => refuse("legal_identity.siret", why),
        Some(Ok(siret)) => {
            if let Some(Ok(siren)) = &siren
                && !siret.starts_with(siren.as_str())
            {
                refuse(
                    "legal_identity.siret",
                    format!("A SIRET starts with its SIREN ({siren})"),
                );
            }
        }
        None => {}
    }
    if let Some(Err(why)) = seller
        .fiscal_year_end
        .as_deref()
        .map(app::domain::FiscalYearEnd::parse)
    {
        refuse("fiscal_year_end", why);
    }
    violations
}

/// [`Services::print_context`] in the caller's transaction.
pub(super) async fn print_context_in(
    tx: &mut Box<dyn crate::storage::Tx>,
    subject: PrintSubject,
) -> Result<PrintContext, ServiceError> {
    let buyer = tx
        .customer(subject.customer_id)
        .await?
        .map(views::customer)
        .ok_or(ServiceError::NotFound("The customer"))?;
    let related = match subject.related_invoice_id {
        Some(id) => tx
            .invoice(id)
            .await?
            .map(|invoice| (invoice.number, invoice.issue_date)),
        None => None,
    };
    Ok(PrintContext {
        buyer,
        related,
        seller: tx.seller().await?.unwrap_or_default(),
        logo: tx.seller_logo().await?,
        saved: tx.document_template(subject.kind).await?,
        rate: super::journal::book_rate(tx, subject.document, subject.currency).await?,
    })
}

/// A refusal to render `kind` as the caller hears it: the template's fault (an administrator
/// corrects it), a busy printer (try again), or an internal error.
pub(super) fn render_failed(kind: DocumentKind, error: PrintError) -> ServiceError {
    let template = kind.label().to_lowercase();
    match error {
        PrintError::Template(_) | PrintError::TooSlow { .. } | PrintError::TooBig { .. } => {
            ServiceError::Invalid(app::problem::Problem::new(
                422,
                "template_error",
                format!(
                    "The {template} template fails on this document: {error}. An \
                     administrator can correct it in Settings."
                ),
            ))
        }
        PrintError::Busy => ServiceError::Invalid(app::problem::Problem::new(
            503,
            "renderer_busy",
            "Every PDF renderer is busy; try again in a moment",
        )),
        other => ServiceError::Internal(other.to_string()),
    }
}
