//! What each staff page of invoices and credit notes loads, and the lists' filters.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    AttachmentView, CreditNoteView, CurrentUser, CustomerView, InvoiceView, LinkCandidate,
    TaskView, TimelineEvent,
};
use crate::domain::{CreditNoteStatus, Currency, InvoiceStatus};

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
