//! Printed documents on SQLite and PostgreSQL: what the PDFs of credit notes and invoices say
//! (read back with `pdftotext`), who may download them, and templates edited in Settings.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp, pdf_images, pdf_text, user};
use serde_json::{Value, json};
use server::pdf::{Printer, RenderLimits, RenderWorkers};

/// Whitespace runs as one space, so assertions need not know the columns' widths.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Downloads a PDF through the API: status, content disposition, text.
async fn download(api: &Api<'_>, path: &str) -> (u16, String, String) {
    let (status, disposition, bytes) = api.file(path).await;
    if status != 200 {
        return (
            status,
            disposition,
            String::from_utf8_lossy(&bytes).into_owned(),
        );
    }
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    (status, disposition, squeezed(&pdf_text(&bytes)))
}

/// A customer with a VAT id and a name in Japanese and Polish.
async fn tokyo_customer(admin: &Api<'_>) -> i64 {
    let (status, body) = admin
        .post(
            "/customers",
            json!({
                "name": "東京商事 Łódź", "currency": "EUR", "tax_region": "JP", "vat_id": "PL5260250274",
                "billing_address": {"line1": "ul. Piotrkowska 104", "city": "Łódź", "postal_code": "90-926", "country": "PL"}
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["vat_id"], "PL5260250274");
    body["id"].as_i64().unwrap()
}

/// An image encoded as `format`, in one colour.
fn picture(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([30, 90, 160]))
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// Uploads a logo through the API as `name`, declared as `declared`.
async fn upload_logo(api: &Api<'_>, name: &str, declared: &str, content: Vec<u8>) -> (u16, Value) {
    let url = api.app.url("/api/v1/settings/seller/logo");
    api.upload(api.app.client.put(url), name, declared, content)
        .await
}

/// The PDF's bytes, downloaded through the API.
async fn pdf_bytes(api: &Api<'_>, path: &str) -> Vec<u8> {
    let (status, _, bytes) = api.file(path).await;
    assert_eq!(status, 200);
    bytes
}

/// File names are encoded into the header (RFC 6266): whatever they hold, the header stays
/// one valid value with one `filename` (a safe ASCII stand-in) and, when that differs, the
/// exact name as `filename*`.
#[test]
fn content_disposition_encodes_what_a_file_name_holds() {
    let header = |name: &str| {
        server::content_disposition::attachment(name)
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        header("CN-2026-00001.pdf"),
        "attachment; filename=\"CN-2026-00001.pdf\""
    );
    assert_eq!(
        header("a\r\nSet-Cookie: x=1; \"q\" \u{fc}.pdf"),
        "attachment; filename=\"a__Set-Cookie: x=1_ _q_ _.pdf\"; \
         filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1%3B%20%22q%22%20%C3%BC.pdf"
    );
    assert_eq!(
        header("請求書\\100%.pdf"),
        "attachment; filename=\"____100_.pdf\"; \
         filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8%5C100%25.pdf"
    );
}

on_both_backends! {
    async fn a_download_is_named_by_its_document_number_whatever_that_holds(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.save_seller().await;
        let customer = admin.customer("Acme", "EUR").await;
        let (status, invoice) = admin
            .post("/invoices", json!({"number": "Fact \"été\"; 7", "customer_id": customer, "currency": "EUR",
                "issue_date": "2026-11-01", "lines": [{"description": "Service", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]}))
            .await;
        assert_eq!(status, 201, "{invoice}");
        let (status, disposition, _) = admin.file(&format!("/invoices/{}/pdf", invoice["id"])).await;
        assert_eq!(status, 200);
        assert_eq!(
            disposition,
            "attachment; filename=\"Fact __t___ 7.pdf\"; filename*=UTF-8''Fact%20%22%C3%A9t%C3%A9%22%3B%207.pdf"
        );
    }

    async fn the_sellers_logo_prints_on_every_document_once_it_passes_its_checks(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let png = picture(300, 100, image::ImageFormat::Png);

        // A logo alone names no one: the seller's details come first.
        app.db.behind_the_back("DELETE FROM seller_profile").await;
        let (status, body) = upload_logo(&admin, "logo.png", "image/png", png.clone()).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("seller_missing")), "{body}");
        admin.save_seller().await;

        // Refused by content, size and soundness; nothing is stored.
        let (status, body) = upload_logo(&admin, "logo.png", "image/png", b"<svg onload=alert(1)>".to_vec()).await;
        assert_eq!((status, body["code"].as_str()), (415, Some("unsupported_media_type")), "{body}");
        let (status, body) = upload_logo(&admin, "logo.png", "image/png", vec![0; 1024 * 1024 + 1]).await;
        assert_eq!(status, 413, "{body}");
        let mut damaged = png.clone();
        damaged.truncate(80);
        let (status, body) = upload_logo(&admin, "logo.png", "image/png", damaged).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("file")), "{body}");
        let (status, body) = upload_logo(&admin, "wide.png", "image/png", picture(4001, 2, image::ImageFormat::Png)).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("4001 × 2 pixels"), "{body}");
        assert_eq!(admin.get("/settings/seller/logo").await.0, 404);
        assert_eq!(admin.get("/settings/seller").await.1["logo_media_type"], Value::Null);

        // Only administrators set it or read it.
        let manager = Api::new(&app, Role::CreditManager).await;
        assert_eq!(upload_logo(&manager, "logo.png", "image/png", png.clone()).await.0, 403);

        let customer = admin.customer("Acme", "EUR").await;
        let before = admin.note(customer, "EUR", "10.00").await;
        let before_pdf = format!("/credit-notes/{}/pdf", before["id"]);
        assert_eq!(pdf_images(&pdf_bytes(&admin, &before_pdf).await), vec![], "no logo yet");

        // A PNG, whatever its name says, is kept as a PNG and printed on both documents.
        let (status, body) = upload_logo(&admin, "logo.pdf", "application/pdf", png.clone()).await;
        assert_eq!((status, body["logo_media_type"].as_str()), (200, Some("image/png")), "{body}");
        assert_eq!(body["name"], "Nordlicht Handel GmbH");
        let response = app.client.get(app.url("/api/v1/settings/seller/logo")).bearer_auth(admin.token.as_deref().unwrap()).send().await.unwrap();
        assert_eq!(response.headers()["content-type"], "image/png");
        assert_eq!(response.bytes().await.unwrap().to_vec(), png, "the logo comes back as uploaded");
        assert_eq!(manager.get("/settings/seller/logo").await.0, 403);
        // Documents issued from now on print it; one issued before keeps what it printed.
        let note = admin.note(customer, "EUR", "10.00").await;
        let note_pdf = format!("/credit-notes/{}/pdf", note["id"]);
        let invoice = admin.two_rate_invoice(customer).await;
        let invoice_pdf = format!("/invoices/{}/pdf", invoice["id"]);
        assert_eq!(pdf_images(&pdf_bytes(&admin, &before_pdf).await), vec![], "kept as issued");
        for path in [&note_pdf, &invoice_pdf] {
            let images = pdf_images(&pdf_bytes(&admin, path).await);
            assert_eq!(images.len(), 1, "{path}: {images:?}");
            assert_eq!((images[0].0, images[0].1), (300, 100), "{path}");
        }

        // Saving the details again keeps the logo; a JPEG replaces it.
        admin.save_seller().await;
        assert_eq!(admin.get("/settings/seller").await.1["logo_media_type"], "image/png");
        let (status, body) = upload_logo(&admin, "logo.jpg", "image/jpeg", picture(200, 200, image::ImageFormat::Jpeg)).await;
        assert_eq!((status, body["logo_media_type"].as_str()), (200, Some("image/jpeg")), "{body}");
        let sizes = |images: Vec<(u32, u32, String)>| images.into_iter().map(|image| (image.0, image.1)).collect::<Vec<_>>();
        let jpeg_note = admin.note(customer, "EUR", "10.00").await;
        let jpeg_pdf = format!("/credit-notes/{}/pdf", jpeg_note["id"]);
        assert_eq!(sizes(pdf_images(&pdf_bytes(&admin, &jpeg_pdf).await)), vec![(200, 200)]);
        assert_eq!(sizes(pdf_images(&pdf_bytes(&admin, &note_pdf).await)), vec![(300, 100)], "kept as issued");

        // Removed, documents print without it again.
        let (status, body) = admin.delete("/settings/seller/logo").await;
        assert_eq!((status, body["logo_media_type"].clone()), (200, Value::Null), "{body}");
        let plain = admin.note(customer, "EUR", "10.00").await;
        assert_eq!(pdf_images(&pdf_bytes(&admin, &format!("/credit-notes/{}/pdf", plain["id"])).await), vec![]);
        assert_eq!(admin.get("/settings/seller/logo").await.0, 404);
    }

    async fn a_credit_note_pdf_states_what_the_law_requires(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.save_seller().await;
        let customer = tokyo_customer(&admin).await;
        let invoice = admin.two_rate_invoice(customer).await;
        let number = invoice["number"].as_str().unwrap();
        let (status, draft) = admin
            .post(
                "/credit-notes",
                json!({
                    "customer_id": customer, "currency": "EUR", "date": "2026-03-10",
                    "related_invoice_id": invoice["id"], "reason": "Returned beans",
                    "lines": [
                        {"description": "Coffee beans", "quantity": "2", "unit_price": "10.00", "tax_rate": "5.5"},
                        {"description": "Descaling", "quantity": "1", "unit_price": "15.00", "tax_rate": "20"}
                    ]
                }),
            )
            .await;
        assert_eq!(status, 201, "{draft}");
        let id = draft["id"].as_i64().unwrap();

        // A draft says it is not valid, and has no number yet.
        let (status, disposition, text) = download(&admin, &format!("/credit-notes/{id}/pdf")).await;
        assert_eq!(status, 200);
        assert_eq!(disposition, format!("attachment; filename=\"draft-credit-note-{id}.pdf\""));
        assert!(text.contains("DRAFT — not valid"), "{text}");
        assert!(!text.contains("CN-2026"), "{text}");

        let (status, note) = admin.post(&format!("/credit-notes/{id}/finalize"), json!({})).await;
        assert_eq!(status, 200, "{note}");
        let issued = pdf_bytes(&admin, &format!("/credit-notes/{id}/pdf")).await;
        let (status, linked) = admin
            .post(&format!("/invoices/{}/allocations", invoice["id"]), json!({"allocations": [{"credit_note_id": id, "amount": "5.00"}]}))
            .await;
        assert_eq!(status, 201, "{linked}");
        // CGI art. 289: the document issued is the one kept; a download after the link is
        // the same file.
        assert_eq!(pdf_bytes(&admin, &format!("/credit-notes/{id}/pdf")).await, issued);

        let (status, disposition, text) = download(&admin, &format!("/credit-notes/{id}/pdf")).await;
        assert_eq!(status, 200);
        assert_eq!(disposition, "attachment; filename=\"CN-2026-00001.pdf\"");
        for expected in [
            "Credit note",
            "CN-2026-00001",
            // Dated the day it was finalized (CGI annexe II art. 242 nonies A, I-7°).
            &format!("Date {}", app::i18n::format::date(app::domain::Language::En, common::today())),
            // The invoice it credits, with its date.
            &format!("Credits invoice {number} of Mar 2, 2026"),
            // Seller and customer, with addresses and VAT ids; the name in its own scripts.
            "Nordlicht Handel GmbH",
            "Hafenstraße 5",
            "VAT id: DE811907980",
            "東京商事 Łódź",
            "ul. Piotrkowska 104",
            "VAT id: PL5260250274",
            // Per rate: taxable amount and tax; then the totals.
            "5.5 % 20.00 1.10",
            "20 % 15.00 3.00",
            "Subtotal 35.00",
            "VAT 4.10",
            "Total EUR 39.10",
            "Returned beans",
            "DE89 3704 0044 0532 0130 00",
        ] {
            assert!(text.contains(expected), "the PDF says {expected:?}: {text}");
        }
        assert!(!text.contains("DRAFT"), "{text}");
    }

    // CGI art. 289: the invoice issued is the one kept. Credits applied and terms changed
    // later do not change it; an invoice issued after the change prints the new terms.
    async fn an_invoice_pdf_is_kept_as_issued_whatever_follows(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.save_seller().await;
        let customer = tokyo_customer(&admin).await;
        let invoice = admin.two_rate_invoice(customer).await;
        let note = admin.note(customer, "EUR", "50.00").await;
        let (status, body) = admin
            .post(&format!("/invoices/{}/allocations", invoice["id"]), json!({"allocations": [{"credit_note_id": note["id"]}]}))
            .await;
        assert_eq!(status, 201, "{body}");

        let number = invoice["number"].as_str().unwrap();
        let (status, disposition, text) = download(&admin, &format!("/invoices/{}/pdf", invoice["id"])).await;
        assert_eq!(status, 200);
        assert_eq!(disposition, format!("attachment; filename=\"{number}.pdf\""));
        for expected in [
            "Invoice",
            number,
            "Due Apr 1, 2026",
            "東京商事 Łódź",
            "20 % 100.00 20.00",
            "5.5 % 50.00 2.75",
            "Total EUR 172.75",
            // Code de commerce art. L441-9 (payment terms) and D441-5 (the 40 EUR indemnity,
            // stated as an amount): the legal defaults, the seller having set none.
            // EU VAT Directive art. 226(7): the delivery date, here the invoice's own.
            "Delivered on the invoice date",
            "Payment due: Apr 1, 2026.",
            "penalties at the ECB's main refinancing rate plus 10 percentage points",
            "fixed indemnity for recovery costs of €40.00",
            "Early payment: no discount for early payment.",
        ] {
            assert!(text.contains(expected), "the PDF says {expected:?}: {text}");
        }
        assert!(!text.contains("Credited"), "the credit came after it was issued: {text}");
        let note_text = download(&admin, &format!("/credit-notes/{}/pdf", note["id"])).await.2;
        assert!(!note_text.contains("Payment terms"), "a credit note states no payment terms: {note_text}");

        // Terms the seller agreed with its customers replace the defaults.
        let (_, mut seller) = admin.get("/settings/seller").await;
        seller["late_payment_penalty"] = json!("three times the legal interest rate");
        seller["early_payment_discount"] = json!("2 % if paid within 10 days");
        let (status, saved) = admin.put("/settings/seller", seller).await;
        assert_eq!(status, 200, "{saved}");
        let (_, _, kept) = download(&admin, &format!("/invoices/{}/pdf", invoice["id"])).await;
        assert!(kept.contains("penalties at the ECB's main refinancing rate"), "issued under the defaults: {kept}");
        let (status, later) = admin
            .post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": common::today(),
                "lines": [{"description": "Descaling", "quantity": "1", "unit_price": "15.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{later}");
        let (_, _, text) = download(&admin, &format!("/invoices/{}/pdf", later["id"])).await;
        assert!(text.contains("penalties at three times the legal interest rate"), "{text}");
        assert!(text.contains("Early payment: 2 % if paid within 10 days."), "{text}");
        assert!(text.contains("€40.00"), "the indemnity is the law's: {text}");

        // The invoice page offers the download, and the browser gets it with its session.
        let browser = app.session(Role::Viewer).await;
        let (status, page) = browser.page(&format!("/invoices/{}", invoice["id"])).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("href=\"/invoices/{}/pdf\"", invoice["id"])), "{page}");
        let response = browser.browser.get(app.url(&format!("/invoices/{}/pdf", invoice["id"]))).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let (status, _, _) = download(&admin, "/invoices/999999/pdf").await;
        assert_eq!(status, 404);
    }

    async fn customers_download_only_their_own_final_documents(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme Zürich AG", "EUR").await;
        let globex = admin.customer("Globex", "EUR").await;
        let note = admin.note(acme, "EUR", "1250.00").await;
        let other = admin.note(globex, "EUR", "1.00").await;
        let invoice = admin.invoice(acme, "EUR", "10.00").await;
        let other_invoice = admin.invoice(globex, "EUR", "10.00").await;
        let (_, draft) = admin
            .post("/credit-notes", json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05",
                "charge": {"code": "GW", "description": "Goodwill", "amount": "5.00"}}))
            .await;
        let (_, _, text) = download(&admin, &format!("/credit-notes/{}/pdf", draft["id"])).await;
        assert!(text.contains("GW Goodwill 5.00"), "a charge prints as its one row: {text}");
        assert!(text.contains("Acme Zürich AG"), "{text}");

        user(&app.db.services(), "portal@acme.example", Role::Customer, Some(acme)).await;
        let portal = Api { app: &app, token: Some(app.token("portal@acme.example").await) };
        assert_eq!(download(&portal, &format!("/credit-notes/{}/pdf", note["id"])).await.0, 200);
        assert_eq!(download(&portal, &format!("/invoices/{}/pdf", invoice["id"])).await.0, 200);
        for path in [
            format!("/credit-notes/{}/pdf", other["id"]),
            format!("/credit-notes/{}/pdf", draft["id"]),
            format!("/invoices/{}/pdf", other_invoice["id"]),
        ] {
            assert_eq!(download(&portal, &path).await.0, 404, "{path}");
        }

        // The portal page downloads with the browser session.
        let browser = app.signed_in("portal@acme.example").await;
        let page = browser.get(app.url("/portal")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&format!("/credit-notes/{}/pdf", note["id"])));
        let response = browser.get(app.url(&format!("/credit-notes/{}/pdf", note["id"]))).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let response = browser.get(app.url(&format!("/credit-notes/{}/pdf", other["id"]))).send().await.unwrap();
        assert_eq!(response.status(), 404);
    }

    async fn a_template_saved_in_settings_is_checked_first_and_then_used(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let note = admin.note(customer, "EUR", "10.00").await;
        let finalized = format!("/credit-notes/{}/pdf", note["id"]);
        let kept = pdf_bytes(&admin, &finalized).await;
        // A draft renders live, with the template in force.
        let (status, draft) = admin
            .post("/credit-notes", json!({"customer_id": customer, "currency": "EUR", "date": common::today(),
                "lines": [{"description": "Return", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]}))
            .await;
        assert_eq!(status, 201, "{draft}");
        let pdf = format!("/credit-notes/{}/pdf", draft["id"]);

        let (status, built_in) = admin.get("/settings/templates/credit_note").await;
        assert_eq!(status, 200, "{built_in}");
        assert_eq!(built_in["custom"], false);
        let source = built_in["source"].as_str().unwrap().to_string();

        // A broken template is refused with Typst's error and its line; nothing changes.
        let broken = format!("{source}\n#let total = data.totl\n#total\n");
        let (status, body) = admin.put("/settings/templates/credit_note", json!({"source": broken})).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "source");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("credit-note.typ, line") && message.contains("totl"), "{message}");
        assert_eq!(admin.get("/settings/templates/credit_note").await.1["custom"], false);
        let (status, body) = admin.put("/settings/templates/credit_note", json!({"source": "#let"})).await;
        assert_eq!(status, 422, "a syntax error too: {body}");

        // Only administrators edit templates.
        let manager = Api::new(&app, Role::CreditManager).await;
        let (status, _) = manager.put("/settings/templates/credit_note", json!({"source": source})).await;
        assert_eq!(status, 403);
        assert_eq!(admin.get("/settings/templates/receipt").await.0, 404);

        // A good one is saved and used.
        let edited = format!("{source}\n#align(center)[Thank you for your business, 谢谢]\n");
        let (status, body) = admin.put("/settings/templates/credit_note", json!({"source": edited})).await;
        assert_eq!((status, body["custom"].as_bool()), (200, Some(true)), "{body}");
        let (_, _, text) = download(&admin, &pdf).await;
        assert!(text.contains("Thank you for your business, 谢谢"), "{text}");
        // A note finalized before keeps what it printed (CGI art. 289).
        assert_eq!(pdf_bytes(&admin, &finalized).await, kept);

        // Removing it brings the built-in template back.
        assert_eq!(admin.delete("/settings/templates/credit_note").await.0, 204);
        let (_, _, text) = download(&admin, &pdf).await;
        assert!(!text.contains("Thank you for your business"), "{text}");
        assert!(text.contains("DRAFT"), "{text}");
    }

    // The 2026 reform (CGI annexe II art. 242 nonies A as amended by décret n° 2022-1299): a
    // document to a business established in France names its SIREN. Without it (nor a French
    // VAT number that carries it) no invoice is issued and no note finalized for it; a private
    // person needs none, and a draft may wait.
    async fn a_french_business_customer_is_named_by_its_siren_before_anything_is_issued(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let french = |name: &str, consumer: bool| {
            json!({"name": name, "currency": "EUR", "tax_region": "FR", "consumer": consumer,
                "billing_address": {"line1": "3 rue du Port", "city": "Nantes", "postal_code": "44000", "country": "FR"}})
        };
        let (status, business) = admin.post("/customers", french("Dupont SARL", false)).await;
        assert_eq!((status, business["consumer"].as_bool()), (201, Some(false)), "{business}");
        let (status, person) = admin.post("/customers", french("Jeanne Dupont", true)).await;
        assert_eq!((status, person["consumer"].as_bool()), (201, Some(true)), "{person}");
        let invoice = |customer: &Value, status: &str| {
            json!({"customer_id": customer["id"], "currency": "EUR", "issue_date": common::today(), "status": status,
                "lines": [{"description": "Pallets", "quantity": "2", "unit_price": "40.00", "tax_rate": "20"}]})
        };
        let refused = |problem: &Value| (problem["code"].as_str().map(str::to_string), problem["errors"][0]["field"].as_str().map(str::to_string));
        let expected = (Some("buyer_siren_required".to_string()), Some("customer.siren".to_string()));

        let (status, problem) = admin.post("/invoices", invoice(&business, "pending")).await;
        assert_eq!((status, refused(&problem)), (409, expected.clone()), "{problem}");
        let (status, draft) = admin.post("/invoices", invoice(&business, "draft")).await;
        assert_eq!(status, 201, "a draft may wait for it: {draft}");
        let (status, problem) = admin.post(&format!("/invoices/{}/issue", draft["id"]), json!({})).await;
        assert_eq!((status, refused(&problem)), (409, expected.clone()), "{problem}");
        let (status, note) = admin
            .post("/credit-notes", json!({"customer_id": business["id"], "currency": "EUR", "date": common::today(),
                "lines": [{"description": "Goodwill", "quantity": "1", "unit_price": "5.00", "tax_rate": "0"}]}))
            .await;
        assert_eq!(status, 201, "{note}");
        let (status, problem) = admin.post(&format!("/credit-notes/{}/finalize", note["id"]), json!({})).await;
        assert_eq!((status, refused(&problem)), (409, expected), "{problem}");

        let (status, issued) = admin.post("/invoices", invoice(&person, "pending")).await;
        assert_eq!(status, 201, "a private person has no SIREN to give: {issued}");

        // The form says which kind a customer is, also without JavaScript.
        let browser = app.session(Role::Administrator).await;
        let (_, page) = browser.page("/customers").await;
        assert!(page.contains(r#"name="form[consumer]""#), "{page}");
        let (_, page) = browser.page(&format!("/customers/{}", person["id"])).await;
        assert!(page.contains("A private person"), "{page}");
    }

    async fn seller_details_are_checked_and_kept(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (status, body) = admin.put("/settings/seller", json!({"name": "  ", "address": {"line1": "", "city": "", "postal_code": "", "country": ""}})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("name")), "{body}");
        let long = "x".repeat(201);
        let (status, body) = admin
            .put("/settings/seller", json!({"name": "Seller", "iban": long, "address": {"line1": "", "city": "", "postal_code": "", "country": ""}}))
            .await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("iban")), "{body}");
        assert_eq!(admin.get("/settings/seller").await.1["name"], "Maison Essai SAS", "nothing was saved");
        admin.save_seller().await;
        let (status, body) = admin.get("/settings/seller").await;
        assert_eq!((status, body["vat_id"].as_str()), (200, Some("DE811907980")));
        let viewer = Api::new(&app, Role::Viewer).await;
        assert_eq!(viewer.get("/settings/seller").await.0, 403);
    }

    // Code de commerce art. R123-237 (legal form, share capital, SIREN followed by "RCS" and
    // the registry's city) and CGI annexe II art. 242 nonies A, I-1° and 2° (name, address,
    // VAT number): nothing is issued without them, and every document prints them.
    async fn nothing_is_issued_before_the_seller_names_itself_in_full(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme GmbH", "EUR").await;
        let note = admin.note(customer, "EUR", "50.00").await;
        let (_, _, text) = download(&admin, &format!("/credit-notes/{}/pdf", note["id"])).await;
        assert!(
            text.contains("Maison Essai SAS · VAT id FR44732829320") && text.contains("SAS au capital de 10 000,00 EUR · SIREN 732 829 320 RCS Paris · SIRET 732 829 320 00074"),
            "the footer states the registration: {text}"
        );

        // Registration numbers carry INSEE's check digit, and a SIRET starts with its SIREN.
        let (_, mut seller) = admin.get("/settings/seller").await;
        seller["legal_identity"]["siren"] = json!("732 829 321");
        let (status, body) = admin.put("/settings/seller", seller.clone()).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("legal_identity.siren")), "{body}");
        seller["legal_identity"]["siren"] = json!("552 100 554");
        let (status, body) = admin.put("/settings/seller", seller.clone()).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("legal_identity.siret")), "{body}");

        // Saved without its SIREN and RCS city, the French seller issues nothing more.
        seller["legal_identity"] = json!({"legal_form": "SAS", "share_capital": "10 000,00 EUR"});
        let (status, body) = admin.put("/settings/seller", seller).await;
        assert_eq!(status, 200, "incomplete details are kept: {body}");
        let (status, draft) = admin.post("/credit-notes", json!({"customer_id": customer, "currency": "EUR", "date": "2026-11-05",
            "lines": [{"description": "Return", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]})).await;
        assert_eq!(status, 201, "a draft is no document yet: {draft}");
        let (status, problem) = admin.post(&format!("/credit-notes/{}/finalize", draft["id"]), json!({})).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("seller_identity_incomplete")), "{problem}");
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["seller.legal_identity.siren", "seller.legal_identity.rcs_city"], "{problem}");
        let invoice = json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-11-01",
            "lines": [{"description": "Service", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]});
        let (status, problem) = admin.post("/invoices", invoice.clone()).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("seller_identity_incomplete")), "{problem}");
        let mut draft_invoice = invoice.clone();
        draft_invoice["status"] = json!("draft");
        let (status, draft_invoice) = admin.post("/invoices", draft_invoice).await;
        assert_eq!(status, 201, "{draft_invoice}");
        let (status, problem) = admin.post(&format!("/invoices/{}/issue", draft_invoice["id"]), json!({})).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("seller_identity_incomplete")), "{problem}");
        // Another system's invoice, with its number, is that system's to have issued.
        let mut theirs = invoice;
        theirs["number"] = json!("ERP-2026-118");
        let (status, theirs) = admin.post("/invoices", theirs).await;
        assert_eq!((status, &theirs["imported"]), (201, &json!(true)), "{theirs}");
    }
}

