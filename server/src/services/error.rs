use app::domain::Violation;
use app::problem::Problem;

use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0} was not found")]
    NotFound(&'static str),
    #[error("the request breaks a rule: {0:?}")]
    Rules(Vec<Violation>),
    #[error("{0}")]
    Invalid(Problem),
    #[error("not signed in, or wrong credentials")]
    Unauthorized,
    #[error("the role does not allow this")]
    Forbidden,
    #[error("too many failed attempts")]
    Throttled { retry_after_seconds: i64 },
    #[error("too many documents rendered or exported")]
    RateLimited { retry_after_seconds: i64 },
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("internal error: {0}")]
    Internal(String),
}

/// The one place where service errors become what users and integrators see. Storage and
/// internal failures are logged in full and answered without details.
impl From<ServiceError> for Problem {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::NotFound(what) => Problem::not_found(what),
            ServiceError::Rules(violations) => Problem::from(violations),
            ServiceError::Invalid(problem) => problem,
            ServiceError::Unauthorized => Problem::new(
                401,
                "unauthorized",
                "Sign in with a valid email and password, or a valid token",
            ),
            ServiceError::Forbidden => {
                Problem::new(403, "forbidden", "Your role does not allow this")
            }
            ServiceError::Throttled {
                retry_after_seconds,
            } => Problem::new(
                429,
                "too_many_requests",
                format!("Too many failed attempts; try again in {retry_after_seconds} seconds"),
            ),
            ServiceError::RateLimited {
                retry_after_seconds,
            } => Problem::new(
                429,
                "too_many_requests",
                format!(
                    "Too many documents rendered or exported; try again in {retry_after_seconds} \
                     seconds"
                ),
            ),
            ServiceError::Storage(StorageError::Duplicate(what)) => {
                Problem::new(409, "conflict", format!("{what} already exists"))
            }
            ServiceError::Storage(StorageError::Constraint { kind, detail }) => {
                tracing::warn!(?kind, ?detail, "a constraint refused a write");
                constraint_problem(kind, &detail)
            }
            ServiceError::Storage(StorageError::Contention(detail)) => {
                tracing::warn!(?detail, "a transaction met another one");
                Problem::new(
                    409,
                    "conflict",
                    "Another request was changing the same records; nothing was written, try again",
                )
            }
            ServiceError::Storage(StorageError::UnstorableText(detail)) => {
                tracing::warn!(?detail, "the database refused a text");
                Problem::new(422, "validation_error", app::domain::text::NUL_REFUSED)
            }
            ServiceError::Storage(error) => {
                tracing::error!(error = %error.to_string().escape_debug(), "storage failure");
                Problem::internal()
            }
            ServiceError::Internal(error) => {
                tracing::error!(?error, "internal failure");
                Problem::internal()
            }
        }
    }
}

/// A write the database refused. Services check every rule first, so this is a request that
/// raced another one: answer what it is, never a 500.
fn constraint_problem(kind: crate::storage::ConstraintKind, detail: &str) -> Problem {
    use crate::storage::ConstraintKind;
    match kind {
        ConstraintKind::Unique if detail.contains("number") => Problem::new(
            409,
            app::domain::RuleCode::NumberTaken.as_str(),
            "Another document already has this number",
        ),
        ConstraintKind::Unique => Problem::new(409, "conflict", "This already exists"),
        ConstraintKind::Check => Problem::new(
            409,
            "conflict",
            "Another request changed these amounts first; reload and try again",
        ),
        ConstraintKind::ForeignKey => Problem::new(
            409,
            "conflict",
            "Other records refer to this one, or the record it refers to is gone",
        ),
        ConstraintKind::NotNull => {
            Problem::new(422, "validation_error", "A required value is missing")
        }
    }
}
