//! SQLite storage: one file, created on first start, WAL, durable commits.

use std::str::FromStr;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::{ChunkRow, DeviceRow, NewDevice, NewInvite, PoolStats, Result, Storage, chunk_hash};

pub struct Sqlite {
    pool: SqlitePool,
    max: u32,
    writes: mpsc::UnboundedSender<Write>,
}

/// A chunk waiting for the group commit.
struct Write {
    household_id: String,
    doc_id: String,
    data: Vec<u8>,
    kind: &'static str,
    done: oneshot::Sender<Result<Option<i64>, String>>,
}

/// Chunks stored in one transaction at most.
const GROUP_MAX: usize = 256;

/// Group commit: SQLite has one writer and each durable commit waits for
/// the disk, so chunks that arrive while a commit is under way are stored
/// together in the next transaction. One chunk alone commits at once.
async fn writer(pool: SqlitePool, mut rx: mpsc::UnboundedReceiver<Write>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < GROUP_MAX {
            match rx.try_recv() {
                Ok(w) => batch.push(w),
                Err(_) => break,
            }
        }
        let result = store_batch(&pool, &batch).await;
        match result {
            Ok(seqs) => {
                for (w, seq) in batch.into_iter().zip(seqs) {
                    let _ = w.done.send(Ok(seq));
                }
            }
            Err(e) => {
                let msg = e.to_string();
                for w in batch {
                    let _ = w.done.send(Err(msg.clone()));
                }
            }
        }
    }
}

async fn store_batch(pool: &SqlitePool, batch: &[Write]) -> Result<Vec<Option<i64>>> {
    let mut tx = pool.begin().await?;
    let mut seqs = Vec::with_capacity(batch.len());
    for w in batch {
        let row = sqlx::query(
            "INSERT INTO chunks (household_id, doc_id, hash, kind, data) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (household_id, doc_id, hash) DO NOTHING RETURNING seq",
        )
        .bind(&w.household_id)
        .bind(&w.doc_id)
        .bind(chunk_hash(&w.data))
        .bind(w.kind)
        .bind(&w.data)
        .fetch_optional(&mut *tx)
        .await?;
        seqs.push(row.map(|r| r.get("seq")));
    }
    tx.commit().await?;
    Ok(seqs)
}

impl Sqlite {
    pub async fn open(path: &str, pool_size: u32) -> anyhow::Result<Sqlite> {
        if let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(pool_size.max(1))
            .connect_with(options)
            .await?;
        let (writes, rx) = mpsc::unbounded_channel();
        tokio::spawn(writer(pool.clone(), rx));
        Ok(Sqlite {
            pool,
            max: pool_size.max(1),
            writes,
        })
    }
}

fn device(r: &sqlx::sqlite::SqliteRow) -> DeviceRow {
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
    tx: &mut sqlx::SqliteConnection,
    d: &NewDevice,
) -> Result<sqlx::sqlite::SqliteQueryResult> {
    sqlx::query(
        "INSERT INTO devices (id, household_id, name, role, token_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
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
impl Storage for Sqlite {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("../../migrations/server-sqlite")
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
            "INSERT INTO households (id, name, created_at) VALUES (?, ?, ?)
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
            "SELECT id, household_id, name, role, created_at, last_seen_at, revoked_at FROM devices WHERE token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(device))
    }

    async fn devices(&self, household_id: &str) -> Result<Vec<DeviceRow>> {
        let rows = sqlx::query(
            "SELECT id, household_id, name, role, created_at, last_seen_at, revoked_at FROM devices WHERE household_id = ? ORDER BY created_at, id",
        )
        .bind(household_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(device).collect())
    }

    async fn revoke_device(&self, household_id: &str, device_id: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?)
             WHERE household_id = ? AND id = ?",
        )
        .bind(now)
        .bind(household_id)
        .bind(device_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn touch_device(&self, device_id: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE devices SET last_seen_at = ? WHERE id = ?")
            .bind(now)
            .bind(device_id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    async fn create_invite(&self, i: &NewInvite) -> Result<()> {
        sqlx::query(
            "INSERT INTO invites (code_hash, household_id, role, created_by, expires_at)
             VALUES (?, ?, ?, ?, ?)",
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
            "UPDATE invites SET used_at = ?, used_by = ?
             WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
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
        let (done, result) = oneshot::channel();
        let kind = if kind == "snapshot" {
            "snapshot"
        } else {
            "incremental"
        };
        self.writes
            .send(Write {
                household_id: household_id.to_owned(),
                doc_id: doc_id.to_owned(),
                data: data.to_vec(),
                kind,
                done,
            })
            .map_err(|_| sqlx::Error::PoolClosed)?;
        match result.await {
            Ok(Ok(seq)) => Ok(seq),
            Ok(Err(msg)) => Err(sqlx::Error::Protocol(msg)),
            Err(_) => Err(sqlx::Error::PoolClosed),
        }
    }

    async fn chunks(&self, household_id: &str, doc_id: &str, after: i64) -> Result<Vec<ChunkRow>> {
        let rows = sqlx::query(
            "SELECT seq, data FROM chunks WHERE household_id = ? AND doc_id = ? AND seq > ?
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
        let hash = chunk_hash(snapshot);
        sqlx::query(
            "INSERT INTO chunks (household_id, doc_id, hash, kind, data)
             VALUES (?, ?, ?, 'snapshot', ?)
             ON CONFLICT (household_id, doc_id, hash) DO NOTHING",
        )
        .bind(household_id)
        .bind(doc_id)
        .bind(&hash)
        .bind(snapshot)
        .execute(&mut *tx)
        .await?;
        let seq: i64 = sqlx::query_scalar(
            "SELECT seq FROM chunks WHERE household_id = ? AND doc_id = ? AND hash = ?",
        )
        .bind(household_id)
        .bind(doc_id)
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await?;
        for s in replaces.iter().filter(|&&s| s != seq) {
            sqlx::query("DELETE FROM chunks WHERE seq = ?")
                .bind(s)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(seq)
    }

    async fn announce_revoked(&self, _device_id: &str) -> Result<()> {
        Ok(())
    }

    async fn listen(&self) -> anyhow::Result<Option<mpsc::Receiver<String>>> {
        Ok(None)
    }
}
