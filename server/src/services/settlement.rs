//! Invoice payments, mark paid / mark pending, refunds, and the edits, cancellations and
//! deletions that the lifecycle rules allow.

use app::domain::{
    Charge, CreditContent, CreditNoteAction, CreditNoteStatus, Currency, InvoiceAction,
    InvoiceStatus, LineInput, Permission, RuleCode, Violation, check_credit_note_action,
    check_invoice_action, plan_mark_paid, plan_mark_pending, plan_payment, plan_refund,
};
use app::model::{CreditNoteView, CurrentUser, InvoiceView};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{ServiceError, Services, load_invoice, load_note, minor, require_customer};
use crate::storage::{CreditNoteFilter, NewEvent, Page, Tx};

fn rules(violation: Violation) -> ServiceError {
    ServiceError::Rules(vec![violation])
}

fn event(
    user: &CurrentUser,
    invoice_id: Option<i64>,
    credit_note_id: Option<i64>,
    kind: &'static str,
    data: serde_json::Value,
) -> NewEvent {
    NewEvent {
        invoice_id,
        credit_note_id,
        at: chrono::Utc::now(),
        actor: Some(user.email.clone()),
        kind,
        data,
    }
}

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
    pub lines: Option<Vec<LineInput>>,
}

/// A `PATCH` of a draft or pending credit note.
#[derive(Clone, Debug, Default)]
pub struct CreditNoteChanges {
    pub date: Option<NaiveDate>,
    pub reason: Option<Option<String>>,
    pub lines: Option<Vec<LineInput>>,
    pub charge: Option<Charge>,
}

