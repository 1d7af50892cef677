//! The journal's entries as the Journal page shows them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Currency;

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
