//! The books against the ledger, on SQLite and PostgreSQL: what the journal says a customer
//! owes, or is owed, agrees with the documents after every action.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::{Value, json};

/// The balance (debit − credit, in cents) the journal holds on `account` for credit note
/// `reference`.
async fn account_balance(api: &Api<'_>, account: &str, reference: &str) -> i64 {
    let (status, body) = api.get("/journal").await;
    assert_eq!(status, 200, "{body}");
    let cents = |value: &Value| -> i64 {
        let text = value.as_str().unwrap();
        let (units, fraction) = text.split_once('.').unwrap();
        units.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
    };
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["reference"] == reference)
        .flat_map(|entry| entry["lines"].as_array().unwrap().clone())
        .filter(|line| line["account"]["code"] == account)
        .map(|line| cents(&line["debit"]) - cents(&line["credit"]))
        .sum()
}

on_both_backends! {
    // Code de commerce art. L123-14 (the accounts give a true picture): cancelling a note
    // after a refund reversed the whole 100.00 while the 30.00 refund stayed paid out, leaving
    // −30.00 of customer credit nobody owes. A note with a refund is never cancelled; what
    // remains is voided: exactly that is written off (PCG 419 to 758), the refund stays, the
    // note ends used with nothing remaining, and the ledger audit stays clean.
    async fn a_partly_refunded_note_is_voided_never_cancelled(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let note = admin.note(customer, "EUR", "100.00").await;
        let id = note["id"].as_i64().unwrap();
        let number = note["number"].as_str().unwrap().to_string();
        let (status, body) = admin.post(&format!("/credit-notes/{id}/refunds"), json!({"amount": "30.00", "date": "2026-11-10"})).await;
        assert_eq!(status, 201, "{body}");

        let (status, body) = admin.post(&format!("/credit-notes/{id}/cancel"), json!({})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("credit_note_refunded")), "{body}");
        assert!(body["detail"].as_str().unwrap().contains("void"), "{body}");
        let (_, unchanged) = admin.get(&format!("/credit-notes/{id}")).await;
        assert_eq!((unchanged["status"].as_str(), unchanged["remaining_amount"].as_str()), (Some("available"), Some("70.00")));

        // The finalize permission: sales may not; a reason is required.
        let sales = Api::new(&app, Role::Sales).await;
        assert_eq!(sales.post(&format!("/credit-notes/{id}/void"), json!({"reason": "lapsed"})).await.0, 403);
        let (status, body) = admin.post(&format!("/credit-notes/{id}/void"), json!({"reason": "  "})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("reason")), "{body}");
        assert_eq!(account_balance(&admin, "758000", &number).await, 0, "a refused void writes nothing");

        let manager = Api::new(&app, Role::CreditManager).await;
        let (status, voided) = manager.post(&format!("/credit-notes/{id}/void"), json!({"reason": "Customer waived the rest"})).await;
        assert_eq!(status, 200, "{voided}");
        assert_eq!(voided["status"], "used");
        assert_eq!(voided["remaining_amount"], "0.00");
        assert_eq!(voided["voided_amount"], "70.00");
        assert_eq!(voided["refunded_amount"], "30.00");
        assert_eq!(voided["void_reason"], "Customer waived the rest");

        // Exactly the remainder posted: the note's customer credit nets to zero.
        assert_eq!(account_balance(&admin, "419700", &number).await, 0);
        assert_eq!(account_balance(&admin, "758000", &number).await, -7000);
        assert_eq!(account_balance(&admin, "512000", &number).await, -3000, "the refund stays paid out");
        let (_, timeline) = admin.get(&format!("/credit-notes/{id}/timeline")).await;
        let event = timeline["items"].as_array().unwrap().iter().find(|e| e["kind"] == "credit_voided").cloned();
        assert_eq!(event.map(|e| (e["data"]["amount"].clone(), e["data"]["reason"].clone())), Some((json!("70.00"), json!("Customer waived the rest"))));

        // Nothing remains to void, refund or link.
        let (status, body) = admin.post(&format!("/credit-notes/{id}/void"), json!({"reason": "again"})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("invalid_status")), "{body}");
        assert_ne!(admin.post(&format!("/credit-notes/{id}/refunds"), json!({"amount": "1.00", "date": "2026-11-10"})).await.0 / 100, 2);

        let audit = app.db.services().audit_ledger().await.unwrap();
        assert_eq!(audit.findings, vec![], "the ledger audit stays clean");
        assert_eq!(app.db.services().verify_seals().await.unwrap().broken.len(), 0);

        // A note nothing settled still cancels, and its whole entry is reversed.
        let plain = admin.note(customer, "EUR", "20.00").await;
        let (status, body) = admin.post(&format!("/credit-notes/{}/cancel", plain["id"]), json!({})).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("cancelled")), "{body}");
        assert_eq!(account_balance(&admin, "419700", plain["number"].as_str().unwrap()).await, 0);
    }

    // The page offers the void (with its reason field) and shows the cancel disabled with the
    // reason; the form posts without JavaScript.
    async fn the_note_page_voids_what_remains(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let note = admin.note(customer, "EUR", "100.00").await;
        let id = note["id"].as_i64().unwrap();
        let (status, body) = admin.post(&format!("/credit-notes/{id}/refunds"), json!({"amount": "30.00", "date": "2026-11-10"})).await;
        assert_eq!(status, 201, "{body}");

        let manager = app.session(Role::CreditManager).await;
        let (status, html) = manager.page(&format!("/credit-notes/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Void the remaining credit"), "{html}");
        assert!(html.contains("void the remaining credit instead"), "the cancel says why it is disabled");
        let (status, body) = manager.rpc("void_credit_note", &[("credit_note_id", &id.to_string()), ("reason", "")]).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("reason")), "{body}");
        let (status, body) = manager.rpc("void_credit_note", &[("credit_note_id", &id.to_string()), ("reason", "Goodwill lapsed")]).await;
        assert!(status < 400, "{status} {body}");
        let (_, html) = manager.page(&format!("/credit-notes/{id}")).await;
        assert!(html.contains("Goodwill lapsed") && html.contains("Remaining credit voided: €70.00 (Goodwill lapsed)"), "{html}");
        assert!(!html.contains("Void the remaining credit"), "nothing remains to void");
    }

    // `creditdesk audit` reconciles the journal with the ledger per customer and currency: a
    // payment written behind the server's back (the invoice's figures stay consistent, but no
    // entry was posted) shows as a receivable the journal still holds.
    async fn the_audit_names_a_customer_whose_books_disagree(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let invoice = admin.invoice(customer, "EUR", "100.00").await;
        let note = admin.note(customer, "EUR", "10.00").await;
        let (status, body) = admin.post(&format!("/invoices/{}/allocations", invoice["id"]), json!({"allocations": [{"credit_note_id": note["id"], "amount": "4.00"}]})).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(app.db.services().audit_ledger().await.unwrap().findings, vec![]);

        app.db.behind_the_back(&format!(
            "INSERT INTO payments (invoice_id, amount_minor, date, created_at) VALUES ({id}, 2500, '2026-11-20', '2026-11-20T10:00:00Z'); \
             UPDATE invoices SET paid_minor = paid_minor + 2500 WHERE id = {id};",
            id = invoice["id"]
        )).await;
        let findings = app.db.services().audit_ledger().await.unwrap().findings;
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].document, format!("customer id {customer} in EUR"));
        assert_eq!(findings[0].rule, "receivable_agrees_with_invoices");
        assert_eq!(findings[0].detail, "the journal's receivable is 96.00, the issued invoices are owed 71.00");
    }

    // Documents written before the journal existed get their entries once, at the next start,
    // in date order and sealed: afterwards the books agree and every seal holds. The scale
    // data stand in for such a history (set-based rows, no entries).
    async fn documents_older_than_the_journal_are_posted_once(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let plan = server::storage::scale::ScalePlan::new(400).unwrap();
        app.db.storage.seed_scale(&plan).await.unwrap();
        let findings = services.audit_ledger().await.unwrap().findings;
        assert!(!findings.is_empty(), "without entries the books cannot agree");
        assert!(findings.iter().all(|f| f.rule.ends_with("_agrees_with_invoices") || f.rule.ends_with("_agrees_with_notes")), "{findings:?}");

        // As the migration leaves it for the next start.
        app.db.behind_the_back("INSERT INTO pending_backfills (name) VALUES ('journal_entries') ON CONFLICT DO NOTHING").await;
        let posted = services.post_legacy_documents().await.unwrap();
        assert!(posted > 400, "every issued invoice and finalized note: {posted}");
        assert_eq!(services.audit_ledger().await.unwrap().findings, vec![]);
        // Every entry's seal holds (the scale notes themselves are left unsealed by the seeder).
        let broken = services.verify_seals().await.unwrap().broken;
        let journal_breaks: Vec<_> = broken.iter().filter(|link| link.number.starts_with("journal")).collect();
        assert!(journal_breaks.is_empty(), "{journal_breaks:?}");
        // Once: the next start posts nothing, and nothing twice.
        assert_eq!(services.post_legacy_documents().await.unwrap(), 0);

        let admin = Api::new(&app, Role::Administrator).await;
        let (_, journal) = admin.get("/journal?limit=100").await;
        let dates: Vec<&str> = journal["items"].as_array().unwrap().iter().map(|e| e["date"].as_str().unwrap()).collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted, "posted in date order");
    }
}

