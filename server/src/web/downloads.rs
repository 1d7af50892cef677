//! Downloads the browser asks for (PDFs, e-invoices, the FEC, supporting files, the logo),
//! and the plain page that says why one was refused.

use super::{AppState, request_language, session_user};
use crate::services::EInvoiceFormat;
use app::model::{CurrentUser, DocumentKind};
use app::problem::Problem;
use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;

/// The document downloads of the browser pages (session, not bearer token): the PDF, or an
/// e-invoice when `format` says which.
async fn browser_document(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
    kind: DocumentKind,
    format: Option<EInvoiceFormat>,
) -> axum::response::Response {
    let Some(user) = session_user(&state, &session).await else {
        return axum::response::Redirect::to("/login").into_response();
    };
    let services = &state.services;
    let rendered = match (kind, format) {
        (DocumentKind::CreditNote, None) => services.credit_note_pdf(&user, id).await,
        (DocumentKind::Invoice, None) => services.invoice_pdf(&user, id).await,
        (DocumentKind::CreditNote, Some(format)) => {
            services.credit_note_einvoice(&user, id, format).await
        }
        (DocumentKind::Invoice, Some(format)) => services.invoice_einvoice(&user, id, format).await,
    };
    match rendered {
        Ok(file) => crate::api::download_response(file),
        Err(error) => {
            let page = match kind {
                DocumentKind::CreditNote => format!("/credit-notes/{id}"),
                DocumentKind::Invoice => format!("/invoices/{id}"),
            };
            refused_download(
                &user,
                Problem::from(error),
                &page,
                request_language(&headers),
            )
        }
    }
}

/// A download the browser asked for (a PDF, an e-invoice, the FEC, a supporting file) and the
/// desk refused: a plain page that says why, with its status and a way back, rather than the
/// API's problem JSON (or a download that fails without a reason).
fn refused_download(
    user: &CurrentUser,
    problem: Problem,
    back: &str,
    language: app::i18n::Language,
) -> axum::response::Response {
    let escape = |text: &str| quick_xml::escape::escape(text).into_owned();
    let problem = app::i18n::refusals::localize(problem, language);
    let back = if user.role.is_internal() {
        back
    } else {
        "/portal"
    };
    let errors: String = problem
        .errors
        .iter()
        .map(|error| {
            format!(
                "<li><code>{}</code>: {}</li>",
                escape(&error.field),
                escape(&error.message)
            )
        })
        .collect();
    let errors = if errors.is_empty() {
        String::new()
    } else {
        format!("<ul>{errors}</ul>")
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · creditdesk</title>\
         <link rel=\"stylesheet\" href=\"/pkg/creditdesk.css\"></head>\
         <body><main><h1>{title}</h1><p class=\"problem\" role=\"alert\">{detail}</p>{errors}\
         <p><a href=\"{back}\">{back_label}</a></p></main></body></html>",
        lang = language.code(),
        title = escape(&problem.title),
        detail = escape(&problem.detail),
        back = escape(back),
        back_label = escape(app::i18n::tr(language, app::i18n::Msg::CommonBack)),
    );
    let status = axum::http::StatusCode::from_u16(problem.status)
        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// The routes of a document's downloads: `/{what}/{id}/pdf`, `…/ubl` and `…/factur-x`.
pub(super) fn document_downloads(router: Router<AppState>) -> Router<AppState> {
    let mut router = router;
    for (prefix, kind) in [
        ("/credit-notes", DocumentKind::CreditNote),
        ("/invoices", DocumentKind::Invoice),
    ] {
        for (suffix, format) in [
            ("pdf", None),
            ("ubl", Some(EInvoiceFormat::Ubl)),
            ("factur-x", Some(EInvoiceFormat::FacturX)),
        ] {
            router = router.route(
                &format!("{prefix}/{{id}}/{suffix}"),
                axum::routing::get(
                    move |state: State<AppState>,
                          session,
                          headers: axum::http::HeaderMap,
                          id: axum::extract::Path<i64>| {
                        browser_document(state, session, headers, id, kind, format)
                    },
                ),
            );
        }
    }
    router
}

/// The journal page's downloads: the FEC, its description and the DATEV batch.
pub(super) async fn browser_fec(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    query: crate::api::ApiQuery,
    part: crate::api::FecPart,
) -> axum::response::Response {
    let Some(user) = session_user(&state, &session).await else {
        return axum::response::Redirect::to("/login?next=%2Fjournal").into_response();
    };
    match crate::api::fec_download(&state.services, &user, &query, part).await {
        Ok(response) => response,
        Err(error) => refused_download(&user, error.0, "/journal", request_language(&headers)),
    }
}

/// A supporting file, downloaded from the credit note's Documents tab.
pub(super) async fn browser_attachment(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    headers: axum::http::HeaderMap,
    axum::extract::Path((id, attachment_id)): axum::extract::Path<(i64, i64)>,
) -> axum::response::Response {
    let Some(user) = session_user(&state, &session).await else {
        return axum::response::Redirect::to("/login").into_response();
    };
    match state
        .services
        .attachment_file(&user, id, attachment_id)
        .await
    {
        Ok(file) => crate::api::file_response(file),
        Err(error) => refused_download(
            &user,
            Problem::from(error),
            &format!("/credit-notes/{id}"),
            request_language(&headers),
        ),
    }
}

/// The seller's logo, for the Settings page to show.
pub(super) async fn browser_logo(
    State(state): State<AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let Some(user) = session_user(&state, &session).await else {
        return axum::http::StatusCode::UNAUTHORIZED.into_response();
    };
    match state.services.seller_logo(&user).await {
        Ok(logo) => crate::api::logo_response(logo),
        Err(error) => crate::api::ApiError::from(error).into_response(),
    }
}
