//! CSV imports: the files' columns, what an import does, and its page.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::CurrentUser;
use crate::domain::{CreditNoteStatus, Currency, InvoiceStatus};

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
