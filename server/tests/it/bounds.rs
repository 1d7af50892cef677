//! Input at the edges: numbers that overflow `Decimal` or the stored minor units are refused on
//! their field (never a dropped connection), and a refusal of one linked note is named by the
//! door's own notation: the request's position on the API, the dialog row in the browser.

use crate::common;

use app::domain::Role;
use common::{ApiClient, TestApp, available_note, customer, invoice, staff, user};
use serde_json::{Value, json};

fn line(quantity: &str, unit_price: &str, discount: &str, tax_rate: &str) -> Value {
    json!({
        "description": "item", "quantity": quantity, "unit_price": unit_price,
        "discount_percent": discount, "tax_rate": tax_rate,
    })
}

/// Each bad line with the field it must be refused on.
fn bad_lines() -> Vec<(Vec<Value>, &'static str)> {
    vec![
        (
            vec![line("79228162514264337593543950335", "1.00", "0", "0")],
            "lines[0].quantity",
        ),
        (
            vec![line("-79228162514264337593543950335", "1.00", "0", "0")],
            "lines[0].quantity",
        ),
        (
            vec![
                line("1000000000.5", "1.00", "0", "0"),
                line("2", "100000000000000000000", "0", "0"),
            ],
            "lines[1].unit_price",
        ),
        (
            vec![line("1", "1000000000000.01", "0", "0")],
            "lines[0].unit_price",
        ),
        (
            vec![line("1", "10.00", "101", "0")],
            "lines[0].discount_percent",
        ),
        (vec![line("1", "10.00", "0", "-1")], "lines[0].tax_rate"),
        (
            vec![line("0.0000001", "10.00", "0", "0")],
            "lines[0].quantity",
        ),
        // Each value in bounds, the line's total beyond the stored cents.
        (
            vec![line("1000000000", "1000000000000", "0", "20")],
            "lines[0]",
        ),
        // Each line fits, their sum does not.
        (vec![line("1000000000", "90000000", "0", "0"); 2], "lines"),
        (vec![line("1", "1.00", "0", "0"); 1001], "lines"),
    ]
}

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

