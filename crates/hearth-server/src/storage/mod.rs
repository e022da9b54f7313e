//! Where the server keeps households, devices, invites and document chunks:
//! one trait, with SQLite (embedded default) and PostgreSQL (hosted, several
//! instances) implementations.

use async_trait::async_trait;
use tokio::sync::mpsc;

pub mod postgres;
pub mod sqlite;

pub type Result<T, E = sqlx::Error> = std::result::Result<T, E>;

/// Which kind of storage a database URL names.
pub async fn connect(url: &str, pool_size: u32) -> anyhow::Result<std::sync::Arc<dyn Storage>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(std::sync::Arc::new(
            postgres::Postgres::connect(url, pool_size).await?,
        ))
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(std::sync::Arc::new(
            sqlite::Sqlite::open(path, pool_size).await?,
        ))
    } else {
        anyhow::bail!("unsupported database URL (use sqlite://PATH or postgres://...)")
    }
}

/// A device as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub id: String,
    pub household_id: String,
    pub name: String,
    pub role: String,
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A device to add, with the hash of its token.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub id: String,
    pub household_id: String,
    pub name: String,
    pub role: String,
    pub token_hash: Vec<u8>,
    pub created_at: i64,
}

/// An invite to add.
#[derive(Debug, Clone)]
pub struct NewInvite {
    pub code_hash: Vec<u8>,
    pub household_id: String,
    pub role: String,
    pub created_by: String,
    pub expires_at: i64,
}

/// One stored chunk of a document.
#[derive(Debug, Clone)]
pub struct ChunkRow {
    pub seq: i64,
    pub data: Vec<u8>,
}

/// Pool gauges for /metrics.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

#[async_trait]
pub trait Storage: Send + Sync + 'static {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
    async fn migrate(&self) -> anyhow::Result<()>;
    async fn ping(&self) -> Result<()>;
    fn pool_stats(&self) -> PoolStats;

    /// Creates the household with its first (parent) device; false if the
    /// household exists already.
    async fn create_household(&self, id: &str, name: &str, device: &NewDevice) -> Result<bool>;
    async fn device_by_token(&self, token_hash: &[u8]) -> Result<Option<DeviceRow>>;
    async fn devices(&self, household_id: &str) -> Result<Vec<DeviceRow>>;
    /// Marks the device revoked; false if there is no such device.
    async fn revoke_device(&self, household_id: &str, device_id: &str, now: i64) -> Result<bool>;
    async fn touch_device(&self, device_id: &str, now: i64) -> Result<()>;

    async fn create_invite(&self, invite: &NewInvite) -> Result<()>;
    /// Uses an unexpired, unused invite and adds the device it admits, in
    /// one transaction. None if the code is unknown, used or expired.
    async fn redeem_invite(
        &self,
        code_hash: &[u8],
        now: i64,
        device: &mut NewDevice,
    ) -> Result<Option<()>>;

    /// Stores a chunk (idempotent) and tells other instances. Returns its
    /// seq, or None if it was there already.
    async fn put_chunk(
        &self,
        household_id: &str,
        doc_id: &str,
        data: &[u8],
        kind: &str,
    ) -> Result<Option<i64>>;
    /// The document's chunks with seq > `after`, in seq order.
    async fn chunks(&self, household_id: &str, doc_id: &str, after: i64) -> Result<Vec<ChunkRow>>;
    /// Inserts `snapshot`, then deletes the chunks it replaces, in one
    /// transaction. Returns the snapshot's seq.
    async fn compact(
        &self,
        household_id: &str,
        doc_id: &str,
        snapshot: &[u8],
        replaces: &[i64],
    ) -> Result<i64>;

    /// Tells every instance that a device was revoked (so each closes its
    /// sockets); a no-op with one instance.
    async fn announce_revoked(&self, device_id: &str) -> Result<()>;

    /// Keys (`household/doc`) of documents other instances changed, and
    /// `revoke:DEVICE` for revoked devices; None when there are no other
    /// instances (SQLite).
    async fn listen(&self) -> anyhow::Result<Option<mpsc::Receiver<String>>>;
}

/// The content address of a chunk.
pub fn chunk_hash(data: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(data).to_vec()
}
