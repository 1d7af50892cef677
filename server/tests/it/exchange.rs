//! Books kept in euros, on SQLite and PostgreSQL (Code de commerce art. L123-22; PCG art.
//! 420-5 and 420-7): a foreign document is booked at the rate of its date with its own amount
//! beside, settlements at another rate book realised differences, and rates come from
//! Settings, the API or the ECB's reference rates file.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::{Value, json};

/// Cents of a decimal string ("150.00").
fn cents(text: &str) -> i64 {
    let (units, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let sign = if units.starts_with('-') { -1 } else { 1 };
    sign * (units.trim_start_matches('-').parse::<i64>().unwrap() * 100
        + fraction.parse::<i64>().unwrap())
}

/// Every journal line as (entry source, account, own debit − credit, euro debit − credit).
async fn lines(api: &Api<'_>) -> Vec<(String, String, i64, i64)> {
    let (status, body) = api.get("/journal?limit=200").await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|entry| {
            let source = entry["source"].as_str().unwrap().to_string();
            entry["lines"].as_array().unwrap().iter().map(move |line| {
                let own = cents(line["debit"].as_str().unwrap())
                    - cents(line["credit"].as_str().unwrap());
                let booked = &line["booked"];
                let euros = if booked.is_null() {
                    own
                } else {
                    cents(booked["debit"].as_str().unwrap())
                        - cents(booked["credit"].as_str().unwrap())
                };
                (
                    source.clone(),
                    line["account"]["code"].as_str().unwrap().to_string(),
                    own,
                    euros,
                )
            })
        })
        .collect()
}

/// The euro balance (debit − credit, cents) of `account` over every entry.
async fn euros_on(api: &Api<'_>, account: &str) -> i64 {
    lines(api)
        .await
        .iter()
        .filter(|line| line.1 == account)
        .map(|line| line.3)
        .sum()
}

async fn save_rate(api: &Api<'_>, currency: &str, date: &str, rate: &str) {
    let (status, body) = api
        .put(
            "/exchange-rates",
            json!({"rates": [{"currency": currency, "date": date, "rate": rate}]}),
        )
        .await;
    assert_eq!((status, body["saved"].as_u64()), (200, Some(1)), "{body}");
}

fn refusal(body: &Value) -> (&str, &str) {
    (
        body["code"].as_str().unwrap_or_default(),
        body["errors"][0]["field"].as_str().unwrap_or_default(),
    )
}

