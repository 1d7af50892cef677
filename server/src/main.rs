//! `creditdesk`: the server and its command line.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use app::domain::Role;
use server::net::TrustedProxies;
use server::pdf::{RenderLimits, RenderWorkers};
use server::services::{Caller, MailPolicy, NewUserInput, Services};
use server::{demo, housekeeping, storage, web};

#[derive(Parser)]
#[command(
    name = "creditdesk",
    version,
    about = "Customer credit notes for accounts receivable"
)]
struct Cli {
    /// `sqlite:PATH` or `postgres://…`; defaults to the SQLite file creditdesk.db here.
    // The value may hold a password: `--help` names the variable, never its value.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite:creditdesk.db",
        hide_env_values = true,
        global = true
    )]
    database_url: String,
    /// Address to serve on.
    #[arg(
        long = "addr",
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    site_addr: SocketAddr,
    /// Mark the session cookie `Secure` (sent over HTTPS only). Default: on, unless the site
    /// listens on a loopback address; `--secure-cookies=false` for plain HTTP on a network.
    #[arg(
        long,
        env = "CREDITDESK_SECURE_COOKIES",
        value_name = "BOOL",
        num_args = 0..=1,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new(),
        hide_env_values = true,
        global = true
    )]
    secure_cookies: Option<bool>,
    /// A reverse proxy's address or network (CIDR) whose X-Forwarded-For names the client;
    /// repeat it or separate with commas. Without it the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "CREDITDESK_TRUSTED_PROXY",
        value_name = "CIDR",
        value_delimiter = ',',
        action = ArgAction::Append,
        value_parser = parse_network,
        hide_env_values = true,
        global = true
    )]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// Sign-in attempts one address may make at once before each further one waits 3 s
    /// (default 20); raise it when many people sign in from behind one address.
    #[arg(
        long,
        env = "CREDITDESK_SIGN_IN_BURST",
        value_name = "N",
        global = true
    )]
    sign_in_burst: Option<std::num::NonZeroU32>,
    /// A directory whose `credit-note.typ`, `invoice.typ` or `layout.typ` replace the built-in
    /// PDF templates (a template saved in Settings still comes first). Each is rendered
    /// against sample documents at start-up: a broken one stops the server with Typst's error.
    #[arg(long, env = "CREDITDESK_TEMPLATES", value_name = "DIR", global = true)]
    templates: Option<std::path::PathBuf>,
    /// Seconds one PDF may take to render; a template that runs longer fails that document
    /// (and is refused when saved).
    #[arg(
        long,
        env = "CREDITDESK_RENDER_SECONDS",
        value_name = "SECONDS",
        default_value_t = RenderLimits::default().time.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=600),
        global = true
    )]
    render_seconds: u64,
    /// MiB of memory (address space) a PDF render may use.
    #[arg(
        long,
        env = "CREDITDESK_RENDER_MEMORY_MIB",
        value_name = "MIB",
        default_value_t = RenderLimits::default().memory_mib,
        value_parser = clap::value_parser!(u64).range(256..=65536),
        global = true
    )]
    render_memory_mib: u64,
    /// The SMTP server e-mail leaves through, e.g. `smtp://user:password@mail.example:587?tls=required`
    /// or `smtps://mail.example`. Credentials need TLS (`smtps://` or `?tls=required`) unless
    /// the server is on this machine. Without it, messages wait in the outbox until a server
    /// that has one sends them.
    #[arg(
        long,
        env = "SMTP_URL",
        value_name = "URL",
        hide_env_values = true,
        global = true
    )]
    smtp_url: Option<String>,
    /// E-mails (documents and reminders) one user may queue per day.
    #[arg(
        long,
        env = "CREDITDESK_MAIL_DAILY_QUOTA",
        value_name = "N",
        default_value_t = MailPolicy::default().daily_quota,
        global = true
    )]
    mail_daily_quota: u32,
    /// Days a sent message keeps its attached PDF; after that only its record remains.
    #[arg(
        long,
        env = "CREDITDESK_MAIL_RETENTION_DAYS",
        value_name = "DAYS",
        default_value_t = MailPolicy::default().retention_days,
        global = true
    )]
    mail_retention_days: u32,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the API (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load demo customers, invoices, credit notes and one user per role.
    Demo {
        /// Also add this many synthetic credit notes (with customers, invoices, allocations and
        /// payments) for the scale benchmark, in set-based statements.
        #[arg(long, value_name = "CREDIT_NOTES")]
        scale: Option<i64>,
    },
    /// Remove expired sessions, API tokens, idempotency keys and sign-in throttle rows (the
    /// server also does this every 15 minutes).
    Purge,
    /// Check the ledger: stored amounts equal their allocations, payments and refunds, statuses
    /// agree with amounts, credit-note numbers are gapless. Exits 1 when anything is wrong.
    Audit,
    /// Walk the seals of the finalized credit notes (a SHA-256 chain per year) and of the
    /// journal entries (a chain per journal), and name every note or entry that was changed,
    /// removed or re-sealed behind the server's back, and every entry that does not balance.
    /// Prints each chain's last seal, to keep outside the database. Exits 1 when a link is
    /// broken.
    Verify,
    /// Print the credit-note list query for these filters and how the database runs it
    /// (PostgreSQL runs it: EXPLAIN ANALYZE), to check the indexes on real data.
    Explain {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        customer_id: Option<i64>,
        /// Numbers starting with this.
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        date_from: Option<chrono::NaiveDate>,
        #[arg(long)]
        date_to: Option<chrono::NaiveDate>,
        /// The keyset cursor: ids above this.
        #[arg(long, default_value_t = 0)]
        after: i64,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// A PDF render worker, started by the server itself: reads documents on standard input
    /// and writes PDFs on standard output.
    #[command(name = "render-worker", hide = true)]
    RenderWorker {
        #[arg(long)]
        memory_mib: u64,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user who can sign in to the web app and ask for API tokens. The password is
    /// asked for without echo, or read from the first line of standard input with
    /// `--password-stdin`; it never goes on the command line, where others could read it.
    Create {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// administrator, credit_manager, sales_manager, sales, viewer or customer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The customer a `customer` (portal) user belongs to.
        #[arg(long)]
        customer_id: Option<i64>,
    },
}

fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    TrustedProxies::parse_network(text).map_err(|error| error.to_string())
}

/// The new user's password: from standard input, or asked twice on the terminal without echo.
fn read_password(from_stdin: bool) -> Result<String, String> {
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    if from_stdin {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|error| format!("cannot read the password from standard input: {error}"))?;
        let password = line.trim_end_matches(['\r', '\n']).to_string();
        if password.is_empty() {
            return Err("no password on standard input".to_string());
        }
        return Ok(password);
    }
    if !stdin.is_terminal() {
        return Err(
            "standard input is not a terminal: pipe the password with --password-stdin".to_string(),
        );
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map_err(|error| format!("cannot read the password: {error}"))
    };
    let password = ask("Password: ")?;
    if ask("Password again: ")? != password {
        return Err("the two passwords differ".to_string());
    }
    Ok(password)
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name).ok_or_else(|| {
        let roles: Vec<_> = Role::ALL.iter().map(|role| role.as_str()).collect();
        format!("unknown role `{name}`; use one of {}", roles.join(", "))
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::RenderWorker { memory_mib }) = cli.command {
        return match server::pdf::worker::serve(memory_mib) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("creditdesk render-worker: {error}");
                ExitCode::FAILURE
            }
        };
    }
    // The scale data goes in with statements of several seconds on purpose: sqlx's warning
    // about slow statements would print each one's whole SQL.
    let default_filter = match cli.command {
        Some(Command::Demo { scale: Some(_) }) => "info,sqlx=error",
        _ => "info,sqlx=warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter)),
        )
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("creditdesk: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let storage = storage::connect(&cli.database_url)
        .await
        .map_err(|error| format!("cannot open the database: {error}"))?;
    let program = std::env::current_exe()
        .map_err(|error| format!("cannot find this program to start PDF workers: {error}"))?;
    let limits = RenderLimits {
        time: std::time::Duration::from_secs(cli.render_seconds),
        memory_mib: cli.render_memory_mib,
    };
    let printer = server::pdf::Printer::new(
        cli.templates.as_deref(),
        RenderWorkers::new(program, limits),
    )
    .map_err(|error| format!("cannot use the PDF templates: {error}"))?;
    printer
        .check_directory()
        .await
        .map_err(|error| format!("cannot use the PDF templates: {error}"))?;
    let services = Services::new(storage.clone())
        .with_printer(printer)
        .with_mail_policy(MailPolicy {
            daily_quota: cli.mail_daily_quota,
            retention_days: cli.mail_retention_days,
        });
    let sealed = services
        .seal_legacy_credit_notes()
        .await
        .map_err(|error| format!("cannot seal the earlier credit notes: {error}"))?;
    if sealed > 0 {
        eprintln!("Sealed {sealed} credit notes finalized before seals existed.");
    }
    let sealed = services
        .seal_legacy_invoices()
        .await
        .map_err(|error| format!("cannot seal the earlier invoices: {error}"))?;
    if sealed > 0 {
        eprintln!("Sealed {sealed} invoices issued before invoices were sealed.");
    }
    let posted = services
        .post_legacy_documents()
        .await
        .map_err(|error| format!("cannot post the earlier documents to the journal: {error}"))?;
    if posted > 0 {
        eprintln!("Posted {posted} documents written before the journal existed.");
    }
    services
        .index_customer_names()
        .await
        .map_err(|error| format!("cannot index the customers' names: {error}"))?;
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("The {} database is up to date.", storage.backend());
            Ok(())
        }
        Command::Demo { scale } => load_demo(&services, scale).await,
        Command::Purge => services
            .purge_expired()
            .await
            .map(|purged| println!("Purge: {purged}."))
            .map_err(|error| format!("cannot purge: {error}")),
        Command::Explain {
            status,
            customer_id,
            number,
            date_from,
            date_to,
            after,
            limit,
        } => {
            let status = match status.as_deref() {
                None => None,
                Some(name) => Some(
                    app::domain::CreditNoteStatus::parse(name)
                        .ok_or_else(|| format!("there is no status {name}"))?,
                ),
            };
            let filter = storage::CreditNoteFilter {
                status,
                customer_id,
                number_prefix: number,
                date_from,
                date_to,
                ..Default::default()
            };
            let explained = services
                .storage()
                .explain_credit_note_list(&filter, storage::Page { after, limit })
                .await
                .map_err(|error| format!("cannot explain: {error}"))?;
            println!("{}\n", explained.sql);
            for step in explained.plan {
                println!("  {step}");
            }
            Ok(())
        }
        Command::Audit => match services.audit_ledger().await {
            Err(error) => Err(format!("cannot audit: {error}")),
            Ok(report) => {
                for finding in &report.findings {
                    println!(
                        "{}: {} ({})",
                        finding.document, finding.rule, finding.detail
                    );
                }
                println!(
                    "Audited {} invoices, {} credit notes, {} allocations: {} violations",
                    report.invoices,
                    report.credit_notes,
                    report.allocations,
                    report.findings.len()
                );
                if report.findings.is_empty() {
                    Ok(())
                } else {
                    Err(format!("{} violations", report.findings.len()))
                }
            }
        },
        Command::Verify => match services.verify_seals().await {
            Err(error) => Err(format!("cannot verify: {error}")),
            Ok(report) => {
                for link in &report.broken {
                    println!("{}: {}", link.number, link.problem);
                }
                for chain in &report.chains {
                    println!(
                        "{}: {} sealed, last seal {}",
                        chain.name, chain.links, chain.head
                    );
                }
                if report.broken.is_empty() {
                    println!("Every seal holds.");
                    Ok(())
                } else {
                    Err(format!("{} broken links", report.broken.len()))
                }
            }
        },
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    password_stdin,
                    role,
                    customer_id,
                },
        } => match read_password(password_stdin) {
            Err(message) => Err(message),
            Ok(password) => services
                .create_user(
                    Caller::CommandLine,
                    NewUserInput {
                        email,
                        password,
                        role,
                        customer_id,
                    },
                )
                .await
                .map(|user| {
                    println!(
                        "Created {} user {} (id {}).",
                        user.role, user.email, user.id
                    )
                })
                .map_err(|error| {
                    let problem = app::problem::Problem::from(error);
                    let fields: Vec<_> = problem
                        .errors
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.message))
                        .collect();
                    if fields.is_empty() {
                        problem.detail
                    } else {
                        fields.join("; ")
                    }
                }),
        },
        Command::RenderWorker { .. } => Err("render-worker is started by the server".into()),
        Command::Serve => {
            let config = web::WebConfig {
                // Browsers drop Secure cookies on plain HTTP, which a loopback address is
                // (the demo, development); anywhere else HTTPS is expected.
                secure_cookies: cli
                    .secure_cookies
                    .unwrap_or(!cli.site_addr.ip().is_loopback()),
                trusted_proxies: TrustedProxies::new(cli.trusted_proxies),
                sign_in_burst: cli.sign_in_burst,
            };
            let mail = match &cli.smtp_url {
                Some(url) => Some(server::mail::Smtp::from_url(url)?),
                None => {
                    tracing::warn!("SMTP_URL is not set: e-mail waits in the outbox");
                    None
                }
            };
            serve(services, cli.site_addr, config, mail).await
        }
    };
    storage.close().await;
    outcome
}

