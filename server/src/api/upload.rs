//! Multipart uploads: the `file` part of a form, within the size its kind allows.

use app::problem::Problem;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::StatusCode;

use super::ApiError;
use crate::services::{MAX_ATTACHMENT_BYTES, MAX_LOGO_BYTES, ServiceError};

/// What is uploaded, and how large it may be.
#[derive(Clone, Copy, Debug)]
pub struct Upload {
    what: &'static str,
    max_bytes: usize,
}

pub const SUPPORTING_FILE: Upload = Upload {
    what: "A supporting file",
    max_bytes: MAX_ATTACHMENT_BYTES,
};

pub const IMPORT_FILE: Upload = Upload {
    what: "An import file",
    max_bytes: crate::services::MAX_IMPORT_BYTES,
};

pub const LOGO: Upload = Upload {
    what: "A logo",
    max_bytes: MAX_LOGO_BYTES,
};

fn problem(status: u16, code: &str, detail: impl Into<String>) -> ApiError {
    ServiceError::Invalid(Problem::new(status, code, detail)).into()
}

impl Upload {
    /// The request may be as large as the largest file, plus the form around it.
    pub fn body_limit(self) -> DefaultBodyLimit {
        DefaultBodyLimit::max(self.max_bytes + 64 * 1024)
    }

    fn too_large(self) -> ApiError {
        problem(
            413,
            "payload_too_large",
            format!(
                "{} has at most {} MiB",
                self.what,
                self.max_bytes / (1024 * 1024)
            ),
        )
    }

    /// The `file` part of a multipart upload: its name and content.
    pub async fn file(
        self,
        form: Result<Multipart, MultipartRejection>,
    ) -> Result<(String, Vec<u8>), ApiError> {
        let form = self.form(form).await?;
        Ok((form.file_name, form.content))
    }

    /// A multipart upload: its `file` part, and its other (text) fields.
    pub async fn form(
        self,
        form: Result<Multipart, MultipartRejection>,
    ) -> Result<UploadForm, ApiError> {
        let mut form = form.map_err(|rejection| {
            problem(
                415,
                "unsupported_media_type",
                format!("Send multipart/form-data: {}", rejection.body_text()),
            )
        })?;
        let unreadable = |error: MultipartError| {
            if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                self.too_large()
            } else {
                problem(
                    400,
                    "bad_request",
                    format!("The upload is not a readable form: {error}"),
                )
            }
        };
        let mut file = None;
        let mut fields = std::collections::BTreeMap::new();
        while let Some(field) = form.next_field().await.map_err(unreadable)? {
            match field.name().map(str::to_string) {
                Some(name) if name == "file" => {
                    let file_name = field.file_name().unwrap_or_default().to_string();
                    let content = field.bytes().await.map_err(unreadable)?;
                    file = Some((file_name, content.to_vec()));
                }
                Some(name) => {
                    fields.insert(name, field.text().await.map_err(unreadable)?);
                }
                None => {}
            }
        }
        let Some((file_name, content)) = file else {
            return Err(problem(
                422,
                "validation_error",
                "Send the file as the multipart field `file`",
            ));
        };
        Ok(UploadForm {
            file_name,
            content,
            fields,
        })
    }
}

/// An uploaded file and the form's other fields.
pub struct UploadForm {
    pub file_name: String,
    pub content: Vec<u8>,
    pub fields: std::collections::BTreeMap<String, String>,
}
