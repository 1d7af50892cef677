//! A credit note's supporting files (the Documents tab) and its tasks (the Activities tab).
//! Files are recognised by their content, never by their name or the type the client claims.

use app::domain::{
    CreditNoteAction, Permission, Role, RuleCode, Violation, check_credit_note_action,
};
use app::model::{AttachmentView, CurrentUser, TaskView};
use app::problem::Problem;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::{Caller, Event, ServiceError, Services, load_note};
use crate::storage::{NewAttachment, NewTask};
use app::domain::timeline::EventData;

/// The largest supporting file.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// Supporting files one credit note keeps, and their bytes in all: evidence for one credit
/// (a return slip, photos, the customer's letter), not an archive.
pub const MAX_ATTACHMENTS_PER_NOTE: usize = 20;
pub const MAX_ATTACHMENT_BYTES_PER_NOTE: i64 = 50 * 1024 * 1024;

/// Bytes one user may upload in 24 hours, so one account cannot fill the database's disk.
pub const DAILY_UPLOAD_BYTES_PER_USER: i64 = 200 * 1024 * 1024;
/// What supporting files may be.
const ACCEPTED_TYPES: [&str; 3] = ["application/pdf", "image/png", "image/jpeg"];
/// File names and task titles are at most this long.
const MAX_NAME_CHARS: usize = 200;

/// What a new task says.
#[derive(Clone, Debug, Default)]
pub struct NewTaskInput {
    pub title: String,
    pub due_date: Option<NaiveDate>,
    pub assignee_id: Option<i64>,
}

fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::Rules(vec![Violation::new(
        RuleCode::ValidationError,
        Some(field.into()),
        message,
    )])
}

