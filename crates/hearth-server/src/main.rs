//! `hearth-server`: serve, or apply migrations.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use hearth_server::Config;

/// Many small, short-lived allocations (sync messages, changes): mimalloc
/// keeps them cheap and returns memory to the system.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "hearth-server", version, about = "Hearth's sync server")]
struct Cli {
    /// A TOML configuration file (settings: see docs/operations.md).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://... (env HEARTH_DATABASE_URL).
    #[arg(long, global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Applies migrations, then serves until SIGTERM or Ctrl-C.
    Serve {
        /// Address to listen on (default 127.0.0.1:8787; env HEARTH_LISTEN).
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
    /// Applies the database migrations and exits.
    Migrate,
    /// Writes a consistent backup of the database to FILE (the server may
    /// be running). SQLite: a copy made with VACUUM INTO; PostgreSQL: pg_dump.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replaces the database with a backup. Stop the server first.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Exits 0 if the server on this machine answers /healthz (for a
    /// container's HEALTHCHECK: the image has no shell or curl).
    Health {
        /// Where the server listens (default: the configured address).
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let mut config = match Config::load(cli.config.as_deref(), |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Some(db) = cli.database {
        config.database = hearth_server::config::Secret(db);
    }
    if let Command::Serve {
        listen: Some(listen),
    } = &cli.command
    {
        config.listen = *listen;
    }
    if let Command::Health { listen } = cli.command {
        return health(listen.unwrap_or(config.listen));
    }
    init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Migrate => {
                hearth_server::open_storage(&config).await?;
                tracing::info!("migrations applied");
                Ok(())
            }
            Command::Health { .. } => Ok(()),
            Command::Backup { out } => {
                hearth_server::backup::backup(&config.database.0, &out).await?;
                tracing::info!(file = %out.display(), "backup written");
                Ok(())
            }
            Command::Restore { from } => {
                hearth_server::backup::restore(&config.database.0, &from).await?;
                tracing::info!(file = %from.display(), "database restored");
                Ok(())
            }
            Command::Serve { .. } => {
                let listener = tokio::net::TcpListener::bind(config.listen)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
                let (tx, rx) = tokio::sync::watch::channel(false);
                tokio::spawn(async move {
                    wait_for_signal().await;
                    tracing::info!("shutting down");
                    let _ = tx.send(true);
                });
                hearth_server::serve(config, listener, rx).await
            }
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "hearth-server failed");
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// GET /healthz on loopback (an unspecified listen address means this host).
fn health(mut addr: std::net::SocketAddr) -> std::process::ExitCode {
    use std::io::{Read, Write};
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let timeout = std::time::Duration::from_secs(2);
    let answer = std::net::TcpStream::connect_timeout(&addr, timeout).and_then(|mut s| {
        s.set_read_timeout(Some(timeout))?;
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        Ok(out)
    });
    match answer {
        Ok(text) if text.starts_with("HTTP/1.1 200") => std::process::ExitCode::SUCCESS,
        Ok(text) => {
            eprintln!("unhealthy: {}", text.lines().next().unwrap_or_default());
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("unhealthy: {addr}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
