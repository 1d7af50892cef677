//! Invoice payments, mark paid / mark pending, refunds, and the edits, cancellations and
//! deletions that the lifecycle rules allow.

use app::domain::{
    Charge, CreditContent, CreditNoteAction, CreditNoteStatus, Currency, InvoiceAction,
    InvoiceKind, InvoiceStatus, RuleCode, check_invoice_action, plan_mark_paid, plan_mark_pending,
    plan_payment, plan_refund,
};
use app::model::{CreditNoteView, CurrentUser, InvoiceView};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::invoices::{InvoiceTerms, check_invoice_content};
use super::journal::Posting;
use super::lines::{LineDraft, content_record, credit_content_record, resolve_lines};
use super::{
    Caller, Event, ServiceError, Services, load_invoice, load_invoice_for, load_note,
    load_note_for, minor, require_customer, rule,
};
use crate::storage::Tx;
use app::domain::timeline::{EventData, StatusCause};

#[derive(Clone, Debug)]
pub struct PaymentInput {
    pub amount: Decimal,
    pub date: NaiveDate,
    pub method: Option<String>,
    pub reference: Option<String>,
}

/// A `PATCH` of an invoice: only the given fields change; given lines replace all lines.
#[derive(Clone, Debug, Default)]
pub struct InvoiceChanges {
    pub customer_id: Option<i64>,
    pub currency: Option<Currency>,
    pub due_date: Option<Option<NaiveDate>>,
    pub lines: Option<Vec<LineDraft>>,
}

/// A `PATCH` of a draft or pending credit note: every field of a new note may change.
#[derive(Clone, Debug, Default)]
pub struct CreditNoteChanges {
    pub customer_id: Option<i64>,
    pub currency: Option<Currency>,
    pub related_invoice_id: Option<Option<i64>>,
    pub date: Option<NaiveDate>,
    pub reason: Option<Option<String>>,
    pub reason_category: Option<Option<app::domain::ReasonCategory>>,
    /// Left out: the note's own, or the new customer's when the customer changes.
    pub billing_address: Option<app::model::Address>,
    pub shipping_address: Option<app::model::Address>,
    pub lines: Option<Vec<LineDraft>>,
    pub charge: Option<Charge>,
}

/// Whose rules an invoice edit follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EditRules {
    /// The editor: a draft (an issued invoice is never changed in place).
    Editor,
    /// An import, the system of record for what the invoices it brought say: a pending or
    /// paid imported invoice, credit notes linked or not; only the total may not fall below
    /// what was paid and credited. Invoices issued here are not an import's to change.
    Import,
}

impl Services {
    /// Stores an invoice's new paid and credited amounts and status, and records a status
    /// change on its timeline.
    pub(super) async fn write_invoice_balance(
        &self,
        tx: &mut Box<dyn Tx>,
        before: &app::domain::InvoiceBalance,
        after: &app::domain::InvoiceBalance,
        caller: Caller<'_>,
    ) -> Result<(), ServiceError> {
        let currency = before.currency;
        tx.set_invoice_balance(
            before.id,
            minor(currency, after.paid)?,
            minor(currency, after.credited)?,
            after.status,
            self.now(),
        )
        .await?;
        if after.status != before.status {
            self.record(
                tx,
                caller,
                Event::invoice(
                    before.id,
                    EventData::StatusChanged {
                        from: before.status.into(),
                        to: after.status.into(),
                        reason: None,
                        cause: None,
                    },
                ),
            )
            .await?;
        }
        Ok(())
    }

