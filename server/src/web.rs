//! The HTTP server: Leptos pages (SSR + hydration), server functions under `/rpc`, static files.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use app::backend::{Desk, DeskHandle};
use app::domain::AllocationRequest;
use app::model::{InvoicePage, InvoiceView};
use app::problem::Problem;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::IntoResponse;
use axum::routing::post;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};

use crate::services::Services;

/// The service layer seen through the port the server functions use.
#[async_trait::async_trait]
impl Desk for Services {
    async fn list_invoices(&self) -> Result<Vec<InvoiceView>, Problem> {
        Ok(Services::list_invoices(self).await?)
    }

    async fn invoice_page(&self, invoice_id: i64) -> Result<InvoicePage, Problem> {
        Ok(Services::invoice_page(self, invoice_id).await?)
    }

    async fn link_credit_notes(
        &self,
        invoice_id: i64,
        requests: Vec<AllocationRequest>,
    ) -> Result<InvoiceView, Problem> {
        Ok(Services::link_credit_notes(self, invoice_id, requests, None).await?)
    }
}

#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub desk: DeskHandle,
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

pub fn router(services: Services, leptos_options: LeptosOptions) -> Router {
    let desk: DeskHandle = Arc::new(services);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        desk: desk.clone(),
    };
    let routes = generate_route_list(App);
    let page_desk = desk.clone();
    Router::new()
        .route(
            "/rpc/{*fn_name}",
            post(server_fn_handler).get(server_fn_handler),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(page_desk.clone()),
            {
                let leptos_options = leptos_options.clone();
                move || shell(leptos_options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
}

async fn server_fn_handler(
    State(state): State<AppState>,
    request: Request<Body>,
) -> impl IntoResponse {
    let desk = state.desk.clone();
    handle_server_fns_with_context(move || provide_context(desk.clone()), request).await
}
