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
        }
    }

    /// The HTTP status the contract gives this code.
    pub fn http_status(self) -> u16 {
        match self {
            RuleCode::NotFound => 404,
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
    pub fn new(code: RuleCode, field: Option<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}
