//! The customer screens through HTTP: the new-customer form (refusals on their fields,
//! nothing written), the list, and a customer's Credits and Invoices tabs with the credit it
//! has left per currency, on SQLite and PostgreSQL.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::json;

/// The new-customer form as a browser posts it.
fn form<'a>(name: &'a str, currency: &'a str, region: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[name]", name),
        ("form[email]", "ap@lodz.example"),
        ("form[currency]", currency),
        ("form[tax_region]", region),
        ("form[billing_line1]", "ul. Piotrkowska 1"),
        ("form[billing_postal_code]", "90-001"),
        ("form[billing_city]", "Łódź"),
        ("form[billing_country]", "PL"),
        ("form[shipping_line1]", ""),
    ]
}

on_both_backends! {
    async fn the_portal_pages_its_invoices_and_credit_notes_each_on_its_own(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let numbers = api.invoices(acme, 51).await;
        let note = api.note(acme, "EUR", "5.00").await;
        common::user(&app.db.services(), "ap@acme.example", Role::Customer, Some(acme)).await;
        let portal = app.signed_in("ap@acme.example").await;
        let page = |path: String| {
            let portal = portal.clone();
            let url = app.url(&path);
            async move { portal.get(url).send().await.unwrap().text().await.unwrap() }
        };
        // The first page: 50 invoices, the way to the next, and the credit note.
        let first = page("/portal".into()).await;
        let shown = |html: &str| numbers.iter().filter(|n| html.contains(&format!(">{n}<"))).count();
        assert_eq!(shown(&first), 50, "{first}");
        assert!(first.contains(note["number"].as_str().unwrap()), "{first}");
        let marker = "invoices_after=";
        let at = first.find(marker).expect("a link to more invoices");
        let cursor: String = first[at + marker.len()..].chars().take_while(char::is_ascii_digit).collect();
        // The next page of invoices, the credit notes where they were.
        let second = page(format!("/portal?notes_after=0&invoices_after={cursor}")).await;
        assert_eq!(shown(&second), 1, "{second}");
        assert!(second.contains(&format!(">{}<", numbers[50])), "{second}");
        assert!(second.contains(note["number"].as_str().unwrap()), "{second}");
        let links_on = |html: &str| html.split("<a ").skip(1).any(|tag| tag[..tag.find('>').unwrap()].contains(marker));
        assert!(links_on(&first) && !links_on(&second), "no page after the last");
    }

    async fn the_form_creates_a_customer_and_names_what_is_missing(db) {
        let app = TestApp::spawn(db).await;
        let manager = app.session(Role::CreditManager).await;
        let (_, html) = manager.page("/customers").await;
        assert!(html.contains("No customer yet.") && html.contains("New customer"));

        // Blank name and region, an unknown currency: each said on its field, nothing written.
        let (status, body) = manager.rpc("create_customer", &form(" ", "EUR", "")).await;
        assert_eq!(status, 422, "{body}");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["name", "tax_region"]);
        let (status, body) = manager.rpc("create_customer", &form("Łódź Tools", "EURO", "PL")).await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["field"], "currency");
        let (_, html) = manager.page("/customers").await;
        assert!(html.contains("No customer yet."), "refused forms write nothing");

        // Sales may read customers but not create them.
        let sales = app.session(Role::Sales).await;
        let (status, _) = sales.rpc("create_customer", &form("Łódź Tools", "PLN", "PL")).await;
        assert_eq!(status, 403);

        let response = manager
            .browser
            .post(app.url("/rpc/create_customer"))
            .header("accept", "text/html")
            .header("referer", app.url("/customers"))
            .form(&form("Łódź Tools", "pln", "PL"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        let page = response.headers()["location"].to_str().unwrap().to_string();
        assert!(page.starts_with("/customers/"), "{page}");
        let (status, html) = manager.page(&page).await;
        assert_eq!(status, 200);
        assert!(html.contains("Łódź Tools") && html.contains("PLN"));
        assert!(html.contains("ul. Piotrkowska 1, 90-001 Łódź, PL"), "blank shipping ships to billing");
        let (_, html) = sales.page("/customers").await;
        assert!(html.contains("Łódź Tools") && !html.contains("Create customer"));
    }

    async fn the_credits_tab_sums_what_remains_per_currency(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "100.00").await;
        let first = api.note(acme, "EUR", "10.00").await;
        api.note(acme, "EUR", "25.00").await;
        api.note(acme, "USD", "5.00").await;
        // 4.00 of the first note goes to the invoice: 6.00 + 25.00 remain in EUR.
        let (status, body) = api
            .post(
                &format!("/invoices/{}/allocations", invoice["id"]),
                json!({"allocations": [{"credit_note_id": first["id"], "amount": "4.00"}]}),
            )
            .await;
        assert_eq!(status, 201, "{body}");

        let manager = app.session(Role::CreditManager).await;
        let (status, html) = manager.page(&format!("/customers/{acme}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("€31.00") && html.contains("$5.00"), "remaining per currency");
        assert!(html.contains(first["number"].as_str().unwrap()) && html.contains(">Credit notes</caption>"));
        let (_, html) = manager.page(&format!("/customers/{acme}?tab=invoices")).await;
        assert!(html.contains(invoice["number"].as_str().unwrap()));
        assert!(html.contains(">Invoices</caption>") && !html.contains(">Credit notes</caption>"), "the invoices tab lists invoices");
        let (status, html) = manager.page(&format!("/customers/{acme}?tab=notes")).await;
        assert_eq!(status, 422);
        assert!(html.contains("There is no tab notes"));

        // Customers never open the staff's customer screens.
        let (status, _) = manager.page("/customers/999999").await;
        assert_eq!(status, 404);
    }
}

on_both_backends! {
    async fn the_portal_switch_lets_a_customer_in_or_keeps_it_out(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let acme = common::customer(&services, "Acme", "EUR").await;
        let manager = app.session(Role::CreditManager).await;
        let page = format!("/customers/{acme}");
        let (_, html) = manager.page(&page).await;
        assert!(html.contains("Turn the portal on"), "new customers start with the portal off");

        // Creating a portal user turns the portal on.
        common::user(&services, "ap@acme.example", Role::Customer, Some(acme)).await;
        let (_, html) = manager.page(&page).await;
        assert!(html.contains("Turn the portal off"));
        let portal = app.signed_in("ap@acme.example").await;
        let token = app.token("ap@acme.example").await;
        let sign_in = || async {
            let response = app
                .client
                .post(app.url("/api/v1/auth/token"))
                .json(&json!({ "email": "ap@acme.example", "password": common::PASSWORD }))
                .send()
                .await
                .unwrap();
            response.status().as_u16()
        };

        // Off: the open session, the token and a new sign-in stop working.
        let (status, body) = manager
            .rpc("set_customer_portal", &[("customer_id", &acme.to_string()), ("enabled", "off")])
            .await;
        assert!(status < 400, "{status} {body}");
        let response = portal.get(app.url("/portal")).header("accept", "text/html").send().await.unwrap();
        assert_eq!(response.status(), 302, "the session is over");
        let response = app.client.get(app.url("/api/v1/credit-notes")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(sign_in().await, 401);

        // Sales may not switch it; a bad value is named; on again, the customer signs in.
        let sales = app.session(Role::Sales).await;
        let (status, _) = sales.rpc("set_customer_portal", &[("customer_id", &acme.to_string()), ("enabled", "on")]).await;
        assert_eq!(status, 403);
        let (status, body) = manager.rpc("set_customer_portal", &[("customer_id", &acme.to_string()), ("enabled", "yes")]).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("enabled")));
        let (status, _) = manager.rpc("set_customer_portal", &[("customer_id", &acme.to_string()), ("enabled", "on")]).await;
        assert!(status < 400);
        app.token("ap@acme.example").await;

        // The API's switch: sales are refused, a credit manager turns it off, unknown ids 404.
        let api_sales = common::ApiClient::new(&app, Role::Sales).await;
        let (status, _) = api_sales.put(&format!("/customers/{acme}/portal"), json!({"enabled": false})).await;
        assert_eq!(status, 403);
        let api = common::ApiClient::new(&app, Role::CreditManager).await;
        let (status, body) = api.put(&format!("/customers/{acme}/portal"), json!({"enabled": false})).await;
        assert_eq!((status, body["portal_enabled"].as_bool()), (200, Some(false)), "{body}");
        let (status, body) = api.put(&format!("/customers/{acme}/portal"), json!({"enabled": "no"})).await;
        assert_eq!(status, 422, "{body}");
        let (status, _) = api.put("/customers/999999/portal", json!({"enabled": true})).await;
        assert_eq!(status, 404);
        assert_eq!(sign_in().await, 401, "off through the API keeps the customer out too");
    }
}

