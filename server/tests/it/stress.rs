//! The short stress run, on SQLite and PostgreSQL: 32 API clients do random operations (link,
//! unlink, refund, payment, mark paid, mark pending, finalize, edit) at once, then the ledger
//! audit must find nothing. The long run is `bench/src/bin/stress.rs`.

use crate::common;

use app::domain::Role;
use creditdesk_bench::api::Api;
use creditdesk_bench::stress::{self, StressConfig, WorldSize};

use common::{TestApp, user};

const SIZE: WorldSize = WorldSize {
    customers: 4,
    invoices: 3,
    notes: 5,
    drafts: 3,
};

async fn stress_and_audit(app: &TestApp, servers: &[String]) {
    user(
        &app.db.services(),
        "stress@test.example",
        Role::CreditManager,
        None,
    )
    .await;
    let token = app.token("stress@test.example").await;
    let apis: Vec<Api> = servers.iter().map(|base| Api::new(base, &token)).collect();
    let world = stress::build_world(&apis[0], SIZE, "short").await.unwrap();
    let config = StressConfig {
        clients: 32,
        operations: 12,
        seed: 7,
        expect_outages: false,
    };
    let report = stress::run(&apis, world, config).await;
    println!("{}", report.table());
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    let total = report.total();
    assert!(
        total.ok > 0 && total.refused > 0,
        "both outcomes happen: {total:?}"
    );
    for operation in ["link", "unlink", "payment", "refund", "finalize", "edit"] {
        assert!(
            report.operations.get(operation).is_some_and(|c| c.ok > 0),
            "{operation} succeeded at least once: {}",
            report.table()
        );
    }

    let audit = app.db.services().audit_ledger().await.unwrap();
    assert_eq!(audit.findings, vec![], "the audit holds after the run");
    // The audit looked at every note, and at exactly the allocations the clients were told
    // exist: every 2xx link showed its allocations, every 2xx unlink removed one (no outages
    // here, so every request was answered). Zero is a legitimate outcome when unlinks caught up.
    assert_eq!(
        audit.credit_notes,
        SIZE.customers * (SIZE.notes + SIZE.drafts)
    );
    assert_eq!(
        audit.allocations,
        report.journal.allocations_seen.len() - report.journal.unlinked.len(),
        "allocations seen {:?}, unlinked {:?}",
        report.journal.allocations_seen,
        report.journal.unlinked
    );
    let missing = stress::verify_journal(&app.db.url, &report.journal)
        .await
        .unwrap();
    assert_eq!(missing, Vec::<String>::new());
}

on_both_backends! {
    async fn random_operations_from_32_clients_keep_every_invariant(db) {
        let app = TestApp::spawn(db).await;
        stress_and_audit(&app, std::slice::from_ref(&app.address)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgresql_keep_every_invariant() {
    let app = TestApp::spawn(common::TestDatabase::create(common::Backend::Postgres).await).await;
    let second = app.second_server().await;
    stress_and_audit(&app, &[app.address.clone(), second]).await;
}
