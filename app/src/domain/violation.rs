//! A broken rule, with the machine code of the API contract and a sentence for people.

use std::fmt;

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
    /// Administrators never change their own role or deactivate themselves: the desk would
    /// lose its last administrator.
    /// A reminder for an invoice not yet past its due date.
    InvoiceNotOverdue,
    OwnAccount,
    /// Money was refunded out of the credit note: it is voided, never cancelled.
    CreditNoteRefunded,
    /// An issued invoice is never changed in place (CGI art. 289: an invoice, once issued, is
    /// corrected by another document that refers to it).
    InvoiceIssued,
    /// A date on or before the closing date of the books.
    PeriodClosed,
    /// A document would be numbered after one of its series dated later.
    NumberingOutOfOrder,
    /// The seller has not given a mention every issued document must carry.
    SellerIdentityIncomplete,
    /// An intra-EU supply or a reverse-charge document names the buyer's VAT number.
    BuyerVatIdRequired,
    /// A document to a business established in France names its SIREN.
    BuyerSirenRequired,
    /// A credit note that reduces VAT names the invoice it corrects.
    InvoiceReferenceRequired,
    /// A foreign-currency document, payment or refund dated when no exchange rate is in force.
    ExchangeRateMissing,
    /// The fiscal year end moves while entries of the open period are numbered in its years.
    FiscalYearInUse,
    /// A customer's currency changes while invoices or credit notes are written in it.
    CustomerCurrencyFixed,
    /// Sales at one VAT rate would be booked on an automatic account of another (SKR03's
    /// 8400 computes 19 %, 8300 7 %): the VAT return read from it would be wrong.
    AutomaticAccountRate,
}

impl RuleCode {
    pub const ALL: &'static [RuleCode] = &[
        RuleCode::ValidationError,
        RuleCode::NotFound,
        RuleCode::CreditNoteNotAvailable,
        RuleCode::CustomerMismatch,
        RuleCode::CurrencyMismatch,
        RuleCode::ExceedsOutstanding,
        RuleCode::ExceedsRemaining,
        RuleCode::InvoiceNotOpen,
        RuleCode::DateBeforeInvoice,
        RuleCode::InvoiceHasAllocations,
        RuleCode::CreditNoteAllocated,
        RuleCode::CreditNoteFinalized,
        RuleCode::InvalidStatus,
        RuleCode::NumberTaken,
        RuleCode::InvoiceTermsLocked,
        RuleCode::InvoiceHasPayments,
        RuleCode::InvoiceHasCreditNotes,
        RuleCode::RelatedInvoiceNotIssued,
        RuleCode::InvoiceNotOverdue,
        RuleCode::OwnAccount,
        RuleCode::CreditNoteRefunded,
        RuleCode::InvoiceIssued,
        RuleCode::PeriodClosed,
        RuleCode::NumberingOutOfOrder,
        RuleCode::SellerIdentityIncomplete,
        RuleCode::BuyerVatIdRequired,
        RuleCode::BuyerSirenRequired,
        RuleCode::InvoiceReferenceRequired,
        RuleCode::ExchangeRateMissing,
        RuleCode::FiscalYearInUse,
        RuleCode::CustomerCurrencyFixed,
        RuleCode::AutomaticAccountRate,
    ];

    /// The rule a machine code names.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|rule| rule.as_str() == code)
    }

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
            RuleCode::InvoiceNotOverdue => "invoice_not_overdue",
            RuleCode::OwnAccount => "own_account",
            RuleCode::CreditNoteRefunded => "credit_note_refunded",
            RuleCode::InvoiceIssued => "invoice_issued",
            RuleCode::PeriodClosed => "period_closed",
            RuleCode::NumberingOutOfOrder => "numbering_out_of_order",
            RuleCode::SellerIdentityIncomplete => "seller_identity_incomplete",
            RuleCode::BuyerVatIdRequired => "buyer_vat_id_required",
            RuleCode::BuyerSirenRequired => "buyer_siren_required",
            RuleCode::InvoiceReferenceRequired => "invoice_reference_required",
            RuleCode::ExchangeRateMissing => "exchange_rate_missing",
            RuleCode::FiscalYearInUse => "fiscal_year_in_use",
            RuleCode::CustomerCurrencyFixed => "customer_currency_fixed",
            RuleCode::AutomaticAccountRate => "automatic_account_rate",
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
            | RuleCode::InvoiceHasCreditNotes
            | RuleCode::OwnAccount
            | RuleCode::CreditNoteRefunded
            | RuleCode::InvoiceIssued
            | RuleCode::NumberingOutOfOrder
            | RuleCode::SellerIdentityIncomplete
            | RuleCode::BuyerVatIdRequired
            | RuleCode::BuyerSirenRequired
            | RuleCode::InvoiceReferenceRequired
            | RuleCode::ExchangeRateMissing
            | RuleCode::FiscalYearInUse
            | RuleCode::CustomerCurrencyFixed
            | RuleCode::AutomaticAccountRate => 409,
            _ => 422,
        }
    }
}

/// One step of a [`FieldPath`]: a named field, or a position in a list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// Where in a request a problem is: `allocations`, then request 1, then `amount`. The domain
/// names positions in *its* inputs; each door renders the path in its own notation (the REST
/// API as `allocations[1].amount`, the link dialog as the row the request came from).
///
/// Text in the API's notation converts both ways, so `"lines[0].quantity".into()` is the same
/// path as `FieldPath::item("lines", 0, "quantity")`, and a path serializes as that text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct FieldPath(Vec<PathSegment>);

