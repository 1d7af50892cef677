use app::domain::{AllocationRequest, Permission, plan_allocations};
use app::model::{CurrentUser, InvoiceView};
use rust_decimal::Decimal;

use super::journal::Posting;
use super::{Caller, Event, ServiceError, Services, minor, views};
use crate::storage::SalesDocumentId;
use app::domain::timeline::EventData;

impl Services {
    /// Links credit notes to an invoice, all or nothing. The domain's plan runs again here,
    /// on the rows this transaction holds, whatever the client already checked.
    pub async fn link_credit_notes(
        &self,
        invoice_id: i64,
        requests: Vec<AllocationRequest>,
        user: &CurrentUser,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, Permission::LinkCreditNotes)?;
        let mut tx = self.storage.write().await?;
        let updated = self
            .link_credit_notes_in(&mut tx, Caller::User(user), invoice_id, requests)
            .await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// [`Services::link_credit_notes`] inside the caller's transaction.
    pub(super) async fn link_credit_notes_in(
        &self,
        tx: &mut Box<dyn crate::storage::Tx>,
        caller: Caller<'_>,
        invoice_id: i64,
        requests: Vec<AllocationRequest>,
    ) -> Result<InvoiceView, ServiceError> {
        // Lock order: the invoice first, then the notes by ascending id. Only balances are
        // read while the write lock is held; the full invoice is read once, for the answer.
        let invoice = invoice_balance(tx, invoice_id).await?;
        let ids: Vec<i64> = requests.iter().map(|r| r.credit_note_id).collect();
        let notes = tx.credit_note_balances(&ids).await?;
        let balances: Vec<_> = notes.iter().map(|n| n.balance.clone()).collect();
        let plan = plan_allocations(&invoice, &balances, &requests)?;

        let currency = invoice.currency;
        for (credit_note_id, amount) in &plan.allocations {
            let allocation_id = tx
                .insert_allocation(
                    invoice_id,
                    *credit_note_id,
                    minor(currency, *amount)?,
                    self.now(),
                )
                .await?;
            let number = notes
                .iter()
                .find(|n| n.balance.id == *credit_note_id)
                .and_then(|n| n.number.clone());
            self.record(
                tx,
                caller,
                Event::both(
                    Some(invoice_id),
                    Some(*credit_note_id),
                    EventData::CreditNoteLinked {
                        allocation_id,
                        credit_note_number: number,
                        amount: *amount,
                    },
                ),
            )
            .await?;
        }
        for note in &plan.notes {
            tx.set_credit_note_balance(
                note.id,
                minor(currency, note.allocated)?,
                minor(currency, note.refunded)?,
                note.status,
            )
            .await?;
        }
        self.write_invoice_balance(tx, &invoice, &plan.invoice, caller)
            .await?;
        let updated = super::load_invoice(tx, invoice_id).await?;
        // Each allocation settles the next part of the invoice, and the first of its note.
        let mut invoice_settled = invoice.settled();
        for (credit_note_id, amount) in &plan.allocations {
            let note = notes.iter().find(|n| n.balance.id == *credit_note_id);
            let number = note.and_then(|n| n.number.clone()).unwrap_or_default();
            let note_settled = note.map_or(Decimal::ZERO, |n| n.balance.settled());
            let settles = [
                (invoice_settled, invoice_settled.saturating_add(*amount)),
                (note_settled, note_settled.saturating_add(*amount)),
            ];
            invoice_settled = settles[0].1;
            self.post_application(
                tx,
                (*credit_note_id, &number),
                &updated,
                *amount,
                settles,
                self.now().date_naive(),
                Posting::Forward,
            )
            .await?;
        }
        let changed: Vec<_> = plan
            .notes
            .iter()
            .filter_map(|after| {
                let before = notes.iter().find(|n| n.balance.id == after.id)?;
                Some((
                    before.number.as_deref().unwrap_or_default(),
                    &before.balance,
                    after,
                ))
            })
            .collect();
        let invoice_change = (updated.number.as_str(), &invoice, &plan.invoice);
        self.post_link_vat_due(tx, invoice_change, &changed).await?;
        Ok(updated)
    }
}

/// A document's number, and its balance before and after a change.
type Change<'a, B> = (&'a str, &'a B, &'a B);

