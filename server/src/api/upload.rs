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

pub const RATES_FILE: Upload = Upload {
    what: "A rates file",
    max_bytes: crate::services::MAX_RATES_FILE_BYTES,
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

    fn unreadable(self, error: MultipartError) -> ApiError {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            self.too_large()
        } else {
            problem(
                400,
                "bad_request",
                format!("The upload is not a readable form: {error}"),
            )
        }
    }

    fn open(form: Result<Multipart, MultipartRejection>) -> Result<Multipart, ApiError> {
        form.map_err(|rejection| {
            problem(
                415,
                "unsupported_media_type",
                format!("Send multipart/form-data: {}", rejection.body_text()),
            )
        })
    }

    fn missing_file() -> ApiError {
        problem(
            422,
            "validation_error",
            "Send the file as the multipart field `file`",
        )
    }

    /// The `file` part of a multipart upload: its name and content.
    pub async fn file(
        self,
        form: Result<Multipart, MultipartRejection>,
    ) -> Result<(String, Vec<u8>), ApiError> {
        let mut form = Self::open(form)?;
        while let Some(field) = form.next_field().await.map_err(|e| self.unreadable(e))? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or_default().to_string();
                let content = field.bytes().await.map_err(|e| self.unreadable(e))?;
                return Ok((name, content.to_vec()));
            }
        }
        Err(Self::missing_file())
    }

    /// A multipart upload: its first `file` part, and the form's other text fields (parts
    /// that are files, or not text, are left out).
    pub async fn form(
        self,
        form: Result<Multipart, MultipartRejection>,
    ) -> Result<UploadForm, ApiError> {
        let mut form = Self::open(form)?;
        let mut file = None;
        let mut fields = std::collections::BTreeMap::new();
        while let Some(field) = form.next_field().await.map_err(|e| self.unreadable(e))? {
            let name = field.name().map(str::to_string);
            let is_file = field.file_name().is_some();
            match name {
                Some(name) if name == "file" && file.is_none() => {
                    let file_name = field.file_name().unwrap_or_default().to_string();
                    let content = field.bytes().await.map_err(|e| self.unreadable(e))?;
                    file = Some((file_name, content.to_vec()));
                }
                Some(name) if !is_file => {
                    let content = field.bytes().await.map_err(|e| self.unreadable(e))?;
                    if let Ok(text) = String::from_utf8(content.to_vec()) {
                        fields.insert(name, text);
                    }
                }
                _ => {}
            }
        }
        let Some((file_name, content)) = file else {
            return Err(Self::missing_file());
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
