//! Tamper evidence on SQLite and PostgreSQL: every finalized credit note is sealed in a chain
//! per year, and `verify` names each note changed, removed or unsealed behind the server's back.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::json;

/// `creditdesk verify` on the test's database: whether it passed, and what it printed.
fn verify_command(url: &str) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_creditdesk"))
        .args(["--database-url", url, "verify"])
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

on_both_backends! {
    async fn verify_names_each_note_changed_removed_or_unsealed_behind_the_servers_back(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        // What the server does at start-up: nothing was finalized before seals existed.
        assert_eq!(services.seal_legacy_credit_notes().await.unwrap(), 0);
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let (status, december) = admin
            .post("/credit-notes", json!({"customer_id": customer, "currency": "EUR", "date": "2025-12-30",
                "lines": [{"description": "Late return", "quantity": "1", "unit_price": "7.00", "tax_rate": "0"}]}))
            .await;
        assert_eq!(status, 201, "{december}");
        // Finalized on its day by a server of last December: the 2025 chain.
        let december_noon = "2025-12-30T12:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        let last_year = server::services::Services::with_clock(app.db.storage.clone(), std::sync::Arc::new(server::services::ManualClock::new(december_noon)))
            .with_printer(common::test_printer());
        let note = last_year.finalize_credit_note(server::services::Caller::CommandLine, december["id"].as_i64().unwrap()).await.unwrap();
        assert_eq!(note.number.as_deref(), Some("CN-2025-00001"));
        let mut notes = Vec::new();
        for price in ["10.00", "20.00", "30.00", "40.00"] {
            notes.push(admin.note(customer, "EUR", price).await["id"].as_i64().unwrap());
        }

        let report = services.verify_seals().await.unwrap();
        assert_eq!(report.broken, vec![]);
        let chains: Vec<(&str, u64)> = report.chains.iter().map(|chain| (chain.name.as_str(), chain.links)).collect();
        assert_eq!(&chains[..2], &[("Credit notes 2025", 1), ("Credit notes 2026", 4)]);
        assert!(report.chains.iter().all(|chain| chain.head.len() == 64));
        let head = report.chains[1].head.clone();

        // Using a note is not changing it: allocations and refunds are not sealed.
        let (status, body) = admin.post(&format!("/credit-notes/{}/refunds", notes[0]), json!({"amount": "4.00", "date": "2026-11-06", "method": "bank_transfer"})).await;
        assert_eq!(status, 201, "{body}");
        let report = services.verify_seals().await.unwrap();
        assert_eq!((report.broken.len(), report.chains[1].head.clone()), (0, head.clone()));
        let (ok, stdout) = verify_command(&app.db.url);
        assert!(ok, "{stdout}");
        assert!(stdout.contains(&format!("Credit notes 2026: 4 sealed, last seal {head}")), "{stdout}");

        // A price edited in the database is caught at that note, and only there.
        app.db.behind_the_back(&format!("UPDATE credit_note_lines SET unit_price_minor = 2500 WHERE credit_note_id = {}", notes[1])).await;
        let report = services.verify_seals().await.unwrap();
        let broken: Vec<&str> = report.broken.iter().map(|link| link.number.as_str()).collect();
        assert_eq!(broken, vec!["CN-2026-00002"], "{report:?}");
        assert!(report.broken[0].problem.contains("changed after it was finalized"));
        let (ok, stdout) = verify_command(&app.db.url);
        assert!(!ok);
        assert!(stdout.starts_with("CN-2026-00002: its seal does not match"), "{stdout}");

        // A seal copied from elsewhere to hide it does not help: the next link breaks.
        app.db.behind_the_back(&format!(
            "UPDATE credit_notes SET seal = (SELECT seal FROM credit_notes WHERE id = {}) WHERE id = {}", notes[2], notes[1]
        )).await;
        let broken: Vec<String> = services.verify_seals().await.unwrap().broken.into_iter().map(|link| link.number).collect();
        assert_eq!(broken, vec!["CN-2026-00002", "CN-2026-00003"]);

        // A note turned back into a draft (its journal entry keeps it from being deleted) and
        // an unsealed one are named too.
        app.db.behind_the_back(&format!(
            "UPDATE credit_notes SET status = 'draft', number = NULL, seal = NULL, refunded_minor = 0 WHERE id = {}; \
             UPDATE credit_notes SET seal = NULL WHERE number = 'CN-2025-00001'", notes[0]
        )).await;
        let report = services.verify_seals().await.unwrap();
        let broken: Vec<(&str, &str)> = report.broken.iter().map(|link| (link.number.as_str(), link.problem.as_str())).collect();
        assert_eq!(broken[0], ("CN-2025-00001", "it has no seal"));
        assert_eq!(broken[1], ("CN-2026-00002", "CN-2026-00001 before it is missing"));
        assert!(broken.len() >= 3, "{broken:?}");

        // Starting the server again does not re-seal anything: the legacy backfill ran once.
        let (ok, stdout) = verify_command(&app.db.url);
        assert!(!ok && stdout.starts_with("CN-2025-00001: it has no seal"), "{stdout}");
    }

    async fn notes_finalized_before_seals_existed_are_sealed_once_at_start_up(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        assert_eq!(services.seal_legacy_credit_notes().await.unwrap(), 0);
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        for price in ["10.00", "20.00", "30.00"] {
            admin.note(customer, "EUR", price).await;
        }
        let sealed = services.verify_seals().await.unwrap();
        // As the database looked before the migration that added seals.
        app.db.behind_the_back("UPDATE credit_notes SET seal = NULL; INSERT INTO pending_backfills (name) VALUES ('credit_note_seals')").await;
        assert_eq!(services.verify_seals().await.unwrap().broken.len(), 3);
        let (ok, stdout) = verify_command(&app.db.url);
        assert!(ok, "the first start seals them: {stdout}");
        let resealed = services.verify_seals().await.unwrap();
        assert_eq!(resealed, sealed, "the same seals as when they were finalized");
    }

    // A seal covers everything the note prints or exports (seal version 2): its project, its
    // external reference and each line's ship date, changed behind the server's back, break the
    // chain at that note; so does passing a seal off as version 1, which covered less.
    async fn a_seal_covers_what_the_note_prints_and_keeps_its_version(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let mut notes = Vec::new();
        for price in ["10.00", "20.00", "30.00", "40.00", "50.00"] {
            notes.push(admin.note(customer, "EUR", price).await["id"].as_i64().unwrap());
        }
        assert_eq!(services.verify_seals().await.unwrap().broken, vec![]);
        app.db.behind_the_back(&format!(
            "UPDATE credit_notes SET project = 'P-99' WHERE id = {}; \
             UPDATE credit_notes SET external_reference = 'OLD-7' WHERE id = {}; \
             UPDATE credit_note_lines SET ship_date = '2026-01-15' WHERE credit_note_id = {}; \
             UPDATE credit_notes SET seal_version = 1 WHERE id = {};",
            notes[0], notes[1], notes[2], notes[3]
        )).await;
        let broken: Vec<String> = services.verify_seals().await.unwrap().broken.into_iter().map(|link| link.number).collect();
        assert_eq!(broken, ["CN-2026-00001", "CN-2026-00002", "CN-2026-00003", "CN-2026-00004"]);
    }
}

