//! A credit note's supporting files and tasks (staff).

use app::model::{AttachmentView, TaskView};
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;

use super::extract::{FileBytes, FileUpload};
use super::input::Fields;
use super::{ApiError, ApiJson, ApiPath, ApiUser};
use crate::services::{NewTaskInput, Services};

#[utoipa::path(
    post,
    operation_id = "upload_attachment",
    path = "/credit-notes/{id}/attachments",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The credit note", example = 1)),
    request_body(content = FileUpload, content_type = "multipart/form-data", description = "The field `file`: a PDF, PNG or JPEG of at most 10 MiB, recognised by its content"),
    responses(
        (status = 201, body = AttachmentView),
        (status = 413, description = "Larger than 10 MiB", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF, PNG or JPEG by its content", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json"),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// Adds a supporting file to a credit note.
pub async fn upload(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, axum::Json<AttachmentView>), ApiError> {
    let (name, content) = super::upload::SUPPORTING_FILE.file(form).await?;
    let stored = services.add_attachment(&user, id, &name, content).await?;
    Ok((StatusCode::CREATED, axum::Json(stored)))
}

#[utoipa::path(
    get,
    operation_id = "list_attachments",
    path = "/credit-notes/{id}/attachments",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The credit note", example = 1)),
    responses((status = 200, body = Vec<AttachmentView>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// A credit note's supporting files, oldest first.
pub async fn list(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<Vec<AttachmentView>>, ApiError> {
    Ok(axum::Json(services.attachments(&user, id).await?))
}

#[utoipa::path(
    get,
    operation_id = "download_attachment",
    path = "/credit-notes/{id}/attachments/{attachment_id}",
    tag = "credit notes",
    params(
        ("id" = i64, Path, description = "The credit note", example = 1),
        ("attachment_id" = i64, Path, description = "The file", example = 1)
    ),
    responses(
        (status = 200, description = "The file, as uploaded, with the type its content showed", content(
            (inline(FileBytes) = "application/pdf"), (inline(FileBytes) = "image/png"), (inline(FileBytes) = "image/jpeg")
        )),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// Downloads a supporting file.
pub async fn download(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath((id, attachment_id)): ApiPath<(i64, i64)>,
) -> Result<axum::response::Response, ApiError> {
    let file = services.attachment_file(&user, id, attachment_id).await?;
    Ok(file_response(file))
}

/// A stored file as a download: its own type (as its content showed), never shown inline.
pub fn file_response((file, content): (AttachmentView, Vec<u8>)) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, file.media_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        [(
            header::CONTENT_DISPOSITION,
            crate::content_disposition::attachment(&file.file_name),
        )],
        content,
    )
        .into_response()
}

#[utoipa::path(
    delete,
    operation_id = "delete_attachment",
    path = "/credit-notes/{id}/attachments/{attachment_id}",
    tag = "credit notes",
    params(
        ("id" = i64, Path, description = "The credit note", example = 1),
        ("attachment_id" = i64, Path, description = "The file", example = 1)
    ),
    responses((status = 204, description = "Removed"), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Removes a supporting file; only before the note is finalized.
pub async fn remove(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath((id, attachment_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    services.remove_attachment(&user, id, attachment_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    operation_id = "list_tasks",
    path = "/credit-notes/{id}/tasks",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The credit note", example = 1)),
    responses((status = 200, body = Vec<TaskView>), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// A credit note's tasks, oldest first.
pub async fn tasks(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<Vec<TaskView>>, ApiError> {
    Ok(axum::Json(services.tasks(&user, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskRequest {
    #[schema(example = "Check the returned goods")]
    title: String,
    #[serde(default)]
    #[schema(example = "2026-12-01")]
    due_date: Option<String>,
    /// A staff user's id.
    #[serde(default)]
    assignee_id: Option<i64>,
}

#[utoipa::path(
    post,
    operation_id = "create_task",
    path = "/credit-notes/{id}/tasks",
    tag = "credit notes",
    params(("id" = i64, Path, description = "The credit note", example = 1)),
    request_body = TaskRequest,
    responses((status = 201, body = TaskView), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Adds a task to a credit note.
pub async fn add_task(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<TaskRequest>,
) -> Result<(StatusCode, axum::Json<TaskView>), ApiError> {
    let mut fields = Fields::default();
    let due_date = request
        .due_date
        .as_deref()
        .map(|text| fields.date("due_date", text));
    let input = fields.finish(|| {
        Some(NewTaskInput {
            title: request.title,
            due_date: due_date.flatten(),
            assignee_id: request.assignee_id,
        })
    })?;
    let task = services.add_task(&user, id, input).await?;
    Ok((StatusCode::CREATED, axum::Json(task)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskChange {
    /// Done, or open again.
    done: bool,
}

#[utoipa::path(
    patch,
    operation_id = "update_task",
    path = "/credit-notes/{id}/tasks/{task_id}",
    tag = "credit notes",
    params(
        ("id" = i64, Path, description = "The credit note", example = 1),
        ("task_id" = i64, Path, description = "The task", example = 1)
    ),
    request_body = TaskChange,
    responses((status = 200, body = TaskView), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Marks a task done, or open again.
pub async fn change_task(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath((id, task_id)): ApiPath<(i64, i64)>,
    ApiJson(change): ApiJson<TaskChange>,
) -> Result<axum::Json<TaskView>, ApiError> {
    Ok(axum::Json(
        services
            .set_task_done(&user, id, task_id, change.done)
            .await?,
    ))
}
