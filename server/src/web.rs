//! The HTTP server: Leptos pages (SSR + hydration), server functions under `/rpc`, static files.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use app::backend::{
    Desk, DeskHandle, DocumentSettingsCommand, InvoiceCommand, NoteCommand, UserCommand,
};
use app::domain::AllocationRequest;
use app::model::{
    CreditFromInvoicePage, CreditNoteListPage, CreditNotePage, CreditNoteQuery, CurrentUser,
    DocumentKind, ImportKind, InvoicePage, InvoiceView, NewCreditNotePage, PortalView,
};
use app::problem::Problem;
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};

use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::services::{EInvoiceFormat, ServiceError, Services};

/// A browser session ends after this long without a request.
pub const IDLE_SESSION_MINUTES: i64 = 60;

/// The service layer seen through the port the server functions use.
#[async_trait::async_trait]
impl Desk for Services {
    async fn session_user(
        &self,
        id: i64,
        signed_in_at_ms: i64,
    ) -> Result<Option<CurrentUser>, Problem> {
        Ok(Services::session_user(self, id, signed_in_at_ms).await?)
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        Services::now(self)
    }

    async fn authenticate(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
        device: Option<&str>,
    ) -> Result<CurrentUser, Problem> {
        Ok(Services::authenticate_from(self, email, password, client, device).await?)
    }

    async fn remember_device(
        &self,
        user: &CurrentUser,
        carried: Option<&str>,
    ) -> Result<String, Problem> {
        Ok(Services::remember_device(self, user, carried).await?)
    }

    async fn invoice_list_page(
        &self,
        user: &CurrentUser,
        query: app::model::InvoiceQuery,
    ) -> Result<app::model::InvoiceListPage, Problem> {
        Ok(Services::invoice_list_page(self, user, query).await?)
    }

    async fn invoice_page(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        with_candidates: bool,
    ) -> Result<InvoicePage, Problem> {
        Ok(Services::invoice_page(self, user, invoice_id, with_candidates).await?)
    }

    async fn link_credit_notes(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        requests: Vec<AllocationRequest>,
    ) -> Result<InvoiceView, Problem> {
        Ok(Services::link_credit_notes(self, invoice_id, requests, user).await?)
    }

    async fn unlink_credit_note(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        allocation_id: i64,
    ) -> Result<InvoiceView, Problem> {
        Ok(Services::unlink_credit_note(self, user, invoice_id, allocation_id).await?)
    }

    async fn portal(
        &self,
        user: &CurrentUser,
        notes_after: i64,
        invoices_after: i64,
    ) -> Result<PortalView, Problem> {
        Ok(Services::portal(self, user, notes_after, invoices_after).await?)
    }

    async fn credit_note_list_page(
        &self,
        user: &CurrentUser,
        query: CreditNoteQuery,
    ) -> Result<CreditNoteListPage, Problem> {
        Ok(Services::credit_note_list_page(self, user, query).await?)
    }

    async fn credit_note_page(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
    ) -> Result<CreditNotePage, Problem> {
        Ok(Services::credit_note_page(self, user, credit_note_id).await?)
    }

    async fn credit_from_invoice_page(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
    ) -> Result<CreditFromInvoicePage, Problem> {
        Ok(Services::credit_from_invoice_page(self, user, invoice_id).await?)
    }

    async fn credit_invoice(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        date: chrono::NaiveDate,
        reason: Option<String>,
        selection: Vec<app::domain::LineSelection>,
    ) -> Result<i64, Problem> {
        let created =
            Services::credit_invoice(self, user, invoice_id, Some(date), reason, selection).await?;
        Ok(created.note.id)
    }

    async fn new_credit_note_page(
        &self,
        user: &CurrentUser,
        customer_id: Option<i64>,
        customer_q: &str,
    ) -> Result<NewCreditNotePage, Problem> {
        Ok(Services::new_credit_note_page(self, user, customer_id, customer_q).await?)
    }

    async fn search_customers(
        &self,
        user: &CurrentUser,
        typed: &str,
        chosen: Option<i64>,
    ) -> Result<Vec<app::model::CustomerView>, Problem> {
        Ok(Services::search_customers(self, user, typed, chosen).await?)
    }

