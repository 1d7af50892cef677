//! Test helpers: a fresh database per test on each backend, demo-like fixtures, and a TestApp
//! that serves the real router on a free port.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use app::domain::Role;
use app::domain::{Currency, InvoiceStatus, LineInput};
use app::model::CurrentUser;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use server::pdf::{Printer, RenderLimits, RenderWorkers};
use server::services::{
    Caller, LineDraft, NewCreditNoteInput, NewCustomerInput, NewInvoiceInput, NewUserInput,
    Services,
};
use server::storage::{self, Storage};
use sqlx::Connection;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed afterwards, even when the test fails.
pub struct TestDatabase {
    pub url: String,
    pub storage: Arc<dyn Storage>,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

async fn admin_connection(admin_url: &str) -> sqlx::PgConnection {
    sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is needed for the tests ({admin_url}): {e}; set TEST_POSTGRES_URL")
        })
}

fn database_url(admin_url: &str, name: &str) -> String {
    match admin_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("TEST_POSTGRES_URL must name a database"),
    }
}

static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// A database migrated once per test run; each test's database is a copy of it, which is much
/// faster than running the migrations again. Templates left by earlier runs whose process is
/// gone are dropped first.
async fn postgres_template(admin_url: &str) -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let mut admin = admin_connection(admin_url).await;
            let stale: Vec<String> = sqlx::query_scalar(
                "SELECT datname FROM pg_database WHERE datname LIKE 'creditdesk\\_test\\_%' \
                 OR datname LIKE 'creditdesk\\_template\\_%'",
            )
            .fetch_all(&mut admin)
            .await
            .expect("list databases");
            for name in stale {
                let pid = name
                    .split('_')
                    .nth(2)
                    .and_then(|pid| pid.parse::<u32>().ok());
                let alive =
                    pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
                if !alive {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                }
            }
            let name = format!("creditdesk_template_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create the template database");
            // Migrate it, then close every connection: a template must have none.
            let storage = storage::connect(&database_url(admin_url, &name))
                .await
                .expect("migrate the template database");
            storage.close().await;
            name
        })
        .await
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite:{}", dir.path().join("test.db").display());
                let storage = storage::connect(&url).await.expect("open SQLite");
                save_test_issuer(&storage).await;
                TestDatabase {
                    url,
                    storage,
                    cleanup: Cleanup::Dir(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let template = postgres_template(&admin_url).await;
                let name = format!(
                    "creditdesk_test_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let mut admin = admin_connection(&admin_url).await;
                sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .execute(&mut admin)
                    .await
                    .expect("create the test database from the template");
                let url = database_url(&admin_url, &name);
                let storage = storage::connect(&url).await.expect("open PostgreSQL");
                save_test_issuer(&storage).await;
                TestDatabase {
                    url,
                    storage,
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
        }
    }

    pub fn services(&self) -> Services {
        services_on(self.storage.clone())
    }
}

/// Today (UTC): the date a credit note takes when it is finalized.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The seller of every test database: a French company that has filled in Settings, so it may
/// issue documents (Code de commerce art. R123-237). Tests of the refusal clear it.
pub fn test_issuer() -> app::model::SellerProfile {
    app::model::SellerProfile {
        name: "Maison Essai SAS".into(),
        address: app::model::Address {
            line1: "12 rue de la Paix".into(),
            line2: None,
            city: "Paris".into(),
            postal_code: "75002".into(),
            country: "FR".into(),
        },
        vat_id: Some("FR44732829320".into()),
        legal_identity: app::domain::LegalIdentity {
            legal_form: Some("SAS".into()),
            share_capital: Some("10 000,00 EUR".into()),
            siren: Some("732829320".into()),
            siret: Some("73282932000074".into()),
            rcs_city: Some("Paris".into()),
        },
        vat_regime: app::domain::VatRegime {
            operations: Some(app::domain::OperationNature::Goods),
            on_debits: false,
        },
        ..Default::default()
    }
}

async fn save_test_issuer(storage: &Arc<dyn Storage>) {
    let mut tx = storage.write().await.expect("a write transaction");
    tx.save_seller(&test_issuer(), chrono::Utc::now())
        .await
        .expect("save the test seller");
    tx.save_exchange_rates(&dollar_at_par(), "manual", chrono::Utc::now())
        .await
        .expect("save the test rates");
    tx.commit().await.expect("commit the test seller");
}

/// The dollar at one euro every day from Christmas 2025 to tomorrow, so that tests of other
/// matters issue USD documents whose euro amounts read as their dollar ones. Tests of the books
/// in euros use other currencies and rates of their own.
fn dollar_at_par() -> Vec<app::domain::exchange::ExchangeRate> {
    date("2025-12-25")
        .iter_days()
        .take_while(|day| *day <= today() + chrono::Days::new(1))
        .map(|day| app::domain::exchange::ExchangeRate {
            currency: currency("USD"),
            date: day,
            rate: Decimal::ONE,
        })
        .collect()
}

impl TestDatabase {
    /// Runs `sql` on the database directly, as someone with database access would, behind
    /// the server's back.
    pub async fn behind_the_back(&self, sql: &str) {
        if let Err(error) = self.try_behind_the_back(sql).await {
            panic!("{sql}: {error}");
        }
    }

    /// As [`Self::behind_the_back`], answering what the database said.
    pub async fn try_behind_the_back(&self, sql: &str) -> Result<(), String> {
        use sqlx::Connection;
        let outcome = if self.url.starts_with("sqlite:") {
            let mut db = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut db).await.map(drop)
        } else {
            let mut db = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut db).await.map(drop)
        };
        outcome.map_err(|error| error.to_string())
    }

    /// A `SELECT COUNT(*) …` read directly from the database.
    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Connection;
        let counted = if self.is_sqlite() {
            let mut db = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut db).await
        } else {
            let mut db = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut db).await
        };
        counted.unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    pub fn is_sqlite(&self) -> bool {
        self.url.starts_with("sqlite:")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside async; a short-lived runtime on its own thread removes the database.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    let mut admin = sqlx::PgConnection::connect(&admin_url).await.ok()?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

/// Declares each test twice, once per backend: `name::sqlite` and `name::postgres`.
macro_rules! on_both_backends {
    ($(async fn $name:ident($db:ident) $body:block)+) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($db: $crate::common::TestDatabase) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    run($crate::common::TestDatabase::create($crate::common::Backend::Sqlite).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    run($crate::common::TestDatabase::create($crate::common::Backend::Postgres).await).await;
                }
            }
        )+
    };
}

