//! `hearth-server backup` and `restore`.
//!
//! SQLite: `VACUUM INTO` writes a consistent copy while the server runs (a
//! read transaction: writers go on); restore checks the copy and moves it
//! into place (stop the server first). PostgreSQL: `pg_dump` in its custom
//! format (a consistent snapshot), restored with `pg_restore` in one
//! transaction; for point-in-time recovery use the database's own WAL
//! archiving (RDS: automated backups), see docs/operations.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use anyhow::{Context, bail};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

fn sqlite_path(url: &str) -> Option<PathBuf> {
    url.strip_prefix("sqlite://").map(PathBuf::from)
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Writes a consistent backup of the database at `url` to `out`.
pub async fn backup(url: &str, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        bail!("{} exists already; choose a new file", out.display());
    }
    if let Some(path) = sqlite_path(url) {
        if !path.exists() {
            bail!("no database at {}", path.display());
        }
        let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .read_only(true)
            .connect()
            .await?;
        sqlx::query("VACUUM INTO ?")
            .bind(out.to_string_lossy().into_owned())
            .execute(&mut conn)
            .await
            .context("VACUUM INTO")?;
        check_sqlite(out).await
    } else if is_postgres(url) {
        run(Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--no-owner")
            .arg("--file")
            .arg(out)
            .arg(url))
    } else {
        bail!("unsupported database URL (use sqlite://PATH or postgres://...)")
    }
}

/// Replaces the database at `url` with the backup `from`. The server must
/// not be running.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<()> {
    if !from.is_file() {
        bail!("no backup at {}", from.display());
    }
    if let Some(path) = sqlite_path(url) {
        check_sqlite(from).await?;
        let staging = path.with_extension("restoring");
        std::fs::copy(from, &staging)
            .with_context(|| format!("copying to {}", staging.display()))?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", path.display()));
            if side.exists() {
                std::fs::remove_file(&side)
                    .with_context(|| format!("removing {}", side.display()))?;
            }
        }
        std::fs::rename(&staging, &path)
            .with_context(|| format!("moving the backup to {}", path.display()))?;
        Ok(())
    } else if is_postgres(url) {
        run(Command::new("pg_restore")
            .arg("--clean")
            .arg("--if-exists")
            .arg("--no-owner")
            .arg("--single-transaction")
            .arg("--exit-on-error")
            .arg("--dbname")
            .arg(url)
            .arg(from))
    } else {
        bail!("unsupported database URL (use sqlite://PATH or postgres://...)")
    }
}

/// A backup is a sound SQLite file holding the server's tables.
async fn check_sqlite(path: &Path) -> anyhow::Result<()> {
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("{} is not a SQLite database", path.display()))?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await?;
    if check != "ok" {
        bail!("{} is damaged: {check}", path.display());
    }
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('households', 'devices', 'chunks')",
    )
    .fetch_one(&mut conn)
    .await?;
    if tables != 3 {
        bail!("{} is not a hearth-server database", path.display());
    }
    Ok(())
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd
        .output()
        .with_context(|| format!("cannot run {name} (install the PostgreSQL client tools)"))?;
    if !out.status.success() {
        bail!(
            "{name} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