    async fn relatable_invoices(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        typed: &str,
    ) -> Result<Vec<app::model::RelatableInvoice>, Problem> {
        Ok(Services::relatable_invoices(self, user, customer_id, typed).await?)
    }

    async fn save_credit_note(
        &self,
        user: &CurrentUser,
        id: Option<i64>,
        form: app::rpc::new_credit_note::NewCreditNoteForm,
    ) -> Result<i64, Problem> {
        crate::note_form::save_from_form(self, user, id, form).await
    }

    async fn credit_note_command(
        &self,
        user: &CurrentUser,
        id: i64,
        command: NoteCommand,
    ) -> Result<(), Problem> {
        use crate::services::{Caller, PaymentInput};
        match command {
            NoteCommand::Submit => drop(self.submit_credit_note(user, id).await?),
            NoteCommand::Reject { reason } => {
                drop(self.reject_credit_note(user, id, &reason).await?)
            }
            NoteCommand::Finalize => drop(self.finalize_credit_note(Caller::User(user), id).await?),
            NoteCommand::Cancel => drop(self.cancel_credit_note(user, id).await?),
            NoteCommand::Void { reason } => drop(self.void_credit_note(user, id, &reason).await?),
            NoteCommand::Delete => self.delete_credit_note(user, id).await?,
            NoteCommand::Comment { text } => drop(self.comment_credit_note(user, id, &text).await?),
            NoteCommand::Refund {
                amount,
                date,
                method,
            } => {
                // The amount means something only in the note's own currency.
                let currency = self.credit_note(user, id).await?.currency;
                let amount = app::rpc::reader().positive_amount("amount", &amount, currency)?;
                let refund = PaymentInput {
                    amount,
                    date,
                    method,
                    reference: None,
                };
                drop(self.refund_credit_note(user, id, refund).await?)
            }
            NoteCommand::RemoveAttachment { attachment_id } => {
                self.remove_attachment(user, id, attachment_id).await?
            }
            NoteCommand::AddTask {
                title,
                due_date,
                assignee_id,
            } => {
                let input = crate::services::NewTaskInput {
                    title,
                    due_date,
                    assignee_id,
                };
                drop(self.add_task(user, id, input).await?)
            }
            NoteCommand::SetTaskDone { task_id, done } => {
                drop(self.set_task_done(user, id, task_id, done).await?)
            }
            NoteCommand::Send { to, cc, message } => {
                let request = crate::services::SendRequest { to, cc, message };
                drop(self.send_credit_note(user, id, request).await?)
            }
        }
        Ok(())
    }

    async fn journal_page(
        &self,
        user: &CurrentUser,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        after: i64,
    ) -> Result<app::model::JournalPage, Problem> {
        Ok(Services::journal_page(self, user, from, to, after).await?)
    }

    async fn customer_list_page(
        &self,
        user: &CurrentUser,
        after: i64,
    ) -> Result<app::model::CustomerListPage, Problem> {
        Ok(Services::customer_list_page(self, user, after).await?)
    }

    async fn customer_page(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        tab: app::model::CustomerTab,
        after: i64,
    ) -> Result<app::model::CustomerPage, Problem> {
        Ok(Services::customer_page(self, user, customer_id, tab, after).await?)
    }

    async fn set_customer_portal(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        enabled: bool,
    ) -> Result<(), Problem> {
        Ok(Services::set_customer_portal(self, user, customer_id, enabled).await?)
    }

    async fn set_customer_reminders(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        days: Option<u16>,
    ) -> Result<(), Problem> {
        Services::set_customer_reminders(self, user, customer_id, days).await?;
        Ok(())
    }