    pub async fn record_payment(
        &self,
        user: &CurrentUser,
        id: i64,
        payment: PaymentInput,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, InvoiceAction::RecordPayment.permission())?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        // The invoice's status first, then the amount in its currency (the domain's order).
        let planned = plan_payment(&invoice.balance(), payment.amount)?;
        super::periods::require_open(&mut tx, payment.date, "date").await?;
        let amount_minor = minor(invoice.currency, payment.amount)?;
        let amount = invoice.currency.round(payment.amount);
        let document = crate::storage::SalesDocumentId::Invoice(id);
        let bank_value =
            super::journal::bank_value(&mut tx, document, invoice.currency, amount, payment.date)
                .await?;
        tx.insert_payment(
            id,
            amount_minor,
            payment.date,
            payment.method.as_deref(),
            payment.reference.as_deref(),
            false,
            bank_value.map(super::journal::book_minor).transpose()?,
            self.now(),
        )
        .await?;
        self.post_payment(
            &mut tx,
            &invoice,
            amount,
            bank_value,
            payment.date,
            Posting::Forward,
        )
        .await?;
        self.record(
            &mut tx,
            Caller::User(user),
            Event::invoice(
                id,
                EventData::PaymentRecorded {
                    amount,
                    date: Some(payment.date),
                    mark_paid: false,
                },
            ),
        )
        .await?;
        self.write_invoice_balance(&mut tx, &invoice.balance(), &planned, Caller::User(user))
            .await?;
        let invoice = load_invoice(&mut tx, id).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// Adds a payment equal to the outstanding amount (after credits) and marks the invoice paid.
    pub async fn mark_paid(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, InvoiceAction::MarkPaid.permission())?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        let (planned, payment) = plan_mark_paid(&invoice.balance())?;
        if !payment.is_zero() {
            let today = self.now().date_naive();
            let document = crate::storage::SalesDocumentId::Invoice(id);
            let bank_value =
                super::journal::bank_value(&mut tx, document, invoice.currency, payment, today)
                    .await?;
            tx.insert_payment(
                id,
                minor(invoice.currency, payment)?,
                today,
                None,
                None,
                true,
                bank_value.map(super::journal::book_minor).transpose()?,
                self.now(),
            )
            .await?;
            self.record(
                &mut tx,
                Caller::User(user),
                Event::invoice(
                    id,
                    EventData::PaymentRecorded {
                        amount: payment,
                        date: None,
                        mark_paid: true,
                    },
                ),
            )
            .await?;
            self.post_payment(
                &mut tx,
                &invoice,
                payment,
                bank_value,
                today,
                Posting::Forward,
            )
            .await?;
        }
        self.write_invoice_balance(&mut tx, &invoice.balance(), &planned, Caller::User(user))
            .await?;
        let invoice = load_invoice(&mut tx, id).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// paid → pending, taking back the payments "mark paid" added; refused while credit notes
    /// are linked.
    pub async fn mark_pending(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, InvoiceAction::MarkPending.permission())?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        let mark_paid = invoice
            .currency
            .from_minor(tx.mark_paid_payments(id).await?);
        let planned = plan_mark_pending(
            &invoice.balance(),
            !invoice.allocations.is_empty(),
            mark_paid,
        )?;
        // Taken back at what they were worth in euros when marked.
        let bank_value = tx
            .mark_paid_book_value(id)
            .await?
            .map(|minor| app::domain::exchange::book_currency().from_minor(minor));
        tx.remove_mark_paid_payments(id).await?;
        if !mark_paid.is_zero() {
            let today = self.now().date_naive();
            self.post_payment(
                &mut tx,
                &invoice,
                mark_paid,
                bank_value,
                today,
                Posting::Reversal,
            )
            .await?;
        }
        self.write_invoice_balance(&mut tx, &invoice.balance(), &planned, Caller::User(user))
            .await?;
        let invoice = load_invoice(&mut tx, id).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// Cancels an invoice; its payments stay on record.
    pub async fn cancel_invoice(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, InvoiceAction::Cancel.permission())?;
        let caller = Caller::User(user);
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice_for(&mut tx, id, InvoiceAction::Cancel).await?;
        // A draft is no document yet; an issued invoice is cancelled by a credit note.
        let balance = if invoice.status == InvoiceStatus::Draft {
            invoice.balance()
        } else {
            self.credit_in_full(&mut tx, caller, &invoice)
                .await?
                .balance()
        };
        let mut planned = balance.clone();
        planned.status = InvoiceStatus::Cancelled;
        self.write_invoice_balance(&mut tx, &balance, &planned, caller)
            .await?;
        let invoice = load_invoice(&mut tx, id).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// The credit note that cancels an issued invoice (CGI art. 272 and 289: an issued invoice
    /// is annulled by a document that refers to it, never by a change of its own): every line
    /// credited, finalized and applied to the invoice, which answers settled. An invoice that
    /// was partly paid is refused: what remains of it is credited by a note of its own.
    async fn credit_in_full(
        &self,
        tx: &mut Box<dyn crate::storage::Tx>,
        caller: Caller<'_>,
        invoice: &InvoiceView,
    ) -> Result<InvoiceView, ServiceError> {
        if invoice.kind == app::domain::InvoiceKind::Correction {
            return Err(app::domain::Violation::general(
                RuleCode::InvalidStatus,
                "A correction invoice is undone by another correction invoice, not cancelled",
            )
            .into());
        }
        if !invoice.paid_amount.is_zero() {
            return Err(app::domain::Violation::general(
                RuleCode::InvoiceHasPayments,
                "Payments are recorded on this invoice: credit what remains with a credit note \
                 (\"Credit this invoice\") instead of cancelling it",
            )
            .into());
        }
        let created = self
            .create_credit_note_in(
                tx,
                caller,
                super::credit_notes::NewCreditNoteInput {
                    customer_id: invoice.customer_id,
                    currency: invoice.currency,
                    date: self.now().date_naive().max(invoice.issue_date),
                    reason: Some(format!("Cancels invoice {}", invoice.number)),
                    related_invoice_id: Some(invoice.id),
                    lines: invoice
                        .lines
                        .iter()
                        .map(|line| LineDraft::from(line.input()))
                        .collect(),
                    charge: None,
                    particulars: super::credit_notes::NoteParticulars {
                        reason_category: Some(app::domain::ReasonCategory::InvoicingError),
                        ..Default::default()
                    },
                },
            )
            .await?;
        let note = self
            .finalize_credit_note_in(tx, caller, created.note.id)
            .await?;
        let request = app::domain::AllocationRequest {
            credit_note_id: note.id,
            amount: Some(invoice.outstanding()),
        };
        self.link_credit_notes_in(tx, caller, invoice.id, vec![request])
            .await
    }

