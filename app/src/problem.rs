//! The one error shape that leaves the server: RFC 9457 problem details with the contract's
//! machine `code` and per-field `errors`. Server functions return it to the browser; the REST
//! API writes it as `application/problem+json`.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::{FieldPath, RuleCode, Violation};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// The field's path in the API's notation (`allocations[1].amount`); [`FieldPath`] reads it
    /// back without loss.
    pub field: String,
    pub code: String,
    pub message: String,
    /// Which rule of the input reader the value broke, so people read it in their language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub says: Option<crate::domain::InputError>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{detail}")]
pub struct Problem {
    pub status: u16,
    pub code: String,
    pub title: String,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

impl Problem {
    pub fn new(status: u16, code: &str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            title: title_for(status).to_string(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            404,
            RuleCode::NotFound.as_str(),
            format!("{what} was not found"),
        )
    }

    pub fn internal() -> Self {
        Self::new(
            500,
            "internal_error",
            "Something went wrong on our side; nothing was changed",
        )
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut problem = Self::new(422, RuleCode::ValidationError.as_str(), message.clone());
        problem.errors.push(FieldProblem {
            field: field.to_string(),
            code: RuleCode::ValidationError.as_str().to_string(),
            message,
            says: None,
        });
        problem
    }

    /// The message for one field, to show next to it in a form.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    /// The messages on any field of item `index` of `list` (`rows[3].amount`, `rows[3]`…), to
    /// show next to that item.
    pub fn item_messages(&self, list: &str, index: usize) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|error| {
                FieldPath::from(error.field.as_str())
                    .item_of(list)
                    .is_some_and(|(item, _)| item == index)
            })
            .map(|error| error.message.as_str())
            .collect()
    }

    /// The same problem with each field's path passed through `map`: a door renaming the
    /// domain's positions into its own (requests into the form rows they came from).
    pub fn map_fields(mut self, map: impl Fn(FieldPath) -> FieldPath) -> Self {
        for error in &mut self.errors {
            error.field = map(FieldPath::from(error.field.as_str())).to_string();
        }
        self
    }
}

/// Broken domain rules become one problem: the first rule's code and status, and every
/// violation listed under `errors`.
impl From<Vec<Violation>> for Problem {
    fn from(violations: Vec<Violation>) -> Self {
        let Some(first) = violations.first() else {
            return Problem::internal();
        };
        let mut problem = Problem::new(
            first.code.http_status(),
            first.code.as_str(),
            violations
                .iter()
                .map(|v| v.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        );
        problem.errors = violations
            .iter()
            .map(|v| FieldProblem {
                field: v
                    .field
                    .as_ref()
                    .map(FieldPath::to_string)
                    .unwrap_or_default(),
                code: v.code.as_str().to_string(),
                message: v.message.clone(),
                says: v.says,
            })
            .collect();
        problem
    }
}

impl From<Violation> for Problem {
    fn from(violation: Violation) -> Self {
        Problem::from(vec![violation])
    }
}

fn title_for(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        422 => "Unprocessable content",
        429 => "Too many requests",
        _ => "Internal server error",
    }
}

impl FromServerFnError for Problem {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail) => Problem::new(
                400,
                "bad_request",
                format!("The form could not be read: {detail}"),
            ),
            ServerFnErrorErr::Request(detail) => Problem::new(
                503,
                "unreachable",
                format!("The server could not be reached: {detail}"),
            ),
            _ => Problem::internal(),
        }
    }
}
