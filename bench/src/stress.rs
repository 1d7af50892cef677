//! Random operations from many clients at once against one or more servers, and what they were
//! told: every acknowledged effect goes into a [`Journal`], so that after a crash each one can
//! be looked for in the database ([`verify_journal`]). The invariants themselves are checked
//! by the server's own audit (`creditdesk audit`), not here.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{Value, json};

use crate::api::{Answer, Api, id_of};

/// The documents the operations pick from.
#[derive(Clone, Debug, Default)]
pub struct World {
    pub customers: Vec<CustomerDocs>,
}

#[derive(Clone, Debug, Default)]
pub struct CustomerDocs {
    pub id: i64,
    pub invoices: Vec<i64>,
    /// Finalized when the world was made.
    pub notes: Vec<i64>,
    /// Drafts, for the finalize and edit operations.
    pub drafts: Vec<i64>,
}

#[derive(Clone, Copy, Debug)]
pub struct WorldSize {
    pub customers: usize,
    pub invoices: usize,
    pub notes: usize,
    pub drafts: usize,
}

const DATE: &str = "2026-11-20";

/// A valid SIREN for the drivers' customers, businesses in France (their documents name it).
pub const SIREN: &str = "303265045";

/// A billing address every made-up customer shares.
pub fn address() -> Value {
    json!({"line1": "1 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"})
}

fn lines(price: &str) -> Value {
    json!([{"description": "Goods", "quantity": "1", "unit_price": price, "tax_rate": "20"}])
}

/// A credit note's lines: net of tax, as a note that names no invoice is (CGI art. 289-I-5).
fn net_lines(price: &str) -> Value {
    json!([{"description": "Discount", "quantity": "1", "unit_price": price, "tax_rate": "0"}])
}

/// Makes `size` customers (EUR) with pending invoices, available notes and drafts, through the
/// API as `api`'s user (an administrator or credit manager). `tag` keeps names apart between runs.
pub async fn build_world(api: &Api, size: WorldSize, tag: &str) -> Result<World, String> {
    let mut world = World::default();
    for c in 0..size.customers {
        let customer = api
            .expect(
                Method::POST,
                "/customers",
                Some(json!({
                    "name": format!("Stress {tag} {c}"), "currency": "EUR", "tax_region": "FR",
                    "siren": SIREN, "billing_address": address()
                })),
            )
            .await?;
        let mut docs = CustomerDocs {
            id: id_of(&customer)?,
            ..CustomerDocs::default()
        };
        for i in 0..size.invoices {
            let price = format!("{}.00", 200 + 50 * i);
            let invoice = api
                .expect(
                    Method::POST,
                    "/invoices",
                    Some(json!({"customer_id": docs.id, "currency": "EUR",
                                "issue_date": "2026-11-01", "lines": lines(&price)})),
                )
                .await?;
            docs.invoices.push(id_of(&invoice)?);
        }
        for n in 0..size.notes + size.drafts {
            let price = format!("{}.00", 20 + 10 * (n % 7));
            let note = api
                .expect(
                    Method::POST,
                    "/credit-notes",
                    Some(
                        json!({"customer_id": docs.id, "currency": "EUR", "date": DATE,
                                "reason": "stress", "lines": net_lines(&price)}),
                    ),
                )
                .await?;
            let id = id_of(&note)?;
            if n < size.notes {
                api.expect(
                    Method::POST,
                    &format!("/credit-notes/{id}/finalize"),
                    Some(json!({})),
                )
                .await?;
                docs.notes.push(id);
            } else {
                docs.drafts.push(id);
            }
        }
        world.customers.push(docs);
    }
    Ok(world)
}

/// What the clients were told, for [`verify_journal`].
#[derive(Clone, Debug, Default)]
pub struct Journal {
    /// Allocations some 2xx answer showed: committed at that moment.
    pub allocations_seen: BTreeSet<i64>,
    /// Allocations an unlink was sent for, answered or not.
    pub unlinks_sent: BTreeSet<i64>,
    /// Allocations whose unlink was acknowledged.
    pub unlinked: BTreeSet<i64>,
    /// References of acknowledged payments and methods of acknowledged refunds: unique per
    /// request, so each can be looked for.
    pub payments: Vec<String>,
    pub refunds: Vec<String>,
    /// Notes whose finalization was acknowledged, with the number they were given.
    pub finalized: Vec<(i64, String)>,
}

