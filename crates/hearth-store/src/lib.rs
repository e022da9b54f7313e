//! Hearth's local SQLite store.
//!
//! It keeps bytes and rows, nothing more: each Automerge document as a
//! snapshot plus incremental change chunks (content-addressed, so storing a
//! chunk twice is a no-op), the projection tables that views read, and the
//! per-period derivation cache. It knows nothing of Automerge or of the
//! household rules; `hearth-app` decides what goes in.
//!
//! Durability: the database runs in WAL mode with `synchronous = FULL`, and a
//! [`Tx`] returns from `commit` only once SQLite has made it durable. Writers
//! take the write lock first (`BEGIN IMMEDIATE`) so that several processes on
//! one data dir never interleave a read-modify-write.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Row, SqliteConnection};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("corrupt store: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/local");

/// This device's identity in the store.
#[derive(Debug, Clone)]
pub struct Identity {
    /// 16 random bytes: the Automerge actor of every change made here.
    pub actor: Vec<u8>,
    /// A short id shown to people and written into ledger entries.
    pub device_id: String,
}

/// A stored chunk of a document.
#[derive(Debug, Clone)]
pub struct Chunk {
    pub seq: i64,
    pub data: Vec<u8>,
}

/// A stored document.
#[derive(Debug, Clone)]
pub struct DocRow {
    pub doc_id: String,
    pub kind: String,
    pub period: Option<String>,
}

/// Storage used by one document.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocSize {
    pub chunks: i64,
    pub bytes: i64,
    pub incremental_chunks: i64,
}

/// A member's balance row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRow {
    pub member_id: String,
    pub spendable: i64,
    pub earned: i64,
    pub spent: i64,
    pub deducted: i64,
}

/// A ledger entry row (history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub kind: String,
    pub entry: String,
    pub member_id: String,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    pub status: String,
    pub points: i64,
    /// JSON with the rest (titles, who reviewed, reasons...).
    pub detail: String,
}

/// Points per member per ISO week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekRow {
    pub week: String,
    pub member_id: String,
    pub points: i64,
}

/// The local store: one SQLite database file.
pub struct Store {
    conn: SqliteConnection,
}

