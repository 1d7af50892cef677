//! What each status allows. Invoice: draft → pending → paid, and cancelled. Credit note:
//! draft → pending_approval → available → used, and cancelled. Some actions are blocked while
//! allocations exist, and a finalized credit note only takes comments and status actions.

use serde::{Deserialize, Serialize};

use super::permissions::{Permission, Role, allows};
use super::status::{CreditNoteStatus, InvoiceStatus};
use super::violation::{RuleCode, Violation};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    Standard,
    Advance,
    /// Carries negative amounts: −100 EUR neutralizes a 100 EUR invoice.
    Correction,
}

impl InvoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Standard => "standard",
            InvoiceKind::Advance => "advance",
            InvoiceKind::Correction => "correction",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "standard" => Some(InvoiceKind::Standard),
            "advance" => Some(InvoiceKind::Advance),
            "correction" => Some(InvoiceKind::Correction),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceAction {
    Edit,
    Issue,
    RecordPayment,
    MarkPaid,
    MarkPending,
    LinkCredit,
    Cancel,
    Delete,
}

impl InvoiceAction {
    pub const ALL: &'static [InvoiceAction] = &[
        InvoiceAction::Edit,
        InvoiceAction::Issue,
        InvoiceAction::RecordPayment,
        InvoiceAction::MarkPaid,
        InvoiceAction::MarkPending,
        InvoiceAction::LinkCredit,
        InvoiceAction::Cancel,
        InvoiceAction::Delete,
    ];

    fn blocked_by_allocations(self) -> bool {
        matches!(
            self,
            InvoiceAction::Edit
                | InvoiceAction::Cancel
                | InvoiceAction::Delete
                | InvoiceAction::MarkPending
        )
    }

    fn verb(self) -> &'static str {
        match self {
            InvoiceAction::Edit => "edited",
            InvoiceAction::Issue => "issued",
            InvoiceAction::RecordPayment => "given a payment",
            InvoiceAction::MarkPaid => "marked paid",
            InvoiceAction::MarkPending => "marked pending",
            InvoiceAction::LinkCredit => "given credit notes",
            InvoiceAction::Cancel => "cancelled",
            InvoiceAction::Delete => "deleted",
        }
    }
}

/// Whether an invoice in `status` takes `action` at all (allocations aside).
pub fn invoice_status_allows(status: InvoiceStatus, action: InvoiceAction) -> bool {
    use InvoiceAction as A;
    use InvoiceStatus as S;
    match action {
        // Issued is final: a correction invoice or a credit note changes what it says.
        A::Edit => status == S::Draft,
        A::Issue => status == S::Draft,
        A::RecordPayment | A::MarkPaid | A::LinkCredit => status == S::Pending,
        A::MarkPending => status == S::Paid,
        A::Cancel => matches!(status, S::Draft | S::Pending),
        // An issued invoice keeps its number in the series: it is cancelled, never deleted.
        A::Delete => status == S::Draft,
    }
}

impl InvoiceAction {
    /// What a user's role must allow to take this action.
    pub fn permission(self) -> Permission {
        match self {
            InvoiceAction::Edit
            | InvoiceAction::Issue
            | InvoiceAction::RecordPayment
            | InvoiceAction::MarkPaid
            | InvoiceAction::MarkPending => Permission::WriteInvoices,
            InvoiceAction::LinkCredit => Permission::LinkCreditNotes,
            InvoiceAction::Cancel | InvoiceAction::Delete => Permission::CancelOrDeleteInvoice,
        }
    }
}

/// How `action` shows on an invoice's page for `role`: absent when the role may not or the
/// status rules it out, disabled with the reason while linked credit notes block it.
pub fn invoice_action_state(
    role: Role,
    status: InvoiceStatus,
    has_allocations: bool,
    action: InvoiceAction,
) -> ActionState {
    if !allows(role, action.permission()) || !invoice_status_allows(status, action) {
        return ActionState::Absent;
    }
    match check_invoice_action(status, has_allocations, action) {
        Ok(()) => ActionState::Enabled,
        Err(violation) => ActionState::Disabled(violation),
    }
}

