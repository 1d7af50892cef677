//! Link throughput: N clients each linking 0.01 of its own credit note to its own invoice and
//! unlinking it again, as fast as the server answers, one keep-alive connection per client;
//! and the baseline, the same two transactions written directly with sqlx, no HTTP.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::api::{Api, id_of};

/// A customer's invoice and credit note, big enough for any run (0.01 per link).
#[derive(Clone, Copy, Debug)]
pub struct LinkPair {
    pub invoice: i64,
    pub note: i64,
}

/// Makes `count` customers, each with an invoice of 1,000,000.00 EUR and a finalized note of
/// 100,000.00.
pub async fn link_pairs(api: &Api, count: usize, tag: &str) -> Result<Vec<LinkPair>, String> {
    let line = |price: &str| json!([{"description": "Load", "quantity": "1", "unit_price": price, "tax_rate": "0"}]);
    let mut pairs = Vec::with_capacity(count);
    for n in 0..count {
        let customer = api
            .expect(
                Method::POST,
                "/customers",
                Some(json!({"name": format!("Load {tag} {n}"), "currency": "EUR",
                            "tax_region": "FR", "siren": crate::stress::SIREN,
                            "billing_address": crate::stress::address()})),
            )
            .await?;
        let customer = id_of(&customer)?;
        let invoice = api
            .expect(
                Method::POST,
                "/invoices",
                Some(json!({"customer_id": customer, "currency": "EUR",
                            "issue_date": "2026-11-01", "lines": line("1000000.00")})),
            )
            .await?;
        let note = api
            .expect(
                Method::POST,
                "/credit-notes",
                Some(
                    json!({"customer_id": customer, "currency": "EUR", "date": "2026-11-02",
                            "lines": line("100000.00")}),
                ),
            )
            .await?;
        let note = id_of(&note)?;
        api.expect(
            Method::POST,
            &format!("/credit-notes/{note}/finalize"),
            Some(json!({})),
        )
        .await?;
        pairs.push(LinkPair {
            invoice: id_of(&invoice)?,
            note,
        });
    }
    Ok(pairs)
}

/// Requests per second and latency percentiles of one run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Throughput {
    pub requests: usize,
    pub errors: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Throughput {
    fn from_latencies(mut latencies: Vec<Duration>, errors: usize, elapsed: Duration) -> Self {
        latencies.sort_unstable();
        let percentile = |p: f64| {
            if latencies.is_empty() {
                return 0.0;
            }
            let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len());
            latencies[index - 1].as_secs_f64() * 1000.0
        };
        Throughput {
            requests: latencies.len(),
            errors,
            per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
            p50_ms: percentile(0.50),
            p99_ms: percentile(0.99),
        }
    }
}

/// Runs one task per pair for `duration`, each repeating `step` (which times its own
/// requests), and merges what they measured.
async fn drive<F, Fut>(pairs: &[LinkPair], duration: Duration, step: F) -> Throughput
where
    F: Fn(usize, LinkPair) -> Fut,
    Fut: std::future::Future<Output = (Vec<Duration>, usize)> + Send + 'static,
{
    let started = Instant::now();
    let tasks: Vec<_> = pairs
        .iter()
        .enumerate()
        .map(|(i, pair)| tokio::spawn(step(i, *pair)))
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        match task.await {
            Ok((mut measured, failed)) => {
                latencies.append(&mut measured);
                errors += failed;
            }
            Err(_) => errors += 1,
        }
    }
    let elapsed = started.elapsed().max(duration);
    Throughput::from_latencies(latencies, errors, elapsed)
}