/// Identifies a database file, so that a copy is told apart from the
/// original (different inode, or a different path where inodes are unknown).
fn file_identity(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(meta) = std::fs::metadata(path) {
            return format!("{}:{}", meta.dev(), meta.ino());
        }
    }
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub async fn open(path: &Path) -> Result<Store> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let mut conn = SqliteConnection::connect_with(&options).await?;
        MIGRATOR.run(&mut conn).await?;
        Ok(Store { conn })
    }

    /// This device's actor and id. `random` supplies 16 fresh random bytes
    /// when a new actor is needed: on first use, and when the database file
    /// is not the one the actor was minted for (a copied data dir must not
    /// write changes under the original's actor).
    pub async fn identity(
        &mut self,
        path: &Path,
        now_ms: i64,
        random: impl FnOnce() -> [u8; 16],
    ) -> Result<Identity> {
        let file_id = file_identity(path);
        let mut tx = self.conn.begin_with("BEGIN IMMEDIATE").await?;
        let row = sqlx::query("SELECT actor, device_id, file_id FROM device WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = &row
            && row.get::<String, _>("file_id") == file_id
        {
            let identity = Identity {
                actor: row.get("actor"),
                device_id: row.get("device_id"),
            };
            tx.commit().await?;
            return Ok(identity);
        }
        let actor = random().to_vec();
        let device_id = short_id(&actor);
        sqlx::query(
            "INSERT INTO device (id, actor, device_id, file_id, created_at) VALUES (1, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET actor = excluded.actor, device_id = excluded.device_id,
                 file_id = excluded.file_id, created_at = excluded.created_at",
        )
        .bind(&actor)
        .bind(&device_id)
        .bind(&file_id)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Identity { actor, device_id })
    }

    pub async fn meta(&mut self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&mut self.conn)
            .await?)
    }

    /// The newest chunk's seq: when it has not moved, nothing was written.
    pub async fn max_seq(&mut self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM chunks")
                .fetch_one(&mut self.conn)
                .await?,
        )
    }

    pub async fn docs(&mut self) -> Result<Vec<DocRow>> {
        let rows = sqlx::query("SELECT doc_id, kind, period FROM docs ORDER BY kind, period")
            .fetch_all(&mut self.conn)
            .await?;
        Ok(rows.into_iter().map(doc_row).collect())
    }

    /// A document's chunks after `after_seq`, in order.
    pub async fn chunks(&mut self, doc_id: &str, after_seq: i64) -> Result<Vec<Chunk>> {
        chunks(&mut self.conn, doc_id, after_seq).await
    }

    /// Every document's persisted sync state.
    pub async fn sync_states(&mut self) -> Result<Vec<(String, Vec<u8>)>> {
        let rows = sqlx::query_as("SELECT doc_id, state FROM sync_state")
            .fetch_all(&mut self.conn)
            .await?;
        Ok(rows)
    }

    pub async fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut self.conn)
            .await?;
        Ok(())
    }

    /// The ids of every notification fact recorded so far.
    pub async fn notices(&mut self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM notices")
            .fetch_all(&mut self.conn)
            .await?)
    }

    /// Storage used by a document.
    pub async fn doc_size(&mut self, doc_id: &str) -> Result<DocSize> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes,
                    COALESCE(SUM(kind = 'incremental'), 0) AS inc
             FROM chunks WHERE doc_id = ?",
        )
        .bind(doc_id)
        .fetch_one(&mut self.conn)
        .await?;
        Ok(DocSize {
            chunks: row.get("n"),
            bytes: row.get("bytes"),
            incremental_chunks: row.get("inc"),
        })
    }

    pub async fn balances(&mut self) -> Result<Vec<BalanceRow>> {
        let rows = sqlx::query(
            "SELECT member_id, spendable, earned, spent, deducted FROM proj_balance ORDER BY member_id",
        )
        .fetch_all(&mut self.conn)
        .await?;
        Ok(rows.into_iter().map(balance_row).collect())
    }

    /// One history row.
    pub async fn entry(&mut self, kind: &str, entry: &str) -> Result<Option<EntryRow>> {
        let row = sqlx::query(
            "SELECT kind, entry, member_id, at, status, points, detail FROM proj_entry
             WHERE kind = ? AND entry = ?",
        )
        .bind(kind)
        .bind(entry)
        .fetch_optional(&mut self.conn)
        .await?;
        Ok(row.map(entry_row))
    }

    /// History, newest first.
    pub async fn entries(&mut self, member: Option<&str>, limit: i64) -> Result<Vec<EntryRow>> {
        let rows = sqlx::query(
            "SELECT kind, entry, member_id, at, status, points, detail FROM proj_entry
             WHERE (?1 IS NULL OR member_id = ?1) ORDER BY at DESC, kind, entry LIMIT ?2",
        )
        .bind(member)
        .bind(limit)
        .fetch_all(&mut self.conn)
        .await?;
        Ok(rows.into_iter().map(entry_row).collect())
    }

    /// Ledger entries of one kind (and status), newest first.
    pub async fn entries_of(&mut self, kind: &str, status: Option<&str>) -> Result<Vec<EntryRow>> {
        let rows = sqlx::query(
            "SELECT kind, entry, member_id, at, status, points, detail FROM proj_entry
             WHERE kind = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY at DESC, entry",
        )
        .bind(kind)
        .bind(status)
        .fetch_all(&mut self.conn)
        .await?;
        Ok(rows.into_iter().map(entry_row).collect())
    }

    /// Today's occurrences as last projected: `(key, detail)`.
    pub async fn today(&mut self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT key, detail FROM proj_today ORDER BY key")
            .fetch_all(&mut self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.get("key"), r.get("detail")))
            .collect())
    }

    pub async fn weeks(&mut self) -> Result<Vec<WeekRow>> {
        let rows =
            sqlx::query("SELECT week, member_id, points FROM proj_week ORDER BY week, member_id")
                .fetch_all(&mut self.conn)
                .await?;
        Ok(rows
            .into_iter()
            .map(|r| WeekRow {
                week: r.get("week"),
                member_id: r.get("member_id"),
                points: r.get("points"),
            })
            .collect())
    }

    /// Cached derivation states: `(period, key, state)`.
    pub async fn period_cache(&mut self) -> Result<Vec<(String, String, String)>> {
        let rows = sqlx::query("SELECT period, key, state FROM period_cache ORDER BY period")
            .fetch_all(&mut self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.get("period"), r.get("key"), r.get("state")))
            .collect())
    }

    /// Starts a write: takes the database's write lock.
    pub async fn begin(&mut self) -> Result<Tx<'_>> {
        Ok(Tx {
            tx: self.conn.begin_with("BEGIN IMMEDIATE").await?,
        })
    }
}

