//! Customers, invoices, credit notes, allocations, payments, refunds and timelines.

use app::domain::{CreditNoteStatus, Currency, InvoiceStatus};
use chrono::{DateTime, Utc};

use super::{
    AllocationRecord, ContentRecord, CreditNoteBalanceRecord, CreditNoteFilter, CreditNoteRecord,
    CreditNoteUpdate, CustomerRecord, CustomerUpdate, EventRecord, InvoiceFilter, InvoiceRecord,
    NewCreditNote, NewCustomer, NewEvent, NewInvoice, Page, StorageError,
};

/// Customers, invoices, credit notes, allocations, payments, refunds and timelines.
#[async_trait::async_trait]
pub trait LedgerTx: Send {
    async fn insert_customer(&mut self, customer: &NewCustomer) -> Result<i64, StorageError>;
    /// Rewrites what a customer says (and its search key); false when there is no such customer.
    async fn update_customer(
        &mut self,
        id: i64,
        customer: &CustomerUpdate,
    ) -> Result<bool, StorageError>;
    /// Whether any invoice or credit note is the customer's.
    async fn customer_has_documents(&mut self, id: i64) -> Result<bool, StorageError>;
    async fn insert_invoice(&mut self, invoice: &NewInvoice) -> Result<i64, StorageError>;
    async fn insert_credit_note(&mut self, note: &NewCreditNote) -> Result<i64, StorageError>;
    async fn list_invoices(&mut self) -> Result<Vec<InvoiceRecord>, StorageError>;
    /// One invoice with its allocations; locked in a write transaction.
    async fn invoice(&mut self, id: i64) -> Result<Option<InvoiceRecord>, StorageError>;
    /// A customer's credit notes, optionally of one status, oldest first (date, then id).
    async fn customer_credit_notes(
        &mut self,
        customer_id: i64,
        status: Option<CreditNoteStatus>,
        page: Page,
    ) -> Result<Vec<CreditNoteRecord>, StorageError>;
    /// A customer's credit notes in one status, amounts only (no lines, allocations or
    /// comments), oldest first by date, then id: what the link dialog lists.
    async fn customer_credit_note_balances(
        &mut self,
        customer_id: i64,
        status: CreditNoteStatus,
    ) -> Result<Vec<CreditNoteBalanceRecord>, StorageError>;
    /// The credit notes with these ids (missing ones are left out); locked in a write
    /// transaction, in ascending id order.
    async fn credit_notes(&mut self, ids: &[i64]) -> Result<Vec<CreditNoteRecord>, StorageError>;
    /// What linking reads of an invoice: its balance alone, one row, locked in a write
    /// transaction (the full record is three more queries, inside the write lock).
    async fn invoice_balance(
        &mut self,
        id: i64,
    ) -> Result<Option<app::domain::InvoiceBalance>, StorageError>;
    /// What linking reads of credit notes: balance and number, one row each, locked in a write
    /// transaction in ascending id order; missing ids are left out.
    async fn credit_note_balances(
        &mut self,
        ids: &[i64],
    ) -> Result<Vec<CreditNoteBalanceRecord>, StorageError>;
    /// Inserts an allocation; returns its id.
    async fn insert_allocation(
        &mut self,
        invoice_id: i64,
        credit_note_id: i64,
        amount_minor: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StorageError>;
    async fn set_invoice_balance(
        &mut self,
        id: i64,
        paid_minor: i64,
        credited_minor: i64,
        status: InvoiceStatus,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn set_credit_note_balance(
        &mut self,
        id: i64,
        allocated_minor: i64,
        refunded_minor: i64,
        status: CreditNoteStatus,
    ) -> Result<(), StorageError>;
    /// Writes off what remains of a credit note (`voided_minor` in all, with the reason) and
    /// marks it used.
    async fn void_credit_note(
        &mut self,
        id: i64,
        voided_minor: i64,
        reason: &str,
    ) -> Result<(), StorageError>;
    /// Gives a credit note its number and date and makes it available; `imported`: under
    /// the number of the system that issued it.
    async fn finalize_credit_note(
        &mut self,
        id: i64,
        number: &str,
        date: chrono::NaiveDate,
        at: DateTime<Utc>,
        imported: bool,
    ) -> Result<(), StorageError>;
    /// The date of the credit note numbered `number`, if one is.
    async fn numbered_credit_note_date(
        &mut self,
        number: &str,
    ) -> Result<Option<chrono::NaiveDate>, StorageError>;
    /// The next credit-note sequence number of `year`, gapless: it is only taken when the
    /// transaction commits.
    async fn next_credit_note_sequence(&mut self, year: i32) -> Result<i64, StorageError>;
    async fn insert_event(&mut self, event: &NewEvent) -> Result<(), StorageError>;
    async fn customer(&mut self, id: i64) -> Result<Option<CustomerRecord>, StorageError>;
    async fn find_customers(&mut self, page: Page) -> Result<Vec<CustomerRecord>, StorageError>;
    /// Up to `limit` customers whose search key holds every word (lower case), by name.
    async fn search_customers(
        &mut self,
        words: &[String],
        limit: i64,
    ) -> Result<Vec<CustomerRecord>, StorageError>;
    /// Per currency, what the customer's available notes have left to use, in minor units,
    /// summed by the database (one row per currency, however many notes).
    async fn customer_remaining_credit(
        &mut self,
        customer_id: i64,
    ) -> Result<Vec<(Currency, i64)>, StorageError>;
    /// What the notes related to an invoice credit, in minor units, summed by the database
    /// over the notes in `statuses` (but note `excluding`), and how many notes relate to it.
    async fn credited_total(
        &mut self,
        invoice_id: i64,
        statuses: &[CreditNoteStatus],
        excluding: Option<i64>,
    ) -> Result<(i64, i64), StorageError>;
    /// Writes the key a customer is found by.
    async fn set_customer_search_key(&mut self, id: i64, key: &str) -> Result<(), StorageError>;
    async fn customer_exists(&mut self, id: i64) -> Result<bool, StorageError>;
    /// Turns the customer portal on or off for a customer; false when there is no such customer.
    async fn set_customer_portal(&mut self, id: i64, enabled: bool) -> Result<bool, StorageError>;
    async fn customer_name(&mut self, id: i64) -> Result<Option<String>, StorageError>;
    async fn find_invoices(
        &mut self,
        filter: &InvoiceFilter,
        page: Page,
    ) -> Result<Vec<InvoiceRecord>, StorageError>;
    async fn find_credit_notes(
        &mut self,
        filter: &CreditNoteFilter,
        page: Page,
    ) -> Result<Vec<CreditNoteRecord>, StorageError>;
    async fn invoice_number_taken(&mut self, number: &str) -> Result<bool, StorageError>;
    async fn set_invoice_number(&mut self, id: i64, number: &str) -> Result<(), StorageError>;
    /// Dates an invoice as it is issued: its issue date and its due date.
    async fn set_invoice_dates(
        &mut self,
        id: i64,
        issue_date: chrono::NaiveDate,
        due_date: Option<chrono::NaiveDate>,
    ) -> Result<(), StorageError>;
    /// How many payments an invoice has on record.
    async fn payment_count(&mut self, invoice_id: i64) -> Result<i64, StorageError>;
    /// How many documents refer to this invoice: credit notes that name it as their related
    /// invoice, and correction invoices that correct it.
    async fn referring_document_count(&mut self, invoice_id: i64) -> Result<i64, StorageError>;
    /// The next invoice sequence number of `year` (for generated `INV-YYYY-NNNNN` numbers).
    async fn next_invoice_sequence(&mut self, year: i32) -> Result<i64, StorageError>;
    async fn set_credit_note_status(
        &mut self,
        id: i64,
        status: CreditNoteStatus,
    ) -> Result<(), StorageError>;
    async fn insert_comment(
        &mut self,
        credit_note_id: i64,
        author: Option<&str>,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn allocation(&mut self, id: i64) -> Result<Option<AllocationRecord>, StorageError>;
    async fn delete_allocation(&mut self, id: i64) -> Result<(), StorageError>;
    /// Timeline events of an invoice or a credit note (`column` is `invoice_id` or
    /// `credit_note_id`), oldest first (time, then id).
    async fn events(
        &mut self,
        column: &'static str,
        id: i64,
        page: Page,
    ) -> Result<Vec<EventRecord>, StorageError>;
    /// The newest `limit` events of an invoice or a credit note, oldest first, and how many
    /// it has in all.
    async fn latest_events(
        &mut self,
        column: &'static str,
        id: i64,
        limit: i64,
    ) -> Result<(Vec<EventRecord>, i64), StorageError>;
    #[allow(clippy::too_many_arguments)]
    async fn insert_payment(
        &mut self,
        invoice_id: i64,
        amount_minor: i64,
        date: chrono::NaiveDate,
        method: Option<&str>,
        reference: Option<&str>,
        from_mark_paid: bool,
        book_amount_minor: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// Removes the payments "mark paid" added and answers their sum in minor units.
    async fn remove_mark_paid_payments(&mut self, invoice_id: i64) -> Result<i64, StorageError>;
    /// The sum of the payments "mark paid" added, in minor units.
    async fn mark_paid_payments(&mut self, invoice_id: i64) -> Result<i64, StorageError>;
    /// What the payments "mark paid" added were worth in euros (minor units), for a foreign
    /// invoice booked in euros.
    async fn mark_paid_book_value(&mut self, invoice_id: i64) -> Result<Option<i64>, StorageError>;
    async fn insert_refund(
        &mut self,
        credit_note_id: i64,
        amount_minor: i64,
        date: chrono::NaiveDate,
        method: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// Replaces what an invoice says: customer, currency, due date, all lines and totals.
    async fn update_invoice(
        &mut self,
        id: i64,
        customer_id: i64,
        currency: app::domain::Currency,
        due_date: Option<chrono::NaiveDate>,
        content: &ContentRecord,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    /// Replaces what a draft credit note says: customer, currency, related invoice, date,
    /// reason and content (with totals).
    async fn update_credit_note(
        &mut self,
        update: &CreditNoteUpdate<'_>,
    ) -> Result<(), StorageError>;
    /// A credit note's related invoice, read without a lock (to lock that invoice first);
    /// `None` when the note does not exist.
    async fn credit_note_related_invoice(
        &mut self,
        id: i64,
    ) -> Result<Option<Option<i64>>, StorageError>;
    async fn delete_invoice(&mut self, id: i64) -> Result<(), StorageError>;
    async fn delete_credit_note(&mut self, id: i64) -> Result<(), StorageError>;
}
