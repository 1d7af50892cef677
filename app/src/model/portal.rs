//! What a customer sees of its documents on the portal: finalized ones, without staff data.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::documents::english_number;
use super::{Address, AllocationView, CreditNoteView, InvoiceView, LineView};
use crate::domain::{Charge, CreditNoteStatus, Currency, InvoiceStatus};

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
