//! The names of statuses, one message each, for badges, list filters and the timeline.

use super::Msg;
use crate::domain::timeline::StatusName;
use crate::domain::{CreditNoteStatus, InvoiceStatus};

pub fn name(status: StatusName) -> Msg {
    match status {
        StatusName::Draft => Msg::StatusDraft,
        StatusName::Pending => Msg::StatusPending,
        StatusName::Paid => Msg::StatusPaid,
        StatusName::Cancelled => Msg::StatusCancelled,
        StatusName::PendingApproval => Msg::StatusPendingApproval,
        StatusName::Available => Msg::StatusAvailable,
        StatusName::Used => Msg::StatusUsed,
    }
}

pub fn invoice(status: InvoiceStatus) -> Msg {
    name(status.into())
}

pub fn credit_note(status: CreditNoteStatus) -> Msg {
    name(status.into())
}
