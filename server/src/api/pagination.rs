//! Keyset paging: `?limit=` (default 50, at most 500) and `?cursor=` (the `next_cursor` of the
//! previous page). Items come in id order (credit notes filtered by a date range: by date, then
//! id), so pages stay stable while rows are added.

use serde::Serialize;

use super::input::Fields;
use crate::services::Page;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

pub fn page(fields: &mut Fields, limit: Option<&str>, cursor: Option<&str>) -> Page {
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<i64>() {
            Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
            _ => {
                fields.error("limit", format!("Use a number from 1 to {MAX_LIMIT}"));
                DEFAULT_LIMIT
            }
        },
    };
    let after = match cursor {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|id| *id >= 0)
            .unwrap_or_else(|| {
                fields.error("cursor", "Use the next_cursor of the previous page");
                0
            }),
    };
    Page { after, limit }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> List<T> {
    /// A full page may have more after it; its last id is the cursor.
    pub fn new(items: Vec<T>, page: Page, id: impl Fn(&T) -> i64) -> Self {
        let next_cursor = (items.len() as i64 == page.limit)
            .then(|| items.last().map(|item| id(item).to_string()))
            .flatten();
        List { items, next_cursor }
    }
}

/// The paging parameters, for the OpenAPI document (handlers read them with [`page`]).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageParams {
    /// Rows per page, from 1 to 500; 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The filters of `GET /credit-notes`, for the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CreditNoteListParams {
    /// draft, pending_approval, available, used or cancelled; every status when absent.
    status: Option<String>,
    customer_id: Option<i64>,
    /// Numbers starting with this text.
    number: Option<String>,
    /// From this date (YYYY-MM-DD), included. With a date range the list comes by date, then
    /// id.
    date_from: Option<chrono::NaiveDate>,
    /// Up to this date (YYYY-MM-DD), included.
    date_to: Option<chrono::NaiveDate>,
    related_invoice_id: Option<i64>,
    /// An ISO 4217 code.
    currency: Option<String>,
}

/// The filters of `GET /invoices`, for the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct InvoiceListParams {
    /// draft, pending, paid or cancelled; every status when absent.
    status: Option<String>,
    customer_id: Option<i64>,
    /// Numbers starting with this text.
    number: Option<String>,
    /// An ISO 4217 code.
    currency: Option<String>,
}
