//! CSV imports of invoices and credit notes on SQLite and PostgreSQL: a preview that writes
//! nothing, invoices created, updated (outstanding recomputed after payments and credits) and
//! left alone, credit notes imported final under their own number, the same file twice
//! changing nothing, and every bad row named with nothing written.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::{Value, json};

const HEADER: &str = "number,customer,currency,issue_date,due_date,description,quantity,unit_price,discount_percent,tax_rate\n";

/// Two invoices: INV-IMP-1 for Acme GmbH (2 chairs at 100.00 and a desk at 50.00 less 10 %,
/// all at 20 %: 294.00) and INV-IMP-2 for Globex (288.00).
fn file(chairs: &str) -> String {
    format!(
        "{HEADER}INV-IMP-1,Acme GmbH,EUR,2026-03-01,2026-03-31,Chairs,{chairs},100.00,,20\n\
         INV-IMP-1,Acme GmbH,EUR,2026-03-01,2026-03-31,Desk,1,50.00,10,20\n\
         INV-IMP-2,Globex,EUR,2026-03-05,,Consulting,3,80.00,0,20\n"
    )
}

const NOTE_HEADER: &str = "number,customer,currency,date,invoice,reason_category,reason,description,quantity,unit_price,discount_percent,tax_rate\n";

/// Two credit notes from another system: AV-100 credits two chairs of INV-IMP-1 (240.00),
/// AV-101 is a goodwill credit to Globex at `goodwill` (no tax).
fn notes_file(goodwill: &str) -> String {
    format!(
        "{NOTE_HEADER}AV-100,Acme GmbH,EUR,2026-03-10,INV-IMP-1,return,Two chairs came back,Chairs,2,100.00,,20\n\
         AV-101,Globex,EUR,2026-03-12,,goodwill,,Late delivery,1,{goodwill},,0\n"
    )
}

async fn import(api: &Api<'_>, csv: &str, dry_run: bool) -> (u16, Value) {
    import_kind(api, "invoices", csv, dry_run).await
}

async fn import_notes(api: &Api<'_>, csv: &str, dry_run: bool) -> (u16, Value) {
    import_kind(api, "credit_notes", csv, dry_run).await
}

async fn import_kind(api: &Api<'_>, kind: &str, csv: &str, dry_run: bool) -> (u16, Value) {
    api.send(
        api.app
            .client
            .post(
                api.app
                    .url(&format!("/api/v1/imports?kind={kind}&dry_run={dry_run}")),
            )
            .header("content-type", "text/csv")
            .body(csv.to_string()),
    )
    .await
}

/// The invoice with this number, as the API shows it; `Null` when there is none.
async fn invoice(api: &Api<'_>, number: &str) -> Value {
    let (status, body) = api.get(&format!("/invoices?number={number}")).await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|invoice| invoice["number"] == number)
        .cloned()
        .unwrap_or(Value::Null)
}

/// An administrator's client, on a desk whose customers Acme GmbH and Globex have the
/// invoices of `file("2")`.
async fn with_invoices(app: &TestApp) -> Api<'_> {
    let admin = Api::new(app, Role::Administrator).await;
    admin.customer("Acme GmbH", "EUR").await;
    admin.customer("Globex", "EUR").await;
    let (status, body) = import(&admin, &file("2"), false).await;
    assert_eq!(status, 200, "{body}");
    admin
}