/// The customers a page's `<select>` offers, by their labels.
fn offered(html: &str) -> Vec<String> {
    let mut labels = Vec::new();
    for part in html.split("<option value=\"").skip(1) {
        let value: String = part.chars().take_while(|c| *c != '"').collect();
        if value.is_empty() || value.parse::<i64>().is_err() {
            continue;
        }
        let label = part
            .split('>')
            .nth(1)
            .unwrap_or_default()
            .split('<')
            .next()
            .unwrap_or_default();
        labels.push(label.replace("&amp;", "&"));
    }
    labels
}

on_both_backends! {
    // No page lists every customer: editors, list filters and the new-user form offer the
    // chosen customer and one page of matches, found by the server from what was typed (in
    // any case, any order, `%` and `_` taken literally); without JavaScript by `?customer_q=`.
    async fn customer_fields_offer_one_page_of_matches_found_on_the_server(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let mut clients = Vec::new();
        for n in 0..60 {
            clients.push(api.customer(&format!("Client {n:02}"), "EUR").await);
        }
        api.customer("Łódź Meble Sp. z o.o.", "PLN").await;
        api.customer("Promo 100% SARL", "EUR").await;
        let manager = app.session(Role::CreditManager).await;

        let (status, html) = manager.page("/credit-notes/new").await;
        assert_eq!(status, 200);
        let first = offered(&html);
        assert_eq!(first.len(), 50, "one page, by name: {first:?}");
        assert_eq!(first[0], "Client 00 (EUR)");
        assert!(html.contains("Search by name, currency or region"), "the search box is there without JavaScript");

        let (_, html) = manager.page("/credit-notes/new?customer_q=MEBLE%20%C5%81%C3%93D%C5%B9").await;
        assert_eq!(offered(&html), ["Łódź Meble Sp. z o.o. (PLN)"], "Ł and Ó fold on both databases");

        // The chosen customer is offered even beyond the first page.
        let last = clients[59];
        let (_, html) = manager.page(&format!("/credit-notes/new?customer_id={last}")).await;
        assert_eq!(offered(&html)[0], "Client 59 (EUR)");
        assert!(html.contains(&format!("<option value=\"{last}\" selected")), "{html}");

        for (typed, expected) in [("client 5", 15), ("100%", 1), ("%", 1), ("_", 0), ("pln", 1), ("eur client 07", 1)] {
            let (status, found) = manager.rpc("search_customers", &[("typed", typed)]).await;
            assert_eq!(status, 200, "{found}");
            assert_eq!(found.as_array().unwrap().len(), expected, "{typed}: {found}");
        }
        let (_, found) = manager.rpc("search_customers", &[("typed", "meble"), ("chosen", &clients[3].to_string())]).await;
        let names: Vec<&str> = found.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Client 03", "Łódź Meble Sp. z o.o."], "the chosen customer first");

        // The list filters and the invoice editor search the same way.
        for path in ["/credit-notes?customer_q=meble", "/invoices?customer_q=meble", "/invoices/new?customer_q=meble"] {
            let (status, html) = manager.page(path).await;
            assert_eq!(status, 200, "{path}");
            assert_eq!(offered(&html), ["Łódź Meble Sp. z o.o. (PLN)"], "{path}");
        }
        let admin = app.session(Role::Administrator).await;
        let (_, html) = admin.page("/settings").await;
        assert!(offered(&html).len() <= 50, "the new-user form offers one page");
        let (_, html) = admin.page("/settings?customer_q=promo").await;
        assert!(offered(&html).contains(&"Promo 100% SARL (EUR)".to_string()));

        // Customers never see the staff's customer list.
        let acme = clients[0];
        common::user(&app.db.services(), "ap@client.example", Role::Customer, Some(acme)).await;
        let portal = app.signed_in("ap@client.example").await;
        let response = portal.post(app.url("/rpc/search_customers")).form(&[("typed", "client")]).send().await.unwrap();
        assert_eq!(response.status(), 403);
    }

    // Customers written before search keys existed get theirs once, at the next start.
    async fn customers_older_than_search_keys_are_found_after_the_next_start(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        api.customer("Ötztal Bergbahnen", "EUR").await;
        app.db.behind_the_back("UPDATE customers SET search_key = ''").await;
        let services = app.db.services();
        let admin = common::staff(Role::Administrator);
        assert!(services.search_customers(&admin, "ötztal", None).await.unwrap().is_empty());

        app.db.behind_the_back("INSERT INTO pending_backfills (name) VALUES ('customer_search_keys') ON CONFLICT DO NOTHING").await;
        assert_eq!(services.index_customer_names().await.unwrap(), 1);
        let found = services.search_customers(&admin, "ÖTZTAL eur", None).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(services.index_customer_names().await.unwrap(), 0, "once");
    }
}