impl Services {
    /// Posts the VAT that credit applied (or unapplied) makes due on the invoice and on each
    /// note, for services whose VAT waits for payment.
    async fn post_link_vat_due(
        &self,
        tx: &mut Box<dyn crate::storage::Tx>,
        invoice: Change<'_, app::domain::InvoiceBalance>,
        notes: &[Change<'_, app::domain::CreditNoteBalance>],
    ) -> Result<(), ServiceError> {
        let today = self.now().date_naive();
        let (number, before, after) = invoice;
        let invoice = (
            SalesDocumentId::Invoice(before.id),
            number,
            before.currency,
            before.total,
            (before.settled(), after.settled()),
        );
        let notes = notes.iter().map(|(number, before, after)| {
            (
                SalesDocumentId::CreditNote(before.id),
                *number,
                before.currency,
                before.total,
                (before.settled(), after.settled()),
            )
        });
        for (document, number, currency, total, settled) in std::iter::once(invoice).chain(notes) {
            self.post_vat_due(tx, document, number, currency, total, settled, today)
                .await?;
        }
        Ok(())
    }
}

/// The invoice's balance, locked, or 404.
async fn invoice_balance(
    tx: &mut Box<dyn crate::storage::Tx>,
    invoice_id: i64,
) -> Result<app::domain::InvoiceBalance, ServiceError> {
    tx.invoice_balance(invoice_id)
        .await?
        .ok_or(ServiceError::NotFound("The invoice"))
}

/// One row of the link dialog as the API answers it: the note and whether it can be picked.
#[derive(Clone, Debug)]
pub struct LinkableNote {
    pub note: app::model::CreditNoteView,
    pub row: app::domain::LinkableRow,
}

impl Services {
    /// What the link dialog lists, one page: the customer's available credit notes (oldest
    /// first), each selectable or not, with the reason.
    pub async fn linkable_credit_notes(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        page: crate::storage::Page,
    ) -> Result<Vec<LinkableNote>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        let invoice = super::load_invoice(&mut tx, invoice_id).await?;
        let candidates = tx
            .customer_credit_notes(
                invoice.customer_id,
                Some(app::domain::CreditNoteStatus::Available),
                page,
            )
            .await?
            .into_iter()
            .map(views::credit_note)
            .collect::<Vec<_>>();
        let balances: Vec<_> = candidates.iter().map(|n| n.balance()).collect();
        let rows = app::domain::linkable(&invoice.balance(), &balances);
        Ok(candidates
            .into_iter()
            .zip(rows)
            .map(|(note, row)| LinkableNote { note, row })
            .collect())
    }

    /// Removes one allocation and reverses its effects: the invoice's credited amount falls
    /// (a paid invoice with money outstanding again is pending), the note's remaining rises
    /// (a used note is available again).
    pub async fn unlink_credit_note(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        allocation_id: i64,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, Permission::LinkCreditNotes)?;
        let mut tx = self.storage.write().await?;
        let invoice = invoice_balance(&mut tx, invoice_id).await?;
        app::domain::linking::check_unlink(invoice.status)?;
        let allocation = tx
            .allocation(allocation_id)
            .await?
            .filter(|a| a.invoice_id == invoice_id)
            .map(views::allocation)
            .ok_or(ServiceError::NotFound("The allocation"))?;
        let note = tx
            .credit_note_balances(&[allocation.credit_note_id])
            .await?
            .pop()
            .ok_or(ServiceError::NotFound("The credit note"))?;
        let (planned_invoice, planned_note) =
            app::domain::plan_unlink(&invoice, &note.balance, allocation.amount);
        let currency = invoice.currency;
        tx.delete_allocation(allocation_id).await?;
        tx.set_credit_note_balance(
            note.balance.id,
            minor(currency, planned_note.allocated)?,
            minor(currency, planned_note.refunded)?,
            planned_note.status,
        )
        .await?;
        self.record(
            &mut tx,
            Caller::User(user),
            Event::both(
                Some(invoice_id),
                Some(note.balance.id),
                EventData::CreditNoteUnlinked {
                    allocation_id,
                    credit_note_number: note.number.clone(),
                    amount: allocation.amount,
                },
            ),
        )
        .await?;
        self.write_invoice_balance(&mut tx, &invoice, &planned_invoice, Caller::User(user))
            .await?;
        let updated = super::load_invoice(&mut tx, invoice_id).await?;
        // The credit unsettles what it settled: the top of each document's settled amount.
        let settles = [
            (planned_invoice.settled(), invoice.settled()),
            (planned_note.settled(), note.balance.settled()),
        ];
        self.post_application(
            &mut tx,
            (note.balance.id, note.number.as_deref().unwrap_or_default()),
            &updated,
            allocation.amount,
            settles,
            self.now().date_naive(),
            Posting::Reversal,
        )
        .await?;
        let number = note.number.as_deref().unwrap_or_default();
        let invoice_change = (updated.number.as_str(), &invoice, &planned_invoice);
        let note_change = (number, &note.balance, &planned_note);
        self.post_link_vat_due(&mut tx, invoice_change, &[note_change])
            .await?;
        tx.commit().await?;
        Ok(updated)
    }
}