/// Services on `storage` as the server wires them: PDFs render in workers of the real binary.
pub fn services_on(storage: Arc<dyn Storage>) -> Services {
    Services::new(storage).with_printer(test_printer())
}

/// The printer of [`services_on`], for services made otherwise (with a clock).
pub fn test_printer() -> Printer {
    printer(None, RenderLimits::default())
}

/// A printer whose workers are the `creditdesk` binary this test run built.
pub fn printer(directory: Option<&std::path::Path>, limits: RenderLimits) -> Printer {
    let workers = RenderWorkers::new(env!("CARGO_BIN_EXE_creditdesk").into(), limits);
    Printer::new(directory, workers).expect("the templates directory")
}

pub fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

pub fn amount(text: &str) -> Decimal {
    text.parse().unwrap()
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// One untaxed line worth `price`.
pub fn priced(price: &str) -> Vec<LineDraft> {
    vec![LineDraft::from(LineInput {
        description: "item".into(),
        quantity: Decimal::ONE,
        unit_price: amount(price),
        discount_percent: Decimal::ZERO,
        tax_rate: Decimal::ZERO,
        ship_date: None,
        vat_category: None,
        vat_exemption_reason: None,
        nature: None,
        revenue_account: None,
    })]
}

pub async fn customer(services: &Services, name: &str, code: &str) -> i64 {
    services
        .create_customer(
            Caller::CommandLine,
            NewCustomerInput {
                name: name.into(),
                email: None,
                currency: currency(code),
                tax_region: "DE".into(),
                vat_id: None,
                siren: None,
                consumer: false,
                billing_address: Default::default(),
                shipping_address: Default::default(),
                document_language: None,
            },
        )
        .await
        .unwrap()
}

pub async fn invoice(
    services: &Services,
    number: &str,
    customer_id: i64,
    code: &str,
    total: &str,
) -> i64 {
    services
        .create_invoice(
            Caller::CommandLine,
            NewInvoiceInput {
                number: Some(number.into()),
                customer_id,
                currency: currency(code),
                issue_date: date("2026-11-01"),
                due_date: None,
                kind: app::domain::InvoiceKind::Standard,
                status: InvoiceStatus::Pending,
                related_invoice_id: None,
                project: None,
                lines: priced(total),
            },
        )
        .await
        .unwrap()
        .id
}

/// A finalized (available) credit note worth `total`.
pub async fn available_note(services: &Services, customer_id: i64, code: &str, total: &str) -> i64 {
    let draft = services
        .create_credit_note(
            Caller::CommandLine,
            NewCreditNoteInput {
                customer_id,
                currency: currency(code),
                date: date("2026-11-02"),
                reason: None,
                related_invoice_id: None,
                lines: priced(total),
                charge: None,
                particulars: Default::default(),
            },
        )
        .await
        .unwrap()
        .note;
    services
        .finalize_credit_note(Caller::CommandLine, draft.id)
        .await
        .unwrap()
        .id
}

/// A staff member as the services see one, for service tests that are not about sign-in.
pub fn staff(role: Role) -> CurrentUser {
    CurrentUser {
        id: 0,
        email: format!("{}@test.example", role.as_str()),
        role,
        customer_id: None,
        must_change_password: false,
        language: None,
    }
}

pub const PASSWORD: &str = "correct horse battery";

pub async fn user(
    services: &Services,
    email: &str,
    role: Role,
    customer_id: Option<i64>,
) -> CurrentUser {
    services
        .create_user(
            Caller::CommandLine,
            NewUserInput {
                email: email.into(),
                password: PASSWORD.into(),
                role,
                customer_id,
            },
        )
        .await
        .unwrap()
}

/// The real router on 127.0.0.1 with a free port; returns its address.
async fn serve(services: Services, config: server::web::WebConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = server::web::router(services, server::web::leptos_options(addr), config);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    format!("http://{addr}")
}

/// The real router on 127.0.0.1 with a free port.
pub struct TestApp {
    pub address: String,
    /// A browser without a session (it keeps cookies and does not follow redirects).
    pub client: reqwest::Client,
    pub db: TestDatabase,
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        // A request that never answers fails the test, naming the request, instead of hanging it.
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap()
}

impl TestApp {
    pub async fn spawn(db: TestDatabase) -> TestApp {
        let services = db.services();
        Self::spawn_with(db, services).await
    }

    /// The app with services that read the time from `clock`.
    pub async fn spawn_with_clock(
        db: TestDatabase,
        clock: Arc<dyn server::services::Clock>,
    ) -> TestApp {
        let services = Services::with_clock(db.storage.clone(), clock).with_printer(test_printer());
        Self::spawn_with(db, services).await
    }

    async fn spawn_with(db: TestDatabase, services: Services) -> TestApp {
        Self::spawn_configured(db, services, server::web::WebConfig::default()).await
    }

    /// The app with another network configuration (trusted proxies, secure cookies).
    pub async fn spawn_configured(
        db: TestDatabase,
        services: Services,
        config: server::web::WebConfig,
    ) -> TestApp {
        TestApp {
            address: serve(services, config).await,
            client: browser(),
            db,
        }
    }

    /// Another server on the same database with its own connections, as a second stateless
    /// process on one PostgreSQL would be. Returns its address.
    pub async fn second_server(&self) -> String {
        let storage = storage::connect(&self.db.url).await.unwrap();
        serve(services_on(storage), server::web::WebConfig::default()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A browser signed in through the login server function.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = browser();
        let response = client
            .post(self.url("/rpc/login"))
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "sign-in of {email} failed: {}",
            response.status()
        );
        client
    }

    /// An API token for the user.
    pub async fn token(&self, email: &str) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/auth/token"))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "token for {email}");
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_string()
    }
}