on_both_backends! {
    // CGI art. 289 and Code de commerce art. L123-22: what an issued document prints is frozen
    // when it is issued, and a credit note's seal covers it (version 4); the PDF made from it
    // is kept with its own SHA-256 and served ever after, whatever the customer became. A
    // print or a kept PDF changed behind the server's back breaks the chain at that note.
    async fn an_issued_document_prints_as_issued_and_verify_names_a_changed_print(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let invoice = admin.invoice(customer, "EUR", "100.00").await;
        let mut notes = Vec::new();
        for price in ["10.00", "20.00", "30.00"] {
            notes.push(admin.note(customer, "EUR", price).await["id"].as_i64().unwrap());
        }
        let text = |bytes: Vec<u8>| common::pdf_text(&bytes);
        let invoice_pdf = format!("/invoices/{}/pdf", invoice["id"]);
        let first = admin.file(&invoice_pdf).await.2;
        assert!(text(first.clone()).contains("Acme"));
        // Renamed since (customers are not edited yet; as the database would hold it): the
        // documents issued to it still say what they said.
        app.db.behind_the_back(&format!("UPDATE customers SET name = 'Acme Renamed' WHERE id = {customer}")).await;
        assert_eq!(admin.file(&invoice_pdf).await.2, first, "the same file");
        for id in &notes {
            let printed = text(admin.file(&format!("/credit-notes/{id}/pdf")).await.2);
            assert!(printed.contains("Acme") && !printed.contains("Renamed"), "{printed}");
        }
        assert_eq!(services.verify_seals().await.unwrap().broken, vec![]);

        // The database itself refuses to change a print or to replace a kept PDF.
        for sql in [
            format!("UPDATE issued_prints SET data = '{{}}' WHERE credit_note_id = {}", notes[0]),
            format!("UPDATE issued_prints SET pdf = NULL, pdf_sha256 = NULL WHERE credit_note_id = {}", notes[0]),
            format!("DELETE FROM issued_prints WHERE credit_note_id = {}", notes[0]),
            "UPDATE print_assets SET content = content".to_string(),
        ] {
            let refused = app.db.try_behind_the_back(&sql).await;
            assert!(refused.as_ref().unwrap_err().contains("kept as issued"), "{sql}: {refused:?}");
        }
        // Someone who drops the guard is named by verify.
        let drop_guard = if app.db.is_sqlite() {
            "DROP TRIGGER issued_prints_no_update"
        } else {
            "DROP TRIGGER issued_prints_kept ON issued_prints"
        };
        app.db.behind_the_back(drop_guard).await;
        app.db.behind_the_back(&format!("UPDATE issued_prints SET data = replace(data, 'Acme', 'Acne') WHERE credit_note_id = {}", notes[0])).await;
        app.db.behind_the_back(&format!("UPDATE issued_prints SET pdf_sha256 = '{}' WHERE credit_note_id = {}", "0".repeat(64), notes[1])).await;
        let report = services.verify_seals().await.unwrap();
        let broken: Vec<(&str, &str)> = report.broken.iter().map(|link| (link.number.as_str(), link.problem.as_str())).collect();
        assert_eq!(broken, [
            ("CN-2026-00001", "what it prints was changed after it was finalized"),
            ("CN-2026-00002", "its kept PDF was changed after it was rendered"),
        ]);
    }
}