/// Every credit note, as the API lists them.
async fn notes(api: &Api<'_>) -> Vec<Value> {
    let (status, body) = api.get("/credit-notes?limit=100").await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// What the report says of each document: its number in the file and its change.
fn changes(report: &Value) -> Vec<(String, String)> {
    let list = if report["kind"] == "credit_notes" {
        "credit_notes"
    } else {
        "invoices"
    };
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|invoice| {
            (
                invoice["number"].as_str().unwrap().to_string(),
                invoice["change"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(number: &str, change: &str) -> (String, String) {
    (number.to_string(), change.to_string())
}

on_both_backends! {
    async fn an_import_creates_updates_and_recomputes_what_is_owed_and_twice_changes_nothing(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme GmbH", "EUR").await;
        admin.customer("Globex", "EUR").await;

        // The preview says what would happen, and writes nothing.
        let (status, preview) = import(&admin, &file("2"), true).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!((preview["dry_run"].as_bool(), preview["created"].as_u64()), (Some(true), Some(2)));
        assert_eq!(preview["invoices"][0]["total"], "294.00");
        assert_eq!(preview["invoices"][1]["line"], 4);
        assert_eq!(invoice(&admin, "INV-IMP-1").await, Value::Null, "a preview writes nothing");

        let (status, report) = import(&admin, &file("2"), false).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(changes(&report), [pair("INV-IMP-1", "created"), pair("INV-IMP-2", "created")]);
        let first = invoice(&admin, "INV-IMP-1").await;
        assert_eq!((first["total"].as_str(), first["status"].as_str()), (Some("294.00"), Some("pending")));
        assert_eq!(first["customer_id"], acme);
        assert_eq!(invoice(&admin, "INV-IMP-2").await["due_date"], Value::Null);

        // The same file again changes nothing.
        let (status, again) = import(&admin, &file("2"), false).await;
        assert_eq!(status, 200, "{again}");
        assert_eq!((again["created"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(0), Some(2)));
        let (_, timeline) = admin.get(&format!("/invoices/{}/timeline", first["id"])).await;
        assert_eq!(timeline["items"].as_array().unwrap().len(), 1, "only its creation: {timeline}");

        // Paid 50.00, credited 20.00; a new total recomputes what is owed.
        let id = first["id"].as_i64().unwrap();
        let (status, body) = admin.post(&format!("/invoices/{id}/payments"), json!({"amount": "50.00", "date": "2026-03-10"})).await;
        assert_eq!(status, 201, "{body}");
        let note = admin.note(acme, "EUR", "20.00").await;
        let (status, body) = admin.post(&format!("/invoices/{id}/allocations"), json!({"allocations": [{"credit_note_id": note["id"]}]})).await;
        assert_eq!(status, 201, "{body}");
        let (status, report) = import(&admin, &file("3"), false).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(changes(&report), [pair("INV-IMP-1", "updated"), pair("INV-IMP-2", "unchanged")]);
        let updated = &report["invoices"][0];
        assert_eq!((updated["previous_total"].as_str(), updated["total"].as_str()), (Some("294.00"), Some("414.00")));
        assert_eq!(updated["outstanding"], "344.00", "414.00 − 50.00 paid − 20.00 credited");
        let now = invoice(&admin, "INV-IMP-1").await;
        assert_eq!((now["total"].as_str(), now["credited_amount"].as_str(), now["paid_amount"].as_str()), (Some("414.00"), Some("20.00"), Some("50.00")));

        // Its customer and currency stay: the payment and the credit are in EUR, for Acme.
        let dollars = file("3").replace("INV-IMP-1,Acme GmbH,EUR", "INV-IMP-1,Acme GmbH,USD");
        let (status, problem) = import(&admin, &dollars, false).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("rows[2].currency")), "{problem}");
        let globex = file("3").replace("INV-IMP-1,Acme GmbH", "INV-IMP-1,Globex");
        let (status, problem) = import(&admin, &globex, false).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("rows[2].customer")), "{problem}");

        // A total below what was paid and credited is refused on its row; nothing changes.
        let below = format!("{HEADER}INV-IMP-1,Acme GmbH,EUR,2026-03-01,2026-03-31,Chairs,1,10.00,,20\n");
        let (status, problem) = import(&admin, &below, false).await;
        assert_eq!((status, problem["code"].as_str()), (422, Some("import_invalid")), "{problem}");
        assert_eq!(problem["errors"][0]["field"], "rows[2]", "the invoice's first row");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("below"), "{problem}");
        assert_eq!(invoice(&admin, "INV-IMP-1").await["total"], "414.00");

        // Exactly what was paid and credited: the invoice is paid, and says so in the report.
        let settled = format!("{HEADER}INV-IMP-1,Acme GmbH,EUR,2026-03-01,2026-03-31,Settlement,1,70.00,,0\n");
        let (status, report) = import(&admin, &settled, false).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!((report["invoices"][0]["status"].as_str(), report["invoices"][0]["outstanding"].as_str()), (Some("paid"), Some("0.00")));
        // Back to the larger total: open again, the credit and the payment kept.
        let (status, report) = import(&admin, &file("3"), false).await;
        assert_eq!(status, 200, "{report}");
        let reopened = invoice(&admin, "INV-IMP-1").await;
        assert_eq!((reopened["status"].as_str(), reopened["credited_amount"].as_str()), (Some("pending"), Some("20.00")));
        assert_eq!(report["invoices"][0]["outstanding"], "344.00");
    }

    async fn every_bad_row_is_named_and_nothing_is_written(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.customer("Acme GmbH", "EUR").await;
        admin.customer("Twin", "EUR").await;
        admin.customer("Twin", "EUR").await;
        let csv = format!(
            "{HEADER}INV-OK-1,Acme GmbH,EUR,2026-03-01,,Chairs,1,10.00,,20\n\
             INV-BAD-1,Acme GmbH,EUR,2026-13-01,,Chairs,1,10.00,,20\n\
             INV-BAD-2,Acme GmbH,EUR,2026-03-01,,Chairs,one,10.00,,20\n\
             INV-BAD-3,Nobody Ltd,EUR,2026-03-01,,Chairs,1,10.00,,20\n\
             INV-BAD-4,Twin,EUR,2026-03-01,,Chairs,1,10.00,,20\n\
             INV-OK-1,Acme GmbH,USD,2026-03-01,,Desk,1,10.00,,20\n"
        );
        let (status, problem) = import(&admin, &csv, false).await;
        assert_eq!((status, problem["code"].as_str()), (422, Some("import_invalid")), "{problem}");
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["rows[3].issue_date", "rows[4].quantity", "rows[7].currency"], "{problem}");
        // Rows that read well but refer to what is not there: named too.
        let csv = format!(
            "{HEADER}INV-OK-1,Acme GmbH,EUR,2026-03-01,,Chairs,1,10.00,,20\n\
             INV-BAD-3,Nobody Ltd,EUR,2026-03-01,,Chairs,1,10.00,,20\n\
             INV-BAD-4,Twin,EUR,2026-03-01,,Chairs,1,10.00,,20\n\
             INV-BAD-5,Acme GmbH,EUR,2026-03-01,,Chairs,-1,10.00,,20\n"
        );
        let (status, problem) = import(&admin, &csv, false).await;
        assert_eq!(status, 422, "{problem}");
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["rows[3].customer", "rows[4].customer", "rows[5]"], "{problem}");
        assert_eq!(invoice(&admin, "INV-OK-1").await, Value::Null, "a good row is not written when another is bad");

        // The header: unknown and missing columns.
        let (status, problem) = import(&admin, "number,customer,colour\nINV-1,Acme GmbH,red\n", false).await;
        assert_eq!(status, 422);
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"rows[1].colour") && fields.contains(&"rows[1].unit_price"), "{fields:?}");
        assert_eq!(import(&admin, "", false).await.0, 422);

        // Who may import, and a clear answer to a bad query.
        let sales = Api::new(&app, Role::Sales).await;
        assert_eq!(import(&sales, &file("2"), true).await.0, 403);
        let (status, body) = admin
            .send(app.client.post(app.url("/api/v1/imports?dry_run=maybe")).header("content-type", "text/csv").body(file("2")))
            .await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("dry_run")));
    }

    async fn a_file_is_uploaded_previewed_and_imported_in_the_browser(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.customer("Acme GmbH", "EUR").await;
        admin.customer("Globex", "EUR").await;
        let manager = app.session(Role::CreditManager).await;
        let upload = |session: &'_ common::SessionClient<'_>, content: String| {
            let part = reqwest::multipart::Part::bytes(content.into_bytes()).file_name("march.csv");
            session.browser.post(app.url("/imports"))
                .header("origin", app.url(""))
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
        };
        let (_, page) = manager.page("/imports").await;
        assert!(page.contains(r#"action="/imports""#) && page.contains("multipart/form-data"), "{page}");

        // A bad file: its errors on their lines, nothing to import.
        let response = upload(&manager, format!("{HEADER}INV-IMP-9,Nobody Ltd,EUR,2026-03-01,,Chairs,1,10.00,,20\n")).await.unwrap();
        assert_eq!(response.status(), 303);
        let bad = response.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = manager.page(&bad).await;
        assert!(page.contains("Errors in the file") && page.contains("No customer is named"), "{page}");
        assert!(!page.contains("Import: create"), "{page}");

        // A good one: the preview, then the import.
        let response = upload(&manager, file("2")).await.unwrap();
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/imports/"), "{location}");
        let (_, page) = manager.page(&location).await;
        assert!(page.contains("2 to create, 0 to update, 0 unchanged") && page.contains("INV-IMP-1"), "{page}");
        assert!(page.contains("Not yet: this is a preview"), "{page}");
        assert_eq!(invoice(&admin, "INV-IMP-1").await, Value::Null, "the preview wrote nothing");
        let id = location.trim_start_matches("/imports/").to_string();
        let (status, body) = manager.rpc("apply_import", &[("import_id", &id)]).await;
        assert!(status < 400, "{status} {body}");
        assert_eq!(invoice(&admin, "INV-IMP-1").await["total"], "294.00");
        let (_, page) = manager.page(&location).await;
        assert!(page.contains("0 to create, 0 to update, 2 unchanged") && page.contains("Imported ") && page.contains(" UTC"), "{page}");

        // Sales may not import; an empty upload is refused beside the field.
        let sales = app.session(Role::Sales).await;
        let response = upload(&sales, file("2")).await.unwrap();
        let refused = response.headers()["location"].to_str().unwrap().to_string();
        assert!(refused.starts_with("/imports?upload_error="), "{refused}");
        assert_eq!(sales.rpc("apply_import", &[("import_id", &id)]).await.0, 403);
        let (status, _) = sales.page(&location).await;
        assert_eq!(status, 403);
        let response = upload(&manager, String::new()).await.unwrap();
        let back = response.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = manager.page(&back).await;
        assert!(page.contains("Choose a CSV file"), "{page}");
    }

    // CGI annexe II art. 242 nonies A, I-7°: each issuer numbers its documents in one
    // continuous series. A note imported from another system is that system's avoir: it keeps
    // its number and takes none of this desk's series (one credit, one avoir number).
    async fn credit_notes_are_imported_under_their_own_number_found_again_by_it_and_locked(db) {
        let app = TestApp::spawn(db).await;
        let admin = with_invoices(&app).await;

        // The preview says what would happen, and writes nothing.
        let (status, preview) = import_notes(&admin, &notes_file("30.00"), true).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!((preview["kind"].as_str(), preview["created"].as_u64()), (Some("credit_notes"), Some(2)));
        assert_eq!(preview["credit_notes"][0]["total"], "240.00", "2 × 100.00 + 20 % tax");
        assert_eq!(preview["credit_notes"][0]["related_invoice_number"], "INV-IMP-1");
        assert_eq!(preview["invoices"], json!([]));
        assert!(notes(&admin).await.is_empty(), "a preview writes nothing");

        // Imported final, under the file's number and date, and booked.
        let (status, report) = import_notes(&admin, &notes_file("30.00"), false).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(changes(&report), [pair("AV-100", "created"), pair("AV-101", "created")]);
        assert_eq!(preview["credit_notes"][0]["id"], Value::Null, "a preview's new note does not exist");
        assert_eq!((report["credit_notes"][0]["credit_note_number"].as_str(), report["credit_notes"][0]["status"].as_str()), (Some("AV-100"), Some("available")));
        let id = report["credit_notes"][0]["id"].as_i64().unwrap();
        let (_, note) = admin.get(&format!("/credit-notes/{id}")).await;
        assert_eq!((note["status"].as_str(), note["number"].as_str(), note["imported"].as_bool()), (Some("available"), Some("AV-100"), Some(true)), "{note}");
        assert_eq!((note["date"].as_str(), note["external_reference"].as_str(), note["reason_category"].as_str()), (Some("2026-03-10"), Some("AV-100"), Some("return")));
        assert_eq!((note["reason"].as_str(), note["related_invoice_number"].as_str()), (Some("Two chairs came back"), Some("INV-IMP-1")));
        assert_eq!(note["billing_address"]["city"], "Berlin", "the customer's address");
        let (_, entries) = admin.get("/journal").await;
        let booked: Vec<(&str, &str)> = entries["items"].as_array().unwrap().iter()
            .filter(|entry| entry["source"] == "credit_note_finalized")
            .map(|entry| (entry["reference"].as_str().unwrap(), entry["date"].as_str().unwrap()))
            .collect();
        assert_eq!(booked, [("AV-100", "2026-03-10"), ("AV-101", "2026-03-12")], "booked once, on their own dates");

        // The desk's own series is untouched: the next note finalized here is its first.
        let customer = note["customer_id"].as_i64().unwrap();
        let own = admin.note(customer, "EUR", "10.00").await;
        assert_eq!(own["number"], "CN-2026-00001", "{own}");
        let app_services = app.db.services();
        let audit = app_services.audit_ledger().await.unwrap();
        assert!(audit.findings.is_empty(), "{:?}", audit.findings);
        assert!(app_services.verify_seals().await.unwrap().broken.is_empty());

        // The same file again changes nothing; linked like any note.
        let (status, again) = import_notes(&admin, &notes_file("30.00"), false).await;
        assert_eq!(status, 200, "{again}");
        assert_eq!((again["created"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(0), Some(2)));
        let (_, timeline) = admin.get(&format!("/credit-notes/{id}/timeline")).await;
        assert_eq!(timeline["items"].as_array().unwrap().len(), 2, "its creation and its import as final: {timeline}");
        let invoice_id = invoice(&admin, "INV-IMP-1").await["id"].as_i64().unwrap();
        let (status, linked) = admin
            .post(&format!("/invoices/{invoice_id}/allocations"), json!({"allocations": [{"credit_note_id": id, "amount": "240.00"}]}))
            .await;
        assert_eq!(status, 201, "{linked}");

        // A file that would change an imported note is refused on its row: the source issues
        // another note for the difference.
        let more = notes_file("30.00").replace("Chairs,2,", "Chairs,3,");
        let (status, problem) = import_notes(&admin, &more, false).await;
        assert_eq!((status, problem["code"].as_str()), (422, Some("import_invalid")), "{problem}");
        assert_eq!(problem["errors"][0]["field"], "rows[2]", "{problem}");
        let (_, note) = admin.get(&format!("/credit-notes/{id}")).await;
        assert_eq!(note["total"], "240.00", "the imported note is untouched");
        // A note finalized here is found by its own number.
        let by_own_number = format!("{NOTE_HEADER}CN-2026-00001,Acme GmbH,EUR,2026-11-05,,,,Return,1,10.00,,0\n");
        let (status, report) = import_notes(&admin, &by_own_number, true).await;
        assert_eq!((status, report["credit_notes"][0]["change"].as_str()), (200, Some("unchanged")), "{report}");

        // Crediting more than the invoice's total is allowed, with the warning on its row.
        let over = format!("{NOTE_HEADER}AV-102,Acme GmbH,EUR,2026-03-11,INV-IMP-1,,,Chairs,1,100.00,,20\n");
        let (status, report) = import_notes(&admin, &over, false).await;
        assert_eq!(status, 200, "{report}");
        assert!(!report["credit_notes"][0]["warnings"].as_array().unwrap().is_empty(), "240.00 + 120.00 > 294.00: {report}");
        let within = format!("{NOTE_HEADER}AV-103,Globex,EUR,2026-03-11,INV-IMP-2,,,Consulting,1,10.00,,20\n");
        let (status, report) = import_notes(&admin, &within, false).await;
        assert_eq!((status, report["credit_notes"][0]["warnings"].clone()), (200, json!([])), "12.00 ≤ 288.00: {report}");
    }

    async fn every_bad_credit_note_row_is_named_and_nothing_is_written(db) {
        let app = TestApp::spawn(db).await;
        let admin = with_invoices(&app).await;
        // Unreadable cells, and rows of one note that disagree.
        let csv = format!(
            "{NOTE_HEADER}AV-1,Acme GmbH,EUR,2026-03-10,,broken,,Chairs,1,10.00,,20\n\
             AV-2,Acme GmbH,EUR,10/03/2026,,,,Chairs,1,10.00,,20\n\
             AV-3,Acme GmbH,EUR,2026-03-10,,,Why,Chairs,1,10.00,,20\n\
             AV-3,Acme GmbH,EUR,2026-03-10,,,Why not,Desk,1,10.00,,20\n\
             {},Acme GmbH,EUR,2026-03-10,,,,Chairs,1,10.00,,20\n\
             AV-8,Acme GmbH,EUR,2026-03-10,,,Nul\u{0},Chairs,1,10.00,,20\n",
            "X".repeat(65)
        );
        let (status, problem) = import_notes(&admin, &csv, false).await;
        assert_eq!((status, problem["code"].as_str()), (422, Some("import_invalid")), "{problem}");
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["rows[2].reason_category", "rows[3].date", "rows[5].reason", "rows[6].number", "rows[7].reason"], "in line order: {problem}");
        // Rows that read well but break the credit-note rules, each on its column.
        let csv = format!(
            "{NOTE_HEADER}AV-OK,Acme GmbH,EUR,2026-03-10,INV-IMP-1,,,Chairs,1,10.00,,20\n\
             AV-4,Acme GmbH,EUR,2026-03-10,INV-NONE,,,Chairs,1,10.00,,20\n\
             AV-5,Globex,EUR,2026-03-10,INV-IMP-1,,,Chairs,1,10.00,,20\n\
             AV-6,Acme GmbH,EUR,2026-02-01,INV-IMP-1,,,Chairs,1,10.00,,20\n\
             AV-7,Acme GmbH,EUR,2026-03-10,,,,Chairs,1,-10.00,,20\n"
        );
        let (status, problem) = import_notes(&admin, &csv, false).await;
        assert_eq!(status, 422, "{problem}");
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["rows[3].invoice", "rows[4].invoice", "rows[5].date", "rows[6].unit_price"], "{problem}");
        assert!(notes(&admin).await.is_empty(), "a good row is not written when another is bad");

        // A note is not moved to another customer by a file that names it for another.
        let (status, body) = import_notes(&admin, &notes_file("30.00"), false).await;
        assert_eq!(status, 200, "{body}");
        let moved = notes_file("30.00").replace("AV-101,Globex", "AV-101,Acme GmbH");
        let (status, problem) = import_notes(&admin, &moved, false).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("rows[3].customer")), "{problem}");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("Globex"), "{problem}");

        // An invoice file is not a credit-note file; an unknown kind is named.
        let (status, problem) = import_notes(&admin, &file("2"), false).await;
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(status == 422 && fields.contains(&"rows[1].issue_date") && fields.contains(&"rows[1].date"), "{problem}");
        let (status, body) = import_kind(&admin, "payments", &notes_file("30.00"), false).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("kind")), "{body}");
        let sales = Api::new(&app, Role::Sales).await;
        assert_eq!(import_notes(&sales, &notes_file("30.00"), true).await.0, 403);
    }

    async fn a_credit_note_file_is_previewed_and_imported_in_the_browser(db) {
        let app = TestApp::spawn(db).await;
        let admin = with_invoices(&app).await;
        let manager = app.session(Role::CreditManager).await;
        let (_, page) = manager.page("/imports").await;
        assert!(page.contains(r#"name="kind""#) && page.contains(r#"value="credit_notes""#), "{page}");

        let part = reqwest::multipart::Part::bytes(notes_file("30.00").into_bytes()).file_name("credits.csv");
        let form = reqwest::multipart::Form::new().text("kind", "credit_notes").part("file", part);
        let response = manager.browser.post(app.url("/imports")).header("origin", app.url("")).multipart(form).send().await.unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = manager.page(&location).await;
        assert!(page.contains("2 to create, 0 to update, 0 unchanged") && page.contains("AV-100"), "{page}");
        assert!(page.contains("AV-100") && page.contains("INV-IMP-1") && page.contains("Available"), "{page}");
        let id = location.trim_start_matches("/imports/").to_string();
        let (status, body) = manager.rpc("apply_import", &[("import_id", &id)]).await;
        assert!(status < 400, "{status} {body}");
        let imported = notes(&admin).await;
        assert_eq!(imported.len(), 2);
        let (_, page) = manager.page(&location).await;
        assert!(page.contains("0 to create, 0 to update, 2 unchanged"), "{page}");
        let note = imported.iter().find(|note| note["external_reference"] == "AV-100").unwrap();
        let (_, page) = manager.page(&format!("/credit-notes/{}", note["id"])).await;
        assert!(page.contains("Imported as") && page.contains("AV-100"), "{page}");
    }

    // A French page says a preview's warnings and a file's faults in French, with French
    // amounts; the API keeps its English sentence.
    async fn the_import_page_says_warnings_and_faults_in_the_readers_language(db) {
        let app = TestApp::spawn(db).await;
        let admin = with_invoices(&app).await;
        let manager = app.session(Role::CreditManager).await;
        let upload = |csv: String| {
            let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("avoirs.csv");
            let form = reqwest::multipart::Form::new().text("kind", "credit_notes").part("file", part);
            let request = manager.browser.post(app.url("/imports")).header("origin", app.url("")).header("accept-language", "fr").multipart(form);
            async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), 303);
                response.headers()["location"].to_str().unwrap().to_string()
            }
        };
        let french = |path: String| {
            let request = manager.browser.get(app.url(&path)).header("accept-language", "fr");
            async move { common::shown(&request.send().await.unwrap().text().await.unwrap()) }
        };
        // Three chairs back on an invoice of 294.00: more than it holds.
        let over = format!("{NOTE_HEADER}AV-300,Acme GmbH,EUR,2026-03-10,INV-IMP-1,return,,Chairs,3,100.00,,20\n");
        let page = french(upload(over.clone()).await).await;
        assert!(page.contains("le montant crédité (360,00\u{a0}€) dépasse le total de la facture (294,00\u{a0}€)"), "{page}");
        let (_, preview) = import_notes(&admin, &over, true).await;
        assert!(preview["credit_notes"][0]["warnings"][0].as_str().unwrap().contains("exceeds the invoice total (294.00 EUR)"), "{preview}");
        assert_eq!(preview["credit_notes"][0]["over_credit"]["credited"], "360.00", "{preview}");

        let faulty = format!("{NOTE_HEADER}AV-301,Acme GmbH,EUR,2026-03-10,,return,,Chairs,trois,100.00,,20\n");
        let page = french(upload(faulty).await).await;
        assert!(page.contains("<td>quantity</td><td>Ce n'est pas un nombre</td>"), "{page}");
        assert!(page.contains("Erreurs dans le fichier\u{a0}: 1\u{a0}; rien n'a été importé"), "{page}");
    }

    async fn ship_dates_travel_with_imported_lines(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.customer("Acme GmbH", "EUR").await;
        let invoices = "number,customer,currency,issue_date,description,quantity,unit_price,tax_rate,ship_date\n\
                        INV-SHIP-1,Acme GmbH,EUR,2026-03-01,Chairs,2,100.00,20,2026-02-27\n\
                        INV-SHIP-1,Acme GmbH,EUR,2026-03-01,Desk,1,50.00,20,\n";
        let (status, report) = import(&admin, invoices, false).await;
        assert_eq!(status, 200, "{report}");
        let invoice = invoice(&admin, "INV-SHIP-1").await;
        let (_, invoice) = admin.get(&format!("/invoices/{}", invoice["id"])).await;
        assert_eq!((invoice["lines"][0]["ship_date"].as_str(), invoice["lines"][1]["ship_date"].as_str()), (Some("2026-02-27"), None), "{invoice}");
        let (_, again) = import(&admin, invoices, false).await;
        assert_eq!(again["unchanged"], 1, "{again}");
        let (_, later) = import(&admin, &invoices.replace("2026-02-27", "2026-02-28"), false).await;
        assert_eq!(later["updated"], 1, "a new ship date is a change: {later}");
        // A file without the column leaves ship dates alone, even when it changes the lines.
        let undated = "number,customer,currency,issue_date,description,quantity,unit_price,tax_rate\n\
                       INV-SHIP-1,Acme GmbH,EUR,2026-03-01,Chairs,2,100.00,20\n\
                       INV-SHIP-1,Acme GmbH,EUR,2026-03-01,Desk,1,50.00,20\n";
        let (_, same) = import(&admin, undated, false).await;
        assert_eq!(same["unchanged"], 1, "{same}");
        let (_, more) = import(&admin, &undated.replace("Chairs,2,", "Chairs,3,"), false).await;
        assert_eq!(more["updated"], 1, "{more}");
        let (_, now) = admin.get(&format!("/invoices/{}", invoice["id"])).await;
        assert_eq!((now["lines"][0]["quantity"].as_str(), now["lines"][0]["ship_date"].as_str()), (Some("3"), Some("2026-02-28")), "{now}");

        let notes = "number,customer,currency,date,invoice,description,quantity,unit_price,tax_rate,ship_date\n\
                     AV-SHIP,Acme GmbH,EUR,2026-03-10,INV-SHIP-1,Chairs,1,100.00,20,2026-02-28\n";
        let (status, report) = import_notes(&admin, notes, false).await;
        assert_eq!(status, 200, "{report}");
        let (_, note) = admin.get(&format!("/credit-notes/{}", report["credit_notes"][0]["id"])).await;
        assert_eq!(note["ship_date"], "2026-02-28", "the latest ship date of its lines: {note}");
        let (_, again) = import_notes(&admin, notes, false).await;
        assert_eq!(again["unchanged"], 1, "{again}");
        let (status, problem) = import_notes(&admin, &notes.replace("2026-02-28", "last week"), false).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("rows[2].ship_date")), "{problem}");
    }

    // CGI annexe II art. 242 nonies A, I-12°: imported lines say why they are untaxed too, a
    // file without the column keeps what the lines said, and a wrong category names its row.
    async fn imported_lines_carry_their_vat_category(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.customer("Acme GmbH", "EUR").await;
        let invoices = "number,customer,currency,issue_date,description,quantity,unit_price,tax_rate,vat_category,vat_exemption_reason\n\
                        INV-VAT-1,Acme GmbH,EUR,2026-03-01,Machine,1,900.00,0,export,\n\
                        INV-VAT-1,Acme GmbH,EUR,2026-03-01,Training,1,100.00,0,exempt,Exonération de TVA article 261-4-4° du CGI\n";
        let (status, report) = import(&admin, invoices, false).await;
        assert_eq!(status, 200, "{report}");
        let id = invoice(&admin, "INV-VAT-1").await["id"].clone();
        let (_, imported) = admin.get(&format!("/invoices/{id}")).await;
        assert_eq!((imported["lines"][0]["vat_category"].as_str(), imported["lines"][1]["vat_category"].as_str()), (Some("export"), Some("exempt")), "{imported}");
        assert!(imported["lines"][0]["vat_exemption_reason"].as_str().unwrap().contains("262 I du CGI"));
        let (_, again) = import(&admin, invoices, false).await;
        assert_eq!(again["unchanged"], 1, "{again}");
        let without = "number,customer,currency,issue_date,description,quantity,unit_price,tax_rate\n\
                       INV-VAT-1,Acme GmbH,EUR,2026-03-01,Machine,2,900.00,0\n\
                       INV-VAT-1,Acme GmbH,EUR,2026-03-01,Training,1,100.00,0\n";
        let (_, changed) = import(&admin, without, false).await;
        assert_eq!(changed["updated"], 1, "{changed}");
        let (_, now) = admin.get(&format!("/invoices/{id}")).await;
        assert_eq!((now["lines"][0]["quantity"].as_str(), now["lines"][0]["vat_category"].as_str(), now["lines"][1]["vat_category"].as_str()), (Some("2"), Some("export"), Some("exempt")), "{now}");
        let (status, problem) = import(&admin, &invoices.replace(",export,", ",exported,"), false).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("rows[2].vat_category")), "{problem}");
        let (status, problem) = import(&admin, &invoices.replace("Exonération de TVA article 261-4-4° du CGI", ""), false).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("rows[3].vat_exemption_reason")), "{problem}");
    }
}