/// Link then unlink through the API, one client per pair, for `duration`.
pub async fn api_throughput(api: &Api, pairs: &[LinkPair], duration: Duration) -> Throughput {
    drive(pairs, duration, |_, pair| {
        let api = api.fresh();
        async move {
            let deadline = Instant::now() + duration;
            let (mut latencies, mut errors) = (Vec::new(), 0);
            while Instant::now() < deadline {
                let started = Instant::now();
                let linked = api
                    .send(
                        Method::POST,
                        &format!("/invoices/{}/allocations", pair.invoice),
                        Some(json!({"allocations": [{"credit_note_id": pair.note, "amount": "0.01"}]})),
                    )
                    .await;
                let allocation = match linked {
                    Ok((201, body)) => body["allocations"]
                        .as_array()
                        .and_then(|all| all.iter().filter_map(|a| a["id"].as_i64()).max()),
                    _ => None,
                };
                let Some(allocation) = allocation else {
                    errors += 1;
                    continue;
                };
                latencies.push(started.elapsed());
                let started = Instant::now();
                match api
                    .send(
                        Method::DELETE,
                        &format!("/invoices/{}/allocations/{allocation}", pair.invoice),
                        None,
                    )
                    .await
                {
                    Ok((204, _)) => latencies.push(started.elapsed()),
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }
    })
    .await
}

/// The same link and unlink transactions straight through sqlx on `database_url`, with
/// `connections` connections (the server's pool size), for `duration`.
pub async fn raw_throughput(
    database_url: &str,
    connections: u32,
    pairs: &[LinkPair],
    duration: Duration,
) -> Result<Throughput, String> {
    use sqlx::any::AnyPoolOptions;
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(connections)
        .connect(database_url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let sqlite = database_url.starts_with("sqlite:");
    let figures = drive(pairs, duration, |_, pair| {
        let pool = pool.clone();
        async move {
            let deadline = Instant::now() + duration;
            let (mut latencies, mut errors) = (Vec::new(), 0);
            while Instant::now() < deadline {
                let started = Instant::now();
                match raw_link(&pool, sqlite, pair).await {
                    Ok(allocation) => {
                        latencies.push(started.elapsed());
                        let started = Instant::now();
                        match raw_unlink(&pool, sqlite, pair, allocation).await {
                            Ok(()) => latencies.push(started.elapsed()),
                            Err(_) => errors += 1,
                        }
                    }
                    Err(_) => errors += 1,
                }
            }
            (latencies, errors)
        }
    })
    .await;
    pool.close().await;
    Ok(figures)
}

/// Begins a write transaction as the server does: SQLite takes the write lock up front,
/// PostgreSQL locks rows with `FOR UPDATE`.
async fn begin(
    pool: &sqlx::AnyPool,
    sqlite: bool,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if sqlite {
        pool.begin_with("BEGIN IMMEDIATE").await
    } else {
        pool.begin().await
    }
}

fn now(sqlite: bool) -> &'static str {
    if sqlite {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    } else {
        "now()"
    }
}

fn lock(sqlite: bool) -> &'static str {
    if sqlite { "" } else { " FOR UPDATE" }
}

/// Reads and locks the pair as linking does: the invoice, then the note.
async fn lock_pair(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    sqlite: bool,
    pair: LinkPair,
) -> Result<(), sqlx::Error> {
    let lock = lock(sqlite);
    sqlx::query(&format!(
        "SELECT status, total_minor, paid_minor, credited_minor FROM invoices WHERE id = $1{lock}"
    ))
    .bind(pair.invoice)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "SELECT status, total_minor, allocated_minor, refunded_minor FROM credit_notes \
         WHERE id = $1{lock}"
    ))
    .bind(pair.note)
    .fetch_one(&mut **tx)
    .await?;
    Ok(())
}

/// Moves `change` minor units onto (or, negative, off) the note's allocated and the invoice's
/// credited amounts, records the event, and commits.
async fn apply_and_commit(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    sqlite: bool,
    pair: LinkPair,
    change: i64,
    kind: &str,
) -> Result<(), sqlx::Error> {
    let now = now(sqlite);
    sqlx::query("UPDATE credit_notes SET allocated_minor = allocated_minor + $1 WHERE id = $2")
        .bind(change)
        .bind(pair.note)
        .execute(&mut *tx)
        .await?;
    sqlx::query(&format!(
        "UPDATE invoices SET credited_minor = credited_minor + $1, updated_at = {now} WHERE id = $2"
    ))
    .bind(change)
    .bind(pair.invoice)
    .execute(&mut *tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO timeline_events (invoice_id, credit_note_id, at, kind, data) \
         VALUES ($1, $2, {now}, $3, '{{}}')"
    ))
    .bind(pair.invoice)
    .bind(pair.note)
    .bind(kind.to_string())
    .execute(&mut *tx)
    .await?;
    write_journal_entry(&mut tx, sqlite, pair, change, kind).await?;
    tx.commit().await
}

