//! What goes with a credit note besides its money: supporting files and tasks.

use app::model::{AttachmentView, TaskView};
use chrono::{DateTime, NaiveDate, Utc};

use super::StorageError;

/// A file to store with a credit note; its type and checksum already established.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub credit_note_id: i64,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub content: Vec<u8>,
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct NewTask {
    pub credit_note_id: i64,
    pub title: String,
    pub due_date: Option<NaiveDate>,
    pub assignee_id: Option<i64>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait ActivitiesTx: Send {
    async fn insert_attachment(&mut self, file: &NewAttachment) -> Result<i64, StorageError>;
    /// Bytes of the supporting files `uploaded_by` stored since `since` (and still kept).
    async fn uploaded_bytes_since(
        &mut self,
        uploaded_by: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StorageError>;
    /// A note's files, oldest first, without their content.
    async fn attachments(
        &mut self,
        credit_note_id: i64,
    ) -> Result<Vec<AttachmentView>, StorageError>;
    /// One file of a note, with its content.
    async fn attachment(
        &mut self,
        credit_note_id: i64,
        id: i64,
    ) -> Result<Option<(AttachmentView, Vec<u8>)>, StorageError>;
    async fn delete_attachment(
        &mut self,
        credit_note_id: i64,
        id: i64,
    ) -> Result<bool, StorageError>;
    async fn insert_task(&mut self, task: &NewTask) -> Result<i64, StorageError>;
    /// A note's tasks, oldest first, with their assignees' e-mails.
    async fn tasks(&mut self, credit_note_id: i64) -> Result<Vec<TaskView>, StorageError>;
    /// Marks a task done (at `done_at`) or open again (`None`); false when there is none.
    async fn set_task_done(
        &mut self,
        credit_note_id: i64,
        id: i64,
        done_at: Option<DateTime<Utc>>,
    ) -> Result<bool, StorageError>;
}
