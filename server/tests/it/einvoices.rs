//! E-invoices on SQLite and PostgreSQL: finalized credit notes and issued invoices as UBL 2.1
//! XML and as Factur-X PDFs. Every file must pass its official schema (`xmllint` against the
//! OASIS UBL 2.1 and the Factur-X EN 16931 schemas in `tests/schemas`); PDFs are read back
//! with poppler's `pdfdetach` and `pdfinfo`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp, pdf_text, user};
use serde_json::{Value, json};

fn schema(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(name)
}

fn temporary(bytes: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    file
}

/// `xmllint`'s verdict on `xml` against the schema `xsd`: passed, and what it said.
fn xmllint(xml: &str, xsd: &Path) -> (bool, String) {
    let file = temporary(xml.as_bytes(), ".xml");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd)
        .arg(file.path())
        .output()
        .expect("xmllint runs (scripts/lib.sh ensure_test_tools installs libxml2-utils)");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Checks a UBL document against the official UBL 2.1 schema of its kind; answers it.
fn valid_ubl(body: Vec<u8>, kind: &str) -> String {
    let xml = String::from_utf8(body).unwrap();
    let xsd = schema(&format!("ubl-2.1/maindoc/UBL-{kind}-2.1.xsd"));
    let (valid, said) = xmllint(&xml, &xsd);
    assert!(
        valid,
        "the UBL passes the UBL 2.1 {kind} schema: {said}\n{xml}"
    );
    xml
}

/// The result of an XPath expression over `xml`, as `xmllint --xpath` prints it.
fn xpath(xml: &str, expression: &str) -> String {
    let file = temporary(xml.as_bytes(), ".xml");
    let output = Command::new("xmllint")
        .arg("--xpath")
        .arg(expression)
        .arg(file.path())
        .output()
        .expect("xmllint runs");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn first(xml: &str, name: &str) -> String {
    xpath(xml, &format!("string((//*[local-name()='{name}'])[1])"))
}

fn count(xml: &str, name: &str) -> usize {
    xpath(xml, &format!("count(//*[local-name()='{name}'])"))
        .parse()
        .unwrap()
}

/// The files a PDF carries (`pdfdetach`): name and content of each.
fn attachments(pdf: &[u8]) -> Vec<(String, String)> {
    let file = temporary(pdf, ".pdf");
    let list = Command::new("pdfdetach")
        .arg("-list")
        .arg(file.path())
        .output()
        .expect("pdfdetach runs (poppler-utils)");
    assert!(list.status.success());
    let names: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(": ").map(|(_, name)| name.to_string()))
        .collect();
    let directory = tempfile::tempdir().unwrap();
    names
        .into_iter()
        .enumerate()
        .map(|(index, name)| {
            let out = directory.path().join(format!("{index}"));
            let saved = Command::new("pdfdetach")
                .arg("-save")
                .arg((index + 1).to_string())
                .arg("-o")
                .arg(&out)
                .arg(file.path())
                .output()
                .unwrap();
            assert!(saved.status.success());
            (name, std::fs::read_to_string(out).unwrap())
        })
        .collect()
}