/// A REST API caller: anonymous, or an integrator with a bearer token.
pub struct ApiClient<'a> {
    pub app: &'a TestApp,
    pub token: Option<String>,
}

impl<'a> ApiClient<'a> {
    /// A caller without credentials.
    pub fn anonymous(app: &'a TestApp) -> ApiClient<'a> {
        ApiClient { app, token: None }
    }

    /// A caller holding `token`.
    pub fn with_token(app: &'a TestApp, token: &str) -> ApiClient<'a> {
        ApiClient {
            app,
            token: Some(token.to_string()),
        }
    }

    /// `count` issued invoices of 10.00 for the customer; their numbers, oldest first.
    pub async fn invoices(&self, customer_id: i64, count: usize) -> Vec<String> {
        let mut numbers = Vec::with_capacity(count);
        for _ in 0..count {
            let invoice = self.invoice(customer_id, "EUR", "10.00").await;
            numbers.push(invoice["number"].as_str().unwrap().to_string());
        }
        numbers
    }

    /// A new user of `role` holding a fresh token.
    pub async fn new(app: &'a TestApp, role: Role) -> ApiClient<'a> {
        let email = format!("{}@api.example", role.as_str());
        user(&app.db.services(), &email, role, None).await;
        ApiClient {
            token: Some(app.token(&email).await),
            app,
        }
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap()
            },
        )
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.app.client.get(self.app.url(&format!("/api/v1{path}"))))
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(
            self.app
                .client
                .post(self.app.url(&format!("/api/v1{path}")))
                .json(&body),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(
            self.app
                .client
                .patch(self.app.url(&format!("/api/v1{path}")))
                .json(&body),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(
            self.app
                .client
                .put(self.app.url(&format!("/api/v1{path}")))
                .json(&body),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(
            self.app
                .client
                .delete(self.app.url(&format!("/api/v1{path}"))),
        )
        .await
    }

    /// A file from the API: status, content disposition and bytes.
    pub async fn file(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut request = self.app.client.get(self.app.url(&format!("/api/v1{path}")));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let disposition = response
            .headers()
            .get("content-disposition")
            .map(|value| value.to_str().unwrap().to_string())
            .unwrap_or_default();
        (
            status,
            disposition,
            response.bytes().await.unwrap().to_vec(),
        )
    }

    /// Sends `content` as the multipart field `file`, named `name` and declared `declared`.
    pub async fn upload(
        &self,
        request: reqwest::RequestBuilder,
        name: &str,
        declared: &str,
        content: Vec<u8>,
    ) -> (u16, Value) {
        let part = reqwest::multipart::Part::bytes(content)
            .file_name(name.to_string())
            .mime_str(declared)
            .unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        self.send(request.multipart(form)).await
    }

    /// An invoice of 2026-03-02 with lines at 20 % and 5.5 %: 120.00 + 52.75 = 172.75 EUR.
    pub async fn two_rate_invoice(&self, customer: i64) -> Value {
        let (status, invoice) = self
            .post(
                "/invoices",
                json!({
                    "customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02", "due_date": "2026-04-01",
                    "lines": [
                        {"description": "Espresso machine", "quantity": "1", "unit_price": "100.00", "tax_rate": "20"},
                        {"description": "Coffee beans", "quantity": "5", "unit_price": "10.00", "tax_rate": "5.5"}
                    ]
                }),
            )
            .await;
        assert_eq!(status, 201, "{invoice}");
        invoice
    }

    /// Saves the seller's details: a German company with a VAT id, an IBAN and an e-mail.
    pub async fn save_seller(&self) {
        let (status, body) = self
            .put(
                "/settings/seller",
                json!({
                    "name": "Nordlicht Handel GmbH",
                    "address": {"line1": "Hafenstraße 5", "city": "Hamburg", "postal_code": "20457", "country": "DE"},
                    "vat_id": "DE811907980", "iban": "DE89 3704 0044 0532 0130 00", "email": "billing@nordlicht.example",
                    "legal_identity": {"legal_form": "GmbH", "share_capital": "25.000,00 EUR"}
                }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    pub async fn customer(&self, name: &str, currency: &str) -> i64 {
        let (status, body) = self
            .post(
                "/customers",
                json!({
                    "name": name, "currency": currency, "tax_region": "DE", "document_language": "en",
                    "billing_address": {"line1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country": "DE"}
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().unwrap()
    }

    pub async fn invoice(&self, customer_id: i64, currency: &str, price: &str) -> Value {
        let (status, body) = self
            .post(
                "/invoices",
                json!({
                    "customer_id": customer_id, "currency": currency, "issue_date": "2026-11-01",
                    "lines": [{"description": "Service", "quantity": "1", "unit_price": price, "tax_rate": "0"}]
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// A finalized credit note worth `price`.
    pub async fn note(&self, customer_id: i64, currency: &str, price: &str) -> Value {
        let (status, draft) = self
            .post(
                "/credit-notes",
                json!({
                    "customer_id": customer_id, "currency": currency, "date": "2026-11-05",
                    "lines": [{"description": "Return", "quantity": "1", "unit_price": price, "tax_rate": "0"}]
                }),
            )
            .await;
        assert_eq!(status, 201, "{draft}");
        let (status, note) = self
            .post(
                &format!("/credit-notes/{}/finalize", draft["id"]),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{note}");
        note
    }
}

/// A page's HTML without the catalog of its language's texts (`<script id="catalog">`),
/// which holds every label of the desk: what a test finds is what the page shows.
pub fn shown(html: &str) -> String {
    let Some(tag) = html.find("<script type=\"application/json\" id=\"catalog\"") else {
        return html.to_string();
    };
    match html[tag..].find("</script>") {
        Some(end) => format!("{}{}", &html[..tag], &html[tag + end + "</script>".len()..]),
        None => html.to_string(),
    }
}

/// A signed-in browser: pages and server functions with its session cookie.
pub struct SessionClient<'a> {
    pub app: &'a TestApp,
    pub browser: reqwest::Client,
}

impl SessionClient<'_> {
    /// A page: its status and HTML, without the texts it carries for the browser (see
    /// [`shown`]).
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self
            .browser
            .get(self.app.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: no answer: {e}"));
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {status}, the page never finished: {e}"));
        (status, shown(&body))
    }

    /// A server function called as a form post: its status and JSON body (a problem on
    /// failure).
    /// [`Self::rpc`] with owned values, as tests build longer forms.
    pub async fn rpc_form(&self, name: &str, form: &[(&str, String)]) -> (u16, Value) {
        let borrowed: Vec<(&str, &str)> = form
            .iter()
            .map(|(key, value)| (*key, value.as_str()))
            .collect();
        self.rpc(name, &borrowed).await
    }

    pub async fn rpc(&self, name: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let response = self
            .browser
            .post(self.app.url(&format!("/rpc/{name}")))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

impl TestApp {
    /// A browser signed in as a new user of `role`.
    pub async fn session(&self, role: Role) -> SessionClient<'_> {
        let email = format!("{}@session.example", role.as_str());
        user(&self.db.services(), &email, role, None).await;
        SessionClient {
            app: self,
            browser: self.signed_in(&email).await,
        }
    }
}

/// A TCP port on loopback that nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The text of a PDF, as `pdftotext` (Debian's poppler-utils) reads it, columns kept.
pub fn pdf_text(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext runs (scripts/lib.sh ensure_test_tools installs poppler-utils)");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "pdftotext read the PDF");
    String::from_utf8(output.stdout).unwrap()
}

/// The images a PDF holds, as `pdfimages -list` (poppler-utils) reads them: width, height and
/// encoding of each.
pub fn pdf_images(bytes: &[u8]) -> Vec<(u32, u32, String)> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    let output = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(file.path())
        .output()
        .expect("pdfimages runs (scripts/lib.sh ensure_test_tools installs poppler-utils)");
    assert!(output.status.success(), "pdfimages read the PDF");
    // Two header lines, then: page num type width height color comp bpc enc …
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .skip(2)
        .map(|line| {
            let columns: Vec<&str> = line.split_whitespace().collect();
            (
                columns[3].parse().unwrap(),
                columns[4].parse().unwrap(),
                columns[8].to_string(),
            )
        })
        .collect()
}
