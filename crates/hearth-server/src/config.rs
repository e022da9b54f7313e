//! Configuration, layered: built-in defaults, then a TOML file, then
//! `HEARTH_*` environment variables, then command-line flags. Secrets never
//! appear in Debug output or logs.

use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;

/// A value that must not be printed.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// `sqlite://PATH` or `postgres://…` (secret: it may carry a password).
    pub database: Secret,
    /// Database connections per instance.
    pub db_pool_size: u32,
    /// Largest WebSocket frame or HTTP body accepted, in bytes.
    pub max_frame_bytes: usize,
    /// If set, creating a household needs this secret.
    pub registration_secret: Option<Secret>,
    /// Pairing attempts allowed per client address per minute.
    pub pair_per_minute: u32,
    /// Proxies in front of the server that append the client's address to
    /// `X-Forwarded-For` (0: none; the TCP peer is the client).
    pub forwarded_hops: u32,
    /// Invite lifetime in seconds.
    pub invite_ttl_secs: i64,
    /// Change chunks a document collects before the server compacts it.
    pub compact_after: usize,
    /// Seconds an unused document stays in memory.
    pub doc_idle_secs: u64,
    /// `text` or `json`.
    pub log_format: String,
    /// A tracing filter, e.g. `info` or `hearth_server=debug`.
    pub log_level: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            database: Secret("sqlite://hearth-server.sqlite3".into()),
            db_pool_size: 8,
            max_frame_bytes: 16 * 1024 * 1024,
            registration_secret: None,
            pair_per_minute: 10,
            forwarded_hops: 0,
            invite_ttl_secs: 15 * 60,
            compact_after: 128,
            doc_idle_secs: 300,
            log_format: "text".into(),
            log_level: "info".into(),
        }
    }
}

/// Environment variables, each overriding the setting of the same name.
pub const ENV_VARS: &[(&str, &str)] = &[
    ("HEARTH_LISTEN", "listen"),
    ("HEARTH_DATABASE_URL", "database"),
    ("HEARTH_DB_POOL_SIZE", "db_pool_size"),
    ("HEARTH_MAX_FRAME_BYTES", "max_frame_bytes"),
    ("HEARTH_REGISTRATION_SECRET", "registration_secret"),
    ("HEARTH_PAIR_PER_MINUTE", "pair_per_minute"),
    ("HEARTH_FORWARDED_HOPS", "forwarded_hops"),
    ("HEARTH_INVITE_TTL_SECS", "invite_ttl_secs"),
    ("HEARTH_COMPACT_AFTER", "compact_after"),
    ("HEARTH_DOC_IDLE_SECS", "doc_idle_secs"),
    ("HEARTH_LOG_FORMAT", "log_format"),
    ("HEARTH_LOG_LEVEL", "log_level"),
];

impl Config {
    /// Defaults, then `file`, then the environment.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Config> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                text.parse::<toml::Table>()
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
            }
            None => toml::Table::new(),
        };
        for (var, key) in ENV_VARS {
            if let Some(value) = env(var) {
                let parsed = match Config::default_value(key) {
                    Some(toml::Value::Integer(_)) => value
                        .parse::<i64>()
                        .map(toml::Value::Integer)
                        .map_err(|_| anyhow::anyhow!("{var}: expected a whole number"))?,
                    _ => toml::Value::String(value),
                };
                table.insert((*key).to_owned(), parsed);
            }
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
        config.check()?;
        Ok(config)
    }

    fn default_value(key: &str) -> Option<toml::Value> {
        #[derive(serde::Serialize)]
        struct Shape {
            db_pool_size: u32,
            max_frame_bytes: usize,
            pair_per_minute: u32,
            forwarded_hops: u32,
            invite_ttl_secs: i64,
            compact_after: usize,
            doc_idle_secs: u64,
        }
        let d = Config::default();
        let shape = toml::Value::try_from(Shape {
            db_pool_size: d.db_pool_size,
            max_frame_bytes: d.max_frame_bytes,
            pair_per_minute: d.pair_per_minute,
            forwarded_hops: d.forwarded_hops,
            invite_ttl_secs: d.invite_ttl_secs,
            compact_after: d.compact_after,
            doc_idle_secs: d.doc_idle_secs,
        })
        .ok()?;
        shape.get(key).cloned()
    }

    pub fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.log_format == "text" || self.log_format == "json",
            "log_format must be 'text' or 'json'"
        );
        anyhow::ensure!(
            self.max_frame_bytes >= 1024,
            "max_frame_bytes must be at least 1024"
        );
        anyhow::ensure!(self.db_pool_size >= 1, "db_pool_size must be at least 1");
        anyhow::ensure!(self.invite_ttl_secs > 0, "invite_ttl_secs must be positive");
        anyhow::ensure!(self.compact_after >= 2, "compact_after must be at least 2");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order_and_secrets_stay_hidden() {
        let dir = std::env::temp_dir().join(format!("hearth-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("server.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\ndatabase = \"postgres://u:hunter2@db/hearth\"\npair_per_minute = 3\n",
        )
        .unwrap();
        let env = |k: &str| (k == "HEARTH_PAIR_PER_MINUTE").then(|| "7".to_owned());
        let c = Config::load(Some(&file), env).unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.pair_per_minute, 7);
        assert_eq!(c.compact_after, Config::default().compact_after);
        let printed = format!("{c:?}");
        assert!(!printed.contains("hunter2"), "{printed}");

        std::fs::write(&file, "lissen = 1\n").unwrap();
        assert!(Config::load(Some(&file), |_| None).is_err());
        let bad_env = |k: &str| (k == "HEARTH_DB_POOL_SIZE").then(|| "many".to_owned());
        assert!(Config::load(None, bad_env).is_err());
    }
}
