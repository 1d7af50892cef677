//! The credit-note domain: plain Rust, no I/O. Compiled into the browser bundle and the
//! server, so a rule is written once and checked on both sides.

pub mod lines;
pub mod linking;
pub mod money;
pub mod status;
pub mod violation;

pub use lines::{DocumentTotals, LineAmounts, LineInput, document_totals};
pub use linking::{
    AllocationPlan, AllocationRequest, CreditNoteBalance, InvoiceBalance, LinkBlock, LinkableRow,
    link_block, linkable, plan_allocations, plan_unlink,
};
pub use money::{Currency, Money, MoneyError};
pub use status::{CreditNoteStatus, InvoiceStatus};
pub use violation::{RuleCode, Violation};
