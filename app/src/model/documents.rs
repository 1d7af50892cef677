//! Invoices, credit notes and what hangs on them (lines, allocations, comments, files,
//! tasks, timeline events) as pages and API answers show them.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Address;
use crate::domain::{
    Charge, CreditNoteBalance, CreditNoteStatus, Currency, InvoiceBalance, InvoiceKind,
    InvoiceStatus, LineInput, VatCategory,
};

/// A document line as shown and answered: what was entered and what it computes to.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Decimal,
    pub net: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
    /// When the line's goods were shipped, if known.
    #[serde(default)]
    pub ship_date: Option<NaiveDate>,
    /// Why the line is taxed as it is (EN 16931 VAT category).
    pub vat_category: VatCategory,
    /// What an untaxed line prints about its VAT (the exempting article, "Autoliquidation").
    pub vat_exemption_reason: Option<String>,
    /// What the line sells: goods or services.
    #[serde(default)]
    pub nature: crate::domain::LineNature,
    /// Where its net is booked, when its tax category has an account of its own.
    #[serde(default)]
    pub revenue_account: Option<crate::domain::journal::Account>,
}

impl LineView {
    /// What a document with these lines sells: goods, services or both (none without lines).
    pub fn operations(lines: &[LineView]) -> Option<crate::domain::OperationNature> {
        crate::domain::OperationNature::of_lines(lines.iter().map(|line| line.nature))
    }

