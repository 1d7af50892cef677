//! The invoice editor through HTTP, as a browser posts it: a new invoice as a draft, issued
//! later with the next number; the edit of a draft; a correction invoice that starts as the
//! corrected invoice negated; refusals on their row and field that write nothing.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};

/// The editor's fields for one customer, with a line per `(description, quantity, price)`.
fn form(customer: i64, status: &str, lines: &[(&str, &str, &str)]) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("form[customer_id]", customer.to_string()),
        ("form[issue_date]", "2026-11-20".to_string()),
        ("form[due_date]", "2026-12-20".to_string()),
        ("form[status]", status.to_string()),
    ];
    let keys = [
        [
            "form[lines][0][description]",
            "form[lines][0][quantity]",
            "form[lines][0][unit_price]",
            "form[lines][0][tax_rate]",
        ],
        [
            "form[lines][1][description]",
            "form[lines][1][quantity]",
            "form[lines][1][unit_price]",
            "form[lines][1][tax_rate]",
        ],
    ];
    for (key, (description, quantity, price)) in keys.iter().zip(lines) {
        form.push((key[0], description.to_string()));
        form.push((key[1], quantity.to_string()));
        form.push((key[2], price.to_string()));
        form.push((key[3], "19".to_string()));
    }
    form
}

on_both_backends! {
    // EN 16931 BT-151 and BT-120 (CGI annexe II art. 242 nonies A, I-12°); PCG art. 944-70:
    // each line of the editor says what it sells and why it is untaxed, and the invoice keeps
    // it; the page shows the choices again for editing; a value no list offers is refused on
    // its row.
    async fn the_editor_line_says_what_it_sells_and_why_it_is_untaxed(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let manager = app.session(Role::CreditManager).await;
        let (_, html) = manager.page("/invoices/new").await;
        assert!(html.contains(r#"name="form[lines][0][nature]""#) && html.contains(r#"name="form[lines][0][vat_category]""#), "{html}");

        let mut posted = form(acme, "draft", &[("Training", "1", "100.00"), ("Chair", "1", "50.00")]);
        for (key, value) in [
            ("form[lines][0][tax_rate]", "0"),
            ("form[lines][0][nature]", "services"),
            ("form[lines][0][vat_category]", "exempt"),
            ("form[lines][0][vat_exemption_reason]", "Exonération de TVA, article 261-4-4° a du CGI"),
            ("form[lines][1][nature]", "goods"),
        ] {
            match posted.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value.to_string(),
                None => posted.push((key, value.to_string())),
            }
        }
        let mut wrong = posted.clone();
        wrong.push(("form[lines][1][vat_category]", "Z".to_string()));
        let (status, body) = manager.rpc_form("save_invoice", &wrong).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("lines[1].vat_category")), "{body}");

        let (status, body) = manager.rpc_form("save_invoice", &posted).await;
        assert!(status < 400, "{status} {body}");
        let (_, list) = api.get(&format!("/invoices?customer_id={acme}")).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "the refused form wrote nothing: {list}");
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (_, invoice) = api.get(&format!("/invoices/{id}")).await;
        let lines = invoice["lines"].as_array().unwrap();
        assert_eq!((lines[0]["nature"].as_str(), lines[0]["vat_category"].as_str()), (Some("services"), Some("exempt")), "{invoice}");
        assert_eq!(lines[0]["vat_exemption_reason"], "Exonération de TVA, article 261-4-4° a du CGI");
        assert_eq!((lines[1]["nature"].as_str(), lines[1]["vat_category"].as_str()), (Some("goods"), Some("standard")), "{invoice}");

        let (_, html) = manager.page(&format!("/invoices/{id}/edit")).await;
        assert!(html.contains(r#"<option value="exempt" selected"#), "{html}");
        assert!(html.contains(r#"<option value="goods" selected"#), "{html}");
    }

    async fn a_draft_is_saved_edited_and_issued_with_the_next_number(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let manager = app.session(Role::CreditManager).await;

        let (status, html) = manager.page("/invoices").await;
        assert_eq!(status, 200);
        assert!(html.contains("New invoice"));
        let (status, html) = manager.page("/invoices/new").await;
        assert_eq!(status, 200);
        assert!(html.contains("Save invoice") && html.contains("Acme (EUR)"), "{html}");

        // Sales staff neither see the link nor may post the form.
        let sales = app.session(Role::Sales).await;
        let (_, html) = sales.page("/invoices").await;
        assert!(!html.contains("New invoice"));
        let (status, _) = sales.rpc_form("save_invoice", &form(acme, "draft", &[("Desk", "1", "10.00")])).await;
        assert_eq!(status, 403);

        // A bad price is named on its row; nothing is written.
        let (status, body) = manager.rpc_form("save_invoice", &form(acme, "draft", &[("Desk", "2", "100.00"), ("Chair", "1", "9.999")])).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "lines[1].unit_price");
        let (_, list) = api.get(&format!("/invoices?customer_id={acme}")).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{list}");

        let (status, body) = manager.rpc_form("save_invoice", &form(acme, "draft", &[("Desk", "2", "100.00")])).await;
        assert!(status < 400, "{status} {body}");
        let (_, list) = api.get(&format!("/invoices?customer_id={acme}")).await;
        let draft = list["items"][0].clone();
        let id = draft["id"].as_i64().expect("an id");
        assert_eq!((draft["status"].as_str(), draft["total"].as_str()), (Some("draft"), Some("238.00")), "{draft}");
        assert!(draft["number"].as_str().is_some_and(|n| n.starts_with("DRAFT-")), "{draft}");
        assert_eq!(draft["due_date"], "2026-12-20");

        // The edit page shows the draft's lines; saving changes them.
        let (status, html) = manager.page(&format!("/invoices/{id}/edit")).await;
        assert_eq!(status, 200);
        assert!(html.contains("value=\"Desk\"") && html.contains("Save changes"), "{html}");
        let mut edit = form(acme, "", &[("Desk", "3", "100.00")]);
        edit.push(("invoice_id", id.to_string()));
        let (status, body) = manager.rpc_form("save_invoice", &edit).await;
        assert!(status < 400, "{status} {body}");
        let (_, saved) = api.get(&format!("/invoices/{id}")).await;
        assert_eq!((saved["status"].as_str(), saved["total"].as_str()), (Some("draft"), Some("357.00")));

        // The invoice page offers "Issue invoice" for the draft; issuing numbers it.
        let (_, html) = manager.page(&format!("/invoices/{id}")).await;
        assert!(html.contains("Issue invoice") && html.contains("Edit invoice"));
        let (status, body) = manager.rpc("issue_invoice", &[("invoice_id", &id.to_string())]).await;
        assert!(status < 400, "{status} {body}");
        let (_, issued) = api.get(&format!("/invoices/{id}")).await;
        assert_eq!(issued["status"], "pending");
        assert!(issued["number"].as_str().is_some_and(|n| n.starts_with("INV-2026-")), "{issued}");
        let (status, _) = manager.rpc("issue_invoice", &[("invoice_id", &id.to_string())]).await;
        assert_eq!(status, 409, "an issued invoice is not issued twice");
    }

    async fn a_correction_invoice_negates_the_corrected_one(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "100.00").await;
        let id = invoice["id"].as_i64().expect("an id");
        let manager = app.session(Role::CreditManager).await;

        let (_, html) = manager.page(&format!("/invoices/{id}")).await;
        assert!(html.contains("Correction invoice"));
        let (status, html) = manager.page(&format!("/invoices/new?corrects={id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("value=\"-1\"") && html.contains("value=\"100.00\""), "{html}");

        // A positive total is no correction; the refusal writes nothing.
        let mut positive = form(acme, "pending", &[("Service", "1", "100.00")]);
        positive.extend([("form[kind]", "correction".to_string()), ("form[corrects]", id.to_string())]);
        let (status, body) = manager.rpc_form("save_invoice", &positive).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "lines");

        let mut correction = form(acme, "pending", &[("Service", "-1", "100.00")]);
        correction.extend([
            ("form[kind]", "correction".to_string()),
            ("form[corrects]", id.to_string()),
            ("form[currency]", "EUR".to_string()),
        ]);
        let (status, body) = manager.rpc_form("save_invoice", &correction).await;
        assert!(status < 400, "{status} {body}");
        let (_, list) = api.get(&format!("/invoices?customer_id={acme}")).await;
        let items = list["items"].as_array().expect("a list");
        assert_eq!(items.len(), 2, "{list}");
        let made = items.iter().find(|i| i["kind"] == "correction").expect("the correction");
        assert_eq!((made["total"].as_str(), made["related_invoice_id"].as_i64()), (Some("-119.00"), Some(id)));

        // A correction of a correction is refused on the corrected invoice.
        let mut again = correction.clone();
        let made_id = made["id"].as_i64().expect("an id").to_string();
        for (key, value) in again.iter_mut() {
            if *key == "form[corrects]" {
                *value = made_id.clone();
            }
        }
        let (status, body) = manager.rpc_form("save_invoice", &again).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "related_invoice_id");
    }
}
