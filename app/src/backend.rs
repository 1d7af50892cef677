//! The port through which server functions reach the server's service layer. The server
//! crate implements it and provides it as Leptos context; this keeps storage and transactions
//! on the server while the `#[server]` functions live beside the components that call them.
//! Sessions are read here, on the server, for every server function.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use leptos::prelude::use_context;
use tower_sessions::Session;

use crate::domain::AllocationRequest;
use crate::model::{
    CreditFromInvoicePage, CreditNoteListPage, CreditNotePage, CreditNoteQuery, CurrentUser,
    InvoicePage, InvoiceView, NewCreditNotePage, PortalView,
};
use crate::problem::Problem;

/// The client's address as the server resolved it (through trusted proxies only); the server
/// puts it on every request, and sign-in throttling counts by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

#[async_trait::async_trait]
pub trait Desk: Send + Sync + 'static {
    /// The services' clock, so session lifetimes follow the same time as everything else.
    fn now(&self) -> DateTime<Utc>;
    /// The user of a session signed in at `signed_in_at` (Unix seconds): none once their
    /// password changed after it.
    async fn session_user(
        &self,
        id: i64,
        signed_in_at: i64,
    ) -> Result<Option<CurrentUser>, Problem>;
    /// Checks a sign-in from a browser that may carry a device token (see [`DEVICE_COOKIE`]).
    async fn authenticate(
        &self,
        email: &str,
        password: &str,
        client: Option<IpAddr>,
        device: Option<&str>,
    ) -> Result<CurrentUser, Problem>;
    /// The device token to keep in the browser `user` just signed in from.
    async fn remember_device(
        &self,
        user: &CurrentUser,
        carried: Option<&str>,
    ) -> Result<String, Problem>;
    async fn invoice_list_page(
        &self,
        user: &CurrentUser,
        query: crate::model::InvoiceQuery,
    ) -> Result<crate::model::InvoiceListPage, Problem>;
    /// The invoice page; the link dialog's candidates only `with_candidates` (a customer may
    /// hold thousands of notes: the page without the dialog does not carry them).
    async fn invoice_page(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        with_candidates: bool,
    ) -> Result<InvoicePage, Problem>;
    async fn link_credit_notes(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        requests: Vec<AllocationRequest>,
    ) -> Result<InvoiceView, Problem>;
    async fn unlink_credit_note(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        allocation_id: i64,
    ) -> Result<InvoiceView, Problem>;
    /// The portal's page of credit notes after `notes_after` and of invoices after
    /// `invoices_after`.
    async fn portal(
        &self,
        user: &CurrentUser,
        notes_after: i64,
        invoices_after: i64,
    ) -> Result<PortalView, Problem>;
    async fn credit_note_list_page(
        &self,
        user: &CurrentUser,
        query: CreditNoteQuery,
    ) -> Result<CreditNoteListPage, Problem>;
    async fn credit_note_page(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
    ) -> Result<CreditNotePage, Problem>;
    async fn credit_from_invoice_page(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
    ) -> Result<CreditFromInvoicePage, Problem>;
    /// A draft credit note of the chosen invoice lines; answers its id.
    async fn credit_invoice(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        date: chrono::NaiveDate,
        reason: Option<String>,
        selection: Vec<crate::domain::LineSelection>,
    ) -> Result<i64, Problem>;
    /// The new-credit-note form: the customers matching `customer_q` (`customer_id` first),
    /// and the first relatable invoices of `customer_id` if given.
    async fn new_credit_note_page(
        &self,
        user: &CurrentUser,
        customer_id: Option<i64>,
        customer_q: &str,
    ) -> Result<NewCreditNotePage, Problem>;
    /// The customers whose name, currency or region hold every typed word (one short page),
    /// `chosen` first: what a customer field offers.
    async fn search_customers(
        &self,
        user: &CurrentUser,
        typed: &str,
        chosen: Option<i64>,
    ) -> Result<Vec<crate::model::CustomerView>, Problem>;
    /// The customer's invoices a credit note can relate to whose numbers start with `typed`:
    /// one short page, for typing ahead.
    async fn relatable_invoices(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        typed: &str,
    ) -> Result<Vec<crate::model::RelatableInvoice>, Problem>;
    /// A new draft credit note from the form, or the edit of note `id`; answers its id.
    async fn save_credit_note(
        &self,
        user: &CurrentUser,
        id: Option<i64>,
        form: crate::rpc::new_credit_note::NewCreditNoteForm,
    ) -> Result<i64, Problem>;
    async fn credit_note_command(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
        command: NoteCommand,
    ) -> Result<(), Problem>;
    /// Journal entries dated within `from..=to`, one page after entry `after`.
    async fn journal_page(
        &self,
        user: &CurrentUser,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        after: i64,
    ) -> Result<crate::model::JournalPage, Problem>;
    async fn customer_list_page(
        &self,
        user: &CurrentUser,
        after: i64,
    ) -> Result<crate::model::CustomerListPage, Problem>;
    async fn customer_page(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        tab: crate::model::CustomerTab,
        after: i64,
    ) -> Result<crate::model::CustomerPage, Problem>;
    async fn set_customer_portal(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        enabled: bool,
    ) -> Result<(), Problem>;
    /// A file uploaded for import, with its preview.
    async fn import_page(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<crate::model::ImportPage, Problem>;
    /// Imports an uploaded file.
    async fn apply_import(&self, user: &CurrentUser, id: i64) -> Result<(), Problem>;
    /// The customer's payment reminder schedule: every `days` after the due date, or off.
    async fn set_customer_reminders(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        days: Option<u16>,
    ) -> Result<(), Problem>;
    /// A new customer from the form; answers its id.
    async fn create_customer(
        &self,
        user: &CurrentUser,
        form: crate::rpc::customers::CustomerForm,
    ) -> Result<i64, Problem>;
    /// Rewrites a customer from the edit form.
    async fn update_customer(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        form: crate::rpc::customers::CustomerForm,
    ) -> Result<(), Problem>;
    /// The settings screen; the new-user form offers the customers matching `customer_q`.
    async fn settings_page(
        &self,
        user: &CurrentUser,
        customer_q: &str,
    ) -> Result<crate::model::SettingsPage, Problem>;
    async fn save_tax_table(
        &self,
        user: &CurrentUser,
        table: crate::domain::TaxTable,
    ) -> Result<(), Problem>;
    async fn user_command(&self, user: &CurrentUser, command: UserCommand) -> Result<(), Problem>;
    async fn document_settings(
        &self,
        user: &CurrentUser,
        command: DocumentSettingsCommand,
    ) -> Result<(), Problem>;
    async fn invoice_command(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        command: InvoiceCommand,
    ) -> Result<(), Problem>;
    /// The invoice editor: the customers matching `customer_q` (`customer_id` first).
    async fn invoice_editor_page(
        &self,
        user: &CurrentUser,
        customer_id: Option<i64>,
        customer_q: &str,
    ) -> Result<crate::model::InvoiceEditorPage, Problem>;
    /// A new invoice from the editor, or the edit of invoice `id`; answers its id.
    async fn save_invoice(
        &self,
        user: &CurrentUser,
        id: Option<i64>,
        form: crate::rpc::invoice_editor::InvoiceForm,
    ) -> Result<i64, Problem>;
}

