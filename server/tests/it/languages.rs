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

/// Imports invoice `rows` (CSV, after the header) through the API.
async fn import_invoices(api: &Api<'_>, rows: &str, dry_run: bool) -> (u16, serde_json::Value) {
    let header = "number,customer,currency,issue_date,due_date,description,quantity,unit_price,discount_percent,tax_rate\n";
    api.send(
        api.app
            .client
            .post(
                api.app
                    .url(&format!("/api/v1/imports?kind=invoices&dry_run={dry_run}")),
            )
            .header("content-type", "text/csv")
            .body(format!("{header}{rows}")),
    )
    .await
}

/// Words only English writes, whole and lowercase: a French or German page that shows one
/// shows an English label. Words French or German write too ("total", "note", "page", "date",
/// "description", "documents", "services", "filter", "export", "comment", "an", "on", "will")
/// are left out, and the data of the pages below is chosen to hold none.
const ENGLISH_ONLY: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "with",
    "for",
    "is",
    "are",
    "this",
    "that",
    "no",
    "not",
    "from",
    "by",
    "at",
    "or",
    "your",
    "you",
    "be",
    "has",
    "have",
    "its",
    "it",
    "invoice",
    "invoices",
    "credit",
    "customer",
    "customers",
    "amount",
    "amounts",
    "save",
    "cancel",
    "create",
    "delete",
    "edit",
    "link",
    "linked",
    "unlink",
    "paid",
    "pending",
    "draft",
    "drafts",
    "outstanding",
    "issued",
    "issue",
    "add",
    "search",
    "print",
    "send",
    "sent",
    "remove",
    "previous",
    "next",
    "loading",
    "settings",
    "sign",
    "back",
    "new",
    "all",
    "show",
    "currency",
    "reason",
    "refund",
    "refunds",
    "payment",
    "payments",
    "method",
    "reference",
    "due",
    "lines",
    "line",
    "quantity",
    "price",
    "unit",
    "discount",
    "rate",
    "rates",
    "tax",
    "approve",
    "approval",
    "submit",
    "finalize",
    "reject",
    "void",
    "tasks",
    "task",
    "comments",
    "attachments",
    "file",
    "files",
    "upload",
    "download",
    "account",
    "password",
    "role",
    "users",
    "user",
    "yes",
    "none",
    "nothing",
    "only",
    "when",
    "which",
    "where",
    "what",
    "who",
    "here",
    "open",
    "close",
    "closed",
    "books",
    "entries",
    "entry",
    "accounts",
    "chart",
    "seller",
    "template",
    "templates",
    "reminder",
    "reminders",
    "schedule",
    "days",
    "timeline",
    "events",
    "event",
    "choose",
    "select",
    "selected",
    "goods",
    "address",
    "billing",
    "shipping",
    "city",
    "country",
    "vat",
    "exchange",
    "imports",
    "rows",
    "row",
    "errors",
    "error",
    "preview",
    "available",
    "used",
    "cancelled",
    "number",
    "remaining",
    "subtotal",
    "language",
    "found",
    "more",
];

/// What a person reads on a page: its text and the labels of its
/// attributes. Written by hand: the test needs text nodes and four attributes, not a DOM.
fn readable_text(html: &str) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        chunks.push(rest[..open].to_string());
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        for attribute in ["aria-label=\"", "placeholder=\"", "title=\"", "alt=\""] {
            if let Some(start) = tag.find(attribute) {
                let value = &tag[start + attribute.len()..];
                chunks.push(value[..value.find('"').unwrap_or(value.len())].to_string());
            }
        }
        rest = &rest[open + close + 1..];
        // Scripts, styles, machine names (`<code>`: CSV columns, files) and what a user wrote
        // (`<textarea>`: templates) are not labels.
        for skipped in ["script", "style", "code", "textarea"] {
            if tag.starts_with(skipped) {
                let end = format!("</{skipped}>");
                rest = rest.find(&end).map_or("", |at| &rest[at + end.len()..]);
            }
        }
    }
    chunks
        .into_iter()
        .map(|chunk| {
            chunk
                .replace("&amp;", "&")
                .replace("&#x27;", "'")
                .replace("&quot;", "\"")
        })
        .filter(|chunk| !chunk.trim().is_empty())
        .collect()
}