on_both_backends! {
    // Code de commerce L123-22 and PCG art. 420-5: a pound invoice is booked in euros at the
    // rate in force on its date, and refused without one, naming the currency and the day; PCG
    // art. 420-7: what its settlements at other rates gain or lose is a realised difference
    // (766 / 666), and its receivable clears to the cent.
    async fn a_pound_invoice_is_booked_in_euros_and_settles_with_exchange_differences(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let pounds = admin.customer("Thames Trading Ltd", "GBP").await;
        let invoice = json!({"customer_id": pounds, "currency": "GBP", "issue_date": "2026-04-01", "due_date": "2026-05-01",
            "lines": [{"description": "Consulting", "quantity": "1", "unit_price": "100.00", "tax_rate": "20", "nature": "services"}]});

        // A rate twelve days old is no longer in force.
        save_rate(&admin, "GBP", "2026-03-20", "0.9").await;
        let (status, body) = admin.post("/invoices", invoice.clone()).await;
        assert_eq!((status, refusal(&body)), (409, ("exchange_rate_missing", "currency")), "{body}");
        let detail = body["errors"][0]["message"].as_str().unwrap();
        assert!(detail.contains("GBP") && detail.contains("2026-04-01"), "{detail}");
        assert_eq!(app.db.count("SELECT COUNT(*) FROM invoices").await, 0, "nothing written");

        // That of two days before is: 1 EUR = 0.80 GBP, so 120.00 GBP are 150.00 EUR.
        save_rate(&admin, "GBP", "2026-03-30", "0.8").await;
        let (status, issued) = admin.post("/invoices", invoice).await;
        assert_eq!(status, 201, "{issued}");
        let id = issued["id"].as_i64().unwrap();
        let booked: Vec<_> = lines(&admin).await.into_iter().filter(|line| line.0 == "invoice_issued").collect();
        assert_eq!(
            booked.iter().map(|line| (line.1.as_str(), line.2, line.3)).collect::<Vec<_>>(),
            [("411000", 12000, 15000), ("706000", -10000, -12500), ("445740", -2000, -2500)],
            "each line keeps its pounds beside its euros"
        );

        // Half paid on 10 April at 0.75: 80.00 EUR reach the bank for 75.00 booked, a 5.00 gain.
        let pay = |amount: &str, date: &str| json!({"amount": amount, "date": date});
        let (status, body) = admin.post(&format!("/invoices/{id}/payments"), pay("60.00", "2026-04-10")).await;
        assert_eq!((status, refusal(&body)), (409, ("exchange_rate_missing", "date")), "no rate in force on the 10th: {body}");
        save_rate(&admin, "GBP", "2026-04-10", "0.75").await;
        let (status, body) = admin.post(&format!("/invoices/{id}/payments"), pay("60.00", "2026-04-10")).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(euros_on(&admin, "512000").await, 8000);
        assert_eq!(euros_on(&admin, "766000").await, -500);

        // A pound note that corrects the invoice, finalized today, takes the invoice's rate, not
        // the day's (it reverses the revenue and VAT the invoice booked): applied for 24.00, it
        // clears 30.00 EUR of credit and 30.00 EUR of receivable, no difference.
        let today = common::today().to_string();
        save_rate(&admin, "GBP", &today, "1").await;
        let (status, draft) = admin.post("/credit-notes", json!({"customer_id": pounds, "currency": "GBP", "date": today,
            "related_invoice_id": id, "lines": [{"description": "Rebate", "quantity": "1", "unit_price": "20.00", "tax_rate": "20", "nature": "services"}]})).await;
        assert_eq!(status, 201, "{draft}");
        let (status, note) = admin.post(&format!("/credit-notes/{}/finalize", draft["id"]), json!({})).await;
        assert_eq!(status, 200, "{note}");
        let (status, body) = admin.post(&format!("/invoices/{id}/allocations"),
            json!({"allocations": [{"credit_note_id": note["id"], "amount": "24.00"}]})).await;
        assert_eq!(status, 201, "{body}");
        let finalized: Vec<_> = lines(&admin).await.into_iter().filter(|line| line.0 == "credit_note_finalized").collect();
        assert_eq!(finalized.iter().find(|line| line.1 == "419700").map(|line| line.3), Some(-3000));
        assert_eq!(euros_on(&admin, "666000").await, 0);

        // The rest paid today at par: 36.00 EUR for 45.00 booked, a 9.00 loss.
        let (status, paid) = admin.post(&format!("/invoices/{id}/payments"), pay("36.00", &today)).await;
        assert_eq!((status, paid["status"].as_str()), (201, Some("paid")), "{paid}");
        assert_eq!(euros_on(&admin, "666000").await, 900);

        // Every account that follows a document is back to zero in euros, to the cent.
        assert_eq!(euros_on(&admin, "411000").await, 0, "the receivable clears");
        assert_eq!(euros_on(&admin, "419700").await, 0, "the note's credit is used");
        assert_eq!(euros_on(&admin, "445740").await, 0, "no VAT waits any more");
        let all = lines(&admin).await;
        assert_eq!(all.iter().map(|line| line.3).sum::<i64>(), 0, "the books balance in euros");
        assert_eq!(all.iter().map(|line| line.2).sum::<i64>(), 0, "and in pounds");
        assert!(all.iter().filter(|line| line.1 == "666000" || line.1 == "766000").all(|line| line.2 == 0),
            "differences carry no pounds");
        assert_eq!(app.db.services().verify_seals().await.unwrap().broken.len(), 0, "every entry's seal covers its euros");
        let audit = app.db.services().audit_ledger().await.unwrap();
        assert_eq!(audit.findings, vec![], "the ledger audit stays clean");

        // The FEC (LPF art. A47 A-1): Debit and Credit in euros, the pounds in Montantdevise.
        let (status, _, bytes) = admin.file("/exports/fec?year=2026").await;
        assert_eq!(status, 200);
        let text = encoding_rs::ISO_8859_15.decode(&bytes).0.into_owned();
        let rows: Vec<Vec<&str>> = text.lines().map(|line| line.split('\t').collect()).collect();
        let receivable = rows.iter().find(|row| row[4] == "411000" && row[11] == "150,00").expect("the invoice's receivable");
        assert_eq!((receivable[16], receivable[17]), ("120,00", "GBP"));
        let gain = rows.iter().find(|row| row[4] == "766000").expect("the gain");
        assert_eq!((gain[12], gain[16], gain[17]), ("5,00", "0,00", "GBP"));
    }

    // VAT Directive 2006/112/EC art. 230 and EN 16931 BT-6/BT-111: a foreign invoice states its
    // VAT in euros, on the PDF and in the e-invoice; the rate stays the one it was issued at.
    async fn a_foreign_invoice_prints_its_vat_in_euros_at_the_rate_it_was_booked_at(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let francs = admin.customer("Zürcher Uhren AG", "CHF").await;
        save_rate(&admin, "CHF", "2026-04-01", "0.9412").await;
        let (status, issued) = admin.post("/invoices", json!({"customer_id": francs, "currency": "CHF", "issue_date": "2026-04-01",
            "lines": [{"description": "Repair", "quantity": "1", "unit_price": "500.00", "tax_rate": "20"}]})).await;
        assert_eq!(status, 201, "{issued}");
        let id = issued["id"].as_i64().unwrap();
        // A rate corrected later moves nothing already issued.
        save_rate(&admin, "CHF", "2026-04-01", "0.95").await;

        let (status, _, pdf) = admin.file(&format!("/invoices/{id}/pdf")).await;
        assert_eq!(status, 200);
        let text = common::pdf_text(&pdf);
        // 100.00 CHF of VAT at 0.9412 is 106.25 EUR.
        assert!(text.contains("VAT total in EUR: 106.25 EUR") && text.contains("1 EUR = 0.9412 CHF"), "{text}");
        let (status, _, ubl) = admin.file(&format!("/invoices/{id}/ubl")).await;
        assert_eq!(status, 200);
        let ubl = String::from_utf8(ubl).unwrap();
        assert!(ubl.contains("<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>"), "{ubl}");
        assert!(ubl.contains(r#"<cbc:TaxAmount currencyID="EUR">106.25</cbc:TaxAmount>"#), "{ubl}");
        // Cancelled today, whatever the day's rate: its avoir corrects it at the invoice's rate,
        // so revenue and VAT come back to zero in euros, with no exchange difference.
        let (status, body) = admin.post(&format!("/invoices/{id}/cancel"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        for account in ["707000", "706000", "445711", "445740", "411000", "419700"] {
            assert_eq!(euros_on(&admin, account).await, 0, "{account}");
        }
        // The invoice's rounding (a cent short, 666) is undone by the avoir's (766).
        let differences = euros_on(&admin, "666000").await + euros_on(&admin, "766000").await;
        assert_eq!(differences, 0);

        // A euro invoice says nothing of it.
        let euros = admin.customer("Acme SARL", "EUR").await;
        let plain = admin.invoice(euros, "EUR", "10.00").await;
        let (_, _, ubl) = admin.file(&format!("/invoices/{}/ubl", plain["id"])).await;
        assert!(!String::from_utf8(ubl).unwrap().contains("TaxCurrencyCode"));
    }

    // PCG art. 420-7: a refund pays the day's francs out of the bank while the credit clears at
    // the note's rate; taking back "mark paid" and unlinking reverse to the cent what they
    // booked, so a settlement undone leaves no difference behind.
    async fn refunds_and_settlements_taken_back_keep_the_euros_straight(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let francs = admin.customer("Genfer Bank AG", "CHF").await;
        let today = common::today();
        save_rate(&admin, "CHF", &(today - chrono::Days::new(1)).to_string(), "0.8").await;
        let note = admin.note(francs, "CHF", "40.00").await;
        // 40.00 CHF at 0.80: 50.00 EUR of customer credit.
        assert_eq!(euros_on(&admin, "419700").await, -5000);
        save_rate(&admin, "CHF", &today.to_string(), "1").await;
        let (status, body) = admin.post(&format!("/credit-notes/{}/refunds", note["id"]),
            json!({"amount": "40.00", "date": today.to_string()})).await;
        assert_eq!(status, 201, "{body}");
        // 40.00 EUR leave the bank for 50.00 of credit: a 10.00 gain.
        assert_eq!((euros_on(&admin, "419700").await, euros_on(&admin, "512000").await, euros_on(&admin, "766000").await), (0, -4000, -1000));

        save_rate(&admin, "CHF", "2026-11-01", "1.6").await;
        let invoice = admin.invoice(francs, "CHF", "80.00").await;
        let id = invoice["id"].as_i64().unwrap();
        let (status, body) = admin.post(&format!("/invoices/{id}/mark-paid"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = admin.post(&format!("/invoices/{id}/mark-pending"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(euros_on(&admin, "512000").await, -4000, "the marked payment is taken back at what it was worth");
        assert_eq!(euros_on(&admin, "411000").await, 5000, "the invoice is owed again: 80.00 CHF booked at 1.60");

        let credit = admin.note(francs, "CHF", "30.00").await;
        let (status, linked) = admin.post(&format!("/invoices/{id}/allocations"),
            json!({"allocations": [{"credit_note_id": credit["id"], "amount": "30.00"}]})).await;
        assert_eq!(status, 201, "{linked}");
        let allocation = linked["allocations"][0]["id"].as_i64().unwrap();
        let (status, body) = admin.delete(&format!("/invoices/{id}/allocations/{allocation}")).await;
        assert_eq!(status, 204, "{body}");
        assert_eq!(euros_on(&admin, "411000").await, 5000, "unlinked, the invoice owes what it did");
        assert_eq!(euros_on(&admin, "419700").await, -3000, "and the note's credit is back");
        let all = lines(&admin).await;
        assert_eq!(all.iter().map(|line| line.3).sum::<i64>(), 0, "the books balance in euros");
        assert_eq!(app.db.services().audit_ledger().await.unwrap().findings, vec![]);
    }

    async fn rates_are_kept_by_hand_or_imported_from_the_ecb_file(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let viewer = Api::new(&app, Role::Viewer).await;

        let (status, body) = admin.put("/exchange-rates", json!({"rates": [
            {"currency": "JPY", "date": "2026-04-01", "rate": "0"},
            {"currency": "EUR", "date": "2026-04-01", "rate": "1"},
        ]})).await;
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!((status, fields), (422, vec!["rates[0].rate", "rates[1].currency"]), "{body}");
        assert_eq!(viewer.put("/exchange-rates", json!({"rates": [{"currency": "JPY", "date": "2026-04-01", "rate": "160"}]})).await.0, 403);

        // The ECB's history file, as downloaded: newest day first, a trailing comma.
        let csv = "Date,USD,JPY,CYP,CHF,\n2026-04-02,1.0790,163.20,N/A,0.9412,\n2026-04-01,1.0821,163.88,N/A,N/A,\n";
        let request = app.client.post(app.url("/api/v1/exchange-rates/ecb"));
        let (status, body) = admin.upload(request, "eurofxref-hist.csv", "text/csv", csv.as_bytes().to_vec()).await;
        assert_eq!((status, body["saved"].as_u64()), (200, Some(5)), "{body}");
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube><Cube time="2026-04-03"><Cube currency="JPY" rate="164.01"/></Cube></Cube></gesmes:Envelope>"#;
        let request = app.client.post(app.url("/api/v1/exchange-rates/ecb"));
        let (status, body) = admin.upload(request, "eurofxref-daily.xml", "text/xml", xml.as_bytes().to_vec()).await;
        assert_eq!((status, body["saved"].as_u64()), (200, Some(1)), "{body}");
        let request = app.client.post(app.url("/api/v1/exchange-rates/ecb"));
        let (status, body) = admin.upload(request, "invoices.csv", "text/csv", b"number,customer\n1,Acme\n".to_vec()).await;
        assert_eq!((status, refusal(&body).1), (422, "file"), "{body}");

        let (status, body) = viewer.get("/exchange-rates?currency=JPY").await;
        assert_eq!(status, 200, "{body}");
        let jpy: Vec<(&str, &str)> = body["items"].as_array().unwrap().iter()
            .map(|rate| (rate["date"].as_str().unwrap(), rate["rate"].as_str().unwrap())).collect();
        assert_eq!(jpy, [("2026-04-03", "164.01"), ("2026-04-02", "163.2"), ("2026-04-01", "163.88")]);
        assert_eq!(viewer.get("/exchange-rates?currency=yen").await.0, 422);

        // Settings shows them and keeps one typed in, refused on its field when wrong.
        let session = app.session(Role::Administrator).await;
        let (_, html) = session.page("/settings").await;
        // The latest rate of each currency.
        assert!(html.contains("Exchange rates") && html.contains("164.01") && html.contains("0.9412"), "{html}");
        assert!(!html.contains("163.88"), "older days are read through the API");
        let (status, body) = session.rpc("save_exchange_rate", &[("currency", "CHF"), ("date", "2026-04-03"), ("rate", "-2")]).await;
        assert_eq!((status, refusal(&body).1), (422, "rate"), "{body}");
        let (status, body) = session.rpc("save_exchange_rate", &[("currency", "chf"), ("date", "2026-04-03"), ("rate", "0.9399")]).await;
        assert!(status < 400, "{status} {body}");
        let (_, body) = viewer.get("/exchange-rates?currency=CHF&from=2026-04-03").await;
        assert_eq!(body["items"][0]["rate"], "0.9399");
    }
}