/// What the users section of the settings screen asks of the services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserCommand {
    Create {
        email: String,
        password: String,
        role: crate::domain::Role,
        customer_id: Option<i64>,
    },
    ChangeRole {
        user_id: i64,
        role: crate::domain::Role,
    },
    Deactivate {
        user_id: i64,
    },
    /// Another user's temporary password, to change at their next sign-in.
    ResetPassword {
        user_id: i64,
        password: String,
    },
    /// The signed-in user's own new password.
    ChangeOwnPassword {
        current: String,
        new: String,
    },
    /// The language the signed-in user chose for the desk.
    ChooseLanguage(crate::domain::Language),
}

/// What the documents section of the settings screen asks of the services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentSettingsCommand {
    SaveSeller(Box<crate::model::SellerProfile>),
    SaveTemplate {
        kind: crate::model::DocumentKind,
        source: String,
    },
    /// Back to the built-in template.
    ResetTemplate(crate::model::DocumentKind),
    /// Documents print without a logo again.
    RemoveLogo,
    /// The accounts later journal entries are written to.
    SaveAccounts(Box<crate::domain::journal::ChartOfAccounts>),
    /// Closes the books through this date.
    CloseBooks(chrono::NaiveDate),
    /// Keeps a rate, replacing the one of its currency and day.
    SaveExchangeRate(crate::domain::exchange::ExchangeRate),
}

