//! A broken rule, with the machine code of the API contract and a sentence for people.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleCode {
    ValidationError,
    NotFound,
    CreditNoteNotAvailable,
    CustomerMismatch,
    CurrencyMismatch,
    ExceedsOutstanding,
    ExceedsRemaining,
    InvoiceNotOpen,
    DateBeforeInvoice,
    InvoiceHasAllocations,
    CreditNoteAllocated,
    CreditNoteFinalized,
    InvalidStatus,
    /// A document number that another document already carries.
    NumberTaken,
    /// An invoice's customer or currency cannot change once money or credit notes refer to it.
    InvoiceTermsLocked,
    /// An invoice with payments is cancelled, never deleted.
    InvoiceHasPayments,
    /// Credit notes refer to the invoice.
    InvoiceHasCreditNotes,
    /// A credit note may only relate to an issued standard or advance invoice.
    RelatedInvoiceNotIssued,
}

impl RuleCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleCode::ValidationError => "validation_error",
            RuleCode::NotFound => "not_found",
            RuleCode::CreditNoteNotAvailable => "credit_note_not_available",
            RuleCode::CustomerMismatch => "customer_mismatch",
            RuleCode::CurrencyMismatch => "currency_mismatch",
            RuleCode::ExceedsOutstanding => "exceeds_outstanding",
            RuleCode::ExceedsRemaining => "exceeds_remaining",
            RuleCode::InvoiceNotOpen => "invoice_not_open",
            RuleCode::DateBeforeInvoice => "date_before_invoice",
            RuleCode::InvoiceHasAllocations => "invoice_has_allocations",
            RuleCode::CreditNoteAllocated => "credit_note_allocated",
            RuleCode::CreditNoteFinalized => "credit_note_finalized",
            RuleCode::InvalidStatus => "invalid_status",
            RuleCode::NumberTaken => "number_taken",
            RuleCode::InvoiceTermsLocked => "invoice_terms_locked",
            RuleCode::InvoiceHasPayments => "invoice_has_payments",
            RuleCode::InvoiceHasCreditNotes => "invoice_has_credit_notes",
            RuleCode::RelatedInvoiceNotIssued => "related_invoice_not_issued",
        }
    }

    /// The HTTP status the contract gives this code.
    pub fn http_status(self) -> u16 {
        match self {
            RuleCode::NotFound => 404,
            RuleCode::InvoiceHasAllocations
            | RuleCode::CreditNoteAllocated
            | RuleCode::CreditNoteFinalized
            | RuleCode::InvalidStatus
            | RuleCode::NumberTaken
            | RuleCode::InvoiceTermsLocked
            | RuleCode::InvoiceHasPayments
            | RuleCode::InvoiceHasCreditNotes => 409,
            _ => 422,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub code: RuleCode,
    /// The input field at fault, in the API's notation (`allocations[1].amount`).
    pub field: Option<String>,
    pub message: String,
}

impl Violation {
    /// A broken rule that concerns the whole request rather than one field.
    pub fn general(code: RuleCode, message: impl Into<String>) -> Self {
        Self::new(code, None, message)
    }

    pub fn new(code: RuleCode, field: Option<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}