/// The English words `text` holds; e-mail addresses, paths and addresses of the web aside.
fn english_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|chunk| !chunk.contains('@') && !chunk.contains('/') && !chunk.contains('#'))
        .flat_map(|chunk| chunk.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .filter(|word| ENGLISH_ONLY.contains(&word.as_str()))
        .collect()
}

on_both_backends! {
    async fn every_screen_in_french_and_german_holds_no_english_label(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        api.save_seller().await;
        // Data without English words: the walk finds the interface's, not the test's.
        let (status, dupont) = api
            .post("/customers", json!({"name": "Dupont SARL", "currency": "EUR", "tax_region": "FR", "siren": "732829320",
                "billing_address": {"line1": "1 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"}}))
            .await;
        assert_eq!(status, 201, "{dupont}");
        let dupont = dupont["id"].as_i64().unwrap();
        let (status, invoice) = api
            .post("/invoices", json!({"customer_id": dupont, "currency": "EUR", "issue_date": "2026-11-01", "due_date": "2026-11-15",
                "lines": [{"description": "Chaise", "quantity": "4", "unit_price": "100.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{invoice}");
        let (status, draft_invoice) = api
            .post("/invoices", json!({"customer_id": dupont, "currency": "EUR", "issue_date": "2026-11-02", "status": "draft",
                "lines": [{"description": "Bureau", "quantity": "1", "unit_price": "250.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{draft_invoice}");
        let (status, draft_note) = api
            .post("/credit-notes", json!({"customer_id": dupont, "currency": "EUR", "date": "2026-11-05", "related_invoice_id": invoice["id"],
                "lines": [{"description": "Chaise", "quantity": "1", "unit_price": "100.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{draft_note}");
        let (status, note) = api
            .post("/credit-notes", json!({"customer_id": dupont, "currency": "EUR", "date": "2026-11-05", "related_invoice_id": invoice["id"],
                "lines": [{"description": "Chaise", "quantity": "1", "unit_price": "100.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{note}");
        let (status, note) = api.post(&format!("/credit-notes/{}/finalize", note["id"]), json!({})).await;
        assert_eq!(status, 200, "{note}");
        let (status, second) = api
            .post("/credit-notes", json!({"customer_id": dupont, "currency": "EUR", "date": "2026-11-06",
                "lines": [{"description": "Geste commercial", "quantity": "1", "unit_price": "30.00", "tax_rate": "0"}]}))
            .await;
        assert_eq!(status, 201, "{second}");
        let (status, _) = api.post(&format!("/credit-notes/{}/finalize", second["id"]), json!({})).await;
        assert_eq!(status, 200);
        let (status, body) = api
            .post(&format!("/invoices/{}/allocations", invoice["id"]), json!({"allocations": [{"credit_note_id": note["id"], "amount": "50.00"}]}))
            .await;
        assert_eq!(status, 201, "{body}");
        let (status, import) = import_invoices(&api, "F-IMP-1,Dupont SARL,EUR,2026-10-01,2026-10-31,Chaise,2,100.00,,20\n", false).await;
        assert_eq!(status, 200, "{import}");
        let (status, _) = api.put(&format!("/customers/{dupont}/portal"), json!({"enabled": true})).await;
        assert_eq!(status, 200);
        common::user(&app.db.services(), "compta@dupont.example", Role::Customer, Some(dupont)).await;

        let (invoice, draft_invoice) = (invoice["id"].as_i64().unwrap(), draft_invoice["id"].as_i64().unwrap());
        let (note, draft_note) = (note["id"].as_i64().unwrap(), draft_note["id"].as_i64().unwrap());
        let staff_pages = [
            "/invoices".to_string(),
            "/invoices?status=pending".to_string(),
            "/invoices/new".to_string(),
            format!("/invoices/{invoice}"),
            format!("/invoices/{invoice}?link=open"),
            format!("/invoices/{invoice}/credit"),
            format!("/invoices/{draft_invoice}"),
            format!("/invoices/{draft_invoice}/edit"),
            format!("/invoices/new?corrects={invoice}"),
            "/invoices/999999".to_string(),
            "/credit-notes".to_string(),
            "/credit-notes/new".to_string(),
            format!("/credit-notes/{note}"),
            format!("/credit-notes/{note}?tab=documents"),
            format!("/credit-notes/{note}?tab=activities"),
            format!("/credit-notes/{draft_note}"),
            format!("/credit-notes/{draft_note}/edit"),
            "/customers".to_string(),
            format!("/customers/{dupont}"),
            format!("/customers/{dupont}?tab=invoices"),
            "/settings".to_string(),
            "/journal".to_string(),
            "/imports".to_string(),
            "/account/password".to_string(),
        ];
        let administrator = app.session(Role::Administrator).await;
        let customer = app.signed_in("compta@dupont.example").await;
        let anonymous = common::browser();
        let mut english = Vec::new();
        for language in ["fr", "de"] {
            let mut walk = vec![];
            for page in &staff_pages {
                walk.push((&administrator.browser, page.clone()));
            }
            walk.push((&customer, "/portal".to_string()));
            walk.push((&anonymous, "/login".to_string()));
            for (browser, page) in walk {
                let response = browser.get(app.url(&page)).header("accept-language", language).send().await.unwrap();
                let status = response.status().as_u16();
                let html = response.text().await.unwrap();
                assert!(status == 200 || (status == 404 && page.ends_with("999999")), "{page}: {status}");
                assert!(html.contains(&format!("<html lang=\"{language}\"")), "{page}");
                for text in readable_text(&html) {
                    let words = english_words(&text);
                    if !words.is_empty() {
                        english.push(format!("{language} {page}: {:?} in {:?}", words, text.trim()));
                    }
                }
            }
        }
        english.dedup();
        assert!(english.is_empty(), "{} English labels:\n{}", english.len(), english.join("\n"));
    }
}

on_both_backends! {
    async fn one_reader_takes_what_people_type_in_their_language_and_the_api_keeps_the_contract(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        let invoice = api.invoice(acme, "EUR", "100.00").await;
        let id = invoice["id"].as_i64().unwrap().to_string();

        // The API reads the contract's decimals only, and names the rule the value broke.
        let (status, body) = api.post(&format!("/invoices/{id}/payments"), json!({"amount": "12,50", "date": "2026-11-10"})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("amount")), "{body}");
        assert_eq!(body["errors"][0]["says"], json!({"rule": "not_a_number"}), "{body}");
        let (status, body) = api.post(&format!("/invoices/{id}/payments"), json!({"amount": "1.005", "date": "2026-11-10"})).await;
        assert_eq!((status, body["errors"][0]["says"].clone()), (422, json!({"rule": "too_many_decimals", "scale": 2})), "{body}");

        // A French user types a decimal comma and a French date: the same payment is recorded.
        let manager = app.session(Role::CreditManager).await;
        let french = |name: &'static str, form: Vec<(&'static str, String)>| {
            let request = manager.browser.post(app.url(&format!("/rpc/{name}"))).header("accept-language", "fr-FR").form(&form);
            async move {
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.text().await.unwrap())
            }
        };
        let form = |amount: &str, date: &str| {
            vec![
                ("invoice_id", id.clone()),
                ("amount", amount.to_string()),
                ("date", date.to_string()),
                ("method", String::new()),
                ("reference", String::new()),
            ]
        };
        let (status, body) = french("record_payment", form("12,50", "10/11/2026")).await;
        assert!(status < 400, "{status} {body}");
        let (_, paid) = api.get(&format!("/invoices/{id}")).await;
        assert_eq!(paid["outstanding"], "87.50", "{paid}");
        // Refused in French, on its field, with the same rule as the API's.
        let (status, body) = french("record_payment", form("1,005", "10/11/2026")).await;
        let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!((status, problem["errors"][0]["says"].clone()), (422, json!({"rule": "too_many_decimals", "scale": 2})), "{body}");
        let (_, page) = manager.page(&format!("/invoices/{id}")).await;
        assert!(page.contains("€87.50"), "English pages write English amounts");

        // Imports read the contract's decimals, with the same rules.
        let (status, body) = import_invoices(&api, "F-1,Acme,eur,2026-10-01,2026-10-31,Chaise,\"1,5\",100.00,,20\n", true).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("rows[2].quantity")), "{body}");
        assert_eq!(body["errors"][0]["says"], json!({"rule": "not_a_number"}), "{body}");
    }
}