/// What a form on the invoice page asks of the services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvoiceCommand {
    /// The amount as typed: it is read in the invoice's currency.
    Payment {
        amount: String,
        date: chrono::NaiveDate,
        method: Option<String>,
        reference: Option<String>,
    },
    /// draft → pending, numbered.
    Issue,
    MarkPaid,
    MarkPending,
    Cancel,
    Delete,
    /// A payment reminder to the customer, now.
    SendReminder,
}

/// What a form on the credit-note page asks of the services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteCommand {
    Submit,
    Reject {
        reason: String,
    },
    Finalize,
    Cancel,
    /// Write off what remains, with the reason.
    Void {
        reason: String,
    },
    Delete,
    Comment {
        text: String,
    },
    /// The amount as typed: it is read in the note's currency.
    Refund {
        amount: String,
        date: chrono::NaiveDate,
        method: Option<String>,
    },
    RemoveAttachment {
        attachment_id: i64,
    },
    AddTask {
        title: String,
        due_date: Option<chrono::NaiveDate>,
        assignee_id: Option<i64>,
    },
    SetTaskDone {
        task_id: i64,
        done: bool,
    },
    /// E-mail the note; no `to` means the customer's address.
    Send {
        to: Vec<String>,
        cc: Vec<String>,
        message: Option<String>,
    },
}

pub type DeskHandle = Arc<dyn Desk>;

/// The service layer of the running server.
pub fn desk() -> Result<DeskHandle, Problem> {
    use_context::<DeskHandle>().ok_or_else(Problem::internal)
}

const USER_ID: &str = "user_id";
/// When the session signed in, in Unix milliseconds (a password change a moment later must
/// still be after it); sessions from before kept seconds under `signed_in_at`.
const SIGNED_IN_AT_MS: &str = "signed_in_at_ms";
const SIGNED_IN_AT: &str = "signed_in_at";
/// A session ends this long after sign-in, however active (the idle limit is the cookie's).
pub const ABSOLUTE_SESSION_HOURS: i64 = 12;

async fn session() -> Result<Session, Problem> {
    leptos_axum::extract::<Session>().await.map_err(|error| {
        leptos::logging::error!("no session on the request: {error}");
        Problem::internal()
    })
}

fn session_problem(error: tower_sessions::session::Error) -> Problem {
    leptos::logging::error!("session store failure: {error}");
    Problem::internal()
}

/// Who signed in to a session, and when (Unix milliseconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: i64,
    pub at_ms: i64,
}

/// Who signed in to `session`, once its absolute lifetime is checked against `now` (an
/// expired session is emptied). Pages, server functions and plain routes all read sessions
/// here.
pub async fn signed_in(session: &Session, now: DateTime<Utc>) -> Result<Option<SignedIn>, Problem> {
    let Some(user_id) = session.get::<i64>(USER_ID).await.map_err(session_problem)? else {
        return Ok(None);
    };
    let signed_in_at_ms = match session
        .get::<i64>(SIGNED_IN_AT_MS)
        .await
        .map_err(session_problem)?
    {
        Some(ms) => ms,
        None => session
            .get::<i64>(SIGNED_IN_AT)
            .await
            .map_err(session_problem)?
            .unwrap_or(0)
            .saturating_mul(1000),
    };
    let age_ms = now.timestamp_millis().saturating_sub(signed_in_at_ms);
    if age_ms > ABSOLUTE_SESSION_HOURS * 3600 * 1000 {
        session.flush().await.map_err(session_problem)?;
        return Ok(None);
    }
    Ok(Some(SignedIn {
        user_id,
        at_ms: signed_in_at_ms,
    }))
}

