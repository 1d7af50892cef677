//! A `creditdesk` server as a child process, which the crash runs kill with SIGKILL and start
//! again on the same port and database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::api::Api;

pub struct ServerProcess {
    binary: PathBuf,
    database_url: String,
    addr: SocketAddr,
    child: Option<Child>,
}

/// A free port on loopback (free when asked; the server binds it right after).
pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
}

impl ServerProcess {
    /// Starts `binary serve` on `addr` and waits until it answers.
    pub async fn start(
        binary: impl Into<PathBuf>,
        database_url: &str,
        addr: SocketAddr,
    ) -> Result<ServerProcess, String> {
        let mut server = ServerProcess {
            binary: binary.into(),
            database_url: database_url.to_string(),
            addr,
            child: None,
        };
        server.restart().await?;
        Ok(server)
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs `binary ARGS` against the same database (demo, audit, user create) and returns
    /// whether it succeeded and what it printed.
    pub async fn command(&self, args: &[&str], stdin: Option<&str>) -> (bool, String) {
        use tokio::io::AsyncWriteExt;
        let child = Command::new(&self.binary)
            .args(["--database-url", &self.database_url])
            .args(args)
            .env("RUST_LOG", "off")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(error) => return (false, format!("cannot run {:?}: {error}", self.binary)),
        };
        if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
            let _ = input.write_all(text.as_bytes()).await;
        }
        drop(child.stdin.take());
        match child.wait_with_output().await {
            Ok(output) => (
                output.status.success(),
                format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ),
            ),
            Err(error) => (false, error.to_string()),
        }
    }

    /// Gives the desk a seller that may issue documents (name, address, VAT number, legal form,
    /// share capital, SIREN, RCS city: nothing is issued without them), saved by an
    /// administrator created with the CLI. A new database has none.
    pub async fn ensure_seller(&self) -> Result<(), String> {
        let admin = self
            .user(
                "proof.admin@creditdesk.example",
                "proof-admin-password",
                "administrator",
            )
            .await?;
        admin
            .expect(
                reqwest::Method::PUT,
                "/settings/seller",
                Some(serde_json::json!({
                    "name": "Maison Essai SAS", "vat_id": "FR44732829320",
                    "address": {"line1": "12 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"},
                    "legal_identity": {"legal_form": "SAS", "share_capital": "10 000,00 EUR",
                        "siren": "732829320", "siret": "73282932000074", "rcs_city": "Paris"}
                })),
            )
            .await?;
        Ok(())
    }

    /// Creates a credit manager with the CLI (unless it exists) and signs in as them.
    pub async fn credit_manager(&self, email: &str, password: &str) -> Result<Api, String> {
        self.user(email, password, "credit_manager").await
    }

    /// Creates a user of `role` with the CLI (unless it exists) and signs in as them.
    async fn user(&self, email: &str, password: &str, role: &str) -> Result<Api, String> {
        let (created, output) = self
            .command(
                &[
                    "user",
                    "create",
                    "--email",
                    email,
                    "--role",
                    role,
                    "--password-stdin",
                ],
                Some(&format!("{password}\n")),
            )
            .await;
        if !created && !output.contains("already exists") {
            return Err(format!("cannot create the user {email}: {output}"));
        }
        Api::sign_in(&self.base_url(), email, password).await
    }

    /// SIGKILL: no shutdown, no flush, whatever the server was doing.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }

    /// Starts the server (again) and waits up to 30 s for it to answer.
    pub async fn restart(&mut self) -> Result<(), String> {
        self.kill().await;
        let child = Command::new(&self.binary)
            .args(["--database-url", &self.database_url])
            .args(["--addr", &self.addr.to_string(), "serve"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", self.binary))?;
        self.child = Some(child);
        let probe = reqwest::Client::new();
        let url = format!("{}/api/v1/openapi.json", self.base_url());
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(response) = probe.get(&url).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                return Err(format!("the server exited at start: {status}"));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Err(format!("the server did not answer at {url} within 30 s"))
    }
}
