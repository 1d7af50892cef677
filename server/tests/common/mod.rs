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
use server::services::{
    Caller, NewCreditNoteInput, NewCustomerInput, NewInvoiceInput, NewUserInput, Services,
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

impl TestDatabase {
    pub async fn create(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite:{}", dir.path().join("test.db").display());
                let storage = storage::connect(&url).await.expect("open SQLite");
                TestDatabase {
                    url,
                    storage,
                    cleanup: Cleanup::Dir(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!(
                    "creditdesk_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    chrono::Utc::now().timestamp_micros()
                );
                let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL is needed for the tests ({admin_url}): {e}; set TEST_POSTGRES_URL")
                });
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create the test database");
                let url = match admin_url.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("TEST_POSTGRES_URL must name a database"),
                };
                let storage = storage::connect(&url).await.expect("open PostgreSQL");
                TestDatabase {
                    url,
                    storage,
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
        }
    }

    pub fn services(&self) -> Services {
        Services::new(self.storage.clone())
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
#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $name:ident($db:ident) $body:block)+) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($db: common::TestDatabase) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    run(common::TestDatabase::create(common::Backend::Sqlite).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    run(common::TestDatabase::create(common::Backend::Postgres).await).await;
                }
            }
        )+
    };
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
pub fn priced(price: &str) -> Vec<LineInput> {
    vec![LineInput {
        description: "item".into(),
        quantity: Decimal::ONE,
        unit_price: amount(price),
        discount_percent: Decimal::ZERO,
        tax_rate: Decimal::ZERO,
    }]
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
                billing_address: Default::default(),
                shipping_address: Default::default(),
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
        .build()
        .unwrap()
}

impl TestApp {
    pub async fn spawn(db: TestDatabase) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = server::web::router(
            db.services(),
            server::web::leptos_options(addr),
            server::web::CookiePolicy::default(),
        );
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
        });
        TestApp {
            address: format!("http://{addr}"),
            client: browser(),
            db,
        }
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
