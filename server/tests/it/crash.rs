//! The short crash run, on SQLite and PostgreSQL: the real `creditdesk` binary is killed with
//! SIGKILL three times while 16 clients work; every acknowledged operation must be there
//! afterwards and the ledger audit must hold. The long run is `bench/src/bin/crash.rs`.

use std::time::Duration;

use creditdesk_bench::crash::{self, CrashConfig};
use creditdesk_bench::stress::{StressConfig, WorldSize};

use crate::common::{Backend, TestDatabase};

async fn crash_and_check(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    // The test's own connections would hold the SQLite file's WAL open: let the server own it.
    db.storage.close().await;
    let report = crash::run(CrashConfig {
        binary: env!("CARGO_BIN_EXE_creditdesk").into(),
        database_url: db.url.clone(),
        world: WorldSize {
            customers: 3,
            invoices: 3,
            notes: 5,
            drafts: 4,
        },
        stress: StressConfig {
            clients: 16,
            operations: 40,
            seed: 11,
            expect_outages: true,
        },
        kills: 3,
        interval: Duration::from_millis(300),
    })
    .await
    .unwrap();
    println!("{} kills\n{}", report.kills, report.stress.table());
    assert!(
        report.stress.failures.is_empty(),
        "{:#?}",
        report.stress.failures
    );
    let total = report.stress.total();
    assert!(
        report.kills > 0 && total.unanswered > 0,
        "the server died under load: {total:?}"
    );
    assert!(total.ok > 0, "{total:?}");
    assert_eq!(
        report.missing,
        Vec::<String>::new(),
        "acknowledged effects survive"
    );
    assert!(report.audit_passed, "{}", report.audit);
    assert!(report.audit.contains(": 0 violations"), "{}", report.audit);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_operations_survive_sigkill_on_sqlite() {
    crash_and_check(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_operations_survive_sigkill_on_postgres() {
    crash_and_check(Backend::Postgres).await;
}
