//! Keyset paging: `?limit=` (default 50, at most 500) and `?cursor=` (the `next_cursor` of the
//! previous page). Items come in id order, so pages stay stable while rows are added.

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
