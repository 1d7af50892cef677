//! The DATEV export (EXTF Buchungsstapel, format version 13) on SQLite and PostgreSQL, read
//! back against the format's header and column rules (DATEV-Format, developer.datev.de:
//! Header, Buchungsstapel): 31 header fields, 125 columns, amounts with a decimal comma and a
//! Soll/Haben flag, Belegdatum as TTMM inside the batch's dates, Windows-1252, CRLF.

use std::collections::BTreeMap;

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use rust_decimal::Decimal;
use serde_json::json;

/// A batch decoded: its header fields, column names and bookings (fields as written).
struct Batch {
    header: Vec<String>,
    columns: Vec<String>,
    bookings: Vec<Vec<String>>,
}

fn read_batch(bytes: &[u8]) -> Batch {
    let (text, _, malformed) = encoding_rs::WINDOWS_1252.decode(bytes);
    assert!(!malformed);
    assert!(text.ends_with("\r\n"), "every line ends in CRLF");
    let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    assert!(
        lines.iter().all(|line| !line.contains('\n')),
        "no bare line feed"
    );
    let split = |line: &str| line.split(';').map(str::to_string).collect::<Vec<_>>();
    Batch {
        header: split(lines[0]),
        columns: split(lines[1]),
        bookings: lines[2..].iter().map(|line| split(line)).collect(),
    }
}

fn unquote(field: &str) -> &str {
    field
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{field} is not quoted"))
}

fn euros(field: &str) -> Decimal {
    field.replace(',', ".").parse().unwrap()
}

/// Each booking against DATEV's rules; what each account moved (Soll positive).
fn check_rules(batch: &Batch, from: &str, to: &str) -> BTreeMap<u64, Decimal> {
    let h = &batch.header;
    assert_eq!(h.len(), 31, "{h:?}");
    assert_eq!(
        (
            h[0].as_str(),
            h[1].as_str(),
            h[2].as_str(),
            h[3].as_str(),
            h[4].as_str()
        ),
        ("\"EXTF\"", "700", "21", "\"Buchungsstapel\"", "13")
    );
    assert_eq!(h[5].len(), 17, "created at, YYYYMMDDHHMMSSFFF");
    assert!(h[5].chars().all(|c| c.is_ascii_digit()));
    assert_eq!(
        (h[12].as_str(), h[14].as_str(), h[15].as_str()),
        (from, from, to),
        "WJ-Beginn, Datum vom, Datum bis"
    );
    let digits: usize = h[13].parse().unwrap();
    assert!((4..=8).contains(&digits), "Sachkontenlänge {digits}");
    assert_eq!(h[20], "0", "unlocked for the adviser's review");
    assert_eq!(h[21], "\"EUR\"");
    assert_eq!(batch.columns.len(), 125);
    assert_eq!(batch.columns[0], "Umsatz (ohne Soll/Haben-Kz)");
    assert_eq!(batch.columns[13], "Buchungstext");
    assert_eq!(batch.columns[124], "Abw. Skontokonto");
    let (from_month, to_month) = (&from[4..], &to[4..]);
    let mut moved = BTreeMap::new();
    for booking in &batch.bookings {
        assert_eq!(booking.len(), 125, "{booking:?}");
        let (whole, cents) = booking[0].split_once(',').expect("a decimal comma");
        assert!(
            !whole.is_empty()
                && whole.len() <= 10
                && whole.chars().all(|c| c.is_ascii_digit())
                && cents.len() == 2,
            "{}",
            booking[0]
        );
        let amount = euros(&booking[0]);
        assert!(amount > Decimal::ZERO, "DATEV refuses 0,00");
        let side = unquote(&booking[1]);
        assert!(side == "S" || side == "H");
        let account: u64 = booking[6].parse().unwrap();
        let against: u64 = booking[7].parse().unwrap();
        assert!(
            booking[6].len() <= digits + 1 && booking[7].len() <= digits + 1,
            "ledger accounts of {digits} digits, personal ones one more"
        );
        assert_ne!(account, against);
        let key = unquote(&booking[8]);
        assert!(key.is_empty() || key == "40", "{key}");
        // Belegdatum: TTMM, within the batch (one calendar year here).
        let day = &booking[9];
        assert_eq!(day.len(), 4);
        let mmdd = format!("{}{}", &day[2..], &day[..2]);
        assert!(
            mmdd.as_str() >= from_month && mmdd.as_str() <= to_month,
            "{day}"
        );
        let document = unquote(&booking[10]);
        assert!(
            document.len() <= 36
                && document
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "$%&*+-/".contains(c)),
            "{document}"
        );
        assert!(unquote(&booking[13]).chars().count() <= 60);
        let signed = if side == "S" { amount } else { -amount };
        *moved.entry(account).or_default() += signed;
        *moved.entry(against).or_default() -= signed;
    }
    moved
}

