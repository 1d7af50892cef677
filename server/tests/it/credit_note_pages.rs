//! The credit-note and invoice screens through HTTP: the lists' filters (number prefix,
//! related invoice, status) and paging, and the pages' actions as server functions, on SQLite
//! and PostgreSQL.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::Value;

fn id(body: &Value) -> i64 {
    body["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {body}"))
}

/// A draft credit note of one untaxed line, made through the API; answers its id.
async fn draft(api: &Api<'_>, customer_id: i64, description: &str, price: &str) -> i64 {
    let (status, draft) = api
        .post("/credit-notes", serde_json::json!({
            "customer_id": customer_id, "currency": "EUR", "date": "2026-11-05",
            "lines": [{"description": description, "quantity": "1", "unit_price": price, "tax_rate": "0"}]
        }))
        .await;
    assert_eq!(status, 201, "{draft}");
    id(&draft)
}

on_both_backends! {
    async fn the_list_filters_by_number_prefix_related_invoice_and_pages(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme 100% _Tools_", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "500.00").await;
        let mut numbers = Vec::new();
        for _ in 0..3 {
            numbers.push(api.note(acme, "EUR", "10.00").await["number"].as_str().unwrap().to_string());
        }
        let session = app.session(Role::CreditManager).await;

        // The whole number, and its start typed in lower case, find the note.
        let prefix = &numbers[1][..numbers[1].len() - 1].to_lowercase();
        let (status, html) = session.page(&format!("/credit-notes?number={prefix}")).await;
        assert_eq!(status, 200);
        assert!(numbers.iter().all(|n| html.contains(n.as_str())), "{prefix} finds all three");
        let (_, html) = session.page(&format!("/credit-notes?number={}", numbers[2])).await;
        assert!(html.contains(&numbers[2]) && !html.contains(&numbers[0]));
        // `%` and `_` are literal characters, never wildcards.
        let (_, html) = session.page("/credit-notes?number=CN-%25").await;
        assert!(!html.contains(&numbers[0]), "a % finds nothing");
        assert!(html.contains("No credit note matches these filters."));

        // By the related invoice's number: none relates to it yet.
        let (_, html) = session.page(&format!("/credit-notes?status=all&invoice={}", invoice["number"].as_str().unwrap())).await;
        assert!(html.contains("No credit note matches these filters."));

        // A bad date is said on its field, with a 422.
        let (status, html) = session.page("/credit-notes?date_from=28/11/2026").await;
        assert_eq!(status, 200, "the form stays usable");
        assert!(html.contains("not a date: use YYYY-MM-DD"));
    }

    async fn the_page_offers_only_allowed_actions_and_forms_change_the_note(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let note = draft(&api, acme, "Return", "40.00").await;
        let note_text = note.to_string();

        let sales = app.session(Role::Sales).await;
        let (status, html) = sales.page(&format!("/credit-notes/{note}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Submit for approval"));
        assert!(!html.contains("Approve &amp; finalize"), "sales never approve");
        // Sales cannot finalize through the server function either.
        let (status, _) = sales.rpc("finalize_credit_note", &[("credit_note_id", &note_text), ("confirm", "yes")]).await;
        assert_eq!(status, 403);
        let (status, body) = sales.rpc("submit_credit_note", &[("credit_note_id", &note_text)]).await;
        assert!(status < 400, "{status} {body}");

        let manager = app.session(Role::CreditManager).await;
        // Finalizing without the confirmation writes nothing.
        let (status, body) = manager.rpc("finalize_credit_note", &[("credit_note_id", &note_text)]).await;
        assert_ne!(status / 100, 2, "{body}");
        assert_eq!(body["errors"][0]["field"], "confirm");
        let (_, html) = manager.page(&format!("/credit-notes/{note}")).await;
        assert!(html.contains("Pending approval"));
        assert!(html.contains("Approve &amp; finalize"));

        let (status, body) = manager.rpc("finalize_credit_note", &[("credit_note_id", &note_text), ("confirm", "yes")]).await;
        assert!(status < 400, "{status} {body}");
        // A refund beyond what remains is refused on its field; a bad amount too.
        for amount in ["40.01", "12.345", "-1"] {
            let (status, body) = manager
                .rpc("refund_credit_note", &[("credit_note_id", &note_text), ("amount", amount), ("date", "2026-11-20"), ("method", "")])
                .await;
            assert_ne!(status / 100, 2, "{amount}: {body}");
        }
        let (status, body) = manager
            .rpc("refund_credit_note", &[("credit_note_id", &note_text), ("amount", "15.00"), ("date", "2026-11-20"), ("method", "bank")])
            .await;
        assert!(status < 400, "{status} {body}");
        let (_, html) = manager.page(&format!("/credit-notes/{note}")).await;
        assert!(html.contains("€25.00"), "25.00 remain");
        assert!(!html.contains(">Delete<"), "a finalized note is never deleted");
    }

    async fn crediting_part_of_an_invoice_names_refusals_by_invoice_line(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let (status, invoice) = api
            .post("/invoices", serde_json::json!({
                "customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01",
                "lines": [
                    {"description": "Chair", "quantity": "4", "unit_price": "25.00", "tax_rate": "0"},
                    {"description": "Desk", "quantity": "1", "unit_price": "200.00", "tax_rate": "0"}
                ]
            }))
            .await;
        assert_eq!(status, 201, "{invoice}");
        let invoice_id = id(&invoice).to_string();
        let sales = app.session(Role::Sales).await;
        let (status, html) = sales.page(&format!("/invoices/{invoice_id}/credit")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Lines to credit") && html.contains("Desk"));

        // Only the desk (invoice line 1), with more than was invoiced: named on line 1.
        let form = |quantity: &'static str| {
            vec![
                ("invoice_id", invoice_id.clone()), ("date", "2026-11-20".to_string()), ("reason", String::new()),
                ("rows[0][line]", "0".to_string()), ("rows[0][quantity]", "1".to_string()),
                ("rows[1][line]", "1".to_string()), ("rows[1][selected]", "on".to_string()),
                ("rows[1][quantity]", quantity.to_string()),
            ]
        };
        let (status, body) = sales.rpc_form("credit_invoice", &form("2")).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "lines[1].quantity");
        let (status, body) = sales.rpc_form("credit_invoice", &form("0.5")).await;
        assert!(status < 400, "{status} {body}");
        let (_, list) = api.get(&format!("/credit-notes?related_invoice_id={invoice_id}")).await;
        let notes = list["items"].as_array().expect("a list");
        assert_eq!(notes.len(), 1, "the refused post wrote nothing: {list}");
        assert_eq!(notes[0]["total"], "100.00");
        assert_eq!(notes[0]["status"], "draft");
    }

    async fn the_new_note_form_takes_table_rates_and_names_faults_on_their_row(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme", "EUR").await;
        let table = serde_json::json!({"rules": [{"region": "DE", "category": "standard", "rate": "19"}]});
        let (status, body) = admin.send(app.client.put(app.url("/api/v1/tax-rules")).json(&table)).await;
        assert!(status < 300, "{body}");
        let sales = app.session(Role::Sales).await;
        let (status, html) = sales.page("/credit-notes/new").await;
        assert_eq!(status, 200);
        assert!(html.contains("Acme (EUR)"));

        let acme_text = acme.to_string();
        let form = |price: &'static str| {
            vec![
                ("form[kind]", "lines".to_string()), ("form[customer_id]", acme_text.clone()),
                ("form[date]", "2026-11-20".to_string()), ("form[reason]", "Return".to_string()),
                ("form[related_invoice]", String::new()),
                // A blank first row is skipped; the second names its faults as row 1.
                ("form[lines][0][description]", String::new()), ("form[lines][0][unit_price]", String::new()),
                ("form[lines][1][description]", "Chair".to_string()), ("form[lines][1][quantity]", "2".to_string()),
                ("form[lines][1][unit_price]", price.to_string()), ("form[lines][1][tax_rate]", String::new()),
            ]
        };
        let (status, body) = sales.rpc_form("save_credit_note", &form("25.001")).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "lines[1].unit_price");
        let (status, body) = sales.rpc_form("save_credit_note", &form("25.00")).await;
        assert!(status < 400, "{status} {body}");
        let (_, list) = admin.get(&format!("/credit-notes?customer_id={acme}")).await;
        let notes = list["items"].as_array().expect("a list");
        assert_eq!(notes.len(), 1, "the refused post wrote nothing: {list}");
        // 2 × 25.00 and the table's 19 %.
        assert_eq!(notes[0]["total"], "59.50");

        // A standalone charge, and an unknown related invoice refused on its field.
        let charge = |invoice: &'static str| {
            vec![
                ("form[kind]", "charge".to_string()), ("form[customer_id]", acme_text.clone()),
                ("form[date]", "2026-11-20".to_string()), ("form[related_invoice]", invoice.to_string()),
                ("form[charge_code]", "GOODWILL".to_string()), ("form[charge_description]", "Late delivery".to_string()),
                ("form[charge_amount]", "15.00".to_string()),
            ]
        };
        let (status, body) = sales.rpc_form("save_credit_note", &charge("INV-NOPE")).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "related_invoice");
        let (status, body) = sales.rpc_form("save_credit_note", &charge("")).await;
        assert!(status < 400, "{status} {body}");
        let (_, list) = admin.get(&format!("/credit-notes?customer_id={acme}")).await;
        assert_eq!(list["items"][1]["total"], "15.00");
        assert_eq!(list["items"][1]["charge"]["code"], "GOODWILL");
    }

    async fn the_grouped_view_totals_each_invoice_without_cancelled_notes(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "500.00").await;
        let number = invoice["number"].as_str().unwrap().to_string();
        let mut ids = Vec::new();
        for price in ["30.00", "12.50", "100.00"] {
            let (status, draft) = api
                .post("/credit-notes", serde_json::json!({
                    "customer_id": acme, "currency": "EUR", "date": "2026-11-05",
                    "related_invoice_id": invoice["id"],
                    "lines": [{"description": "Return", "quantity": "1", "unit_price": price, "tax_rate": "0"}]
                }))
                .await;
            assert_eq!(status, 201, "{draft}");
            let (status, note) = api.post(&format!("/credit-notes/{}/finalize", id(&draft)), serde_json::json!({})).await;
            assert_eq!(status, 200, "{note}");
            ids.push(id(&note));
        }
        let (status, body) = api.post(&format!("/credit-notes/{}/cancel", ids[2]), serde_json::json!({})).await;
        assert_eq!(status, 200, "{body}");
        let session = app.session(Role::Viewer).await;
        let (status, html) = session.page("/credit-notes?status=all&view=by-invoice").await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("Credit notes of invoice {number}")), "{html}");
        assert!(html.contains("Credited total:") && html.contains("<strong>€42.50</strong>"), "{html}");
        // The flat list names the related invoice on each row.
        let (_, html) = session.page(&format!("/credit-notes?invoice={number}")).await;
        assert_eq!(html.matches(&format!("<td>{number}</td>")).count(), 2, "two available notes");
    }

    async fn the_editor_saves_a_pending_note_back_to_draft_and_never_a_finalized_one(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let note = draft(&api, acme, "Lamp", "40.00").await;
        let (status, body) = api.post(&format!("/credit-notes/{note}/submit"), serde_json::json!({})).await;
        assert_eq!(status, 200, "{body}");
        let sales = app.session(Role::Sales).await;
        let (status, html) = sales.page(&format!("/credit-notes/{note}/edit")).await;
        assert_eq!(status, 200);
        assert!(html.contains("value=\"Lamp\""), "the editor is filled in");
        let form = |price: &'static str| {
            vec![
                ("credit_note_id", note.to_string()), ("form[kind]", "lines".to_string()),
                ("form[customer_id]", acme.to_string()), ("form[date]", "2026-11-05".to_string()),
                ("form[lines][0][description]", "Lamp".to_string()), ("form[lines][0][quantity]", "1".to_string()),
                ("form[lines][0][unit_price]", price.to_string()), ("form[lines][0][tax_rate]", "0".to_string()),
            ]
        };
        let (status, body) = sales.rpc_form("save_credit_note", &form("35.00")).await;
        assert!(status < 400, "{status} {body}");
        let (_, saved) = api.get(&format!("/credit-notes/{note}")).await;
        assert_eq!((saved["status"].as_str(), saved["total"].as_str()), (Some("draft"), Some("35.00")));

        let (status, body) = api.post(&format!("/credit-notes/{note}/finalize"), serde_json::json!({})).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = sales.rpc_form("save_credit_note", &form("1.00")).await;
        assert_eq!(status, 409, "{body}");
        let (_, kept) = api.get(&format!("/credit-notes/{note}")).await;
        assert_eq!(kept["total"], "35.00");
    }

    async fn the_invoice_list_filters_by_status_and_number_and_pages(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let numbers = api.invoices(acme, 51).await;
        let (status, body) = api.post(&format!("/invoices/{}/mark-paid", id(&api.get(&format!("/invoices?number={}", numbers[0])).await.1["items"][0])), serde_json::json!({})).await;
        assert!(status < 300, "{body}");
        let session = app.session(Role::Viewer).await;

        // Fifty a page; the next page holds the 51st and keeps the filters.
        let (status, html) = session.page("/invoices?currency=eur").await;
        assert_eq!(status, 200);
        assert!(html.contains(&numbers[49]) && !html.contains(&numbers[50]));
        let after = html.split("after=").nth(1).and_then(|rest| rest.split('"').next()).expect("a next page link").to_string();
        assert!(html.contains("currency=eur"), "the next page keeps the filter");
        let (_, html) = session.page(&format!("/invoices?currency=eur&after={after}")).await;
        assert!(html.contains(&numbers[50]) && !html.contains(&numbers[0]));

        // By status, and by the start of the number typed in lower case.
        let (_, html) = session.page("/invoices?status=paid").await;
        assert!(html.contains(&numbers[0]) && !html.contains(&numbers[1]));
        let prefix = numbers[50][..numbers[50].len() - 1].to_lowercase();
        let (_, html) = session.page(&format!("/invoices?number={prefix}")).await;
        assert!(html.contains(&numbers[50]) && !html.contains(&numbers[0]));
        let (status, html) = session.page("/invoices?status=open").await;
        assert_eq!(status, 200, "the form stays usable");
        assert!(html.contains("There is no status open"));
    }
}