/// Checks an invoice action: first the allocations (409 `invoice_has_allocations`, so users
/// learn to unlink first), then the status.
pub fn check_invoice_action(
    status: InvoiceStatus,
    has_allocations: bool,
    action: InvoiceAction,
) -> Result<(), Violation> {
    // A cancelled invoice is done with: its cancelling credit note stays linked to it.
    let done = status == InvoiceStatus::Cancelled && !invoice_status_allows(status, action);
    if has_allocations && action.blocked_by_allocations() && !done {
        return Err(Violation::general(
            RuleCode::InvoiceHasAllocations,
            format!(
                "The invoice cannot be {} while credit notes are linked to it; unlink them first",
                action.verb()
            ),
        ));
    }
    if action == InvoiceAction::Edit
        && matches!(status, InvoiceStatus::Pending | InvoiceStatus::Paid)
    {
        return Err(Violation::general(
            RuleCode::InvoiceIssued,
            "An issued invoice is never changed: issue a correction invoice or a credit note",
        ));
    }
    if action == InvoiceAction::Delete && status != InvoiceStatus::Draft {
        return Err(Violation::general(
            RuleCode::InvalidStatus,
            "An issued invoice is never deleted: its number stays in the series; cancel it instead",
        ));
    }
    if !invoice_status_allows(status, action) {
        let code = if action == InvoiceAction::LinkCredit {
            RuleCode::InvoiceNotOpen
        } else {
            RuleCode::InvalidStatus
        };
        return Err(Violation::general(
            code,
            format!(
                "A {} invoice cannot be {}",
                status.label().to_lowercase(),
                action.verb()
            ),
        ));
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditNoteAction {
    Edit,
    Submit,
    /// pending approval → draft, with a reason.
    Reject,
    Finalize,
    Comment,
    Link,
    Refund,
    MarkAvailable,
    Cancel,
    Delete,
    /// E-mail the finalized note to the customer.
    Send,
    /// Remove a supporting file: only before the note is finalized, so what backed it stays.
    RemoveAttachment,
    /// Write off what remains of a finalized note (with a reason): links and refunds stay as
    /// they are, the note ends used. What a cancel is for a note already partly settled.
    VoidRemaining,
}

impl CreditNoteAction {
    pub const ALL: &'static [CreditNoteAction] = &[
        CreditNoteAction::Edit,
        CreditNoteAction::Submit,
        CreditNoteAction::Reject,
        CreditNoteAction::Finalize,
        CreditNoteAction::Comment,
        CreditNoteAction::Link,
        CreditNoteAction::Refund,
        CreditNoteAction::MarkAvailable,
        CreditNoteAction::Cancel,
        CreditNoteAction::Delete,
        CreditNoteAction::Send,
        CreditNoteAction::RemoveAttachment,
        CreditNoteAction::VoidRemaining,
    ];

    fn blocked_by_allocations(self) -> bool {
        matches!(
            self,
            CreditNoteAction::Edit
                | CreditNoteAction::Cancel
                | CreditNoteAction::Delete
                | CreditNoteAction::MarkAvailable
        )
    }

    fn verb(self) -> &'static str {
        match self {
            CreditNoteAction::Edit => "edited",
            CreditNoteAction::Submit => "submitted for approval",
            CreditNoteAction::Reject => "rejected",
            CreditNoteAction::Finalize => "finalized",
            CreditNoteAction::Comment => "commented",
            CreditNoteAction::Link => "linked",
            CreditNoteAction::Refund => "refunded",
            CreditNoteAction::MarkAvailable => "made available again",
            CreditNoteAction::Cancel => "cancelled",
            CreditNoteAction::Delete => "deleted",
            CreditNoteAction::Send => "sent",
            CreditNoteAction::RemoveAttachment => "stripped of a supporting file",
            CreditNoteAction::VoidRemaining => "voided",
        }
    }
}

impl CreditNoteAction {
    /// What a user's role must allow to take this action.
    pub fn permission(self) -> Permission {
        match self {
            CreditNoteAction::Edit
            | CreditNoteAction::Submit
            | CreditNoteAction::Comment
            | CreditNoteAction::Send
            | CreditNoteAction::RemoveAttachment => Permission::WriteCreditNotes,
            CreditNoteAction::Reject
            | CreditNoteAction::Finalize
            | CreditNoteAction::VoidRemaining => Permission::FinalizeCreditNotes,
            CreditNoteAction::Link | CreditNoteAction::MarkAvailable => Permission::LinkCreditNotes,
            CreditNoteAction::Refund => Permission::RefundCreditNotes,
            CreditNoteAction::Cancel | CreditNoteAction::Delete => {
                Permission::CancelOrDeleteCreditNote
            }
        }
    }
}