    async fn import_page(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<app::model::ImportPage, Problem> {
        Ok(Services::import_page(self, user, id).await?)
    }

    async fn apply_import(&self, user: &CurrentUser, id: i64) -> Result<(), Problem> {
        Services::apply_import(self, user, id).await?;
        Ok(())
    }

    async fn create_customer(
        &self,
        user: &CurrentUser,
        form: app::rpc::customers::CustomerForm,
    ) -> Result<i64, Problem> {
        let input = customer_input(&form)?;
        Ok(Services::create_customer(self, crate::services::Caller::User(user), input).await?)
    }

    async fn update_customer(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        form: app::rpc::customers::CustomerForm,
    ) -> Result<(), Problem> {
        let input = customer_input(&form)?;
        Services::update_customer(
            self,
            crate::services::Caller::User(user),
            customer_id,
            input,
        )
        .await?;
        Ok(())
    }

    async fn settings_page(
        &self,
        user: &CurrentUser,
        customer_q: &str,
    ) -> Result<app::model::SettingsPage, Problem> {
        Ok(Services::settings_page(self, user, customer_q).await?)
    }

    async fn save_tax_table(
        &self,
        user: &CurrentUser,
        table: app::domain::TaxTable,
    ) -> Result<(), Problem> {
        Services::set_tax_table(self, user, table).await?;
        Ok(())
    }

    async fn document_settings(
        &self,
        user: &CurrentUser,
        command: DocumentSettingsCommand,
    ) -> Result<(), Problem> {
        match command {
            DocumentSettingsCommand::SaveSeller(seller) => {
                drop(self.set_seller(user, *seller).await?)
            }
            DocumentSettingsCommand::SaveTemplate { kind, source } => {
                self.save_document_template(user, kind, source).await?
            }
            DocumentSettingsCommand::ResetTemplate(kind) => {
                self.reset_document_template(user, kind).await?
            }
            DocumentSettingsCommand::RemoveLogo => drop(self.remove_seller_logo(user).await?),
            DocumentSettingsCommand::SaveAccounts(chart) => {
                drop(self.set_chart_of_accounts(user, *chart).await?)
            }
            DocumentSettingsCommand::CloseBooks(date) => {
                self.close_books(user, date).await?;
            }
            DocumentSettingsCommand::SaveExchangeRate(rate) => {
                self.save_exchange_rates(user, vec![rate]).await?;
            }
        }
        Ok(())
    }

    async fn user_command(&self, user: &CurrentUser, command: UserCommand) -> Result<(), Problem> {
        match command {
            UserCommand::Create {
                email,
                password,
                role,
                customer_id,
            } => {
                let input = crate::services::NewUserInput {
                    email,
                    password,
                    role,
                    customer_id,
                };
                drop(
                    self.create_user(crate::services::Caller::User(user), input)
                        .await?,
                )
            }
            UserCommand::ChangeRole { user_id, role } => {
                self.change_role(user, user_id, role).await?
            }
            UserCommand::Deactivate { user_id } => self.deactivate_user(user, user_id).await?,
            UserCommand::ResetPassword { user_id, password } => {
                self.reset_password(user, user_id, &password).await?
            }
            UserCommand::ChangeOwnPassword { current, new } => {
                self.change_own_password(user, &current, &new).await?
            }
            UserCommand::ChooseLanguage(language) => self.set_own_language(user, language).await?,
        }
        Ok(())
    }

    async fn invoice_command(
        &self,
        user: &CurrentUser,
        id: i64,
        command: InvoiceCommand,
    ) -> Result<(), Problem> {
        match command {
            InvoiceCommand::Payment {
                amount,
                date,
                method,
                reference,
            } => {
                // The amount means something only in the invoice's own currency.
                let currency = self.invoice(user, id).await?.currency;
                let amount = app::rpc::reader().positive_amount("amount", &amount, currency)?;
                let payment = crate::services::PaymentInput {
                    amount,
                    date,
                    method,
                    reference,
                };
                drop(self.record_payment(user, id, payment).await?)
            }
            InvoiceCommand::Issue => drop(self.issue_invoice(user, id).await?),
            InvoiceCommand::MarkPaid => drop(self.mark_paid(user, id).await?),
            InvoiceCommand::MarkPending => drop(self.mark_pending(user, id).await?),
            InvoiceCommand::Cancel => drop(self.cancel_invoice(user, id).await?),
            InvoiceCommand::Delete => self.delete_invoice(user, id).await?,
            InvoiceCommand::SendReminder => drop(self.send_reminder(user, id).await?),
        }
        Ok(())
    }

    async fn invoice_editor_page(
        &self,
        user: &CurrentUser,
        customer_id: Option<i64>,
        customer_q: &str,
    ) -> Result<app::model::InvoiceEditorPage, Problem> {
        Ok(Services::invoice_editor_page(self, user, customer_id, customer_q).await?)
    }

    async fn save_invoice(
        &self,
        user: &CurrentUser,
        id: Option<i64>,
        form: app::rpc::invoice_editor::InvoiceForm,
    ) -> Result<i64, Problem> {
        crate::invoice_form::save_from_form(self, user, id, form).await
    }
}

#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub desk: DeskHandle,
    pub services: Services,
}

