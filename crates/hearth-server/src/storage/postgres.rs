//! PostgreSQL storage for hosted operation. Several server instances share
//! one database: writers of a document serialize on an advisory lock (so its
//! chunks commit in seq order), and every stored chunk sends a NOTIFY on
//! `hearth_docs` carrying only the key `household/doc`, which wakes the
//! other instances to read it.

use async_trait::async_trait;
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::{PgPool, Row};
use tokio::sync::mpsc;

use super::{ChunkRow, DeviceRow, NewDevice, NewInvite, PoolStats, Result, Storage, chunk_hash};

pub struct Postgres {
    pool: PgPool,
    url: String,
    max: u32,
}

/// The channel instances wake each other on.
const CHANNEL: &str = "hearth_docs";

impl Postgres {
    pub async fn connect(url: &str, pool_size: u32) -> anyhow::Result<Postgres> {
        let pool = PgPoolOptions::new()
            .max_connections(pool_size.max(2))
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(Postgres {
            pool,
            url: url.to_owned(),
            max: pool_size.max(2),
        })
    }
}

/// Serializes writers of one document until the transaction ends.
async fn lock_doc(tx: &mut sqlx::PgConnection, household_id: &str, doc_id: &str) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("{household_id}/{doc_id}"))
        .execute(tx)
        .await
        .map(|_| ())
}

fn device(r: &sqlx::postgres::PgRow) -> DeviceRow {
    DeviceRow {
        id: r.get("id"),
        household_id: r.get("household_id"),
        name: r.get("name"),
        role: r.get("role"),
        created_at: r.get("created_at"),
        last_seen_at: r.get("last_seen_at"),
        revoked_at: r.get("revoked_at"),
    }
}

async fn insert_device(
    tx: &mut sqlx::PgConnection,
    d: &NewDevice,
) -> Result<sqlx::postgres::PgQueryResult> {
    sqlx::query(
        "INSERT INTO devices (id, household_id, name, role, token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&d.id)
    .bind(&d.household_id)
    .bind(&d.name)
    .bind(&d.role)
    .bind(&d.token_hash)
    .bind(d.created_at)
    .execute(tx)
    .await
}

#[async_trait]
impl Storage for Postgres {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("../../migrations/server-postgres")
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    fn pool_stats(&self) -> PoolStats {
        PoolStats {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.max,
        }
    }

    async fn create_household(&self, id: &str, name: &str, device: &NewDevice) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let created = sqlx::query(
            "INSERT INTO households (id, name, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(name)
        .bind(device.created_at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !created {
            return Ok(false);
        }
        insert_device(&mut tx, device).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn device_by_token(&self, token_hash: &[u8]) -> Result<Option<DeviceRow>> {
        let row = sqlx::query(
            "SELECT id, household_id, name, role, created_at, last_seen_at, revoked_at FROM devices WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(device))
    }

    async fn devices(&self, household_id: &str) -> Result<Vec<DeviceRow>> {
        let rows = sqlx::query(
            "SELECT id, household_id, name, role, created_at, last_seen_at, revoked_at FROM devices WHERE household_id = $1 ORDER BY created_at, id",
        )
        .bind(household_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(device).collect())
    }

    async fn revoke_device(&self, household_id: &str, device_id: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, $1)
             WHERE household_id = $2 AND id = $3",
        )
        .bind(now)
        .bind(household_id)
        .bind(device_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn touch_device(&self, device_id: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(device_id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    async fn create_invite(&self, i: &NewInvite) -> Result<()> {
        sqlx::query(
            "INSERT INTO invites (code_hash, household_id, role, created_by, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&i.code_hash)
        .bind(&i.household_id)
        .bind(&i.role)
        .bind(&i.created_by)
        .bind(i.expires_at)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    async fn redeem_invite(
        &self,
        code_hash: &[u8],
        now: i64,
        device: &mut NewDevice,
    ) -> Result<Option<()>> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE invites SET used_at = $1, used_by = $2
             WHERE code_hash = $3 AND used_at IS NULL AND expires_at > $4
             RETURNING household_id, role",
        )
        .bind(now)
        .bind(&device.id)
        .bind(code_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        device.household_id = row.get("household_id");
        device.role = row.get("role");
        insert_device(&mut tx, device).await?;
        tx.commit().await?;
        Ok(Some(()))
    }

    async fn put_chunk(
        &self,
        household_id: &str,
        doc_id: &str,
        data: &[u8],
        kind: &str,
    ) -> Result<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        lock_doc(&mut tx, household_id, doc_id).await?;
        let row = sqlx::query(
            "INSERT INTO chunks (household_id, doc_id, hash, kind, data) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (household_id, doc_id, hash) DO NOTHING RETURNING seq",
        )
        .bind(household_id)
        .bind(doc_id)
        .bind(chunk_hash(data))
        .bind(kind)
        .bind(data)
        .fetch_optional(&mut *tx)
        .await?;
        if row.is_some() {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(format!("{household_id}/{doc_id}"))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(row.map(|r| r.get("seq")))
    }

    async fn chunks(&self, household_id: &str, doc_id: &str, after: i64) -> Result<Vec<ChunkRow>> {
        let rows = sqlx::query(
            "SELECT seq, data FROM chunks WHERE household_id = $1 AND doc_id = $2 AND seq > $3
             ORDER BY seq",
        )
        .bind(household_id)
        .bind(doc_id)
        .bind(after)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ChunkRow {
                seq: r.get("seq"),
                data: r.get("data"),
            })
            .collect())
    }

    async fn compact(
        &self,
        household_id: &str,
        doc_id: &str,
        snapshot: &[u8],
        replaces: &[i64],
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        lock_doc(&mut tx, household_id, doc_id).await?;
        let hash = chunk_hash(snapshot);
        sqlx::query(
            "INSERT INTO chunks (household_id, doc_id, hash, kind, data)
             VALUES ($1, $2, $3, 'snapshot', $4)
             ON CONFLICT (household_id, doc_id, hash) DO NOTHING",
        )
        .bind(household_id)
        .bind(doc_id)
        .bind(&hash)
        .bind(snapshot)
        .execute(&mut *tx)
        .await?;
        let seq: i64 = sqlx::query_scalar(
            "SELECT seq FROM chunks WHERE household_id = $1 AND doc_id = $2 AND hash = $3",
        )
        .bind(household_id)
        .bind(doc_id)
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await?;
        for s in replaces.iter().filter(|&&s| s != seq) {
            sqlx::query("DELETE FROM chunks WHERE seq = $1")
                .bind(s)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(seq)
    }

    async fn announce_revoked(&self, device_id: &str) -> Result<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(format!("revoke:{device_id}"))
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    async fn listen(&self) -> anyhow::Result<Option<mpsc::Receiver<String>>> {
        let mut listener = PgListener::connect(&self.url).await?;
        listener.listen(CHANNEL).await?;
        let (tx, rx) = mpsc::channel(4096);
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => {
                        if tx.send(n.payload().to_owned()).await.is_err() {
                            return;
                        }
                    }
                    // The connection was lost and is re-established: what
                    // was notified meanwhile is unknown, so say so.
                    Ok(None) => {
                        tracing::warn!("LISTEN connection lost; re-listening");
                        if tx.send(String::new()).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "LISTEN failed; retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(Some(rx))
    }
}