fn balance_row(r: sqlx::sqlite::SqliteRow) -> BalanceRow {
    BalanceRow {
        member_id: r.get("member_id"),
        spendable: r.get("spendable"),
        earned: r.get("earned"),
        spent: r.get("spent"),
        deducted: r.get("deducted"),
    }
}

fn doc_row(r: sqlx::sqlite::SqliteRow) -> DocRow {
    DocRow {
        doc_id: r.get("doc_id"),
        kind: r.get("kind"),
        period: r.get("period"),
    }
}

fn entry_row(r: sqlx::sqlite::SqliteRow) -> EntryRow {
    EntryRow {
        kind: r.get("kind"),
        entry: r.get("entry"),
        member_id: r.get("member_id"),
        at: r.get("at"),
        status: r.get("status"),
        points: r.get("points"),
        detail: r.get("detail"),
    }
}

async fn chunks(conn: &mut SqliteConnection, doc_id: &str, after_seq: i64) -> Result<Vec<Chunk>> {
    let rows =
        sqlx::query("SELECT seq, data FROM chunks WHERE doc_id = ? AND seq > ? ORDER BY seq")
            .bind(doc_id)
            .bind(after_seq)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| Chunk {
            seq: r.get("seq"),
            data: r.get("data"),
        })
        .collect())
}

/// A short, readable id from random bytes (10 characters of base32).
pub fn short_id(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bits: u64 = 0;
    for b in bytes.iter().take(8) {
        bits = (bits << 8) | u64::from(*b);
    }
    (0..10)
        .map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize]))
        .collect()
}

/// A write in progress, holding the database's write lock.
pub struct Tx<'c> {
    tx: sqlx::Transaction<'c, sqlx::Sqlite>,
}

