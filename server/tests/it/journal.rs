//! The accounting journal on SQLite and PostgreSQL: every change of money posts a balanced,
//! append-only, sealed entry; the FEC export lists them in the format's 18 columns.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp, user};
use serde_json::{Value, json};

/// (account, debit, credit) of each line of an entry.
fn sides(entry: &Value) -> Vec<(String, String, String)> {
    entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            (
                line["account"]["code"].as_str().unwrap().to_string(),
                line["debit"].as_str().unwrap().to_string(),
                line["credit"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expected(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(a, d, c)| (a.to_string(), d.to_string(), c.to_string()))
        .collect()
}

async fn journal(api: &Api<'_>, query: &str) -> Vec<Value> {
    let (status, body) = api.get(&format!("/journal{query}")).await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// The FEC of `year`: status, file name, text (written in ISO 8859-15).
async fn fec(api: &Api<'_>, year: &str) -> (u16, String, String) {
    let (status, disposition, bytes) = api.file(&format!("/exports/fec?year={year}")).await;
    (status, disposition, latin9(&bytes))
}

fn latin9(bytes: &[u8]) -> String {
    let (text, _, malformed) = encoding_rs::ISO_8859_15.decode(bytes);
    assert!(!malformed);
    text.into_owned()
}

/// Broken links `verify` finds.
async fn services_verify(app: &TestApp) -> usize {
    app.db.services().verify_seals().await.unwrap().broken.len()
}

on_both_backends! {
    async fn a_fec_of_many_entries_streams_and_numbers_them_across_pages(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        // 400 customers, each ledger's history carried over as an opening entry: more entries
        // than the export reads at once.
        let plan = server::storage::scale::ScalePlan::new(40_000).unwrap();
        app.db.services().seed_scale(&plan).await.unwrap();
        let year = app.db.services().now().format("%Y").to_string();
        let response = app.client.get(app.url(&format!("/api/v1/exports/fec?year={year}")))
            .bearer_auth(admin.token.as_deref().unwrap()).send().await.unwrap();
        assert_eq!(response.status(), 200);
        // Streamed as it is read, not built whole first.
        assert!(response.headers().get("content-length").is_none(), "{:?}", response.headers());
        let text = response.text().await.unwrap();
        let mut numbers: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
        for row in text.lines().skip(1) {
            let cells: Vec<&str> = row.split('\t').collect();
            assert_eq!(cells.len(), 18, "{row}");
            let number = cells[2].get(cells[0].len()..).unwrap().parse().unwrap();
            let seen = numbers.entry(cells[0].to_string()).or_default();
            if seen.last() != Some(&number) {
                seen.push(number);
            }
        }
        let entries: usize = numbers.values().map(Vec::len).sum();
        assert!(entries > 500, "{entries} entries: more than one page");
        // Each journal's entries are numbered 1, 2, 3… without a gap where a page ends.
        for (journal, seen) in numbers {
            assert_eq!(seen, (1..=seen.len() as u64).collect::<Vec<_>>(), "{journal}");
        }
    }

    // LPF art. A47 A-1 and Code de commerce L123-12: the FEC covers one fiscal year, which
    // closes on the day Settings give, and is named with that closing date; each entry takes
    // its number (EcritureNum) in its journal and fiscal year when it is written, and the seal
    // covers it; the fiscal year end moves only when no entry is dated in the open period.
    async fn the_fec_covers_the_fiscal_year_the_settings_give(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (_, mut seller) = admin.get("/settings/seller").await;
        seller["fiscal_year_end"] = json!("06-31");
        let (status, problem) = admin.put("/settings/seller", seller.clone()).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("fiscal_year_end")), "{problem}");
        seller["fiscal_year_end"] = json!("06-30");
        let (status, saved) = admin.put("/settings/seller", seller.clone()).await;
        assert_eq!(status, 200, "{saved}");

        let customer = admin.customer("Exercice SARL", "EUR").await;
        let sell = |day: &str, number: Option<&str>| json!({"customer_id": customer, "currency": "EUR", "issue_date": day, "number": number,
            "lines": [{"description": format!("Sold {day}"), "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]});
        for day in ["2025-06-30", "2025-07-01", "2026-06-30", "2026-07-01"] {
            let (status, body) = admin.post("/invoices", sell(day, None)).await;
            assert_eq!(status, 201, "{body}");
        }
        // An invoice of another system, dated in the previous fiscal year, arrives last.
        let (status, body) = admin.post("/invoices", sell("2025-08-01", Some("EXT-7"))).await;
        assert_eq!(status, 201, "{body}");
        let numbers: Vec<(String, i64)> = journal(&admin, "").await.iter()
            .map(|entry| (entry["date"].as_str().unwrap().to_string(), entry["number"].as_i64().unwrap()))
            .collect();
        assert_eq!(numbers, [("2025-06-30", 1), ("2025-07-01", 1), ("2026-06-30", 2), ("2026-07-01", 1), ("2025-08-01", 3)]
            .map(|(day, number)| (day.to_string(), number)), "numbered in its journal and fiscal year as written");

        let (status, disposition, text) = fec(&admin, "2026").await;
        assert_eq!(status, 200, "{text}");
        assert_eq!(disposition, "attachment; filename=\"732829320FEC20260630.txt\"");
        let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|line| line.split('\t').collect()).collect();
        assert!(rows.iter().all(|row| ("20250701"..="20260630").contains(&row[3])), "{rows:?}");
        let numbered: std::collections::BTreeSet<(&str, &str)> = rows.iter().map(|row| (row[2], row[3])).collect();
        assert_eq!(numbered.into_iter().collect::<Vec<_>>(), [("VT000001", "20250701"), ("VT000002", "20260630"), ("VT000003", "20250801")]);
        let (_, _, next) = fec(&admin, "2027").await;
        let dates: Vec<&str> = next.lines().skip(1).filter_map(|line| line.split('\t').nth(3)).collect();
        assert_eq!(dates.first(), Some(&"20260701"), "{next}");

        seller["fiscal_year_end"] = json!("12-31");
        let (status, problem) = admin.put("/settings/seller", seller).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("fiscal_year_in_use")), "{problem}");

        // A number changed behind the server's back breaks the entry's seal.
        let drop_guard = if app.db.is_sqlite() {
            "DROP TRIGGER journal_entries_no_update"
        } else {
            "DROP TRIGGER journal_entries_append_only ON journal_entries"
        };
        app.db.behind_the_back(&format!("{drop_guard}; UPDATE journal_entries SET entry_number = 9 WHERE entry_date = '2026-06-30'")).await;
        let broken = app.db.services().verify_seals().await.unwrap().broken;
        assert!(broken.iter().any(|link| link.number.contains("journal VT")), "{:?}", broken.iter().map(|link| &link.number).collect::<Vec<_>>());
    }

    async fn no_fec_cell_is_read_as_a_formula(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (_, mut chart) = admin.get("/settings/accounts").await;
        chart["receivable"]["label"] = json!("-Clients douteux");
        let (status, body) = admin.put("/settings/accounts", chart).await;
        assert_eq!(status, 200, "{body}");
        let customer = admin.customer("=HYPERLINK(\"x\")", "EUR").await;
        let (status, body) = admin
            .post("/invoices", json!({"number": "@SUM(1)", "customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02",
                "lines": [{"description": "Service", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]}))
            .await;
        assert_eq!(status, 201, "{body}");

        let (status, _, text) = fec(&admin, "2026").await;
        assert_eq!(status, 200, "{text}");
        let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|line| line.split('\t').collect()).collect();
        assert!(rows.len() >= 2, "{text}");
        for cell in rows.iter().flatten() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "a spreadsheet would run {cell:?}: {text}");
        }
        let receivable = rows.iter().find(|row| row[4] == "411000").unwrap();
        assert_eq!(receivable[5], "'-Clients douteux", "CompteLib");
        assert_eq!(receivable[8], "'@SUM(1)", "PieceRef");
        assert_eq!(receivable[10], "Facture @SUM(1) =HYPERLINK(\"x\")", "EcritureLib: left alone, it starts with text");
        let revenue = rows.iter().find(|row| row[4] == "707000").unwrap();
        assert_eq!(revenue[10], "'@SUM(1) 0 %", "EcritureLib");
        assert_eq!((receivable[11], receivable[12]), ("10,00", "0,00"), "amounts as they are");
    }

    async fn every_change_of_money_posts_a_balanced_entry_that_the_fec_lists(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (status, body) = admin
            .put("/settings/seller", json!({"name": "Maison Dupont SAS", "vat_id": "FR11 123456782",
                "address": {"line1": "1 rue de Rivoli", "city": "Paris", "postal_code": "75001", "country": "FR"},
                "legal_identity": {"legal_form": "SAS", "share_capital": "1 000,00 EUR", "siren": "123 456 782", "rcs_city": "Paris"},
                // Opted for debits: the VAT of its services is due when invoiced, as a goods seller's.
                "vat_regime": {"on_debits": true}}))
            .await;
        assert_eq!(status, 200, "{body}");
        let customer = admin.customer("Acme", "EUR").await;
        let invoice = admin.two_rate_invoice(customer).await;
        let invoice_id = invoice["id"].as_i64().unwrap();
        let (status, body) = admin.post(&format!("/invoices/{invoice_id}/payments"), json!({"amount": "50.00", "date": "2026-03-10"})).await;
        assert_eq!(status, 201, "{body}");
        let (status, draft) = admin
            .post("/credit-notes", json!({
                "customer_id": customer, "currency": "EUR", "date": "2026-03-12", "related_invoice_id": invoice_id,
                "lines": [
                    {"description": "Coffee beans", "quantity": "2", "unit_price": "10.00", "tax_rate": "5.5"},
                    {"description": "Descaling", "quantity": "1", "unit_price": "15.00", "tax_rate": "20"}
                ]
            }))
            .await;
        assert_eq!(status, 201, "{draft}");
        let note_id = draft["id"].as_i64().unwrap();
        assert_eq!(admin.post(&format!("/credit-notes/{note_id}/finalize"), json!({})).await.0, 200);
        let (status, linked) = admin
            .post(&format!("/invoices/{invoice_id}/allocations"), json!({"allocations": [{"credit_note_id": note_id, "amount": "30.00"}]}))
            .await;
        assert_eq!(status, 201, "{linked}");
        let allocation = linked["allocations"][0]["id"].as_i64().unwrap();
        assert_eq!(admin.delete(&format!("/invoices/{invoice_id}/allocations/{allocation}")).await.0, 204);
        let (status, body) = admin.post(&format!("/credit-notes/{note_id}/refunds"), json!({"amount": "5.00", "date": "2026-03-20"})).await;
        assert_eq!(status, 201, "{body}");

        let entries = journal(&admin, "").await;
        let sources: Vec<&str> = entries.iter().map(|e| e["source"].as_str().unwrap()).collect();
        assert_eq!(sources, ["invoice_issued", "payment", "credit_note_finalized", "credit_applied", "credit_unapplied", "refund"]);
        assert_eq!(sides(&entries[0]), expected(&[
            ("411000", "172.75", "0.00"), ("706000", "0.00", "50.00"), ("706000", "0.00", "100.00"),
            ("445713", "0.00", "2.75"), ("445711", "0.00", "20.00"),
        ]));
        assert_eq!(sides(&entries[1]), expected(&[("512000", "50.00", "0.00"), ("411000", "0.00", "50.00")]));
        assert_eq!(sides(&entries[2]), expected(&[
            ("706000", "20.00", "0.00"), ("706000", "15.00", "0.00"), ("445713", "1.10", "0.00"),
            ("445711", "3.00", "0.00"), ("419700", "0.00", "39.10"),
        ]));
        assert_eq!(entries[2]["reference"], "CN-2026-00001");
        assert_eq!(sides(&entries[3]), expected(&[("419700", "30.00", "0.00"), ("411000", "0.00", "30.00")]));
        assert_eq!(sides(&entries[4]), expected(&[("419700", "0.00", "30.00"), ("411000", "30.00", "0.00")]));
        assert_eq!(sides(&entries[5]), expected(&[("419700", "5.00", "0.00"), ("512000", "0.00", "5.00")]));
        let journals: Vec<&str> = entries.iter().map(|e| e["journal"].as_str().unwrap()).collect();
        assert_eq!(journals, ["VT", "BQ", "VT", "OD", "OD", "BQ"]);
        assert_eq!(journal(&admin, "?from=2026-03-10&to=2026-03-10").await.len(), 1, "dated the payment's day");
        let (status, body) = admin.get("/journal?from=March").await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("from")), "{body}");

        // Staff read it; a customer does not.
        let viewer = Api::new(&app, Role::Viewer).await;
        assert_eq!(journal(&viewer, "").await.len(), 6);
        user(&app.db.services(), "portal@journal.example", Role::Customer, Some(customer)).await;
        let portal = Api { token: Some(app.token("portal@journal.example").await), app: &app };
        assert_eq!(portal.get("/journal").await.0, 403);
        assert_eq!(fec(&portal, "2026").await.0, 403);

        // A dollar invoice keeps its currency in the FEC's own columns.
        let dollars = admin.customer("Yankee Doodle Inc", "USD").await;
        let (status, body) = admin
            .post("/invoices", json!({"customer_id": dollars, "currency": "USD", "issue_date": "2026-04-01", "due_date": "2026-05-01",
                "lines": [{"description": "Support", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]}))
            .await;
        assert_eq!(status, 201, "{body}");

        let (status, disposition, text) = fec(&admin, "2026").await;
        assert_eq!(status, 200, "{text}");
        assert_eq!(disposition, "attachment; filename=\"123456782FEC20261231.txt\"");
        let rows: Vec<Vec<&str>> = text.lines().map(|line| line.split('\t').collect()).collect();
        assert_eq!(rows[0].join("|"), "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise");
        assert!(rows.iter().all(|row| row.len() == 18), "18 columns on every line");
        let amount = |text: &str| -> i64 {
            let (units, cents) = text.split_once(',').unwrap_or_else(|| panic!("a decimal comma: {text}"));
            assert_eq!(cents.len(), 2, "{text}");
            units.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
        };
        let mut balance: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
        for row in &rows[1..] {
            assert!(row[3].len() == 8 && row[3].chars().all(|c| c.is_ascii_digit()), "EcritureDate {}", row[3]);
            *balance.entry(row[2]).or_default() += amount(row[11]) - amount(row[12]);
        }
        assert!(balance.values().all(|sum| *sum == 0), "every entry balances: {balance:?}");
        let numbers: Vec<&str> = balance.keys().copied().collect();
        assert_eq!(numbers, ["BQ000001", "BQ000002", "OD000001", "OD000002", "VT000001", "VT000002", "VT000003"]);
        let note_row = rows.iter().find(|row| row[4] == "419700" && row[2] == "VT000002").unwrap();
        // PieceDate: the note's date, the day it was finalized.
        let finalized = common::today().format("%Y%m%d").to_string();
        assert_eq!((note_row[8], note_row[9], note_row[12]), ("CN-2026-00001", finalized.as_str(), "39,10"));
        let dollar_row = rows.iter().find(|row| row[2] == "VT000003" && row[4] == "411000").unwrap();
        assert_eq!((dollar_row[11], dollar_row[16], dollar_row[17]), ("10,00", "10,00", "USD"));
        assert_eq!(rows.iter().filter(|row| row[17].is_empty()).count(), rows.len() - 3, "euro lines leave the currency columns empty");
        let (_, _, last_year) = fec(&admin, "2025").await;
        assert_eq!(last_year.lines().count(), 1, "only the header: {last_year}");
        assert_eq!(fec(&admin, "twenty").await.0, 422);

        // Cancelling an issued invoice posts the credit note that cancels it and its
        // application: the invoice's own entry stays (CGI art. 289, PCG art. 420-5).
        let plain = admin.invoice(customer, "EUR", "5.00").await;
        let (status, cancelled) = admin.post(&format!("/invoices/{}/cancel", plain["id"]), json!({})).await;
        assert_eq!(status, 200, "{cancelled}");
        let avoir = cancelled["allocations"][0]["credit_note_number"].as_str().unwrap().to_string();
        let entries = journal(&admin, "").await;
        let last_three: Vec<(&str, &str)> = entries[entries.len() - 3..].iter().map(|e| (e["source"].as_str().unwrap(), e["reference"].as_str().unwrap())).collect();
        let number = plain["number"].as_str().unwrap();
        assert_eq!(last_three[0], ("invoice_issued", number));
        assert_eq!(last_three[1], ("credit_note_finalized", avoir.as_str()));
        assert_eq!(last_three[2].0, "credit_applied");
        assert_eq!(services_verify(&app).await, 0);
        assert_eq!(fec(&admin, "").await.0, 422);
    }

    async fn entries_are_append_only_and_verify_names_an_edited_one(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        admin.note(customer, "EUR", "10.00").await;
        admin.note(customer, "EUR", "20.00").await;
        let services = app.db.services();
        assert_eq!(services.verify_seals().await.unwrap().broken, vec![]);
        let entries = journal(&admin, "").await;
        let first = entries[0]["id"].as_i64().unwrap();

        // The database itself refuses to change or remove an entry.
        let refused = app.db.try_behind_the_back(&format!("UPDATE journal_lines SET debit_minor = 1 WHERE entry_id = {first}")).await;
        assert!(refused.unwrap_err().contains("append-only"));
        let refused = app.db.try_behind_the_back(&format!("DELETE FROM journal_entries WHERE id = {first}")).await;
        assert!(refused.unwrap_err().contains("append-only"));

        // Someone who drops the guard and doubles both sides leaves it balanced, but not sealed.
        let drop_guard = if app.db.is_sqlite() {
            "DROP TRIGGER journal_lines_no_update"
        } else {
            "DROP TRIGGER journal_lines_append_only ON journal_lines"
        };
        app.db.behind_the_back(&format!(
            "{drop_guard}; UPDATE journal_lines SET debit_minor = debit_minor * 2, credit_minor = credit_minor * 2 WHERE entry_id = {first}"
        )).await;
        let broken: Vec<String> = services.verify_seals().await.unwrap().broken.into_iter().map(|link| link.number).collect();
        assert_eq!(broken, vec![format!("journal VT entry {first} (CN-2026-00001)")]);
        // And one that no longer balances is named as such.
        app.db.behind_the_back(&format!("UPDATE journal_lines SET debit_minor = debit_minor + 1 WHERE entry_id = {first} AND position = 0")).await;
        let problems: Vec<String> = services.verify_seals().await.unwrap().broken.into_iter().map(|link| link.problem).collect();
        assert!(problems.iter().any(|problem| problem.contains("do not balance")), "{problems:?}");
    }

    // PCG art. 944-70: goods sold are credited to 707, services to 706, each line on its own
    // nature's account; a return reverses the account of the line it returns, a gesture is a
    // discount granted (709); each VAT rate has its own account (44571x); customer credits go
    // to 4197 ("clients - autres avoirs").
    async fn entries_book_each_line_on_its_nature_and_each_credit_on_its_reason(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let (status, invoice) = admin
            .post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02",
                "lines": [
                    {"description": "Chair", "quantity": "2", "unit_price": "50.00", "tax_rate": "20"},
                    {"description": "Fitting", "quantity": "1", "unit_price": "40.00", "tax_rate": "20", "nature": "services"},
                    {"description": "Manual", "quantity": "1", "unit_price": "10.00", "tax_rate": "5.5", "nature": "goods"}
                ]}))
            .await;
        assert_eq!(status, 201, "{invoice}");
        let natures: Vec<&str> = invoice["lines"].as_array().unwrap().iter().map(|line| line["nature"].as_str().unwrap()).collect();
        assert_eq!(natures, ["goods", "services", "goods"], "a line that does not say sells what the seller sells: goods");

        for (reason, line) in [
            ("return", json!({"description": "Chair", "quantity": "1", "unit_price": "50.00", "tax_rate": "20", "nature": "goods"})),
            ("goodwill", json!({"description": "Late fitting", "quantity": "1", "unit_price": "10.00", "tax_rate": "20", "nature": "services"})),
            ("invoicing_error", json!({"description": "Fitting billed twice", "quantity": "1", "unit_price": "40.00", "tax_rate": "20", "nature": "services"})),
        ] {
            let (status, draft) = admin
                .post("/credit-notes", json!({"customer_id": customer, "currency": "EUR", "date": "2026-03-05",
                    "related_invoice_id": invoice["id"], "reason_category": reason, "lines": [line]}))
                .await;
            assert_eq!(status, 201, "{draft}");
            let (status, note) = admin.post(&format!("/credit-notes/{}/finalize", draft["id"]), json!({})).await;
            assert_eq!(status, 200, "{note}");
        }

        // The seller has not opted for debits: the VAT of the services waits for payment on
        // 44574 (CGI art. 269-2-c), the goods' is due at once.
        let entries = journal(&admin, "").await;
        assert_eq!(sides(&entries[0]), expected(&[
            ("411000", "178.55", "0.00"),
            ("707000", "0.00", "10.00"), ("707000", "0.00", "100.00"), ("706000", "0.00", "40.00"),
            ("445713", "0.00", "0.55"), ("445711", "0.00", "20.00"), ("445740", "0.00", "8.00"),
        ]));
        assert_eq!(sides(&entries[1]), expected(&[("707000", "50.00", "0.00"), ("445711", "10.00", "0.00"), ("419700", "0.00", "60.00")]), "a return");
        assert_eq!(sides(&entries[2]), expected(&[("709000", "10.00", "0.00"), ("445740", "2.00", "0.00"), ("419700", "0.00", "12.00")]), "a gesture");
        assert_eq!(sides(&entries[3]), expected(&[("706000", "40.00", "0.00"), ("445740", "8.00", "0.00"), ("419700", "0.00", "48.00")]), "a correction");
        // The FEC names each account as the chart does.
        let (_, _, text) = fec(&admin, "2026").await;
        assert!(text.lines().any(|row| row.contains("\t709000\tRabais, remises et ristournes accordés par l'entreprise\t")), "{text}");
        assert!(text.lines().any(|row| row.contains("\t445713\tTVA collectée 5,5 %\t")), "{text}");
    }

    // PCG art. 944-70: 706 and 707 are subdivided as the business needs. A tax category with
    // an account of its own books its lines' revenue there; a return of such a line reverses
    // that account, a gesture stays a discount granted (709).
    async fn a_tax_category_books_its_revenue_to_its_own_account(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let rule = |code: &str, label: &str| json!({"rules": [
            {"region": "DE", "category": "standard", "rate": "20"},
            {"region": "DE", "category": "consulting", "rate": "20", "revenue_account": {"code": code, "label": label}},
        ]});
        let (status, body) = admin.put("/tax-rules", rule("70-61", "")).await;
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!((status, fields), (422, vec!["rules[1].revenue_account.code", "rules[1].revenue_account.label"]), "{body}");
        let (status, body) = admin.put("/tax-rules", rule("706100", "Prestations de conseil")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["rules"][0]["revenue_account"]["code"], "706100", "{body}");

        let customer = admin.customer("Acme GmbH", "EUR").await;
        let (status, invoice) = admin
            .post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02", "due_date": "2026-04-01",
                "lines": [
                    {"description": "Audit", "quantity": "1", "unit_price": "100.00", "tax_category": "consulting", "nature": "services"},
                    {"description": "Travel", "quantity": "1", "unit_price": "30.00", "nature": "services"}
                ]}))
            .await;
        assert_eq!(status, 201, "{invoice}");
        assert_eq!(invoice["lines"][0]["revenue_account"]["code"], "706100", "the line keeps the account it was priced with");
        let entries = journal(&admin, "").await;
        let credits: Vec<(String, String)> = sides(&entries[0]).into_iter().filter(|(_, _, c)| c != "0.00").map(|(a, _, c)| (a, c)).collect();
        assert_eq!(credits[..2], [("706000".to_string(), "30.00".to_string()), ("706100".to_string(), "100.00".to_string())]);

        // The rule's account changes later: the invoice's lines keep theirs.
        assert_eq!(admin.put("/tax-rules", rule("706200", "Autre")).await.0, 200);
        let (status, note) = admin.post(&format!("/invoices/{}/credit-notes", invoice["id"]), json!({"lines": [{"line": 0, "quantity": "1"}]})).await;
        assert_eq!(status, 201, "{note}");
        let (status, finalized) = admin.post(&format!("/credit-notes/{}/finalize", note["id"]), json!({})).await;
        assert_eq!(status, 200, "{finalized}");
        let entries = journal(&admin, "").await;
        assert_eq!(sides(&entries[1])[0], ("706100".to_string(), "100.00".to_string(), "0.00".to_string()), "the return reverses the line's own account");
        let (_, _, text) = fec(&admin, "2026").await;
        assert!(text.lines().any(|row| row.contains("\t706100\tPrestations de conseil\t")), "{text}");

        // A correction invoice typed with the same line, its rate given as a form gives it,
        // reverses the account the sale was booked to; so does a draft edited the same way.
        let audit = json!({"description": "Audit", "quantity": "-1", "unit_price": "100.00", "tax_rate": "20", "nature": "services"});
        let (status, correction) = admin.post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-03-05",
            "kind": "correction", "related_invoice_id": invoice["id"], "lines": [audit]})).await;
        assert_eq!(status, 201, "{correction}");
        assert_eq!(correction["lines"][0]["revenue_account"]["code"], "706100", "{correction}");
        let (status, draft) = admin.post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-03-06", "status": "draft",
            "lines": [{"description": "Audit", "quantity": "1", "unit_price": "100.00", "tax_category": "consulting"}]})).await;
        assert_eq!(status, 201, "{draft}");
        assert_eq!(draft["lines"][0]["revenue_account"]["code"], "706200", "a new line takes the rule's account of the day");
        let (status, edited) = admin.patch(&format!("/invoices/{}", draft["id"]), json!({"lines": [
            {"description": "Audit", "quantity": "2", "unit_price": "100.00", "tax_rate": "20"}]})).await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(edited["lines"][0]["revenue_account"]["code"], "706200", "{edited}");
    }

    // CGI art. 269-2-c: the VAT on services is due when the price is received, unless the
    // seller opted to pay it on debits; BOI-TVA-BASE-20-20: it falls due with each payment,
    // in proportion. It waits on 44574 and moves to the rate's 44571x with each payment or
    // credit applied (a credit note's the other way), back when one is taken back; what a
    // document waits on is fixed when it is issued.
    async fn service_vat_waits_on_44574_and_falls_due_with_each_settlement(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let seller = |on_debits: bool| {
            let mut seller = serde_json::to_value(common::test_issuer()).unwrap();
            seller["vat_regime"] = json!({"operations": "services", "on_debits": on_debits});
            seller
        };
        assert_eq!(admin.put("/settings/seller", seller(false)).await.0, 200);
        let customer = admin.customer("Acme", "EUR").await;
        let services_invoice = |price: &str| {
            json!({"customer_id": customer, "currency": "EUR", "issue_date": common::today(),
                "lines": [{"description": "Consulting", "quantity": "1", "unit_price": price, "tax_rate": "20"}]})
        };
        let (status, invoice) = admin.post("/invoices", services_invoice("1000.00")).await;
        assert_eq!(status, 201, "{invoice}");
        let invoice_id = invoice["id"].as_i64().unwrap();
        assert_eq!(invoice["tax_total"], "200.00");
        let (status, draft) = admin
            .post("/credit-notes", json!({"customer_id": customer, "currency": "EUR", "related_invoice_id": invoice_id, "date": common::today(),
                "lines": [{"description": "Hours not worked", "quantity": "1", "unit_price": "100.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{draft}");
        let note_id = draft["id"].as_i64().unwrap();
        assert_eq!(admin.post(&format!("/credit-notes/{note_id}/finalize"), json!({})).await.0, 200);

        // The balances of 445740 and 445711 (credit − debit), in cents.
        let vat = |entries: &[Value]| {
            let mut sums = (0_i64, 0_i64);
            for (account, debit, credit) in entries.iter().flat_map(sides) {
                let cents = |text: &str| {
                    let (units, fraction) = text.split_once('.').unwrap();
                    units.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
                };
                let net = cents(&credit) - cents(&debit);
                match account.as_str() {
                    "445740" => sums.0 += net,
                    "445711" => sums.1 += net,
                    _ => {}
                }
            }
            sums
        };
        let entries = journal(&admin, "").await;
        assert_eq!(vat(&entries), (20000 - 2000, 0), "issued: all of it waits");

        // The note applied: its 120.00 settles a tenth of the invoice and all of the note.
        let (status, linked) = admin
            .post(&format!("/invoices/{invoice_id}/allocations"), json!({"allocations": [{"credit_note_id": note_id, "amount": "120.00"}]}))
            .await;
        assert_eq!(status, 201, "{linked}");
        let entries = journal(&admin, "").await;
        type Sides = Vec<(String, String, String)>;
        let due: Vec<(&str, Sides)> = entries
            .iter()
            .filter(|entry| entry["source"] == "vat_due")
            .map(|entry| (entry["reference"].as_str().unwrap(), sides(entry)))
            .collect();
        assert_eq!(due, [
            (invoice["number"].as_str().unwrap(), expected(&[("445740", "20.00", "0.00"), ("445711", "0.00", "20.00")])),
            ("CN-2026-00001", expected(&[("445711", "20.00", "0.00"), ("445740", "0.00", "20.00")])),
        ]);
        assert_eq!(vat(&entries), (18000, 0));
        // Unlinked, it waits again; linked again, it is due again.
        let allocation = linked["allocations"][0]["id"].as_i64().unwrap();
        assert_eq!(admin.delete(&format!("/invoices/{invoice_id}/allocations/{allocation}")).await.0, 204);
        assert_eq!(vat(&journal(&admin, "").await), (18000, 0));
        let (status, _) = admin
            .post(&format!("/invoices/{invoice_id}/allocations"), json!({"allocations": [{"credit_note_id": note_id, "amount": "120.00"}]}))
            .await;
        assert_eq!(status, 201);

        // Half of what remains is paid: its VAT (90.00) falls due.
        let (status, body) = admin.post(&format!("/invoices/{invoice_id}/payments"), json!({"amount": "540.00", "date": common::today()})).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(vat(&journal(&admin, "").await), (9000, 9000));
        // An invoice cancelled by its avoir: its VAT and the avoir's cancel out, nothing due.
        let (status, cancelled) = admin.post("/invoices", services_invoice("100.00")).await;
        assert_eq!(status, 201, "{cancelled}");
        assert_eq!(vat(&journal(&admin, "").await), (11000, 9000));
        let (status, body) = admin.post(&format!("/invoices/{}/cancel", cancelled["id"]), json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(vat(&journal(&admin, "").await), (9000, 9000));

        // The seller now opts for debits: what this invoice waits on stays as it was issued;
        // a new invoice's VAT is due at once and its payment moves none.
        assert_eq!(admin.put("/settings/seller", seller(true)).await.0, 200);
        let (status, body) = admin.post(&format!("/invoices/{invoice_id}/payments"), json!({"amount": "540.00", "date": common::today()})).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(vat(&journal(&admin, "").await), (0, 18000), "paid in full: all of its VAT is due, less the note's");
        let (status, later) = admin.post("/invoices", services_invoice("50.00")).await;
        assert_eq!(status, 201, "{later}");
        let (status, body) = admin.post(&format!("/invoices/{}/payments", later["id"]), json!({"amount": "60.00", "date": common::today()})).await;
        assert_eq!(status, 201, "{body}");
        let entries = journal(&admin, "").await;
        assert_eq!(vat(&entries), (0, 19000));
        // Linked, unlinked and linked again (the invoice's and the note's each time), the
        // cancelled invoice and its avoir, then two payments of the first invoice; none for the
        // invoice issued on debits.
        assert_eq!(entries.iter().filter(|entry| entry["source"] == "vat_due").count(), 10);
        assert_eq!(services_verify(&app).await, 0);

        // The audit finds in the journal what each document's settlement leaves waiting, and
        // names a document whose VAT awaiting payment disagrees with its books.
        assert_eq!(admin.put("/settings/seller", seller(false)).await.0, 200);
        let (status, half) = admin.post("/invoices", services_invoice("100.00")).await;
        assert_eq!(status, 201, "{half}");
        let (status, body) = admin.post(&format!("/invoices/{}/payments", half["id"]), json!({"amount": "60.00", "date": common::today()})).await;
        assert_eq!(status, 201, "{body}");
        let audit = app.db.services().audit_ledger().await.unwrap();
        assert!(audit.findings.is_empty(), "{:?}", audit.findings);
        app.db.behind_the_back(&format!("UPDATE vat_on_payment SET tax_minor = tax_minor + 100 WHERE invoice_id = {}", half["id"])).await;
        let audit = app.db.services().audit_ledger().await.unwrap();
        let rules: Vec<(&str, &str)> = audit.findings.iter().map(|f| (f.document.as_str(), f.rule)).collect();
        let name = format!("invoice {} (id {})", half["number"].as_str().unwrap(), half["id"]);
        assert_eq!(rules, [(name.as_str(), "vat_awaiting_payment_in_books")], "{:?}", audit.findings);
    }

    // LPF art. A47 A-1: the FEC's characters are ISO 8859-15 (III-1°) and a description of
    // its zones, codes and technical form goes with it (II); the receivable lines of a
    // settled invoice, and the credit lines of a used note, are lettered together
    // (EcritureLet, DateLet: arrêté du 29 juillet 2013, zones 14 and 15).
    async fn the_fec_letters_what_is_settled_is_latin_9_and_comes_with_its_description(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Crème Brûlée SARL ✓", "EUR").await;
        let paid = admin.invoice(customer, "EUR", "100.00").await;
        let open = admin.invoice(customer, "EUR", "50.00").await;
        let note = admin.note(customer, "EUR", "20.00").await;
        for (invoice, amount, day) in [(&paid, "70.00", "2026-11-10"), (&open, "10.00", "2026-11-12")] {
            let (status, body) = admin.post(&format!("/invoices/{}/payments", invoice["id"]), json!({"amount": amount, "date": day})).await;
            assert_eq!(status, 201, "{body}");
        }
        let (status, body) = admin
            .post(&format!("/invoices/{}/allocations", paid["id"]), json!({"allocations": [{"credit_note_id": note["id"], "amount": "20.00"}]}))
            .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = admin.post(&format!("/invoices/{}/payments", paid["id"]), json!({"amount": "10.00", "date": "2026-11-20"})).await;
        assert_eq!(status, 201, "{body}");

        let (status, _, bytes) = admin.file("/exports/fec?year=2026").await;
        assert_eq!(status, 200);
        let name = b"Cr\xe8me Br\xfbl\xe9e SARL ?";
        assert!(bytes.windows(name.len()).any(|window| window == name), "the customer's name in ISO 8859-15, ✓ outside it");
        let text = latin9(&bytes);
        let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|line| line.split('\t').collect()).collect();
        let letters = |reference: &str, account: &str| -> Vec<(String, String)> {
            rows.iter()
                .filter(|row| row[4] == account && (row[8] == reference || row[10].contains(reference)))
                .map(|row| (row[13].to_string(), row[14].to_string()))
                .collect()
        };
        let paid_letter = format!("F{}", paid["id"]);
        let paid_lines = letters(paid["number"].as_str().unwrap(), "411000");
        assert_eq!(paid_lines.len(), 4, "issued, two payments and the note applied: {paid_lines:?}");
        // Lettered on the day of the last of them: the note applied today, after the payments.
        let today = common::today().format("%Y%m%d").to_string();
        assert!(paid_lines.iter().all(|line| *line == (paid_letter.clone(), today.clone())), "{paid_lines:?}");
        let open_lines = letters(open["number"].as_str().unwrap(), "411000");
        assert!(open_lines.len() == 2 && open_lines.iter().all(|(letter, day)| letter.is_empty() && day.is_empty()), "{open_lines:?}");
        let note_lines = letters(note["number"].as_str().unwrap(), "419700");
        assert_eq!(note_lines.len(), 2, "{note_lines:?}");
        assert!(note_lines.iter().all(|(letter, _)| *letter == format!("A{}", note["id"])), "{note_lines:?}");
        assert!(rows.iter().filter(|row| !["411000", "419700"].contains(&row[4])).all(|row| row[13].is_empty()), "only customer lines are lettered");

        let (status, disposition, bytes) = admin.file("/exports/fec/description?year=2026").await;
        assert_eq!(status, 200);
        assert_eq!(disposition, "attachment; filename=\"732829320FEC20261231_description.txt\"");
        let description = latin9(&bytes);
        assert!(description.contains("Jeu de caractères : ISO 8859-15"), "{description}");
        assert!(description.contains("tabulation (code 09)"), "{description}");
        for column in ["JournalCode", "CompAuxNum", "EcritureLet", "DateLet", "Idevise"] {
            assert!(description.contains(&format!(" {column} : ")), "{column}: {description}");
        }
        assert!(description.contains("- VT : Ventes") && description.contains("- 445711 : TVA collectée 20 %"), "{description}");
        let viewer = app.session(Role::Viewer).await;
        let response = viewer.browser.get(app.url("/journal/fec/description?year=2026")).send().await.unwrap();
        assert_eq!(response.headers()["content-type"], "text/plain; charset=iso-8859-15");
        user(&app.db.services(), "portal@fec.example", Role::Customer, Some(customer)).await;
        let portal = Api { token: Some(app.token("portal@fec.example").await), app: &app };
        assert_eq!(portal.file("/exports/fec/description?year=2026").await.0, 403);
    }

    async fn the_chart_of_accounts_is_a_setting_used_by_later_entries(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (status, chart) = admin.get("/settings/accounts").await;
        assert_eq!((status, chart["revenue"]["code"].as_str()), (200, Some("706000")), "{chart}");
        let mut changed = chart.clone();
        changed["revenue"] = json!({"code": "7A", "label": ""});
        let (status, body) = admin.put("/settings/accounts", changed.clone()).await;
        assert_eq!(status, 422, "{body}");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["revenue.code", "revenue.label"]);
        changed["revenue"] = chart["revenue"].clone();
        changed["revenue_goods"] = json!({"code": " 707100 ", "label": "Ventes de marchandises France"});
        let (status, body) = admin.put("/settings/accounts", changed).await;
        assert_eq!((status, body["revenue_goods"]["code"].as_str()), (200, Some("707100")), "{body}");
        let manager = Api::new(&app, Role::CreditManager).await;
        assert_eq!(manager.get("/settings/accounts").await.0, 403);

        let customer = admin.customer("Acme", "EUR").await;
        admin.note(customer, "EUR", "10.00").await;
        let entries = journal(&admin, "").await;
        // The test seller sells goods: its lines go to the goods account saved.
        assert_eq!(entries[0]["lines"][0]["account"], json!({"code": "707100", "label": "Ventes de marchandises France"}));
    }

    async fn the_journal_page_and_the_accounts_form_work_as_plain_html(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        admin.note(customer, "EUR", "10.00").await;
        admin.two_rate_invoice(customer).await;

        let viewer = app.session(Role::Viewer).await;
        let (status, html) = viewer.page("/journal").await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"href="/journal""#), "staff see it in the navigation");
        assert!(html.contains("CN-2026-00001") && html.contains("419700") && html.contains("10.00"), "{html}");
        assert!(html.contains(r#"href="/journal/fec?year="#), "{html}");
        assert!(html.contains("Credit note finalized") && html.contains("Invoice issued"), "what wrote each entry: {html}");
        // In German, what wrote each entry; its lines keep the books' French (Code de commerce
        // art. L123-22: the accounts are kept in French).
        let german = viewer.browser.get(app.url("/journal")).header("accept-language", "de").send().await.unwrap().text().await.unwrap();
        assert!(german.contains("Gutschrift abgeschlossen") && german.contains("Rechnung ausgestellt"), "{german}");
        // Filtered by date in the URL: the invoice of 2026-03-02 only.
        let (_, html) = viewer.page("/journal?from=2026-03-01&to=2026-03-31").await;
        assert!(html.contains("INV-2026") && !html.contains("CN-2026-00001"), "{html}");
        let (_, html) = viewer.page("/journal?from=yesterday").await;
        assert!(html.contains("not a date: use YYYY-MM-DD"), "{html}");
        let response = viewer.browser.get(app.url("/journal/fec?year=2026")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.text().await.unwrap().starts_with("JournalCode\tJournalLib"));

        let admin_session = app.session(Role::Administrator).await;
        let (_, html) = admin_session.page("/settings").await;
        assert!(html.contains("Save accounts") && html.contains("706000"), "{html}");
        assert!(html.contains(r#"name="form[vat_rates][0][rate]" aria-label="Rate, rate row 1" value="20""#), "{html}");
        let form = [
            ("form[receivable_code]", "411000"), ("form[receivable_label]", "Clients"),
            ("form[customer_credit_code]", "419700"), ("form[customer_credit_label]", "Clients - Autres avoirs"),
            ("form[revenue_code]", "70A"), ("form[revenue_label]", "Ventes"),
            ("form[revenue_goods_code]", "707000"), ("form[revenue_goods_label]", "Ventes de marchandises"),
            ("form[discounts_code]", "709000"), ("form[discounts_label]", "RRR accordés"),
            ("form[vat_payable_code]", "445710"), ("form[vat_payable_label]", "TVA collectée"),
            ("form[vat_pending_code]", "445740"), ("form[vat_pending_label]", "TVA sur encaissements"),
            ("form[bank_code]", "512100"), ("form[bank_label]", "Banque 2"),
            ("form[write_off_code]", "758000"), ("form[write_off_label]", "Produits divers"),
            ("form[exchange_loss_code]", "666000"), ("form[exchange_loss_label]", "Pertes de change"),
            ("form[exchange_gain_code]", "766000"), ("form[exchange_gain_label]", "Gains de change"),
            // The first rate row, a blank spare row, and a second rate given twice.
            ("form[vat_rates][0][rate]", "20"), ("form[vat_rates][0][code]", "445711"), ("form[vat_rates][0][label]", "TVA 20 %"),
            ("form[vat_rates][1][rate]", ""), ("form[vat_rates][1][code]", ""), ("form[vat_rates][1][label]", ""),
            ("form[vat_rates][2][rate]", "20.0"), ("form[vat_rates][2][code]", "445712"), ("form[vat_rates][2][label]", "TVA 10 %"),
        ];
        let (status, body) = admin_session.rpc("save_accounts", &form).await;
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!((status, fields), (422, vec!["vat_rates[2].rate", "revenue.code"]), "the refusal lands on the form's own row: {body}");
        let mut form = form.to_vec();
        form[4].1 = "707000";
        form[28].1 = "10";
        // A rate may book its sales on a revenue account of its own.
        form.push(("form[vat_rates][2][revenue_code]", "706110"));
        form.push(("form[vat_rates][2][revenue_label]", "Prestations à 10 %"));
        let (status, body) = admin_session.rpc("save_accounts", &form).await;
        assert!(status < 400, "{status} {body}");
        let saved = admin.get("/settings/accounts").await.1;
        assert_eq!(saved["bank"], json!({"code": "512100", "label": "Banque 2"}));
        assert_eq!(saved["vat_rates"], json!([
            {"rate": "10", "account": {"code": "445712", "label": "TVA 10 %"}, "revenue": {"code": "706110", "label": "Prestations à 10 %"}},
            {"rate": "20", "account": {"code": "445711", "label": "TVA 20 %"}, "revenue": null},
        ]), "the rates saved replace the default list");
        let (_, page) = admin_session.page("/settings").await;
        let row = page.split(r#"name="form[vat_rates][0][revenue_code]""#).nth(1).and_then(|rest| rest.split('>').next()).unwrap_or_default();
        assert!(row.contains(r#"value="706110""#), "the first rate row shows its revenue account: {row}");
        assert_eq!(viewer.rpc("save_accounts", &form).await.0, 403);
    }
}
