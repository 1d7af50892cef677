//! PDF rendering through the API: a credit note and an invoice of realistic size downloaded
//! one after another, next to the same note read as JSON (the baseline: everything but the
//! rendering). Drafts render on every download; issued documents are rendered once and then
//! served as kept, so both are measured.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::api::{Api, id_of};

pub struct Timing {
    pub case: String,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    pub bytes: usize,
}

pub struct DocumentsReport {
    pub baseline: Timing,
    pub documents: Vec<Timing>,
}

impl DocumentsReport {
    pub fn table(&self) -> String {
        let mut table = String::from(
            "| request | size | p50 | p95 | max | p50 / baseline |\n|---|---:|---:|---:|---:|---:|\n",
        );
        for timing in std::iter::once(&self.baseline).chain(&self.documents) {
            table.push_str(&format!(
                "| {} | {} KB | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} |\n",
                timing.case,
                timing.bytes / 1024,
                timing.p50_ms,
                timing.p95_ms,
                timing.max_ms,
                timing.p50_ms / self.baseline.p50_ms.max(f64::EPSILON)
            ));
        }
        table
    }
}

fn lines(count: usize) -> Vec<serde_json::Value> {
    (0..count)
        .map(|i| {
            json!({
                "description": format!("Article {i} — Łódź warehouse, 東京 order"),
                "quantity": format!("{}", 1 + i % 4),
                "unit_price": format!("{}.{:02}", 10 + i * 3, i % 100),
                "tax_rate": if i % 3 == 0 { "5.5" } else { "20" }
            })
        })
        .collect()
}

async fn time(api: &Api, case: &str, path: &str, rounds: usize) -> Result<Timing, String> {
    let mut latencies = Vec::with_capacity(rounds);
    let mut bytes = 0;
    // Two unmeasured requests warm connections and caches.
    for i in 0..rounds + 2 {
        let mut started = Instant::now();
        let (mut status, mut size) = api.download(path).await?;
        // Past a user's render quota: asked again once it refills, and only that is timed.
        while status == 429 {
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            started = Instant::now();
            (status, size) = api.download(path).await?;
        }
        let elapsed = started.elapsed();
        if status != 200 {
            return Err(format!("{case}: GET {path} answered {status}"));
        }
        if i >= 2 {
            latencies.push(elapsed);
            bytes = size;
        }
    }
    latencies.sort_unstable();
    let at = |p: f64| {
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len());
        latencies[index - 1].as_secs_f64() * 1000.0
    };
    Ok(Timing {
        case: case.to_string(),
        p50_ms: at(0.50),
        p95_ms: at(0.95),
        max_ms: latencies
            .last()
            .copied()
            .unwrap_or(Duration::ZERO)
            .as_secs_f64()
            * 1000.0,
        bytes,
    })
}

/// Makes an invoice of 30 lines and a finalized credit note of 12 lines relating to it, and
/// a draft of each, then downloads each `rounds` times.
pub async fn measure(api: &Api, rounds: usize) -> Result<DocumentsReport, String> {
    let customer = api
        .expect(
            Method::POST,
            "/customers",
            Some(
                json!({"name": "Ελληνική Εταιρεία Łódź 東京", "currency": "EUR", "tax_region": "FR",
                        "vat_id": "EL094259216", "siren": crate::stress::SIREN,
                        "billing_address": crate::stress::address()}),
            ),
        )
        .await?;
    let customer = id_of(&customer)?;
    let invoice = new_invoice(api, customer, "pending").await?;
    let note = new_note(api, customer, invoice).await?;
    api.expect(
        Method::POST,
        &format!("/credit-notes/{note}/finalize"),
        Some(json!({})),
    )
    .await?;
    // Drafts of the same size: rendered on every download.
    let draft_invoice = new_invoice(api, customer, "draft").await?;
    let draft_note = new_note(api, customer, invoice).await?;
    let baseline = time(
        api,
        "credit note as JSON (baseline)",
        &format!("/credit-notes/{note}"),
        rounds,
    )
    .await?;
    let cases = [
        (
            "credit note PDF, 12 lines (draft: rendered)",
            format!("/credit-notes/{draft_note}/pdf"),
        ),
        (
            "invoice PDF, 30 lines (draft: rendered)",
            format!("/invoices/{draft_invoice}/pdf"),
        ),
        (
            "credit note PDF, 12 lines (finalized: kept file)",
            format!("/credit-notes/{note}/pdf"),
        ),
        (
            "invoice PDF, 30 lines (issued: kept file)",
            format!("/invoices/{invoice}/pdf"),
        ),
    ];
    let mut documents = Vec::new();
    for (case, path) in cases {
        // Each user may render 100 documents at once, then 10 a second (the server's default
        // render quota): every case starts with a full allowance, so none is refused.
        tokio::time::sleep(ALLOWANCE_REFILLED).await;
        documents.push(time(api, case, &path, rounds).await?);
    }
    Ok(DocumentsReport {
        baseline,
        documents,
    })
}

/// How long a user's spent rendering allowance takes to fill again: 100 at 10 a second.
const ALLOWANCE_REFILLED: std::time::Duration = std::time::Duration::from_secs(11);

/// An invoice of 30 lines for `customer`, `pending` (issued) or `draft`.
async fn new_invoice(api: &Api, customer: i64, status: &str) -> Result<i64, String> {
    let invoice = api
        .expect(
            Method::POST,
            "/invoices",
            Some(
                json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-11-01",
                        "due_date": "2026-12-01", "status": status, "lines": lines(30)}),
            ),
        )
        .await?;
    id_of(&invoice)
}

/// A draft credit note of 12 lines crediting `invoice`.
async fn new_note(api: &Api, customer: i64, invoice: i64) -> Result<i64, String> {
    let note = api
        .expect(
            Method::POST,
            "/credit-notes",
            Some(json!({"customer_id": customer, "currency": "EUR", "date": "2026-11-05",
                        "related_invoice_id": invoice, "reason": "Returned goods", "lines": lines(12)})),
        )
        .await?;
    id_of(&note)
}