impl FieldPath {
    /// A field of one item of a list (`lines[3].quantity`).
    pub fn item(list: &str, index: usize, field: &str) -> Self {
        Self::element(list, index).join(field)
    }

    /// One item of a list as a whole (`lines[3]`).
    pub fn element(list: &str, index: usize) -> Self {
        Self(vec![
            PathSegment::Key(list.to_string()),
            PathSegment::Index(index),
        ])
    }

    /// This path, then the field `name`.
    pub fn join(mut self, name: &str) -> Self {
        self.0.push(PathSegment::Key(name.to_string()));
        self
    }

    /// This path (a list), then its item `index`.
    pub fn at(mut self, index: usize) -> Self {
        self.0.push(PathSegment::Index(index));
        self
    }

    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// When the path lies inside item `i` of `list`: `i` and the path within that item
    /// (`allocations[2].amount` in `allocations` is `(2, amount)`).
    pub fn item_of(&self, list: &str) -> Option<(usize, FieldPath)> {
        match self.0.as_slice() {
            [PathSegment::Key(name), PathSegment::Index(index), rest @ ..] if name == list => {
                Some((*index, FieldPath(rest.to_vec())))
            }
            _ => None,
        }
    }

    /// This path inside item `index` of `list` (`amount` becomes `rows[4].amount`).
    pub fn within(self, list: &str, index: usize) -> Self {
        let mut path = Self::element(list, index);
        path.0.extend(self.0);
        path
    }

    /// Reads the API notation. Text not in it (`a[`, `a..b`, `a[01]`) stays one key, so a path
    /// always renders as the text it was read from.
    fn parse(text: &str) -> Self {
        let whole = || Self(vec![PathSegment::Key(text.to_string())]);
        let mut segments = Vec::new();
        for part in text.split('.') {
            let split = part.find('[').unwrap_or(part.len());
            let (name, mut indices) = part.split_at(split);
            if name.is_empty() || name.contains(']') {
                return whole();
            }
            segments.push(PathSegment::Key(name.to_string()));
            while !indices.is_empty() {
                let Some((index, rest)) = indices
                    .strip_prefix('[')
                    .and_then(|inner| inner.split_once(']'))
                else {
                    return whole();
                };
                let canonical = index.bytes().all(|b| b.is_ascii_digit())
                    && (index == "0" || !index.starts_with('0'));
                match index.parse::<usize>() {
                    Ok(index) if canonical => segments.push(PathSegment::Index(index)),
                    _ => return whole(),
                }
                indices = rest;
            }
        }
        Self(segments)
    }
}

/// The API's notation: `allocations[1].amount`.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(name) if i == 0 => f.write_str(name)?,
                PathSegment::Key(name) => write!(f, ".{name}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl From<&str> for FieldPath {
    fn from(text: &str) -> Self {
        Self::parse(text)
    }
}

impl From<String> for FieldPath {
    fn from(text: String) -> Self {
        Self::parse(&text)
    }
}

impl From<FieldPath> for String {
    fn from(path: FieldPath) -> Self {
        path.to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub code: RuleCode,
    /// The input field at fault, as a path each door renders in its own notation.
    pub field: Option<FieldPath>,
    pub message: String,
    /// For a typed value the reader refused, which of its rules: people read it in their
    /// language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub says: Option<super::InputError>,
}

impl Violation {
    /// A broken rule that concerns the whole request rather than one field.
    pub fn general(code: RuleCode, message: impl Into<String>) -> Self {
        Self::new(code, None, message)
    }

    pub fn new(code: RuleCode, field: Option<FieldPath>, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
            says: None,
        }
    }

    /// The same violation, saying which rule of the input reader the value broke (so people
    /// read it in their language, and the API names it in `says`).
    pub fn saying(mut self, error: super::InputError) -> Self {
        self.says = Some(error);
        self
    }

    /// A typed value of `field` the reader refused.
    pub fn input(field: &str, error: super::InputError) -> Self {
        Self {
            says: Some(error),
            ..Self::invalid(field, error.to_string())
        }
    }

    /// A malformed or missing value of one field (`validation_error`).
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::new(RuleCode::ValidationError, Some(field.into()), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_in_the_api_notation_and_read_back() {
        let path = FieldPath::item("allocations", 1, "amount");
        assert_eq!(path.to_string(), "allocations[1].amount");
        assert_eq!(FieldPath::from("allocations[1].amount"), path);
        assert_eq!(
            path.item_of("allocations"),
            Some((1, FieldPath::from("amount")))
        );
        assert_eq!(path.item_of("lines"), None);
        assert_eq!(
            FieldPath::from("amount").within("rows", 4).to_string(),
            "rows[4].amount"
        );
        assert_eq!(
            FieldPath::from("rules[2][3].rate").to_string(),
            "rules[2][3].rate"
        );
        assert_eq!(
            serde_json::to_string(&path).unwrap(),
            "\"allocations[1].amount\""
        );
    }

    #[test]
    fn text_outside_the_notation_stays_as_it_was() {
        for text in [
            "",
            "a[",
            "a..b",
            "a[01]",
            "[0]",
            "a]b",
            "a[x].b",
            "a[99999999999999999999999]",
            ".",
            "ü[1].ß",
        ] {
            assert_eq!(FieldPath::from(text).to_string(), text, "{text}");
        }
    }
}