/// The customer form as the services take it: the currency upper-cased, the language chosen
/// or left to the tax region (blanks are trimmed by the service).
fn customer_input(
    form: &app::rpc::customers::CustomerForm,
) -> Result<crate::services::NewCustomerInput, Problem> {
    let currency = app::domain::Currency::parse(&form.currency.trim().to_uppercase())
        .map_err(|error| Problem::validation("currency", error.to_string()))?;
    let document_language = match form.document_language.trim() {
        "" => None,
        code => Some(app::domain::Language::parse(code).ok_or_else(|| {
            Problem::validation("document_language", format!("{code} is not en, fr or de"))
        })?),
    };
    Ok(crate::services::NewCustomerInput {
        name: form.name.clone(),
        email: Some(form.email.clone()),
        currency,
        tax_region: form.tax_region.clone(),
        vat_id: Some(form.vat_id.clone()),
        siren: Some(form.siren.clone()),
        consumer: !form.consumer.is_empty(),
        billing_address: form.billing_address(),
        shipping_address: form.shipping_address(),
        document_language,
    })
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
                crate::security_headers::provide_nonce();
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
                crate::security_headers::provide_nonce();
                app::backend::provide_language();
            },
            shell,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(problem_status))
        .layer(axum::middleware::from_fn(
            crate::security_headers::content_security_policy,
        ))
        .layer(axum::middleware::from_fn(crate::nul_guard::layer))
        .layer(sessions)
        // Pages, server functions and forms are cookie-authenticated: same origin only.
        .layer(axum::middleware::from_fn(crate::csrf::layer))
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
    crate::security_headers::every_answer(router, config.secure_cookies)
}

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

/// The language of a browser request no page renders (a refused download), negotiated as the
/// pages' is: the one the user chose (the `lang` cookie), else the browser's `Accept-Language`.
fn request_language(headers: &axum::http::HeaderMap) -> app::i18n::Language {
    app::backend::language_of(headers)
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
fn document_downloads(router: Router<AppState>) -> Router<AppState> {
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
async fn browser_fec(
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

/// A supporting file, downloaded from the credit note's Documents tab.
async fn browser_attachment(
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

/// The Documents tab's upload form: a plain multipart post (it works without JavaScript), then
/// back to the tab, with the refusal in the address when there is one.
async fn browser_upload(
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
async fn browser_logo_upload(
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
async fn browser_rates_upload(
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
async fn browser_import_upload(
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

/// The seller's logo, for the Settings page to show.
async fn browser_logo(
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

/// Server functions answer every error with 500; a refusal carries its real status (401,
/// 403, 404, 409, 422) in the problem it returns. This gives the response that status, so
/// clients and logs tell a refused request from a server failure. Plain form posts are
/// redirects and pass untouched.
async fn problem_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_rpc = request.uri().path().starts_with("/rpc/");
    let response = next.run(request).await;
    if !is_rpc || response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Problems are small; anything larger is not one.
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(_) => return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if let Ok(problem) = serde_json::from_slice::<Problem>(&bytes)
        && let Ok(status) = axum::http::StatusCode::from_u16(problem.status)
        && (status.is_client_error() || status.is_server_error())
    {
        parts.status = status;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}