on_both_backends! {
    // A preview never holds the database's writer for a whole file (SQLite has one writer; a
    // preview of thousands of rows held it for seconds): each invoice is previewed in its own
    // rolled-back transaction, and other requests write in between. It still writes nothing.
    async fn a_preview_lets_other_writers_in_between_its_documents(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        api.customer("Acme GmbH", "EUR").await;
        let mut csv = String::from(HEADER);
        for n in 0..300 {
            csv.push_str(&format!("INV-BIG-{n},Acme GmbH,EUR,2026-03-01,,Chairs,1,10.00,,20\n"));
        }
        let services = app.db.services();
        let preview = tokio::spawn({
            let services = services.clone();
            async move {
                let admin = common::staff(Role::Administrator);
                services.import(&admin, app::model::ImportKind::Invoices, csv.as_bytes(), true).await
            }
        });
        let mut written_during = 0;
        while !preview.is_finished() {
            common::customer(&services, &format!("Writer {written_during}"), "EUR").await;
            if !preview.is_finished() {
                written_during += 1;
            }
        }
        let report = preview.await.unwrap().unwrap();
        assert_eq!((report.created, report.invoices.len()), (300, 300));
        assert_eq!(report.invoices[0].number, "INV-BIG-0", "in the file's order");
        eprintln!("a preview of 300 invoices let {written_during} other writes in");
        // About 150 go in here (800 beside 1,500 invoices); one lock held throughout lets none.
        assert!(written_during >= 40, "only {written_during} writes went in during the preview");
        let (_, listed) = api.get("/invoices?number=INV-BIG-0").await;
        assert_eq!(listed["items"], json!([]), "a preview writes nothing");
    }

    // Credit notes that relate to one invoice are previewed together: the over-credit warning
    // of the second counts the first, exactly as the import does.
    async fn a_preview_of_notes_on_one_invoice_warns_as_the_import_does(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        admin.customer("Acme GmbH", "EUR").await;
        admin.customer("Globex", "EUR").await;
        let (status, _) = import(&admin, &file("2"), false).await;
        assert_eq!(status, 200);
        let notes = format!(
            "{NOTE_HEADER}AV-1,Acme GmbH,EUR,2026-03-10,INV-IMP-1,return,,Chairs,2,100.00,,20\n\
             AV-2,Globex,EUR,2026-03-11,,goodwill,,Late,1,5.00,,0\n\
             AV-3,Acme GmbH,EUR,2026-03-12,INV-IMP-1,return,,Chairs,1,100.00,,20\n"
        );
        let (status, preview) = import_notes(&admin, &notes, true).await;
        assert_eq!(status, 200, "{preview}");
        let (status, imported) = import_notes(&admin, &notes, false).await;
        assert_eq!(status, 200, "{imported}");
        let warnings = |report: &Value| report["credit_notes"].as_array().unwrap().iter().map(|n| n["warnings"].clone()).collect::<Vec<_>>();
        assert_eq!(warnings(&preview), warnings(&imported));
        assert!(warnings(&imported)[2].as_array().is_some_and(|w| !w.is_empty()), "240 + 120 credited on 294: {imported}");
    }
}

