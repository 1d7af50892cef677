//! What a customer may see of credit notes: the services answer customers with the portal
//! types, so no door can hand them staff comments or e-mail addresses by mistake.

use app::model::{CreditNoteView, CurrentUser, PortalCreditNote};

use super::{CreditNoteFilter, Page, ServiceError, Services};

/// A credit note as the caller may see it: everything for staff, the portal view for a
/// customer.
#[derive(Clone, Debug)]
pub enum SeenCreditNote {
    Staff(CreditNoteView),
    Customer(PortalCreditNote),
}

impl SeenCreditNote {
    fn for_user(user: &CurrentUser, note: CreditNoteView) -> Self {
        if user.role.is_internal() {
            SeenCreditNote::Staff(note)
        } else {
            SeenCreditNote::Customer(note.into())
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            SeenCreditNote::Staff(note) => note.id,
            SeenCreditNote::Customer(note) => note.id,
        }
    }
}

impl Services {
    /// One credit note, as `user` may see it.
    pub async fn credit_note_as_seen(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<SeenCreditNote, ServiceError> {
        let note = self.credit_note(user, id).await?;
        Ok(SeenCreditNote::for_user(user, note))
    }

    /// A page of credit notes, as `user` may see them.
    pub async fn credit_notes_as_seen(
        &self,
        user: &CurrentUser,
        filter: CreditNoteFilter,
        page: Page,
    ) -> Result<Vec<SeenCreditNote>, ServiceError> {
        let notes = self.list_credit_notes(user, filter, page).await?;
        Ok(notes
            .into_iter()
            .map(|note| SeenCreditNote::for_user(user, note))
            .collect())
    }
}
