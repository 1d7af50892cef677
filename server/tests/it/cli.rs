//! The `creditdesk` binary fails with one clear line, not a panic, when it cannot start.

use std::process::{Command, Stdio};

use crate::common::free_port;

fn creditdesk(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_creditdesk"))
        .args(args)
        .env("RUST_LOG", "off")
        .output()
        .expect("run creditdesk");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).trim().to_string(),
    )
}

fn assert_one_line_error(stderr: &str, expected: &str) {
    assert_eq!(stderr.lines().count(), 1, "one line, got: {stderr}");
    assert!(stderr.starts_with("creditdesk: "), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unknown_database_scheme_is_named_without_the_secret() {
    let (ok, stderr) = creditdesk(&["--database-url", "mysql://root:hunter2@db/x", "migrate"]);
    assert!(!ok);
    assert_one_line_error(
        &stderr,
        "DATABASE_URL must start with sqlite: or postgres://",
    );
    assert!(!stderr.contains("hunter2"));
}

#[test]
fn an_unreachable_database_says_why() {
    let (ok, stderr) = creditdesk(&[
        "--database-url",
        "postgres://postgres@127.0.0.1:1/none",
        "migrate",
    ]);
    assert!(!ok);
    assert_one_line_error(&stderr, "cannot open the database");
    assert!(stderr.to_lowercase().contains("refused"), "{stderr}");
}

#[test]
fn a_port_in_use_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let url = format!("sqlite:{}", dir.path().join("x.db").display());
    let (ok, stderr) = creditdesk(&["--database-url", &url, "--addr", &addr, "serve"]);
    assert!(!ok);
    assert_one_line_error(&stderr, &format!("cannot listen on {addr}"));
}

#[test]
fn migrate_creates_a_fresh_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("new.db").display());
    let (ok, stderr) = creditdesk(&["--database-url", &url, "migrate"]);
    assert!(ok, "{stderr}");
    assert!(dir.path().join("new.db").exists());
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("x.db").display());
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().to_string()
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_creditdesk"))
        .args(["--database-url", &url, "--addr", &addr])
        .env("RUST_LOG", "off")
        .spawn()
        .expect("start creditdesk");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}

/// Runs `creditdesk --database-url URL ARGS` with `stdin` piped in (`None`: nothing, closed).
fn run_with(url: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_creditdesk"))
        .args(["--database-url", url])
        .args(args)
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn demo_loads_once_and_user_create_checks_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("demo.db").display());
    let run = |args: &[&str], stdin: Option<&str>| run_with(&url, args, stdin);
    let (ok, stdout, _) = run(&["demo"], None);
    assert!(ok);
    assert!(stdout.contains("admin@creditdesk.example"), "{stdout}");
    let (ok, stdout, _) = run(&["demo"], None);
    assert!(ok);
    assert!(
        stdout.contains("already loaded; nothing was added"),
        "{stdout}"
    );
    // The scale data come with the demo, once: a later run adds none.
    let (ok, stdout, _) = run(&["demo", "--scale", "100"], None);
    assert!(ok, "{stdout}");
    assert_eq!(
        stdout.trim(),
        "The demo data are already loaded; nothing was added.",
        "no scale data after the demo declined"
    );

    let create = |email: &str, role: &str, password: &str| {
        run(
            &[
                "user",
                "create",
                "--email",
                email,
                "--role",
                role,
                "--password-stdin",
            ],
            Some(password),
        )
    };
    let (ok, stdout, stderr) = create("New@Example.com", "viewer", "long enough pw\n");
    assert!(ok, "{stderr}");
    assert!(stdout.contains("new@example.com"), "{stdout}");
    let (ok, _, stderr) = create("new@example.com", "viewer", "long enough pw\n");
    assert!(!ok);
    assert!(stderr.contains("already exists"), "{stderr}");
    let (ok, _, stderr) = create("c@example.com", "customer", "short\n");
    assert!(!ok);
    assert!(
        stderr.contains("password: Use at least 10 characters"),
        "{stderr}"
    );
    assert!(stderr.contains("customer_id:"), "{stderr}");
    let (ok, _, stderr) = create("c@example.com", "boss", "long enough pw\n");
    assert!(!ok);
    assert!(stderr.contains("unknown role `boss`"), "{stderr}");
}

