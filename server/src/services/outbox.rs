//! E-mail through the outbox: a request queues a message in its own transaction and answers at
//! once; a worker hands due messages to the SMTP server, retries failures with a growing delay,
//! and writes what happened on the credit note's timeline.

use std::str::FromStr;

use app::domain::{CreditNoteAction, Permission, RuleCode, Violation, check_credit_note_action};
use app::model::{CurrentUser, SellerProfile};
use serde::Serialize;

use super::{Caller, Event, ServiceError, Services};
use crate::storage::{MessageAbout, MessageContent, MessageRecord, NewMessage};
use app::domain::timeline::{EventData, Recipients};
use app::i18n::{Msg, format as fmt, trf};

/// At most this many recipients (to and cc together) per message.
const MAX_RECIPIENTS: usize = 20;
/// A personal message is at most this long.
const MAX_MESSAGE_CHARS: usize = 5_000;
/// Attempts before a message counts as failed: with the delays below, about half a day of trying.
pub const MAX_ATTEMPTS: i32 = 12;
/// The delay after the first failed attempt; it doubles after each further one…
const FIRST_RETRY_SECONDS: i64 = 30;
/// …up to this.
const LONGEST_RETRY_SECONDS: i64 = 4 * 3600;
/// How long a worker holds the messages it claimed: longer than an SMTP exchange may last
/// (lettre gives up after 60 s), so no other worker takes them over meanwhile.
const HOLD_SECONDS: i64 = 300;
/// Messages claimed at once: one, so a claim never outlives its hold while the worker is busy
/// with the others (another server would then send it a second time).
const CLAIM_BATCH: i64 = 1;

/// What e-mail a user may send and how long sent documents are kept (settings of the server:
/// `--mail-daily-quota`, `--mail-retention-days`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailPolicy {
    /// Messages one user may queue per day (UTC).
    pub daily_quota: u32,
    /// Days a sent message keeps its attached PDF; then only its record remains.
    pub retention_days: u32,
}

impl Default for MailPolicy {
    fn default() -> Self {
        MailPolicy {
            daily_quota: 200,
            retention_days: 90,
        }
    }
}

/// What a "send by e-mail" request asks for; blank `to` means the customer's address.
#[derive(Clone, Debug, Default)]
pub struct SendRequest {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub message: Option<String>,
}

/// A queued message, as the request answers it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct QueuedMessage {
    pub id: i64,
    /// `pending` until the worker has handed it to the SMTP server.
    pub status: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
}

/// Where the worker hands messages: SMTP in production (`crate::mail`), anything in tests.
#[async_trait::async_trait]
pub trait MailTransport: Send + Sync {
    /// Sends the message; the error says why not, for the timeline.
    async fn send(&self, message: &MessageRecord) -> Result<(), String>;
}

/// The delay before attempt `attempts + 1`, after `attempts` failed ones.
fn retry_delay_seconds(attempts: i32) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    FIRST_RETRY_SECONDS
        .saturating_mul(1_i64 << doublings)
        .min(LONGEST_RETRY_SECONDS)
}

/// Addresses as typed: trimmed, blanks dropped, each a valid address, else a violation on
/// `field[i]`.
fn addresses(field: &str, typed: &[String], violations: &mut Vec<Violation>) -> Vec<String> {
    let mut kept = Vec::new();
    for (i, address) in typed.iter().enumerate() {
        let address = address.trim();
        if address.is_empty() {
            continue;
        }
        match lettre::Address::from_str(address) {
            Ok(parsed) => kept.push(parsed.to_string()),
            Err(_) => violations.push(Violation::new(
                RuleCode::ValidationError,
                Some(format!("{field}[{i}]").as_str().into()),
                format!("{address} is not an e-mail address"),
            )),
        }
    }
    kept
}

fn refuse(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::Rules(vec![Violation::new(
        RuleCode::ValidationError,
        Some(field.into()),
        message,
    )])
}

/// The customer's own address, when no one else is named.
pub(super) fn customer_address(email: Option<&str>) -> Result<String, ServiceError> {
    match email.map(lettre::Address::from_str) {
        Some(Ok(address)) => Ok(address.to_string()),
        _ => Err(refuse(
            "to",
            "The customer has no valid e-mail address: say whom to send it to",
        )),
    }
}

