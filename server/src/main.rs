//! `creditdesk`: the server and its command line.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use app::domain::Role;
use server::services::{Caller, NewUserInput, Services};
use server::{demo, storage, web};

#[derive(Parser)]
#[command(
    name = "creditdesk",
    version,
    about = "Customer credit notes for accounts receivable"
)]
struct Cli {
    /// `sqlite:PATH` or `postgres://…`; defaults to the SQLite file creditdesk.db here.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite:creditdesk.db",
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
    /// Mark the session cookie `Secure` (set when users reach the site over HTTPS).
    #[arg(
        long,
        env = "CREDITDESK_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    secure_cookies: bool,
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
    Demo,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user who can sign in to the web app and ask for API tokens.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// administrator, credit_manager, sales_manager, sales, viewer or customer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The customer a `customer` (portal) user belongs to.
        #[arg(long)]
        customer_id: Option<i64>,
    },
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name).ok_or_else(|| {
        let roles: Vec<_> = Role::ALL.iter().map(|role| role.as_str()).collect();
        format!("unknown role `{name}`; use one of {}", roles.join(", "))
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = Cli::parse();
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
    let services = Services::new(storage.clone());
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("The {} database is up to date.", storage.backend());
            Ok(())
        }
        Command::Demo => demo::load(&services)
            .await
            .map(|summary| println!("{summary}"))
            .map_err(|error| format!("cannot load the demo data: {error}")),
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    password,
                    role,
                    customer_id,
                },
        } => services
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
        Command::Serve => {
            let cookies = web::CookiePolicy {
                secure: cli.secure_cookies,
            };
            serve(services, cli.site_addr, cookies).await
        }
    };
    storage.close().await;
    outcome
}

async fn serve(
    services: Services,
    addr: SocketAddr,
    cookies: web::CookiePolicy,
) -> Result<(), String> {
    let shutdown = shutdown_signal()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    let app = web::router(services, web::leptos_options(addr), cookies);
    tracing::info!("creditdesk listening on http://{addr}");
    // Peer addresses feed the per-address login rate limit.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|error| format!("the server stopped: {error}"))
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
