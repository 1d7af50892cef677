//! What the API answers: the shared views plus the derived fields the contract names.

use app::model::{CreditNoteView, InvoiceView};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct InvoiceResource {
    #[serde(flatten)]
    pub invoice: InvoiceView,
    #[schema(value_type = String, example = "70.00")]
    pub outstanding: Decimal,
}

impl From<InvoiceView> for InvoiceResource {
    fn from(invoice: InvoiceView) -> Self {
        let outstanding = invoice.outstanding();
        InvoiceResource {
            invoice,
            outstanding,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreditNoteResource {
    #[serde(flatten)]
    pub note: CreditNoteView,
    #[schema(value_type = String, example = "30.00")]
    pub remaining_amount: Decimal,
    /// Allowed but worth a look, e.g. crediting more than the invoice's total.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl From<CreditNoteView> for CreditNoteResource {
    fn from(note: CreditNoteView) -> Self {
        let remaining_amount = note.remaining_amount();
        CreditNoteResource {
            note,
            remaining_amount,
            warnings: Vec::new(),
        }
    }
}

/// A credit note as the caller may read it: staff get the full resource, a customer's token the
/// portal view (no comments, no staff e-mail addresses).
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum SeenCreditNoteResource {
    Staff(CreditNoteResource),
    Customer(app::model::PortalCreditNote),
}

impl From<crate::services::SeenCreditNote> for SeenCreditNoteResource {
    fn from(note: crate::services::SeenCreditNote) -> Self {
        match note {
            crate::services::SeenCreditNote::Staff(note) => {
                SeenCreditNoteResource::Staff(note.into())
            }
            crate::services::SeenCreditNote::Customer(note) => {
                SeenCreditNoteResource::Customer(note)
            }
        }
    }
}

/// A row of `GET /invoices/{id}/linkable-credit-notes`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LinkableResource {
    #[serde(flatten)]
    pub note: CreditNoteResource,
    pub selectable: bool,
    #[schema(value_type = Option<String>, example = "currency_mismatch")]
    pub reason: Option<&'static str>,
}