/// How one kind of operation went.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub ok: usize,
    /// Refused by a rule (404, 409, 422): expected when clients race.
    pub refused: usize,
    /// A 5xx or another unexpected status: always a bug.
    pub failed: usize,
    /// No answer (connection refused or reset): the server was down.
    pub unanswered: usize,
}

#[derive(Clone, Debug, Default)]
pub struct StressReport {
    pub operations: BTreeMap<&'static str, Counts>,
    /// The first unexpected answers, for the failure message.
    pub failures: Vec<String>,
    pub journal: Journal,
    pub elapsed: Duration,
}

impl StressReport {
    pub fn total(&self) -> Counts {
        self.operations
            .values()
            .fold(Counts::default(), |sum, c| Counts {
                ok: sum.ok + c.ok,
                refused: sum.refused + c.refused,
                failed: sum.failed + c.failed,
                unanswered: sum.unanswered + c.unanswered,
            })
    }

    /// One line per operation kind, then the total.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<13} {:>6} {:>8} {:>7} {:>10}\n",
            "operation", "ok", "refused", "failed", "unanswered"
        );
        let rows = self
            .operations
            .iter()
            .map(|(name, c)| (*name, *c))
            .chain([("total", self.total())]);
        for (name, c) in rows {
            out.push_str(&format!(
                "{name:<13} {:>6} {:>8} {:>7} {:>10}\n",
                c.ok, c.refused, c.failed, c.unanswered
            ));
        }
        out
    }
}

#[derive(Clone, Copy, Debug)]
pub struct StressConfig {
    pub clients: usize,
    /// Per client.
    pub operations: usize,
    pub seed: u64,
    /// Connection errors are expected (the crash test kills the server): wait and go on.
    pub expect_outages: bool,
}

/// The shared state of one run.
struct Shared {
    world: World,
    /// Allocations known to exist, with their invoice: the unlink operation's targets.
    allocations: Mutex<Vec<(i64, i64)>>,
    report: Mutex<StressReport>,
}

