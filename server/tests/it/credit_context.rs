//! Credits carry context, on SQLite and PostgreSQL: a credit of an invoice takes the invoice's
//! project and the ship dates of the lines it credits (the latest is the note's), from
//! standard and advance invoices alike.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp, pdf_text};
use serde_json::{Value, json};

async fn shipped_invoice(api: &Api<'_>, customer: i64, kind: &str) -> Value {
    let (status, invoice) = api
        .post("/invoices", json!({
            "customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02", "kind": kind,
            "project": "Relaunch 2026",
            "lines": [
                {"description": "Chairs", "quantity": "4", "unit_price": "50.00", "tax_rate": "20", "ship_date": "2026-02-20"},
                {"description": "Tables", "quantity": "1", "unit_price": "300.00", "tax_rate": "20", "ship_date": "2026-02-27"},
                {"description": "Assembly", "quantity": "1", "unit_price": "80.00", "tax_rate": "20"}
            ]
        }))
        .await;
    assert_eq!(status, 201, "{invoice}");
    invoice
}

on_both_backends! {
    async fn a_credit_carries_the_invoices_project_and_the_latest_ship_date_of_its_lines(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let customer = api.customer("Acme", "EUR").await;
        let invoice = shipped_invoice(&api, customer, "standard").await;
        assert_eq!(invoice["lines"][1]["ship_date"], "2026-02-27");
        assert_eq!(invoice["lines"][2]["ship_date"], Value::Null);
        let id = invoice["id"].as_i64().unwrap();

        // Two chairs only: their ship date, and the project.
        let (status, note) = api.post(&format!("/invoices/{id}/credit-notes"), json!({"lines": [{"line": 0, "quantity": "2"}]})).await;
        assert_eq!(status, 201, "{note}");
        assert_eq!((note["project"].as_str(), note["ship_date"].as_str()), (Some("Relaunch 2026"), Some("2026-02-20")));
        assert_eq!(note["lines"][0]["ship_date"], "2026-02-20");

        // Chairs, tables and assembly: the latest of the dates the lines have.
        let (status, note) = api
            .post(&format!("/invoices/{id}/credit-notes"), json!({"lines": [{"line": 0, "quantity": "1"}, {"line": 1, "quantity": "1"}, {"line": 2, "quantity": "1"}]}))
            .await;
        assert_eq!(status, 201, "{note}");
        assert_eq!(note["ship_date"], "2026-02-27");
        // It stays once finalized, and the note's page shows it.
        let (status, note) = api.post(&format!("/credit-notes/{}/finalize", note["id"]), json!({})).await;
        assert_eq!((status, note["ship_date"].as_str()), (200, Some("2026-02-27")), "{note}");
        let browser = app.session(Role::CreditManager).await;
        let (_, html) = browser.page(&format!("/credit-notes/{}", note["id"])).await;
        assert!(html.contains("Relaunch 2026") && html.contains("2026-02-27"), "{html}");
        // And its PDF, beside the invoice it credits.
        let (status, _, pdf) = api.file(&format!("/credit-notes/{}/pdf", note["id"])).await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Project Relaunch 2026") && text.contains("Goods shipped Feb 27, 2026"), "{text}");
        let (_, _, pdf) = api.file(&format!("/invoices/{id}/pdf")).await;
        assert!(pdf_text(&pdf).contains("Relaunch 2026"), "the invoice prints its project too");

        // Only the assembly, which was never shipped: no ship date.
        let (_, note) = api.post(&format!("/invoices/{id}/credit-notes"), json!({"lines": [{"line": 2, "quantity": "1"}]})).await;
        assert_eq!((note["project"].as_str(), note["ship_date"].clone()), (Some("Relaunch 2026"), Value::Null));

        // A standalone credit has neither.
        let note = api.note(customer, "EUR", "5.00").await;
        assert_eq!((note["project"].clone(), note["ship_date"].clone()), (Value::Null, Value::Null));

        // A date that is not one is refused on its line, and nothing is written.
        let (status, body) = api
            .post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02",
                "lines": [{"description": "Chairs", "quantity": "1", "unit_price": "50.00", "tax_rate": "20", "ship_date": "27/02/2026"}]}))
            .await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("lines[0].ship_date")), "{body}");
    }

    async fn an_advance_invoice_is_credited_like_a_standard_one(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let customer = api.customer("Acme", "EUR").await;
        let advance = shipped_invoice(&api, customer, "advance").await;
        assert_eq!(advance["kind"], "advance");
        let (status, note) = api.post(&format!("/invoices/{}/credit-notes", advance["id"]), json!({"lines": [{"line": 1, "quantity": "1"}]})).await;
        assert_eq!(status, 201, "{note}");
        assert_eq!((note["total"].as_str(), note["ship_date"].as_str()), (Some("360.00"), Some("2026-02-27")));
        assert_eq!(note["related_invoice_id"], advance["id"]);
    }

    async fn ship_dates_are_typed_in_the_editors_and_kept_on_edit(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let customer = api.customer("Acme", "EUR").await;
        let browser = app.session(Role::CreditManager).await;
        let (_, html) = browser.page("/invoices/new").await;
        assert!(html.contains("Ship date of line 1"), "{html}");
        let customer_id = customer.to_string();
        let form = [
            ("form[customer_id]", customer_id.as_str()), ("form[currency]", "EUR"), ("form[issue_date]", "2026-03-02"),
            ("form[lines][0][description]", "Chairs"), ("form[lines][0][quantity]", "2"),
            ("form[lines][0][unit_price]", "50.00"), ("form[lines][0][tax_rate]", "20"),
            ("form[lines][0][ship_date]", "2026-02-21"),
        ];
        let (status, body) = browser.rpc("save_invoice", &form).await;
        assert!(status < 400, "{status} {body}");
        let (_, list) = api.get(&format!("/invoices?customer_id={customer}")).await;
        let invoice = &list["items"][0];
        assert_eq!(invoice["lines"][0]["ship_date"], "2026-02-21", "{list}");
        let (_, html) = browser.page(&format!("/invoices/{}/edit", invoice["id"])).await;
        assert!(html.contains(r#"value="2026-02-21""#), "the editor shows it again: {html}");
        let mut bad = form;
        bad[7].1 = "soon";
        let (status, body) = browser.rpc("save_invoice", &bad).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("lines[0].ship_date")), "{body}");
    }
}