/// Who messages come from: the seller's address, under the seller's name; answers the mailbox
/// and the name to sign with.
pub(super) fn sender(seller: &SellerProfile) -> Result<(String, String), ServiceError> {
    let Some(address) = seller
        .email
        .as_deref()
        .and_then(|email| lettre::Address::from_str(email).ok())
    else {
        return Err(refuse(
            "from",
            "Give the seller an e-mail address in Settings: messages are sent from it",
        ));
    };
    let name = if seller.name.is_empty() {
        address.to_string()
    } else {
        seller.name.clone()
    };
    let mailbox = lettre::message::Mailbox::new(Some(name.clone()), address).to_string();
    Ok((mailbox, name))
}

/// Who may send to whom: without [`Permission::EmailAnyRecipient`] a document goes to the
/// customer's own address only, with the standard text.
fn check_recipients(
    user: &CurrentUser,
    customer_email: Option<&str>,
    to: &[String],
    cc: &[String],
    message: Option<&str>,
) -> Result<(), ServiceError> {
    if user.may(Permission::EmailAnyRecipient) {
        return Ok(());
    }
    let own = customer_email.and_then(|email| lettre::Address::from_str(email).ok());
    let only_the_customer = to
        .iter()
        .all(|address| own.as_ref().is_some_and(|own| own.to_string() == *address));
    if only_the_customer && cc.is_empty() && message.is_none() {
        return Ok(());
    }
    Err(ServiceError::Invalid(app::problem::Problem::new(
        403,
        "forbidden",
        "Your role sends documents to the customer's own address with the standard text; \
         other recipients and messages of your own need a credit manager",
    )))
}

/// Who a customer's mail goes to and how it is written: the customer's address and document
/// language, and the seller who sends it.
pub(super) struct Addressee {
    pub email: Option<String>,
    pub language: app::domain::Language,
    pub seller: SellerProfile,
}

impl Services {
    pub(super) async fn addressee(&self, customer_id: i64) -> Result<Addressee, ServiceError> {
        let mut tx = self.storage.read().await?;
        let customer = tx.customer(customer_id).await?;
        Ok(Addressee {
            email: customer
                .as_ref()
                .and_then(|customer| customer.email.clone()),
            language: customer
                .map(|customer| customer.document_language)
                .unwrap_or_default(),
            seller: tx.seller().await?.unwrap_or_default(),
        })
    }

    /// Uses a policy other than the default one.
    pub fn with_mail_policy(self, mail_policy: MailPolicy) -> Self {
        Self {
            mail_policy,
            ..self
        }
    }

    /// Refuses (429) a user who has queued the day's quota of messages already.
    pub(super) async fn check_mail_quota(
        &self,
        tx: &mut Box<dyn crate::storage::Tx>,
        user: &CurrentUser,
    ) -> Result<(), ServiceError> {
        let now = self.now();
        let day_start = now
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .map_or(now, |midnight| midnight.and_utc());
        let queued = tx.messages_queued_by(&user.email, day_start).await?;
        let quota = i64::from(self.mail_policy.daily_quota);
        if queued >= quota {
            return Err(ServiceError::Invalid(app::problem::Problem::new(
                429,
                "too_many_requests",
                format!(
                    "You have queued {queued} e-mails today, your daily limit; the next can go \
                     tomorrow (an administrator sets the limit)"
                ),
            )));
        }
        Ok(())
    }