on_both_backends! {
    // CGI art. 272 and 289, Directive 2006/112/EC art. 219: an issued invoice is annulled by a
    // credit note that refers to it, never by a change of its own. Cancel makes that note for
    // every line, finalizes it (the next CN number), applies it, and the invoice ends cancelled
    // with its number, lines and entry kept; the books still agree and every seal holds.
    async fn cancelling_an_issued_invoice_issues_and_applies_a_credit_note_for_it(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme", "EUR").await;
        let (status, invoice) = admin.post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01",
            "lines": [{"description": "Desk", "quantity": "2", "unit_price": "50.00", "tax_rate": "20"},
                      {"description": "Delivery", "quantity": "1", "unit_price": "10.00", "tax_rate": "5.5"}]})).await;
        assert_eq!(status, 201, "{invoice}");
        let path = format!("/invoices/{}", invoice["id"]);
        let (status, cancelled) = admin.post(&format!("{path}/cancel"), json!({})).await;
        assert_eq!(status, 200, "{cancelled}");
        assert_eq!((cancelled["status"].as_str(), cancelled["number"].as_str()), (Some("cancelled"), invoice["number"].as_str()));
        assert_eq!((cancelled["credited_amount"].as_str(), cancelled["outstanding"].as_str()), (Some("130.55"), Some("0.00")));
        assert_eq!(cancelled["lines"], invoice["lines"], "the invoice says what it said");

        let note_id = cancelled["allocations"][0]["credit_note_id"].as_i64().unwrap();
        let (_, note) = admin.get(&format!("/credit-notes/{note_id}")).await;
        assert_eq!((note["status"].as_str(), note["total"].as_str()), (Some("used"), Some("130.55")));
        assert_eq!(note["number"], "CN-2026-00001");
        assert_eq!(note["related_invoice_id"], invoice["id"]);
        assert_eq!(note["reason"], format!("Cancels invoice {}", invoice["number"].as_str().unwrap()));
        let described: Vec<&str> = note["lines"].as_array().unwrap().iter().map(|l| l["description"].as_str().unwrap()).collect();
        assert_eq!(described, ["Desk", "Delivery"]);

        // The cancelling note stays applied; the invoice is not cancelled twice.
        let allocation = cancelled["allocations"][0]["id"].as_i64().unwrap();
        let (status, body) = admin.delete(&format!("{path}/allocations/{allocation}")).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("invalid_status")), "{body}");
        let (status, body) = admin.post(&format!("{path}/cancel"), json!({})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("invalid_status")), "{body}");

        let services = app.db.services();
        assert_eq!(services.audit_ledger().await.unwrap().findings, vec![]);
        assert_eq!(services.verify_seals().await.unwrap().broken.len(), 0);

        // A draft is no document yet: cancelled as it is, with no credit note.
        let (_, draft) = admin.post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-02", "status": "draft",
            "lines": [{"description": "Desk", "quantity": "1", "unit_price": "50.00", "tax_rate": "20"}]})).await;
        let (status, body) = admin.post(&format!("/invoices/{}/cancel", draft["id"]), json!({})).await;
        assert_eq!((status, body["status"].as_str(), body["allocations"].as_array().map(Vec::len)), (200, Some("cancelled"), Some(0)));
        let (_, notes) = admin.get("/credit-notes?status=used").await;
        assert_eq!(notes["items"].as_array().unwrap().len(), 1, "one note, the first invoice's");
    }
}

