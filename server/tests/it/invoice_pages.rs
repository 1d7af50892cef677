//! The invoice page's actions through HTTP, as a browser posts them: payments, mark paid and
//! pending, cancel and delete, each offered only when the role and the status allow and
//! refused by the server otherwise, on SQLite and PostgreSQL.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::{Value, json};

fn id(body: &Value) -> String {
    body["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {body}"))
        .to_string()
}

on_both_backends! {
    async fn payments_and_mark_paid_change_the_outstanding_amount(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = id(&api.invoice(acme, "EUR", "100.00").await);
        let page = format!("/invoices/{invoice}");

        // A viewer sees the invoice but no form, and the server refuses the post too.
        let viewer = app.session(Role::Viewer).await;
        let (status, html) = viewer.page(&page).await;
        assert_eq!(status, 200);
        assert!(!html.contains("Record a payment") && !html.contains("Mark paid"));
        let (status, _) = viewer.rpc("mark_invoice_paid", &[("invoice_id", &invoice)]).await;
        assert_eq!(status, 403);

        let manager = app.session(Role::CreditManager).await;
        let (_, html) = manager.page(&page).await;
        assert!(html.contains("Record a payment") && html.contains("Mark paid"));
        assert!(!html.contains("Cancel invoice"), "only administrators cancel invoices");
        // Bad amounts are named on their field and write nothing.
        for amount in ["12.345", "-5", "abc", "100.01"] {
            let (status, body) = manager
                .rpc("record_payment", &[("invoice_id", &invoice), ("amount", amount), ("date", "2026-11-20"), ("method", ""), ("reference", "")])
                .await;
            assert_ne!(status / 100, 2, "{amount}: {body}");
        }
        let (status, body) = manager
            .rpc("record_payment", &[("invoice_id", &invoice), ("amount", "40"), ("date", "2026-11-20"), ("method", "bank"), ("reference", "TX-1")])
            .await;
        assert!(status < 400, "{status} {body}");
        let (_, body) = api.get(&format!("/invoices/{invoice}")).await;
        assert_eq!(body["paid_amount"], "40.00");
        assert_eq!(body["outstanding"], "60.00");

        // Mark paid settles the rest; then only "mark pending" is offered, which takes it back.
        let (status, body) = manager.rpc("mark_invoice_paid", &[("invoice_id", &invoice)]).await;
        assert!(status < 400, "{status} {body}");
        let (_, html) = manager.page(&page).await;
        assert!(html.contains("Mark pending") && !html.contains("Record a payment"));
        let (_, body) = api.get(&format!("/invoices/{invoice}")).await;
        assert_eq!(body["status"], "paid");
        let (status, body) = manager.rpc("mark_invoice_pending", &[("invoice_id", &invoice)]).await;
        assert!(status < 400, "{status} {body}");
        let (_, body) = api.get(&format!("/invoices/{invoice}")).await;
        assert_eq!((body["status"].as_str(), body["paid_amount"].as_str()), (Some("pending"), Some("40.00")));
    }

    async fn linked_notes_block_cancel_and_payments_block_delete(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = id(&api.invoice(acme, "EUR", "100.00").await);
        let note = api.note(acme, "EUR", "30.00").await;
        let (status, body) = api
            .post(&format!("/invoices/{invoice}/allocations"), json!({"allocations": [{"credit_note_id": note["id"]}]}))
            .await;
        assert_eq!(status, 201, "{body}");

        let admin = app.session(Role::Administrator).await;
        let page = format!("/invoices/{invoice}");
        let (_, html) = admin.page(&page).await;
        assert!(html.contains("Cancel invoice"));
        assert!(html.contains("unlink them first"), "the disabled action says why");
        let (status, body) = admin.rpc("cancel_invoice", &[("invoice_id", &invoice)]).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["code"], "invoice_has_allocations");

        // Unlinked, it carries a payment: delete is refused (cancel keeps the payment).
        let allocation = body_allocation(&api, &invoice).await;
        let (status, _) = api.delete(&format!("/invoices/{invoice}/allocations/{allocation}")).await;
        assert!(status < 300);
        let (status, _) = admin
            .rpc("record_payment", &[("invoice_id", &invoice), ("amount", "10"), ("date", "2026-11-20"), ("method", ""), ("reference", "")])
            .await;
        assert!(status < 400);
        // An issued invoice keeps its number: never deleted. Part of it is paid, so it is not
        // cancelled either: what remains is credited by a note of its own.
        let (status, body) = admin.rpc("delete_invoice", &[("invoice_id", &invoice)]).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["code"], "invalid_status");
        let (status, body) = admin.rpc("cancel_invoice", &[("invoice_id", &invoice)]).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("invoice_has_payments")), "{body}");
        // Unpaid, it is cancelled by a credit note, on the page as on the API.
        let unpaid = id(&api.invoice(acme, "EUR", "20.00").await);
        let (status, body) = admin.rpc("cancel_invoice", &[("invoice_id", &unpaid)]).await;
        assert!(status < 400, "{status} {body}");
        let (_, html) = admin.page(&format!("/invoices/{unpaid}")).await;
        assert!(html.contains("Cancelled") && html.contains("CN-2026-"), "the cancelling note is listed");
        assert!(!html.contains("aria-label=\"Unlink"), "and stays linked");

        // A draft is deleted, and the browser goes back to the list.
        let (status, draft) = api
            .post("/invoices", serde_json::json!({
                "customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "status": "draft",
                "lines": [{"description": "Service", "quantity": "1", "unit_price": "5.00", "tax_rate": "0"}]
            }))
            .await;
        assert_eq!(status, 201, "{draft}");
        let fresh = id(&draft);
        let response = admin
            .browser
            .post(app.url("/rpc/delete_invoice"))
            .header("accept", "text/html")
            .header("referer", app.url(&format!("/invoices/{fresh}")))
            .form(&[("invoice_id", fresh.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], "/invoices");
        let (status, _) = api.get(&format!("/invoices/{fresh}")).await;
        assert_eq!(status, 404);
    }
}

async fn body_allocation(api: &Api<'_>, invoice: &str) -> i64 {
    let (_, body) = api.get(&format!("/invoices/{invoice}")).await;
    body["allocations"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no allocation in {body}"))
}