    /// Queues a finalized credit note for e-mail, its PDF attached. The message is written in
    /// one transaction with its timeline event; the SMTP server is not contacted here.
    pub async fn send_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
        request: SendRequest,
    ) -> Result<QueuedMessage, ServiceError> {
        self.authorize(user, CreditNoteAction::Send.permission())?;
        let note = self.credit_note(user, id).await?;
        check_credit_note_action(
            note.status,
            app::domain::Settled::NONE,
            CreditNoteAction::Send,
        )?;
        let number = note.display_number();
        let mut violations = Vec::new();
        let mut to = addresses("to", &request.to, &mut violations);
        let cc = addresses("cc", &request.cc, &mut violations);
        let message = request
            .message
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty());
        if let Some(text) = &message {
            if app::domain::text::holds_nul(text) {
                violations.push(app::domain::text::nul_violation("message"));
            } else if text.chars().count() > MAX_MESSAGE_CHARS {
                violations.push(Violation::new(
                    RuleCode::ValidationError,
                    Some("message".into()),
                    format!("A message has at most {MAX_MESSAGE_CHARS} characters"),
                ));
            }
        }
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        let Addressee {
            email: customer_email,
            language,
            seller,
        } = self.addressee(note.customer_id).await?;
        check_recipients(
            user,
            customer_email.as_deref(),
            &to,
            &cc,
            message.as_deref(),
        )?;
        if to.is_empty() {
            to.push(customer_address(customer_email.as_deref())?);
        }
        if to.len() + cc.len() > MAX_RECIPIENTS {
            return Err(refuse("to", format!("At most {MAX_RECIPIENTS} recipients")));
        }
        let (sender, seller_name) = sender(&seller)?;
        let pdf = self.credit_note_pdf(user, id).await?;
        // In the customer's language, whoever sends it.
        let body = message.unwrap_or_else(|| {
            trf(
                language,
                Msg::MailCreditNoteBody,
                &[
                    ("number", &number),
                    ("date", &fmt::date(language, note.date)),
                    ("amount", &fmt::money(language, note.total, note.currency)),
                    ("seller", &seller_name),
                ],
            )
        });
        let new = NewMessage {
            about: MessageAbout::CreditNote(id),
            content: MessageContent {
                sender,
                to: to.clone(),
                cc: cc.clone(),
                subject: trf(
                    language,
                    Msg::MailCreditNoteSubject,
                    &[("number", &number), ("seller", &seller_name)],
                ),
                body,
                attachment_name: pdf.file_name,
                attachment: pdf.bytes,
            },
            created_at: self.now(),
            created_by: Some(user.email.clone()),
        };
        let mut tx = self.storage.write().await?;
        self.check_mail_quota(&mut tx, user).await?;
        let message_id = tx.insert_message(&new).await?;
        let data = EventData::EmailQueued {
            recipients: Recipients {
                message_id: Some(message_id),
                to: to.clone(),
                cc: cc.clone(),
                attempt: None,
            },
        };
        self.record(&mut tx, Caller::User(user), Event::note(id, data))
            .await?;
        tx.commit().await?;
        self.outbox_queued.notify_one();
        Ok(QueuedMessage {
            id: message_id,
            status: "pending".into(),
            to,
            cc,
        })
    }

    /// Waits until a message is queued (or `timeout` passes): the worker's nap.
    pub async fn outbox_wait(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, self.outbox_queued.notified()).await;
    }

    /// Hands the due messages to `transport`, one claimed batch; answers how many were tried.
    /// Each outcome is written with its timeline event in one transaction.
    pub async fn deliver_due(&self, transport: &dyn MailTransport) -> Result<usize, ServiceError> {
        let now = self.now();
        let now_ms = now.timestamp_millis();
        let claimed = {
            let mut tx = self.storage.write().await?;
            let claimed = tx
                .claim_messages(now_ms, now_ms + HOLD_SECONDS * 1000, CLAIM_BATCH)
                .await?;
            tx.commit().await?;
            claimed
        };
        for message in &claimed {
            let outcome = transport.send(message).await;
            let attempts = message.attempts.saturating_add(1);
            let recipients = Recipients {
                message_id: Some(message.id),
                to: message.content.to.clone(),
                cc: message.content.cc.clone(),
                attempt: Some(attempts),
            };
            let mut tx = self.storage.write().await?;
            let data = match outcome {
                Ok(()) => {
                    tx.message_sent(message.id, self.now()).await?;
                    EventData::EmailSent { recipients }
                }
                Err(error) if attempts >= MAX_ATTEMPTS => {
                    tx.message_failed(message.id, attempts, &error).await?;
                    EventData::EmailFailed { recipients, error }
                }
                Err(error) => {
                    let next =
                        self.now() + chrono::Duration::seconds(retry_delay_seconds(attempts));
                    tx.message_delayed(message.id, attempts, next.timestamp_millis(), &error)
                        .await?;
                    EventData::EmailDelayed {
                        recipients,
                        error,
                        next_attempt_at: next,
                    }
                }
            };
            self.record(
                &mut tx,
                Caller::CommandLine,
                match message.about {
                    MessageAbout::CreditNote(id) => Event::note(id, data),
                    MessageAbout::Invoice(id) => Event::invoice(id, data),
                },
            )
            .await?;
            tx.commit().await?;
        }
        Ok(claimed.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_four_hours() {
        let delays: Vec<i64> = (1..=MAX_ATTEMPTS).map(retry_delay_seconds).collect();
        assert_eq!(&delays[..4], &[30, 60, 120, 240]);
        assert!(delays.windows(2).all(|pair| pair[0] <= pair[1]));
        assert_eq!(retry_delay_seconds(i32::MAX), LONGEST_RETRY_SECONDS);
        let total: i64 = delays[..(MAX_ATTEMPTS as usize - 1)].iter().sum();
        assert!(
            total > 6 * 3600,
            "a mail server down for hours still gets the message: {total} s"
        );
    }
}
