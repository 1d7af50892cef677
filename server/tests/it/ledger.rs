//! Ledger integrity: money never changes meaning, documents keep their money on record, numbers
//! never collide, approvals see what was submitted, concurrent writes keep one lock order and
//! one idempotent answer. Each test runs on SQLite and PostgreSQL.

use std::sync::Arc;

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::{Value, json};
use server::services::{Caller, LineDraft, ManualClock, NewInvoiceInput};

fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or("<none>")
}

fn field(body: &Value) -> &str {
    body["errors"][0]["field"].as_str().unwrap_or("<none>")
}

fn id(body: &Value) -> i64 {
    body["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {body}"))
}

fn invoice_body(customer_id: i64, price: &str) -> Value {
    json!({
        "customer_id": customer_id, "currency": "EUR", "issue_date": "2026-11-01",
        "lines": [{"description": "Service", "quantity": "1", "unit_price": price, "tax_rate": "0"}]
    })
}

/// The day before `date` (YYYY-MM-DD).
fn day_before(date: &str) -> String {
    let day: chrono::NaiveDate = date.parse().unwrap();
    day.pred_opt().unwrap().to_string()
}

on_both_backends! {
    // CGI art. 289 and Directive 2006/112/EC art. 219: an issued invoice is never changed in place;
    // a correction invoice or a credit note that refers to it changes what is owed.
    async fn an_issued_invoice_is_never_changed_in_place(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let globex = api.customer("Globex", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "100.00").await;
        let path = format!("/invoices/{}", invoice["id"]);
        for change in [json!({"currency": "JPY"}), json!({"customer_id": globex}), json!({"due_date": "2026-12-31"}),
            json!({"lines": [{"description": "Less", "quantity": "1", "unit_price": "1.00", "tax_rate": "0"}]})] {
            let (status, body) = api.patch(&path, change.clone()).await;
            assert_eq!((status, code(&body)), (409, "invoice_issued"), "{change}: {body}");
        }
        let (_, unchanged) = api.get(&path).await;
        assert_eq!(unchanged, invoice, "nothing was written");
        let manager = app.session(Role::Administrator).await;
        let (_, html) = manager.page(&path).await;
        assert!(!html.contains("Edit invoice"), "the page offers no edit of an issued invoice");
        assert!(html.contains("Correction invoice"));

        // Without money or notes, a draft may still move.
        let (status, draft) = api.post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "status": "draft",
            "lines": [{"description": "Service", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]})).await;
        assert_eq!(status, 201, "{draft}");
        let (status, moved) = api.patch(&format!("/invoices/{}", draft["id"]), json!({"currency": "USD", "customer_id": globex})).await;
        assert_eq!((status, moved["currency"].as_str()), (200, Some("USD")), "{moved}");
    }

    async fn every_invoice_edit_runs_the_create_checks(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let mut draft = invoice_body(acme, "100.00");
        draft["status"] = json!("draft");
        let (_, invoice) = api.post("/invoices", draft).await;
        let path = format!("/invoices/{}", invoice["id"]);
        let (status, body) = api.patch(&path, json!({"lines": []})).await;
        assert_eq!((status, code(&body), field(&body)), (422, "validation_error", "lines"), "{body}");
        let (status, body) = api.patch(&path, json!({"lines": [{"description": "x", "quantity": "0", "unit_price": "1.00", "tax_rate": "0"}]})).await;
        assert_eq!((status, field(&body)), (422, "lines[0].quantity"), "{body}");
        let (status, body) = api.patch(&path, json!({"lines": [{"description": "x", "quantity": "1", "unit_price": "-5.00", "tax_rate": "0"}]})).await;
        assert_eq!((status, field(&body)), (422, "lines"), "a negative standard invoice: {body}");
        let (_, after) = api.get(&path).await;
        assert_eq!((after["status"].as_str(), after["total"].as_str()), (Some("draft"), Some("100.00")), "nothing was written");
    }

    async fn an_invoice_with_payments_is_never_deleted(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "100.00").await;
        let path = format!("/invoices/{}", invoice["id"]);
        api.post(&format!("{path}/payments"), json!({"amount": "30.00", "date": "2026-11-02"})).await;
        let (status, body) = api.delete(&path).await;
        assert_eq!((status, code(&body)), (409, "invalid_status"), "issued, so never deleted: {body}");

        // Linked credit notes answer first, as the contract says.
        let note = api.note(acme, "EUR", "10.00").await;
        api.post(&format!("{path}/allocations"), json!({"allocations": [{"credit_note_id": note["id"]}]})).await;
        let (status, body) = api.delete(&path).await;
        assert_eq!((status, code(&body)), (409, "invoice_has_allocations"));

        // Paid in part, it is not cancelled either: what remains is credited by a note.
        let (_, linked) = api.get(&path).await;
        let allocation = linked["allocations"][0]["id"].as_i64().unwrap();
        api.delete(&format!("{path}/allocations/{allocation}")).await;
        let (status, body) = api.post(&format!("{path}/cancel"), json!({})).await;
        assert_eq!((status, code(&body)), (409, "invoice_has_payments"), "{body}");
        let (status, body) = api.delete(&path).await;
        assert_eq!((status, code(&body)), (409, "invalid_status"));
        let (status, kept) = api.get(&path).await;
        assert_eq!((status, kept["paid_amount"].as_str(), kept["status"].as_str()), (200, Some("30.00"), Some("pending")));

        // CGI art. 242 nonies A and Directive 2006/112/EC art. 226 (2): invoice numbers run
        // without gaps, so an issued invoice, even without money or notes, keeps its number;
        // only a draft can go, and its timeline stays behind, detached.
        let plain = api.invoice(acme, "EUR", "5.00").await;
        let (status, body) = api.delete(&format!("/invoices/{}", plain["id"])).await;
        assert_eq!((status, code(&body)), (409, "invalid_status"));
        assert!(body["detail"].as_str().unwrap().contains("cancel it instead"), "{body}");
        let mut draft_body = invoice_body(acme, "5.00");
        draft_body["status"] = json!("draft");
        let (status, draft) = api.post("/invoices", draft_body).await;
        assert_eq!(status, 201, "{draft}");
        let (status, _) = api.delete(&format!("/invoices/{}", draft["id"])).await;
        assert_eq!(status, 204);
        let detached = |kind: &str| {
            format!("SELECT COUNT(*) FROM timeline_events WHERE invoice_id IS NULL AND kind = '{kind}'")
        };
        assert_eq!(app.db.count(&detached("draft_deleted")).await, 1, "the deletion is on record");
        assert!(app.db.count(&detached("invoice_created")).await >= 1, "the draft's own events stay");
    }

    async fn drafts_are_numbered_when_issued_and_never_collide(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let mut draft_body = invoice_body(acme, "10.00");
        draft_body["status"] = json!("draft");
        draft_body["due_date"] = json!("2026-12-01");
        let (status, draft) = api.post("/invoices", draft_body).await;
        assert_eq!(status, 201);
        assert_eq!(draft["number"].as_str(), Some(format!("DRAFT-{}", id(&draft)).as_str()), "a draft takes no number of the series");

        // A number chosen by hand inside the series is skipped by the generator.
        let mut chosen = invoice_body(acme, "10.00");
        chosen["number"] = json!("INV-2026-00001");
        assert_eq!(api.post("/invoices", chosen.clone()).await.0, 201);
        let (status, body) = api.post("/invoices", chosen).await;
        assert_eq!((status, code(&body), field(&body)), (409, "number_taken", "number"), "{body}");
        let (_, generated) = api.post("/invoices", invoice_body(acme, "10.00")).await;
        assert_eq!(generated["number"], "INV-2026-00002");
        // An invoice issued with its own date follows the one numbered before it in time: one
        // dated earlier is refused on its date, and the number it would have taken stays free.
        let mut earlier = invoice_body(acme, "10.00");
        earlier["issue_date"] = json!(day_before(generated["issue_date"].as_str().unwrap()));
        let (status, body) = api.post("/invoices", earlier).await;
        assert_eq!((status, code(&body), field(&body)), (409, "numbering_out_of_order", "issue_date"), "{body}");
        assert!(body["detail"].as_str().unwrap().contains("INV-2026-00002"), "{body}");

        let (status, issued) = api.post(&format!("/invoices/{}/issue", id(&draft)), json!({})).await;
        // Dated the day it is issued, its 30 days' term kept, and numbered in that day's year
        // (CGI annexe II art. 242 nonies A, I-7°: numbers and dates follow each other).
        let today = common::today();
        let expected = if today.format("%Y").to_string() == "2026" { "INV-2026-00003".to_string() } else { format!("INV-{}-00001", today.format("%Y")) };
        assert_eq!((status, issued["status"].as_str(), issued["number"].as_str()), (200, Some("pending"), Some(expected.as_str())), "{issued}");
        assert_eq!(issued["issue_date"], today.to_string(), "{issued}");
        assert_eq!(issued["due_date"], (today + chrono::Days::new(30)).to_string(), "{issued}");
        let (status, body) = api.post(&format!("/invoices/{}/issue", id(&draft)), json!({})).await;
        assert_eq!((status, code(&body)), (409, "invalid_status"));
        let (_, timeline) = api.get(&format!("/invoices/{}/timeline", id(&draft))).await;
        let kinds: Vec<&str> = timeline["items"].as_array().unwrap().iter().filter_map(|e| e["kind"].as_str()).collect();
        assert!(kinds.contains(&"invoice_issued"), "{kinds:?}");

        let mut reserved = invoice_body(acme, "10.00");
        reserved["number"] = json!("draft-7");
        let (status, body) = api.post("/invoices", reserved).await;
        assert_eq!((status, field(&body)), (422, "number"));
    }

    async fn concurrent_chosen_numbers_answer_409_never_500(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let mut body = invoice_body(acme, "10.00");
        body["number"] = json!("X-1");
        let answers = futures::future::join_all((0..8).map(|_| api.post("/invoices", body.clone()))).await;
        let created = answers.iter().filter(|(status, _)| *status == 201).count();
        assert_eq!(created, 1, "{answers:?}");
        for (status, body) in answers.iter().filter(|(status, _)| *status != 201) {
            assert_eq!((*status, code(body)), (409, "number_taken"), "{body}");
        }
    }

    async fn a_credit_note_relates_only_to_an_issued_invoice(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let mut draft_body = invoice_body(acme, "10.00");
        draft_body["status"] = json!("draft");
        let (_, draft) = api.post("/invoices", draft_body).await;
        let cancelled = api.invoice(acme, "EUR", "10.00").await;
        api.post(&format!("/invoices/{}/cancel", cancelled["id"]), json!({})).await;
        let issued = api.invoice(acme, "EUR", "10.00").await;
        let (_, correction) = api.post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01",
            "kind": "correction", "related_invoice_id": issued["id"],
            "lines": [{"description": "Fix", "quantity": "-1", "unit_price": "2.00", "tax_rate": "0"}]})).await;
        let note = |invoice: &Value| json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-01",
            "related_invoice_id": invoice["id"], "charge": {"code": "GW", "description": "Goodwill", "amount": "1.00"}});
        for target in [&draft, &cancelled, &correction] {
            let (status, body) = api.post("/credit-notes", note(target)).await;
            assert_eq!((status, code(&body), field(&body)), (422, "related_invoice_not_issued", "related_invoice_id"), "{target}: {body}");
        }
        let (status, body) = api.post("/credit-notes", note(&issued)).await;
        assert_eq!(status, 201, "the same day as the invoice is allowed: {body}");

        // The same rule on edit: a draft note may be pointed at an invoice, or away from it.
        let (_, standalone) = api.post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-03",
            "charge": {"code": "GW", "description": "Goodwill", "amount": "1.00"}})).await;
        let path = format!("/credit-notes/{}", standalone["id"]);
        let (status, body) = api.patch(&path, json!({"related_invoice_id": draft["id"]})).await;
        assert_eq!((status, code(&body)), (422, "related_invoice_not_issued"));
        let (status, body) = api.patch(&path, json!({"related_invoice_id": issued["id"]})).await;
        assert_eq!((status, body["related_invoice_id"].clone()), (200, issued["id"].clone()), "{body}");
        let (status, body) = api.patch(&path, json!({"related_invoice_id": null})).await;
        assert_eq!((status, body["related_invoice_id"].clone()), (200, Value::Null));
    }

    async fn an_edited_pending_note_goes_back_to_draft_and_approvers_can_reject(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let sales = Api::new(&app, Role::Sales).await;
        let acme = admin.customer("Acme", "EUR").await;
        let (_, note) = sales.post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-03",
            "lines": [{"description": "Return", "quantity": "1", "unit_price": "20.00", "tax_rate": "0"}]})).await;
        let path = format!("/credit-notes/{}", note["id"]);
        let (_, submitted) = sales.post(&format!("{path}/submit"), json!({})).await;
        assert_eq!(submitted["status"], "pending_approval");
        let (status, raised) = sales.patch(&path, json!({"lines": [{"description": "Return", "quantity": "1", "unit_price": "2000.00", "tax_rate": "0"}]})).await;
        assert_eq!((status, raised["status"].as_str(), raised["total"].as_str()), (200, Some("draft"), Some("2000.00")), "{raised}");
        let (_, timeline) = admin.get(&format!("{path}/timeline")).await;
        let back = timeline["items"].as_array().unwrap().iter()
            .find(|e| e["kind"] == "status_changed" && e["data"]["to"] == "draft")
            .unwrap_or_else(|| panic!("no return to draft in {timeline}"));
        assert_eq!(back["data"]["from"], "pending_approval");

        // Reject: only from pending approval, only by an approver, always with a reason.
        sales.post(&format!("{path}/submit"), json!({})).await;
        let (status, _) = sales.post(&format!("{path}/reject"), json!({"reason": "no"})).await;
        assert_eq!(status, 403);
        let (status, body) = admin.post(&format!("{path}/reject"), json!({"reason": "  "})).await;
        assert_eq!((status, field(&body)), (422, "reason"));
        let (status, rejected) = admin.post(&format!("{path}/reject"), json!({"reason": "2000 EUR for one return?"})).await;
        assert_eq!((status, rejected["status"].as_str()), (200, Some("draft")), "{rejected}");
        let (status, body) = admin.post(&format!("{path}/reject"), json!({"reason": "again"})).await;
        assert_eq!((status, code(&body)), (409, "invalid_status"));
        let (_, timeline) = admin.get(&format!("{path}/timeline")).await;
        assert!(timeline["items"].as_array().unwrap().iter()
            .any(|e| e["kind"] == "credit_note_rejected" && e["data"]["reason"] == "2000 EUR for one return?"), "{timeline}");
    }

    async fn a_finalized_note_answers_409_before_its_fields_are_read(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let note = api.note(acme, "EUR", "10.00").await;
        let path = format!("/credit-notes/{}", note["id"]);
        let (status, body) = api.patch(&path, json!({"date": "not a date", "currency": "??"})).await;
        assert_eq!((status, code(&body)), (409, "credit_note_finalized"), "{body}");
        let (status, body) = api.patch(&path, json!({"customer_id": 1})).await;
        assert_eq!((status, code(&body)), (409, "credit_note_finalized"));
    }

    async fn an_invoice_that_is_not_open_is_named_before_the_amount(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "10.00").await;
        let path = format!("/invoices/{}", invoice["id"]);
        api.post(&format!("{path}/mark-paid"), json!({})).await;
        for amount in ["abc", "1.001", "5.00"] {
            let (status, body) = api.post(&format!("{path}/allocations"), json!({"allocations": [{"credit_note_id": 1, "amount": amount}]})).await;
            assert_eq!((status, code(&body)), (422, "invoice_not_open"), "{amount}: {body}");
            let (status, body) = api.post(&format!("{path}/payments"), json!({"amount": amount, "date": "2026-11-02"})).await;
            assert_eq!((status, code(&body)), (409, "invalid_status"), "{amount}: {body}");
        }
        let open = api.invoice(acme, "EUR", "10.00").await;
        let (status, body) = api.post(&format!("/invoices/{}/payments", open["id"]), json!({"amount": "1.001", "date": "2026-11-02"})).await;
        assert_eq!((status, field(&body)), (422, "amount"), "an open invoice checks the amount in its currency: {body}");
    }

    async fn lines_without_a_rate_take_the_tax_table_in_the_service(db) {
        let services = db.services();
        let acme = common::customer(&services, "Acme", "EUR").await;
        let admin = common::staff(Role::Administrator);
        services.set_tax_table(&admin, app::domain::TaxTable { rules: vec![
            app::domain::TaxRule::new("DE", "standard", "19".parse().unwrap()),
            app::domain::TaxRule::new("DE", "reduced", "7".parse().unwrap()),
        ]}).await.unwrap();
        let line = |category: Option<&str>| LineDraft {
            description: "item".into(), quantity: 1.into(), unit_price: common::amount("100.00"),
            discount_percent: 0.into(), tax_rate: None, tax_category: category.map(str::to_string), ship_date: None,
            vat_category: None, vat_exemption_reason: None, nature: None,
            revenue_account: None,
        };
        let input = |lines| NewInvoiceInput {
            number: None, customer_id: acme, currency: common::currency("EUR"), issue_date: common::date("2026-11-01"),
            due_date: None, kind: app::domain::InvoiceKind::Standard, status: app::domain::InvoiceStatus::Pending,
            related_invoice_id: None, project: None, lines,
        };
        // The command line gets the same defaulting as the API.
        let invoice = services.create_invoice(Caller::CommandLine, input(vec![line(None), line(Some("reduced"))])).await.unwrap();
        assert_eq!(invoice.tax_total, common::amount("26.00"));
        let error = services.create_invoice(Caller::CommandLine, input(vec![line(Some("luxury"))])).await.unwrap_err();
        let problem = app::problem::Problem::from(error);
        assert_eq!((problem.status, problem.errors[0].field.as_str()), (422, "lines[0].tax_rate"));
    }

    async fn edits_racing_links_never_deadlock(db) {
        // An edit of a draft note locks its invoice before the note; a link locks the invoice,
        // then the notes. The two used to wait on each other in a circle on PostgreSQL.
        let services = db.services();
        let user = common::staff(Role::Administrator);
        let acme = common::customer(&services, "Acme", "EUR").await;
        let invoice = common::invoice(&services, "INV-1", acme, "EUR", "1000.00").await;
        let draft = services.create_credit_note(Caller::CommandLine, server::services::NewCreditNoteInput {
            customer_id: acme, currency: common::currency("EUR"), date: common::date("2026-11-02"), reason: None,
            related_invoice_id: Some(invoice), lines: common::priced("5.00"), charge: None, particulars: Default::default(),
        }).await.unwrap().note.id;
        for round in 0..25 {
            let edit = services.edit_credit_note(&user, draft, server::services::CreditNoteChanges {
                reason: Some(Some(format!("round {round}"))), ..Default::default()
            });
            let link = services.link_credit_notes(invoice, vec![app::domain::AllocationRequest { credit_note_id: draft, amount: None }], &user);
            let (edited, linked) = tokio::join!(edit, link);
            edited.unwrap_or_else(|e| panic!("round {round}: the edit failed: {e}"));
            let problem = app::problem::Problem::from(linked.expect_err("a draft cannot be linked"));
            assert_eq!(problem.code, "credit_note_not_available", "round {round}: {problem:?}");
        }
    }

    async fn concurrent_retries_of_an_expired_key_run_once(db) {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "100.00").await;
        let path = app.url(&format!("/api/v1/invoices/{}/payments", invoice["id"]));
        let body = json!({"amount": "10.00", "date": "2026-11-02"});
        let pay = || api.send(app.client.post(&path).header("idempotency-key", "pay-once").json(&body));
        assert_eq!(pay().await.0, 201);
        assert_eq!(pay().await.0, 201, "a replay");
        clock.advance(chrono::Duration::hours(25));
        let answers = futures::future::join_all((0..8).map(|_| pay())).await;
        for (status, body) in &answers {
            assert!(*status == 201 || (*status == 409 && code(body) == "request_in_progress"), "{status} {body}");
        }
        let (_, after) = api.get(&format!("/invoices/{}", invoice["id"])).await;
        assert_eq!(after["paid_amount"], "20.00", "exactly one retry ran after the key expired");
    }

    async fn new_tokens_are_never_replayed(db) {
        let app = TestApp::spawn(db).await;
        common::user(&app.db.services(), "ann@test.example", Role::Viewer, None).await;
        let ask = || app.client.post(app.url("/api/v1/auth/token")).header("idempotency-key", "t1")
            .json(&json!({"email": "ann@test.example", "password": common::PASSWORD})).send();
        let first = ask().await.unwrap();
        let second = ask().await.unwrap();
        assert!(second.headers().get("idempotent-replayed").is_none());
        let (first, second): (Value, Value) = (first.json().await.unwrap(), second.json().await.unwrap());
        assert_ne!(first["token"], second["token"], "a stored answer would hand the same secret out again");
    }

    async fn timelines_under_load_are_oldest_first_and_page(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "1000.00").await;
        let mut notes = Vec::new();
        for _ in 0..12 {
            notes.push(id(&api.note(acme, "EUR", "1.00").await));
        }
        let path = format!("/invoices/{}", invoice["id"]);
        let link_path = format!("{path}/allocations");
        let links = notes.iter().map(|note| api.post(&link_path, json!({"allocations": [{"credit_note_id": note}]})));
        for (status, body) in futures::future::join_all(links).await {
            assert_eq!(status, 201, "{body}");
        }
        let mut events = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let query = cursor.as_ref().map_or(String::new(), |c| format!("&cursor={c}"));
            let (status, page) = api.get(&format!("{path}/timeline?limit=5{query}")).await;
            assert_eq!(status, 200, "{page}");
            let items = page["items"].as_array().unwrap().clone();
            assert!(items.len() <= 5);
            events.extend(items);
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        assert_eq!(events.iter().filter(|e| e["kind"] == "credit_note_linked").count(), 12, "every event once");
        let times: Vec<chrono::DateTime<chrono::Utc>> = events.iter().map(|e| e["at"].as_str().unwrap().parse().unwrap()).collect();
        assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "oldest first: {times:?}");

        let (_, first) = api.get(&format!("{path}/linkable-credit-notes?limit=2")).await;
        assert_eq!(first["items"].as_array().unwrap().len(), 0, "all notes are used");
        let others: Vec<i64> = futures::future::join_all((0..3).map(|_| api.note(acme, "EUR", "1.00"))).await.iter().map(id).collect();
        let (_, first) = api.get(&format!("{path}/linkable-credit-notes?limit=2")).await;
        let cursor = first["next_cursor"].as_str().expect("a second page");
        let (_, second) = api.get(&format!("{path}/linkable-credit-notes?limit=2&cursor={cursor}")).await;
        let listed: Vec<i64> = first["items"].as_array().unwrap().iter().chain(second["items"].as_array().unwrap()).map(id).collect();
        let mut expected = others.clone();
        expected.sort();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(sorted, expected, "{listed:?}");
    }
}