#[tokio::test]
async fn a_templates_directory_replaces_the_built_in_template_once_it_renders() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("invoice.typ"),
        "#let data = json(bytes(sys.inputs.data))\nHouse style #data.total\n",
    )
    .unwrap();
    let printer = common::printer(Some(directory.path()), RenderLimits::default());
    printer.check_directory().await.unwrap();
    assert!(
        printer
            .default_template(app::model::DocumentKind::Invoice)
            .contains("House style")
    );
    assert!(
        printer
            .default_template(app::model::DocumentKind::CreditNote)
            .contains("layout.typ")
    );

    std::fs::write(directory.path().join("credit-note.typ"), "#data.nothing").unwrap();
    let printer = common::printer(Some(directory.path()), RenderLimits::default());
    let error = printer.check_directory().await.unwrap_err().to_string();
    assert!(
        error.contains("credit-note.typ") && error.contains("line 1"),
        "{error}"
    );
    let workers = RenderWorkers::new(
        env!("CARGO_BIN_EXE_creditdesk").into(),
        RenderLimits::default(),
    );
    let missing = Printer::new(Some(&directory.path().join("absent")), workers).unwrap_err();
    assert!(missing.to_string().contains("not a directory"));
}

/// Typst's `while` stops after 10,000 rounds, but `for` over a range does not: 10^10 rounds.
const ENDLESS_LOOP: &str = "#for a in range(100000) { for b in range(100000) { } }";