/// The name a file keeps: its last path segment, trimmed; no control characters.
fn file_name(typed: &str) -> Result<String, ServiceError> {
    let name = typed
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if name.is_empty() {
        return Err(invalid("file", "Give the file a name"));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(
            "file",
            "A file name may not hold control characters",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            "file",
            format!("A file name has at most {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name)
}

/// The file's type as its content shows, if it is one supporting files may be.
fn media_type(content: &[u8]) -> Option<&'static str> {
    infer::get(content)
        .map(|kind| kind.mime_type())
        .filter(|mime| ACCEPTED_TYPES.contains(mime))
}

impl Services {
    /// Stores a supporting file with a credit note (any status: evidence may come late).
    pub async fn add_attachment(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
        typed_name: &str,
        content: Vec<u8>,
    ) -> Result<AttachmentView, ServiceError> {
        self.authorize(user, Permission::WriteCreditNotes)?;
        let name = file_name(typed_name)?;
        if content.is_empty() {
            return Err(invalid("file", "The file is empty"));
        }
        if content.len() > MAX_ATTACHMENT_BYTES {
            return Err(ServiceError::Invalid(Problem::new(
                413,
                "payload_too_large",
                format!(
                    "A supporting file has at most {} MiB",
                    MAX_ATTACHMENT_BYTES / (1024 * 1024)
                ),
            )));
        }
        let Some(media_type) = media_type(&content) else {
            return Err(ServiceError::Invalid(Problem::new(
                415,
                "unsupported_media_type",
                "Supporting files are PDF, PNG or JPEG, as their content shows (the name and \
                 the declared type do not count)",
            )));
        };
        let sha256: String = Sha256::digest(&content)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let mut tx = self.storage.write().await?;
        // Locks the note (PostgreSQL: FOR UPDATE), so two uploads at once count each other.
        load_note(&mut tx, credit_note_id).await?;
        let kept = tx.attachments(credit_note_id).await?;
        let kept_bytes: i64 = kept.iter().map(|file| file.size_bytes).sum();
        let size = content.len() as i64;
        if kept.len() >= MAX_ATTACHMENTS_PER_NOTE
            || kept_bytes.saturating_add(size) > MAX_ATTACHMENT_BYTES_PER_NOTE
        {
            return Err(ServiceError::Invalid(Problem::new(
                409,
                "attachment_limit",
                format!(
                    "A credit note keeps at most {MAX_ATTACHMENTS_PER_NOTE} supporting files and \
                     {} MiB in all; remove one first",
                    MAX_ATTACHMENT_BYTES_PER_NOTE / (1024 * 1024)
                ),
            )));
        }
        let uploaded = tx
            .uploaded_bytes_since(&user.email, self.now() - chrono::Duration::hours(24))
            .await?;
        if uploaded.saturating_add(size) > DAILY_UPLOAD_BYTES_PER_USER {
            return Err(ServiceError::Invalid(Problem::new(
                429,
                "too_many_requests",
                format!(
                    "You uploaded {} MiB of files in the last 24 hours, the most one user may",
                    DAILY_UPLOAD_BYTES_PER_USER / (1024 * 1024)
                ),
            )));
        }
        let file = NewAttachment {
            credit_note_id,
            file_name: name.clone(),
            media_type: media_type.to_string(),
            sha256: sha256.clone(),
            content,
            uploaded_by: Some(user.email.clone()),
            uploaded_at: self.now(),
        };
        let id = tx.insert_attachment(&file).await?;
        let data = EventData::AttachmentAdded {
            attachment_id: id,
            file_name: name,
            sha256: Some(sha256),
        };
        self.record(
            &mut tx,
            Caller::User(user),
            Event::note(credit_note_id, data),
        )
        .await?;
        let stored = tx
            .attachments(credit_note_id)
            .await?
            .into_iter()
            .find(|attachment| attachment.id == id)
            .ok_or(ServiceError::NotFound("The file"))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// A note's supporting files (staff).
    pub async fn attachments(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
    ) -> Result<Vec<AttachmentView>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        load_note(&mut tx, credit_note_id).await?;
        Ok(tx.attachments(credit_note_id).await?)
    }

    /// One supporting file with its content (staff).
    pub async fn attachment_file(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
        id: i64,
    ) -> Result<(AttachmentView, Vec<u8>), ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        tx.attachment(credit_note_id, id)
            .await?
            .ok_or(ServiceError::NotFound("The file"))
    }

    /// Removes a supporting file while the note is not finalized.
    pub async fn remove_attachment(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
        id: i64,
    ) -> Result<(), ServiceError> {
        self.authorize(user, CreditNoteAction::RemoveAttachment.permission())?;
        let mut tx = self.storage.write().await?;
        let note = load_note(&mut tx, credit_note_id).await?;
        let (file, _) = tx
            .attachment(credit_note_id, id)
            .await?
            .ok_or(ServiceError::NotFound("The file"))?;
        check_credit_note_action(
            note.status,
            app::domain::Settled::NONE,
            CreditNoteAction::RemoveAttachment,
        )?;
        tx.delete_attachment(credit_note_id, id).await?;
        let data = EventData::AttachmentRemoved {
            attachment_id: id,
            file_name: file.file_name,
        };
        self.record(
            &mut tx,
            Caller::User(user),
            Event::note(credit_note_id, data),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A note's tasks (staff).
    pub async fn tasks(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
    ) -> Result<Vec<TaskView>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        load_note(&mut tx, credit_note_id).await?;
        Ok(tx.tasks(credit_note_id).await?)
    }

    /// Adds a task to a note; the assignee, if any, is an active staff user.
    pub async fn add_task(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
        input: NewTaskInput,
    ) -> Result<TaskView, ServiceError> {
        self.authorize(user, Permission::WriteCreditNotes)?;
        let title = input.title.trim().to_string();
        if title.is_empty() {
            return Err(invalid("title", "Say what is to be done"));
        }
        if app::domain::text::holds_nul(&title) {
            return Err(ServiceError::Rules(vec![app::domain::text::nul_violation(
                "title",
            )]));
        }
        if title.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(
                "title",
                format!("A task's title has at most {MAX_NAME_CHARS} characters"),
            ));
        }
        let mut tx = self.storage.write().await?;
        load_note(&mut tx, credit_note_id).await?;
        if let Some(assignee) = input.assignee_id
            && !staff(&mut tx).await?.iter().any(|(id, _)| *id == assignee)
        {
            return Err(invalid("assignee_id", "Tasks go to an active staff user"));
        }
        let task = NewTask {
            credit_note_id,
            title: title.clone(),
            due_date: input.due_date,
            assignee_id: input.assignee_id,
            created_by: Some(user.email.clone()),
            created_at: self.now(),
        };
        let id = tx.insert_task(&task).await?;
        let data = EventData::TaskAdded { task_id: id, title };
        self.record(
            &mut tx,
            Caller::User(user),
            Event::note(credit_note_id, data),
        )
        .await?;
        let stored = task_of(&mut tx, credit_note_id, id).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Marks a task done, or open again.
    pub async fn set_task_done(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
        id: i64,
        done: bool,
    ) -> Result<TaskView, ServiceError> {
        self.authorize(user, Permission::WriteCreditNotes)?;
        let mut tx = self.storage.write().await?;
        let before = task_of(&mut tx, credit_note_id, id).await?;
        if before.done_at.is_some() != done {
            tx.set_task_done(credit_note_id, id, done.then(|| self.now()))
                .await?;
            let (task_id, title) = (id, before.title);
            let data = if done {
                EventData::TaskDone { task_id, title }
            } else {
                EventData::TaskReopened { task_id, title }
            };
            self.record(
                &mut tx,
                Caller::User(user),
                Event::note(credit_note_id, data),
            )
            .await?;
        }
        let stored = task_of(&mut tx, credit_note_id, id).await?;
        tx.commit().await?;
        Ok(stored)
    }
}

async fn task_of(
    tx: &mut Box<dyn crate::storage::Tx>,
    credit_note_id: i64,
    id: i64,
) -> Result<TaskView, ServiceError> {
    tx.tasks(credit_note_id)
        .await?
        .into_iter()
        .find(|task| task.id == id)
        .ok_or(ServiceError::NotFound("The task"))
}

/// Active staff users, id and e-mail: whom tasks can go to.
pub(crate) async fn staff(
    tx: &mut Box<dyn crate::storage::Tx>,
) -> Result<Vec<(i64, String)>, ServiceError> {
    Ok(tx
        .users()
        .await?
        .into_iter()
        .filter(|user| user.deactivated_at.is_none())
        .filter(|user| Role::parse(&user.role).is_some_and(Role::is_internal))
        .map(|user| (user.id, user.email))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_content_not_their_name() {
        assert_eq!(media_type(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            media_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(
            media_type(b"\xff\xd8\xff\xe0\0\x10JFIF\0"),
            Some("image/jpeg")
        );
        assert_eq!(media_type(b"<html><script>alert(1)</script>"), None);
        assert_eq!(media_type(b"MZ\x90\0\x03\0\0\0"), None, "a Windows program");
        assert_eq!(file_name("C:\\scans\\receipt.pdf").unwrap(), "receipt.pdf");
        assert_eq!(file_name("../../etc/passwd").unwrap(), "passwd");
        assert!(file_name("a\u{7}b.pdf").is_err());
        assert!(file_name("  ").is_err());
    }
}