on_both_backends! {
    async fn the_editor_offers_the_chosen_customers_invoices_and_searches_the_rest(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let globex = api.customer("Globex", "EUR").await;
        let issued = api.invoice(acme, "EUR", "100.00").await;
        let cancelled = api.invoice(acme, "EUR", "50.00").await;
        let (status, _) = api.post(&format!("/invoices/{}/cancel", cancelled["id"]), serde_json::json!({})).await;
        assert!(status < 300, "{status}");
        let other = api.invoice(globex, "EUR", "70.00").await;
        let number = |invoice: &Value| invoice["number"].as_str().unwrap().to_string();
        let option = |invoice: &Value| format!(r#"<option value="{}""#, number(invoice));

        // No customer chosen: no invoice in the page (it would be every invoice of the books).
        let manager = app.session(Role::CreditManager).await;
        let (status, html) = manager.page("/credit-notes/new").await;
        assert_eq!(status, 200);
        assert!(!html.contains(&option(&issued)) && !html.contains(&option(&other)), "{html}");
        // Chosen in the address (the customer page's link): its issued invoices, no one else's.
        let (status, html) = manager.page(&format!("/credit-notes/new?customer_id={acme}")).await;
        assert_eq!(status, 200);
        assert!(html.contains(&option(&issued)), "{html}");
        assert!(!html.contains(&option(&other)) && !html.contains(&option(&cancelled)), "{html}");

        // Typing ahead asks the server: by customer, by the number's start, one page at most.
        let search = |customer: i64, typed: String| {
            let manager = &manager;
            async move {
                let (status, found) = manager.rpc_form("relatable_invoices", &[("customer_id", customer.to_string()), ("typed", typed)]).await;
                assert_eq!(status, 200, "{found}");
                found.as_array().unwrap().iter().map(|i| i["number"].as_str().unwrap().to_string()).collect::<Vec<_>>()
            }
        };
        assert_eq!(search(globex, String::new()).await, [number(&other)]);
        assert_eq!(search(acme, number(&issued)).await, [number(&issued)]);
        assert!(search(acme, "ZZZ".into()).await.is_empty());
        api.invoices(globex, 52).await;
        assert_eq!(search(globex, String::new()).await.len(), 50);
        let viewer = app.session(Role::Viewer).await;
        let (status, _) = viewer.rpc_form("relatable_invoices", &[("customer_id", globex.to_string())]).await;
        assert_eq!(status, 403);
    }
}

on_both_backends! {
    async fn a_note_carries_its_own_addresses_and_reason_category(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let lines = serde_json::json!([{"description": "Return", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]);

        // Left out, the addresses are the customer's; the category is kept as given.
        let (status, note) = api
            .post("/credit-notes", serde_json::json!({
                "customer_id": acme, "currency": "EUR", "date": "2026-11-05",
                "reason_category": "return", "lines": lines,
            }))
            .await;
        assert_eq!(status, 201, "{note}");
        assert_eq!(note["reason_category"], "return");
        assert_eq!(note["billing_address"]["city"], "Berlin");
        assert_eq!(note["shipping_address"]["line1"], "1 Main St", "the customer ships to its billing address");

        // An unknown category is refused and writes nothing.
        let (status, body) = api
            .post("/credit-notes", serde_json::json!({
                "customer_id": acme, "currency": "EUR", "date": "2026-11-05",
                "reason_category": "mood", "lines": lines,
            }))
            .await;
        assert_eq!(status, 422, "{body}");

        // Edited on the note, the address is the note's; the customer's stays as it was.
        let id = note["id"].as_i64().expect("an id");
        let (status, edited) = api
            .patch(&format!("/credit-notes/{id}"), serde_json::json!({
                "shipping_address": {"line1": "Dock 4", "city": "Hamburg", "postal_code": "20457", "country": "DE"},
                "reason_category": null,
            }))
            .await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!((edited["shipping_address"]["city"].as_str(), edited["billing_address"]["city"].as_str()), (Some("Hamburg"), Some("Berlin")));
        assert_eq!(edited["reason_category"], serde_json::Value::Null);
        let (_, customer) = api.get(&format!("/customers/{acme}")).await;
        assert_eq!(customer["shipping_address"]["city"], "Berlin");

        // The browser form: typed addresses and a category, shown on the note's page.
        let sales = app.session(Role::Sales).await;
        let form = vec![
            ("form[kind]", "lines".to_string()), ("form[customer_id]", acme.to_string()),
            ("form[date]", "2026-11-20".to_string()), ("form[reason_category]", "goodwill".to_string()),
            ("form[billing][line1]", "9 Quai".to_string()), ("form[billing][city]", "Lyon".to_string()),
            ("form[billing][postal_code]", "69001".to_string()), ("form[billing][country]", "FR".to_string()),
            ("form[lines][0][description]", "Chair".to_string()), ("form[lines][0][unit_price]", "5.00".to_string()),
            ("form[lines][0][tax_rate]", "0".to_string()),
        ];
        let (status, body) = sales.rpc_form("save_credit_note", &form).await;
        assert!(status < 400, "{status} {body}");
        let (_, list) = api.get(&format!("/credit-notes?customer_id={acme}")).await;
        let made = list["items"].as_array().and_then(|items| items.iter().find(|n| n["reason_category"] == "goodwill")).cloned().expect("the note");
        assert_eq!((made["billing_address"]["city"].as_str(), made["shipping_address"]["city"].as_str()), (Some("Lyon"), Some("Berlin")));
        let (_, html) = sales.page(&format!("/credit-notes/{}", made["id"])).await;
        assert!(html.contains("9 Quai, 69001 Lyon, FR") && html.contains("Goodwill"), "{html}");
        let mut bad = form.clone();
        bad[3].1 = "mood".to_string();
        let (status, body) = sales.rpc_form("save_credit_note", &bad).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "reason_category");
    }
}

on_both_backends! {
    // A document's page reads its latest events, not its whole history, and says so.
    async fn a_long_timeline_shows_its_latest_events_and_how_many_there_are(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let customer = api.customer("Acme", "EUR").await;
        let note = draft(&api, customer, "Gesture", "5.00").await;
        for n in 0..105 {
            let (status, body) = api.post(&format!("/credit-notes/{note}/comments"), serde_json::json!({"text": format!("remark {n}")})).await;
            assert_eq!(status, 201, "{body}");
        }
        let manager = app.session(Role::CreditManager).await;
        let (status, html) = manager.page(&format!("/credit-notes/{note}")).await;
        assert_eq!(status, 200);
        let hint = html.split("<p class=\"hint\">The last ").nth(1).expect("the page says it shows part of the timeline");
        let total: i64 = hint.trim_start_matches("100 of ").split(' ').next().unwrap().parse().unwrap();
        assert!(hint.starts_with("100 of ") && total >= 106, "{hint:.40}");
        let timeline = html.split("aria-label=\"Credit note timeline\"").nth(1).unwrap().split("</ol>").next().unwrap();
        assert_eq!(timeline.matches("<li>").count(), 100);
        assert!(timeline.contains("remark 104") && !timeline.contains("remark 4<"), "the latest, not the first");

        // Every read of a note carries its comments: a note keeps a bounded number of short ones.
        let (status, body) = api.post(&format!("/credit-notes/{note}/comments"), serde_json::json!({"text": "x".repeat(4_001)})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("text")), "{body}");
        for n in 105..200 {
            let (status, body) = api.post(&format!("/credit-notes/{note}/comments"), serde_json::json!({"text": format!("remark {n}")})).await;
            assert_eq!(status, 201, "{body}");
        }
        let (status, body) = api.post(&format!("/credit-notes/{note}/comments"), serde_json::json!({"text": "one more"})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("comment_limit")), "{body}");
    }
}
