//! The `creditdesk` binary fails with one clear line, not a panic, when it cannot start.

use std::process::Command;

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

#[test]
fn demo_loads_once_and_user_create_checks_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("demo.db").display());
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_creditdesk"))
            .args(["--database-url", &url])
            .args(args)
            .env("RUST_LOG", "off")
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).to_string(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    let (ok, stdout, _) = run(&["demo"]);
    assert!(ok);
    assert!(stdout.contains("admin@creditdesk.example"), "{stdout}");
    let (ok, stdout, _) = run(&["demo"]);
    assert!(ok);
    assert!(stdout.contains("not loaded again"), "{stdout}");

    let (ok, stdout, stderr) = run(&[
        "user",
        "create",
        "--email",
        "New@Example.com",
        "--password",
        "long enough pw",
        "--role",
        "viewer",
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("new@example.com"), "{stdout}");
    let (ok, _, stderr) = run(&[
        "user",
        "create",
        "--email",
        "new@example.com",
        "--password",
        "long enough pw",
        "--role",
        "viewer",
    ]);
    assert!(!ok);
    assert!(stderr.contains("already exists"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "user",
        "create",
        "--email",
        "c@example.com",
        "--password",
        "short",
        "--role",
        "customer",
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("password: Use at least 10 characters"),
        "{stderr}"
    );
    assert!(stderr.contains("customer_id:"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "user",
        "create",
        "--email",
        "c@example.com",
        "--password",
        "long enough pw",
        "--role",
        "boss",
    ]);
    assert!(!ok);
    assert!(stderr.contains("unknown role `boss`"), "{stderr}");
}
