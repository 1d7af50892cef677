//! The scale run: `creditdesk demo --scale N` (a million notes by default), then the filtered
//! list pages, the invoice page and the link dialog of the customer with 5,000 notes, timed
//! one request after another through the release server. The baseline, measured in the same
//! run, is the cheapest read there is: one credit note by id through the same HTTP stack, so
//! each ratio says what the filter and the page cost on top of it.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng, rngs::StdRng};
use reqwest::Method;

use crate::api::Api;
use crate::server::ServerProcess;

#[derive(Clone, Copy, Debug)]
pub struct ScaleConfig {
    pub credit_notes: i64,
    /// Timed requests per case (after a few untimed ones).
    pub rounds: usize,
}

/// What `creditdesk demo --scale` made, read from what it printed.
#[derive(Clone, Debug, Default)]
pub struct Seeded {
    pub summary: String,
    pub seconds: f64,
    pub big_customer_id: i64,
    pub big_invoice_id: i64,
    pub customers: i64,
}

#[derive(Clone, Debug)]
pub struct Timing {
    pub case: String,
    pub query: String,
    pub rows: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

pub struct ScaleReport {
    pub seeded: Seeded,
    pub baseline: Timing,
    pub cases: Vec<Timing>,
    /// Each list case's query and plan (`creditdesk explain`), for its first request.
    pub plans: Vec<(String, String)>,
}

impl ScaleReport {
    pub fn table(&self) -> String {
        let mut table = String::from(
            "| case | request | rows | p50 | p99 | p50 / baseline |\n|---|---|---:|---:|---:|---:|\n",
        );
        for timing in std::iter::once(&self.baseline).chain(&self.cases) {
            table.push_str(&format!(
                "| {} | `{}` | {} | {:.2} ms | {:.2} ms | {:.1} |\n",
                timing.case,
                timing.query,
                timing.rows,
                timing.p50_ms,
                timing.p99_ms,
                timing.p50_ms / self.baseline.p50_ms.max(f64::EPSILON)
            ));
        }
        table
    }

