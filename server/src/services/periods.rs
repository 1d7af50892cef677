//! Closing the books: an administrator closes them through a date, forward only; from then on
//! nothing is posted on or before it ([`app::domain::periods`]). Every entry is checked where it
//! is posted (the journal's one door); documents, payments and refunds are checked earlier too,
//! so the refusal names the field that carries the date.

use app::domain::Permission;
use app::domain::journal::Journal;
use app::domain::periods::{check_new_closing, check_open};
use app::model::{BooksClosing, CurrentUser};
use chrono::NaiveDate;

use super::{ServiceError, Services};
use crate::storage::Tx;

/// Refuses `date` (of `field`) when the books are closed through it.
pub(super) async fn require_open(
    tx: &mut Box<dyn Tx>,
    date: NaiveDate,
    field: &str,
) -> Result<(), ServiceError> {
    let closed_through = tx.closing_date().await?;
    Ok(check_open(closed_through, date, Some(field))?)
}

impl Services {
    /// How far the books are closed (staff: forms say it).
    pub async fn books_closing(&self, user: &CurrentUser) -> Result<BooksClosing, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        Ok(BooksClosing {
            closed_through: tx.closing_date().await?,
        })
    }

    /// Closes the books through `date` (administrators): later than the current closing date
    /// and before today. Every journal's head is held first, so no entry dated in the period
    /// is being posted while it closes.
    pub async fn close_books(
        &self,
        user: &CurrentUser,
        date: NaiveDate,
    ) -> Result<BooksClosing, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let mut tx = self.storage.write().await?;
        for journal in Journal::ALL {
            tx.journal_head(journal).await?;
        }
        let current = tx.closing_date().await?;
        check_new_closing(current, date, self.now().date_naive())?;
        let by = (user.id > 0).then_some(user.id);
        tx.set_closing_date(date, self.now(), by).await?;
        tx.commit().await?;
        Ok(BooksClosing {
            closed_through: Some(date),
        })
    }
}
