//! Hardening: the sign-in throttle under concurrency and behind proxies, what customers can
//! read, cross-origin posts, the purge of what expired, the pages' security headers, and what
//! users type reaching the log escaped.

use std::net::IpAddr;
use std::sync::Arc;

use app::domain::Role;
use chrono::{Duration, Utc};
use serde_json::json;
use server::net::TrustedProxies;
use server::services::{ManualClock, ServiceError, Services, throttle_keys};
use server::storage::{Purged, ThrottleRecord, Tx};
use server::web::WebConfig;

use crate::common::{self, ApiClient, PASSWORD, TestApp, TestDatabase, browser, user};

fn ip(text: &str) -> Option<IpAddr> {
    text.parse().ok()
}

async fn throttle_row(db: &TestDatabase, key: &str) -> Option<ThrottleRecord> {
    let mut tx: Box<dyn Tx> = db.storage.read().await.unwrap();
    tx.sign_in_throttle(key).await.unwrap()
}

/// The app behind a reverse proxy at 127.0.0.1 (the tests' own address).
async fn behind_proxy(db: TestDatabase) -> TestApp {
    let services = db.services();
    let config = WebConfig {
        trusted_proxies: TrustedProxies::new(vec![
            TrustedProxies::parse_network("127.0.0.1/32").unwrap(),
        ]),
        ..WebConfig::default()
    };
    TestApp::spawn_configured(db, services, config).await
}

async fn token_status(
    app: &TestApp,
    forwarded_for: Option<&str>,
    email: &str,
    password: &str,
) -> u16 {
    let mut request = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({ "email": email, "password": password }));
    if let Some(client) = forwarded_for {
        request = request.header("x-forwarded-for", client);
    }
    request.send().await.unwrap().status().as_u16()
}

/// The value of header `name`, empty when absent.
fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Checks a page's security headers and that each of its inline scripts carries the nonce its
/// policy allows (else the browser would not hydrate it); answers the nonce.
async fn page_is_locked_down(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
    assert_eq!(
        header(&response, "x-content-type-options"),
        "nosniff",
        "{path}"
    );
    assert_eq!(
        header(&response, "referrer-policy"),
        "same-origin",
        "{path}"
    );
    let policy = header(&response, "content-security-policy");
    for directive in [
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "style-src 'self'",
    ] {
        assert!(
            policy.contains(directive),
            "{path}: {directive} in {policy}"
        );
    }
    assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("{path}: a nonce in {policy}"))
        .to_string();
    let html = response.text().await.unwrap();
    let scripts: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|tag| &tag[..tag.find('>').unwrap()])
        .collect();
    assert!(
        !scripts.is_empty(),
        "{path}: the page loads its hydration script: {html}"
    );
    for script in scripts {
        assert!(
            script.contains(&format!("nonce=\"{nonce}\"")),
            "{path}: <script{script}> without the nonce {nonce}"
        );
    }
    nonce
}