/// The signed-in user of this request, if any.
pub async fn current_user() -> Result<Option<CurrentUser>, Problem> {
    let session = session().await?;
    let desk = desk()?;
    match signed_in(&session, desk.now()).await? {
        Some(signed_in) => desk.session_user(signed_in.user_id, signed_in.at_ms).await,
        None => Ok(None),
    }
}

/// After the user changed their own password: this session goes on (the change ended every
/// session signed in before it).
pub async fn renew_sign_in() -> Result<(), Problem> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_problem)?;
    session
        .insert(SIGNED_IN_AT_MS, desk()?.now().timestamp_millis())
        .await
        .map_err(session_problem)
}

/// The signed-in user, or 401 `unauthorized`.
pub async fn require_user() -> Result<CurrentUser, Problem> {
    current_user().await?.ok_or_else(|| {
        Problem::new(
            401,
            "unauthorized",
            "Your session has ended; please sign in",
        )
    })
}

/// Starts a session for `user` under a new session id (no fixation across sign-in).
pub async fn sign_in(user: &CurrentUser) -> Result<(), Problem> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_problem)?;
    session
        .insert(USER_ID, user.id)
        .await
        .map_err(session_problem)?;
    session
        .insert(SIGNED_IN_AT_MS, desk()?.now().timestamp_millis())
        .await
        .map_err(session_problem)
}

/// The cookie that marks a browser its user signed in from before: the email's ceiling on
/// failed sign-ins never refuses a correct password from it.
pub const DEVICE_COOKIE: &str = "creditdesk_device";

/// Whether cookies are sent over HTTPS only (the server's setting, given to every request).
#[derive(Clone, Copy, Debug)]
pub struct SecureCookies(pub bool);

/// The value of the request's cookie `wanted`, if it carries one.
fn request_cookie(parts: &http::request::Parts, wanted: &str) -> Option<String> {
    header_cookie(&parts.headers, wanted)
}

fn header_cookie(headers: &http::HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.to_string())
}

/// The device token the request's browser carries, if any.
pub fn device_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    request_cookie(&parts, DEVICE_COOKIE).filter(|value| !value.is_empty() && value.len() <= 64)
}

/// The language the request asks for (the `lang` cookie, else `Accept-Language`), given to
/// every page and server function.
pub fn provide_language() {
    let language = use_context::<http::request::Parts>().map(|parts| language_of(&parts.headers));
    leptos::prelude::provide_context(language.unwrap_or_default());
}

/// The language a request's headers ask for: its `lang` cookie, else its `Accept-Language`.
pub fn language_of(headers: &http::HeaderMap) -> crate::domain::Language {
    let chosen = header_cookie(headers, crate::i18n::LANGUAGE_COOKIE);
    let accept = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    crate::i18n::negotiate(chosen.as_deref(), accept)
}

/// Keeps the browser's chosen language for a year (read by pages, so not HttpOnly-worthy
/// secret, but sent to this site only).
pub fn keep_language(language: crate::domain::Language) {
    let secure = use_context::<SecureCookies>().is_some_and(|SecureCookies(secure)| secure);
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        crate::i18n::LANGUAGE_COOKIE,
        language.code(),
        if secure { "; Secure" } else { "" }
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Keeps `token` in the browser for a year (HttpOnly, same site, Secure as the server says).
pub fn keep_device_token(token: &str) {
    let secure = use_context::<SecureCookies>().is_some_and(|SecureCookies(secure)| secure);
    let cookie = format!(
        "{DEVICE_COOKIE}={token}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The client's address of the request being served, if the server resolved one.
pub fn client_ip() -> Option<IpAddr> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().copied())
        .map(|ClientIp(ip)| ip)
}

pub async fn sign_out() -> Result<(), Problem> {
    session().await?.flush().await.map_err(session_problem)
}
