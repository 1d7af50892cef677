//! `creditdesk`: the server and its command line.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use server::services::Services;
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
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the API (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load demo customers, invoices and credit notes.
    Demo,
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
        Command::Serve => serve(services, cli.site_addr).await,
    };
    storage.close().await;
    outcome
}

async fn serve(services: Services, addr: SocketAddr) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    let app = web::router(services, web::leptos_options(addr));
    tracing::info!("creditdesk listening on http://{addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|error| format!("the server stopped: {error}"))
}

/// Resolves on SIGINT or SIGTERM; in-flight requests then finish before the process exits.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