/// The journal entry a link or unlink writes, as the server writes it: the `OD` journal's
/// head locked, the entry sealed after it with its two lines, the head moved on.
async fn write_journal_entry(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    sqlite: bool,
    pair: LinkPair,
    change: i64,
    kind: &str,
) -> Result<(), sqlx::Error> {
    use sha2::{Digest, Sha256};
    let head: String = sqlx::query_scalar(&format!(
        "SELECT seal FROM journal_heads WHERE journal = 'OD'{}",
        lock(sqlite)
    ))
    .fetch_one(&mut **tx)
    .await?;
    let content = format!("{head}\n{kind} {} {} {change}", pair.note, pair.invoice);
    let seal: String = Sha256::digest(content.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let today = if sqlite {
        "date('now')"
    } else {
        "current_date"
    };
    // Numbered as the services number it: the next of its journal in the (calendar) year.
    let (opens, closes) = if sqlite {
        ("strftime('%Y-01-01', 'now')", "strftime('%Y-12-31', 'now')")
    } else {
        (
            "CAST(to_char(current_date, 'YYYY-01-01') AS DATE)",
            "CAST(to_char(current_date, 'YYYY-12-31') AS DATE)",
        )
    };
    let number: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO journal_numbers (journal, closes_on, last_number) VALUES ('OD', {closes}, \
         (SELECT COUNT(*) FROM journal_entries WHERE journal = 'OD' \
         AND entry_date >= {opens} AND entry_date <= {closes}) + 1) \
         ON CONFLICT (journal, closes_on) DO UPDATE \
         SET last_number = journal_numbers.last_number + 1 RETURNING last_number"
    ))
    .fetch_one(&mut **tx)
    .await?;
    let entry: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO journal_entries (journal, entry_date, reference, label, currency, source, \
         invoice_id, credit_note_id, created_at, seal, entry_number) \
         VALUES ('OD', {today}, 'raw', 'raw', 'EUR', $1, $2, $3, {}, $4, $5) RETURNING id",
        now(sqlite)
    ))
    .bind(kind.to_string())
    .bind(pair.invoice)
    .bind(pair.note)
    .bind(seal.clone())
    .bind(number)
    .fetch_one(&mut **tx)
    .await?;
    for (position, debit, credit) in [(0_i64, change.abs(), 0_i64), (1, 0, change.abs())] {
        sqlx::query(
            "INSERT INTO journal_lines (entry_id, position, account, account_label, label, \
             debit_minor, credit_minor, aux_ledger, aux_account, aux_label) \
             VALUES ($1, $2, '419000', 'raw', 'raw', $3, $4, 'customer_credit', 'C000001', 'raw')",
        )
        .bind(entry)
        .bind(position)
        .bind(debit)
        .bind(credit)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("UPDATE journal_heads SET seal = $1 WHERE journal = 'OD'")
        .bind(seal)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn raw_link(pool: &sqlx::AnyPool, sqlite: bool, pair: LinkPair) -> Result<i64, sqlx::Error> {
    let mut tx = begin(pool, sqlite).await?;
    lock_pair(&mut tx, sqlite, pair).await?;
    let id: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO allocations (credit_note_id, invoice_id, amount_minor, created_at) \
         VALUES ($1, $2, 1, {}) RETURNING id",
        now(sqlite)
    ))
    .bind(pair.note)
    .bind(pair.invoice)
    .fetch_one(&mut *tx)
    .await?;
    apply_and_commit(tx, sqlite, pair, 1, "credit_note_linked").await?;
    Ok(id)
}

async fn raw_unlink(
    pool: &sqlx::AnyPool,
    sqlite: bool,
    pair: LinkPair,
    allocation: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = begin(pool, sqlite).await?;
    lock_pair(&mut tx, sqlite, pair).await?;
    sqlx::query("DELETE FROM allocations WHERE id = $1")
        .bind(allocation)
        .execute(&mut *tx)
        .await?;
    apply_and_commit(tx, sqlite, pair, -1, "credit_note_unlinked").await
}
