//! The SQLite ledger: opening it safely, its pragmas, the single writer, and one file per
//! table group below. Every write goes through [`Ledger::writer`], a pool of one
//! connection, so SQLite never sees two writers from this process.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::error::ErrorCode;

pub mod accounts;
pub mod audit;
pub mod balances;
pub mod entries;
pub mod lease;
pub mod orders;
pub mod products;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// The ledger file's name inside the data directory.
pub const FILE_NAME: &str = "ledger.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "The data file {path} was written by a newer version of Reseller Console (schema {found}, \
         this app knows up to {known}). Update the app; the file was left untouched."
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "The data file {path} is damaged or is not a Reseller Console ledger ({reason}). It was left \
         untouched: restore it from a backup, or start with another data folder (--data-dir)."
    )]
    Corrupt { path: PathBuf, reason: String },
    #[error("The data file could not be read or written ({reason}). Check free disk space and folder permissions.")]
    Storage { reason: String },
}

impl LedgerError {
    pub fn code(&self) -> ErrorCode {
        match self {
            LedgerError::Newer { .. } => ErrorCode::DatabaseNewer,
            LedgerError::Corrupt { .. } => ErrorCode::DatabaseCorrupt,
            LedgerError::Storage { .. } => ErrorCode::Storage,
        }
    }
}

impl From<sqlx::Error> for LedgerError {
    fn from(e: sqlx::Error) -> Self {
        LedgerError::Storage {
            reason: e.to_string(),
        }
    }
}

#[derive(Clone)]
pub struct Ledger {
    path: PathBuf,
    writer: SqlitePool,
    reader: SqlitePool,
    /// This opening's lease on the orders it places (see [`lease`]).
    lease: std::sync::Arc<lease::LeaseHolder>,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        // WAL: readers never block the writer, and a crash leaves a consistent file.
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a committed purchase intent survives power loss before it is sent.
        .synchronous(SqliteSynchronous::Full)
        // Foreign keys are off by default in SQLite; orders must point at real accounts.
        .foreign_keys(true)
        // The CLI and the app may touch the file at once: wait instead of failing.
        .busy_timeout(Duration::from_secs(10))
}

impl Ledger {
    /// Opens (creating if absent) the ledger at `path`, refusing, without changing a byte,
    /// a file that is not a SQLite database, fails its integrity check, or was migrated by a
    /// newer app.
    pub async fn open(path: &Path) -> Result<Self, LedgerError> {
        if path.exists() {
            Self::check_existing(path).await?;
        }
        // The data folder 0700 and the file 0600 before SQLite opens it, so the -wal and
        // -shm files it creates copy that mode; what an older version left open is tightened.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::owner_only::create_dir(dir).map_err(|e| LedgerError::Storage {
                reason: format!("cannot create {}: {e}", dir.display()),
            })?;
        }
        crate::owner_only::create_file(path)
            .and_then(|()| crate::owner_only::tighten_database(path))
            .map_err(|e| LedgerError::Storage {
                reason: format!("cannot make {} private: {e}", path.display()),
            })?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options(path).create_if_missing(true))
            .await
            .map_err(|e| classify(path, e))?;
        MIGRATOR
            .run(&writer)
            .await
            .map_err(|e| LedgerError::Storage {
                reason: format!("schema upgrade failed: {e}"),
            })?;
        let reader = SqlitePoolOptions::new()
            // Two readers are plenty for one window; each costs a page cache.
            .max_connections(2)
            .connect_with(options(path).read_only(true))
            .await
            .map_err(|e| classify(path, e))?;
        let lease = std::sync::Arc::new(lease::LeaseHolder::take(path)?);
        Ok(Self {
            path: path.to_owned(),
            writer,
            reader,
            lease,
        })
    }

    async fn check_existing(path: &Path) -> Result<(), LedgerError> {
        let corrupt = |reason: String| LedgerError::Corrupt {
            path: path.to_owned(),
            reason,
        };
        let bytes = std::fs::read(path).map_err(|e| LedgerError::Storage {
            reason: e.to_string(),
        })?;
        if bytes.is_empty() {
            return Ok(()); // an empty file is a new database to SQLite
        }
        if bytes.len() < 100 || &bytes[..16] != SQLITE_HEADER {
            return Err(corrupt("it is not a SQLite database".to_owned()));
        }
        drop(bytes);
        let opts = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|e| LedgerError::Storage {
                reason: e.to_string(),
            })?
            .filename(path)
            .read_only(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .map_err(|e| classify(path, e))?;
        let check: String = sqlx::query_scalar("PRAGMA quick_check(1)")
            .fetch_one(&pool)
            .await
            .map_err(|e| classify(path, e))?;
        if check != "ok" {
            pool.close().await;
            return Err(corrupt(check));
        }
        let has_migrations: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&pool)
        .await
        .map_err(|e| classify(path, e))?;
        if has_migrations == 1 {
            let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
            let rows = sqlx::query("SELECT version FROM _sqlx_migrations")
                .fetch_all(&pool)
                .await
                .map_err(|e| classify(path, e))?;
            for row in rows {
                let v: i64 = row.try_get("version").map_err(|e| classify(path, e))?;
                if !MIGRATOR.iter().any(|m| m.version == v) {
                    pool.close().await;
                    return Err(LedgerError::Newer {
                        path: path.to_owned(),
                        found: v,
                        known,
                    });
                }
            }
        } else {
            let tables: i64 =
                sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
                    .fetch_one(&pool)
                    .await
                    .map_err(|e| classify(path, e))?;
            if tables > 0 {
                pool.close().await;
                return Err(corrupt("it is another program's database".to_owned()));
            }
        }
        pool.close().await;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The lease this opening puts on the orders it places.
    pub fn lease(&self) -> &lease::LeaseHolder {
        &self.lease
    }
    /// The one connection that writes.
    pub fn writer(&self) -> &SqlitePool {
        &self.writer
    }
    /// A write transaction that takes SQLite's write lock at BEGIN. A deferred BEGIN that
    /// reads and then writes fails with SQLITE_BUSY_SNAPSHOT when another process (the CLI
    /// beside the app) committed in between; IMMEDIATE makes the second writer wait its
    /// turn (busy_timeout) and then see the first one's rows, which the funds check needs.
    pub async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, LedgerError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Read-only connections for lists, totals and exports.
    pub fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    pub async fn integrity_check(&self) -> Result<String, LedgerError> {
        Ok(sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.reader)
            .await?)
    }

    /// Folds the WAL back into the main file, then closes every connection.
    pub async fn close(&self) {
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await;
        self.reader.close().await;
        self.writer.close().await;
    }
}

fn classify(path: &Path, e: sqlx::Error) -> LedgerError {
    if let sqlx::Error::Database(db) = &e {
        // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), with extended codes.
        if let Some(code) = db.code().and_then(|c| c.parse::<i64>().ok()) {
            if code & 0xff == 11 || code & 0xff == 26 {
                return LedgerError::Corrupt {
                    path: path.to_owned(),
                    reason: db.message().to_owned(),
                };
            }
        }
    }
    LedgerError::Storage {
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests;