#[test]
fn passwords_never_go_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("users.db").display());
    // The old flag is gone: a password in the argument list is visible to every local user.
    let (ok, _, stderr) = run_with(
        &url,
        &[
            "user",
            "create",
            "--email",
            "a@example.com",
            "--password",
            "long enough pw",
            "--role",
            "viewer",
        ],
        None,
    );
    assert!(!ok);
    assert!(stderr.contains("--password"), "{stderr}");
    // Without a terminal and without --password-stdin it says what to do.
    let (ok, _, stderr) = run_with(
        &url,
        &[
            "user",
            "create",
            "--email",
            "a@example.com",
            "--role",
            "viewer",
        ],
        Some("long enough pw\n"),
    );
    assert!(!ok);
    assert_one_line_error(stderr.trim(), "--password-stdin");
    let (ok, _, stderr) = run_with(
        &url,
        &[
            "user",
            "create",
            "--email",
            "a@example.com",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        None,
    );
    assert!(!ok);
    assert_one_line_error(stderr.trim(), "no password on standard input");
    // The password is the whole first line, spaces included.
    let (ok, _, stderr) = run_with(
        &url,
        &[
            "user",
            "create",
            "--email",
            "a@example.com",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        Some(" spaced password \r\nsecond line\n"),
    );
    assert!(ok, "{stderr}");
}

#[test]
fn help_does_not_print_the_database_url() {
    let output = Command::new(env!("CARGO_BIN_EXE_creditdesk"))
        .arg("--help")
        .env(
            "DATABASE_URL",
            "postgres://creditdesk:hunter2@db.example/creditdesk",
        )
        .env("CREDITDESK_TRUSTED_PROXY", "10.0.0.0/8")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("DATABASE_URL"), "{help}");
    assert!(!help.contains("hunter2"), "{help}");
    assert!(help.contains("--trusted-proxy"), "{help}");
    assert!(!help.contains("--password <"), "{help}");
}

#[test]
fn purge_says_what_it_removed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("purge.db").display());
    let (ok, stdout, stderr) = run_with(&url, &["purge"], None);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("removed 0 expired sessions, 0 expired or revoked API tokens"),
        "{stdout}"
    );
}

/// Serves on `addr` with `extra` flags, signs a user in and answers the session cookie.
fn session_cookie_when_serving(addr: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("cookies.db").display());
    let (ok, _, stderr) = run_with(
        &url,
        &[
            "user",
            "create",
            "--email",
            "ann@example.com",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        Some("long enough pw\n"),
    );
    assert!(ok, "{stderr}");
    let port = addr.rsplit_once(':').unwrap().1;
    let mut child = Command::new(env!("CARGO_BIN_EXE_creditdesk"))
        .args(["--database-url", &url, "--addr", addr])
        .args(extra)
        .env("RUST_LOG", "off")
        .env_remove("CREDITDESK_SECURE_COOKIES")
        .spawn()
        .expect("start creditdesk");
    let local = format!("127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(&local).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let cookie = runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(format!("http://{local}/rpc/login"))
            .form(&[("email", "ann@example.com"), ("password", "long enough pw")])
            .send()
            .await
            .unwrap();
        // The session cookie; the device cookie beside it follows the same rule.
        let cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap().to_string())
            .collect();
        let session = cookies
            .iter()
            .find(|cookie| cookie.starts_with("creditdesk_session="))
            .cloned()
            .unwrap_or_default();
        if let Some(device) = cookies
            .iter()
            .find(|cookie| cookie.starts_with("creditdesk_device="))
        {
            assert_eq!(
                device.contains("Secure"),
                session.contains("Secure"),
                "{device} beside {session}"
            );
        }
        session
    });
    let _ = child.kill();
    let _ = child.wait();
    cookie
}

