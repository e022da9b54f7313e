//! Prometheus metrics, served at `/metrics`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DirectionLabels {
    pub direction: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabels {
    pub reason: String,
}

pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<HttpLabels, Counter>,
    pub http_latency: Family<RouteLabels, Histogram>,
    pub connected_devices: Gauge,
    pub sync_messages: Family<DirectionLabels, Counter>,
    pub sync_bytes: Family<DirectionLabels, Counter>,
    pub sync_latency: Histogram,
    pub docs_loaded: Gauge,
    pub doc_loads: Counter,
    pub doc_bytes: Histogram,
    pub compactions: Counter,
    pub refused: Family<ReasonLabels, Counter>,
    pub db_pool_size: Gauge,
    pub db_pool_idle: Gauge,
    pub db_pool_max: Gauge,
}

fn latency_histogram() -> Histogram {
    // 50 µs .. ~26 s
    Histogram::new(exponential_buckets(0.000_05, 2.0, 20))
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("hearth");
        let http_requests = Family::<HttpLabels, Counter>::default();
        let http_latency =
            Family::<RouteLabels, Histogram>::new_with_constructor(latency_histogram as fn() -> _);
        let connected_devices = Gauge::default();
        let sync_messages = Family::<DirectionLabels, Counter>::default();
        let sync_bytes = Family::<DirectionLabels, Counter>::default();
        let sync_latency = latency_histogram();
        let docs_loaded = Gauge::default();
        let doc_loads = Counter::default();
        let doc_bytes = Histogram::new(exponential_buckets(256.0, 4.0, 12));
        let compactions = Counter::default();
        let refused = Family::<ReasonLabels, Counter>::default();
        let db_pool_size = Gauge::default();
        let db_pool_idle = Gauge::default();
        let db_pool_max = Gauge::default();
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            http_requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            http_latency.clone(),
        );
        registry.register(
            "connected_devices",
            "Devices connected over WebSocket to this instance",
            connected_devices.clone(),
        );
        registry.register(
            "sync_messages",
            "Sync protocol messages by direction (in, out)",
            sync_messages.clone(),
        );
        registry.register(
            "sync_bytes",
            "Sync protocol bytes by direction (in, out)",
            sync_bytes.clone(),
        );
        registry.register(
            "sync_apply_duration_seconds",
            "Time from receiving a sync message to its changes being durable",
            sync_latency.clone(),
        );
        registry.register(
            "documents_loaded",
            "Documents held in memory",
            docs_loaded.clone(),
        );
        registry.register(
            "document_loads",
            "Documents loaded from the database",
            doc_loads.clone(),
        );
        registry.register(
            "document_size_bytes",
            "Size of documents when loaded or compacted",
            doc_bytes.clone(),
        );
        registry.register(
            "compactions",
            "Documents compacted into a new snapshot",
            compactions.clone(),
        );
        registry.register(
            "refused_messages",
            "Messages refused, by reason",
            refused.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            db_pool_size.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            db_pool_idle.clone(),
        );
        registry.register(
            "db_pool_max_connections",
            "Most database connections the pool opens",
            db_pool_max.clone(),
        );
        // Every reason exists from the start, at 0, so that rates and
        // alerts on refusals see a series before the first one.
        for reason in [
            "too_big",
            "malformed",
            "garbage",
            "unknown_document",
            "role",
        ] {
            let _ = refused.get_or_create(&ReasonLabels {
                reason: reason.to_owned(),
            });
        }
        for direction in ["in", "out"] {
            let labels = DirectionLabels {
                direction: direction.to_owned(),
            };
            let _ = sync_messages.get_or_create(&labels);
            let _ = sync_bytes.get_or_create(&labels);
        }
        Metrics {
            registry,
            http_requests,
            http_latency,
            connected_devices,
            sync_messages,
            sync_bytes,
            sync_latency,
            docs_loaded,
            doc_loads,
            doc_bytes,
            compactions,
            refused,
            db_pool_size,
            db_pool_idle,
            db_pool_max,
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    pub fn message(&self, direction: &str, bytes: usize) {
        let labels = DirectionLabels {
            direction: direction.to_owned(),
        };
        self.sync_messages.get_or_create(&labels).inc();
        self.sync_bytes
            .get_or_create(&labels)
            .inc_by(u64::try_from(bytes).unwrap_or(u64::MAX));
    }

    pub fn refuse(&self, reason: &str) {
        self.refused
            .get_or_create(&ReasonLabels {
                reason: reason.to_owned(),
            })
            .inc();
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