/// The PDF's XMP metadata, as `pdfinfo -meta` prints it.
fn xmp(pdf: &[u8]) -> String {
    let file = temporary(pdf, ".pdf");
    let output = Command::new("pdfinfo")
        .arg("-meta")
        .arg(file.path())
        .output()
        .expect("pdfinfo runs (poppler-utils)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Checks a Factur-X PDF: PDF/A-3, one attachment `factur-x.xml` that passes the EN 16931
/// schema; answers that XML.
fn facturx_xml(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let metadata = xmp(pdf);
    assert!(
        metadata.contains("<pdfaid:part>3</pdfaid:part>") || metadata.contains("pdfaid:part=\"3\""),
        "PDF/A-3: {metadata}"
    );
    // The Factur-X properties, declared in the PDF/A extension schemas.
    for property in [
        "<fx:DocumentType>INVOICE</fx:DocumentType>",
        "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
        "<fx:Version>1.0</fx:Version>",
        "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
        "<pdfaSchema:prefix>fx</pdfaSchema:prefix>",
    ] {
        assert!(metadata.contains(property), "{property}: {metadata}");
    }
    let files = attachments(pdf);
    assert_eq!(files.len(), 1, "one attachment");
    let (name, xml) = files.into_iter().next().unwrap();
    assert_eq!(name, "factur-x.xml");
    let (valid, said) = xmllint(&xml, &schema("facturx-en16931/Factur-X_EN16931.xsd"));
    assert!(
        valid,
        "the CII passes the Factur-X EN 16931 schema: {said}\n{xml}"
    );
    xml
}

async fn get(api: &Api<'_>, path: &str) -> (u16, String, Vec<u8>) {
    api.file(path).await
}

/// A credit note of the two-rate invoice: two beans at 10.00 less 10 % and the descaling, with
/// a ship date; answers the draft.
async fn draft_credit(admin: &Api<'_>, customer: i64, invoice: &Value) -> Value {
    let (status, draft) = admin
        .post(
            "/credit-notes",
            json!({
                "customer_id": customer, "currency": "EUR", "date": "2026-03-10",
                "related_invoice_id": invoice["id"], "reason": "Returned beans & a <faulty> part",
                "lines": [
                    {"description": "Coffee beans", "quantity": "2", "unit_price": "10.00", "discount_percent": "10", "tax_rate": "5.5"},
                    {"description": "Descaling", "quantity": "1", "unit_price": "15.00", "tax_rate": "20"}
                ]
            }),
        )
        .await;
    assert_eq!(status, 201, "{draft}");
    draft
}

on_both_backends! {
    // CGI art. 289-I-5 and 272-1: a credit note reduces VAT only if it refers to the initial
    // invoice; one that names no invoice is net of tax and says so.
    async fn a_note_that_reduces_vat_names_its_invoice_else_it_is_net_of_tax(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let (status, draft) = admin
            .post("/credit-notes", json!({"customer_id": customer, "currency": "EUR", "date": "2026-11-05",
                "lines": [{"description": "Gesture", "quantity": "1", "unit_price": "10.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{draft}");
        let id = draft["id"].as_i64().unwrap();
        let (status, body) = admin.post(&format!("/credit-notes/{id}/finalize"), json!({})).await;
        assert_eq!((status, body["code"].as_str(), body["errors"][0]["field"].as_str()), (409, Some("invoice_reference_required"), Some("related_invoice_id")), "{body}");
        let (_, unchanged) = admin.get(&format!("/credit-notes/{id}")).await;
        assert_eq!((unchanged["status"].as_str(), &unchanged["number"]), (Some("draft"), &Value::Null), "nothing numbered");

        // Related to its invoice it may reduce VAT…
        let invoice = admin.invoice(customer, "EUR", "100.00").await;
        let (status, body) = admin.patch(&format!("/credit-notes/{id}"), json!({"related_invoice_id": invoice["id"]})).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = admin.post(&format!("/credit-notes/{id}/finalize"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        // …and without one it is net of tax, as its PDF says.
        let net = admin.note(customer, "EUR", "15.00").await;
        let (status, _, pdf) = get(&admin, &format!("/credit-notes/{}/pdf", net["id"])).await;
        assert_eq!(status, 200);
        assert!(pdf_text(&pdf).contains("Avoir net de taxe"), "{}", pdf_text(&pdf));
        let (_, _, pdf) = get(&admin, &format!("/credit-notes/{id}/pdf")).await;
        assert!(!pdf_text(&pdf).contains("net de taxe"), "a note that names its invoice does not say it");
    }

    async fn a_finalized_credit_note_exports_as_ubl_and_as_factur_x_that_passes_its_schema(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.save_seller().await;
        let customer = admin.customer("Kaffee Rösterei", "EUR").await;
        let invoice = admin.two_rate_invoice(customer).await;
        let invoice_number = invoice["number"].as_str().unwrap();
        let draft = draft_credit(&admin, customer, &invoice).await;
        let id = draft["id"].as_i64().unwrap();

        // A draft has no number: no e-invoice yet.
        for format in ["ubl", "factur-x"] {
            let (status, _, body) = get(&admin, &format!("/credit-notes/{id}/{format}")).await;
            let problem: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!((status, problem["code"].as_str()), (409, Some("not_final")), "{problem}");
        }
        let (status, note) = admin.post(&format!("/credit-notes/{id}/finalize"), json!({})).await;
        assert_eq!(status, 200, "{note}");
        let number = note["number"].as_str().unwrap();

        // UBL 2.1: a CreditNote of type 381 that refers to the credited invoice.
        let (status, disposition, body) = get(&admin, &format!("/credit-notes/{id}/ubl")).await;
        assert_eq!(status, 200);
        assert_eq!(disposition, format!("attachment; filename=\"{number}.xml\""));
        let ubl = valid_ubl(body, "CreditNote");
        assert!(ubl.contains("<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\""), "{ubl}");
        assert_eq!(first(&ubl, "CustomizationID"), "urn:cen.eu:en16931:2017");
        assert_eq!(first(&ubl, "ID"), number);
        assert_eq!(first(&ubl, "CreditNoteTypeCode"), "381");
        assert_eq!(first(&ubl, "Note"), "Returned beans & a <faulty> part", "escaped, read back whole");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='InvoiceDocumentReference']/*[local-name()='ID'])"), invoice_number);
        assert_eq!(xpath(&ubl, "string(//*[local-name()='InvoiceDocumentReference']/*[local-name()='IssueDate'])"), "2026-03-02");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='AccountingSupplierParty']//*[local-name()='CompanyID'])"), "DE811907980");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='AccountingCustomerParty']//*[local-name()='RegistrationName'])"), "Kaffee Rösterei");
        assert_eq!(first(&ubl, "PayeeFinancialAccount"), "DE89370400440532013000");
        // Lines: 2 × 10.00 less 10 % = 18.00 (an allowance of 2.00 on 20.00), and 15.00.
        assert_eq!(count(&ubl, "CreditNoteLine"), 2);
        assert_eq!(first(&ubl, "CreditedQuantity"), "2");
        assert_eq!(xpath(&ubl, "string((//*[local-name()='CreditNoteLine'])[1]/*[local-name()='LineExtensionAmount'])"), "18.00");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='CreditNoteLine']//*[local-name()='AllowanceCharge']/*[local-name()='Amount'])"), "2.00");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='CreditNoteLine']//*[local-name()='AllowanceCharge']/*[local-name()='BaseAmount'])"), "20.00");
        // Per rate, then the totals: 18.00 at 5.5 % (0.99) and 15.00 at 20 % (3.00).
        assert_eq!(count(&ubl, "TaxSubtotal"), 2);
        assert_eq!(xpath(&ubl, "string((//*[local-name()='TaxSubtotal'])[1]/*[local-name()='TaxAmount'])"), "0.99");
        assert_eq!(xpath(&ubl, "string((//*[local-name()='TaxSubtotal'])[2]/*[local-name()='TaxableAmount'])"), "15.00");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='TaxTotal']/*[local-name()='TaxAmount'])"), "3.99");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='LegalMonetaryTotal']/*[local-name()='LineExtensionAmount'])"), "33.00");
        assert_eq!(first(&ubl, "PayableAmount"), note["total"].as_str().unwrap());
        assert_eq!(first(&ubl, "PayableAmount"), "36.99");

        // Factur-X: the printed note, PDF/A-3, with its CII that passes the official schema.
        let (status, disposition, pdf) = get(&admin, &format!("/credit-notes/{id}/factur-x")).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
        assert_eq!(disposition, format!("attachment; filename=\"{number}-factur-x.pdf\""));
        let cii = facturx_xml(&pdf);
        assert_eq!(first(&cii, "TypeCode"), "381");
        assert_eq!(xpath(&cii, "string(//*[local-name()='ExchangedDocument']/*[local-name()='ID'])"), number);
        assert_eq!(xpath(&cii, "string(//*[local-name()='InvoiceReferencedDocument']/*[local-name()='IssuerAssignedID'])"), invoice_number);
        assert_eq!(first(&cii, "GrandTotalAmount"), "36.99");
        assert_eq!(first(&cii, "TaxTotalAmount"), "3.99");
        assert_eq!(first(&cii, "ActualAmount"), "2.00");
        // Dated the day it was finalized (CGI annexe II art. 242 nonies A, I-7°).
        assert_eq!(first(&cii, "DateTimeString"), chrono::Utc::now().date_naive().format("%Y%m%d").to_string());
        let text = pdf_text(&pdf);
        assert!(text.contains(number) && text.contains("Nordlicht Handel GmbH"), "{text}");
    }

    async fn an_issued_invoice_exports_as_ubl_invoice_380_and_as_factur_x(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        // The test databases' seller: a French SAS with its full registration.
        let customer = admin.customer("Kaffee Rösterei", "EUR").await;
        let invoice = admin.two_rate_invoice(customer).await;
        let id = invoice["id"].as_i64().unwrap();
        let number = invoice["number"].as_str().unwrap();

        let (status, _, body) = get(&admin, &format!("/invoices/{id}/ubl")).await;
        assert_eq!(status, 200);
        let ubl = valid_ubl(body, "Invoice");
        assert!(ubl.contains("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\""), "{ubl}");
        assert_eq!(first(&ubl, "InvoiceTypeCode"), "380");
        assert_eq!(first(&ubl, "ID"), number);
        assert_eq!(first(&ubl, "DueDate"), "2026-04-01");
        assert_eq!(count(&ubl, "InvoiceLine"), 2);
        assert_eq!(first(&ubl, "InvoicedQuantity"), "1");
        assert_eq!(first(&ubl, "PayableAmount"), "172.75");
        // BT-30 (the SIREN, ISO 6523 scheme 0002) and BT-33 (legal form, capital, RCS).
        let legal = "//*[local-name()='AccountingSupplierParty']//*[local-name()='PartyLegalEntity']";
        assert_eq!(xpath(&ubl, &format!("string({legal}/*[local-name()='CompanyID'][@schemeID='0002'])")), "732829320");
        assert!(xpath(&ubl, &format!("string({legal}/*[local-name()='CompanyLegalForm'])")).starts_with("SAS au capital de 10 000,00 EUR"));

        let (status, disposition, pdf) = get(&admin, &format!("/invoices/{id}/factur-x")).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
        assert_eq!(disposition, format!("attachment; filename=\"{number}-factur-x.pdf\""));
        let cii = facturx_xml(&pdf);
        assert_eq!(first(&cii, "TypeCode"), "380");
        assert_eq!(first(&cii, "GrandTotalAmount"), "172.75");
        assert_eq!(xpath(&cii, "string(//*[local-name()='DueDateDateTime']/*)"), "20260401");
        assert_eq!(xpath(&cii, "string(//*[local-name()='SellerTradeParty']/*[local-name()='SpecifiedLegalOrganization']/*[local-name()='ID'][@schemeID='0002'])"), "732829320");

        // A draft invoice has none; the browser downloads with its session.
        let (status, draft) = admin
            .post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02", "status": "draft",
                "lines": [{"description": "Cups", "quantity": "1", "unit_price": "5.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{draft}");
        let (status, _, _) = get(&admin, &format!("/invoices/{}/ubl", draft["id"])).await;
        assert_eq!(status, 409);
        let browser = app.session(Role::Viewer).await;
        let (_, page) = browser.page(&format!("/invoices/{id}")).await;
        assert!(page.contains(&format!("href=\"/invoices/{id}/factur-x\"")), "{page}");
        let (_, page) = browser.page(&format!("/invoices/{}", draft["id"])).await;
        assert!(!page.contains("/factur-x\""), "a draft offers no e-invoice");
        let response = browser.browser.get(app.url(&format!("/invoices/{id}/ubl"))).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/xml");
    }

    async fn an_einvoice_names_what_en16931_needs_and_the_document_lacks(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (status, customer) = admin
            .post("/customers", json!({"name": "Vague Ltd", "currency": "EUR", "tax_region": "DE",
                "billing_address": {"line1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country": "Germany"}}))
            .await;
        assert_eq!(status, 201, "{customer}");
        let note = admin.note(customer["id"].as_i64().unwrap(), "EUR", "25.00").await;

        // No seller (the details gone from the database since the note was issued), a customer
        // whose country is not a code: every gap on its field.
        app.db.behind_the_back("DELETE FROM seller_profile").await;
        let (status, _, body) = get(&admin, &format!("/credit-notes/{}/factur-x", note["id"])).await;
        let problem: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!((status, problem["code"].as_str()), (409, Some("einvoice_incomplete")), "{problem}");
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|error| error["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["seller.name", "seller.vat_id", "seller.address.country", "customer.billing_address.country"]);

        // With the seller saved, only the customer's country is left.
        admin.save_seller().await;
        let (status, _, body) = get(&admin, &format!("/credit-notes/{}/ubl", note["id"])).await;
        let problem: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(status, 409);
        assert_eq!(problem["errors"][0]["field"], "customer.billing_address.country");
        assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{problem}");
        // In the browser the refusal is a page that says why and leads back, not JSON.
        let browser = app.session(Role::Viewer).await;
        let response = browser.browser.get(app.url(&format!("/credit-notes/{}/ubl", note["id"]))).send().await.unwrap();
        assert_eq!(response.status(), 409);
        assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
        let page = response.text().await.unwrap();
        assert!(page.contains("customer.billing_address.country") && page.contains(&format!("href=\"/credit-notes/{}\"", note["id"])), "{page}");

        // A standalone credit's charge is its one, untaxed line.
        let complete = admin.customer("Kaffee Rösterei", "EUR").await;
        let (status, draft) = admin
            .post("/credit-notes", json!({"customer_id": complete, "currency": "EUR", "date": "2026-11-05",
                "charge": {"code": "GW", "description": "Goodwill", "amount": "25.00"}}))
            .await;
        assert_eq!(status, 201, "{draft}");
        let (status, standalone) = admin.post(&format!("/credit-notes/{}/finalize", draft["id"]), json!({})).await;
        assert_eq!(status, 200, "{standalone}");
        let (status, _, body) = get(&admin, &format!("/credit-notes/{}/ubl", standalone["id"])).await;
        assert_eq!(status, 200);
        let ubl = valid_ubl(body, "CreditNote");
        assert_eq!(count(&ubl, "CreditNoteLine"), 1);
        assert_eq!(first(&ubl, "Name"), "Goodwill");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='ClassifiedTaxCategory']/*[local-name()='ID'])"), "Z");
        assert_eq!(first(&ubl, "PayableAmount"), "25.00");
        let (status, _, pdf) = get(&admin, &format!("/credit-notes/{}/factur-x", standalone["id"])).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
        assert_eq!(first(&facturx_xml(&pdf), "GrandTotalAmount"), "25.00");

        // A customer gets its own notes' e-invoices only.
        user(&app.db.services(), "portal@kaffee.example", Role::Customer, Some(complete)).await;
        let portal = Api { app: &app, token: Some(app.token("portal@kaffee.example").await) };
        assert_eq!(get(&portal, &format!("/credit-notes/{}/ubl", standalone["id"])).await.0, 200);
        assert_eq!(get(&portal, &format!("/credit-notes/{}/factur-x", standalone["id"])).await.0, 200);
        assert_eq!(get(&portal, &format!("/credit-notes/{}/ubl", note["id"])).await.0, 404);
        assert_eq!(get(&portal, &format!("/credit-notes/{}/factur-x", note["id"])).await.0, 404);
    }

    // CGI annexe II art. 242 nonies A, I-12° (an exemption names its article) and I-13°
    // ("Autoliquidation"); EN 16931 BT-118/BT-120/BT-121 with the rules BR-G-05/-10,
    // BR-AE-02/-10, BR-E-10 and BR-IC-12: a 0 % line says why, in the PDF and both syntaxes.
    async fn an_untaxed_line_carries_its_vat_category_and_exemption_in_pdf_ubl_and_cii(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        // The tax table says why its 0 % rules are untaxed; an exemption must name its article.
        let (status, problem) = admin
            .put("/tax-rules", json!({"rules": [
                {"region": "FR", "category": "standard", "rate": "20"},
                {"region": "FR", "category": "training", "rate": "0", "vat_category": "exempt"},
            ]}))
            .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "rules[1].vat_exemption_reason", "{problem}");
        let (status, table) = admin
            .put("/tax-rules", json!({"rules": [
                {"region": "FR", "category": "standard", "rate": "20"},
                {"region": "FR", "category": "training", "rate": "0", "vat_category": "exempt",
                 "vat_exemption_reason": "Exonération de TVA, article 261-4-4° a du CGI"},
                {"region": "EXPORT", "category": "standard", "rate": "0", "vat_category": "export"},
            ]}))
            .await;
        assert_eq!(status, 200, "{table}");
        assert_eq!(table["rules"][0]["vat_category"], "export");

        // An export: the line's rate and category come from the customer's region.
        let (status, customer) = admin
            .post("/customers", json!({"name": "Uhrwerk AG", "currency": "EUR", "tax_region": "EXPORT",
                "billing_address": {"line1": "Bahnhofstrasse 1", "city": "Zürich", "postal_code": "8001", "country": "CH"}}))
            .await;
        assert_eq!(status, 201, "{customer}");
        let (status, invoice) = admin
            .post("/invoices", json!({"customer_id": customer["id"], "currency": "EUR", "issue_date": common::today().to_string(),
                "lines": [{"description": "Watch movements", "quantity": "3", "unit_price": "100.00"}]}))
            .await;
        assert_eq!(status, 201, "{invoice}");
        assert_eq!((invoice["lines"][0]["tax_rate"].as_str(), invoice["lines"][0]["vat_category"].as_str()), (Some("0"), Some("export")));
        let id = invoice["id"].as_i64().unwrap();
        let (_, _, body) = get(&admin, &format!("/invoices/{id}/ubl")).await;
        let ubl = valid_ubl(body, "Invoice");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='ClassifiedTaxCategory']/*[local-name()='ID'])"), "G");
        let breakdown = "//*[local-name()='TaxSubtotal']/*[local-name()='TaxCategory']";
        assert_eq!(xpath(&ubl, &format!("string({breakdown}/*[local-name()='ID'])")), "G");
        assert_eq!(xpath(&ubl, &format!("string({breakdown}/*[local-name()='TaxExemptionReasonCode'])")), "VATEX-EU-G");
        assert!(xpath(&ubl, &format!("string({breakdown}/*[local-name()='TaxExemptionReason'])")).contains("article 262 I du CGI"), "{ubl}");
        let (status, _, pdf) = get(&admin, &format!("/invoices/{id}/factur-x")).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
        let cii = facturx_xml(&pdf);
        let header = "//*[local-name()='ApplicableHeaderTradeSettlement']/*[local-name()='ApplicableTradeTax']";
        assert_eq!(xpath(&cii, &format!("string({header}/*[local-name()='CategoryCode'])")), "G");
        assert_eq!(xpath(&cii, &format!("string({header}/*[local-name()='ExemptionReasonCode'])")), "VATEX-EU-G");
        let text = pdf_text(&pdf);
        assert!(text.contains("Exonération de TVA, article 262 I du CGI"), "the PDF prints the exemption: {text}");

        // A line may say it itself: reverse charge prints "Autoliquidation", and needs the
        // buyer's VAT number (BR-AE-02).
        let reverse_charge_invoice = |customer: i64| {
            json!({"customer_id": customer, "currency": "EUR", "issue_date": common::today().to_string(),
                "lines": [
                    {"description": "Scaffolding", "quantity": "1", "unit_price": "500.00", "tax_rate": "0", "vat_category": "reverse_charge"},
                    {"description": "Coffee", "quantity": "1", "unit_price": "10.00", "tax_rate": "20"}
                ]})
        };
        // CGI annexe II art. 242 nonies A, I-2°: without the buyer's VAT number such a
        // document is not issued, and nothing is written.
        let unidentified = admin.customer("Bau ohne USt-IdNr", "EUR").await;
        let (status, problem) = admin.post("/invoices", reverse_charge_invoice(unidentified)).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("buyer_vat_id_required")), "{problem}");
        assert_eq!(problem["errors"][0]["field"], "customer.vat_id");
        let (_, list) = admin.get(&format!("/invoices?customer_id={unidentified}")).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{list}");
        let (status, builder) = admin
            .post("/customers", json!({"name": "Bau GmbH", "currency": "EUR", "tax_region": "DE", "vat_id": "DE811907980",
                "billing_address": {"line1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country": "DE"}}))
            .await;
        assert_eq!(status, 201, "{builder}");
        let builder = builder["id"].as_i64().unwrap();
        let (status, invoice) = admin.post("/invoices", reverse_charge_invoice(builder)).await;
        assert_eq!(status, 201, "{invoice}");
        assert_eq!(invoice["lines"][0]["vat_exemption_reason"], "Autoliquidation");
        let (status, _, body) = get(&admin, &format!("/invoices/{}/ubl", invoice["id"])).await;
        assert_eq!(status, 200);
        let ubl = valid_ubl(body, "Invoice");
        // Two breakdown rows: standard 20 % and reverse charge, each with its category.
        assert_eq!(count(&ubl, "TaxSubtotal"), 2);
        assert_eq!(xpath(&ubl, &format!("string(({breakdown})[1]/*[local-name()='ID'])")), "S");
        assert_eq!(xpath(&ubl, &format!("string(({breakdown})[2]/*[local-name()='ID'])")), "AE");
        assert_eq!(xpath(&ubl, &format!("string(({breakdown})[2]/*[local-name()='TaxExemptionReason'])")), "Autoliquidation");
        assert_eq!(xpath(&ubl, &format!("count(({breakdown})[1]/*[local-name()='TaxExemptionReason'])")), "0", "a taxed row has no reason (BR-S-10)");

        // What EN 16931 forbids is refused on its field and writes nothing.
        for (line, field) in [
            (json!({"description": "Seminar", "quantity": "1", "unit_price": "100.00", "tax_rate": "0", "vat_category": "exempt"}), "lines[0].vat_exemption_reason"),
            (json!({"description": "Seminar", "quantity": "1", "unit_price": "100.00", "tax_rate": "20", "vat_category": "export"}), "lines[0].tax_rate"),
            (json!({"description": "Seminar", "quantity": "1", "unit_price": "100.00", "tax_rate": "20", "vat_exemption_reason": "Exonéré"}), "lines[0].vat_exemption_reason"),
        ] {
            let (status, problem) = admin
                .post("/invoices", json!({"customer_id": builder, "currency": "EUR", "issue_date": common::today().to_string(), "lines": [line]}))
                .await;
            assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some(field)), "{problem}");
        }
    }

    // The 2026 e-invoicing reform's mentions (CGI annexe II art. 242 nonies A as amended by
    // décret n° 2022-1299): the customer's SIREN (EN 16931 BT-47), checked by INSEE's key or
    // carried by its French VAT number; the nature of the operations; the option for VAT on
    // debits. On the PDF and in both syntaxes.
    async fn the_reforms_mentions_are_printed_and_carried(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (_, mut seller) = admin.get("/settings/seller").await;
        seller["vat_regime"] = json!({"operations": "services", "on_debits": true});
        seller.as_object_mut().unwrap().remove("logo_media_type");
        let (status, saved) = admin.put("/settings/seller", seller).await;
        assert_eq!((status, saved["vat_regime"]["on_debits"].as_bool()), (200, Some(true)), "{saved}");
        let customer = |siren: Value, vat_id: Value| {
            json!({"name": "Dupont Distribution", "currency": "EUR", "tax_region": "FR", "siren": siren, "vat_id": vat_id,
                "billing_address": {"line1": "3 rue du Port", "city": "Nantes", "postal_code": "44000", "country": "FR"},
                "shipping_address": {"line1": "Zone industrielle, quai 4", "city": "Saint-Nazaire", "postal_code": "44600", "country": "FR"}})
        };
        let (status, problem) = admin.post("/customers", customer(json!("303 265 046"), Value::Null)).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("siren")), "{problem}");
        let (status, given) = admin.post("/customers", customer(json!("303 265 045"), Value::Null)).await;
        assert_eq!((status, given["siren"].as_str()), (201, Some("303265045")), "{given}");
        let (status, derived) = admin.post("/customers", customer(Value::Null, json!("FR40303265045"))).await;
        assert_eq!((status, derived["siren"].as_str()), (201, Some("303265045")), "{derived}");

        let (status, invoice) = admin
            .post("/invoices", json!({"customer_id": derived["id"], "currency": "EUR", "issue_date": common::today().to_string(),
                "lines": [{"description": "Pallets", "quantity": "2", "unit_price": "40.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{invoice}");
        let (_, _, body) = get(&admin, &format!("/invoices/{}/ubl", invoice["id"])).await;
        let ubl = valid_ubl(body, "Invoice");
        let buyer = "//*[local-name()='AccountingCustomerParty']//*[local-name()='PartyLegalEntity']";
        assert_eq!(xpath(&ubl, &format!("string({buyer}/*[local-name()='CompanyID'][@schemeID='0002'])")), "303265045");
        // BT-49, the buyer's electronic address in the French directory (rules BR-FR-12, -21).
        assert_eq!(xpath(&ubl, "string(//*[local-name()='AccountingCustomerParty']//*[local-name()='EndpointID'][@schemeID='0225'])"), "303265045");
        let (status, _, pdf) = get(&admin, &format!("/invoices/{}/factur-x", invoice["id"])).await;
        assert_eq!(status, 200);
        let cii = facturx_xml(&pdf);
        assert_eq!(xpath(&cii, "string(//*[local-name()='BuyerTradeParty']/*[local-name()='SpecifiedLegalOrganization']/*[local-name()='ID'][@schemeID='0002'])"), "303265045");
        let text = pdf_text(&pdf);
        assert!(text.contains("SIREN: 303 265 045"), "the PDF names the buyer's SIREN: {text}");
        // Goods delivered elsewhere than the customer's address: the address is stated.
        assert!(text.contains("Zone industrielle, quai 4"), "{text}");
        assert_eq!(xpath(&ubl, "string(//*[local-name()='DeliveryLocation']//*[local-name()='CityName'])"), "Saint-Nazaire");
        assert_eq!(xpath(&cii, "string(//*[local-name()='ShipToTradeParty']//*[local-name()='LineOne'])"), "Zone industrielle, quai 4");
        assert!(text.contains("Opérations : exclusivement des prestations de services"), "{text}");
        assert!(text.contains("Option pour le paiement de la taxe d'après les débits"), "{text}");
        let notes = "//*[local-name()='IncludedNote']/*[local-name()='Content']";
        assert_eq!(xpath(&cii, &format!("string(({notes})[2])")), "Option pour le paiement de la taxe d'après les débits");
        // BT-23, the reform's billing mode (rule BR-FR-08): S1, a document of services.
        assert_eq!(xpath(&cii, "string(//*[local-name()='BusinessProcessSpecifiedDocumentContextParameter']/*[local-name()='ID'])"), "S1");
        assert_eq!(first(&ubl, "ProfileID"), "S1");
        // The payment terms as notes with the subject codes rule BR-FR-05 looks for.
        for subject in ["PMD", "PMT", "AAB"] {
            let note = format!("string(//*[local-name()='IncludedNote'][*[local-name()='SubjectCode']='{subject}']/*[local-name()='Content'])");
            assert!(!xpath(&cii, &note).is_empty(), "{subject}: {cii}");
            assert_eq!(xpath(&ubl, &format!("count(/*/*[local-name()='Note'][starts-with(., '#{subject}#')])")), "1", "{subject}");
        }
        assert!(xpath(&ubl, "string(/*/*[local-name()='Note'][starts-with(., '#PMT#')])").contains("40 EUR"));

        // Each document states the nature of its own operations (décret n° 2022-1299): goods
        // only, or goods and services, whatever the seller's usual operations.
        for (lines, mode, mention) in [
            (json!([{"description": "Pallets", "quantity": "2", "unit_price": "40.00", "tax_rate": "20", "nature": "goods"}]),
                "B1", "Opérations : exclusivement des livraisons de biens"),
            (json!([{"description": "Pallets", "quantity": "2", "unit_price": "40.00", "tax_rate": "20", "nature": "goods"},
                    {"description": "Fitting", "quantity": "1", "unit_price": "90.00", "tax_rate": "20", "nature": "services"}]),
                "M1", "Opérations : livraisons de biens et prestations de services"),
        ] {
            let (status, invoice) = admin
                .post("/invoices", json!({"customer_id": derived["id"], "currency": "EUR", "issue_date": common::today().to_string(), "lines": lines}))
                .await;
            assert_eq!(status, 201, "{invoice}");
            let (_, _, body) = get(&admin, &format!("/invoices/{}/ubl", invoice["id"])).await;
            assert_eq!(first(&valid_ubl(body, "Invoice"), "ProfileID"), mode);
            let (_, _, pdf) = get(&admin, &format!("/invoices/{}/factur-x", invoice["id"])).await;
            let text = pdf_text(&pdf);
            assert!(text.contains(mention) && !text.contains("exclusivement des prestations"), "{text}");
        }
    }
}