impl Tx<'_> {
    pub async fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn meta(&mut self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    /// The newest chunk's seq: when it has not moved, nothing was written.
    pub async fn max_seq(&mut self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM chunks")
                .fetch_one(&mut *self.tx)
                .await?,
        )
    }

    /// Replaces the persisted sync states of the given documents.
    pub async fn put_sync_states(&mut self, states: &[(String, Vec<u8>)]) -> Result<()> {
        for (doc_id, state) in states {
            sqlx::query("INSERT INTO sync_state (doc_id, state) VALUES (?, ?) ON CONFLICT (doc_id) DO UPDATE SET state = excluded.state")
                .bind(doc_id)
                .bind(state)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    pub async fn delete_meta(&mut self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM meta WHERE key = ?")
            .bind(key)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Records notification facts (`at` in Unix milliseconds); recording one
    /// twice keeps the first.
    pub async fn add_notices(&mut self, ids: &[String], at: i64) -> Result<()> {
        for id in ids {
            sqlx::query("INSERT INTO notices (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
                .bind(id)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Forgets notification facts that no longer hold, so they can be told
    /// again when they next do.
    pub async fn delete_notices(&mut self, ids: &[String]) -> Result<()> {
        for id in ids {
            sqlx::query("DELETE FROM notices WHERE id = ?")
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    pub async fn doc_rows(&mut self) -> Result<Vec<DocRow>> {
        let rows = sqlx::query("SELECT doc_id, kind, period FROM docs ORDER BY kind, period")
            .fetch_all(&mut *self.tx)
            .await?;
        Ok(rows.into_iter().map(doc_row).collect())
    }

    /// Chunks written since `after_seq` (by this process or another).
    pub async fn chunks(&mut self, doc_id: &str, after_seq: i64) -> Result<Vec<Chunk>> {
        chunks(&mut self.tx, doc_id, after_seq).await
    }

    pub async fn ensure_doc(
        &mut self,
        doc_id: &str,
        kind: &str,
        period: Option<&str>,
    ) -> Result<()> {
        sqlx::query("INSERT INTO docs (doc_id, kind, period) VALUES (?, ?, ?) ON CONFLICT (doc_id) DO NOTHING")
            .bind(doc_id)
            .bind(kind)
            .bind(period)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Stores a chunk of changes; storing the same bytes again is a no-op.
    /// Returns the chunk's seq when it was new.
    pub async fn put_chunk(&mut self, doc_id: &str, data: &[u8]) -> Result<Option<i64>> {
        self.insert_chunk(doc_id, "incremental", data).await
    }

    async fn insert_chunk(&mut self, doc_id: &str, kind: &str, data: &[u8]) -> Result<Option<i64>> {
        if data.is_empty() {
            return Ok(None);
        }
        let hash = Sha256::digest(data).to_vec();
        let seq = sqlx::query_scalar(
            "INSERT INTO chunks (doc_id, hash, kind, data) VALUES (?, ?, ?, ?)
             ON CONFLICT (doc_id, hash) DO NOTHING RETURNING seq",
        )
        .bind(doc_id)
        .bind(hash)
        .bind(kind)
        .bind(data)
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(seq)
    }

    /// Replaces every chunk of a document up to `upto_seq` with `snapshot`:
    /// the snapshot is written first, then what it replaces is deleted.
    pub async fn compact(&mut self, doc_id: &str, snapshot: &[u8], upto_seq: i64) -> Result<i64> {
        let seq = match self.insert_chunk(doc_id, "snapshot", snapshot).await? {
            Some(seq) => seq,
            // The same snapshot is stored already: keep it, drop the rest.
            None => {
                sqlx::query_scalar("SELECT seq FROM chunks WHERE doc_id = ? AND hash = ?")
                    .bind(doc_id)
                    .bind(Sha256::digest(snapshot).to_vec())
                    .fetch_one(&mut *self.tx)
                    .await?
            }
        };
        sqlx::query("DELETE FROM chunks WHERE doc_id = ? AND seq <= ? AND seq <> ?")
            .bind(doc_id)
            .bind(upto_seq)
            .bind(seq)
            .execute(&mut *self.tx)
            .await?;
        Ok(seq)
    }

    /// Writes the given balance rows (others stay).
    pub async fn update_balances(&mut self, rows: &[BalanceRow]) -> Result<()> {
        for r in rows {
            sqlx::query(
                "INSERT INTO proj_balance (member_id, spendable, earned, spent, deducted) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (member_id) DO UPDATE SET spendable = excluded.spendable,
                    earned = excluded.earned, spent = excluded.spent, deducted = excluded.deducted",
            )
            .bind(&r.member_id)
            .bind(r.spendable)
            .bind(r.earned)
            .bind(r.spent)
            .bind(r.deducted)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    /// Replaces every balance row.
    pub async fn set_balances(&mut self, rows: &[BalanceRow]) -> Result<()> {
        sqlx::query("DELETE FROM proj_balance")
            .execute(&mut *self.tx)
            .await?;
        self.update_balances(rows).await
    }

    pub async fn upsert_entries(&mut self, rows: &[EntryRow]) -> Result<()> {
        for r in rows {
            sqlx::query(
                "INSERT INTO proj_entry (kind, entry, member_id, at, status, points, detail)
                 VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (kind, entry) DO UPDATE SET member_id = excluded.member_id,
                    at = excluded.at, status = excluded.status, points = excluded.points,
                    detail = excluded.detail",
            )
            .bind(&r.kind)
            .bind(&r.entry)
            .bind(&r.member_id)
            .bind(r.at)
            .bind(&r.status)
            .bind(r.points)
            .bind(&r.detail)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    pub async fn delete_entries(&mut self, keys: &[(String, String)]) -> Result<()> {
        for (kind, entry) in keys {
            sqlx::query("DELETE FROM proj_entry WHERE kind = ? AND entry = ?")
                .bind(kind)
                .bind(entry)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    pub async fn balances(&mut self) -> Result<Vec<BalanceRow>> {
        let rows =
            sqlx::query("SELECT member_id, spendable, earned, spent, deducted FROM proj_balance")
                .fetch_all(&mut *self.tx)
                .await?;
        Ok(rows.into_iter().map(balance_row).collect())
    }

    /// Every history row (to diff against).
    pub async fn all_entries(&mut self) -> Result<Vec<EntryRow>> {
        let rows = sqlx::query(
            "SELECT kind, entry, member_id, at, status, points, detail FROM proj_entry",
        )
        .fetch_all(&mut *self.tx)
        .await?;
        Ok(rows.into_iter().map(entry_row).collect())
    }

    /// Writes the given week rows (others stay) and deletes `gone`.
    pub async fn update_weeks(
        &mut self,
        rows: &[WeekRow],
        gone: &[(String, String)],
    ) -> Result<()> {
        for r in rows {
            sqlx::query(
                "INSERT INTO proj_week (week, member_id, points) VALUES (?, ?, ?)
                 ON CONFLICT (week, member_id) DO UPDATE SET points = excluded.points",
            )
            .bind(&r.week)
            .bind(&r.member_id)
            .bind(r.points)
            .execute(&mut *self.tx)
            .await?;
        }
        for (week, member) in gone {
            sqlx::query("DELETE FROM proj_week WHERE week = ? AND member_id = ?")
                .bind(week)
                .bind(member)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Replaces every week row.
    pub async fn set_weeks(&mut self, rows: &[WeekRow]) -> Result<()> {
        sqlx::query("DELETE FROM proj_week")
            .execute(&mut *self.tx)
            .await?;
        self.update_weeks(rows, &[]).await
    }

    /// Writes the given rows of today's occurrences and deletes `gone`.
    pub async fn update_today(
        &mut self,
        rows: &[(String, String, String)],
        gone: &[String],
    ) -> Result<()> {
        for (key, date, detail) in rows {
            sqlx::query(
                "INSERT INTO proj_today (key, date, detail) VALUES (?, ?, ?)
                 ON CONFLICT (key) DO UPDATE SET date = excluded.date, detail = excluded.detail",
            )
            .bind(key)
            .bind(date)
            .bind(detail)
            .execute(&mut *self.tx)
            .await?;
        }
        for key in gone {
            sqlx::query("DELETE FROM proj_today WHERE key = ?")
                .bind(key)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Replaces today's occurrences: `(key, date, detail)`.
    pub async fn set_today(&mut self, rows: &[(String, String, String)]) -> Result<()> {
        sqlx::query("DELETE FROM proj_today")
            .execute(&mut *self.tx)
            .await?;
        self.update_today(rows, &[]).await
    }

    pub async fn set_period_cache(&mut self, period: &str, key: &str, state: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO period_cache (period, key, state) VALUES (?, ?, ?)
             ON CONFLICT (period) DO UPDATE SET key = excluded.key, state = excluded.state",
        )
        .bind(period)
        .bind(key)
        .bind(state)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Makes the write durable.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_copied_database_gets_a_new_actor() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.sqlite3");
        let mut n = 0u8;
        let mut random = || {
            n += 1;
            [n; 16]
        };
        let first = {
            let mut store = Store::open(&a).await.unwrap();
            store.identity(&a, 0, &mut random).await.unwrap()
        };
        let again = {
            let mut store = Store::open(&a).await.unwrap();
            store.identity(&a, 0, &mut random).await.unwrap()
        };
        assert_eq!(first.actor, again.actor, "reopening keeps the actor");
        assert_eq!(first.device_id, again.device_id);

        let b = dir.path().join("b.sqlite3");
        std::fs::copy(&a, &b).unwrap();
        let copy = {
            let mut store = Store::open(&b).await.unwrap();
            store.identity(&b, 0, &mut random).await.unwrap()
        };
        assert_ne!(
            first.actor, copy.actor,
            "a copy must not write as the original"
        );
        assert_ne!(first.device_id, copy.device_id);
    }

    #[tokio::test]
    async fn chunks_are_content_addressed_and_compaction_keeps_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite3");
        let mut store = Store::open(&path).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.ensure_doc("d", "ledger", Some("2027-03")).await.unwrap();
        let one = tx.put_chunk("d", b"one").await.unwrap();
        assert!(one.is_some());
        assert_eq!(tx.put_chunk("d", b"one").await.unwrap(), None, "idempotent");
        let two = tx.put_chunk("d", b"two").await.unwrap().unwrap();
        tx.commit().await.unwrap();

        let mut tx = store.begin().await.unwrap();
        let snap = tx.compact("d", b"snapshot", two).await.unwrap();
        let three = tx.put_chunk("d", b"three").await.unwrap().unwrap();
        tx.commit().await.unwrap();
        let chunks = store.chunks("d", 0).await.unwrap();
        let data: Vec<&[u8]> = chunks.iter().map(|c| c.data.as_slice()).collect();
        assert_eq!(data, vec![&b"snapshot"[..], &b"three"[..]]);
        assert!(snap < three);
        let size = store.doc_size("d").await.unwrap();
        assert_eq!((size.chunks, size.incremental_chunks), (2, 1));
    }

    #[tokio::test]
    async fn a_write_that_is_not_committed_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite3");
        let mut store = Store::open(&path).await.unwrap();
        {
            let mut tx = store.begin().await.unwrap();
            tx.ensure_doc("d", "ledger", None).await.unwrap();
            tx.put_chunk("d", b"lost").await.unwrap();
            // dropped without commit
        }
        assert!(store.docs().await.unwrap().is_empty());
        assert!(store.chunks("d", 0).await.unwrap().is_empty());
    }
}
