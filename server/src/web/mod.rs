//! The HTTP server: Leptos pages (SSR + hydration), server functions under `/rpc`, static files,
//! and the browser's own doors (forms, downloads, uploads) with their guards.

pub mod csrf;
mod desk;
mod downloads;
pub mod invoice_form;
pub mod note_form;
pub mod nul_guard;
mod rpc_status;
pub mod security_headers;
mod uploads;

use crate::services::Services;
use app::backend::DeskHandle;
use app::model::CurrentUser;
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use downloads::*;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use rpc_status::problem_status;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use uploads::*;

/// A browser session ends after this long without a request.
pub const IDLE_SESSION_MINUTES: i64 = 60;

#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub desk: DeskHandle,
    pub services: Services,
}

/// Where the built site (wasm, js, css) lives: `LEPTOS_SITE_ROOT`, else `site/` beside the
/// binary's folder (`target/release/creditdesk` → `target/site`), else `target/site`.
pub fn site_root() -> String {
    if let Ok(root) = std::env::var("LEPTOS_SITE_ROOT") {
        return root;
    }
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(|dir| dir.join("site")))
        .filter(|dir| dir.join("pkg").is_dir());
    beside_binary
        .unwrap_or_else(|| PathBuf::from("target/site"))
        .to_string_lossy()
        .into_owned()
}

pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("creditdesk")
        .site_root(site_root())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build()
}

/// How the server meets the network.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// Mark the session cookie `Secure` (browsers then send it over HTTPS only). The command
    /// line turns it on unless the site listens on a loopback address.
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: crate::net::TrustedProxies,
    /// Sign-in attempts one address may make at once (`None`: the default, 20).
    pub sign_in_burst: Option<std::num::NonZeroU32>,
}

/// The pages' routes, read from the app once per process.
///
/// Listing the routes renders the app once with reactive state kept per thread. Done on a
/// runtime's worker thread while that runtime renders pages, it could leave a page's render
/// waiting forever, so it runs once, on a thread of its own.
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| {
            // The render may start tasks: they go to the caller's runtime.
            let runtime = tokio::runtime::Handle::try_current().ok();
            std::thread::spawn(move || {
                let _in_runtime = runtime.as_ref().map(|runtime| runtime.enter());
                generate_route_list(App)
            })
            .join()
            .expect("the app's routes can be listed")
        })
        .clone()
}

pub fn router(services: Services, leptos_options: LeptosOptions, config: WebConfig) -> Router {
    let sessions = SessionManagerLayer::new(services.storage().session_store())
        .with_name("creditdesk_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(config.secure_cookies)
        // Idle timeout; the absolute one is checked against the sign-in time.
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            IDLE_SESSION_MINUTES,
        )));
    let api = crate::api::router(services.clone());
    let desk: DeskHandle = Arc::new(services.clone());
    let state = AppState {
        leptos_options: leptos_options.clone(),
        desk: desk.clone(),
        services,
    };
    let routes = page_routes();
    let page_desk = desk.clone();
    let secure_cookies = config.secure_cookies;
    let router = document_downloads(Router::new())
        .route(
            "/credit-notes/{id}/attachments",
            axum::routing::post(browser_upload).layer(crate::api::SUPPORTING_FILE.body_limit()),
        )
        .route(
            "/journal/fec",
            axum::routing::get(
                |state: State<AppState>,
                 session,
                 headers: axum::http::HeaderMap,
                 query: crate::api::ApiQuery| {
                    browser_fec(state, session, headers, query, crate::api::FecPart::File)
                },
            ),
        )
        .route(
            "/journal/datev",
            axum::routing::get(
                |state: State<AppState>,
                 session,
                 headers: axum::http::HeaderMap,
                 query: crate::api::ApiQuery| {
                    browser_fec(state, session, headers, query, crate::api::FecPart::Datev)
                },
            ),
        )
        .route(
            "/journal/fec/description",
            axum::routing::get(
                |state: State<AppState>,
                 session,
                 headers: axum::http::HeaderMap,
                 query: crate::api::ApiQuery| {
                    browser_fec(
                        state,
                        session,
                        headers,
                        query,
                        crate::api::FecPart::Description,
                    )
                },
            ),
        )
        .route(
            "/imports",
            axum::routing::post(browser_import_upload).layer(crate::api::IMPORT_FILE.body_limit()),
        )
        .route(
            "/settings/exchange-rates",
            axum::routing::post(browser_rates_upload).layer(crate::api::RATES_FILE.body_limit()),
        )
        .route(
            "/settings/logo",
            axum::routing::get(browser_logo)
                .post(browser_logo_upload)
                .layer(crate::api::LOGO.body_limit()),
        )
        .route(
            "/credit-notes/{id}/attachments/{attachment_id}",
            axum::routing::get(browser_attachment),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(page_desk.clone());
                provide_context(app::backend::SecureCookies(secure_cookies));
                crate::web::security_headers::provide_nonce();
                app::backend::provide_language();
            },
            {
                let leptos_options = leptos_options.clone();
                move || shell(leptos_options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            || {
                crate::web::security_headers::provide_nonce();
                app::backend::provide_language();
            },
            shell,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(problem_status))
        .layer(axum::middleware::from_fn(
            crate::web::security_headers::content_security_policy,
        ))
        .layer(axum::middleware::from_fn(crate::web::nul_guard::layer))
        .layer(sessions)
        // Pages, server functions and forms are cookie-authenticated: same origin only.
        .layer(axum::middleware::from_fn(crate::web::csrf::layer))
        .nest("/api/v1", api)
        // Sign-in attempts from one address are slowed on both doors.
        .layer(axum::middleware::from_fn_with_state(
            crate::api::sign_in_limit::SignInLimit::new(
                config
                    .sign_in_burst
                    .unwrap_or(crate::api::sign_in_limit::DEFAULT_BURST),
            ),
            crate::api::sign_in_limit::layer,
        ))
        .merge(utoipa_swagger_ui::SwaggerUi::new("/api/v1/docs").url(
            "/api/v1/docs/openapi.json",
            <crate::api::openapi::ApiDoc as utoipa::OpenApi>::openapi(),
        ))
        // Outermost: every layer above sees the resolved client address.
        .layer(axum::middleware::from_fn_with_state(
            config.trusted_proxies,
            crate::net::layer,
        ));
    crate::web::security_headers::every_answer(router, config.secure_cookies)
}

/// The language of a browser request no page renders (a refused download), negotiated as the
/// pages' is: the one the user chose (the `lang` cookie), else the browser's `Accept-Language`.
fn request_language(headers: &axum::http::HeaderMap) -> app::i18n::Language {
    app::backend::language_of(headers)
}

/// The signed-in user of a browser request, if any.
async fn session_user(state: &AppState, session: &tower_sessions::Session) -> Option<CurrentUser> {
    let signed_in = app::backend::signed_in(session, state.services.now())
        .await
        .ok()
        .flatten()?;
    state
        .services
        .session_user(signed_in.user_id, signed_in.at_ms)
        .await
        .ok()
        .flatten()
}
