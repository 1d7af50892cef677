//! Payment reminders: each customer's schedule and when each invoice was last reminded of.

use chrono::{DateTime, NaiveDate, Utc};

use super::StorageError;

/// An overdue invoice of a customer whose schedule is on.
#[derive(Clone, Debug)]
pub struct ReminderCandidate {
    pub invoice_id: i64,
    pub due_date: NaiveDate,
    /// The customer's schedule: every this many days.
    pub every_days: u16,
    pub last_reminded_at: Option<DateTime<Utc>>,
}

#[async_trait::async_trait]
pub trait ReminderTx: Send {
    /// Sets a customer's schedule (`None`: off); false when there is no such customer.
    async fn set_customer_reminders(
        &mut self,
        customer_id: i64,
        every_days: Option<u16>,
    ) -> Result<bool, StorageError>;
    /// Pending invoices due before `today` whose customer has a schedule, by id after
    /// `after_id`, at most `limit`.
    async fn reminder_candidates(
        &mut self,
        today: NaiveDate,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<ReminderCandidate>, StorageError>;
    /// When the invoice was last reminded of (read after [`super::LedgerTx::invoice_balance`]
    /// locked its row).
    async fn last_reminded(
        &mut self,
        invoice_id: i64,
    ) -> Result<Option<DateTime<Utc>>, StorageError>;
    async fn set_last_reminded(
        &mut self,
        invoice_id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
}
