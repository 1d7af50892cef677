//! Payment reminders: "send reminder now" on an invoice, and a customer's schedule.

use app::model::CustomerView;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::{ApiError, ApiJson, ApiPath, ApiUser};
use crate::services::{QueuedMessage, Services};

#[utoipa::path(
    post,
    operation_id = "send_invoice_reminder",
    path = "/invoices/{id}/reminders",
    tag = "invoices",
    params(("id" = i64, Path, description = "The id", example = 1)),
    responses(
        (status = 202, description = "A payment reminder queued in the outbox, to the customer's address, with the invoice PDF: it states the outstanding amount after payments and credits and lists the credit notes applied. The invoice's timeline shows when it was sent, or why not", body = QueuedMessage),
        crate::api::extract::Problems
    ),
    security(("bearer" = []))
)]
/// Sends a payment reminder now (administrators, credit managers). 422
/// `invoice_not_overdue` before the due date; 422 `invoice_not_open` for a draft, paid or
/// cancelled invoice.
pub async fn send(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, axum::Json<QueuedMessage>), ApiError> {
    let queued = services.send_reminder(&user, id).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(queued)))
}

/// A customer's payment reminder schedule.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderSchedule {
    /// Remind of an overdue invoice this many days (1–365) after its due date, and again every
    /// as many days while it stays unpaid; `null` turns reminders off.
    #[schema(example = 14, minimum = 1, maximum = 365)]
    days_after_due: Option<u16>,
}

#[utoipa::path(
    put,
    operation_id = "set_reminder_schedule",
    path = "/customers/{id}/reminders",
    tag = "customers",
    params(("id" = i64, Path, description = "The id", example = 1)),
    request_body = ReminderSchedule,
    responses((status = 200, body = CustomerView), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// Sets the customer's reminder schedule (administrators, credit managers).
pub async fn schedule(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(schedule): ApiJson<ReminderSchedule>,
) -> Result<axum::Json<CustomerView>, ApiError> {
    let customer = services
        .set_customer_reminders(&user, id, schedule.days_after_due)
        .await?;
    Ok(axum::Json(customer))
}