    pub fn input(&self) -> LineInput {
        LineInput {
            description: self.description.clone(),
            quantity: self.quantity,
            unit_price: self.unit_price,
            discount_percent: self.discount_percent,
            tax_rate: self.tax_rate,
            ship_date: self.ship_date,
            vat_category: Some(self.vat_category),
            vat_exemption_reason: self.vat_exemption_reason.clone(),
            nature: Some(self.nature),
            revenue_account: self.revenue_account.clone(),
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub author: Option<String>,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationView {
    pub id: i64,
    pub credit_note_id: i64,
    pub credit_note_number: Option<String>,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub amount: Decimal,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub lines: Vec<LineView>,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub paid_amount: Decimal,
    pub credited_amount: Decimal,
    pub related_invoice_id: Option<i64>,
    pub project: Option<String>,
    /// Came from another system by import: that system issued it, and only an import changes
    /// it. An invoice issued here is never changed once issued.
    pub imported: bool,
    pub allocations: Vec<AllocationView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl InvoiceView {
    pub fn balance(&self) -> InvoiceBalance {
        InvoiceBalance {
            id: self.id,
            customer_id: self.customer_id,
            currency: self.currency,
            status: self.status,
            total: self.total,
            paid: self.paid_amount,
            credited: self.credited_amount,
        }
    }

    pub fn outstanding(&self) -> Decimal {
        self.balance().outstanding()
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteView {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub customer_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    pub date: NaiveDate,
    pub status: CreditNoteStatus,
    /// The number of the related invoice, if any.
    pub related_invoice_number: Option<String>,
    pub reason: Option<String>,
    pub reason_category: Option<crate::domain::ReasonCategory>,
    /// Where the note is billed: the customer's billing address when the note was made,
    /// unless the note says otherwise.
    pub billing_address: Address,
    pub shipping_address: Address,
    pub related_invoice_id: Option<i64>,
    /// The related invoice's project, carried on.
    pub project: Option<String>,
    /// The number the note had in the system it was imported from.
    #[serde(default)]
    pub external_reference: Option<String>,
    /// Issued by that system: it keeps that system's number as its own and takes none of this
    /// desk's series. Notes imported before were finalized here, under a CN number.
    #[serde(default)]
    pub imported: bool,
    /// The latest ship date of the credited lines, when they have one.
    pub ship_date: Option<NaiveDate>,
    pub lines: Vec<LineView>,
    pub charge: Option<Charge>,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub allocated_amount: Decimal,
    pub refunded_amount: Decimal,
    /// What was written off when the remaining credit was voided.
    #[serde(default)]
    pub voided_amount: Decimal,
    /// Why the remaining credit was voided.
    #[serde(default)]
    pub void_reason: Option<String>,
    pub allocations: Vec<AllocationView>,
    pub comments: Vec<CommentView>,
    pub created_at: DateTime<Utc>,
    pub finalized_at: Option<DateTime<Utc>>,
}

impl CreditNoteView {
    pub fn balance(&self) -> CreditNoteBalance {
        LinkCandidate::from(self).balance()
    }

    pub fn remaining_amount(&self) -> Decimal {
        self.balance().remaining()
    }

    /// What already settles the note: what keeps it from being cancelled.
    pub fn settled(&self) -> crate::domain::Settled {
        crate::domain::Settled {
            linked: !self.allocations.is_empty(),
            refunded: !self.refunded_amount.is_zero(),
        }
    }

    /// The number once finalized, else a placeholder naming the draft.
    pub fn display_number(&self) -> String {
        english_number(self.number.as_deref(), self.id)
    }
}

/// A credit note's number once finalized, else a placeholder naming the draft, in English
/// (server messages and the API); pages say it in their language ([`shown_number`]).
pub(super) fn english_number(number: Option<&str>, id: i64) -> String {
    number.map_or_else(|| format!("Draft #{id}"), str::to_string)
}

/// A credit note's number once finalized, else the draft's name in the page's language
/// ("Draft #12", "Brouillon n° 12"). For pages only: elsewhere it would be English.
pub fn shown_number(number: Option<&str>, id: i64) -> String {
    use crate::i18n::{Msg, tf};
    number.map_or_else(
        || tf(Msg::CreditNotesDraftNumber, &[("id", &id.to_string())]),
        str::to_string,
    )
}

/// An invoice's number; a draft's reserved `DRAFT-<id>` in the page's language (pages only).
pub fn shown_invoice_number(number: &str) -> String {
    use crate::i18n::{Msg, tf};
    match number.strip_prefix("DRAFT-") {
        Some(id) if id.bytes().all(|b| b.is_ascii_digit()) => {
            tf(Msg::InvoicesDraftNumber, &[("id", id)])
        }
        _ => number.to_string(),
    }
}

/// A credit note as the link dialog lists it: what its rules and its row need, nothing more.
/// A customer may hold thousands: as full notes (lines, addresses, comments) 5,000 of them
/// made the dialog's page 7 MB.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCandidate {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub status: CreditNoteStatus,
    pub total: Decimal,
    pub allocated_amount: Decimal,
    pub refunded_amount: Decimal,
    #[serde(default)]
    pub voided_amount: Decimal,
}

impl LinkCandidate {
    pub fn balance(&self) -> CreditNoteBalance {
        CreditNoteBalance {
            id: self.id,
            customer_id: self.customer_id,
            currency: self.currency,
            status: self.status,
            total: self.total,
            allocated: self.allocated_amount,
            refunded: self.refunded_amount,
            voided: self.voided_amount,
        }
    }

    pub fn remaining_amount(&self) -> Decimal {
        self.balance().remaining()
    }

    pub fn display_number(&self) -> String {
        english_number(self.number.as_deref(), self.id)
    }
}

impl From<&CreditNoteView> for LinkCandidate {
    fn from(note: &CreditNoteView) -> Self {
        LinkCandidate {
            id: note.id,
            number: note.number.clone(),
            customer_id: note.customer_id,
            currency: note.currency,
            date: note.date,
            status: note.status,
            total: note.total,
            allocated_amount: note.allocated_amount,
            refunded_amount: note.refunded_amount,
            voided_amount: note.voided_amount,
        }
    }
}

/// How many of a document's events its page shows: the latest. The API pages through all.
pub const TIMELINE_LIMIT: i64 = 100;

/// A supporting file of a credit note (its content is downloaded separately).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub credit_note_id: i64,
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`, as the content showed.
    pub media_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

/// A task on a credit note.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: i64,
    pub credit_note_id: i64,
    pub title: String,
    pub due_date: Option<NaiveDate>,
    pub assignee_id: Option<i64>,
    pub assignee: Option<String>,
    /// When it was marked done; none while open.
    pub done_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What a PDF is made for: each kind has its own template.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    CreditNote,
    Invoice,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 2] = [DocumentKind::CreditNote, DocumentKind::Invoice];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::CreditNote => "credit_note",
            DocumentKind::Invoice => "invoice",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::CreditNote => "Credit note",
            DocumentKind::Invoice => "Invoice",
        }
    }
}

/// One entry of an invoice's or a credit note's timeline.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    /// `invoice_created`, `credit_note_linked`, `payment_recorded`, `status_changed`, …
    pub kind: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub data: serde_json::Value,
}

impl TimelineEvent {
    /// What happened, typed; `None` for an event this version cannot read.
    pub fn event(&self) -> Option<crate::domain::timeline::EventData> {
        crate::domain::timeline::EventData::from_parts(&self.kind, &self.data)
    }

    /// A sentence for people in `language` ("Credit note CN-2026-00001 linked: €300.00"),
    /// amounts in the document's currency.
    pub fn describe(&self, language: crate::i18n::Language, currency: Currency) -> String {
        use crate::domain::timeline::{EventData as E, StatusCause, StatusName};
        use crate::i18n::{Msg, format, tr, trf};
        let money = |amount: &rust_decimal::Decimal| format::money(language, *amount, currency);
        let say = |message: Msg, values: &[(&str, &str)]| trf(language, message, values);
        let status = |name: StatusName| tr(language, crate::i18n::status::name(name));
        let Some(event) = self.event() else {
            return self.kind.replace('_', " ");
        };
        match event {
            E::InvoiceCreated {} => say(Msg::TimelineInvoiceCreated, &[]),
            E::InvoiceEdited { .. } => say(Msg::TimelineInvoiceEdited, &[]),
            E::InvoiceIssued { number } => say(Msg::TimelineInvoiceIssued, &[("number", &number)]),
            E::CreditNoteCreated { .. } => say(Msg::TimelineCreditNoteCreated, &[]),
            E::CreditNoteEdited {} => say(Msg::TimelineCreditNoteEdited, &[]),
            E::CreditNoteFinalized { number, imported } => say(
                if imported {
                    Msg::TimelineCreditNoteImported
                } else {
                    Msg::TimelineCreditNoteFinalized
                },
                &[("number", &number)],
            ),
            E::CreditNoteRejected { reason, .. } => {
                say(Msg::TimelineCreditNoteRejected, &[("reason", &reason)])
            }
            E::StatusChanged {
                from,
                to,
                reason,
                cause,
            } => {
                let why = match (cause, reason) {
                    (Some(StatusCause::EditedAfterSubmission), _) => {
                        Some(tr(language, Msg::TimelineEditedAfterSubmission).to_string())
                    }
                    (None, reason) => reason,
                };
                let (from, to) = (status(from), status(to));
                match why {
                    Some(reason) => say(
                        Msg::TimelineStatusChangedBecause,
                        &[("from", from), ("to", to), ("reason", &reason)],
                    ),
                    None => say(Msg::TimelineStatusChanged, &[("from", from), ("to", to)]),
                }
            }
            E::Comment { text } => say(Msg::TimelineComment, &[("text", &text)]),
            E::PaymentRecorded {
                amount, mark_paid, ..
            } => say(
                if mark_paid {
                    Msg::TimelinePaymentMarkedPaid
                } else {
                    Msg::TimelinePaymentRecorded
                },
                &[("amount", &money(&amount))],
            ),
            E::RefundRecorded { amount, .. } => {
                say(Msg::TimelineRefundRecorded, &[("amount", &money(&amount))])
            }
            E::CreditVoided { amount, reason } => say(
                Msg::TimelineCreditVoided,
                &[("amount", &money(&amount)), ("reason", &reason)],
            ),
            E::CreditNoteLinked {
                credit_note_number,
                amount,
                ..
            } => say(
                Msg::TimelineCreditNoteLinked,
                &[
                    ("number", &credit_note_number.unwrap_or_default()),
                    ("amount", &money(&amount)),
                ],
            ),
            E::CreditNoteUnlinked {
                credit_note_number,
                amount,
                ..
            } => say(
                Msg::TimelineCreditNoteUnlinked,
                &[
                    ("number", &credit_note_number.unwrap_or_default()),
                    ("amount", &money(&amount)),
                ],
            ),
            E::EmailQueued { recipients } => {
                say(Msg::TimelineEmailQueued, &[("to", &recipients.listed())])
            }
            E::EmailSent { recipients } => {
                say(Msg::TimelineEmailSent, &[("to", &recipients.listed())])
            }
            E::EmailDelayed {
                recipients,
                error,
                next_attempt_at,
            } => say(
                Msg::TimelineEmailDelayed,
                &[
                    ("to", &recipients.listed()),
                    ("error", &error),
                    ("at", &format::moment(language, next_attempt_at)),
                ],
            ),
            E::EmailFailed { recipients, error } => say(
                Msg::TimelineEmailFailed,
                &[("to", &recipients.listed()), ("error", &error)],
            ),
            E::ReminderQueued {
                recipients,
                outstanding,
                automatic,
            } => say(
                if automatic {
                    Msg::TimelineReminderQueuedAutomatic
                } else {
                    Msg::TimelineReminderQueued
                },
                &[
                    ("to", &recipients.listed()),
                    ("amount", &money(&outstanding)),
                ],
            ),
            E::AttachmentAdded { file_name, .. } => {
                say(Msg::TimelineAttachmentAdded, &[("name", &file_name)])
            }
            E::AttachmentRemoved { file_name, .. } => {
                say(Msg::TimelineAttachmentRemoved, &[("name", &file_name)])
            }
            E::TaskAdded { title, .. } => say(Msg::TimelineTaskAdded, &[("title", &title)]),
            E::TaskDone { title, .. } => say(Msg::TimelineTaskDone, &[("title", &title)]),
            E::TaskReopened { title, .. } => say(Msg::TimelineTaskReopened, &[("title", &title)]),
            E::DraftDeleted { .. } => say(Msg::TimelineDraftDeleted, &[]),
        }
    }
}