on_both_backends! {
    // Invoices from another system mirror it: marked imported, changed by its imports alone.
    // An invoice issued here is final (CGI art. 289): an import that would change it is refused,
    // as an edit is, and an imported invoice is not edited by hand either.
    async fn imports_change_only_the_invoices_they_brought(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme GmbH", "EUR").await;
        admin.customer("Globex", "EUR").await;
        let (status, report) = import(&admin, &file("2"), false).await;
        assert_eq!(status, 200, "{report}");
        let imported = invoice(&admin, "INV-IMP-1").await;
        assert_eq!(imported["imported"], true);
        let (status, body) = admin.patch(&format!("/invoices/{}", imported["id"]), json!({"due_date": "2026-12-31"})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("invoice_issued")), "{body}");
        let (status, report) = import(&admin, &file("3"), false).await;
        assert_eq!((status, report["updated"].as_u64()), (200, Some(1)), "its system's next file updates it: {report}");

        // Numbered by creditdesk's series: issued here. A number the caller chooses is another
        // system's (CGI annexe II art. 242 nonies A, I-7°: one chronological series here).
        let (status, other) = admin.post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-03-01", "number": "ERP-77",
            "lines": [{"description": "Chairs", "quantity": "1", "unit_price": "100.00", "tax_rate": "20"}]})).await;
        assert_eq!((status, &other["imported"]), (201, &json!(true)), "{other}");
        let (status, here) = admin.post("/invoices", json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-03-01",
            "lines": [{"description": "Chairs", "quantity": "1", "unit_price": "100.00", "tax_rate": "20"}]})).await;
        assert_eq!(status, 201, "{here}");
        assert_eq!(here["imported"], false);
        let number = here["number"].as_str().unwrap();
        assert!(number.starts_with("INV-2026-"), "{here}");
        let csv = format!("{HEADER}{number},Acme GmbH,EUR,2026-03-01,,Chairs,2,100.00,,20\n");
        let (status, problem) = import(&admin, &csv, true).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("rows[2].number")), "{problem}");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("was issued here"), "{problem}");
        let unchanged = format!("{HEADER}{number},Acme GmbH,EUR,2026-03-01,,Chairs,1,100.00,,20\n");
        let (status, report) = import(&admin, &unchanged, false).await;
        assert_eq!((status, report["unchanged"].as_u64()), (200, Some(1)), "a file that agrees with it changes nothing: {report}");
    }
}