/// How an action shows on a credit note's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionState {
    /// The user may take it now.
    Enabled,
    /// Shown but blocked, with the rule that blocks it (links keep it from happening).
    Disabled(Violation),
    /// Not offered: the role may not, or the status makes it meaningless.
    Absent,
}

/// What already settles a finalized note: invoices it is linked to and refunds paid out of it.
/// Links keep it from being edited, cancelled or deleted; refunds keep it from being cancelled,
/// since reversing the whole note would leave a credit balance nobody owes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    pub linked: bool,
    pub refunded: bool,
}

impl Settled {
    pub const NONE: Settled = Settled {
        linked: false,
        refunded: false,
    };
}

/// Whether `role` may take `action` on a note of `status` now: the same checks the server
/// runs, so a page offers only what the server will accept.
pub fn credit_note_action_state(
    role: Role,
    status: CreditNoteStatus,
    settled: Settled,
    action: CreditNoteAction,
) -> ActionState {
    if !allows(role, action.permission()) {
        return ActionState::Absent;
    }
    // The status first: what the status rules out is absent, linked or not.
    if check_credit_note_action(status, Settled::NONE, action).is_err() {
        return ActionState::Absent;
    }
    match check_credit_note_action(status, settled, action) {
        Ok(()) => ActionState::Enabled,
        Err(violation) => ActionState::Disabled(violation),
    }
}

/// Whether a note counts in what an invoice has been credited (its notes' totals): every note
/// but a cancelled one, drafts included, so a warning comes before a note is finalized.
pub fn counts_as_credit(status: CreditNoteStatus) -> bool {
    status != CreditNoteStatus::Cancelled
}

pub fn is_finalized(status: CreditNoteStatus) -> bool {
    !matches!(
        status,
        CreditNoteStatus::Draft | CreditNoteStatus::PendingApproval
    )
}

