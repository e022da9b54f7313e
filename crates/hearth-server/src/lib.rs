//! Hearth's sync server: households and their devices over HTTP, and
//! document sync over WebSocket in the automerge-repo protocol.
//!
//! - `api`: households, invites, pairing, devices (`/v1/...`), health and
//!   metrics. Errors are JSON `{code, message}`.
//! - `hub`: the documents held in memory, who is subscribed to them, and
//!   the path every received change takes: checked (child devices), applied,
//!   stored durably, then pushed to every connected device of the household.
//! - `conn`: one WebSocket connection, authenticated at the upgrade.
//! - `storage`: SQLite or PostgreSQL behind one trait.

use std::sync::Arc;

use tokio::sync::watch;

pub mod api;
pub mod backup;
pub mod config;
pub mod conn;
pub mod hub;
pub mod metrics;
pub mod storage;

pub use config::Config;

/// Everything a request handler needs.
pub struct Server {
    pub config: Config,
    pub storage: Arc<dyn storage::Storage>,
    pub metrics: Arc<metrics::Metrics>,
    pub hub: Arc<hub::Hub>,
    pub pair_limiter: api::RateLimiter,
    /// Flips to true when the server is shutting down.
    pub shutdown: watch::Receiver<bool>,
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Connects to the configured database and applies migrations.
pub async fn open_storage(config: &Config) -> anyhow::Result<Arc<dyn storage::Storage>> {
    let storage = storage::connect(&config.database.0, config.db_pool_size).await?;
    storage.migrate().await?;
    Ok(storage)
}

/// Serves until `shutdown` flips, then closes every connection.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let storage = open_storage(&config).await?;
    let metrics = Arc::new(metrics::Metrics::new());
    let hub = hub::Hub::new(storage.clone(), metrics.clone(), config.clone());
    hub.clone().start_background().await?;
    let server = Arc::new(Server {
        pair_limiter: api::RateLimiter::new(config.pair_per_minute),
        config,
        storage,
        metrics,
        hub,
        shutdown: shutdown.clone(),
    });
    let app = api::router(server.clone());
    let mut stop = shutdown.clone();
    tracing::info!(
        listen = %listener.local_addr()?,
        backend = server.storage.backend(),
        "hearth-server ready"
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let _ = stop.wait_for(|s| *s).await;
    })
    .await?;
    // Connections see the same flag and close; give them a moment.
    server
        .hub
        .wait_for_connections(std::time::Duration::from_secs(5))
        .await;
    tracing::info!("hearth-server stopped");
    Ok(())
}
