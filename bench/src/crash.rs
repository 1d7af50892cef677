//! Crash safety: the stress run against a server process that is killed with SIGKILL several
//! times while it works, and started again. Afterwards every acknowledged effect must be in the
//! database ([`crate::stress::verify_journal`]) and the ledger audit must hold, so nothing
//! unacknowledged was half applied.

use std::path::PathBuf;
use std::time::Duration;

use crate::server::{ServerProcess, free_addr};
use crate::stress::{self, StressConfig, StressReport, WorldSize};

pub struct CrashConfig {
    pub binary: PathBuf,
    pub database_url: String,
    pub world: WorldSize,
    pub stress: StressConfig,
    pub kills: usize,
    /// Between a restart and the next kill.
    pub interval: Duration,
}

pub struct CrashReport {
    pub stress: StressReport,
    /// Kills that happened while clients were still working.
    pub kills: usize,
    /// Acknowledged effects not found afterwards.
    pub missing: Vec<String>,
    pub audit_passed: bool,
    /// What `creditdesk audit` printed.
    pub audit: String,
}

const EMAIL: &str = "crash.test@creditdesk.example";
const PASSWORD: &str = "crash-test-password";

pub async fn run(config: CrashConfig) -> Result<CrashReport, String> {
    let mut server =
        ServerProcess::start(&config.binary, &config.database_url, free_addr()).await?;
    server.ensure_seller().await?;
    let api = server.credit_manager(EMAIL, PASSWORD).await?;
    let tag = format!("crash {}", config.stress.seed);
    let world = stress::build_world(&api, config.world, &tag).await?;

    let clients = tokio::spawn({
        let api = api.clone();
        let stress = config.stress;
        async move { stress::run(&[api], world, stress).await }
    });
    let mut kills = 0;
    while kills < config.kills && !clients.is_finished() {
        tokio::time::sleep(config.interval).await;
        if clients.is_finished() {
            break;
        }
        server.kill().await;
        kills += 1;
        server.restart().await?;
    }
    let report = clients
        .await
        .map_err(|e| format!("the clients panicked: {e}"))?;
    let missing = stress::verify_journal(&config.database_url, &report.journal).await?;
    server.kill().await;
    let (audit_passed, audit) = server.command(&["audit"], None).await;
    Ok(CrashReport {
        stress: report,
        kills,
        missing,
        audit_passed,
        audit,
    })
}
