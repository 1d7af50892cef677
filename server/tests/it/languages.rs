//! The screens in the user's language: chosen in the top bar (a cookie, with or without
//! JavaScript), else the browser's `Accept-Language`, else English; the page carries its
//! language for the browser, and the timeline says events and amounts as that language does.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::json;

on_both_backends! {
    async fn pages_speak_the_browsers_language_until_one_is_chosen(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "1410.00").await;
        let note = api.note(acme, "EUR", "300.00").await;
        let (status, body) = api
            .post(&format!("/invoices/{}/allocations", invoice["id"]), json!({"allocations": [{"credit_note_id": note["id"]}]}))
            .await;
        assert_eq!(status, 201, "{body}");
        let manager = app.session(Role::CreditManager).await;
        let page = format!("/invoices/{}", invoice["id"]);
        let number = note["number"].as_str().unwrap();
        let read = |language: &'static str| {
            let request = manager.browser.get(app.url(&page)).header("accept-language", language);
            async move { request.send().await.unwrap().text().await.unwrap() }
        };

        let french = read("fr-FR,fr;q=0.9,en;q=0.5").await;
        assert!(french.contains("<html lang=\"fr\""), "{french}");
        assert!(french.contains(">Factures<") && french.contains(">Avoirs<") && french.contains(">Se déconnecter<"), "{french}");
        assert!(french.contains(&format!("Avoir {number} imputé\u{a0}: 300,00\u{a0}€")), "{french}");
        assert!(french.contains(">Historique<"), "{french}");
        let german = read("de-DE").await;
        assert!(german.contains("<html lang=\"de\"") && german.contains(">Rechnungen<") && german.contains(">Gutschriften<"));
        assert!(german.contains(&format!("Gutschrift {number} verrechnet: 300,00\u{a0}€")), "{german}");
        let english = read("it-IT").await;
        assert!(english.contains("<html lang=\"en\"") && english.contains(&format!("Credit note {number} linked: €300.00")));
        // The page carries its own language's texts for the browser, and no other's.
        let catalog = |html: &str| {
            let tag = html.find("id=\"catalog\"").expect("the catalog");
            let start = tag + html[tag..].find('>').unwrap() + 1;
            let end = start + html[start..].find("</script>").unwrap();
            serde_json::from_str::<Vec<String>>(&html[start..end]).unwrap()
        };
        assert!(catalog(&german).contains(&"Gutschriften".to_string()));
        assert!(!catalog(&german).contains(&"Avoirs".to_string()));

        // Chosen in the top bar, as a plain form post: the choice outweighs the browser's.
        let response = manager
            .browser
            .post(app.url("/rpc/set_language"))
            .header("accept", "text/html")
            .header("referer", app.url(&page))
            .form(&[("language", "de"), ("back", page.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], page.as_str());
        let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("lang=de;") && cookie.contains("SameSite=Lax"), "{cookie}");
        let chosen = read("fr-FR").await;
        assert!(chosen.contains("<html lang=\"de\"") && chosen.contains(">Rechnungen<"));

        // Nothing else is taken for a language, and no other site for the way back.
        let (status, body) = manager.rpc("set_language", &[("language", "it"), ("back", "/invoices")]).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("language")), "{body}");
        let response = manager
            .browser
            .post(app.url("/rpc/set_language"))
            .header("accept", "text/html")
            .form(&[("language", "fr"), ("back", "//evil.example/")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["location"], "/");
        // The sign-in page has the switch too.
        let anonymous = common::browser();
        let login = anonymous.get(app.url("/login")).header("accept-language", "fr").send().await.unwrap().text().await.unwrap();
        assert!(login.contains("action=\"/rpc/set_language\"") && login.contains(">Se connecter<"), "{login}");
    }
}

on_both_backends! {
    async fn a_customers_documents_are_written_in_its_language_whoever_prints_them(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        // A German customer (its region's language), and the same note for a French one.
        let (status, german) = api
            .post("/customers", json!({"name": "Nordlicht Handel GmbH", "currency": "EUR", "tax_region": "DE",
                "billing_address": {"line1": "Hafenstraße 1", "city": "Hamburg", "postal_code": "20457", "country": "DE"}}))
            .await;
        assert_eq!((status, german["document_language"].as_str()), (201, Some("de")), "{german}");
        let note = api.note(german["id"].as_i64().unwrap(), "EUR", "1410.00").await;
        let (status, _, pdf) = api.file(&format!("/credit-notes/{}/pdf", note["id"])).await;
        assert_eq!(status, 200);
        let text = common::pdf_text(&pdf);
        assert!(text.contains("Gutschrift") && text.contains("Einzelpreis") && text.contains("Gesamt EUR"), "{text}");
        assert!(text.contains("1.410,00"), "German figures: {text}");
        assert!(!text.contains("Credit note") && !text.contains("Unit price"), "{text}");
        let day = chrono::NaiveDate::parse_from_str(note["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        assert!(text.contains(&day.format("%d.%m.%Y").to_string()), "German dates: {text}");

        let (_, french) = api
            .post("/customers", json!({"name": "Initech SARL", "currency": "EUR", "tax_region": "FR", "consumer": true,
                "billing_address": {"line1": "1 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"}}))
            .await;
        assert_eq!(french["document_language"], "fr");
        let note = api.note(french["id"].as_i64().unwrap(), "EUR", "1410.00").await;
        let text = common::pdf_text(&api.file(&format!("/credit-notes/{}/pdf", note["id"])).await.2);
        assert!(text.contains("Avoir") && text.contains("Prix unitaire") && text.contains("Total TTC"), "{text}");
        assert!(text.contains(&day.format("%d/%m/%Y").to_string()), "French dates: {text}");
        // The legal defaults of the payment terms too (Code de commerce art. L441-10).
        let invoice = api.invoice(french["id"].as_i64().unwrap(), "EUR", "100.00").await;
        let text = common::pdf_text(&api.file(&format!("/invoices/{}/pdf", invoice["id"])).await.2);
        assert!(text.contains("Conditions de paiement") && text.contains("pas d'escompte pour paiement anticipé"), "{text}");
        assert!(!text.contains("no discount"), "{text}");
    }
}
