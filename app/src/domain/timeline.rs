//! What happened to an invoice or a credit note: one variant per kind of timeline event,
//! written by the services and read back by the pages, so each event can be said in any
//! language. Stored as its `kind` and its `data` (the API shows both as they are).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use super::{CreditNoteStatus, InvoiceStatus};

/// An invoice's or a credit note's status, as a timeline names it (the two share the names
/// they have in common: `draft`, `cancelled`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusName {
    Draft,
    Pending,
    Paid,
    Cancelled,
    PendingApproval,
    Available,
    Used,
}

impl From<InvoiceStatus> for StatusName {
    fn from(status: InvoiceStatus) -> Self {
        match status {
            InvoiceStatus::Draft => StatusName::Draft,
            InvoiceStatus::Pending => StatusName::Pending,
            InvoiceStatus::Paid => StatusName::Paid,
            InvoiceStatus::Cancelled => StatusName::Cancelled,
        }
    }
}

impl From<CreditNoteStatus> for StatusName {
    fn from(status: CreditNoteStatus) -> Self {
        match status {
            CreditNoteStatus::Draft => StatusName::Draft,
            CreditNoteStatus::PendingApproval => StatusName::PendingApproval,
            CreditNoteStatus::Available => StatusName::Available,
            CreditNoteStatus::Used => StatusName::Used,
            CreditNoteStatus::Cancelled => StatusName::Cancelled,
        }
    }
}

/// Why a status changed when no person gave a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusCause {
    /// A note waiting for approval was edited, so it went back to draft.
    EditedAfterSubmission,
}

/// Who an e-mail went to, and which message and attempt it was.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipients {
    #[serde(default)]
    pub message_id: Option<i64>,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<i32>,
}

impl Recipients {
    /// `to` then `cc`, comma-separated.
    pub fn listed(&self) -> String {
        self.to
            .iter()
            .chain(&self.cc)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One event of a timeline, with what it says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum EventData {
    InvoiceCreated {},
    InvoiceIssued {
        number: String,
    },
    InvoiceEdited {
        #[serde(default)]
        total: Option<Decimal>,
    },
    CreditNoteCreated {
        /// The over-credit warnings the note was saved with.
        #[serde(default)]
        warnings: Vec<String>,
    },
    CreditNoteEdited {},
    CreditNoteFinalized {
        number: String,
        /// Finalized elsewhere and brought in by an import.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        imported: bool,
    },
    /// Sent back to draft by an approver.
    CreditNoteRejected {
        from: StatusName,
        to: StatusName,
        reason: String,
    },
    StatusChanged {
        from: StatusName,
        to: StatusName,
        /// What a person said (older events also put the service's own reason here).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<StatusCause>,
    },
    Comment {
        text: String,
    },
    PaymentRecorded {
        amount: Decimal,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<NaiveDate>,
        /// Recorded by "mark paid", for what was outstanding.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        mark_paid: bool,
    },
    RefundRecorded {
        amount: Decimal,
        date: NaiveDate,
    },
    /// What remained of a credit note was written off.
    CreditVoided {
        amount: Decimal,
        reason: String,
    },
    CreditNoteLinked {
        allocation_id: i64,
        /// Linked notes are final, so numbered; `null` only in a broken record.
        #[serde(default)]
        credit_note_number: Option<String>,
        amount: Decimal,
    },
    CreditNoteUnlinked {
        allocation_id: i64,
        #[serde(default)]
        credit_note_number: Option<String>,
        amount: Decimal,
    },
    EmailQueued {
        #[serde(flatten)]
        recipients: Recipients,
    },
    EmailSent {
        #[serde(flatten)]
        recipients: Recipients,
    },
    /// An attempt failed; the message is tried again later.
    EmailDelayed {
        #[serde(flatten)]
        recipients: Recipients,
        error: String,
        #[serde(deserialize_with = "moment")]
        next_attempt_at: DateTime<Utc>,
    },
    /// The last attempt failed.
    EmailFailed {
        #[serde(flatten)]
        recipients: Recipients,
        error: String,
    },
    /// A payment reminder for an overdue invoice was queued.
    ReminderQueued {
        #[serde(flatten)]
        recipients: Recipients,
        #[serde(deserialize_with = "amount_or_figure")]
        outstanding: Decimal,
        /// Queued by the customer's schedule rather than by a person.
        #[serde(default)]
        automatic: bool,
    },
    AttachmentAdded {
        attachment_id: i64,
        file_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sha256: Option<String>,
    },
    AttachmentRemoved {
        attachment_id: i64,
        file_name: String,
    },
    TaskAdded {
        task_id: i64,
        title: String,
    },
    TaskDone {
        task_id: i64,
        title: String,
    },
    TaskReopened {
        task_id: i64,
        title: String,
    },
    /// A draft was deleted; its events stay, detached from it.
    DraftDeleted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invoice_id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credit_note_id: Option<i64>,
    },
}

impl EventData {
    /// The event's `kind` and its `data`, as they are stored and shown by the API.
    pub fn to_parts(&self) -> (String, serde_json::Value) {
        let mut whole = serde_json::to_value(self).unwrap_or_default();
        let kind = whole["kind"].as_str().unwrap_or_default().to_string();
        let data = whole
            .get_mut("data")
            .map(serde_json::Value::take)
            .unwrap_or_else(|| serde_json::json!({}));
        (kind, data)
    }

