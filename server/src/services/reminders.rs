//! Payment reminders for overdue invoices, through the outbox: "send reminder now" on an
//! invoice, and each customer's schedule (off, or every N days after the due date), which the
//! server runs with its housekeeping. A reminder states what is still owed after payments and
//! credits, lists the credit notes applied, carries the invoice PDF, and shows on the invoice's
//! timeline with what becomes of the e-mail.

use app::domain::{
    MAX_REMINDER_DAYS, Permission, RuleCode, Violation, reminder_due, reminder_refusal,
};
use app::model::{CurrentUser, CustomerView, InvoiceView, SellerProfile};
use chrono::NaiveDate;

use super::outbox::{QueuedMessage, customer_address, sender};
use super::{Caller, Event, ServiceError, Services, load_invoice, views};
use crate::storage::{MessageAbout, MessageContent, NewMessage};
use app::domain::Language;
use app::domain::timeline::{EventData, Recipients};
use app::i18n::{Msg, format as fmt, trf};

/// Candidates read per query when the schedule runs.
const CANDIDATE_BATCH: i64 = 100;

/// The reminder's text in `language`: what the invoice came to, each credit note applied,
/// the payments, and what is still owed.
fn reminder_body(
    invoice: &InvoiceView,
    seller: &SellerProfile,
    seller_name: &str,
    language: Language,
) -> String {
    let currency = invoice.currency;
    let money = |amount| fmt::money(language, amount, currency);
    let say = |message, values: &[(&str, &str)]| trf(language, message, values);
    let number = invoice.number.as_str();
    let date = fmt::date(language, invoice.issue_date);
    let mut body = match invoice.due_date {
        Some(due) => say(
            Msg::ReminderOpeningDue,
            &[
                ("number", number),
                ("date", &date),
                ("due", &fmt::date(language, due)),
            ],
        ),
        None => say(Msg::ReminderOpening, &[("number", number), ("date", &date)]),
    };
    body.push_str("\n\n");
    body.push_str(&say(
        Msg::ReminderTotal,
        &[("amount", &money(invoice.total))],
    ));
    body.push('\n');
    if invoice.allocations.is_empty() {
        body.push_str(&say(Msg::ReminderCreditsNone, &[]));
        body.push('\n');
    } else {
        body.push_str(&say(Msg::ReminderCredits, &[]));
        body.push('\n');
        for allocation in &invoice.allocations {
            let number = allocation.credit_note_number.as_deref().unwrap_or("-");
            body.push_str(&format!("  {number}: -{}\n", money(allocation.amount)));
        }
    }
    body.push_str(&say(
        Msg::ReminderPayments,
        &[("amount", &money(invoice.paid_amount))],
    ));
    body.push('\n');
    body.push_str(&say(
        Msg::ReminderOutstanding,
        &[("amount", &money(invoice.outstanding()))],
    ));
    body.push_str("\n\n");
    body.push_str(&match seller.iban.as_deref() {
        Some(iban) => say(Msg::ReminderPayTo, &[("iban", iban), ("number", number)]),
        None => say(Msg::ReminderPay, &[("number", number)]),
    });
    body.push_str("\n\n");
    body.push_str(&say(Msg::MailRegards, &[("seller", seller_name)]));
    body
}

