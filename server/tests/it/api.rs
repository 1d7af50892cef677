//! The REST API through HTTP against the spawned app, on SQLite and PostgreSQL: the contract's
//! shapes, status codes and error codes.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp, user};
use serde_json::{Value, json};

fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or("<none>")
}

on_both_backends! {
    async fn a_credit_note_goes_from_draft_to_linked_and_back(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let acme = api.customer("Acme", "EUR").await;

        let (status, invoice) = api
            .post(
                "/invoices",
                json!({
                    "customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01",
                    "lines": [{"description": "Chairs", "quantity": "3", "unit_price": "33.33", "tax_rate": "20"}]
                }),
            )
            .await;
        assert_eq!(status, 201, "{invoice}");
        assert_eq!(invoice["number"], "INV-2026-00001", "generated when absent");
        assert_eq!(invoice["status"], "pending");
        assert_eq!(invoice["kind"], "standard");
        assert_eq!(invoice["lines"][0]["tax"], "20.00");
        assert_eq!(invoice["subtotal"], "99.99");
        assert_eq!(invoice["total"], "119.99");
        assert_eq!(invoice["outstanding"], "119.99");
        let invoice_id = invoice["id"].as_i64().unwrap();

        let (status, draft) = api
            .post(
                "/credit-notes",
                json!({
                    "customer_id": acme, "currency": "EUR", "date": "2026-11-05", "related_invoice_id": invoice_id,
                    "reason": "One chair returned",
                    "lines": [{"description": "Chair", "quantity": "1", "unit_price": "33.33", "tax_rate": "20"}]
                }),
            )
            .await;
        assert_eq!(status, 201, "{draft}");
        assert_eq!(draft["status"], "draft");
        assert_eq!(draft["number"], Value::Null);
        assert_eq!(draft["total"], "40.00");
        assert_eq!(draft["remaining_amount"], "40.00");
        let note_id = draft["id"].as_i64().unwrap();

        let (status, pending) = api.post(&format!("/credit-notes/{note_id}/submit"), json!({})).await;
        assert_eq!((status, pending["status"].as_str()), (200, Some("pending_approval")));
        let (status, final_note) = api.post(&format!("/credit-notes/{note_id}/finalize"), json!({})).await;
        assert_eq!(status, 200, "{final_note}");
        assert_eq!(final_note["status"], "available");
        assert_eq!(final_note["number"], "CN-2026-00001");
        assert!(final_note["finalized_at"].is_string());
        let (status, again) = api.post(&format!("/credit-notes/{note_id}/finalize"), json!({})).await;
        assert_eq!((status, code(&again)), (409, "credit_note_finalized"));
        let (status, commented) = api.post(&format!("/credit-notes/{note_id}/comments"), json!({"text": "Approved by phone"})).await;
        assert_eq!(status, 201);
        assert_eq!(commented["comments"][0]["text"], "Approved by phone");

        let (status, linkable) = api.get(&format!("/invoices/{invoice_id}/linkable-credit-notes")).await;
        assert_eq!(status, 200);
        assert_eq!(linkable["items"][0]["selectable"], true);
        assert_eq!(linkable["items"][0]["reason"], Value::Null);

        let (status, linked) = api
            .post(&format!("/invoices/{invoice_id}/allocations"), json!({"allocations": [{"credit_note_id": note_id}]}))
            .await;
        assert_eq!(status, 201, "{linked}");
        assert_eq!(linked["credited_amount"], "40.00");
        assert_eq!(linked["outstanding"], "79.99");
        let allocation_id = linked["allocations"][0]["id"].as_i64().unwrap();
        let (_, note) = api.get(&format!("/credit-notes/{note_id}")).await;
        assert_eq!(note["status"], "used");
        assert_eq!(note["allocations"][0]["amount"], "40.00");

        let (status, _) = api.delete(&format!("/invoices/{invoice_id}/allocations/{allocation_id}")).await;
        assert_eq!(status, 204);
        let (_, invoice) = api.get(&format!("/invoices/{invoice_id}")).await;
        assert_eq!(invoice["outstanding"], "119.99");
        assert_eq!(invoice["allocations"], json!([]));
        let (_, note) = api.get(&format!("/credit-notes/{note_id}")).await;
        assert_eq!(note["status"], "available");

        let (status, timeline) = api.get(&format!("/invoices/{invoice_id}/timeline")).await;
        assert_eq!(status, 200);
        let kinds: Vec<_> = timeline["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            ["invoice_created", "credit_note_created", "credit_note_finalized", "credit_note_linked", "credit_note_unlinked"]
        );
        assert_eq!(timeline["items"][3]["actor"], "credit_manager@api.example");
    }

    async fn every_link_rule_answers_with_its_code(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let globex = api.customer("Globex", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "100.00").await;
        let id = invoice["id"].as_i64().unwrap();
        let ten = api.note(acme, "EUR", "10.00").await["id"].as_i64().unwrap();
        let big = api.note(acme, "EUR", "150.00").await["id"].as_i64().unwrap();
        let usd = api.note(acme, "USD", "10.00").await["id"].as_i64().unwrap();
        let foreign = api.note(globex, "EUR", "10.00").await["id"].as_i64().unwrap();
        let (_, draft) = api
            .post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05",
                "charge": {"code": "GW", "description": "Goodwill", "amount": "5.00"}}))
            .await;
        assert_eq!(draft["charge"]["amount"], "5.00");
        let draft = draft["id"].as_i64().unwrap();

        let path = format!("/invoices/{id}/allocations");
        let link = |allocations: Value| api.post(&path, json!({"allocations": allocations}));
        let cases = [
            (json!([{"credit_note_id": draft}]), 422, "credit_note_not_available"),
            (json!([{"credit_note_id": foreign}]), 422, "customer_mismatch"),
            (json!([{"credit_note_id": usd}]), 422, "currency_mismatch"),
            (json!([{"credit_note_id": big}]), 422, "exceeds_outstanding"),
            (json!([{"credit_note_id": ten, "amount": "10.01"}]), 422, "exceeds_remaining"),
            (json!([{"credit_note_id": ten, "amount": "0"}]), 422, "validation_error"),
            (json!([{"credit_note_id": ten, "amount": "-1.00"}]), 422, "validation_error"),
            (json!([{"credit_note_id": ten, "amount": "1.001"}]), 422, "validation_error"),
            (json!([{"credit_note_id": ten, "amount": "1e1"}]), 422, "validation_error"),
            (json!([{"credit_note_id": ten}, {"credit_note_id": ten}]), 422, "validation_error"),
            (json!([{"credit_note_id": 99999}]), 404, "not_found"),
        ];
        for (allocations, status, expected) in cases {
            let (got, body) = link(allocations.clone()).await;
            assert_eq!((got, code(&body)), (status, expected), "{allocations}: {body}");
            assert_eq!(body["status"], status);
        }
        let (_, unchanged) = api.get(&format!("/invoices/{id}")).await;
        assert_eq!(unchanged["credited_amount"], "0.00", "failed requests write nothing");

        let (status, body) = api.post("/invoices/99999/allocations", json!({"allocations": [{"credit_note_id": ten}]})).await;
        assert_eq!((status, code(&body)), (404, "not_found"));
        let (_, draft_invoice) = api
            .post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "status": "draft",
                "lines": [{"description": "x", "quantity": "1", "unit_price": "5.00", "tax_rate": "0"}]}))
            .await;
        let (status, body) = api
            .post(&format!("/invoices/{}/allocations", draft_invoice["id"]), json!({"allocations": [{"credit_note_id": ten, "amount": "0"}]}))
            .await;
        assert_eq!((status, code(&body)), (422, "invoice_not_open"), "the invoice is checked before amounts");
    }

    async fn credit_note_input_is_checked_field_by_field(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Sales).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme", "EUR").await;
        let globex = admin.customer("Globex", "EUR").await;
        let invoice = admin.invoice(acme, "EUR", "100.00").await;
        let invoice_id = invoice["id"].as_i64().unwrap();

        let (status, body) = api
            .post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05",
                "lines": [{"description": "x", "quantity": "abc", "unit_price": "1.001", "tax_rate": "20"}]}))
            .await;
        assert_eq!((status, code(&body)), (422, "validation_error"));
        let fields: Vec<_> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["lines[0].quantity", "lines[0].unit_price"]);

        let (status, body) = api
            .post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05"}))
            .await;
        assert_eq!((status, code(&body)), (422, "validation_error"), "neither lines nor a charge");

        let note = |customer: i64, date: &str| json!({"customer_id": customer, "currency": "EUR", "date": date,
            "related_invoice_id": invoice_id, "charge": {"code": "GW", "description": "Goodwill", "amount": "60.00"}});
        let (status, body) = api.post("/credit-notes", note(globex, "2026-11-05")).await;
        assert_eq!((status, code(&body)), (422, "customer_mismatch"));
        let (status, body) = api.post("/credit-notes", note(acme, "2026-10-31")).await;
        assert_eq!((status, code(&body)), (422, "date_before_invoice"));

        let (status, first) = api.post("/credit-notes", note(acme, "2026-11-05")).await;
        assert_eq!(status, 201);
        assert!(first.get("warnings").is_none());
        let (status, second) = api.post("/credit-notes", note(acme, "2026-11-06")).await;
        assert_eq!(status, 201, "crediting beyond the total is allowed");
        let warning = second["warnings"][0].as_str().unwrap();
        assert!(warning.contains("60.00 EUR credited"), "{warning}");

        let (status, body) = api.post(&format!("/credit-notes/{}/finalize", first["id"]), json!({})).await;
        assert_eq!((status, code(&body)), (403, "forbidden"), "sales may not finalize");
    }

    async fn retries_with_an_idempotency_key_do_nothing_more(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let acme = api.customer("Acme", "EUR").await;
        let body = json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01",
            "lines": [{"description": "x", "quantity": "1", "unit_price": "5.00", "tax_rate": "0"}]});
        let post = |body: Value| {
            api.send(app.client.post(app.url("/api/v1/invoices")).header("idempotency-key", "order-42").json(&body))
        };
        let (status, first) = post(body.clone()).await;
        assert_eq!(status, 201);
        let (status, retry) = post(body.clone()).await;
        assert_eq!(status, 201);
        assert_eq!(retry, first, "the first answer again");
        let (_, list) = api.get("/invoices").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "created once");
        let mut other = body;
        other["issue_date"] = json!("2026-11-02");
        let (status, reused) = post(other).await;
        assert_eq!((status, code(&reused)), (422, "idempotency_key_reused"));
    }

    async fn lists_page_by_cursor_and_filter(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let acme = api.customer("Acme", "EUR").await;
        let globex = api.customer("Globex", "USD").await;
        for _ in 0..3 {
            api.invoice(acme, "EUR", "10.00").await;
        }
        api.invoice(globex, "USD", "10.00").await;

        let (status, page1) = api.get("/invoices?limit=2").await;
        assert_eq!(status, 200);
        assert_eq!(page1["items"].as_array().unwrap().len(), 2);
        let cursor = page1["next_cursor"].as_str().unwrap().to_string();
        let (_, page2) = api.get(&format!("/invoices?limit=2&cursor={cursor}")).await;
        assert_eq!(page2["items"].as_array().unwrap().len(), 2);
        let (_, page3) = api.get(&format!("/invoices?limit=2&cursor={}", page2["next_cursor"].as_str().unwrap())).await;
        assert_eq!(page3["items"], json!([]));
        assert_eq!(page3["next_cursor"], Value::Null);

        let (_, usd) = api.get("/invoices?currency=USD").await;
        assert_eq!(usd["items"].as_array().unwrap().len(), 1);
        let (_, mine) = api.get(&format!("/invoices?customer_id={acme}&status=pending")).await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 3);
        let (status, body) = api.get("/invoices?status=open&limit=0").await;
        assert_eq!((status, code(&body)), (422, "validation_error"));
        assert_eq!(body["errors"].as_array().unwrap().len(), 2);

        api.note(acme, "EUR", "1.00").await;
        let (_, notes) = api.get(&format!("/customers/{acme}/credit-notes")).await;
        let today = common::today();
        assert_eq!(notes["items"][0]["number"], format!("CN-{}-00001", today.format("%Y")), "dated and numbered when finalized");
        let (_, none) = api.get(&format!("/credit-notes?date_from={}", today.succ_opt().unwrap())).await;
        assert_eq!(none["items"], json!([]));
        let (_, both_bounds) = api.get(&format!("/credit-notes?date_from={today}&date_to={today}")).await;
        assert_eq!(both_bounds["items"].as_array().unwrap().len(), 1);
    }

    async fn a_date_range_pages_by_date_then_id_and_shows_every_note_once(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        // Created in an order their dates do not follow; one before the range.
        let mut expected = Vec::new();
        for date in ["2026-11-05", "2026-11-03", "2026-11-05", "2026-11-04", "2026-10-30", "2026-11-03"] {
            let (status, note) = api
                .post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": date,
                    "reason": "paging", "lines": [{"description": "x", "quantity": "1",
                    "unit_price": "1.00", "tax_rate": "20"}]}))
                .await;
            assert_eq!(status, 201, "{note}");
            if date >= "2026-11-01" {
                expected.push((date.to_string(), note["id"].as_i64().unwrap()));
            }
        }
        expected.sort();
        let mut seen = Vec::new();
        let mut path = "/credit-notes?date_from=2026-11-01&limit=2".to_string();
        loop {
            let (status, page) = api.get(&path).await;
            assert_eq!(status, 200, "{page}");
            for note in page["items"].as_array().unwrap() {
                seen.push((note["date"].as_str().unwrap().to_string(), note["id"].as_i64().unwrap()));
            }
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/credit-notes?date_from=2026-11-01&limit=2&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen, expected);
    }

    async fn bad_requests_are_problems_never_crashes(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let send_raw = |path: &str, body: &str| {
            api.send(app.client.post(app.url(path)).header("content-type", "application/json").body(body.to_string()))
        };
        let (status, body) = send_raw("/api/v1/invoices", "{\"customer_id\": 1,").await;
        assert_eq!((status, code(&body)), (400, "bad_request"));
        let (status, body) = send_raw("/api/v1/invoices", "{\"customer_id\": 1, \"currency\": \"EUR\", \"issue_date\": \"2026-11-01\", \"lines\": [], \"discount\": 5}").await;
        assert_eq!((status, code(&body)), (422, "validation_error"), "unknown field: {body}");
        let (status, body) = api.get("/invoices/abc").await;
        assert_eq!((status, code(&body)), (404, "not_found"));
        let (status, body) = api.get("/credit-notes/424242").await;
        assert_eq!((status, code(&body)), (404, "not_found"));
        let (status, body) = api.get("/no-such-thing").await;
        assert_eq!((status, code(&body)), (404, "not_found"));
        let acme = api.customer("Acme", "EUR").await;
        let (status, body) = api
            .post("/invoices", json!({"customer_id": acme, "currency": "EURO", "issue_date": "2026-13-01",
                "lines": [{"description": "x", "quantity": "1", "unit_price": "1e3", "tax_rate": "20"}]}))
            .await;
        assert_eq!((status, code(&body)), (422, "validation_error"));
        let fields: Vec<_> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["currency", "issue_date", "lines[0].unit_price"]);
    }

    async fn a_customer_user_sees_only_its_finalized_documents(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme", "EUR").await;
        let globex = admin.customer("Globex", "EUR").await;
        admin.invoice(acme, "EUR", "10.00").await;
        let other_invoice = admin.invoice(globex, "EUR", "10.00").await;
        let own_note = admin.note(acme, "EUR", "1.00").await;
        let (_, draft) = admin
            .post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05",
                "charge": {"code": "GW", "description": "Goodwill", "amount": "5.00"}}))
            .await;
        user(&app.db.services(), "portal@acme.example", Role::Customer, Some(acme)).await;
        let portal = Api { app: &app, token: Some(app.token("portal@acme.example").await) };

        let (_, invoices) = portal.get("/invoices").await;
        assert_eq!(invoices["items"].as_array().unwrap().len(), 1);
        let (status, body) = portal.get(&format!("/invoices/{}", other_invoice["id"])).await;
        assert_eq!((status, code(&body)), (404, "not_found"));
        let (_, notes) = portal.get(&format!("/credit-notes?customer_id={globex}")).await;
        assert_eq!(notes["items"].as_array().unwrap().len(), 1, "the filter cannot widen the view");
        assert_eq!(notes["items"][0]["id"], own_note["id"]);
        let (status, body) = portal.get(&format!("/credit-notes/{}", draft["id"])).await;
        assert_eq!((status, code(&body)), (404, "not_found"));
        let (status, body) = portal.post(&format!("/credit-notes/{}/submit", draft["id"]), json!({})).await;
        assert_eq!((status, code(&body)), (403, "forbidden"));
    }

    async fn payments_mark_paid_and_the_actions_linked_notes_block(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "100.00").await;
        let id = invoice["id"].as_i64().unwrap();

        let (status, paid) = api.post(&format!("/invoices/{id}/payments"), json!({"amount": "30.00", "date": "2026-11-10", "method": "transfer"})).await;
        assert_eq!(status, 201, "{paid}");
        assert_eq!(paid["paid_amount"], "30.00");
        assert_eq!(paid["outstanding"], "70.00");
        let (status, body) = api.post(&format!("/invoices/{id}/payments"), json!({"amount": "70.01", "date": "2026-11-10"})).await;
        assert_eq!((status, code(&body)), (422, "exceeds_outstanding"));

        let note = api.note(acme, "EUR", "20.00").await;
        let (status, linked) = api.post(&format!("/invoices/{id}/allocations"), json!({"allocations": [{"credit_note_id": note["id"]}]})).await;
        assert_eq!(status, 201);
        assert_eq!(linked["outstanding"], "50.00");

        let (status, body) = api.send(app.client.patch(app.url(&format!("/api/v1/invoices/{id}"))).json(&json!({"due_date": "2026-12-31"}))).await;
        assert_eq!((status, code(&body)), (409, "invoice_has_allocations"));
        let (status, body) = api.post(&format!("/invoices/{id}/cancel"), json!({})).await;
        assert_eq!((status, code(&body)), (409, "invoice_has_allocations"));
        let (status, body) = api.delete(&format!("/invoices/{id}")).await;
        assert_eq!((status, code(&body)), (409, "invoice_has_allocations"));
        let (status, body) = api.post(&format!("/credit-notes/{}/cancel", note["id"]), json!({})).await;
        assert_eq!((status, code(&body)), (409, "credit_note_allocated"));

        let (status, paid) = api.post(&format!("/invoices/{id}/mark-paid"), json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(paid["status"], "paid");
        assert_eq!(paid["paid_amount"], "80.00", "a payment equal to the outstanding after credits");
        let (status, body) = api.post(&format!("/invoices/{id}/mark-pending"), json!({})).await;
        assert_eq!((status, code(&body)), (409, "invoice_has_allocations"));

        let allocation = paid["allocations"][0]["id"].as_i64().unwrap();
        let (status, _) = api.delete(&format!("/invoices/{id}/allocations/{allocation}")).await;
        assert_eq!(status, 204);
        let (_, unlinked) = api.get(&format!("/invoices/{id}")).await;
        assert_eq!(unlinked["status"], "pending", "money is outstanding again");
        assert_eq!(unlinked["outstanding"], "20.00");
        let (_, paid) = api.post(&format!("/invoices/{id}/mark-paid"), json!({})).await;
        let (status, pending) = api.post(&format!("/invoices/{id}/mark-pending"), json!({})).await;
        assert_eq!(status, 200, "{pending}");
        assert_eq!(pending["status"], "pending");
        assert_eq!(pending["paid_amount"], "30.00", "only mark-paid payments are taken back");
        assert_ne!(paid, pending);

        // Issued, it is never edited (CGI art. 289), whatever the edit.
        let (status, edited) = api
            .send(app.client.patch(app.url(&format!("/api/v1/invoices/{id}"))).json(&json!({"due_date": "2026-12-31"})))
            .await;
        assert_eq!((status, code(&edited)), (409, "invoice_issued"), "{edited}");
    }

    async fn refunds_edits_cancellations_and_deletions_of_credit_notes(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let acme = api.customer("Acme", "EUR").await;
        let note = api.note(acme, "EUR", "50.00").await;
        let id = note["id"].as_i64().unwrap();

        let (status, refunded) = api.post(&format!("/credit-notes/{id}/refunds"), json!({"amount": "20.00", "date": "2026-11-10"})).await;
        assert_eq!(status, 201, "{refunded}");
        assert_eq!(refunded["refunded_amount"], "20.00");
        assert_eq!(refunded["remaining_amount"], "30.00");
        let (status, body) = api.post(&format!("/credit-notes/{id}/refunds"), json!({"amount": "30.01", "date": "2026-11-10"})).await;
        assert_eq!((status, code(&body)), (422, "exceeds_remaining"));

        let (status, body) = api.send(app.client.patch(app.url(&format!("/api/v1/credit-notes/{id}"))).json(&json!({"reason": "changed"}))).await;
        assert_eq!((status, code(&body)), (409, "credit_note_finalized"));
        let (status, body) = api.delete(&format!("/credit-notes/{id}")).await;
        assert_eq!((status, code(&body)), (409, "credit_note_finalized"));
        // Refunded in part: never cancelled (the refund stays paid out); what remains is voided.
        let (status, body) = api.post(&format!("/credit-notes/{id}/cancel"), json!({})).await;
        assert_eq!((status, code(&body)), (409, "credit_note_refunded"));
        let (status, voided) = api.post(&format!("/credit-notes/{id}/void"), json!({"reason": "not needed"})).await;
        assert_eq!((status, voided["status"].as_str(), voided["remaining_amount"].as_str()), (200, Some("used"), Some("0.00")));
        let (status, body) = api.post(&format!("/credit-notes/{id}/comments"), json!({"text": "still possible"})).await;
        assert_eq!(status, 201, "comments in any status: {body}");

        let (_, draft) = api
            .post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05",
                "lines": [{"description": "A", "quantity": "2", "unit_price": "10.00", "tax_rate": "0"}]}))
            .await;
        let draft_id = draft["id"].as_i64().unwrap();
        let (status, edited) = api
            .send(app.client.patch(app.url(&format!("/api/v1/credit-notes/{draft_id}"))).json(&json!({
                "charge": {"code": "GW", "description": "Goodwill", "amount": "7.50"}
            })))
            .await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(edited["total"], "7.50");
        assert_eq!(edited["lines"], json!([]), "given content replaces the lines");
        let (status, _) = api.delete(&format!("/credit-notes/{draft_id}")).await;
        assert_eq!(status, 204);
        let (status, body) = api.get(&format!("/credit-notes/{draft_id}")).await;
        assert_eq!((status, code(&body)), (404, "not_found"));
    }

    async fn an_invoice_is_credited_in_full_or_in_part(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::SalesManager).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme", "EUR").await;
        let (_, invoice) = admin
            .post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "lines": [
                {"description": "Espresso machine", "quantity": "4", "unit_price": "250.00", "tax_rate": "20"},
                {"description": "Descaling kit", "quantity": "10", "unit_price": "12.50", "tax_rate": "20"}
            ]}))
            .await;
        let id = invoice["id"].as_i64().unwrap();

        let (status, partial) = api
            .post(&format!("/invoices/{id}/credit-notes"), json!({"date": "2026-11-05", "reason": "One machine back",
                "lines": [{"line": 0, "quantity": "1"}]}))
            .await;
        assert_eq!(status, 201, "{partial}");
        assert_eq!(partial["customer_id"], acme);
        assert_eq!(partial["currency"], "EUR");
        assert_eq!(partial["related_invoice_id"], id);
        assert_eq!(partial["lines"].as_array().unwrap().len(), 1);
        assert_eq!(partial["total"], "300.00");
        assert!(partial.get("warnings").is_none());

        let (status, full) = api.post(&format!("/invoices/{id}/credit-notes"), json!({"date": "2026-11-06"})).await;
        assert_eq!(status, 201);
        assert_eq!(full["total"], "1350.00");
        let warning = full["warnings"][0].as_str().unwrap();
        assert!(warning.contains("300.00 EUR credited"), "names what was credited before: {warning}");

        let (status, body) = api
            .post(&format!("/invoices/{id}/credit-notes"), json!({"lines": [{"line": 0, "quantity": "5"}, {"line": 7}]}))
            .await;
        assert_eq!((status, code(&body)), (422, "validation_error"));
        assert_eq!(body["errors"].as_array().unwrap().len(), 2);

        let (status, timeline) = api.get(&format!("/credit-notes/{}/timeline", partial["id"])).await;
        assert_eq!(status, 200);
        assert_eq!(timeline["items"][0]["kind"], "credit_note_created");
    }

    async fn correction_invoices_carry_negative_amounts(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let acme = api.customer("Acme", "EUR").await;
        let globex = api.customer("Globex", "EUR").await;
        let original = api.invoice(acme, "EUR", "100.00").await;
        let correction = |customer: i64, related: Value, quantity: &str| json!({
            "customer_id": customer, "currency": "EUR", "issue_date": "2026-11-03", "kind": "correction",
            "related_invoice_id": related, "project": "P-7",
            "lines": [{"description": "Correction", "quantity": quantity, "unit_price": "100.00", "tax_rate": "0"}]
        });
        let (status, body) = api.post("/invoices", correction(acme, original["id"].clone(), "-1")).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["kind"], "correction");
        assert_eq!(body["total"], "-100.00", "neutralizes the 100.00 invoice");
        assert_eq!(body["outstanding"], "0.00", "never below zero");
        assert_eq!(body["related_invoice_id"], original["id"]);
        assert_eq!(body["project"], "P-7");

        let (status, body) = api.post("/invoices", correction(acme, Value::Null, "-1")).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("related_invoice_id")));
        let (status, body) = api.post("/invoices", correction(acme, original["id"].clone(), "1")).await;
        assert_eq!((status, code(&body)), (422, "validation_error"));
        let (status, body) = api.post("/invoices", correction(globex, original["id"].clone(), "-1")).await;
        assert_eq!((status, code(&body)), (422, "customer_mismatch"));
        let mut negative_standard = correction(acme, Value::Null, "-1");
        negative_standard["kind"] = json!("standard");
        let (status, body) = api.post("/invoices", negative_standard).await;
        assert_eq!((status, code(&body)), (422, "validation_error"));

        // The corrected invoice, issued, stays as it was issued.
        let url = app.url(&format!("/api/v1/invoices/{}", original["id"]));
        let (status, body) = api.send(app.client.patch(&url).json(&json!({"customer_id": globex}))).await;
        assert_eq!((status, code(&body)), (409, "invoice_issued"), "{body}");
    }

    async fn lines_without_a_rate_take_the_tax_table(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let manager = Api::new(&app, Role::CreditManager).await;
        let table = json!({"rules": [
            {"region": "DE", "category": "standard", "rate": "19"},
            {"region": "DE", "category": "reduced", "rate": "7"}
        ]});
        let url = app.url("/api/v1/tax-rules");
        let (status, body) = manager.send(app.client.put(&url).json(&table)).await;
        assert_eq!((status, code(&body)), (403, "forbidden"));
        let (status, body) = admin
            .send(app.client.put(&url).json(&json!({"rules": [{"region": "DE", "category": "x", "rate": "120"}]})))
            .await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("rules[0].rate")));
        let (status, saved) = admin.send(app.client.put(&url).json(&table)).await;
        assert_eq!(status, 200, "{saved}");
        let (_, read) = manager.get("/tax-rules").await;
        assert_eq!(read, saved);

        let acme = admin.customer("Acme", "EUR").await;
        let (status, invoice) = manager
            .post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "lines": [
                {"description": "Machine", "quantity": "1", "unit_price": "100.00"},
                {"description": "Book", "quantity": "1", "unit_price": "100.00", "tax_category": "reduced"},
                {"description": "Export", "quantity": "1", "unit_price": "100.00", "tax_rate": "0"}
            ]}))
            .await;
        assert_eq!(status, 201, "{invoice}");
        let taxes: Vec<_> = invoice["lines"].as_array().unwrap().iter().map(|l| l["tax"].as_str().unwrap()).collect();
        assert_eq!(taxes, ["19.00", "7.00", "0.00"]);
        let (status, body) = manager
            .post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "lines": [
                {"description": "Wine", "quantity": "1", "unit_price": "10.00", "tax_category": "alcohol"}
            ]}))
            .await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("lines[0].tax_rate")));
    }
}
