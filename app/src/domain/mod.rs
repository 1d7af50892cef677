//! The credit-note domain: plain Rust, no I/O. Compiled into the browser bundle and the
//! server, so a rule is written once and checked on both sides.

pub mod audit;
pub mod credit_note;
pub mod exchange;
pub mod identity;
pub mod input;
pub mod journal;
pub mod language;
pub mod lifecycle;
pub mod lines;
pub mod linking;
pub mod money;
pub mod numbering;
pub mod periods;
pub mod permissions;
pub mod reminders;
pub mod search;
pub mod settlement;
pub mod status;
pub mod tax;
pub mod text;
pub mod timeline;
pub mod vat;
pub mod violation;

pub use credit_note::{
    Charge, CreditContent, LineSelection, NET_OF_TAX_MENTION, OverCredit, ReasonCategory,
    RelatedInvoice, check_dated_after_invoice, check_related_invoice,
    check_vat_credit_names_invoice, credit_lines_from_invoice, latest_ship_date, may_be_related,
    over_credit_warning,
};
pub use identity::{
    IssuerFacts, LegalIdentity, check_buyer_siren, check_issuer, parse_siren, parse_siret,
    siren_of_french_vat_id,
};
pub use input::{InputError, Reader};
pub use language::Language;
pub use lifecycle::{
    ActionState, CreditNoteAction, InvoiceAction, InvoiceKind, Settled, check_credit_note_action,
    check_invoice_action, counts_as_credit, credit_note_action_state, invoice_action_state,
    is_finalized,
};
pub use lines::{
    DocumentTotals, LineAmounts, LineInput, LineSigns, MAX_LINES, RateTotals,
    checked_document_totals, document_totals, line_violations, totals_by_rate,
};
pub use linking::{
    AllocationPlan, AllocationRequest, CreditNoteBalance, InvoiceBalance, LinkBlock, LinkableRow,
    link_block, linkable, plan_allocations, plan_unlink,
};
pub use money::{Currency, Money, MoneyError, parse_decimal};
pub use numbering::{CreditNoteNumber, NumberError, check_chronological};
pub use periods::FiscalYearEnd;
pub use permissions::{
    Email, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Permission, Role, allows, check_password,
    check_password_field, check_role_customer,
};
pub use reminders::{MAX_REMINDER_DAYS, parse_reminder_days, reminder_due, reminder_refusal};
pub use settlement::{plan_mark_paid, plan_mark_pending, plan_payment, plan_refund, plan_void};
pub use status::{CreditNoteStatus, InvoiceStatus};
pub use tax::{TaxRule, TaxTable};
pub use vat::{
    LineNature, LineVat, OperationNature, VAT_ON_DEBITS_MENTION, VatBreakdown, VatCategory,
    VatRegime, check_buyer_identified, line_vat, vat_breakdown,
};
pub use violation::{FieldPath, PathSegment, RuleCode, Violation};