/// Runs `config.clients` clients, each doing `config.operations` random operations; client `i`
/// talks to `servers[i % servers.len()]`.
pub async fn run(servers: &[Api], world: World, config: StressConfig) -> StressReport {
    let shared = Arc::new(Shared {
        world,
        allocations: Mutex::new(Vec::new()),
        report: Mutex::new(StressReport::default()),
    });
    let started = Instant::now();
    let mut clients = Vec::new();
    for client in 0..config.clients {
        let api = servers[client % servers.len()].fresh();
        let shared = shared.clone();
        clients.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(config.seed.wrapping_add(client as u64));
            for n in 0..config.operations {
                let tag = format!("stress-{}-{client}-{n}", config.seed);
                operate(&api, &shared, &mut rng, &tag, config.expect_outages).await;
            }
        }));
    }
    for client in clients {
        if let Err(error) = client.await {
            lock(&shared.report)
                .failures
                .push(format!("a client panicked: {error}"));
        }
    }
    let mut report = std::mem::take(&mut *lock(&shared.report));
    report.elapsed = started.elapsed();
    report
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A client that panicked has already been reported; its data is still usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn amount(rng: &mut StdRng, max_cents: i64) -> String {
    let cents = rng.random_range(1..=max_cents);
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// One random operation, recorded.
async fn operate(api: &Api, shared: &Shared, rng: &mut StdRng, tag: &str, expect_outages: bool) {
    let customers = &shared.world.customers;
    let docs = &customers[rng.random_range(0..customers.len())];
    let pick = |rng: &mut StdRng, ids: &[i64]| ids[rng.random_range(0..ids.len())];
    let invoice = pick(rng, &docs.invoices);
    let roll = rng.random_range(0..100);
    let (name, answer, on_success): (&'static str, _, OnSuccess) = match roll {
        0..30 => {
            // Mostly the customer's own notes; now and then another customer's (refused).
            let mut notes = vec![pick(rng, &docs.notes)];
            if rng.random_bool(0.3) {
                let other = &customers[rng.random_range(0..customers.len())];
                notes.push(pick(rng, &other.notes));
            }
            notes.dedup();
            let allocations: Vec<Value> = notes
                .iter()
                .map(|id| {
                    if rng.random_bool(0.5) {
                        json!({"credit_note_id": id, "amount": amount(rng, 1_500)})
                    } else {
                        json!({"credit_note_id": id})
                    }
                })
                .collect();
            let answer = api
                .send(
                    Method::POST,
                    &format!("/invoices/{invoice}/allocations"),
                    Some(json!({ "allocations": allocations })),
                )
                .await;
            ("link", answer, Box::new(|_, _| {}))
        }
        30..45 => {
            let target = {
                let known = lock(&shared.allocations);
                (!known.is_empty()).then(|| known[rng.random_range(0..known.len())])
            };
            let Some((invoice, allocation)) = target else {
                return;
            };
            lock(&shared.report).journal.unlinks_sent.insert(allocation);
            let answer = api
                .send(
                    Method::DELETE,
                    &format!("/invoices/{invoice}/allocations/{allocation}"),
                    None,
                )
                .await;
            if let Ok((404, _)) = answer {
                lock(&shared.allocations).retain(|(_, a)| *a != allocation);
            }
            (
                "unlink",
                answer,
                Box::new(move |_, shared| {
                    lock(&shared.allocations).retain(|(_, a)| *a != allocation);
                    lock(&shared.report).journal.unlinked.insert(allocation);
                }),
            )
        }
        45..55 => {
            let reference = tag.to_string();
            let answer = api
                .send(
                    Method::POST,
                    &format!("/invoices/{invoice}/payments"),
                    Some(json!({"amount": amount(rng, 3_000), "date": DATE,
                                    "method": "transfer", "reference": reference})),
                )
                .await;
            (
                "payment",
                answer,
                Box::new(move |_, shared| lock(&shared.report).journal.payments.push(reference)),
            )
        }
        55..65 => {
            let note = pick(rng, &docs.notes);
            let method = tag.to_string();
            let answer = api
                .send(
                    Method::POST,
                    &format!("/credit-notes/{note}/refunds"),
                    Some(json!({"amount": amount(rng, 800), "date": DATE, "method": method})),
                )
                .await;
            (
                "refund",
                answer,
                Box::new(move |_, shared| lock(&shared.report).journal.refunds.push(method)),
            )
        }
        65..70 => {
            let answer = api
                .send(
                    Method::POST,
                    &format!("/invoices/{invoice}/mark-paid"),
                    Some(json!({})),
                )
                .await;
            ("mark-paid", answer, Box::new(|_, _| {}))
        }
        70..75 => {
            let answer = api
                .send(
                    Method::POST,
                    &format!("/invoices/{invoice}/mark-pending"),
                    Some(json!({})),
                )
                .await;
            ("mark-pending", answer, Box::new(|_, _| {}))
        }
        75..87 => {
            if docs.drafts.is_empty() {
                return;
            }
            let note = pick(rng, &docs.drafts);
            let answer = api
                .send(
                    Method::POST,
                    &format!("/credit-notes/{note}/finalize"),
                    Some(json!({})),
                )
                .await;
            (
                "finalize",
                answer,
                Box::new(move |body, shared| {
                    if let Some(number) = body["number"].as_str() {
                        lock(&shared.report)
                            .journal
                            .finalized
                            .push((note, number.to_string()));
                    }
                }),
            )
        }
        _ => {
            if docs.drafts.is_empty() {
                return;
            }
            let note = pick(rng, &docs.drafts);
            let body = if rng.random_bool(0.5) {
                json!({"reason": format!("edited by {tag}")})
            } else {
                json!({"lines": net_lines(&amount(rng, 9_000))})
            };
            let answer = api
                .send(Method::PATCH, &format!("/credit-notes/{note}"), Some(body))
                .await;
            ("edit", answer, Box::new(|_, _| {}))
        }
    };
    if record(shared, name, answer, on_success, expect_outages) {
        // The server is restarting: give it a moment.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What to do when an operation succeeds: note its effect in the journal.
type OnSuccess = Box<dyn FnOnce(&Value, &Shared) + Send>;

/// Counts the answer; true when there was none and outages are expected.
fn record(
    shared: &Shared,
    name: &'static str,
    answer: Result<Answer, reqwest::Error>,
    on_success: OnSuccess,
    expect_outages: bool,
) -> bool {
    match answer {
        Ok((status, body)) if (200..300).contains(&status) => {
            // Invoices answer with their allocations: each was committed.
            if let Some(allocations) = body["allocations"].as_array() {
                let invoice = body["id"].as_i64().unwrap_or_default();
                let ids: Vec<i64> = allocations
                    .iter()
                    .filter_map(|a| a["id"].as_i64())
                    .collect();
                if body["credited_amount"].is_string() {
                    let mut known = lock(&shared.allocations);
                    known.retain(|(i, _)| *i != invoice);
                    known.extend(ids.iter().map(|id| (invoice, *id)));
                }
                lock(&shared.report).journal.allocations_seen.extend(ids);
            }
            on_success(&body, shared);
            lock(&shared.report).operations.entry(name).or_default().ok += 1;
        }
        Ok((404 | 409 | 422, _)) => {
            lock(&shared.report)
                .operations
                .entry(name)
                .or_default()
                .refused += 1;
        }
        Ok((status, body)) => {
            let mut report = lock(&shared.report);
            report.operations.entry(name).or_default().failed += 1;
            if report.failures.len() < 20 {
                report.failures.push(format!("{name}: {status} {body}"));
            }
        }
        Err(error) => {
            let mut report = lock(&shared.report);
            let counts = report.operations.entry(name).or_default();
            if expect_outages {
                counts.unanswered += 1;
                return true;
            }
            counts.failed += 1;
            if report.failures.len() < 20 {
                report.failures.push(format!("{name}: no answer: {error}"));
            }
        }
    }
    false
}

/// Looks for every acknowledged effect in the database at `database_url`: allocations that were
/// seen stay unless an unlink was sent for them, acknowledged unlinks are gone, acknowledged
/// payments, refunds and numbers are there. Returns what is missing.
pub async fn verify_journal(database_url: &str, journal: &Journal) -> Result<Vec<String>, String> {
    use sqlx::any::AnyPoolOptions;
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(database_url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let query_set = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(&pool)
                .await
                .map(|rows| rows.into_iter().collect::<BTreeSet<String>>())
                .map_err(|e| format!("{sql}: {e}"))
        }
    };
    let allocations: BTreeSet<i64> = sqlx::query_scalar::<_, i64>("SELECT id FROM allocations")
        .fetch_all(&pool)
        .await
        .map_err(|e| format!("allocations: {e}"))?
        .into_iter()
        .collect();
    let payments = query_set("SELECT reference FROM payments WHERE reference IS NOT NULL").await?;
    let refunds = query_set("SELECT method FROM refunds WHERE method IS NOT NULL").await?;
    let numbers: BTreeMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "SELECT id, number FROM credit_notes WHERE number IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .map_err(|e| format!("credit notes: {e}"))?
    .into_iter()
    .collect();
    pool.close().await;

    let mut missing = Vec::new();
    for id in &journal.allocations_seen {
        if !allocations.contains(id) && !journal.unlinks_sent.contains(id) {
            missing.push(format!("allocation {id} was acknowledged and is gone"));
        }
    }
    for id in &journal.unlinked {
        if allocations.contains(id) {
            missing.push(format!("allocation {id} was unlinked and is back"));
        }
    }
    for reference in &journal.payments {
        if !payments.contains(reference) {
            missing.push(format!(
                "payment {reference} was acknowledged and is missing"
            ));
        }
    }
    for method in &journal.refunds {
        if !refunds.contains(method) {
            missing.push(format!("refund {method} was acknowledged and is missing"));
        }
    }
    for (id, number) in &journal.finalized {
        if numbers.get(id) != Some(number) {
            missing.push(format!(
                "credit note {id} was finalized as {number} and is now {:?}",
                numbers.get(id)
            ));
        }
    }
    Ok(missing)
}