on_both_backends! {
    async fn a_customer_is_edited_through_the_api_under_the_rules_of_a_new_one(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::CreditManager).await;
        let (status, before) = api
            .post("/customers", json!({"name": "Acme", "currency": "EUR", "tax_region": "DE",
                "billing_address": {"line1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country": "DE"}}))
            .await;
        assert_eq!(status, 201, "{before}");
        let acme = before["id"].as_i64().unwrap();
        let path = format!("/customers/{acme}");
        assert_eq!(before["document_language"], "de", "a German tax region writes German documents");

        // Absent fields stay; null clears an optional one; the search finds the new name.
        let (status, edited) = api
            .patch(&path, json!({"name": " Acme Handel GmbH ", "email": "ap@acme.example", "siren": "303 265 045",
                "document_language": "fr", "shipping_address": {"line1": "Dock 4", "city": "Hamburg", "postal_code": "20457", "country": "DE"}}))
            .await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!((edited["name"].as_str(), edited["email"].as_str()), (Some("Acme Handel GmbH"), Some("ap@acme.example")));
        assert_eq!((edited["siren"].as_str(), edited["document_language"].as_str()), (Some("303265045"), Some("fr")));
        assert_eq!(edited["billing_address"], before["billing_address"], "absent: kept");
        assert_eq!(edited["shipping_address"]["city"], "Hamburg");
        let (_, cleared) = api.patch(&path, json!({"email": null})).await;
        assert_eq!(cleared["email"], serde_json::Value::Null);
        let manager = app.session(Role::CreditManager).await;
        let (status, found) = manager.rpc("search_customers", &[("typed", "handel")]).await;
        assert_eq!((status, found[0]["id"].as_i64()), (200, Some(acme)), "{found}");

        // The create rules: every broken field named, nothing written.
        let (status, problem) = api.patch(&path, json!({"name": "  ", "siren": "123456789", "currency": "EURO"})).await;
        assert_eq!(status, 422, "{problem}");
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["currency"], "a malformed currency is refused before the rules run");
        let (status, problem) = api.patch(&path, json!({"name": "  ", "siren": "123456789"})).await;
        assert_eq!(status, 422, "{problem}");
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["name", "siren"]);
        let (status, problem) = api.patch(&path, json!({"document_language": "it"})).await;
        assert_eq!(status, 422, "{problem}");
        let (_, after) = api.get(&path).await;
        assert_eq!((after["name"].as_str(), after["document_language"].as_str()), (Some("Acme Handel GmbH"), Some("fr")));

        // The currency changes while nothing is written in it, then stays.
        let (status, body) = api.patch(&path, json!({"currency": "USD"})).await;
        assert_eq!((status, body["currency"].as_str()), (200, Some("USD")), "{body}");
        api.invoice(acme, "USD", "10.00").await;
        let (status, problem) = api.patch(&path, json!({"currency": "EUR"})).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("customer_currency_fixed")), "{problem}");
        let (status, _) = api.patch(&path, json!({"currency": "USD", "tax_region": "US"})).await;
        assert_eq!(status, 200, "the same currency again is no change");

        // Only who may create customers edits them; nobody edits one that is not there.
        let sales = Api::new(&app, Role::Sales).await;
        let (status, _) = sales.patch(&path, json!({"name": "Mine"})).await;
        assert_eq!(status, 403);
        let (status, _) = api.patch("/customers/999999", json!({"name": "Ghost"})).await;
        assert_eq!(status, 404);
        let (status, _) = api.patch(&path, json!({"nickname": "A"})).await;
        assert_eq!(status, 422, "unknown fields are refused");
    }

    async fn the_customer_page_edits_a_customer_with_javascript_off(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let manager = app.session(Role::CreditManager).await;
        let page = format!("/customers/{acme}");
        let (_, html) = manager.page(&page).await;
        assert!(html.contains("Edit customer") && html.contains("value=\"Acme\""), "prefilled");
        let id = acme.to_string();
        let mut edit: Vec<(&str, &str)> = form("Acme Polska", "EUR", "PL");
        edit.push(("customer_id", &id));
        edit.push(("form[document_language]", "de"));

        // A refusal on its field, nothing written.
        let mut blank = edit.clone();
        blank[0] = ("form[name]", "");
        let (status, body) = manager.rpc("update_customer", &blank).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("name")), "{body}");

        let response = manager
            .browser
            .post(app.url("/rpc/update_customer"))
            .header("accept", "text/html")
            .header("referer", app.url(&page))
            .form(&edit)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        let (_, html) = manager.page(&page).await;
        assert!(html.contains("Acme Polska") && html.contains("ul. Piotrkowska 1, 90-001 Łódź, PL"), "{html}");
        assert!(html.contains("<dd>Deutsch</dd>"), "the document language chosen");

        let sales = app.session(Role::Sales).await;
        let (_, html) = sales.page(&page).await;
        assert!(!html.contains("Edit customer"), "only who may create customers edits them");
        let (status, _) = sales.rpc("update_customer", &edit).await;
        assert_eq!(status, 403);
    }
}
