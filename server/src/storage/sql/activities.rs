//! The queries of [`crate::storage::ActivitiesTx`], for both backends.

/// The columns an [`app::model::AttachmentView`] is read from.
pub const ATTACHMENT_COLUMNS: &str =
    "id, credit_note_id, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at";

#[derive(sqlx::FromRow)]
pub struct AttachmentRow {
    id: i64,
    credit_note_id: i64,
    file_name: String,
    media_type: String,
    size_bytes: i64,
    sha256: String,
    uploaded_by: Option<String>,
    uploaded_at: chrono::DateTime<chrono::Utc>,
}

impl From<AttachmentRow> for app::model::AttachmentView {
    fn from(row: AttachmentRow) -> Self {
        app::model::AttachmentView {
            id: row.id,
            credit_note_id: row.credit_note_id,
            file_name: row.file_name,
            media_type: row.media_type,
            size_bytes: row.size_bytes,
            sha256: row.sha256,
            uploaded_by: row.uploaded_by,
            uploaded_at: row.uploaded_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct TaskRow {
    id: i64,
    credit_note_id: i64,
    title: String,
    due_date: Option<chrono::NaiveDate>,
    assignee_id: Option<i64>,
    assignee: Option<String>,
    done_at: Option<chrono::DateTime<chrono::Utc>>,
    created_by: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl From<TaskRow> for app::model::TaskView {
    fn from(row: TaskRow) -> Self {
        app::model::TaskView {
            id: row.id,
            credit_note_id: row.credit_note_id,
            title: row.title,
            due_date: row.due_date,
            assignee_id: row.assignee_id,
            assignee: row.assignee,
            done_at: row.done_at,
            created_by: row.created_by,
            created_at: row.created_at,
        }
    }
}

/// Implements [`crate::storage::ActivitiesTx`] for `SqlTx<$db>`.
macro_rules! impl_activities_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::ActivitiesTx for crate::storage::sql::SqlTx<$db> {
            async fn insert_attachment(
                &mut self,
                file: &crate::storage::NewAttachment,
            ) -> Result<i64, crate::storage::StorageError> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO attachments (credit_note_id, file_name, media_type, size_bytes, \
                     sha256, content, uploaded_by, uploaded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(file.credit_note_id)
                .bind(&file.file_name)
                .bind(&file.media_type)
                .bind(file.content.len() as i64)
                .bind(&file.sha256)
                .bind(&file.content)
                .bind(&file.uploaded_by)
                .bind(file.uploaded_at)
                .fetch_one(&mut *self.tx)
                .await?;
                Ok(id)
            }

            async fn uploaded_bytes_since(
                &mut self,
                uploaded_by: &str,
                since: chrono::DateTime<chrono::Utc>,
            ) -> Result<i64, crate::storage::StorageError> {
                let bytes: i64 = sqlx::query_scalar(
                    "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM attachments \
                     WHERE uploaded_by = $1 AND uploaded_at >= $2",
                )
                .bind(uploaded_by)
                .bind(since)
                .fetch_one(&mut *self.tx)
                .await?;
                Ok(bytes)
            }

            async fn attachments(
                &mut self,
                credit_note_id: i64,
            ) -> Result<Vec<app::model::AttachmentView>, crate::storage::StorageError> {
                let sql = format!(
                    "SELECT {} FROM attachments WHERE credit_note_id = $1 ORDER BY id",
                    crate::storage::sql::activities::ATTACHMENT_COLUMNS
                );
                let rows: Vec<crate::storage::sql::activities::AttachmentRow> =
                    sqlx::query_as(&sql)
                        .bind(credit_note_id)
                        .fetch_all(&mut *self.tx)
                        .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn attachment(
                &mut self,
                credit_note_id: i64,
                id: i64,
            ) -> Result<Option<(app::model::AttachmentView, Vec<u8>)>, crate::storage::StorageError>
            {
                let sql = format!(
                    "SELECT {} FROM attachments WHERE credit_note_id = $1 AND id = $2",
                    crate::storage::sql::activities::ATTACHMENT_COLUMNS
                );
                let row: Option<crate::storage::sql::activities::AttachmentRow> =
                    sqlx::query_as(&sql)
                        .bind(credit_note_id)
                        .bind(id)
                        .fetch_optional(&mut *self.tx)
                        .await?;
                let Some(row) = row else { return Ok(None) };
                let content: Vec<u8> =
                    sqlx::query_scalar("SELECT content FROM attachments WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *self.tx)
                        .await?;
                Ok(Some((row.into(), content)))
            }

            async fn delete_attachment(
                &mut self,
                credit_note_id: i64,
                id: i64,
            ) -> Result<bool, crate::storage::StorageError> {
                let done =
                    sqlx::query("DELETE FROM attachments WHERE credit_note_id = $1 AND id = $2")
                        .bind(credit_note_id)
                        .bind(id)
                        .execute(&mut *self.tx)
                        .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn insert_task(
                &mut self,
                task: &crate::storage::NewTask,
            ) -> Result<i64, crate::storage::StorageError> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO tasks (credit_note_id, title, due_date, assignee_id, created_by, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(task.credit_note_id)
                .bind(&task.title)
                .bind(task.due_date)
                .bind(task.assignee_id)
                .bind(&task.created_by)
                .bind(task.created_at)
                .fetch_one(&mut *self.tx)
                .await?;
                Ok(id)
            }

            async fn tasks(
                &mut self,
                credit_note_id: i64,
            ) -> Result<Vec<app::model::TaskView>, crate::storage::StorageError> {
                let rows: Vec<crate::storage::sql::activities::TaskRow> = sqlx::query_as(
                    "SELECT t.id, t.credit_note_id, t.title, t.due_date, t.assignee_id, \
                     u.email AS assignee, t.done_at, t.created_by, t.created_at \
                     FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id \
                     WHERE t.credit_note_id = $1 ORDER BY t.id",
                )
                .bind(credit_note_id)
                .fetch_all(&mut *self.tx)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn set_task_done(
                &mut self,
                credit_note_id: i64,
                id: i64,
                done_at: Option<chrono::DateTime<chrono::Utc>>,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query(
                    "UPDATE tasks SET done_at = $1 WHERE credit_note_id = $2 AND id = $3",
                )
                .bind(done_at)
                .bind(credit_note_id)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
                Ok(done.rows_affected() > 0)
            }
        }
    };
}

pub(crate) use impl_activities_tx;