/// Keeps what a tracing subscriber writes.
#[derive(Clone, Default)]
struct LogCapture(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

on_both_backends! {
    async fn pages_refuse_framing_and_run_only_their_own_scripts(db) {
        let app = TestApp::spawn(db).await;
        let first = page_is_locked_down(&app, "/login").await;
        let second = page_is_locked_down(&app, "/login").await;
        assert_ne!(first, second, "a nonce per answer");
        page_is_locked_down(&app, "/no-such-page").await;
        let response = app.client.get(app.url("/login")).send().await.unwrap();
        assert_eq!(header(&response, "strict-transport-security"), "", "plain HTTP: no HSTS");

        // API answers are not pages, but are never sniffed or framed either.
        let response = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap();
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert_eq!(header(&response, "x-frame-options"), "DENY");
    }

    async fn a_site_with_secure_cookies_asks_browsers_to_stay_on_https(db) {
        let services = db.services();
        let config = WebConfig { secure_cookies: true, ..WebConfig::default() };
        let app = TestApp::spawn_configured(db, services, config).await;
        let response = app.client.get(app.url("/login")).send().await.unwrap();
        assert_eq!(header(&response, "strict-transport-security"), "max-age=31536000");
    }

    async fn what_was_typed_as_an_email_reaches_the_log_escaped(db) {
        // One capture at a time: tracing keeps one global level filter, recomputed whenever a
        // subscriber comes or goes, and the two backends' runs of this test racing there could
        // leave it off while the other still listens.
        static ONE_CAPTURE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        let _capturing = ONE_CAPTURE.lock().await;
        let services = db.services();
        let log = LogCapture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer({
                let log = log.clone();
                move || log.clone()
            })
            .finish();
        // The subscriber goes with the future, whichever runtime thread polls it after the
        // password check's blocking task.
        use tracing::instrument::WithSubscriber;
        let refused = services
            .authenticate("mallory@test.example\nINFO forged: admin signed in", "wrong", ip("198.51.100.9"))
            .with_subscriber(subscriber)
            .await;
        assert!(matches!(refused, Err(ServiceError::Unauthorized)), "{refused:?}");
        let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert!(text.contains(r"mallory@test.example\ninfo forged"), "escaped: {text}");
        for line in text.lines().filter(|line| line.contains("forged")) {
            assert!(line.contains("failed sign-in"), "a forged line in the log: {line:?}");
        }
    }

    async fn concurrent_wrong_guesses_are_all_counted_and_lock_the_pair(db) {
        let services = db.services();
        user(&services, "ann@test.example", Role::Viewer, None).await;
        let client = ip("198.51.100.7");
        let attempts = 16;
        let guesses = (0..attempts).map(|i| {
            let services = services.clone();
            tokio::spawn(async move {
                services
                    .authenticate("ann@test.example", &format!("wrong guess {i}"), client)
                    .await
            })
        });
        let outcomes = futures::future::join_all(guesses).await;
        let mut unauthorized = 0;
        let mut throttled = 0;
        for outcome in outcomes {
            match outcome.unwrap() {
                Err(ServiceError::Unauthorized) => unauthorized += 1,
                Err(ServiceError::Throttled { .. }) => throttled += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        // Checked and counted in one locked write: only the five free attempts and the one
        // that engaged the lock reached the password check.
        assert_eq!(unauthorized, 6);
        assert_eq!(throttled, attempts - 6);
        let [pair, ceiling] = throttle_keys("ann@test.example", client);
        let pair = throttle_row(&db, &pair).await.unwrap();
        assert_eq!(pair.attempts, attempts as i64, "no attempt went uncounted");
        assert!(pair.locked_until.is_some_and(|until| until > Utc::now()));
        assert_eq!(throttle_row(&db, &ceiling).await.unwrap().attempts, 6);
        // The right password waits for the lock too.
        assert!(matches!(
            services.authenticate("ann@test.example", PASSWORD, client).await,
            Err(ServiceError::Throttled { .. })
        ));
    }

    async fn a_strangers_failures_do_not_lock_the_owner_out(db) {
        let services = db.services();
        user(&services, "ann@test.example", Role::Viewer, None).await;
        let stranger = ip("203.0.113.9");
        for _ in 0..10 {
            let _ = services.authenticate("ann@test.example", "guess guess guess", stranger).await;
        }
        assert!(matches!(
            services.authenticate("ann@test.example", PASSWORD, stranger).await,
            Err(ServiceError::Throttled { .. })
        ));
        // Ann, at her own address, signs in; a typo from there is an ordinary 401.
        let owner = ip("198.51.100.7");
        assert!(services.authenticate("ann@test.example", "typo typo typo", owner).await.is_err());
        let ann = services.authenticate("ANN@test.example ", PASSWORD, owner).await.unwrap();
        assert_eq!(ann.email, "ann@test.example");
        // Her success cleared her pair and took her own attempts off the email's count.
        let [pair, ceiling] = throttle_keys("ann@test.example", owner);
        assert!(throttle_row(&db, &pair).await.is_none());
        // Six of the stranger's (the rest were refused by their pair lock) and Ann's typo.
        assert_eq!(throttle_row(&db, &ceiling).await.unwrap().attempts, 7);
    }

    // Guessing spread over many addresses reaches the email's ceiling (50 an hour). That never
    // locks the owner out: from a browser that signed in before (its device cookie) a correct
    // password goes straight in; from anywhere else the attempt is slowed, not refused.
    async fn the_email_ceiling_slows_strangers_and_never_refuses_a_known_device(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        user(&services, "ann@test.example", Role::Viewer, None).await;
        // Her browser signs in once and keeps its device cookie.
        let response = app.client.post(app.url("/rpc/login"))
            .form(&[("email", "ann@test.example"), ("password", PASSWORD)])
            .send().await.unwrap();
        let cookies: Vec<String> = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
        let device = cookies.iter().find(|c| c.starts_with("creditdesk_device=")).unwrap_or_else(|| panic!("{cookies:?}"));
        assert!(device.contains("HttpOnly") && device.contains("SameSite=Strict"), "{device}");
        let token = device.trim_start_matches("creditdesk_device=").split(';').next().unwrap().to_string();

        // At once: each guess past the ceiling waits its slowdown, and they wait together.
        futures::future::join_all((1..=60).map(|i| {
            let services = services.clone();
            async move {
                let _ = services.authenticate("ann@test.example", "guess guess guess", ip(&format!("203.0.113.{i}"))).await;
            }
        }))
        .await;
        let started = std::time::Instant::now();
        let from_her_browser = services
            .authenticate_from("ann@test.example", PASSWORD, ip("198.51.100.7"), Some(&token))
            .await;
        assert!(from_her_browser.is_ok(), "{from_her_browser:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(3), "not slowed: {:?}", started.elapsed());
        // A new browser is slowed past the ceiling, yet the right password still opens.
        let started = std::time::Instant::now();
        let elsewhere = services.authenticate("ann@test.example", PASSWORD, ip("198.51.100.8")).await;
        assert!(elsewhere.is_ok(), "{elsewhere:?}");
        assert!(started.elapsed() >= std::time::Duration::from_secs(3), "slowed: {:?}", started.elapsed());
        // Another user's device token is no key to Ann's account.
        let bob = user(&services, "bob@test.example", Role::Viewer, None).await;
        let bobs = services.remember_device(&bob, None).await.unwrap();
        let started = std::time::Instant::now();
        let _ = services.authenticate_from("ann@test.example", "guess guess guess", ip("198.51.100.9"), Some(&bobs)).await;
        assert!(started.elapsed() >= std::time::Duration::from_secs(3), "slowed: {:?}", started.elapsed());
    }

    async fn an_ipv6_64_is_one_client_for_the_throttle(db) {
        let services = db.services();
        user(&services, "ann@test.example", Role::Viewer, None).await;
        // Rotating addresses inside one /64 does not buy fresh attempts.
        for i in 1..=6 {
            let client = ip(&format!("2001:db8:1:2::{i}"));
            assert!(matches!(
                services.authenticate("ann@test.example", "guess guess guess", client).await,
                Err(ServiceError::Unauthorized)
            ));
        }
        assert!(matches!(
            services.authenticate("ann@test.example", PASSWORD, ip("2001:db8:1:2:ffff::1")).await,
            Err(ServiceError::Throttled { .. })
        ));
        assert!(services.authenticate("ann@test.example", PASSWORD, ip("2001:db8:1:3::1")).await.is_ok());
    }

    async fn an_overlong_email_is_refused_before_anything_is_stored(db) {
        let app = TestApp::spawn(db).await;
        let email = format!("{}@test.example", "a".repeat(250));
        let (status, body) = ApiClient::anonymous(&app)
            .post("/auth/token", json!({ "email": email, "password": "whatever whatever" }))
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["code"], "validation_error");
        assert_eq!(body["errors"][0]["field"], "email");
        for key in throttle_keys(&email, ip("127.0.0.1")) {
            assert!(throttle_row(&app.db, &key).await.is_none(), "nothing stored");
        }
        // The sign-in form says so too.
        let response = browser()
            .post(app.url("/rpc/login"))
            .form(&[("email", email.as_str()), ("password", "whatever whatever")])
            .send()
            .await
            .unwrap();
        assert!(!response.status().is_success());
        let problem: app::problem::Problem = response.json().await.unwrap();
        assert_eq!(problem.code, "validation_error");
        assert!(problem.detail.contains("254"), "{}", problem.detail);
    }

    async fn forwarded_for_counts_only_from_a_trusted_proxy(db) {
        // Without a trusted proxy the header is the client's say-so: every guess counts
        // against the one real peer, whatever address it claims.
        let app = TestApp::spawn(db).await;
        user(&app.db.services(), "ann@test.example", Role::Viewer, None).await;
        for i in 0..6 {
            let claimed = format!("203.0.113.{i}");
            assert_eq!(token_status(&app, Some(&claimed), "ann@test.example", "guess guess guess").await, 401);
        }
        assert_eq!(token_status(&app, Some("198.51.100.7"), "ann@test.example", PASSWORD).await, 429);
    }

    async fn behind_a_trusted_proxy_each_forwarded_client_is_its_own(db) {
        let app = behind_proxy(db).await;
        user(&app.db.services(), "ann@test.example", Role::Viewer, None).await;
        for _ in 0..6 {
            assert_eq!(token_status(&app, Some("203.0.113.9"), "ann@test.example", "guess guess guess").await, 401);
        }
        assert_eq!(token_status(&app, Some("203.0.113.9"), "ann@test.example", PASSWORD).await, 429);
        // Ann behind the same proxy is not locked out by the stranger; a forged left-most
        // hop does not make the stranger someone else either.
        assert_eq!(token_status(&app, Some("198.51.100.7"), "ann@test.example", PASSWORD).await, 201);
        assert_eq!(
            token_status(&app, Some("198.51.100.7, 203.0.113.9"), "ann@test.example", PASSWORD).await,
            429
        );
        // The sign-in form counts by the same resolved client.
        let response = browser()
            .post(app.url("/rpc/login"))
            .header("x-forwarded-for", "192.0.2.44")
            .form(&[("email", "bob@test.example"), ("password", "guess guess guess")])
            .send()
            .await
            .unwrap();
        assert!(!response.status().is_success());
        let [pair, _] = throttle_keys("bob@test.example", ip("192.0.2.44"));
        assert_eq!(throttle_row(&app.db, &pair).await.map(|row| row.attempts), Some(1));
    }

    async fn customers_never_read_staff_comments_or_addresses(db) {
        let app = TestApp::spawn(db).await;
        let staff = ApiClient::new(&app, Role::CreditManager).await;
        let staff_email = "credit_manager@api.example";
        let customer = staff.customer("Acme", "EUR").await;
        let note = staff.note(customer, "EUR", "30.00").await;
        let id = note["id"].as_i64().unwrap();
        let remark = "Internal: this customer haggles, approve nothing more";
        let (status, commented) = staff.post(&format!("/credit-notes/{id}/comments"), json!({ "text": remark })).await;
        assert_eq!(status, 201, "{commented}");
        // Staff still read the comment and its author.
        let (_, full) = staff.get(&format!("/credit-notes/{id}")).await;
        assert!(full.to_string().contains(remark));
        assert!(full.to_string().contains(staff_email));

        user(&app.db.services(), "ap@acme.example", Role::Customer, Some(customer)).await;
        let portal = ApiClient { token: Some(app.token("ap@acme.example").await), app: &app };
        let (status, list) = portal.get("/credit-notes").await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        let (status, one) = portal.get(&format!("/credit-notes/{id}")).await;
        assert_eq!(status, 200, "{one}");
        assert_eq!(one["id"], id);
        assert_eq!(one["remaining_amount"], "30.00");
        let browser = app.signed_in("ap@acme.example").await;
        let html = browser.get(app.url("/portal")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains(note["number"].as_str().unwrap()), "the portal shows the note");
        for (door, body) in [("API list", list.to_string()), ("API one", one.to_string()), ("portal page", html)] {
            assert!(!body.contains(remark), "{door} shows a staff comment: {body}");
            assert!(!body.contains(staff_email), "{door} shows a staff address: {body}");
            assert!(!body.contains("\"comments\""), "{door} has a comments field: {body}");
        }
    }

    async fn cross_origin_posts_to_server_functions_are_refused(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        user(&services, "ann@test.example", Role::CreditManager, None).await;
        let login = |headers: &[(&'static str, String)]| {
            let mut request = browser()
                .post(app.url("/rpc/login"))
                .form(&[("email", "ann@test.example"), ("password", PASSWORD)]);
            for (name, value) in headers {
                request = request.header(*name, value);
            }
            request.send()
        };
        // Sign-in CSRF: a foreign page posting the attacker's credentials.
        for headers in [
            vec![("sec-fetch-site", "cross-site".to_string())],
            vec![("sec-fetch-site", "same-site".to_string())],
            vec![("origin", "https://evil.example".to_string())],
            vec![("origin", "null".to_string())],
        ] {
            let response = login(&headers).await.unwrap();
            assert_eq!(response.status(), 403, "{headers:?}");
            assert!(response.headers().get("set-cookie").is_none(), "no session for {headers:?}");
            let problem: app::problem::Problem = response.json().await.unwrap();
            assert_eq!(problem.code, "cross_origin_request");
        }
        // The browser's own same-origin posts, and clients that send neither header, pass.
        let same_origin = [("origin", app.address.clone()), ("sec-fetch-site", "same-origin".to_string())];
        assert!(login(&same_origin).await.unwrap().status().is_success());
        assert!(login(&[("origin", app.address.clone())]).await.unwrap().status().is_success());
        assert!(login(&[]).await.unwrap().status().is_success());

        // A signed-in session cannot be made to act from elsewhere.
        let acme = common::customer(&services, "Acme", "EUR").await;
        let inv = common::invoice(&services, "INV-7", acme, "EUR", "100.00").await;
        let note = common::available_note(&services, acme, "EUR", "25.00").await;
        let session = app.signed_in("ann@test.example").await;
        let response = session
            .post(app.url("/rpc/link_credit_notes"))
            .header("origin", "https://evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("invoice_id={inv}&currency=EUR&rows[0][credit_note_id]={note}&rows[0][selected]=on"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let viewer = common::staff(Role::Viewer);
        assert!(services.invoice(&viewer, inv).await.unwrap().allocations.is_empty());
        let response = session.post(app.url("/rpc/logout")).header("sec-fetch-site", "cross-site").send().await.unwrap();
        assert_eq!(response.status(), 403);
        // Reads stay open, and the bearer-token API is not cookie-authenticated.
        let page = session.get(app.url("/invoices")).header("sec-fetch-site", "cross-site").send().await.unwrap();
        assert_eq!(page.status(), 200);
        let token = app
            .client
            .post(app.url("/api/v1/auth/token"))
            .header("origin", "https://integrator.example")
            .json(&json!({ "email": "ann@test.example", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(token.status(), 201);
    }

    async fn a_session_ends_twelve_hours_after_sign_in(db) {
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        user(&app.db.services(), "ann@test.example", Role::Viewer, None).await;
        let session = app.signed_in("ann@test.example").await;
        let invoices = || session.get(app.url("/invoices")).header("accept", "text/html").send();
        assert_eq!(invoices().await.unwrap().status(), 200);
        // Active all along (the idle limit is real time), yet capped at twelve hours.
        clock.advance(Duration::hours(11) + Duration::minutes(59));
        assert_eq!(invoices().await.unwrap().status(), 200);
        clock.advance(Duration::minutes(2));
        let response = invoices().await.unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], "/login?next=%2Finvoices", "to sign in, and back");
    }

    async fn expired_rows_are_purged(db) {
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let services = Services::with_clock(db.storage.clone(), clock.clone()).with_printer(common::test_printer());
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        user(&services, "cm@test.example", Role::CreditManager, None).await;
        let session = app.signed_in("cm@test.example").await;
        let token = app.token("cm@test.example").await;
        let revoked = app.token("cm@test.example").await;
        let revoke = app.client.delete(app.url("/api/v1/auth/token")).bearer_auth(&revoked).send().await.unwrap();
        assert_eq!(revoke.status(), 204);
        let response = app
            .client
            .post(app.url("/api/v1/customers"))
            .bearer_auth(&token)
            .header("idempotency-key", "housekeeping-1")
            .json(&json!({
                "name": "Acme", "currency": "EUR", "tax_region": "DE",
                "billing_address": {"line1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country": "DE"}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let stranger = ip("203.0.113.9");
        assert!(services.authenticate("nobody@test.example", "guess guess guess", stranger).await.is_err());

        assert_eq!(services.purge_expired().await.unwrap(), Purged::default(), "nothing expired yet");

        // Past the idle limit and the throttle window: the session, the revoked token and the
        // throttle rows (two for the stranger, the ceiling row of the user) go.
        clock.advance(Duration::minutes(61));
        let purged = services.purge_expired().await.unwrap();
        assert_eq!(
            purged,
            Purged { sessions: 1, api_tokens: 1, idempotency_keys: 0, throttle_rows: 3, mail_attachments: 0 }
        );
        for key in throttle_keys("nobody@test.example", stranger) {
            assert!(throttle_row(&app.db, &key).await.is_none());
        }
        let page = session.get(app.url("/invoices")).header("accept", "text/html").send().await.unwrap();
        assert_eq!(page.status(), 302, "the session row is gone");

        clock.advance(Duration::hours(24));
        assert_eq!(services.purge_expired().await.unwrap(), Purged { idempotency_keys: 1, ..Purged::default() });

        clock.advance(Duration::days(30));
        assert_eq!(services.purge_expired().await.unwrap(), Purged { api_tokens: 1, ..Purged::default() });
        let stale = app.client.get(app.url("/api/v1/customers")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(stale.status(), 401);
    }
}
