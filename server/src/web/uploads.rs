//! Plain multipart uploads from the browser's forms (supporting files, the logo, the ECB
//! rates, import files): they work without JavaScript and come back to their page, with the
//! refusal in the address, said in the page's language.

use super::{AppState, request_language, session_user};
use crate::services::{ServiceError, Services};
use app::model::{CurrentUser, ImportKind};
use app::problem::Problem;
use axum::extract::State;
use axum::response::IntoResponse;

/// The Documents tab's upload form: a plain multipart post (it works without JavaScript), then
/// back to the tab, with the refusal in the address when there is one.
pub(super) async fn browser_upload(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(id): axum::extract::Path<i64>,
    headers: axum::http::HeaderMap,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> axum::response::Response {
    let Some(user) = session_user(&state, &session).await else {
        return axum::response::Redirect::to("/login").into_response();
    };
    let outcome = match crate::api::SUPPORTING_FILE.file(form).await {
        Err(error) => Err(error.0),
        Ok((name, content)) => state
            .services
            .add_attachment(&user, id, &name, content)
            .await
            .map(drop)
            .map_err(Problem::from),
    };
    back_after_upload(
        &format!("/credit-notes/{id}?tab=documents"),
        outcome,
        request_language(&headers),
    )
}

/// Back to the page an upload form is on; a refusal goes in the address as `upload_error`,
/// to show beside the file field.
fn back_after_upload(
    page: &str,
    outcome: Result<(), Problem>,
    language: app::i18n::Language,
) -> axum::response::Response {
    back_with_error(page, "upload_error", outcome, language)
}

/// Back to `page`, with a refusal's message in the address as `param`, said in the page's
/// language.
fn back_with_error(
    page: &str,
    param: &str,
    outcome: Result<(), Problem>,
    language: app::i18n::Language,
) -> axum::response::Response {
    match outcome {
        Ok(()) => axum::response::Redirect::to(page).into_response(),
        Err(problem) => {
            let problem = app::i18n::refusals::localize(problem, language);
            let message = problem
                .field_message("file")
                .map(str::to_string)
                .unwrap_or(problem.detail);
            let query = serde_urlencoded::to_string([(param, message)]).unwrap_or_default();
            let joint = if page.contains('?') { '&' } else { '?' };
            axum::response::Redirect::to(&format!("{page}{joint}{query}")).into_response()
        }
    }
}

/// The Settings page's logo form: a plain multipart post, then back to Settings.
pub(super) async fn browser_logo_upload(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> axum::response::Response {
    settings_upload(
        state,
        session,
        request_language(&headers),
        form,
        crate::api::LOGO,
        "upload_error",
        |services, user, content| async move {
            services.set_seller_logo(&user, content).await.map(drop)
        },
    )
    .await
}

/// The Settings page's ECB rates upload: a plain multipart post, then back to Settings.
pub(super) async fn browser_rates_upload(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> axum::response::Response {
    settings_upload(
        state,
        session,
        request_language(&headers),
        form,
        crate::api::RATES_FILE,
        "rates_error",
        |services, user, content| async move {
            services.import_ecb_rates(&user, &content).await.map(drop)
        },
    )
    .await
}

/// A file posted from Settings, handed to `act`; then back to Settings, with a refusal's
/// message in the address as `param`.
async fn settings_upload<Act, Done>(
    state: AppState,
    session: tower_sessions::Session,
    language: app::i18n::Language,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    upload: crate::api::Upload,
    param: &str,
    act: Act,
) -> axum::response::Response
where
    Act: FnOnce(Services, CurrentUser, Vec<u8>) -> Done,
    Done: std::future::Future<Output = Result<(), ServiceError>>,
{
    let Some(user) = session_user(&state, &session).await else {
        return axum::response::Redirect::to("/login?next=%2Fsettings").into_response();
    };
    let outcome = match upload.file(form).await {
        Err(error) => Err(error.0),
        Ok((_, content)) => act(state.services.clone(), user, content)
            .await
            .map_err(Problem::from),
    };
    back_with_error("/settings", param, outcome, language)
}

/// The import page's upload: a plain multipart post; the file is kept and its preview shown.
pub(super) async fn browser_import_upload(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> axum::response::Response {
    let Some(user) = session_user(&state, &session).await else {
        return axum::response::Redirect::to("/login?next=%2Fimports").into_response();
    };
    let uploaded = match crate::api::IMPORT_FILE.form(form).await {
        Err(error) => Err(error.0),
        Ok(form) => match form.fields.get("kind").map(String::as_str) {
            None => Ok(ImportKind::Invoices),
            Some(kind) => ImportKind::parse(kind).ok_or_else(|| {
                Problem::from(ServiceError::Rules(vec![app::domain::Violation::new(
                    app::domain::RuleCode::ValidationError,
                    Some("kind".into()),
                    "Choose invoices or credit notes",
                )]))
            }),
        }
        .map(|kind| (kind, form)),
    };
    let uploaded = match uploaded {
        Err(problem) => Err(problem),
        Ok((kind, form)) => state
            .services
            .upload_import(&user, kind, &form.file_name, &form.content)
            .await
            .map_err(Problem::from),
    };
    match uploaded {
        Ok(id) => axum::response::Redirect::to(&format!("/imports/{id}")).into_response(),
        Err(problem) => back_after_upload("/imports", Err(problem), request_language(&headers)),
    }
}
