//! The proof harness's long runs, against the release server (`target/release/creditdesk`):
//!
//! - `proof links`: link + unlink requests per second and p50/p99 at 1, 8 and 32 clients, next
//!   to the same transactions done directly with sqlx (the baseline), on SQLite and PostgreSQL.
//! - `proof stress`: 32 clients × 500 random operations, then `creditdesk audit`.
//! - `proof crash`: the stress run while the server is killed with SIGKILL and restarted.
//! - `proof documents`: credit-note and invoice PDFs rendered through the API, against the
//!   same note read as JSON.
//! - `proof scale`: a million credit notes (`creditdesk demo --scale`), then list pages, the
//!   invoice page and the link dialog of a customer with 5,000 notes, timed.
//!
//! Each makes its own database (a temporary SQLite file; a PostgreSQL database created on the
//! server named by `TEST_POSTGRES_URL`, dropped afterwards) and prints Markdown tables.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use creditdesk_bench::api::Api;
use creditdesk_bench::crash::{self, CrashConfig};
use creditdesk_bench::load::{self, Throughput};
use creditdesk_bench::scale::{self, ScaleConfig};
use creditdesk_bench::server::{ServerProcess, free_addr};
use creditdesk_bench::stress::{self, StressConfig, WorldSize};

#[derive(Parser)]
#[command(about = "creditdesk's load, stress and crash runs")]
struct Cli {
    /// The server binary to run.
    #[arg(long, default_value = "target/release/creditdesk", global = true)]
    binary: PathBuf,
    /// Which databases to run on.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "sqlite,postgres",
        global = true
    )]
    databases: Vec<Backend>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Link throughput through the API against the raw sqlx baseline.
    Links {
        #[arg(long, value_delimiter = ',', default_value = "1,8,32")]
        clients: Vec<usize>,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Random operations from many clients, then the ledger audit.
    Stress {
        #[arg(long, default_value_t = 32)]
        clients: usize,
        #[arg(long, default_value_t = 500)]
        operations: usize,
        /// Server processes on the one database (PostgreSQL only for more than one).
        #[arg(long, default_value_t = 1)]
        servers: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// The stress run while the server is killed and restarted.
    Crash {
        #[arg(long, default_value_t = 32)]
        clients: usize,
        #[arg(long, default_value_t = 500)]
        operations: usize,
        #[arg(long, default_value_t = 10)]
        kills: usize,
        /// Milliseconds between a restart and the next kill.
        #[arg(long, default_value_t = 1000)]
        interval: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// PDF downloads, one after another, against the note read as JSON.
    Documents {
        #[arg(long, default_value_t = 100)]
        rounds: usize,
    },
    /// Lists and pages on a database of many credit notes.
    Scale {
        #[arg(long, default_value_t = 1_000_000)]
        credit_notes: i64,
        /// Timed requests per list case (a quarter of that for the big pages).
        #[arg(long, default_value_t = 200)]
        rounds: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// The server's pool size, which the raw baseline gets too.
    fn connections(self) -> u32 {
        match self {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        }
    }
}

/// A database for one run, removed when dropped.
struct Scratch {
    url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl Scratch {
    async fn create(backend: Backend) -> Result<Scratch, String> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
                Ok(Scratch {
                    url: format!("sqlite:{}", dir.path().join("proof.db").display()),
                    _dir: Some(dir),
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let admin = std::env::var("TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                let name = format!("creditdesk_proof_{}", std::process::id());
                admin_sql(
                    &admin,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                )
                .await?;
                admin_sql(&admin, &format!("CREATE DATABASE {name}")).await?;
                let server = admin.rsplit_once('/').map_or(admin.as_str(), |(s, _)| s);
                Ok(Scratch {
                    url: format!("{server}/{name}"),
                    _dir: None,
                    postgres: Some((admin.clone(), name)),
                })
            }
        }
    }

    async fn remove(self) {
        if let Some((admin, name)) = &self.postgres {
            let _ = admin_sql(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }
}

async fn admin_sql(admin_url: &str, sql: &str) -> Result<(), String> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut connection = sqlx::AnyConnection::connect(admin_url)
        .await
        .map_err(|e| format!("cannot reach PostgreSQL at TEST_POSTGRES_URL: {e}"))?;
    sqlx::query(sql)
        .execute(&mut connection)
        .await
        .map_err(|e| format!("{sql}: {e}"))?;
    let _ = connection.close().await;
    Ok(())
}

const EMAIL: &str = "proof@creditdesk.example";
const PASSWORD: &str = "proof-run-password";

/// Starts the server on `scratch` with a credit manager to sign in as.
async fn server_and_api(
    binary: &PathBuf,
    scratch: &Scratch,
) -> Result<(ServerProcess, Api), String> {
    let server = ServerProcess::start(binary, &scratch.url, free_addr()).await?;
    server.ensure_seller().await?;
    let api = server.credit_manager(EMAIL, PASSWORD).await?;
    Ok((server, api))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if !cli.binary.exists() {
        eprintln!(
            "proof: {} is missing; build it with `cargo build --release -p server`",
            cli.binary.display()
        );
        return std::process::ExitCode::FAILURE;
    }
    let mut failed = false;
    for backend in cli.databases.clone() {
        let outcome = match Scratch::create(backend).await {
            Err(error) => Err(error),
            Ok(scratch) => {
                let outcome = run(&cli, backend, &scratch).await;
                scratch.remove().await;
                outcome
            }
        };
        if let Err(error) = outcome {
            eprintln!("proof: {}: {error}", backend.name());
            failed = true;
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}

async fn run(cli: &Cli, backend: Backend, scratch: &Scratch) -> Result<(), String> {
    match &cli.command {
        Command::Links { clients, seconds } => {
            let (mut server, api) = server_and_api(&cli.binary, scratch).await?;
            let most = clients.iter().copied().max().unwrap_or(1);
            // The API and the baseline each get their own pairs.
            let pairs = load::link_pairs(&api, most * 2, "links").await?;
            let (api_pairs, raw_pairs) = pairs.split_at(most);
            let duration = Duration::from_secs(*seconds);
            let durability = match backend {
                Backend::Sqlite => " (WAL, synchronous FULL)",
                Backend::Postgres => "",
            };
            println!("\n{}{durability}, {seconds} s per row\n", backend.name());
            println!(
                "| clients | API req/s | API p50 | API p99 | raw sqlx tx/s | raw p50 | raw p99 | API / raw |"
            );
            println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
            for &count in clients {
                let through_api = load::api_throughput(&api, &api_pairs[..count], duration).await;
                let raw = load::raw_throughput(
                    &scratch.url,
                    backend.connections(),
                    &raw_pairs[..count],
                    duration,
                )
                .await?;
                print_row(count, &through_api, &raw);
            }
            server.kill().await;
            Ok(())
        }
        Command::Stress {
            clients,
            operations,
            servers,
            seed,
        } => {
            let (mut first, api) = server_and_api(&cli.binary, scratch).await?;
            let mut others = Vec::new();
            for _ in 1..*servers {
                others.push(ServerProcess::start(&cli.binary, &scratch.url, free_addr()).await?);
            }
            let apis: Vec<Api> = std::iter::once(api.clone())
                .chain(others.iter().map(|s| Api::new(&s.base_url(), api.token())))
                .collect();
            let world = stress::build_world(&api, long_world(), "long").await?;
            let report = stress::run(
                &apis,
                world,
                StressConfig {
                    clients: *clients,
                    operations: *operations,
                    seed: *seed,
                    expect_outages: false,
                },
            )
            .await;
            for server in &mut others {
                server.kill().await;
            }
            first.kill().await;
            let (audit_ok, audit) = first.command(&["audit"], None).await;
            println!(
                "\n{}, {servers} server(s), {clients} clients × {operations} operations in {:.1} s\n",
                backend.name(),
                report.elapsed.as_secs_f64()
            );
            println!("```\n{}```\n{}", report.table(), audit.trim());
            if !report.failures.is_empty() {
                return Err(format!("unexpected answers: {:#?}", report.failures));
            }
            if !audit_ok {
                return Err("the audit failed".into());
            }
            Ok(())
        }
        Command::Crash {
            clients,
            operations,
            kills,
            interval,
            seed,
        } => {
            let report = crash::run(CrashConfig {
                binary: cli.binary.clone(),
                database_url: scratch.url.clone(),
                world: long_world(),
                stress: StressConfig {
                    clients: *clients,
                    operations: *operations,
                    seed: *seed,
                    expect_outages: true,
                },
                kills: *kills,
                interval: Duration::from_millis(*interval),
            })
            .await?;
            println!(
                "\n{}, {} SIGKILLs under load, {clients} clients × {operations} operations\n",
                backend.name(),
                report.kills
            );
            println!("```\n{}```", report.stress.table());
            println!(
                "{} acknowledged effects checked, {} missing\n{}",
                report.stress.journal.allocations_seen.len()
                    + report.stress.journal.unlinked.len()
                    + report.stress.journal.payments.len()
                    + report.stress.journal.refunds.len()
                    + report.stress.journal.finalized.len(),
                report.missing.len(),
                report.audit.trim()
            );
            if !report.missing.is_empty()
                || !report.audit_passed
                || !report.stress.failures.is_empty()
            {
                return Err(format!(
                    "missing: {:#?}\nunexpected answers: {:#?}",
                    report.missing, report.stress.failures
                ));
            }
            Ok(())
        }
        Command::Documents { rounds } => {
            let (mut server, api) = server_and_api(&cli.binary, scratch).await?;
            let report = creditdesk_bench::documents::measure(&api, *rounds).await;
            server.kill().await;
            let report = report?;
            println!(
                "\n{}: {rounds} sequential downloads per request\n\n{}",
                backend.name(),
                report.table()
            );
            Ok(())
        }
        Command::Scale {
            credit_notes,
            rounds,
        } => {
            scale_run(
                cli,
                backend,
                scratch,
                ScaleConfig {
                    credit_notes: *credit_notes,
                    rounds: *rounds,
                },
            )
            .await
        }
    }
}

async fn scale_run(
    cli: &Cli,
    backend: Backend,
    scratch: &Scratch,
    config: ScaleConfig,
) -> Result<(), String> {
    let (mut server, api) = server_and_api(&cli.binary, scratch).await?;
    let seeded = scale::seed(&server, config.credit_notes).await?;
    let report = scale::measure(&server, &api, (EMAIL, PASSWORD), seeded, config).await;
    server.kill().await;
    let report = report?;
    println!(
        "\n{}: `creditdesk demo --scale {}` took {:.1} s\n\n{}\n\n{} sequential requests per case (a quarter for the whole pages)\n",
        backend.name(),
        config.credit_notes,
        report.seeded.seconds,
        report.seeded.summary,
        config.rounds,
    );
    println!("{}", report.table());
    println!(
        "<details><summary>Query plans ({})</summary>\n\n```\n{}```\n</details>",
        backend.name(),
        report.plans()
    );
    Ok(())
}

fn long_world() -> WorldSize {
    WorldSize {
        customers: 10,
        invoices: 5,
        notes: 10,
        drafts: 10,
    }
}

fn print_row(clients: usize, api: &Throughput, raw: &Throughput) {
    let ratio = if raw.per_second > 0.0 {
        api.per_second / raw.per_second
    } else {
        0.0
    };
    println!(
        "| {clients} | {:.0} | {:.1} ms | {:.1} ms | {:.0} | {:.1} ms | {:.1} ms | {ratio:.2} |",
        api.per_second, api.p50_ms, api.p99_ms, raw.per_second, raw.p50_ms, raw.p99_ms
    );
    if api.errors + raw.errors > 0 {
        println!("(errors: API {}, raw {})", api.errors, raw.errors);
    }
}
