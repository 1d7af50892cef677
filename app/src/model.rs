//! What pages and API answers show of invoices, credit notes and links. Shared by server and
//! browser; the balance conversions feed the domain's link rules.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::{
    Charge, CreditNoteBalance, CreditNoteStatus, Currency, InvoiceBalance, InvoiceKind,
    InvoiceStatus, LineInput, VatCategory,
};

/// A document line as shown and answered: what was entered and what it computes to.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Decimal,
    pub net: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
    /// When the line's goods were shipped, if known.
    #[serde(default)]
    pub ship_date: Option<NaiveDate>,
    /// Why the line is taxed as it is (EN 16931 VAT category).
    pub vat_category: VatCategory,
    /// What an untaxed line prints about its VAT (the exempting article, "Autoliquidation").
    pub vat_exemption_reason: Option<String>,
    /// What the line sells: goods or services.
    #[serde(default)]
    pub nature: crate::domain::LineNature,
    /// Where its net is booked, when its tax category has an account of its own.
    #[serde(default)]
    pub revenue_account: Option<crate::domain::journal::Account>,
}

impl LineView {
    /// What a document with these lines sells: goods, services or both (none without lines).
    pub fn operations(lines: &[LineView]) -> Option<crate::domain::OperationNature> {
        crate::domain::OperationNature::of_lines(lines.iter().map(|line| line.nature))
    }

