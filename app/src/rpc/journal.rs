//! Server functions of the journal screen.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::filters::FilterReader;
use crate::model::JournalPage;
use crate::problem::Problem;

/// The journal's filters as the URL holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JournalFilters {
    pub from: Option<String>,
    pub to: Option<String>,
    pub after: Option<String>,
}

#[server(prefix = "/rpc", endpoint = "load_journal")]
pub async fn load_journal(
    #[server(default)] filters: JournalFilters,
) -> Result<JournalPage, Problem> {
    let user = crate::backend::require_user().await?;
    let mut read = FilterReader::default();
    let from = read.date("from", &filters.from);
    let to = read.date("to", &filters.to);
    let after = read.cursor("after", &filters.after).unwrap_or(0);
    read.finish(())?;
    crate::backend::desk()?
        .journal_page(&user, from, to, after)
        .await
}