/// Checks a credit-note action: allocations first (409 `credit_note_allocated`), then refunds
/// (409 `credit_note_refunded`, for a cancel), then the lock of finalized notes (409
/// `credit_note_finalized`), then the status.
pub fn check_credit_note_action(
    status: CreditNoteStatus,
    settled: Settled,
    action: CreditNoteAction,
) -> Result<(), Violation> {
    use CreditNoteAction as A;
    use CreditNoteStatus as S;
    if settled.linked && action.blocked_by_allocations() {
        return Err(Violation::general(
            RuleCode::CreditNoteAllocated,
            format!(
                "The credit note cannot be {} while it is linked to invoices; unlink it first",
                action.verb()
            ),
        ));
    }
    if settled.refunded && action == A::Cancel {
        return Err(Violation::general(
            RuleCode::CreditNoteRefunded,
            "Part of the credit note was refunded, so it cannot be cancelled; void the remaining credit instead",
        ));
    }
    let allowed = match action {
        A::Comment => true,
        A::Edit | A::Submit | A::Reject | A::Finalize | A::Delete | A::RemoveAttachment
            if is_finalized(status) =>
        {
            return Err(Violation::general(
                RuleCode::CreditNoteFinalized,
                format!(
                    "The credit note is finalized and cannot be {}; only comments and status actions remain",
                    action.verb()
                ),
            ));
        }
        A::Edit | A::Finalize | A::RemoveAttachment => true,
        A::Submit | A::Delete => status == S::Draft,
        A::Reject => status == S::PendingApproval,
        A::Link => status == S::Available,
        A::Refund => status == S::Available,
        A::MarkAvailable => status == S::Used,
        A::Cancel | A::VoidRemaining => status == S::Available,
        // What the customer receives must be final and still stand.
        A::Send => matches!(status, S::Available | S::Used),
    };
    if allowed {
        Ok(())
    } else {
        let code = if action == A::Link {
            RuleCode::CreditNoteNotAvailable
        } else {
            RuleCode::InvalidStatus
        };
        Err(Violation::general(
            code,
            format!(
                "A credit note that is {} cannot be {}",
                status.label().to_lowercase(),
                action.verb()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A note linked to an invoice, nothing refunded.
    const LINKED: Settled = Settled {
        linked: true,
        refunded: false,
    };

    fn code(result: Result<(), Violation>) -> Option<&'static str> {
        result.err().map(|v| v.code.as_str())
    }

    #[test]
    fn only_a_cancelled_note_stops_counting_as_credit() {
        use CreditNoteStatus as S;
        let counted: Vec<_> = [
            S::Draft,
            S::PendingApproval,
            S::Available,
            S::Used,
            S::Cancelled,
        ]
        .into_iter()
        .filter(|status| counts_as_credit(*status))
        .collect();
        assert_eq!(
            counted,
            [S::Draft, S::PendingApproval, S::Available, S::Used]
        );
    }

    /// Invoice numbers run without gaps (CGI art. 242 nonies A, 7°; Directive 2006/112/EC art.
    /// 226 (2)): an issued invoice is cancelled and keeps its number; only drafts are deleted.
    #[test]
    fn only_draft_invoices_are_deleted() {
        assert_eq!(
            code(check_invoice_action(
                InvoiceStatus::Draft,
                false,
                InvoiceAction::Delete
            )),
            None
        );
        for status in [
            InvoiceStatus::Pending,
            InvoiceStatus::Paid,
            InvoiceStatus::Cancelled,
        ] {
            let refusal = check_invoice_action(status, false, InvoiceAction::Delete).unwrap_err();
            assert_eq!(refusal.code, RuleCode::InvalidStatus, "{status:?}");
            assert!(refusal.message.contains("cancel it instead"), "{status:?}");
        }
    }

    #[test]
    fn allocations_block_invoice_edits_before_anything_else() {
        for action in [
            InvoiceAction::Edit,
            InvoiceAction::Cancel,
            InvoiceAction::Delete,
            InvoiceAction::MarkPending,
        ] {
            assert_eq!(
                code(check_invoice_action(InvoiceStatus::Paid, true, action)),
                Some("invoice_has_allocations"),
                "{action:?}"
            );
        }
        assert_eq!(
            code(check_invoice_action(
                InvoiceStatus::Pending,
                true,
                InvoiceAction::RecordPayment
            )),
            None
        );
    }

    #[test]
    fn invoice_statuses_allow_their_actions() {
        assert_eq!(
            code(check_invoice_action(
                InvoiceStatus::Paid,
                false,
                InvoiceAction::MarkPending
            )),
            None
        );
        assert_eq!(
            code(check_invoice_action(
                InvoiceStatus::Pending,
                false,
                InvoiceAction::MarkPending
            )),
            Some("invalid_status")
        );
        assert_eq!(
            code(check_invoice_action(
                InvoiceStatus::Draft,
                false,
                InvoiceAction::LinkCredit
            )),
            Some("invoice_not_open")
        );
        assert_eq!(
            code(check_invoice_action(
                InvoiceStatus::Cancelled,
                false,
                InvoiceAction::Edit
            )),
            Some("invalid_status")
        );
        // CGI art. 289: an issued invoice is corrected by another document, never in place.
        for issued in [InvoiceStatus::Pending, InvoiceStatus::Paid] {
            assert_eq!(
                code(check_invoice_action(issued, false, InvoiceAction::Edit)),
                Some("invoice_issued")
            );
        }
        assert_eq!(
            code(check_invoice_action(
                InvoiceStatus::Draft,
                false,
                InvoiceAction::Issue
            )),
            None
        );
    }

    #[test]
    fn finalized_notes_only_take_comments_and_status_actions() {
        for status in [
            CreditNoteStatus::Available,
            CreditNoteStatus::Used,
            CreditNoteStatus::Cancelled,
        ] {
            for action in [
                CreditNoteAction::Edit,
                CreditNoteAction::Delete,
                CreditNoteAction::Finalize,
                CreditNoteAction::Submit,
            ] {
                assert_eq!(
                    code(check_credit_note_action(status, Settled::NONE, action)),
                    Some("credit_note_finalized")
                );
            }
            assert_eq!(
                code(check_credit_note_action(
                    status,
                    LINKED,
                    CreditNoteAction::Comment
                )),
                None
            );
        }
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::Available,
                Settled::NONE,
                CreditNoteAction::Cancel
            )),
            None
        );
    }

    #[test]
    fn allocations_block_note_changes() {
        for action in [
            CreditNoteAction::Edit,
            CreditNoteAction::Cancel,
            CreditNoteAction::Delete,
            CreditNoteAction::MarkAvailable,
        ] {
            assert_eq!(
                code(check_credit_note_action(
                    CreditNoteStatus::Used,
                    LINKED,
                    action
                )),
                Some("credit_note_allocated")
            );
        }
    }

    #[test]
    fn drafts_move_through_approval() {
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::Draft,
                Settled::NONE,
                CreditNoteAction::Submit
            )),
            None
        );
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::PendingApproval,
                Settled::NONE,
                CreditNoteAction::Submit
            )),
            Some("invalid_status")
        );
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::PendingApproval,
                Settled::NONE,
                CreditNoteAction::Finalize
            )),
            None
        );
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::PendingApproval,
                Settled::NONE,
                CreditNoteAction::Edit
            )),
            None
        );
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::PendingApproval,
                Settled::NONE,
                CreditNoteAction::Delete
            )),
            Some("invalid_status")
        );
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::Draft,
                Settled::NONE,
                CreditNoteAction::Link
            )),
            Some("credit_note_not_available")
        );
    }

    #[test]
    fn a_page_offers_what_the_role_and_status_allow_and_says_why_links_block() {
        use CreditNoteAction as A;
        use CreditNoteStatus as S;
        let state = |role, status, linked, action| {
            let settled = Settled {
                linked,
                refunded: false,
            };
            credit_note_action_state(role, status, settled, action)
        };
        // Sales submit their drafts but never approve them.
        assert_eq!(
            state(Role::Sales, S::Draft, false, A::Submit),
            ActionState::Enabled
        );
        assert_eq!(
            state(Role::Sales, S::PendingApproval, false, A::Finalize),
            ActionState::Absent
        );
        assert_eq!(
            state(Role::CreditManager, S::PendingApproval, false, A::Reject),
            ActionState::Enabled
        );
        assert_eq!(
            state(Role::CreditManager, S::Draft, false, A::Reject),
            ActionState::Absent
        );
        // A linked note cannot be cancelled: shown, disabled, with the reason.
        match state(Role::CreditManager, S::Available, true, A::Cancel) {
            ActionState::Disabled(reason) => {
                assert!(reason.message.contains("unlink it first"), "{reason:?}")
            }
            other => panic!("expected a disabled cancel, got {other:?}"),
        }
        assert_eq!(
            state(Role::CreditManager, S::Available, true, A::Refund),
            ActionState::Enabled
        );
        assert_eq!(
            state(Role::Viewer, S::Available, false, A::Refund),
            ActionState::Absent
        );
    }

    /// Cancelling reverses the whole note; with 30.00 of 100.00 refunded that would leave
    /// −30.00 of customer credit nobody owes, so the journal would disagree with the ledger
    /// (Code de commerce L123-14: the accounts give a true picture). Voiding writes off only
    /// what remains, and takes the finalize permission.
    #[test]
    fn a_refunded_note_is_voided_never_cancelled() {
        use CreditNoteAction as A;
        let refunded = Settled {
            linked: false,
            refunded: true,
        };
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::Available,
                refunded,
                A::Cancel
            )),
            Some("credit_note_refunded")
        );
        match credit_note_action_state(
            Role::CreditManager,
            CreditNoteStatus::Available,
            refunded,
            A::Cancel,
        ) {
            ActionState::Disabled(reason) => {
                assert!(reason.message.contains("void"), "{reason:?}")
            }
            other => panic!("expected a disabled cancel, got {other:?}"),
        }
        let linked_and_refunded = Settled {
            linked: true,
            refunded: true,
        };
        assert_eq!(
            credit_note_action_state(
                Role::CreditManager,
                CreditNoteStatus::Available,
                linked_and_refunded,
                A::VoidRemaining
            ),
            ActionState::Enabled
        );
        assert_eq!(
            code(check_credit_note_action(
                CreditNoteStatus::Used,
                Settled::NONE,
                A::VoidRemaining
            )),
            Some("invalid_status")
        );
        assert_eq!(
            A::VoidRemaining.permission(),
            Permission::FinalizeCreditNotes
        );
        assert_eq!(
            credit_note_action_state(
                Role::Sales,
                CreditNoteStatus::Available,
                Settled::NONE,
                A::VoidRemaining
            ),
            ActionState::Absent
        );
    }
}