    pub fn input(&self) -> LineInput {
        LineInput {
            description: self.description.clone(),
            quantity: self.quantity,
            unit_price: self.unit_price,
            discount_percent: self.discount_percent,
            tax_rate: self.tax_rate,
            ship_date: self.ship_date,
            vat_category: Some(self.vat_category),
            vat_exemption_reason: self.vat_exemption_reason.clone(),
            nature: Some(self.nature),
            revenue_account: self.revenue_account.clone(),
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub author: Option<String>,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationView {
    pub id: i64,
    pub credit_note_id: i64,
    pub credit_note_number: Option<String>,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub amount: Decimal,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub lines: Vec<LineView>,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub paid_amount: Decimal,
    pub credited_amount: Decimal,
    pub related_invoice_id: Option<i64>,
    pub project: Option<String>,
    /// Came from another system by import: that system issued it, and only an import changes
    /// it. An invoice issued here is never changed once issued.
    pub imported: bool,
    pub allocations: Vec<AllocationView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl InvoiceView {
    pub fn balance(&self) -> InvoiceBalance {
        InvoiceBalance {
            id: self.id,
            customer_id: self.customer_id,
            currency: self.currency,
            status: self.status,
            total: self.total,
            paid: self.paid_amount,
            credited: self.credited_amount,
        }
    }

    pub fn outstanding(&self) -> Decimal {
        self.balance().outstanding()
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteView {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub customer_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    pub date: NaiveDate,
    pub status: CreditNoteStatus,
    /// The number of the related invoice, if any.
    pub related_invoice_number: Option<String>,
    pub reason: Option<String>,
    pub reason_category: Option<crate::domain::ReasonCategory>,
    /// Where the note is billed: the customer's billing address when the note was made,
    /// unless the note says otherwise.
    pub billing_address: Address,
    pub shipping_address: Address,
    pub related_invoice_id: Option<i64>,
    /// The related invoice's project, carried on.
    pub project: Option<String>,
    /// The number the note had in the system it was imported from.
    #[serde(default)]
    pub external_reference: Option<String>,
    /// Issued by that system: it keeps that system's number as its own and takes none of this
    /// desk's series. Notes imported before were finalized here, under a CN number.
    #[serde(default)]
    pub imported: bool,
    /// The latest ship date of the credited lines, when they have one.
    pub ship_date: Option<NaiveDate>,
    pub lines: Vec<LineView>,
    pub charge: Option<Charge>,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub allocated_amount: Decimal,
    pub refunded_amount: Decimal,
    /// What was written off when the remaining credit was voided.
    #[serde(default)]
    pub voided_amount: Decimal,
    /// Why the remaining credit was voided.
    #[serde(default)]
    pub void_reason: Option<String>,
    pub allocations: Vec<AllocationView>,
    pub comments: Vec<CommentView>,
    pub created_at: DateTime<Utc>,
    pub finalized_at: Option<DateTime<Utc>>,
}

impl CreditNoteView {
    pub fn balance(&self) -> CreditNoteBalance {
        LinkCandidate::from(self).balance()
    }

    pub fn remaining_amount(&self) -> Decimal {
        self.balance().remaining()
    }

    /// What already settles the note: what keeps it from being cancelled.
    pub fn settled(&self) -> crate::domain::Settled {
        crate::domain::Settled {
            linked: !self.allocations.is_empty(),
            refunded: !self.refunded_amount.is_zero(),
        }
    }

    /// The number once finalized, else a placeholder naming the draft.
    pub fn display_number(&self) -> String {
        english_number(self.number.as_deref(), self.id)
    }
}

/// A credit note's number once finalized, else a placeholder naming the draft, in English
/// (server messages and the API); pages say it in their language ([`shown_number`]).
fn english_number(number: Option<&str>, id: i64) -> String {
    number.map_or_else(|| format!("Draft #{id}"), str::to_string)
}

/// A credit note's number once finalized, else the draft's name in the page's language
/// ("Draft #12", "Brouillon n° 12"). For pages only: elsewhere it would be English.
pub fn shown_number(number: Option<&str>, id: i64) -> String {
    use crate::i18n::{Msg, tf};
    number.map_or_else(
        || tf(Msg::CreditNotesDraftNumber, &[("id", &id.to_string())]),
        str::to_string,
    )
}

/// An invoice's number; a draft's reserved `DRAFT-<id>` in the page's language (pages only).
pub fn shown_invoice_number(number: &str) -> String {
    use crate::i18n::{Msg, tf};
    match number.strip_prefix("DRAFT-") {
        Some(id) if id.bytes().all(|b| b.is_ascii_digit()) => {
            tf(Msg::InvoicesDraftNumber, &[("id", id)])
        }
        _ => number.to_string(),
    }
}

/// A credit note as the link dialog lists it: what its rules and its row need, nothing more.
/// A customer may hold thousands: as full notes (lines, addresses, comments) 5,000 of them
/// made the dialog's page 7 MB.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCandidate {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub status: CreditNoteStatus,
    pub total: Decimal,
    pub allocated_amount: Decimal,
    pub refunded_amount: Decimal,
    #[serde(default)]
    pub voided_amount: Decimal,
}

impl LinkCandidate {
    pub fn balance(&self) -> CreditNoteBalance {
        CreditNoteBalance {
            id: self.id,
            customer_id: self.customer_id,
            currency: self.currency,
            status: self.status,
            total: self.total,
            allocated: self.allocated_amount,
            refunded: self.refunded_amount,
            voided: self.voided_amount,
        }
    }

    pub fn remaining_amount(&self) -> Decimal {
        self.balance().remaining()
    }

    pub fn display_number(&self) -> String {
        english_number(self.number.as_deref(), self.id)
    }
}

impl From<&CreditNoteView> for LinkCandidate {
    fn from(note: &CreditNoteView) -> Self {
        LinkCandidate {
            id: note.id,
            number: note.number.clone(),
            customer_id: note.customer_id,
            currency: note.currency,
            date: note.date,
            status: note.status,
            total: note.total,
            allocated_amount: note.allocated_amount,
            refunded_amount: note.refunded_amount,
            voided_amount: note.voided_amount,
        }
    }
}

/// How many of a document's events its page shows: the latest. The API pages through all.
pub const TIMELINE_LIMIT: i64 = 100;

/// Everything the invoice page needs: the invoice and the customer's available credit notes
/// (the candidates of the link dialog).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePage {
    pub invoice: InvoiceView,
    pub candidates: Vec<LinkCandidate>,
    /// Who is looking, so the page offers only what the permission matrix allows.
    pub viewer: CurrentUser,
    /// The invoice's latest events ([`TIMELINE_LIMIT`]), oldest first (staff only; empty for
    /// portal users).
    pub timeline: Vec<TimelineEvent>,
    /// How many events the invoice has in all.
    pub timeline_total: i64,
    /// Today on the server's clock: what date forms propose.
    pub today: NaiveDate,
}

/// Everything the credit-note page needs, read in one snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNotePage {
    pub note: CreditNoteView,
    pub viewer: CurrentUser,
    /// The note's latest events ([`TIMELINE_LIMIT`]), oldest first.
    pub timeline: Vec<TimelineEvent>,
    /// How many events the note has in all.
    pub timeline_total: i64,
    /// Supporting files, oldest first.
    pub attachments: Vec<AttachmentView>,
    /// Tasks, oldest first.
    pub tasks: Vec<TaskView>,
    /// Whom a task can be given to: active staff, id and e-mail.
    pub assignees: Vec<(i64, String)>,
    /// The related invoice, for the "Related invoice" tab.
    pub related_invoice: Option<InvoiceView>,
    /// Today on the server's clock: what date forms propose.
    pub today: NaiveDate,
}

/// A supporting file of a credit note (its content is downloaded separately).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub credit_note_id: i64,
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`, as the content showed.
    pub media_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

/// A task on a credit note.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: i64,
    pub credit_note_id: i64,
    pub title: String,
    pub due_date: Option<NaiveDate>,
    pub assignee_id: Option<i64>,
    pub assignee: Option<String>,
    /// When it was marked done; none while open.
    pub done_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What the new-credit-note form offers: the customers (with their currency and tax region)
/// and the tax table that proposes each line's rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCreditNotePage {
    pub customers: Vec<CustomerView>,
    /// The first invoices the chosen customer's note can relate to (issued standard and
    /// advance invoices); none before a customer is chosen. The field takes any number, and
    /// the browser asks the server for more as the user types.
    pub invoices: Vec<RelatableInvoice>,
    pub tax_table: crate::domain::TaxTable,
    /// Today on the server's clock: the date the form proposes.
    pub today: NaiveDate,
}

/// What the invoice editor needs: the customers to invoice and the tax table that proposes
/// each line's rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceEditorPage {
    pub customers: Vec<CustomerView>,
    pub tax_table: crate::domain::TaxTable,
    /// Today on the server's clock: the issue date the form proposes.
    pub today: NaiveDate,
}

/// An invoice the editor offers as a credit note's related invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatableInvoice {
    pub customer_id: i64,
    pub number: String,
    pub issue_date: NaiveDate,
}

/// What "credit this invoice" shows: the invoice's lines and the notes already related to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditFromInvoicePage {
    pub invoice: InvoiceView,
    /// The first earlier credit notes of this invoice (one list page), in every status.
    pub earlier: Vec<CreditNoteView>,
    /// How many credit notes relate to the invoice in all.
    pub earlier_count: i64,
    /// What every earlier note credits, cancelled ones left out.
    pub credited_before: Decimal,
    /// Today on the server's clock: the date the form proposes.
    pub today: NaiveDate,
}

/// The filters of the credit-note list, as its URL holds them (typed once parsed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteQuery {
    /// `None` lists every status.
    pub status: Option<CreditNoteStatus>,
    /// Numbers starting with this.
    pub number_prefix: Option<String>,
    pub customer_id: Option<i64>,
    pub currency: Option<Currency>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// The related invoice, by its number.
    pub related_invoice_number: Option<String>,
    /// Keyset paging: notes with an id above this.
    pub after: i64,
    /// What the customer filter's search box holds: it narrows the customers the filter
    /// offers, not the list.
    pub customer_search: String,
}

/// The filters of the invoice list, typed once parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceQuery {
    /// `None` lists every status.
    pub status: Option<InvoiceStatus>,
    /// Numbers starting with this.
    pub number_prefix: Option<String>,
    pub customer_id: Option<i64>,
    pub currency: Option<Currency>,
    /// Keyset paging: invoices with an id above this.
    pub after: i64,
    /// What the customer filter's search box holds: it narrows the customers the filter
    /// offers, not the list.
    pub customer_search: String,
}

/// What a PDF is made for: each kind has its own template.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    CreditNote,
    Invoice,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 2] = [DocumentKind::CreditNote, DocumentKind::Invoice];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::CreditNote => "credit_note",
            DocumentKind::Invoice => "invoice",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::CreditNote => "Credit note",
            DocumentKind::Invoice => "Invoice",
        }
    }
}

/// The seller as its documents name it (EU VAT Directive art. 226: name, address, VAT id).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerProfile {
    pub name: String,
    pub address: Address,
    pub vat_id: Option<String>,
    /// Where customers pay to, printed under the totals.
    pub iban: Option<String>,
    pub email: Option<String>,
    /// The logo's type (`image/png` or `image/jpeg`), if one was uploaded; set through
    /// `PUT /settings/seller/logo`, ignored when sent here.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(read_only))]
    pub logo_media_type: Option<String>,
    /// The late-payment penalty rate invoices state (Code de commerce art. L441-9); none: the
    /// legal default, the ECB's main refinancing rate plus 10 percentage points (art. L441-10).
    #[serde(default)]
    pub late_payment_penalty: Option<String>,
    /// The discount for early payment invoices state; none: no discount for early payment.
    #[serde(default)]
    pub early_payment_discount: Option<String>,
    /// Legal form, share capital, SIREN, SIRET, RCS city: required before anything is issued.
    #[serde(default)]
    pub legal_identity: crate::domain::LegalIdentity,
    /// What its documents are (goods, services, both) and whether it pays VAT on debits: the
    /// 2026 e-invoicing reform's mentions.
    #[serde(default)]
    pub vat_regime: crate::domain::VatRegime,
    /// The last day of the fiscal year, `MM-DD` (none: `12-31`): the FEC covers the fiscal year
    /// and is named with its closing date.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(example = "12-31"))]
    pub fiscal_year_end: Option<String>,
}

impl SellerProfile {
    /// The late-payment penalty rate documents state: the seller's, else the legal default.
    pub fn late_payment_penalty_or_default(&self) -> String {
        self.late_payment_penalty
            .clone()
            .unwrap_or_else(|| DEFAULT_LATE_PAYMENT_PENALTY.to_string())
    }

    /// The early-payment discount documents state: the seller's, else none.
    pub fn early_payment_discount_or_default(&self) -> String {
        self.early_payment_discount
            .clone()
            .unwrap_or_else(|| DEFAULT_EARLY_PAYMENT_DISCOUNT.to_string())
    }

    /// What issuing a document requires of this seller.
    pub fn issuer_facts(&self) -> crate::domain::IssuerFacts<'_> {
        let address = &self.address;
        crate::domain::IssuerFacts {
            name: &self.name,
            address_complete: [
                &address.line1,
                &address.city,
                &address.postal_code,
                &address.country,
            ]
            .iter()
            .all(|part| !part.trim().is_empty()),
            french: address.country.trim().eq_ignore_ascii_case("FR"),
            vat_id: self.vat_id.as_deref(),
            identity: &self.legal_identity,
        }
    }
}

/// The penalty rate of Code de commerce art. L441-10 II when no other was agreed.
pub const DEFAULT_LATE_PAYMENT_PENALTY: &str =
    "the ECB's main refinancing rate plus 10 percentage points (Code de commerce art. L441-10)";
/// What invoices say when the seller grants no discount for paying early.
pub const DEFAULT_EARLY_PAYMENT_DISCOUNT: &str = "no discount for early payment";
/// The fixed indemnity for recovery costs a late payer owes, in euros (Code de commerce art.
/// D441-5); invoices state its amount, not a reference to the decree.
pub const RECOVERY_INDEMNITY_EUR: u32 = 40;

/// The PDF template that applies to a kind of document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSetting {
    pub kind: DocumentKind,
    pub source: String,
    /// Saved in Settings (else the built-in or templates-directory one).
    pub custom: bool,
}

/// The settings screen: the tax table and the users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPage {
    pub tax_table: crate::domain::TaxTable,
    pub seller: SellerProfile,
    /// The accounts journal entries are written to.
    pub accounts: crate::domain::journal::ChartOfAccounts,
    /// How far the books are closed.
    pub closing: BooksClosing,
    /// The newest exchange rate of each currency.
    pub exchange_rates: Vec<crate::domain::exchange::ExchangeRate>,
    /// The PDF template of each kind of document.
    pub templates: Vec<TemplateSetting>,
    pub users: Vec<UserSummary>,
    /// Customers a new customer user can belong to: the first matches of the page's search.
    pub customers: Vec<CustomerView>,
    pub viewer: CurrentUser,
}

/// A user as administrators see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub role: crate::domain::Role,
    pub customer_id: Option<i64>,
    /// The name of a customer user's customer.
    pub customer_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// One page of the customer list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerListPage {
    pub customers: Vec<CustomerView>,
    /// The cursor of the next page, when there is one.
    pub next_after: Option<i64>,
    pub viewer: CurrentUser,
}

/// The tabs of a customer's page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerTab {
    #[default]
    Credits,
    Invoices,
}

impl CustomerTab {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerTab::Credits => "credits",
            CustomerTab::Invoices => "invoices",
        }
    }

    pub fn parse(text: &str) -> Option<CustomerTab> {
        [CustomerTab::Credits, CustomerTab::Invoices]
            .into_iter()
            .find(|tab| tab.as_str() == text)
    }
}

/// A customer's page: what remains of its available credit notes per currency, and one
/// page of the open tab's documents (its credit notes, or its invoices).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub customer: CustomerView,
    /// Per currency, the sum of what the customer's available notes have left to use.
    pub remaining: Vec<(Currency, Decimal)>,
    pub tab: CustomerTab,
    pub notes: Vec<CreditNoteView>,
    pub invoices: Vec<InvoiceView>,
    pub next_after: Option<i64>,
    pub viewer: CurrentUser,
}

/// One page of the invoice list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceListPage {
    pub invoices: Vec<InvoiceView>,
    /// The cursor of the next page, when there is one.
    pub next_after: Option<i64>,
    /// The customers the filter offers: the chosen one and the first matches of its search.
    pub customers: Vec<CustomerView>,
    pub viewer: CurrentUser,
}

/// One page of the credit-note list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteListPage {
    pub notes: Vec<CreditNoteView>,
    /// The cursor of the next page, when there is one.
    pub next_after: Option<i64>,
    /// The customers the filter offers: the chosen one and the first matches of its search.
    pub customers: Vec<CustomerView>,
    pub viewer: CurrentUser,
}

/// The signed-in user, as pages and services see it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub role: crate::domain::Role,
    pub customer_id: Option<i64>,
    /// An administrator reset the password: the user may do nothing but choose a new one.
    #[serde(default)]
    pub must_change_password: bool,
    /// The language the user chose for the desk; until then, the browser's.
    #[serde(default)]
    pub language: Option<crate::domain::Language>,
}

impl CurrentUser {
    pub fn may(&self, permission: crate::domain::Permission) -> bool {
        !self.must_change_password && crate::domain::allows(self.role, permission)
    }
}

/// A customer's own view on the portal: its non-draft invoices and finalized credit notes,
/// holding only what the customer may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalView {
    pub customer_name: String,
    /// One page of each; the cursors of the next pages, when there are more.
    pub invoices: Vec<PortalInvoice>,
    pub credit_notes: Vec<PortalCreditNote>,
    pub notes_next: Option<i64>,
    pub invoices_next: Option<i64>,
}

/// A credit note as its customer sees it (portal page, API with a customer's token): the
/// document and what is left of it. Staff comments, their authors' e-mail addresses and
/// internal bookkeeping are not part of this type, so no answer to a customer can carry them.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
// Also `additionalProperties: false` in the OpenAPI document, which tells it from the staff
// resource (a superset) in the API's `oneOf`.
#[serde(deny_unknown_fields)]
pub struct PortalCreditNote {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    pub date: NaiveDate,
    pub status: CreditNoteStatus,
    /// The reason printed on the document.
    pub reason: Option<String>,
    pub reason_category: Option<crate::domain::ReasonCategory>,
    /// Where the note is billed: the customer's billing address when the note was made,
    /// unless the note says otherwise.
    pub billing_address: Address,
    pub shipping_address: Address,
    pub related_invoice_id: Option<i64>,
    pub lines: Vec<LineView>,
    pub charge: Option<Charge>,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub allocated_amount: Decimal,
    pub refunded_amount: Decimal,
    /// Credit written off: it will not be applied or paid out.
    pub voided_amount: Decimal,
    pub remaining_amount: Decimal,
    /// Which of the customer's invoices it was applied to.
    pub allocations: Vec<PortalAllocation>,
    pub finalized_at: Option<DateTime<Utc>>,
}

/// Credit applied to one of the customer's invoices.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalAllocation {
    pub credit_note_number: Option<String>,
    pub invoice_number: String,
    pub amount: Decimal,
    pub created_at: DateTime<Utc>,
}

impl From<&AllocationView> for PortalAllocation {
    fn from(allocation: &AllocationView) -> Self {
        PortalAllocation {
            credit_note_number: allocation.credit_note_number.clone(),
            invoice_number: allocation.invoice_number.clone(),
            amount: allocation.amount,
            created_at: allocation.created_at,
        }
    }
}

impl From<CreditNoteView> for PortalCreditNote {
    fn from(note: CreditNoteView) -> Self {
        let remaining_amount = note.remaining_amount();
        PortalCreditNote {
            id: note.id,
            number: note.number,
            customer_id: note.customer_id,
            currency: note.currency,
            date: note.date,
            status: note.status,
            reason: note.reason,
            reason_category: note.reason_category,
            billing_address: note.billing_address,
            shipping_address: note.shipping_address,
            related_invoice_id: note.related_invoice_id,
            lines: note.lines,
            charge: note.charge,
            subtotal: note.subtotal,
            tax_total: note.tax_total,
            total: note.total,
            allocated_amount: note.allocated_amount,
            refunded_amount: note.refunded_amount,
            voided_amount: note.voided_amount,
            remaining_amount,
            allocations: note
                .allocations
                .iter()
                .map(PortalAllocation::from)
                .collect(),
            finalized_at: note.finalized_at,
        }
    }
}

impl PortalCreditNote {
    /// The number once finalized, else a placeholder naming the draft.
    pub fn display_number(&self) -> String {
        english_number(self.number.as_deref(), self.id)
    }
}

/// An invoice as its customer sees it on the portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalInvoice {
    pub id: i64,
    pub number: String,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub status: InvoiceStatus,
    pub total: Decimal,
    pub paid_amount: Decimal,
    pub credited_amount: Decimal,
    pub outstanding: Decimal,
}

impl From<InvoiceView> for PortalInvoice {
    fn from(invoice: InvoiceView) -> Self {
        let outstanding = invoice.outstanding();
        PortalInvoice {
            id: invoice.id,
            number: invoice.number,
            currency: invoice.currency,
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            status: invoice.status,
            total: invoice.total,
            paid_amount: invoice.paid_amount,
            credited_amount: invoice.credited_amount,
            outstanding,
        }
    }
}

/// A postal address.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    /// Whether a document states this address, where goods went, beside the buyer's
    /// `billing` address: when it is given and is not that one (the 2026 reform's mention,
    /// décret n° 2022-1299). A blank address states nothing.
    pub fn is_other_delivery_address(&self, billing: &Address) -> bool {
        self.is_given() && self != billing
    }

    /// Whether the address says anything: a street or a country.
    pub fn is_given(&self) -> bool {
        !self.line1.trim().is_empty() || !self.country.trim().is_empty()
    }

    /// The address on one line (`1 Main St, 69001 Lyon, FR`); "—" when there is none.
    pub fn one_line(&self) -> String {
        let place = format!("{} {}", self.postal_code, self.city);
        let parts: Vec<&str> = [
            self.line1.as_str(),
            self.line2.as_deref().unwrap_or(""),
            place.trim(),
            &self.country,
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
        if parts.is_empty() {
            "—".to_string()
        } else {
            parts.join(", ")
        }
    }

    /// An address as a form's fields give it: trimmed, a blank second line left out.
    pub fn typed(line1: &str, line2: &str, city: &str, postal_code: &str, country: &str) -> Self {
        Address {
            line1: line1.trim().to_string(),
            line2: Some(line2.trim().to_string()).filter(|line| !line.is_empty()),
            city: city.trim().to_string(),
            postal_code: postal_code.trim().to_string(),
            country: country.trim().to_string(),
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    pub tax_region: String,
    /// The customer's VAT identification number, printed on its documents.
    pub vat_id: Option<String>,
    /// The customer's SIREN, printed on its documents (BT-47): the one given, else the one its
    /// French VAT number carries.
    #[serde(default)]
    pub siren: Option<String>,
    /// A private person, not a business: no SIREN is asked for its documents.
    #[serde(default)]
    pub consumer: bool,
    pub billing_address: Address,
    pub shipping_address: Address,
    /// Whether the customer's users may use the customer portal.
    pub portal_enabled: bool,
    /// Payment reminders for overdue invoices: every this many days after the due date (and
    /// after the last reminder); `null`: off.
    #[serde(default)]
    pub reminder_days: Option<u16>,
    /// What its documents, e-mails and reminders are written in: `en`, `fr` or `de`.
    #[serde(default)]
    pub document_language: crate::domain::Language,
    pub created_at: DateTime<Utc>,
}

/// One entry of an invoice's or a credit note's timeline.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    /// `invoice_created`, `credit_note_linked`, `payment_recorded`, `status_changed`, …
    pub kind: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub data: serde_json::Value,
}

impl TimelineEvent {
    /// What happened, typed; `None` for an event this version cannot read.
    pub fn event(&self) -> Option<crate::domain::timeline::EventData> {
        crate::domain::timeline::EventData::from_parts(&self.kind, &self.data)
    }

    /// A sentence for people in `language` ("Credit note CN-2026-00001 linked: €300.00"),
    /// amounts in the document's currency.
    pub fn describe(&self, language: crate::i18n::Language, currency: Currency) -> String {
        use crate::domain::timeline::{EventData as E, StatusCause, StatusName};
        use crate::i18n::{Msg, format, tr, trf};
        let money = |amount: &rust_decimal::Decimal| format::money(language, *amount, currency);
        let say = |message: Msg, values: &[(&str, &str)]| trf(language, message, values);
        let status = |name: StatusName| tr(language, crate::i18n::status::name(name));
        let Some(event) = self.event() else {
            return self.kind.replace('_', " ");
        };
        match event {
            E::InvoiceCreated {} => say(Msg::TimelineInvoiceCreated, &[]),
            E::InvoiceEdited { .. } => say(Msg::TimelineInvoiceEdited, &[]),
            E::InvoiceIssued { number } => say(Msg::TimelineInvoiceIssued, &[("number", &number)]),
            E::CreditNoteCreated { .. } => say(Msg::TimelineCreditNoteCreated, &[]),
            E::CreditNoteEdited {} => say(Msg::TimelineCreditNoteEdited, &[]),
            E::CreditNoteFinalized { number, imported } => say(
                if imported {
                    Msg::TimelineCreditNoteImported
                } else {
                    Msg::TimelineCreditNoteFinalized
                },
                &[("number", &number)],
            ),
            E::CreditNoteRejected { reason, .. } => {
                say(Msg::TimelineCreditNoteRejected, &[("reason", &reason)])
            }
            E::StatusChanged {
                from,
                to,
                reason,
                cause,
            } => {
                let why = match (cause, reason) {
                    (Some(StatusCause::EditedAfterSubmission), _) => {
                        Some(tr(language, Msg::TimelineEditedAfterSubmission).to_string())
                    }
                    (None, reason) => reason,
                };
                let (from, to) = (status(from), status(to));
                match why {
                    Some(reason) => say(
                        Msg::TimelineStatusChangedBecause,
                        &[("from", from), ("to", to), ("reason", &reason)],
                    ),
                    None => say(Msg::TimelineStatusChanged, &[("from", from), ("to", to)]),
                }
            }
            E::Comment { text } => say(Msg::TimelineComment, &[("text", &text)]),
            E::PaymentRecorded {
                amount, mark_paid, ..
            } => say(
                if mark_paid {
                    Msg::TimelinePaymentMarkedPaid
                } else {
                    Msg::TimelinePaymentRecorded
                },
                &[("amount", &money(&amount))],
            ),
            E::RefundRecorded { amount, .. } => {
                say(Msg::TimelineRefundRecorded, &[("amount", &money(&amount))])
            }
            E::CreditVoided { amount, reason } => say(
                Msg::TimelineCreditVoided,
                &[("amount", &money(&amount)), ("reason", &reason)],
            ),
            E::CreditNoteLinked {
                credit_note_number,
                amount,
                ..
            } => say(
                Msg::TimelineCreditNoteLinked,
                &[
                    ("number", &credit_note_number.unwrap_or_default()),
                    ("amount", &money(&amount)),
                ],
            ),
            E::CreditNoteUnlinked {
                credit_note_number,
                amount,
                ..
            } => say(
                Msg::TimelineCreditNoteUnlinked,
                &[
                    ("number", &credit_note_number.unwrap_or_default()),
                    ("amount", &money(&amount)),
                ],
            ),
            E::EmailQueued { recipients } => {
                say(Msg::TimelineEmailQueued, &[("to", &recipients.listed())])
            }
            E::EmailSent { recipients } => {
                say(Msg::TimelineEmailSent, &[("to", &recipients.listed())])
            }
            E::EmailDelayed {
                recipients,
                error,
                next_attempt_at,
            } => say(
                Msg::TimelineEmailDelayed,
                &[
                    ("to", &recipients.listed()),
                    ("error", &error),
                    ("at", &format::moment(language, next_attempt_at)),
                ],
            ),
            E::EmailFailed { recipients, error } => say(
                Msg::TimelineEmailFailed,
                &[("to", &recipients.listed()), ("error", &error)],
            ),
            E::ReminderQueued {
                recipients,
                outstanding,
                automatic,
            } => say(
                if automatic {
                    Msg::TimelineReminderQueuedAutomatic
                } else {
                    Msg::TimelineReminderQueued
                },
                &[
                    ("to", &recipients.listed()),
                    ("amount", &money(&outstanding)),
                ],
            ),
            E::AttachmentAdded { file_name, .. } => {
                say(Msg::TimelineAttachmentAdded, &[("name", &file_name)])
            }
            E::AttachmentRemoved { file_name, .. } => {
                say(Msg::TimelineAttachmentRemoved, &[("name", &file_name)])
            }
            E::TaskAdded { title, .. } => say(Msg::TimelineTaskAdded, &[("title", &title)]),
            E::TaskDone { title, .. } => say(Msg::TimelineTaskDone, &[("title", &title)]),
            E::TaskReopened { title, .. } => say(Msg::TimelineTaskReopened, &[("title", &title)]),
            E::DraftDeleted { .. } => say(Msg::TimelineDraftDeleted, &[]),
        }
    }
}

/// A journal entry as staff read it: balanced lines, append-only, sealed after the entry
/// before it in its journal.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntryView {
    pub id: i64,
    pub journal: crate::domain::journal::Journal,
    pub date: NaiveDate,
    /// The document it comes from (its number).
    pub reference: String,
    pub label: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    /// What wrote it: `invoice_issued`, `invoice_reversed`, `payment`, `payment_reversed`,
    /// `credit_note_finalized`, `credit_note_reversed`, `credit_applied`, `credit_unapplied`,
    /// `refund`.
    pub source: String,
    pub invoice_id: Option<i64>,
    pub credit_note_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// Its number in its journal and fiscal year, taken when it was written (the FEC's
    /// `EcritureNum`: the journal's code and six digits); none for entries written before
    /// numbers were stored, which the FEC numbers in the order they were written.
    pub number: Option<i64>,
    pub lines: Vec<crate::domain::journal::JournalLine>,
    /// SHA-256 over the seal before it and what it says.
    pub seal: String,
}

/// The journal screen: one page of entries dated within the filter, oldest written first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPage {
    pub entries: Vec<JournalEntryView>,
    /// The cursor of the next page, when there is one.
    pub next_after: Option<i64>,
    /// The years the FEC can be asked for: this year and the one before.
    pub fec_years: Vec<i32>,
}

/// What an import file holds: invoices (the default) or credit notes.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    #[default]
    Invoices,
    CreditNotes,
}

impl ImportKind {
    pub const ALL: [ImportKind; 2] = [ImportKind::Invoices, ImportKind::CreditNotes];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Invoices => "invoices",
            ImportKind::CreditNotes => "credit_notes",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Invoices => "Invoices",
            ImportKind::CreditNotes => "Credit notes",
        }
    }
}

/// The columns of one kind of file, in any order in the file.
pub struct ImportFormat {
    /// Every column, the document's number first.
    pub columns: &'static [&'static str],
    /// Those that may be left out or blank.
    pub optional: &'static [&'static str],
    /// Those that describe the whole document: every row of a document agrees on them.
    pub document: &'static [&'static str],
}

const INVOICE_FILE: ImportFormat = ImportFormat {
    columns: &[
        "number",
        "customer",
        "currency",
        "issue_date",
        "due_date",
        "description",
        "quantity",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "ship_date",
        "vat_category",
        "vat_exemption_reason",
        "nature",
    ],
    optional: &[
        "due_date",
        "discount_percent",
        "ship_date",
        "vat_category",
        "vat_exemption_reason",
        "nature",
    ],
    document: &["customer", "currency", "issue_date", "due_date"],
};

const CREDIT_NOTE_FILE: ImportFormat = ImportFormat {
    columns: &[
        "number",
        "customer",
        "currency",
        "date",
        "invoice",
        "reason_category",
        "reason",
        "description",
        "quantity",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "ship_date",
        "vat_category",
        "vat_exemption_reason",
        "nature",
    ],
    optional: &[
        "invoice",
        "reason_category",
        "reason",
        "discount_percent",
        "ship_date",
        "vat_category",
        "vat_exemption_reason",
        "nature",
    ],
    document: &[
        "customer",
        "currency",
        "date",
        "invoice",
        "reason_category",
        "reason",
    ],
};

impl ImportKind {
    pub fn format(self) -> &'static ImportFormat {
        match self {
            ImportKind::Invoices => &INVOICE_FILE,
            ImportKind::CreditNotes => &CREDIT_NOTE_FILE,
        }
    }
}

/// What an import did, or would do (a preview).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// A preview: nothing was written.
    pub dry_run: bool,
    /// What the file held.
    #[serde(default)]
    pub kind: ImportKind,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// The invoices of an invoice file (empty for a credit-note file).
    pub invoices: Vec<ImportedInvoice>,
    /// The credit notes of a credit-note file (empty for an invoice file).
    #[serde(default)]
    pub credit_notes: Vec<ImportedCreditNote>,
}

/// One invoice of the file, as the import leaves it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedInvoice {
    /// The file's line of its first row (the header is line 1).
    pub line: usize,
    pub number: String,
    /// `created`, `updated` or `unchanged`.
    pub change: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "100.00"))]
    pub previous_total: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "120.00"))]
    pub total: Decimal,
    /// The new total less payments and credits.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "70.00"))]
    pub outstanding: Decimal,
    /// `pending`, or `paid` when payments and credits cover the total.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "pending"))]
    pub status: InvoiceStatus,
}

/// One credit note of the file, as the import leaves it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedCreditNote {
    /// The file's line of its first row (the header is line 1).
    pub line: usize,
    /// The file's number: the note's external reference (or its own number).
    pub number: String,
    /// The credit note's id; none for a note a preview would create (it is not written).
    pub id: Option<i64>,
    /// Its `CN-YYYY-NNNNN` number once finalized here.
    pub credit_note_number: Option<String>,
    /// `created`, `updated` or `unchanged`.
    pub change: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "100.00"))]
    pub previous_total: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "120.00"))]
    pub total: Decimal,
    /// The number of the invoice it credits, if any.
    pub related_invoice_number: Option<String>,
    /// `draft` for a new note: it is approved and finalized here like any other.
    pub status: CreditNoteStatus,
    /// What did not block it: crediting more than the invoice's total, say.
    pub warnings: Vec<String>,
    /// The over-credit warning among them, as figures.
    pub over_credit: Option<crate::domain::OverCredit>,
}

/// A file uploaded for import, and what importing it does now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPage {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    /// When it was imported; a file imported again changes nothing.
    pub applied_at: Option<DateTime<Utc>>,
    /// What importing it does now (a preview that wrote nothing), or what is wrong with it.
    pub preview: Result<ImportReport, crate::problem::Problem>,
    /// Who is looking, so the page offers only what the role may do.
    pub viewer: CurrentUser,
}

/// How far the books are closed: nothing is posted on or before `closed_through`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BooksClosing {
    /// None while no period was ever closed.
    pub closed_through: Option<NaiveDate>,
}