on_both_backends! {
    async fn the_journal_reads_back_as_a_datev_batch_in_skr03(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let chart = serde_json::to_value(app::domain::journal::ChartOfAccounts::skr03()).unwrap();
        let (status, body) = admin.put("/settings/accounts", chart).await;
        assert_eq!(status, 200, "{body}");
        let acme = admin.customer("Acme Handel GmbH", "EUR").await;
        let (status, invoice) = admin
            .post("/invoices", json!({
                "customer_id": acme, "currency": "EUR", "issue_date": "2026-11-02",
                "lines": [{"description": "Beratung \"Nord\"", "quantity": "1", "unit_price": "1000.00", "tax_rate": "19"}]
            }))
            .await;
        assert_eq!(status, 201, "{invoice}");
        let (status, body) = admin
            .post(&format!("/invoices/{}/payments", invoice["id"]), json!({"amount": "1190.00", "date": "2026-11-20"}))
            .await;
        assert_eq!(status, 201, "{body}");
        // 7 % sales on SKR03's 8300, its VAT on 1771.
        let (status, reduced) = admin
            .post("/invoices", json!({
                "customer_id": acme, "currency": "EUR", "issue_date": "2026-11-03",
                "lines": [{"description": "Fachbuch", "quantity": "2", "unit_price": "50.00", "tax_rate": "7", "nature": "goods"}]
            }))
            .await;
        assert_eq!(status, 201, "{reduced}");
        // An untaxed sale would land on 8400, the automatic account of 19 %: refused, nothing
        // written, until its tax rule or its rate names a revenue account.
        let export = json!({
            "customer_id": acme, "currency": "EUR", "issue_date": "2026-11-04",
            "lines": [{"description": "Maschine (Ausfuhr)", "quantity": "1", "unit_price": "500.00", "tax_rate": "0",
                       "vat_category": "export", "vat_exemption_reason": "Steuerfreie Ausfuhr, § 4 Nr. 1a UStG"}]
        });
        let (status, problem) = admin.post("/invoices", export.clone()).await;
        assert_eq!((status, problem["code"].as_str()), (409, Some("automatic_account_rate")), "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("8400"), "{problem}");
        let mut chart = app::domain::journal::ChartOfAccounts::skr03();
        chart.vat_rates.push(app::domain::journal::RateAccount {
            rate: Decimal::ZERO,
            account: app::domain::journal::Account::new("1770", "Umsatzsteuer"),
            revenue: Some(app::domain::journal::Account::new("8120", "Steuerfreie Umsätze § 4 Nr. 1a UStG")),
        });
        let (status, body) = admin.put("/settings/accounts", serde_json::to_value(chart).unwrap()).await;
        assert_eq!(status, 200, "{body}");
        let untaxed = body["vat_rates"].as_array().unwrap().iter().find(|row| row["rate"] == "0").unwrap();
        assert_eq!(untaxed["revenue"]["code"], "8120", "{body}");
        let (status, exported) = admin.post("/invoices", export).await;
        assert_eq!(status, 201, "{exported}");

        let (status, disposition, bytes) = admin.file("/exports/datev?year=2026&consultant=29098&client=55003").await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert!(disposition.contains("EXTF_Buchungsstapel_20260101_20261231.csv"), "{disposition}");
        let batch = read_batch(&bytes);
        let moved = check_rules(&batch, "20260101", "20261231");
        assert_eq!((batch.header[10].as_str(), batch.header[11].as_str()), ("29098", "55003"), "Beraternummer, Mandantennummer");
        assert_eq!(batch.header[13], "4");
        assert_eq!(batch.header[26], "\"03\"", "SKR03 declared");
        // The customer's debtor account is 10000 + its id: invoiced, then paid.
        let debtor = 10_000 + acme as u64;
        let euro = |text: &str| text.parse::<Decimal>().unwrap();
        assert_eq!(moved.get(&debtor), Some(&euro("607.00")), "the 7 % and export invoices stay open: {moved:?}");
        assert_eq!(moved.get(&8400), Some(&euro("-1000.00")), "revenue, net");
        assert_eq!(moved.get(&1776), Some(&euro("-190.00")), "VAT 19 % on its own account");
        assert_eq!(moved.get(&8300), Some(&euro("-100.00")), "7 % revenue on 8300");
        assert_eq!(moved.get(&1771), Some(&euro("-7.00")), "VAT 7 % on its own account");
        assert_eq!(moved.get(&8120), Some(&euro("-500.00")), "exports on 8120");
        assert_eq!(moved.get(&1200), Some(&euro("1190.00")), "the bank");
        let revenue = batch.bookings.iter().find(|b| b[6] == "8400").unwrap();
        assert_eq!(revenue[8], "\"40\"", "the automatic account does not compute VAT again");
        assert_eq!(revenue[9], "0211");
        assert_eq!(unquote(&revenue[10]), invoice["number"].as_str().unwrap());
        let vat = batch.bookings.iter().find(|b| b[6] == "1776").unwrap();
        assert_eq!(vat[8], "\"\"");

        // Who the batch is for is asked, each in DATEV's range.
        let (status, _, bytes) = admin.file("/exports/datev?year=2026&consultant=12&client=0").await;
        assert_eq!(status, 422);
        let problem: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["consultant", "client"], "{problem}");
        let (status, _, _) = admin.file("/exports/datev?year=2026").await;
        assert_eq!(status, 422);
        // A customer past the debtor range of four-digit accounts (10000–69999) is refused
        // before a byte is written.
        app.db.behind_the_back(if app.db.is_sqlite() {
            "INSERT INTO customers (id, name, currency, tax_region, created_at) VALUES (60000, 'Far', 'EUR', 'DE', '2026-01-01T00:00:00Z')"
        } else {
            "INSERT INTO customers (id, name, currency, tax_region, created_at) OVERRIDING SYSTEM VALUE VALUES (60000, 'Far', 'EUR', 'DE', now())"
        }).await;
        let (status, _, bytes) = admin.file("/exports/datev?year=2026&consultant=29098&client=55003").await;
        let problem: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!((status, problem["code"].as_str()), (409, Some("datev_customer_number_too_high")), "{problem}");
        common::user(&app.db.services(), "portal@datev.example", Role::Customer, Some(acme)).await;
        let customer = Api::with_token(&app, &app.token("portal@datev.example").await);
        let (status, _, _) = customer.file("/exports/datev?year=2026&consultant=29098&client=55003").await;
        assert_eq!(status, 403);
    }

    async fn french_books_keep_their_accounts_and_the_journal_page_offers_the_batch(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let acme = admin.customer("Acme", "EUR").await;
        admin.invoice(acme, "EUR", "250.00").await;
        let manager = app.session(Role::CreditManager).await;
        let (_, html) = manager.page("/journal").await;
        assert!(html.contains("action=\"/journal/datev\"") && html.contains("Download DATEV file"), "{html}");
        let response = manager.browser.get(app.url("/journal/datev?year=2026&consultant=1001&client=1")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().contains("windows-1252"));
        let batch = read_batch(&response.bytes().await.unwrap());
        let moved = check_rules_for(&batch);
        assert_eq!((batch.header[10].as_str(), batch.header[11].as_str()), ("1001", "1"));
        // PCG accounts: six digits, the debtor one more (1000000 + id); no SKR declared.
        assert_eq!((batch.header[13].as_str(), batch.header[26].as_str()), ("6", "\"\""));
        assert_eq!(moved.get(&(1_000_000 + acme as u64)), Some(&"250.00".parse::<Decimal>().unwrap()));
        assert!(batch.bookings.iter().all(|b| b[8] == "\"\""), "no automatic accounts outside SKR03");
        let response = manager.browser.get(app.url("/journal/datev?year=2026&consultant=1001")).send().await.unwrap();
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("Mandantennummer"));
    }
}

fn check_rules_for(batch: &Batch) -> BTreeMap<u64, Decimal> {
    let from = batch.header[14].clone();
    let to = batch.header[15].clone();
    check_rules(batch, &from, &to)
}