on_both_backends! {
    async fn extreme_line_values_answer_422_on_their_field_and_write_nothing(db) {
        let app = TestApp::spawn(db).await;
        let api = ApiClient::new(&app, Role::CreditManager).await;
        let acme = api.customer("Acme", "EUR").await;

        for (lines, field) in bad_lines() {
            let invoice = json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "lines": lines});
            let (status, body) = api.post("/invoices", invoice).await;
            assert_eq!(status, 422, "invoice, {field}: {body}");
            assert_eq!(body["code"], "validation_error", "{body}");
            assert!(fields(&body).contains(&field.to_string()), "invoice, {field}: {body}");

            let note = json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05", "lines": lines});
            let (status, body) = api.post("/credit-notes", note).await;
            assert_eq!(status, 422, "credit note, {field}: {body}");
            assert!(fields(&body).contains(&field.to_string()), "credit note, {field}: {body}");
        }
        let (_, invoices) = api.get("/invoices").await;
        assert_eq!(invoices["items"], json!([]), "nothing written");
        let (_, notes) = api.get("/credit-notes").await;
        assert_eq!(notes["items"], json!([]), "nothing written");

        // Edits (of a draft: an issued invoice is never edited) run the same checks; the
        // documents stay as they were.
        let (status, invoice) = api
            .post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "status": "draft",
                "lines": [line("1", "100.00", "0", "0")]}))
            .await;
        assert_eq!(status, 201, "{invoice}");
        let (status, draft) = api
            .post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05", "lines": [line("1", "5.00", "0", "0")]}))
            .await;
        assert_eq!(status, 201, "{draft}");
        for (lines, field) in bad_lines() {
            let (status, body) = api.patch(&format!("/invoices/{}", invoice["id"]), json!({"lines": lines})).await;
            assert_eq!((status, fields(&body).contains(&field.to_string())), (422, true), "invoice edit, {field}: {body}");
            let (status, body) = api.patch(&format!("/credit-notes/{}", draft["id"]), json!({"lines": lines})).await;
            assert_eq!((status, fields(&body).contains(&field.to_string())), (422, true), "note edit, {field}: {body}");
        }
        let (_, after) = api.get(&format!("/invoices/{}", invoice["id"])).await;
        assert_eq!(after["total"], "100.00");
        let (_, after) = api.get(&format!("/credit-notes/{}", draft["id"])).await;
        assert_eq!(after["total"], "5.00");

        // The largest values within bounds are taken, and the server is still answering.
        let (status, body) = api
            .post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01",
                "lines": [line("1000000000", "90000000", "0", "0")]}))
            .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["total"], "90000000000000000.00");
    }

    async fn a_refused_note_is_named_by_request_on_the_api_and_by_row_in_the_dialog(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let inv = invoice(&services, "INV-7", acme, "EUR", "100.00").await;
        let first = available_note(&services, acme, "EUR", "10.00").await;
        let _second = available_note(&services, acme, "EUR", "20.00").await;
        let third = available_note(&services, acme, "EUR", "30.00").await;
        let api = ApiClient::new(&app, Role::CreditManager).await;
        // After the dialog showed 30.00 remaining, someone refunds 10.00 of the third note.
        let (status, body) = api.post(&format!("/credit-notes/{third}/refunds"), json!({"amount": "10.00", "date": "2026-11-06"})).await;
        assert_eq!(status, 201, "{body}");
        let message = "Only 20.00 EUR remain on this credit note";

        // The API names the second request, as the contract writes it.
        let (status, body) = api
            .post(&format!("/invoices/{inv}/allocations"), json!({"allocations": [
                {"credit_note_id": first}, {"credit_note_id": third, "amount": "30.00"}]}))
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["code"], "exceeds_remaining");
        assert_eq!(fields(&body), ["allocations[1].amount"]);

        // The dialog posts every row; the refusal names the third note, not the second request.
        let form = format!(
            "invoice_id={inv}&currency=EUR\
             &rows[0][credit_note_id]={first}&rows[0][selected]=on&rows[0][amount]=\
             &rows[1][credit_note_id]={_second}&rows[1][amount]=\
             &rows[2][credit_note_id]={third}&rows[2][selected]=on&rows[2][amount]=30.00"
        );
        user(&services, "cm@test.example", Role::CreditManager, None).await;
        let browser = app.signed_in("cm@test.example").await;
        let dialog = app.url(&format!("/invoices/{inv}?link=open"));

        // With JavaScript: the server function answers the problem as JSON.
        let response = browser
            .post(app.url("/rpc/link_credit_notes"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone())
            .send()
            .await
            .unwrap();
        assert!(!response.status().is_success());
        let problem: app::problem::Problem = response.json().await.unwrap();
        assert_eq!(problem.code, "exceeds_remaining");
        let fields: Vec<_> = problem.errors.iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, [format!("credit_notes[{third}].amount")]);

        // Without: a form post, redirected back to the dialog, which shows the message in the
        // third note's row and nowhere else.
        let response = browser
            .post(app.url("/rpc/link_credit_notes"))
            .header("accept", "text/html")
            .header("referer", &dialog)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with(&dialog), "back to the dialog: {location}");
        let html = browser.get(&location).send().await.unwrap().text().await.unwrap();
        let rows: Vec<&str> = html.split("<tr").skip(2).collect();
        assert_eq!(rows.len(), 3, "three notes in the dialog: {html}");
        let with_message: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].contains(message)).collect();
        assert_eq!(with_message, [2], "the message sits in the third row only: {html}");
        assert!(rows[2].contains(&format!("value=\"{third}\"")), "{}", rows[2]);

        assert!(services.invoice(&staff(Role::Viewer), inv).await.unwrap().allocations.is_empty());
    }

    async fn a_nul_character_is_refused_on_its_field_by_every_door(db) {
        // PostgreSQL cannot store U+0000 in text; SQLite could. Both refuse it alike.
        let app = TestApp::spawn(db).await;
        let api = ApiClient::new(&app, Role::Administrator).await;
        let (status, body) = api
            .post("/customers", json!({"name": "Acme", "currency": "EUR", "tax_region": "\u{0}"}))
            .await;
        assert_eq!((status, body["code"].as_str()), (422, Some("validation_error")), "{body}");
        assert_eq!(fields(&body), ["tax_region"]);

        let acme = api.customer("Acme", "EUR").await;
        let mut lines = vec![line("1", "10.00", "0", "20"); 2];
        lines[1]["description"] = json!("Widget\u{0}");
        let invoice = json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "lines": lines});
        let (status, body) = api.post("/invoices", invoice).await;
        assert_eq!((status, fields(&body)), (422, vec!["lines[1].description".to_string()]), "{body}");
        let (status, body) = api.get("/credit-notes?number=CN%00").await;
        assert_eq!((status, fields(&body)), (422, vec!["number".to_string()]), "{body}");
        // Text that merely shows an escape is text.
        let shown = api.customer("Acme \\u0000 %00", "EUR").await;
        let (_, body) = api.get(&format!("/customers/{shown}")).await;
        assert_eq!(body["name"], "Acme \\u0000 %00");

        let manager = app.session(Role::CreditManager).await;
        let form = [("form[name]", "Globex\0"), ("form[currency]", "EUR"), ("form[tax_region]", "FR")];
        let (status, body) = manager.rpc("create_customer", &form).await;
        assert_eq!((status, body["code"].as_str()), (422, Some("validation_error")), "{body}");
        let (status, _) = manager.page("/credit-notes?number=CN%00").await;
        assert_eq!(status, 422);

        let (_, customers) = api.get("/customers").await;
        let names: Vec<&str> = customers["items"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
        assert_eq!(names, ["Acme", "Acme \\u0000 %00"], "nothing else written");
    }
}