on_both_backends! {
    // PCG art. 420-6 (règlement CRC 99-03): a closing procedure fixes the chronology and keeps the
    // entries of a closed period from ever changing. Once the books are closed through a date,
    // nothing dated on or before it is
    // posted (each refusal names the date), the closing date only moves forward and stays
    // before today, and only administrators move it.
    async fn nothing_is_posted_in_a_closed_period(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme", "EUR").await;
        let line = json!([{"description": "Desk", "quantity": "1", "unit_price": "100.00", "tax_rate": "20"}]);
        let (_, invoice) = admin.post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-03-01", "lines": line})).await;
        let (_, draft) = admin.post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-03-10",
            "related_invoice_id": invoice["id"], "lines": line})).await;
        let (status, closing) = admin.get("/settings/closing-date").await;
        assert_eq!((status, &closing["closed_through"]), (200, &Value::Null));

        let (status, closing) = admin.put("/settings/closing-date", json!({"closed_through": "2026-06-30"})).await;
        assert_eq!((status, closing["closed_through"].as_str()), (200, Some("2026-06-30")), "{closing}");
        let refused = |body: &Value, field: &str| {
            assert_eq!(body["code"], "period_closed", "{body}");
            assert_eq!(body["errors"][0]["field"], field, "{body}");
            assert!(body["detail"].as_str().unwrap().contains("closed through 2026-06-30"), "{body}");
        };
        let (status, body) = admin.post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-06-30", "lines": line})).await;
        assert_eq!(status, 422);
        refused(&body, "issue_date");
        let (status, body) = admin.post(&format!("/invoices/{}/payments", invoice["id"]), json!({"amount": "10.00", "date": "2026-06-01"})).await;
        assert_eq!(status, 422);
        refused(&body, "date");
        let (status, body) = admin.post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-05-01", "lines": line})).await;
        assert_eq!(status, 422);
        refused(&body, "date");
        // A note drafted in the closed period is dated the day it is finalized, in the open one.
        let (status, note) = admin.post(&format!("/credit-notes/{}/finalize", draft["id"]), json!({})).await;
        assert_eq!((status, note["date"].as_str()), (200, Some(common::today().to_string().as_str())), "drafted 2026-03-10: {note}");

        // The open period takes them; a reversal is dated today.
        let (status, body) = admin.post(&format!("/invoices/{}/payments", invoice["id"]), json!({"amount": "10.00", "date": "2026-07-01"})).await;
        assert_eq!(status, 201, "{body}");

        // Forward only, before today, administrators only.
        let (status, body) = admin.put("/settings/closing-date", json!({"closed_through": "2026-05-31"})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("closed_through")), "{body}");
        let today = chrono::Utc::now().date_naive().to_string();
        let (status, _) = admin.put("/settings/closing-date", json!({"closed_through": today})).await;
        assert_eq!(status, 422);
        let manager = Api::new(&app, Role::CreditManager).await;
        let (status, _) = manager.put("/settings/closing-date", json!({"closed_through": "2026-07-31"})).await;
        assert_eq!(status, 403);
        let (_, closing) = manager.get("/settings/closing-date").await;
        assert_eq!(closing["closed_through"], "2026-06-30");
        assert_eq!(app.db.services().audit_ledger().await.unwrap().findings, vec![]);

        // The settings page says it, and closes with a plain form post too.
        let page = app.session(Role::Administrator).await;
        let (_, html) = page.page("/settings").await;
        assert!(html.contains("closed through Jun 30, 2026"), "{html:.200}");
        let (status, body) = page.rpc("close_books", &[("closed_through", "2026-07-31")]).await;
        assert!(status < 400, "{status} {body}");
        let (_, closing) = admin.get("/settings/closing-date").await;
        assert_eq!(closing["closed_through"], "2026-07-31");
    }
}