/// A string of 2 GB, asked for at once: more than a render's 1 GiB.
const MEMORY_BOMB: &str = "#let big = \"x\" * 2000000000\n#big.len()";

on_both_backends! {
    async fn a_template_that_loops_or_eats_memory_is_refused_when_saved_within_ten_seconds(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (_, built_in) = admin.get("/settings/templates/credit_note").await;
        let source = built_in["source"].as_str().unwrap().to_string();
        for (bad, says) in [(ENDLESS_LOOP, "took longer than 5 s"), (MEMORY_BOMB, "more than 1024 MiB of memory")] {
            let started = std::time::Instant::now();
            let (status, body) = admin.put("/settings/templates/credit_note", json!({"source": format!("{source}\n{bad}\n")})).await;
            let waited = started.elapsed();
            assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("source")), "{body}");
            let message = body["errors"][0]["message"].as_str().unwrap();
            assert!(message.contains(says), "{message}");
            assert!(waited < std::time::Duration::from_secs(10), "refused after {waited:?}");
            assert_eq!(admin.get("/settings/templates/credit_note").await.1["custom"], false);
        }
    }

    async fn each_user_renders_and_exports_within_a_quota(db) {
        let quota = server::services::RenderQuota {
            burst: std::num::NonZeroU32::new(3).unwrap(),
            // Nothing refills during the test, however slowly documents render.
            refill: std::time::Duration::from_secs(3600),
        };
        let services = db.services().with_render_quota(quota);
        let app = TestApp::spawn_configured(db, services, server::web::WebConfig::default()).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let note = admin.note(customer, "EUR", "10.00").await;
        let pdf = format!("/credit-notes/{}/pdf", note["id"]);
        assert_eq!(download(&admin, &pdf).await.0, 200);
        assert_eq!(download(&admin, &pdf).await.0, 200);
        assert_eq!(admin.file("/exports/fec?year=2026").await.0, 200);
        // The fourth: refused with when to come back; nothing rendered.
        let (status, _, body) = admin.file(&pdf).await;
        let problem: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!((status, problem["code"].as_str()), (429, Some("too_many_requests")), "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("Too many documents rendered or exported"), "{problem}");
        // Another user has an allowance of their own.
        let manager = Api::new(&app, Role::CreditManager).await;
        assert_eq!(download(&manager, &pdf).await.0, 200);
    }

    async fn a_template_that_loops_on_real_data_fails_that_document_alone(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme", "EUR").await;
        let endless = admin.customer("Endless GmbH", "EUR").await;
        let (_, built_in) = admin.get("/settings/templates/credit_note").await;
        let source = built_in["source"].as_str().unwrap().to_string();
        // The samples' customers pass; this customer's documents loop.
        let trap = format!("{source}\n#if data.customer.name == \"Endless GmbH\" [{ENDLESS_LOOP}]\n");
        let (status, body) = admin.put("/settings/templates/credit_note", json!({"source": trap})).await;
        assert_eq!(status, 200, "{body}");
        // Finalized under it, both keep it: each is printed as issued.
        let fine = admin.note(acme, "EUR", "10.00").await;
        let looping = admin.note(endless, "EUR", "10.00").await;

        let fine_pdf = format!("/credit-notes/{}/pdf", fine["id"]);
        let looping_pdf = format!("/credit-notes/{}/pdf", looping["id"]);
        let (failed, rendered) = tokio::join!(download(&admin, &looping_pdf), async {
            // Asked while the other one loops: answered at once.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            let started = std::time::Instant::now();
            (download(&admin, &fine_pdf).await, started.elapsed())
        });
        let (status, _, body) = failed;
        let problem: Value = serde_json::from_str(&body).unwrap();
        assert_eq!((status, problem["code"].as_str()), (422, Some("template_error")), "{body}");
        assert!(problem["detail"].as_str().unwrap().contains("took longer than 5 s"), "{body}");
        let ((status, _, text), took) = rendered;
        assert_eq!(status, 200, "{text}");
        assert!(text.contains("Acme"), "{text}");
        assert!(took < std::time::Duration::from_secs(4), "the other document waited {took:?}");
        // And after it, documents render as before.
        assert_eq!(download(&admin, &fine_pdf).await.0, 200);
    }
}