impl Services {
    /// Sets a customer's reminder schedule (`None`: off) for administrators and credit
    /// managers; answers the customer.
    pub async fn set_customer_reminders(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        every_days: Option<u16>,
    ) -> Result<CustomerView, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        if every_days.is_some_and(|days| !(1..=MAX_REMINDER_DAYS).contains(&days)) {
            return Err(ServiceError::Rules(vec![Violation::new(
                RuleCode::ValidationError,
                Some("days_after_due".into()),
                format!("Give a number of days from 1 to {MAX_REMINDER_DAYS}, or null for none"),
            )]));
        }
        let mut tx = self.storage.write().await?;
        if !tx.set_customer_reminders(customer_id, every_days).await? {
            return Err(ServiceError::NotFound("The customer"));
        }
        let customer = tx
            .customer(customer_id)
            .await?
            .map(views::customer)
            .ok_or(ServiceError::NotFound("The customer"))?;
        tx.commit().await?;
        Ok(customer)
    }

    /// "Send reminder now": queues a reminder for an overdue invoice, to the customer's
    /// address.
    pub async fn send_reminder(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
    ) -> Result<QueuedMessage, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        let invoice = self.invoice(user, invoice_id).await?;
        let queued = self
            .queue_reminder(Caller::User(user), &invoice, None)
            .await?;
        // Only the schedule's re-check inside the transaction answers nothing.
        queued.ok_or_else(|| ServiceError::Internal("reminder not queued".into()))
    }

    /// Runs every customer's schedule: queues the reminders due today. One invoice that cannot
    /// be reminded of (no e-mail address, no seller's address) is logged and skipped; answers
    /// how many were queued.
    pub async fn send_due_reminders(&self) -> Result<usize, ServiceError> {
        let today = self.now().date_naive();
        let mut queued = 0;
        let mut after_id = 0;
        loop {
            let (candidates, invoices) = {
                let mut tx = self.storage.read().await?;
                let candidates = tx
                    .reminder_candidates(today, after_id, CANDIDATE_BATCH)
                    .await?;
                let mut invoices = Vec::new();
                for candidate in &candidates {
                    let last = candidate.last_reminded_at.map(|at| at.date_naive());
                    if reminder_due(candidate.due_date, candidate.every_days, last, today) {
                        invoices.push((
                            load_invoice(&mut tx, candidate.invoice_id).await?,
                            candidate.every_days,
                        ));
                    }
                }
                (candidates, invoices)
            };
            for (invoice, every_days) in &invoices {
                match self
                    .queue_reminder(Caller::CommandLine, invoice, Some(*every_days))
                    .await
                {
                    Ok(Some(_)) => queued += 1,
                    Ok(None) => {}
                    Err(error) => tracing::warn!(
                        invoice = ?invoice.number, error = %error.to_string().escape_debug(), "payment reminder not sent"
                    ),
                }
            }
            match candidates.last() {
                Some(last) if candidates.len() as i64 == CANDIDATE_BATCH => {
                    after_id = last.invoice_id;
                }
                _ => return Ok(queued),
            }
        }
    }

    /// Composes and queues a reminder. With `schedule` (the customer's period), the schedule's
    /// rule is checked again with the invoice's row locked, so two servers running it at once
    /// send one reminder; answers `None` when it no longer applies.
    async fn queue_reminder(
        &self,
        caller: Caller<'_>,
        invoice: &InvoiceView,
        schedule: Option<u16>,
    ) -> Result<Option<QueuedMessage>, ServiceError> {
        let now = self.now();
        let today = now.date_naive();
        if let Some(violation) = reminder_refusal(&invoice.balance(), invoice.due_date, today) {
            return Err(ServiceError::Rules(vec![violation]));
        }
        let super::outbox::Addressee {
            email: customer_email,
            language,
            seller,
        } = self.addressee(invoice.customer_id).await?;
        let to = customer_address(customer_email.as_deref())?;
        let (sender, seller_name) = sender(&seller)?;
        let pdf = self.render_invoice_pdf(invoice).await?;
        // In the customer's language, whoever sends it.
        let outstanding = fmt::money(language, invoice.outstanding(), invoice.currency);
        let new = NewMessage {
            about: MessageAbout::Invoice(invoice.id),
            content: MessageContent {
                sender,
                to: vec![to.clone()],
                cc: Vec::new(),
                subject: trf(
                    language,
                    Msg::ReminderSubject,
                    &[
                        ("number", &invoice.number),
                        ("seller", &seller_name),
                        ("amount", &outstanding),
                    ],
                ),
                body: reminder_body(invoice, &seller, &seller_name, language),
                attachment_name: pdf.file_name,
                attachment: pdf.bytes,
            },
            created_at: now,
            created_by: match caller {
                Caller::User(user) => Some(user.email.clone()),
                Caller::CommandLine => None,
            },
        };
        let mut tx = self.storage.write().await?;
        if let Caller::User(user) = caller {
            self.check_mail_quota(&mut tx, user).await?;
        }
        // Locks the row: a payment or a credit meanwhile is seen, as is another reminder.
        let balance = tx
            .invoice_balance(invoice.id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        if let Some(violation) = reminder_refusal(&balance, invoice.due_date, today) {
            return match schedule {
                Some(_) => Ok(None),
                None => Err(ServiceError::Rules(vec![violation])),
            };
        }
        if let Some(every_days) = schedule {
            let last = tx.last_reminded(invoice.id).await?;
            let due = invoice.due_date.unwrap_or(NaiveDate::MAX);
            if !reminder_due(due, every_days, last.map(|at| at.date_naive()), today) {
                return Ok(None);
            }
        }
        let message_id = tx.insert_message(&new).await?;
        tx.set_last_reminded(invoice.id, now).await?;
        let data = EventData::ReminderQueued {
            recipients: Recipients {
                message_id: Some(message_id),
                to: vec![to.clone()],
                cc: Vec::new(),
                attempt: None,
            },
            outstanding: invoice.outstanding(),
            automatic: schedule.is_some(),
        };
        self.record(&mut tx, caller, Event::invoice(invoice.id, data))
            .await?;
        tx.commit().await?;
        self.outbox_queued.notify_one();
        Ok(Some(QueuedMessage {
            id: message_id,
            status: "pending".into(),
            to: vec![to],
            cc: Vec::new(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::{Currency, InvoiceKind, InvoiceStatus};
    use app::model::AllocationView;
    use rust_decimal::Decimal;

    #[test]
    fn a_reminder_states_the_credits_applied_and_what_is_still_owed() {
        let eur = Currency::parse("EUR").expect("EUR");
        let at = chrono::Utc::now();
        let invoice = InvoiceView {
            id: 7,
            number: "INV-2026-00007".into(),
            customer_id: 1,
            customer_name: "Acme".into(),
            currency: eur,
            issue_date: "2026-03-02".parse().expect("date"),
            due_date: Some("2026-04-01".parse().expect("date")),
            kind: InvoiceKind::Standard,
            status: InvoiceStatus::Pending,
            lines: Vec::new(),
            subtotal: Decimal::from(100),
            tax_total: Decimal::from(20),
            total: Decimal::from(120),
            paid_amount: Decimal::from(30),
            credited_amount: Decimal::from(50),
            related_invoice_id: None,
            project: None,
            imported: false,
            allocations: vec![AllocationView {
                id: 1,
                credit_note_id: 3,
                credit_note_number: Some("CN-2026-00003".into()),
                invoice_id: 7,
                invoice_number: "INV-2026-00007".into(),
                amount: Decimal::from(50),
                created_at: at,
            }],
            created_at: at,
            updated_at: at,
        };
        let seller = SellerProfile {
            iban: Some("DE89 3704 0044 0532 0130 00".into()),
            ..SellerProfile::default()
        };
        let body = reminder_body(&invoice, &seller, "Nordlicht", Language::En);
        for expected in [
            "our invoice INV-2026-00007 of Mar 2, 2026, due on Apr 1, 2026, is not settled yet",
            "Invoice total: €120.00",
            "  CN-2026-00003: -€50.00",
            "Payments received: -€30.00",
            "Outstanding: €40.00",
            "to IBAN DE89 3704 0044 0532 0130 00, quoting INV-2026-00007",
            "Kind regards,\nNordlicht",
        ] {
            assert!(body.contains(expected), "{expected:?} in {body}");
        }
        // A German customer reads it in German, whoever sends it.
        let body = reminder_body(&invoice, &seller, "Nordlicht", Language::De);
        for expected in [
            "unsere Rechnung INV-2026-00007 vom 02.03.2026, fällig am 01.04.2026, ist noch nicht beglichen",
            "Offener Betrag: 40,00\u{a0}€",
            "Mit freundlichen Grüßen\nNordlicht",
        ] {
            assert!(body.contains(expected), "{expected:?} in {body}");
        }
    }
}