on_both_backends! {
    // Code de commerce art. L123-22: invoices issued here are sealed in a chain per year, as
    // credit notes are; one changed behind the server's back is named by `verify`. Invoices
    // issued by another system (imported) are not in it. Those issued before invoices were
    // sealed are sealed once, at start-up, as they are.
    async fn invoices_are_sealed_in_a_chain_and_verify_names_a_changed_one(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        assert_eq!(services.seal_legacy_invoices().await.unwrap(), 0, "a new database has none");
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let mut invoices = Vec::new();
        for price in ["10.00", "20.00", "30.00"] {
            invoices.push(admin.invoice(customer, "EUR", price).await["id"].as_i64().unwrap());
        }
        let (status, imported) = admin
            .post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-11-01", "number": "ERP-1",
                "lines": [{"description": "Chairs", "quantity": "1", "unit_price": "10.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!((status, imported["imported"].as_bool()), (201, Some(true)), "{imported}");
        let sealed = services.verify_seals().await.unwrap();
        assert_eq!(sealed.broken, vec![]);
        let chain = sealed.chains.iter().find(|chain| chain.name == "Invoices 2026").expect("a chain of 2026's invoices");
        assert_eq!(chain.links, 3, "the imported invoice is not in it");

        // As the database looked before invoices were sealed.
        app.db.behind_the_back("UPDATE invoices SET seal = NULL; INSERT INTO pending_backfills (name) VALUES ('invoice_seals')").await;
        assert_eq!(services.verify_seals().await.unwrap().broken.len(), 3);
        assert_eq!(services.seal_legacy_invoices().await.unwrap(), 3);
        assert_eq!(services.verify_seals().await.unwrap(), sealed, "the same seals as when they were issued");

        app.db.behind_the_back(&format!("UPDATE invoice_lines SET unit_price_minor = 999 WHERE invoice_id = {}", invoices[1])).await;
        let report = services.verify_seals().await.unwrap();
        let broken: Vec<&str> = report.broken.iter().map(|link| link.number.as_str()).collect();
        assert_eq!(broken, ["INV-2026-00002"], "{report:?}");
        assert!(report.broken[0].problem.contains("changed after it was issued"), "{report:?}");
    }
}

on_both_backends! {
    // CGI annexe II art. 242 nonies A, I-7°: "un numéro unique basé sur une séquence
    // chronologique et continue". A note is dated and numbered the day it is finalized: one
    // drafted in December and finalized in January takes January's date and the new year's
    // series, and no note is numbered after one of its series dated later.
    async fn a_note_is_dated_and_numbered_the_day_it_is_finalized(db) {
        use std::sync::Arc;
        use server::services::{Caller, ManualClock, Services};
        let at = |text: &str| text.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        let clock = Arc::new(ManualClock::new(at("2026-12-31T23:00:00Z")));
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let draft = |date: &'static str| {
            let api = &api;
            async move {
                let (status, draft) = api.post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": date,
                    "lines": [{"description": "Return", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]})).await;
                assert_eq!(status, 201, "{draft}");
                draft["id"].as_i64().unwrap()
            }
        };
        let finalize = |id: i64| {
            let api = &api;
            async move { api.post(&format!("/credit-notes/{id}/finalize"), json!({})).await }
        };
        let (december, late, third, fourth) = (draft("2026-12-15").await, draft("2026-12-20").await, draft("2026-12-21").await, draft("2026-12-22").await);

        let (status, note) = finalize(december).await;
        assert_eq!((status, note["number"].as_str(), note["date"].as_str()), (200, Some("CN-2026-00001"), Some("2026-12-31")), "{note}");
        clock.advance(chrono::Duration::hours(2));
        let (status, note) = finalize(late).await;
        assert_eq!((status, note["number"].as_str(), note["date"].as_str()), (200, Some("CN-2027-00001"), Some("2027-01-01")),
            "drafted in 2026, finalized in 2027: {note}");

        // Another server whose clock runs two days ahead numbers the next one…
        let ahead = Arc::new(ManualClock::new(at("2027-01-03T01:00:00Z")));
        let other = Services::with_clock(app.db.storage.clone(), ahead).with_printer(common::test_printer());
        let note = other.finalize_credit_note(Caller::CommandLine, third).await.unwrap();
        assert_eq!((note.number.as_deref(), note.date.to_string()), (Some("CN-2027-00002"), "2027-01-03".to_string()));
        // …so this one, dated 2027-01-01, may not follow it; and the refusal takes no number.
        let (status, problem) = finalize(fourth).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("numbering_out_of_order")), "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("CN-2027-00002 is dated 2027-01-03"), "{problem}");
        clock.advance(chrono::Duration::days(2));
        let (status, note) = finalize(fourth).await;
        assert_eq!((status, note["number"].as_str(), note["date"].as_str()), (200, Some("CN-2027-00003"), Some("2027-01-03")), "{note}");
        let (passed, report) = verify_command(&app.db.url);
        assert!(passed, "the chains stay whole: {report}");
    }
}
