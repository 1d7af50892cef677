//! Entries for documents written before the journal existed. They are posted once, at the
//! first start after the upgrade (the migration that named customers in the journal asks for
//! it, as the one that added seals asked for theirs), in date order, sealed like any entry, so
//! the books agree with the documents and `verify` walks them like the rest.

use std::collections::{BTreeSet, HashMap};

use app::domain::journal::CreditRelease;
use app::model::{CreditNoteView, InvoiceView};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::journal::Posting;
use super::{ServiceError, Services};
use crate::storage::Tx;

/// The name the migration leaves in `pending_backfills`.
const LEGACY_JOURNAL: &str = "journal_entries";

/// One change of money a document made, to be posted.
enum Movement {
    Issued(usize),
    Paid(usize, Decimal),
    Finalized(usize),
    Applied {
        invoice: usize,
        note: (i64, String),
        amount: Decimal,
    },
    Refunded(usize, Decimal),
    Voided(usize, Decimal),
    InvoiceCancelled(usize),
    NoteCancelled(usize),
}

/// In a day, documents come before what settles them, and cancellations last.
fn rank(movement: &Movement) -> u8 {
    match movement {
        Movement::Issued(_) | Movement::Finalized(_) => 0,
        Movement::Paid(..) | Movement::Applied { .. } | Movement::Refunded(..) => 1,
        Movement::Voided(..) | Movement::InvoiceCancelled(_) | Movement::NoteCancelled(_) => 2,
    }
}

impl Services {
    /// Posts, once, every issued invoice and finalized credit note that no entry names, with
    /// their payments, links, refunds and cancellations, in date order. Answers how many
    /// documents it posted.
    pub async fn post_legacy_documents(&self) -> Result<usize, ServiceError> {
        let mut tx = self.storage.write().await?;
        if !tx.take_pending_backfill(LEGACY_JOURNAL).await? {
            return Ok(0);
        }
        let unposted = tx.unposted_documents().await?;
        let posted = unposted.invoices.len() + unposted.credit_notes.len();
        let mut invoices: Vec<InvoiceView> = Vec::new();
        for id in &unposted.invoices {
            invoices.push(super::load_invoice(&mut tx, *id).await?);
        }
        let mut notes: Vec<CreditNoteView> = Vec::new();
        for id in &unposted.credit_notes {
            notes.push(super::load_note(&mut tx, *id).await?);
        }
        let movements = self.movements(&mut tx, &mut invoices, &notes).await?;
        for (date, movement) in movements {
            self.post_movement(&mut tx, &invoices, &notes, date, movement)
                .await?;
        }
        tx.commit().await?;
        Ok(posted)
    }

    /// What the unposted documents did, sorted by date. A link is posted once, whichever of
    /// its two documents is unposted; its invoice joins `invoices` when only the note was.
    async fn movements(
        &self,
        tx: &mut Box<dyn Tx>,
        invoices: &mut Vec<InvoiceView>,
        notes: &[CreditNoteView],
    ) -> Result<Vec<(NaiveDate, Movement)>, ServiceError> {
        let mut movements = Vec::new();
        let mut links = BTreeSet::new();
        for (index, invoice) in invoices.iter().enumerate() {
            movements.push((invoice.issue_date, Movement::Issued(index)));
            for (amount, date) in tx.payments_of(invoice.id).await? {
                let amount = invoice.currency.from_minor(amount);
                movements.push((date, Movement::Paid(index, amount)));
            }
            for allocation in &invoice.allocations {
                links.insert(allocation.id);
                movements.push((
                    allocation.created_at.date_naive(),
                    Movement::Applied {
                        invoice: index,
                        note: (
                            allocation.credit_note_id,
                            allocation.credit_note_number.clone().unwrap_or_default(),
                        ),
                        amount: allocation.amount,
                    },
                ));
            }
            if invoice.status == app::domain::InvoiceStatus::Cancelled {
                movements.push((
                    invoice.updated_at.date_naive(),
                    Movement::InvoiceCancelled(index),
                ));
            }
        }
        let mut invoice_index: HashMap<i64, usize> = invoices
            .iter()
            .enumerate()
            .map(|(index, invoice)| (invoice.id, index))
            .collect();
        for (index, note) in notes.iter().enumerate() {
            movements.push((note.date, Movement::Finalized(index)));
            for (amount, date) in tx.refunds_of(note.id).await? {
                let amount = note.currency.from_minor(amount);
                movements.push((date, Movement::Refunded(index, amount)));
            }
            for allocation in note.allocations.iter().filter(|a| links.insert(a.id)) {
                let invoice = match invoice_index.get(&allocation.invoice_id) {
                    Some(invoice) => *invoice,
                    None => {
                        invoices.push(super::load_invoice(tx, allocation.invoice_id).await?);
                        invoice_index.insert(allocation.invoice_id, invoices.len() - 1);
                        invoices.len() - 1
                    }
                };
                movements.push((
                    allocation.created_at.date_naive(),
                    Movement::Applied {
                        invoice,
                        note: (note.id, note.display_number()),
                        amount: allocation.amount,
                    },
                ));
            }
            let last_day = note.finalized_at.map_or(note.date, |at| at.date_naive());
            if !note.voided_amount.is_zero() {
                movements.push((last_day, Movement::Voided(index, note.voided_amount)));
            }
            if note.status == app::domain::CreditNoteStatus::Cancelled {
                movements.push((last_day, Movement::NoteCancelled(index)));
            }
        }
        movements.sort_by_key(|(date, movement)| (*date, rank(movement)));
        Ok(movements)
    }