/// `creditdesk demo [--scale N]`: the demo data into an empty database, then the scale data
/// when asked. A database the demo filled before gets nothing more (so each start of
/// `scripts/run-demo.sh` adds nothing); one holding anyone else's data is refused.
async fn load_demo(services: &Services, scale: Option<i64>) -> Result<(), String> {
    let outcome = demo::load(services)
        .await
        .map_err(|error| format!("cannot load the demo data: {error}"))?;
    match outcome {
        demo::DemoOutcome::Loaded(summary) => println!("{summary}"),
        demo::DemoOutcome::AlreadyLoaded => {
            println!("The demo data are already loaded; nothing was added.");
            return Ok(());
        }
        demo::DemoOutcome::ForeignData => {
            return Err(
                "the database holds data the demo did not write; demo data go into an \
                 empty database only"
                    .to_string(),
            );
        }
    }
    if let Some(credit_notes) = scale {
        let plan = storage::scale::ScalePlan::new(credit_notes)?;
        let started = std::time::Instant::now();
        let seeded = services
            .seed_scale(&plan)
            .await
            .map_err(|error| format!("cannot add the scale data: {error}"))?;
        println!("{seeded} in {:.1} s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

async fn serve(
    services: Services,
    addr: SocketAddr,
    config: web::WebConfig,
    mail: Option<server::mail::Smtp>,
) -> Result<(), String> {
    let shutdown = shutdown_signal()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    if !config.secure_cookies && !addr.ip().is_loopback() {
        tracing::warn!("session cookies are not marked Secure (--secure-cookies=false)");
    }
    let housekeeping = housekeeping::spawn_periodic(services.clone());
    let mail_worker =
        mail.map(|smtp| server::mail::spawn_worker(services.clone(), std::sync::Arc::new(smtp)));
    let app = web::router(services, web::leptos_options(addr), config);
    tracing::info!("creditdesk listening on http://{addr}");
    // Peer addresses feed the per-address login rate limit.
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|error| format!("the server stopped: {error}"));
    housekeeping.abort();
    if let Some(worker) = mail_worker {
        worker.abort();
    }
    served
}

/// Resolves on SIGINT or SIGTERM; in-flight requests then finish before the process exits.
/// Listens for SIGINT and SIGTERM from now on; the returned future resolves on either, and
/// in-flight requests then finish before the process exits. Installed before the port is
/// bound, so a signal sent as soon as the server answers is never missed.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind| signal(kind).map_err(|error| format!("cannot listen for signals: {error}"));
    let mut interrupt = listen(SignalKind::interrupt())?;
    let mut terminate = listen(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down");
    })
}