    /// Each case's query (its column list shortened) and plan.
    pub fn plans(&self) -> String {
        let shorten = |line: &str| match (line.starts_with("SELECT "), line.find(" WHERE id IN ")) {
            (true, Some(at)) => format!("SELECT … FROM credit_notes{}", &line[at..]),
            _ => line.to_string(),
        };
        self.plans
            .iter()
            .map(|(case, plan)| {
                let plan: Vec<String> = plan.trim_end().lines().map(shorten).collect();
                format!("{case}:\n{}\n", plan.join("\n"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Runs `creditdesk demo --scale N` against the server's database.
pub async fn seed(server: &ServerProcess, credit_notes: i64) -> Result<Seeded, String> {
    let started = Instant::now();
    let scale = credit_notes.to_string();
    let (ok, output) = server.command(&["demo", "--scale", &scale], None).await;
    let seconds = started.elapsed().as_secs_f64();
    let summary = output
        .lines()
        .find(|line| line.starts_with("Scale data:"))
        .map(str::to_string)
        .ok_or_else(|| format!("demo --scale failed: {output}"))?;
    if !ok {
        return Err(format!("demo --scale failed: {output}"));
    }
    // "… customer 4 holds the most notes (open invoice 6) in 2.9 s"
    let number_after = |marker: &str| {
        summary
            .split(marker)
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|digits| digits.parse::<i64>().ok())
            .ok_or_else(|| format!("no `{marker}` in {summary}"))
    };
    let customers = number_after("Scale data: ")?;
    let big_customer_id = number_after("; customer ")?;
    Ok(Seeded {
        seconds,
        big_invoice_id: number_after("(open invoice ")?,
        customers,
        big_customer_id,
        summary,
    })
}

/// A browser session on the web pages (the session cookie of `POST /rpc/login`).
struct Browser {
    client: reqwest::Client,
    base: String,
    cookie: String,
}

impl Browser {
    async fn sign_in(base: &str, email: &str, password: &str) -> Result<Browser, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| e.to_string())?;
        let response = client
            .post(format!("{base}/rpc/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let cookie = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("creditdesk_session="))
            .and_then(|value| value.split(';').next())
            .map(str::to_string)
            .ok_or_else(|| format!("sign-in answered {} without a session", response.status()))?;
        Ok(Browser {
            client,
            base: base.to_string(),
            cookie,
        })
    }

    /// The page's status and size in bytes.
    async fn page(&self, path: &str) -> Result<(u16, usize), String> {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, &self.cookie)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        Ok((status, body.len()))
    }
}

/// Times `rounds` requests of `case`, each path from `path(i)`, after 5 untimed ones.
async fn time_api(
    api: &Api,
    case: &str,
    rounds: usize,
    path: impl Fn(usize) -> String,
) -> Result<Timing, String> {
    let mut latencies = Vec::with_capacity(rounds);
    let mut rows = 0;
    for i in 0..rounds + 5 {
        let path = path(i);
        let started = Instant::now();
        let (status, body) = api
            .send(Method::GET, &path, None)
            .await
            .map_err(|e| format!("{case}: {e}"))?;
        let elapsed = started.elapsed();
        if status != 200 {
            return Err(format!("{case}: GET {path} answered {status}: {body}"));
        }
        if i >= 5 {
            latencies.push(elapsed);
            rows = body["items"].as_array().map_or(1, Vec::len);
        }
    }
    Ok(timing(case, &path(0), rows, latencies))
}

async fn time_page(
    browser: &Browser,
    case: &str,
    rounds: usize,
    path: &str,
) -> Result<Timing, String> {
    let mut latencies = Vec::with_capacity(rounds);
    let mut size = 0;
    for i in 0..rounds + 2 {
        let started = Instant::now();
        let (status, bytes) = browser.page(path).await?;
        let elapsed = started.elapsed();
        if status != 200 {
            return Err(format!("{case}: GET {path} answered {status}"));
        }
        if i >= 2 {
            latencies.push(elapsed);
            size = bytes;
        }
    }
    let mut timing = timing(case, path, 0, latencies);
    timing.case = format!("{case} ({} KB of HTML)", size / 1024);
    Ok(timing)
}

fn timing(case: &str, query: &str, rows: usize, mut latencies: Vec<Duration>) -> Timing {
    latencies.sort_unstable();
    let percentile = |p: f64| {
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len());
        latencies[index - 1].as_secs_f64() * 1000.0
    };
    Timing {
        case: case.to_string(),
        query: query.to_string(),
        rows,
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
    }
}

/// A list request's query parameters.
type Filters = Vec<(&'static str, String)>;
/// The filters of a case's `i`th request.
type FiltersOf<'a> = Box<dyn Fn(usize) -> Filters + 'a>;

/// The timed cases on a seeded database.
pub async fn measure(
    server: &ServerProcess,
    api: &Api,
    (email, password): (&str, &str),
    seeded: Seeded,
    config: ScaleConfig,
) -> Result<ScaleReport, String> {
    let rounds = config.rounds;
    let mut random = StdRng::seed_from_u64(20261129);
    // Random picks decided up front, so each case's paths are the same run to run.
    let picks: &Vec<(i64, u32, u32, i64)> = &(0..rounds + 5)
        .map(|_| {
            (
                random.random_range(0..seeded.customers),
                random.random_range(0..10),
                random.random_range(1..=12),
                random.random_range(1..config.credit_notes),
            )
        })
        .collect();
    // The big customer is the first scale customer; the scale notes follow the demo's few, so
    // ids 1 ..= N are all notes.
    let first_customer = seeded.big_customer_id;
    let years = (config.credit_notes + 99_999) / 100_000;
    let first_year = 2025 - years + 1;
    let year = |pick: u32| first_year + i64::from(pick) % years;

    let baseline = time_api(api, "one note by id (baseline)", rounds, |i| {
        format!("/credit-notes/{}", picks[i].3)
    })
    .await?;
    let big = seeded.big_customer_id;
    let list_cases: Vec<(&str, FiltersOf<'_>)> = vec![
        ("status", Box::new(|_| vec![("status", "available".into())])),
        (
            "a rare status",
            Box::new(|_| vec![("status", "pending_approval".into())]),
        ),
        (
            "customer",
            Box::new(move |i| vec![("customer_id", (first_customer + picks[i].0).to_string())]),
        ),
        (
            "customer + status",
            Box::new(move |i| {
                vec![
                    ("customer_id", (first_customer + picks[i].0).to_string()),
                    ("status", "available".into()),
                ]
            }),
        ),
        (
            "number prefix",
            Box::new(move |i| {
                vec![(
                    "number",
                    format!("CN-{}-{:03}", year(picks[i].1), picks[i].3 % 850),
                )]
            }),
        ),
        (
            "date range (a month)",
            Box::new(move |i| {
                let (y, m) = (year(picks[i].1), picks[i].2);
                vec![
                    ("date_from", format!("{y}-{m:02}-01")),
                    ("date_to", format!("{y}-{m:02}-28")),
                ]
            }),
        ),
        (
            "date range + status",
            Box::new(move |i| {
                let (y, m) = (year(picks[i].1), picks[i].2);
                vec![
                    ("status", "used".into()),
                    ("date_from", format!("{y}-{m:02}-01")),
                    ("date_to", format!("{y}-{m:02}-28")),
                ]
            }),
        ),
        (
            "a page deep in the list",
            Box::new(move |i| {
                vec![
                    ("status", "available".into()),
                    ("cursor", picks[i].3.to_string()),
                ]
            }),
        ),
        (
            "the big customer's available notes (5,000)",
            Box::new(move |_| {
                vec![
                    ("customer_id", big.to_string()),
                    ("status", "available".into()),
                ]
            }),
        ),
    ];
    let mut cases = Vec::new();
    let mut plans = Vec::new();
    for (case, filters) in &list_cases {
        let path = |i: usize| {
            let query: Vec<String> = filters(i)
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            format!("/credit-notes?{}&limit=50", query.join("&"))
        };
        cases.push(time_api(api, case, rounds, path).await?);
        plans.push((case.to_string(), explain(server, &filters(0)).await));
    }
    let invoice = seeded.big_invoice_id;
    cases.push(
        time_api(
            api,
            "invoice of the big customer (5,000 available notes)",
            rounds,
            |_| format!("/invoices/{invoice}"),
        )
        .await?,
    );
    cases.push(
        time_api(
            api,
            "link dialog's notes through the API (500 of 5,000)",
            rounds / 4,
            |_| format!("/invoices/{invoice}/linkable-credit-notes?limit=500"),
        )
        .await?,
    );
    let browser = Browser::sign_in(&server.base_url(), email, password).await?;
    cases.push(
        time_page(
            &browser,
            "credit-note list page, filtered",
            rounds / 4,
            &format!("/credit-notes?status=available&customer_id={big}"),
        )
        .await?,
    );
    cases.push(
        time_page(
            &browser,
            "invoice page",
            rounds / 4,
            &format!("/invoices/{invoice}"),
        )
        .await?,
    );
    cases.push(
        time_page(
            &browser,
            "invoice page with the link dialog open",
            rounds / 4,
            &format!("/invoices/{invoice}?link=open"),
        )
        .await?,
    );
    Ok(ScaleReport {
        seeded,
        baseline,
        cases,
        plans,
    })
}

/// `creditdesk explain` with the same filters as the API request.
async fn explain(server: &ServerProcess, filters: &[(&str, String)]) -> String {
    let mut args = vec!["explain".to_string()];
    for (name, value) in filters {
        let flag = match *name {
            "cursor" => "after".to_string(),
            other => other.replace('_', "-"),
        };
        args.push(format!("--{flag}"));
        args.push(value.clone());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, output) = server.command(&args, None).await;
    if ok {
        output
    } else {
        format!("(explain failed: {output})")
    }
}