    /// Deletes a draft invoice: an issued one keeps its number and is cancelled instead (409
    /// `invalid_status`). Linked credit notes answer first (409 `invoice_has_allocations`, as
    /// the contract says), then payments and documents that refer to it. Its timeline stays,
    /// detached, with the deletion as its last event.
    pub async fn delete_invoice(&self, user: &CurrentUser, id: i64) -> Result<(), ServiceError> {
        self.authorize(user, InvoiceAction::Delete.permission())?;
        let mut tx = self.storage.write().await?;
        load_invoice_for(&mut tx, id, InvoiceAction::Delete).await?;
        if tx.payment_count(id).await? > 0 {
            return Err(app::domain::Violation::general(
                RuleCode::InvoiceHasPayments,
                "Payments are recorded on this invoice; cancel it instead, which keeps them",
            )
            .into());
        }
        if tx.referring_document_count(id).await? > 0 {
            return Err(app::domain::Violation::general(
                RuleCode::InvoiceHasCreditNotes,
                "Credit notes or correction invoices refer to this invoice; cancel it instead",
            )
            .into());
        }
        self.record(
            &mut tx,
            Caller::User(user),
            Event::invoice(
                id,
                EventData::DraftDeleted {
                    invoice_id: Some(id),
                    credit_note_id: None,
                },
            ),
        )
        .await?;
        tx.delete_invoice(id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes what an invoice says, under the same checks as a new invoice. Refused while
    /// credit notes are linked; its customer and currency stay once payments or credit notes
    /// refer to it (their amounts are in its currency, for its customer); and the new total may
    /// not fall below what was already paid and credited.
    pub async fn edit_invoice(
        &self,
        user: &CurrentUser,
        id: i64,
        changes: InvoiceChanges,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, InvoiceAction::Edit.permission())?;
        let mut tx = self.storage.write().await?;
        let updated = self
            .edit_invoice_in(&mut tx, Caller::User(user), id, changes, EditRules::Editor)
            .await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// [`Services::edit_invoice`] inside the caller's transaction (an import writes many),
    /// under the editor's rules or an import's.
    pub(super) async fn edit_invoice_in(
        &self,
        tx: &mut Box<dyn crate::storage::Tx>,
        caller: Caller<'_>,
        id: i64,
        changes: InvoiceChanges,
        rules: EditRules,
    ) -> Result<InvoiceView, ServiceError> {
        let invoice = match rules {
            EditRules::Editor => load_invoice_for(tx, id, InvoiceAction::Edit).await?,
            EditRules::Import => {
                let invoice = load_invoice(tx, id).await?;
                if !invoice.imported {
                    return Err(rule(
                        RuleCode::InvoiceIssued,
                        "number",
                        format!(
                            "Invoice {} was issued here: an import does not change it (a \
                             correction invoice or a credit note does)",
                            invoice.number
                        ),
                    ));
                }
                if !matches!(invoice.status, InvoiceStatus::Pending | InvoiceStatus::Paid) {
                    return Err(rule(
                        RuleCode::InvalidStatus,
                        "number",
                        format!(
                            "A {} invoice is not changed by an import",
                            invoice.status.label().to_lowercase()
                        ),
                    ));
                }
                invoice
            }
        };
        let customer_id = changes.customer_id.unwrap_or(invoice.customer_id);
        let currency = changes.currency.unwrap_or(invoice.currency);
        let moved = customer_id != invoice.customer_id;
        if moved || currency != invoice.currency {
            let payments = tx.payment_count(id).await?;
            // Notes that credit it, and notes applied to it (an import may change a linked
            // invoice): their amounts are in its currency, for its customer.
            let notes = tx
                .referring_document_count(id)
                .await?
                .saturating_add(i64::try_from(invoice.allocations.len()).unwrap_or(i64::MAX));
            if payments > 0 || notes > 0 {
                let (field, what) = if moved {
                    ("customer_id", "customer")
                } else {
                    ("currency", "currency")
                };
                return Err(rule(
                    RuleCode::InvoiceTermsLocked,
                    field,
                    format!(
                        "The {what} of an invoice with payments or credit notes cannot change \
                         ({payments} payments, {notes} credit notes or corrections refer to it)"
                    ),
                ));
            }
            require_customer(tx, customer_id).await?;
        }
        let lines = match changes.lines {
            Some(mut drafts) => {
                super::lines::inherit_revenue_accounts(&mut drafts, &invoice.lines);
                resolve_lines(tx, customer_id, drafts).await?
            }
            None => invoice.lines.iter().map(|l| l.input()).collect(),
        };
        check_invoice_content(
            tx,
            &InvoiceTerms {
                customer_id,
                currency,
                kind: invoice.kind,
                related_invoice_id: invoice.related_invoice_id,
                lines: &lines,
            },
        )
        .await?;
        let content = content_record(&lines, currency)?;
        let total = currency.from_minor(content.totals.total_minor);
        let settled = invoice
            .paid_amount
            .checked_add(invoice.credited_amount)
            .ok_or_else(|| ServiceError::Internal("settled amount overflows".into()))?;
        if invoice.kind != InvoiceKind::Correction && total < settled {
            return Err(rule(
                RuleCode::ValidationError,
                "lines",
                format!(
                    "The new total {} is below the {} already paid and credited",
                    currency.format(total),
                    currency.format(settled)
                ),
            ));
        }
        let due_date = changes.due_date.unwrap_or(invoice.due_date);
        tx.update_invoice(id, customer_id, currency, due_date, &content, self.now())
            .await?;
        self.record(
            tx,
            caller,
            Event::invoice(id, EventData::InvoiceEdited { total: Some(total) }),
        )
        .await?;
        let updated = load_invoice(tx, id).await?;
        if invoice.status != InvoiceStatus::Draft {
            // What the invoice said is reversed; what it says now is posted.
            let today = self.now().date_naive();
            let document = crate::storage::SalesDocumentId::Invoice(id);
            let waited = super::journal::waiting_vat(tx, document, invoice.currency).await?;
            self.post_invoice(tx, &invoice, Posting::Reversal, today)
                .await?;
            if currency != invoice.currency {
                super::journal::fix_book_rate(tx, super::journal::Booking::of_invoice(&updated))
                    .await?;
            }
            let waiting =
                super::journal::fix_vat_on_payment(tx, document, &updated.lines, currency).await?;
            self.post_invoice(tx, &updated, Posting::Forward, today)
                .await?;
            // What the amount already settled makes due follows the new total and VAT. (A
            // changed currency means nothing was settled: nothing is due either side.)
            let share = |waiting, total| app::domain::journal::SettledShare {
                waiting,
                total,
                settled,
            };
            let shares = (
                share(&waited, invoice.total),
                share(&waiting, updated.total),
            );
            self.post_vat_change(tx, document, &updated.number, currency, shares, today)
                .await?;
        }
        // A new total equal to what was paid and credited settles the invoice; a higher one
        // opens a paid invoice again (only an import changes a paid invoice).
        let settles = updated.status == InvoiceStatus::Pending
            && updated.outstanding().is_zero()
            && !settled.is_zero();
        let reopens = updated.status == InvoiceStatus::Paid && !updated.outstanding().is_zero();
        if settles || reopens {
            let mut balance = updated.balance();
            balance.status = if settles {
                InvoiceStatus::Paid
            } else {
                InvoiceStatus::Pending
            };
            self.write_invoice_balance(tx, &updated.balance(), &balance, caller)
                .await?;
        }
        load_invoice(tx, id).await
    }

    /// Pays part of a credit note out to the customer.
    pub async fn refund_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
        refund: PaymentInput,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, CreditNoteAction::Refund.permission())?;
        let mut tx = self.storage.write().await?;
        let note = load_note(&mut tx, id).await?;
        let planned = plan_refund(&note.balance(), refund.amount)?;
        super::periods::require_open(&mut tx, refund.date, "date").await?;
        let currency = note.currency;
        let document = crate::storage::SalesDocumentId::CreditNote(id);
        let amount = currency.round(refund.amount);
        let bank_value =
            super::journal::bank_value(&mut tx, document, currency, amount, refund.date).await?;
        tx.insert_refund(
            id,
            minor(currency, refund.amount)?,
            refund.date,
            refund.method.as_deref(),
            self.now(),
        )
        .await?;
        tx.set_credit_note_balance(
            id,
            minor(currency, planned.allocated)?,
            minor(currency, planned.refunded)?,
            planned.status,
        )
        .await?;
        self.post_release(
            &mut tx,
            &note,
            app::domain::journal::CreditRelease::Refund,
            amount,
            bank_value,
            refund.date,
        )
        .await?;
        self.record(
            &mut tx,
            Caller::User(user),
            Event::note(
                id,
                EventData::RefundRecorded {
                    amount,
                    date: refund.date,
                },
            ),
        )
        .await?;
        let note = load_note(&mut tx, id).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// Writes off what remains of a finalized credit note, with a reason: links and refunds
    /// stay, exactly the remainder is posted (customer credit to the write-off account), and
    /// the note ends used. For a note partly linked or refunded, which cannot be cancelled.
    pub async fn void_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
        reason: &str,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, CreditNoteAction::VoidRemaining.permission())?;
        let mut tx = self.storage.write().await?;
        let note = load_note(&mut tx, id).await?;
        let (planned, written_off) = app::domain::plan_void(&note.balance(), reason)?;
        let currency = note.currency;
        let reason = reason.trim();
        tx.void_credit_note(id, minor(currency, planned.voided)?, reason)
            .await?;
        let today = self.now().date_naive();
        self.post_release(
            &mut tx,
            &note,
            app::domain::journal::CreditRelease::Void,
            written_off,
            None,
            today,
        )
        .await?;
        self.record(
            &mut tx,
            Caller::User(user),
            Event::note(
                id,
                EventData::CreditVoided {
                    amount: written_off,
                    reason: reason.to_string(),
                },
            ),
        )
        .await?;
        let note = load_note(&mut tx, id).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// Cancels a finalized credit note that nothing settled: not linked, nothing refunded.
    pub async fn cancel_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, CreditNoteAction::Cancel.permission())?;
        let mut tx = self.storage.write().await?;
        let note = load_note_for(&mut tx, id, CreditNoteAction::Cancel).await?;
        if note.number.is_some() {
            let today = self.now().date_naive();
            self.post_credit_note(&mut tx, &note, Posting::Reversal, today)
                .await?;
        }
        self.change_note_status(
            &mut tx,
            Caller::User(user),
            &note,
            CreditNoteStatus::Cancelled,
            None,
        )
        .await?;
        let note = load_note(&mut tx, id).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// Deletes a draft credit note.
    pub async fn delete_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<(), ServiceError> {
        self.authorize(user, CreditNoteAction::Delete.permission())?;
        let mut tx = self.storage.write().await?;
        load_note_for(&mut tx, id, CreditNoteAction::Delete).await?;
        // The draft's timeline stays, detached, with the deletion as its last event.
        self.record(
            &mut tx,
            Caller::User(user),
            Event::note(
                id,
                EventData::DraftDeleted {
                    invoice_id: None,
                    credit_note_id: Some(id),
                },
            ),
        )
        .await?;
        tx.delete_credit_note(id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether an invoice's status allows `action` (409/422 as the domain says), for doors that
    /// must answer that before they report malformed fields.
    pub async fn check_invoice_action(
        &self,
        user: &CurrentUser,
        id: i64,
        action: InvoiceAction,
    ) -> Result<(), ServiceError> {
        let invoice = self.invoice(user, id).await?;
        check_invoice_action(invoice.status, !invoice.allocations.is_empty(), action)?;
        Ok(())
    }

    /// Whether a credit note may be edited at all (409 when finalized or linked), before any
    /// field of the edit is looked at.
    pub async fn check_credit_note_editable(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<(), ServiceError> {
        self.authorize(user, CreditNoteAction::Edit.permission())?;
        let mut tx = self.storage.read().await?;
        load_note_for(&mut tx, id, CreditNoteAction::Edit).await?;
        Ok(())
    }

    /// Changes a draft or pending credit note; a finalized or linked one answers 409 before
    /// anything else is looked at. An edit of a note pending approval sends it back to draft:
    /// the approver only ever finalizes what was submitted.
    ///
    /// Lock order (as in every transaction): invoices first, then credit notes. The related
    /// invoice is locked before the note, like linking does, so the two never deadlock.
    pub async fn edit_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
        changes: CreditNoteChanges,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, CreditNoteAction::Edit.permission())?;
        let mut tx = self.storage.write().await?;
        let note = self
            .edit_credit_note_in(&mut tx, Caller::User(user), id, changes)
            .await?;
        tx.commit().await?;
        Ok(note)
    }

    /// [`Self::edit_credit_note`] inside the caller's transaction (an import's).
    pub(super) async fn edit_credit_note_in(
        &self,
        tx: &mut Box<dyn Tx>,
        caller: Caller<'_>,
        id: i64,
        changes: CreditNoteChanges,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize_caller(caller, CreditNoteAction::Edit.permission())?;
        let current_related = tx
            .credit_note_related_invoice(id)
            .await?
            .ok_or(ServiceError::NotFound("The credit note"))?;
        let related_invoice_id = changes.related_invoice_id.unwrap_or(current_related);
        let related = match related_invoice_id {
            Some(invoice_id) => Some(super::related_invoice(tx, invoice_id).await?),
            None => None,
        };
        let note = load_note_for(tx, id, CreditNoteAction::Edit).await?;
        if note.related_invoice_id != current_related {
            return Err(ServiceError::Invalid(app::problem::Problem::new(
                409,
                "conflict",
                "The credit note changed while this edit was prepared; try again",
            )));
        }
        let customer_id = changes.customer_id.unwrap_or(note.customer_id);
        // Another customer brings its own addresses, unless the edit gives them.
        let (mut billing_address, mut shipping_address) =
            (note.billing_address.clone(), note.shipping_address.clone());
        if customer_id != note.customer_id {
            let customer = super::load_customer(tx, customer_id).await?;
            (billing_address, shipping_address) =
                (customer.billing_address, customer.shipping_address);
        }
        let billing_address = changes.billing_address.unwrap_or(billing_address);
        let shipping_address = changes.shipping_address.unwrap_or(shipping_address);
        let currency = changes.currency.unwrap_or(note.currency);
        let content = match (changes.lines, changes.charge) {
            (None, None) => match &note.charge {
                Some(charge) => CreditContent::Charge(charge.clone()),
                None => CreditContent::Lines(note.lines.iter().map(|l| l.input()).collect()),
            },
            (lines, charge) => {
                let mut drafts = lines.unwrap_or_default();
                super::lines::inherit_revenue_accounts(&mut drafts, &note.lines);
                let lines = resolve_lines(tx, customer_id, drafts).await?;
                CreditContent::from_parts(lines, charge)?
            }
        };
        let violations = content.validate(currency);
        if !violations.is_empty() {
            return Err(violations.into());
        }
        let date = changes.date.unwrap_or(note.date);
        if changes.date.is_some() {
            super::periods::require_open(tx, date, "date").await?;
        }
        if let Some(invoice) = &related {
            app::domain::check_related_invoice(
                customer_id,
                currency,
                date,
                &super::credit_notes::related(invoice),
            )?;
        }
        let reason = changes.reason.unwrap_or(note.reason.clone());
        let (content, charge) = credit_content_record(&content, currency)?;
        tx.update_credit_note(&crate::storage::CreditNoteUpdate {
            id,
            customer_id,
            currency,
            related_invoice_id,
            date,
            reason: reason.as_deref(),
            reason_category: changes.reason_category.unwrap_or(note.reason_category),
            billing_address: &billing_address,
            shipping_address: &shipping_address,
            content,
            charge,
        })
        .await?;
        self.record(
            tx,
            caller,
            Event::both(related_invoice_id, Some(id), EventData::CreditNoteEdited {}),
        )
        .await?;
        if note.status == CreditNoteStatus::PendingApproval {
            let cause = StatusCause::EditedAfterSubmission;
            self.change_note_status(tx, caller, &note, CreditNoteStatus::Draft, Some(cause))
                .await?;
        }
        load_note(tx, id).await
    }

    /// Sets a credit note's status (no amounts change) and puts it on the note's timeline.
    pub(super) async fn change_note_status(
        &self,
        tx: &mut Box<dyn Tx>,
        caller: Caller<'_>,
        note: &CreditNoteView,
        to: CreditNoteStatus,
        cause: Option<StatusCause>,
    ) -> Result<(), ServiceError> {
        tx.set_credit_note_status(note.id, to).await?;
        let data = EventData::StatusChanged {
            from: note.status.into(),
            to: to.into(),
            reason: None,
            cause,
        };
        self.record(tx, caller, Event::note(note.id, data)).await
    }
}