impl Services {
    /// Stores an invoice's new paid and credited amounts and status, and records a status
    /// change on its timeline.
    pub(super) async fn write_invoice_balance(
        &self,
        tx: &mut Box<dyn Tx>,
        before: &InvoiceView,
        after: &app::domain::InvoiceBalance,
        user: &CurrentUser,
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
            tx.insert_event(&event(
                user,
                Some(before.id),
                None,
                "status_changed",
                serde_json::json!({ "from": before.status, "to": after.status }),
            ))
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
        self.authorize(user, Permission::WriteInvoices)?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        let planned = plan_payment(&invoice.balance(), payment.amount).map_err(rules)?;
        let amount_minor = minor(invoice.currency, payment.amount)?;
        tx.insert_payment(
            id,
            amount_minor,
            payment.date,
            payment.method.as_deref(),
            payment.reference.as_deref(),
            false,
            self.now(),
        )
        .await?;
        tx.insert_event(&event(user, Some(id), None, "payment_recorded", serde_json::json!({ "amount": invoice.currency.round(payment.amount).to_string(), "date": payment.date })))
            .await?;
        self.write_invoice_balance(&mut tx, &invoice, &planned, user)
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
        self.authorize(user, Permission::WriteInvoices)?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        let (planned, payment) = plan_mark_paid(&invoice.balance()).map_err(rules)?;
        if !payment.is_zero() {
            tx.insert_payment(
                id,
                minor(invoice.currency, payment)?,
                chrono::Utc::now().date_naive(),
                None,
                None,
                true,
                self.now(),
            )
            .await?;
            tx.insert_event(&event(
                user,
                Some(id),
                None,
                "payment_recorded",
                serde_json::json!({ "amount": payment.to_string(), "mark_paid": true }),
            ))
            .await?;
        }
        self.write_invoice_balance(&mut tx, &invoice, &planned, user)
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
        self.authorize(user, Permission::WriteInvoices)?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        let mark_paid = invoice
            .currency
            .from_minor(tx.mark_paid_payments(id).await?);
        let planned = plan_mark_pending(
            &invoice.balance(),
            !invoice.allocations.is_empty(),
            mark_paid,
        )
        .map_err(rules)?;
        tx.remove_mark_paid_payments(id).await?;
        self.write_invoice_balance(&mut tx, &invoice, &planned, user)
            .await?;
        let invoice = load_invoice(&mut tx, id).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    pub async fn cancel_invoice(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, Permission::CancelOrDeleteInvoice)?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        check_invoice_action(
            invoice.status,
            !invoice.allocations.is_empty(),
            InvoiceAction::Cancel,
        )
        .map_err(rules)?;
        let mut planned = invoice.balance();
        planned.status = InvoiceStatus::Cancelled;
        self.write_invoice_balance(&mut tx, &invoice, &planned, user)
            .await?;
        let invoice = load_invoice(&mut tx, id).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    pub async fn delete_invoice(&self, user: &CurrentUser, id: i64) -> Result<(), ServiceError> {
        self.authorize(user, Permission::CancelOrDeleteInvoice)?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        check_invoice_action(
            invoice.status,
            !invoice.allocations.is_empty(),
            InvoiceAction::Delete,
        )
        .map_err(rules)?;
        let related = tx
            .find_credit_notes(
                &CreditNoteFilter {
                    related_invoice_id: Some(id),
                    ..Default::default()
                },
                Page { after: 0, limit: 1 },
            )
            .await?;
        if !related.is_empty() {
            return Err(ServiceError::Invalid(app::problem::Problem::new(
                409,
                "invoice_has_credit_notes",
                "Credit notes refer to this invoice; cancel the invoice instead",
            )));
        }
        tx.delete_invoice(id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes what an invoice says. Refused while credit notes are linked, and when the new
    /// total would fall below what was already paid.
    pub async fn edit_invoice(
        &self,
        user: &CurrentUser,
        id: i64,
        changes: InvoiceChanges,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        let mut tx = self.storage.write().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        check_invoice_action(
            invoice.status,
            !invoice.allocations.is_empty(),
            InvoiceAction::Edit,
        )
        .map_err(rules)?;
        let customer_id = changes.customer_id.unwrap_or(invoice.customer_id);
        require_customer(&mut tx, customer_id).await?;
        let currency = changes.currency.unwrap_or(invoice.currency);
        let lines = changes
            .lines
            .unwrap_or_else(|| invoice.lines.iter().map(|l| l.input()).collect());
        let totals = app::domain::document_totals(&lines, currency);
        if totals.total < invoice.paid_amount + invoice.credited_amount {
            return Err(rules(Violation::new(
                RuleCode::ValidationError,
                Some("lines".into()),
                format!(
                    "The new total {} is below the {} already paid",
                    currency.format(totals.total),
                    currency.format(invoice.paid_amount)
                ),
            )));
        }
        let due_date = changes.due_date.unwrap_or(invoice.due_date);
        tx.update_invoice(id, customer_id, currency, due_date, &lines, self.now())
            .await?;
        tx.insert_event(&event(
            user,
            Some(id),
            None,
            "invoice_edited",
            serde_json::json!({ "total": totals.total.to_string() }),
        ))
        .await?;
        let updated = load_invoice(&mut tx, id).await?;
        // A new total equal to what was paid settles the invoice.
        if updated.status == InvoiceStatus::Pending && updated.outstanding().is_zero() {
            let mut balance = updated.balance();
            balance.status = InvoiceStatus::Paid;
            self.write_invoice_balance(&mut tx, &updated, &balance, user)
                .await?;
        }
        let updated = load_invoice(&mut tx, id).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Pays part of a credit note out to the customer.
    pub async fn refund_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
        refund: PaymentInput,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, Permission::RefundCreditNotes)?;
        let mut tx = self.storage.write().await?;
        let note = load_note(&mut tx, id).await?;
        let planned = plan_refund(&note.balance(), refund.amount).map_err(rules)?;
        let currency = note.currency;
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
        tx.insert_event(&event(user, None, Some(id), "refund_recorded", serde_json::json!({ "amount": currency.round(refund.amount).to_string(), "date": refund.date })))
            .await?;
        let note = load_note(&mut tx, id).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// Cancels a finalized credit note that is not linked to any invoice.
    pub async fn cancel_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, Permission::CancelOrDeleteCreditNote)?;
        let mut tx = self.storage.write().await?;
        let note = load_note(&mut tx, id).await?;
        check_credit_note_action(
            note.status,
            !note.allocations.is_empty(),
            CreditNoteAction::Cancel,
        )
        .map_err(rules)?;
        tx.set_credit_note_status(id, CreditNoteStatus::Cancelled)
            .await?;
        tx.insert_event(&event(
            user,
            None,
            Some(id),
            "status_changed",
            serde_json::json!({ "from": note.status, "to": CreditNoteStatus::Cancelled }),
        ))
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
        self.authorize(user, Permission::CancelOrDeleteCreditNote)?;
        let mut tx = self.storage.write().await?;
        let note = load_note(&mut tx, id).await?;
        check_credit_note_action(
            note.status,
            !note.allocations.is_empty(),
            CreditNoteAction::Delete,
        )
        .map_err(rules)?;
        tx.delete_credit_note(id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a draft or pending credit note; a finalized one is locked (409).
    pub async fn edit_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
        changes: CreditNoteChanges,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, Permission::WriteCreditNotes)?;
        let mut tx = self.storage.write().await?;
        let note = load_note(&mut tx, id).await?;
        check_credit_note_action(
            note.status,
            !note.allocations.is_empty(),
            CreditNoteAction::Edit,
        )
        .map_err(rules)?;
        let content = match (changes.lines, changes.charge) {
            (None, None) => match &note.charge {
                Some(charge) => CreditContent::Charge(charge.clone()),
                None => CreditContent::Lines(note.lines.iter().map(|l| l.input()).collect()),
            },
            (lines, charge) => {
                CreditContent::from_parts(lines.unwrap_or_default(), charge).map_err(rules)?
            }
        };
        let violations = content.validate(note.currency);
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        let date = changes.date.unwrap_or(note.date);
        if let Some(invoice_id) = note.related_invoice_id {
            let invoice = load_invoice(&mut tx, invoice_id).await?;
            app::domain::check_related_invoice(
                note.customer_id,
                date,
                invoice.customer_id,
                invoice.issue_date,
            )
            .map_err(rules)?;
        }
        let reason = changes.reason.unwrap_or(note.reason.clone());
        tx.update_credit_note(id, date, reason.as_deref(), &content)
            .await?;
        tx.insert_event(&event(
            user,
            None,
            Some(id),
            "credit_note_edited",
            serde_json::json!({}),
        ))
        .await?;
        let note = load_note(&mut tx, id).await?;
        tx.commit().await?;
        Ok(note)
    }
}