#[test]
fn session_cookies_are_secure_unless_the_site_is_on_loopback() {
    let everywhere = session_cookie_when_serving(&format!("0.0.0.0:{}", free_port()), &[]);
    assert!(
        everywhere.starts_with("creditdesk_session="),
        "{everywhere}"
    );
    assert!(everywhere.contains("Secure"), "{everywhere}");
    let overridden = session_cookie_when_serving(
        &format!("0.0.0.0:{}", free_port()),
        &["--secure-cookies=false"],
    );
    assert!(
        overridden.starts_with("creditdesk_session="),
        "{overridden}"
    );
    assert!(!overridden.contains("Secure"), "{overridden}");
    let loopback = session_cookie_when_serving(&format!("127.0.0.1:{}", free_port()), &[]);
    assert!(loopback.starts_with("creditdesk_session="), "{loopback}");
    assert!(!loopback.contains("Secure"), "{loopback}");
}

/// `demo` never writes into a database that holds someone else's data.
#[test]
fn demo_refuses_a_database_it_did_not_fill() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("books.db").display());
    let (ok, _, stderr) = run_with(
        &url,
        &[
            "user",
            "create",
            "--email",
            "owner@firm.example",
            "--role",
            "administrator",
            "--password-stdin",
        ],
        Some("a long enough password"),
    );
    assert!(ok, "{stderr}");
    // A customer of the firm's own, written as any client would.
    let (ok, stdout, stderr) = run_with(&url, &["migrate"], None);
    assert!(ok, "{stdout}{stderr}");
    let db_path = dir.path().join("books.db");
    let connection = format!("sqlite:{}", db_path.display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut db = sqlx::SqliteConnection::connect(&connection).await.unwrap();
        sqlx::query("INSERT INTO customers (name, currency, tax_region, created_at) VALUES ('Firm client', 'EUR', 'FR', '2026-01-01T00:00:00Z')")
            .execute(&mut db)
            .await
            .unwrap();
    });
    let (ok, stdout, stderr) = run_with(&url, &["demo", "--scale", "100"], None);
    assert!(!ok, "{stdout}");
    assert!(
        stderr.contains("holds data the demo did not write"),
        "{stderr}"
    );
}

#[tokio::test]
async fn audit_passes_on_the_demo_and_names_a_tampered_figure() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("audit.db").display());
    assert!(run_with(&url, &["demo"], None).0);
    let (ok, stdout, stderr) = run_with(&url, &["audit"], None);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.trim_end().ends_with(": 0 violations"), "{stdout}");
    // The demo's notes and entries are sealed as they were written.
    let (ok, stdout, stderr) = run_with(&url, &["verify"], None);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.contains("Credit notes 2026: ") && stdout.contains("Journal VT: "),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("Every seal holds."), "{stdout}");

    // A refund that no refund row explains: what a half-applied write would leave.
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query(
        "UPDATE credit_notes SET refunded_minor = refunded_minor + 1 \
         WHERE id = (SELECT MIN(id) FROM credit_notes WHERE status = 'available')",
    )
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();
    let (ok, stdout, stderr) = run_with(&url, &["audit"], None);
    assert!(!ok);
    assert!(
        stdout.contains(": refunded_equals_refunds (refunded "),
        "{stdout}"
    );
    // The books no longer agree either: the journal still holds the cent for the customer.
    assert!(
        stdout.contains(": customer_credit_agrees_with_notes (the journal's customer credit is "),
        "{stdout}"
    );
    assert!(stdout.contains(": 2 violations"), "{stdout}");
    assert_eq!(stderr.trim(), "creditdesk: 2 violations");
}
