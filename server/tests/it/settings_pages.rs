//! The settings screen through HTTP: only administrators open it, the tax table is saved
//! whole from the form, with refusals on the row they concern, and the seller's details and the
//! PDF templates are edited there, on SQLite and PostgreSQL.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::json;

fn rows<'a>(rules: &[(&'a str, &'a str, &'a str)]) -> Vec<(String, &'a str)> {
    rules
        .iter()
        .enumerate()
        .flat_map(|(i, (region, category, rate))| {
            [
                (format!("rules[{i}][region]"), *region),
                (format!("rules[{i}][category]"), *category),
                (format!("rules[{i}][rate]"), *rate),
            ]
        })
        .collect()
}

on_both_backends! {
    async fn administrators_set_the_seller_and_the_pdf_templates(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let admin = app.session(Role::Administrator).await;
        let (status, html) = admin.page("/settings").await;
        assert_eq!(status, 200);
        assert!(html.contains("Save seller") && html.contains("Credit note template"), "{html}");

        let (status, body) = admin
            .rpc("save_seller", &[("form[name]", "Ελληνικά Είδη ΑΕ"), ("form[line1]", "Ερμού 1"), ("form[city]", "Αθήνα"),
                ("form[postal_code]", "10563"), ("form[country]", "GR"), ("form[vat_id]", " EL094259216 "), ("form[iban]", ""), ("form[email]", ""),
                ("form[legal_form]", "ΑΕ"), ("form[share_capital]", "60.000,00 EUR"), ("form[siren]", ""), ("form[rcs_city]", "")])
            .await;
        assert!(status < 400, "{status} {body}");
        let (_, seller) = api.get("/settings/seller").await;
        assert_eq!((seller["name"].as_str(), seller["vat_id"].as_str()), (Some("Ελληνικά Είδη ΑΕ"), Some("EL094259216")));
        assert_eq!(seller["legal_identity"], json!({"legal_form": "ΑΕ", "share_capital": "60.000,00 EUR", "siren": null, "siret": null, "rcs_city": null}));
        assert!(seller["iban"].is_null(), "blank optional fields are left out: {seller}");
        // A SIREN without its check digit is refused beside its field.
        let (status, body) = admin.rpc("save_seller", &[("form[name]", "Maison"), ("form[siren]", "123 456 789")]).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("legal_identity.siren")), "{body}");
        let (status, body) = admin.rpc("save_seller", &[("form[name]", " ")]).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("name")), "{body}");

        // A template that does not render is refused beside its own form, and nothing changes.
        let (status, body) = admin.rpc("save_template", &[("kind", "invoice"), ("source", "#data.nothing")]).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("invoice.source")), "{body}");
        assert_eq!(api.get("/settings/templates/invoice").await.1["custom"], false);
        let (status, _) = admin.rpc("save_template", &[("kind", "receipt"), ("source", "x")]).await;
        assert_eq!(status, 422);
        let source = "#let data = json(bytes(sys.inputs.data))\nHouse invoice #data.number\n";
        let (status, body) = admin.rpc("save_template", &[("kind", "invoice"), ("source", source)]).await;
        assert!(status < 400, "{status} {body}");
        let (_, html) = admin.page("/settings").await;
        assert!(html.contains("Edited in Settings") && html.contains("House invoice"), "{html}");
        let (status, _) = admin.rpc("reset_template", &[("kind", "invoice")]).await;
        assert!(status < 400);
        assert_eq!(api.get("/settings/templates/invoice").await.1["custom"], false);

        let manager = app.session(Role::CreditManager).await;
        assert_eq!(manager.rpc("save_template", &[("kind", "invoice"), ("source", source)]).await.0, 403);
        assert_eq!(manager.rpc("save_seller", &[("form[name]", "Mallory")]).await.0, 403);
    }

    async fn the_logo_is_uploaded_shown_and_removed_without_javascript(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let admin = app.session(Role::Administrator).await;
        let upload = |name: &str, content: Vec<u8>| {
            let part = reqwest::multipart::Part::bytes(content).file_name(name.to_string());
            admin.browser.post(app.url("/settings/logo"))
                .header("origin", app.url(""))
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
        };
        let mut png = Vec::new();
        image::RgbImage::from_pixel(90, 30, image::Rgb([10, 20, 30]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();

        // Before the seller's details, the refusal shows beside the file field.
        app.db.behind_the_back("DELETE FROM seller_profile").await;
        let response = upload("logo.png", png.clone()).await.unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/settings?upload_error="), "{location}");
        let (_, html) = admin.page(&location).await;
        assert!(html.contains("Save the seller&#x27;s details first") || html.contains("Save the seller's details first"), "{html}");
        assert!(html.contains("Documents print without a logo."), "{html}");

        let (status, body) = admin.rpc("save_seller", &[("form[name]", "Logo GmbH")]).await;
        assert!(status < 400, "{status} {body}");
        let response = upload("logo.png", png.clone()).await.unwrap();
        assert_eq!((response.status().as_u16(), response.headers()["location"].to_str().unwrap()), (303, "/settings"));
        let (_, html) = admin.page("/settings").await;
        assert!(html.contains(r#"src="/settings/logo""#) && html.contains("Remove the logo"), "{html}");
        let image = admin.browser.get(app.url("/settings/logo")).send().await.unwrap();
        assert_eq!(image.headers()["content-type"], "image/png");
        assert_eq!(image.bytes().await.unwrap().to_vec(), png);

        // A manager can neither see nor change it.
        let manager = app.session(Role::CreditManager).await;
        assert_eq!(manager.browser.get(app.url("/settings/logo")).send().await.unwrap().status(), 403);
        assert_eq!(manager.rpc("remove_logo", &[]).await.0, 403);

        let (status, body) = admin.rpc("remove_logo", &[]).await;
        assert!(status < 400, "{status} {body}");
        assert!(api.get("/settings/seller").await.1["logo_media_type"].is_null());
        assert_eq!(admin.browser.get(app.url("/settings/logo")).send().await.unwrap().status(), 404);
    }

    async fn administrators_edit_the_tax_table_row_by_row(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;

        let manager = app.session(Role::CreditManager).await;
        let (status, html) = manager.page("/settings").await;
        assert_eq!(status, 403);
        assert!(!html.contains(r#"href="/settings""#), "the bar offers only what the role may open");
        let form = rows(&[("FR", "standard", "20")]);
        let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let (status, _) = manager.rpc("save_tax_table", &borrowed).await;
        assert_eq!(status, 403);

        let admin = app.session(Role::Administrator).await;
        let (status, html) = admin.page("/settings").await;
        assert_eq!(status, 200);
        assert!(html.contains("Save tax table") && html.contains(r#"href="/settings""#));

        // A blank row is no rule; a duplicate and a rate that is not a number are refused on
        // the row they were typed in, and nothing is written.
        for (rules, field) in [
            (vec![("FR", "standard", "20"), ("", "", ""), ("FR", "standard", "7")], "rules[2].category"),
            (vec![("FR", "standard", "twenty")], "rules[0].rate"),
            (vec![("FR", "standard", "120")], "rules[0].rate"),
        ] {
            let form = rows(&rules);
            let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            let (status, body) = admin.rpc("save_tax_table", &borrowed).await;
            assert_eq!(status, 422, "{body}");
            assert_eq!(body["errors"][0]["field"], field, "{body}");
        }
        let (_, table) = api.get("/tax-rules").await;
        assert!(table["rules"].as_array().is_none_or(|rules| rules.is_empty()), "{table}");

        let form = rows(&[("FR", "standard", "20"), ("", "", ""), ("FR", "reduced", "5.5")]);
        let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let (status, body) = admin.rpc("save_tax_table", &borrowed).await;
        assert!(status < 400, "{status} {body}");
        let (_, table) = api.get("/tax-rules").await;
        assert_eq!(table["rules"].as_array().map(Vec::len), Some(2), "{table}");
        let (_, html) = admin.page("/settings").await;
        assert!(html.contains(r#"value="5.5""#) && html.contains(r#"value="reduced""#));
    }
}

on_both_backends! {
    async fn administrators_create_users_change_roles_and_deactivate(db) {
        let app = TestApp::spawn(db).await;
        let admin = app.session(Role::Administrator).await;
        let password = common::PASSWORD;

        // Each fault on its field; nothing is created.
        for (email, pass, role, field) in [
            ("not-an-email", password, "sales", "email"),
            ("kim@desk.example", "short", "sales", "password"),
            ("kim@desk.example", password, "customer", "customer_id"),
            ("kim@desk.example", password, "boss", "role"),
        ] {
            let (status, body) = admin
                .rpc("create_user", &[("email", email), ("password", pass), ("role", role), ("customer_id", "")])
                .await;
            assert_eq!(status, 422, "{email} {role}: {body}");
            assert_eq!(body["errors"][0]["field"], field, "{body}");
        }
        let (status, body) = admin
            .rpc("create_user", &[("email", "kim@desk.example"), ("password", password), ("role", "credit_manager"), ("customer_id", "")])
            .await;
        assert!(status < 400, "{status} {body}");
        let (_, html) = admin.page("/settings").await;
        assert!(html.contains("kim@desk.example") && html.contains("Role of kim@desk.example"));

        // The new role applies from the user's next request, in the session they already have.
        let kim = app.signed_in("kim@desk.example").await;
        let create = |client: &reqwest::Client| {
            client
                .post(app.url("/rpc/create_customer"))
                .form(&[("form[name]", "Acme"), ("form[currency]", "EUR"), ("form[tax_region]", "FR")])
                .send()
        };
        assert!(create(&kim).await.unwrap().status().is_success());
        let kim_id = user_id(&app, "kim@desk.example").await.to_string();
        let (status, body) = admin.rpc("change_user_role", &[("user_id", &kim_id), ("role", "viewer")]).await;
        assert!(status < 400, "{status} {body}");
        assert_eq!(create(&kim).await.unwrap().status(), 403, "a viewer now");

        // Nobody changes their own role or deactivates themself.
        let me = user_id(&app, "administrator@session.example").await.to_string();
        let (status, body) = admin.rpc("change_user_role", &[("user_id", &me), ("role", "viewer")]).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("own_account")), "{body}");
        let (status, _) = admin.rpc("deactivate_user", &[("user_id", &me)]).await;
        assert_eq!(status, 409);

        // Deactivated: the open session, the API token and a new sign-in all stop working.
        let token = app.token("kim@desk.example").await;
        let (status, body) = admin.rpc("deactivate_user", &[("user_id", &kim_id)]).await;
        assert!(status < 400, "{status} {body}");
        let response = kim.get(app.url("/invoices")).header("accept", "text/html").send().await.unwrap();
        assert_eq!(response.status(), 302, "the session is over");
        let response = app.client.get(app.url("/api/v1/invoices")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 401);
        let response = app
            .client
            .post(app.url("/api/v1/auth/token"))
            .json(&serde_json::json!({ "email": "kim@desk.example", "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        let (_, html) = admin.page("/settings").await;
        assert!(html.contains("Deactivated "), "still listed, marked deactivated");
    }
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    let services = app.db.services();
    let admin = services
        .authenticate(email, common::PASSWORD, None)
        .await
        .unwrap_or_else(|e| panic!("{email}: {e}"));
    admin.id
}
