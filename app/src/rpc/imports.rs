//! Server functions of the import screens: an uploaded file's preview, and its import.

use leptos::prelude::*;

use crate::model::ImportPage;
use crate::problem::Problem;

#[server(prefix = "/rpc", endpoint = "load_import_page")]
pub async fn load_import_page(import_id: i64) -> Result<ImportPage, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?.import_page(&user, import_id).await
}

/// Imports the uploaded file, then shows it again (every invoice now unchanged).
#[server(prefix = "/rpc", endpoint = "apply_import")]
pub async fn apply_import(import_id: i64) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .apply_import(&user, import_id)
        .await?;
    leptos_axum::redirect(&format!("/imports/{import_id}"));
    Ok(())
}