    /// Reads a stored event back; `None` for one this version cannot read.
    pub fn from_parts(kind: &str, data: &serde_json::Value) -> Option<Self> {
        let data = match data {
            serde_json::Value::Null => serde_json::json!({}),
            other => other.clone(),
        };
        serde_json::from_value(serde_json::json!({ "kind": kind, "data": data })).ok()
    }
}

/// A moment written as RFC 3339, or as events before typed data wrote it
/// ("2026-12-06 10:00:00 UTC").
fn moment<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|at| at.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S UTC").map(|at| at.and_utc())
        })
        .map_err(serde::de::Error::custom)
}

/// An amount, or the figure with its currency older reminder events wrote ("1,410.00 EUR").
fn amount_or_figure<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let text = String::deserialize(deserializer)?;
    let figure: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    figure.parse().map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;
    use serde_json::json;

    #[test]
    fn parts_round_trip_and_keep_the_stored_shape() {
        let linked = EventData::CreditNoteLinked {
            allocation_id: 7,
            credit_note_number: Some("CN-2026-00001".into()),
            amount: dec!(300.00),
        };
        let (kind, data) = linked.to_parts();
        assert_eq!(kind, "credit_note_linked");
        assert_eq!(
            data,
            json!({"allocation_id": 7, "credit_note_number": "CN-2026-00001", "amount": "300.00"})
        );
        assert_eq!(EventData::from_parts(&kind, &data), Some(linked));
        let (kind, data) = EventData::InvoiceCreated {}.to_parts();
        assert_eq!((kind.as_str(), data), ("invoice_created", json!({})));
    }

    #[test]
    fn events_written_before_typed_data_still_read() {
        let reminder = EventData::from_parts(
            "reminder_queued",
            &json!({"message_id": 3, "to": ["ap@example.com"], "cc": [],
                    "outstanding": "1,410.00 EUR", "automatic": true}),
        );
        assert!(
            matches!(reminder, Some(EventData::ReminderQueued { outstanding, automatic: true, .. })
            if outstanding == dec!(1410.00))
        );
        let delayed = EventData::from_parts(
            "email_delayed",
            &json!({"message_id": 3, "to": ["a@b.c"], "cc": [], "attempt": 1,
                    "error": "refused", "next_attempt_at": "2026-12-06 10:00:00 UTC"}),
        );
        assert!(
            matches!(delayed, Some(EventData::EmailDelayed { next_attempt_at, .. })
            if next_attempt_at.to_rfc3339() == "2026-12-06T10:00:00+00:00")
        );
        let edited_back = EventData::from_parts(
            "status_changed",
            &json!({"from": "pending_approval", "to": "draft", "reason": "edited after it was submitted"}),
        );
        assert!(matches!(
            edited_back,
            Some(EventData::StatusChanged {
                to: StatusName::Draft,
                reason: Some(_),
                ..
            })
        ));
        assert_eq!(
            EventData::from_parts("invoice_created", &serde_json::Value::Null),
            Some(EventData::InvoiceCreated {})
        );
        assert_eq!(EventData::from_parts("no_such_event", &json!({})), None);
    }
}
