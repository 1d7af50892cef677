//! The scale data (`creditdesk demo --scale N`): written by set-based statements, they must
//! still be a ledger the services accept as their own: the audit finds nothing, lists page
//! through them, a link and a finalization on top of them keep every rule, and a second run
//! adds above the first. On SQLite and PostgreSQL.

use crate::common;

use app::domain::Role;
use common::{ApiClient, TestApp};
use serde_json::{Value, json};
use server::storage::scale::ScalePlan;

fn ids(items: &Value) -> Vec<i64> {
    items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

on_both_backends! {
    async fn scale_data_keep_every_ledger_rule_and_the_services_build_on_them(db) {
        let app = TestApp::spawn(db).await;
        let api = ApiClient::new(&app, Role::CreditManager).await;
        let plan = ScalePlan::new(6_000).unwrap();
        let seeded = app.db.services().seed_scale(&plan).await.unwrap();
        assert_eq!(
            (seeded.customers, seeded.invoices, seeded.credit_notes),
            (60, 1_500, 6_000)
        );
        let report = app.db.services().audit_ledger().await.unwrap();
        assert_eq!(report.credit_notes, 6_000);
        assert!(report.findings.is_empty(), "{:?}", report.findings);

        // The big customer's available notes, 50 to a page, then the next page.
        let big = seeded.big_customer_id;
        let (status, first) = api.get(&format!("/credit-notes?customer_id={big}&status=available&limit=50")).await;
        assert_eq!(status, 200, "{first}");
        let first_ids = ids(&first);
        assert_eq!(first_ids.len(), 50);
        assert!(first["items"].as_array().unwrap().iter().all(|n| n["customer_id"] == big && n["status"] == "available"));
        let cursor = first["next_cursor"].as_str().expect("a next page");
        let (_, second) = api.get(&format!("/credit-notes?customer_id={big}&status=available&limit=50&cursor={cursor}")).await;
        assert!(ids(&second).iter().all(|id| id > first_ids.last().unwrap()));
        let (_, by_prefix) = api.get("/credit-notes?number=CN-2025-0001&limit=50").await;
        assert_eq!(by_prefix["items"].as_array().unwrap().len(), 10, "CN-2025-00010 … 00019: {by_prefix}");

        // The big customer's 3,000 notes hold 1,200 available ones: the link dialog gets them
        // all, past the 1,000 ids one query binds.
        let invoice = seeded.big_customer_invoice_id;
        let viewer = common::staff(Role::Viewer);
        let page = app.db.services().invoice_page(&viewer, invoice, true).await.unwrap();
        assert_eq!(page.candidates.len(), 1_200);
        assert!(page.candidates.iter().all(|note| note.customer_id == big));
        let mut tx = app.db.storage.read().await.unwrap();
        let notes = tx
            .customer_credit_notes(big, Some(app::domain::CreditNoteStatus::Available), server::storage::Page::ALL)
            .await
            .unwrap();
        assert_eq!(notes.len(), 1_200);
        assert!(notes.iter().all(|note| note.lines.len() == 1), "each note's line, in every chunk of ids");
        drop(tx);

        // Linking a whole scale note to the big customer's open invoice.
        let (_, before) = api.get(&format!("/invoices/{invoice}")).await;
        let untouched = first["items"].as_array().unwrap().iter()
            .find(|n| n["allocated_amount"] == "0.00")
            .expect("an available note with nothing linked yet");
        let (status, linked) = api
            .post(&format!("/invoices/{invoice}/allocations"), json!({"allocations": [{"credit_note_id": untouched["id"]}]}))
            .await;
        assert_eq!(status, 201, "{linked}");
        let fell: rust_decimal::Decimal = before["outstanding"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()
            - linked["outstanding"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(fell.to_string(), untouched["total"].as_str().unwrap());

        // A note finalized now continues its year's numbers; a second run adds above the first.
        let (_, draft) = api
            .post("/credit-notes", json!({"customer_id": big, "currency": "EUR", "date": "2025-12-30",
                "lines": [{"description": "Return", "quantity": "1", "unit_price": "5.00", "tax_rate": "0"}]}))
            .await;
        // Finalized by a server on the last day of 2025, the scale data's last year.
        let new_years_eve = "2025-12-31T23:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        let then = server::services::Services::with_clock(app.db.storage.clone(), std::sync::Arc::new(server::services::ManualClock::new(new_years_eve)))
            .with_printer(common::test_printer());
        let note = then.finalize_credit_note(server::services::Caller::CommandLine, draft["id"].as_i64().unwrap()).await.unwrap();
        assert_eq!(note.number.as_deref(), Some("CN-2025-05101"), "5,100 of the 6,000 scale notes are numbered");
        let again = app.db.services().seed_scale(&plan).await.unwrap();
        assert_eq!(again.big_customer_id, big + 60);
        let report = app.db.services().audit_ledger().await.unwrap();
        assert_eq!(report.credit_notes, 12_001);
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }
}