    async fn post_movement(
        &self,
        tx: &mut Box<dyn Tx>,
        invoices: &[InvoiceView],
        notes: &[CreditNoteView],
        date: NaiveDate,
        movement: Movement,
    ) -> Result<(), ServiceError> {
        match movement {
            Movement::Issued(i) => {
                self.post_invoice(tx, &invoices[i], Posting::Forward, date)
                    .await
            }
            Movement::InvoiceCancelled(i) => {
                self.post_invoice(tx, &invoices[i], Posting::Reversal, date)
                    .await
            }
            Movement::Paid(i, amount) => {
                // Written before the journal, these documents were never booked in euros.
                self.post_payment(tx, &invoices[i], amount, None, date, Posting::Forward)
                    .await
            }
            Movement::Finalized(n) => {
                self.post_credit_note(tx, &notes[n], Posting::Forward, date)
                    .await
            }
            Movement::NoteCancelled(n) => {
                self.post_credit_note(tx, &notes[n], Posting::Reversal, date)
                    .await
            }
            Movement::Applied {
                invoice,
                note,
                amount,
            } => {
                self.post_application(
                    tx,
                    (note.0, &note.1),
                    &invoices[invoice],
                    amount,
                    [(Decimal::ZERO, amount); 2],
                    date,
                    Posting::Forward,
                )
                .await
            }
            Movement::Refunded(n, amount) => {
                self.post_release(tx, &notes[n], CreditRelease::Refund, amount, None, date)
                    .await
            }
            Movement::Voided(n, amount) => {
                self.post_release(tx, &notes[n], CreditRelease::Void, amount, None, date)
                    .await
            }
        }
    }
}

impl Services {
    /// The scale benchmark's data (see [`crate::storage::scale`]): written by set-based
    /// statements that post no entries, their history reaches the journal as one opening
    /// entry per customer ledger, as books taken over from an earlier system begin.
    pub async fn seed_scale(
        &self,
        plan: &crate::storage::scale::ScalePlan,
    ) -> Result<crate::storage::scale::ScaleSeeded, ServiceError> {
        let seeded = self.storage.seed_scale(plan).await?;
        self.post_opening_balances().await?;
        Ok(seeded)
    }

    /// Posts, for every customer ledger on which the journal and the documents disagree, the
    /// difference as a balance carried over ("reprise de solde"), dated today.
    async fn post_opening_balances(&self) -> Result<(), ServiceError> {
        let mut tx = self.storage.write().await?;
        let figures = tx.ledger_figures().await?;
        let (differences, _) = app::domain::audit::book_differences(&figures);
        let today = self.now().date_naive();
        for difference in differences {
            let name = tx
                .customer_name(difference.customer_id)
                .await?
                .unwrap_or_default();
            let currency = app::domain::Currency::parse(difference.currency)
                .map_err(|error| ServiceError::Internal(error.to_string()))?;
            self.post_opening_balance(
                &mut tx,
                (difference.customer_id, &name),
                difference.ledger,
                currency,
                difference.documents - difference.books,
                today,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
