//! The demo provider's own books, in `demo-provider.sqlite3` beside the ledger: its wallets
//! and the orders it has "processed". Kept apart from our ledger, as a real provider's
//! books would be, so reconciliation between the two can be tested.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use super::catalogue::WALLETS;
use crate::money::{from_ledger_units, to_ledger_units};

pub const FILE_NAME: &str = "demo-provider.sqlite3";

#[derive(Debug, Clone)]
pub struct DemoTxn {
    pub reference: String,
    pub nonce: String,
    pub transaction_id: String,
    pub product_id: String,
    pub recipient: String,
    pub face: String,
    pub face_currency: String,
    pub wallet_id: String,
    pub cost_units: i64,
    pub status: String,
    pub final_status: Option<String>,
    pub settle_at: Option<String>,
    pub message: String,
    pub created_at: String,
}

pub async fn open(dir: &Path) -> Result<SqlitePool, sqlx::Error> {
    // Private like the ledger beside it; the file exists 0600 before SQLite opens it so its
    // -wal and -shm copy the mode.
    let file = dir.join(FILE_NAME);
    crate::owner_only::create_dir(dir)
        .and_then(|()| crate::owner_only::create_file(&file))
        .and_then(|()| crate::owner_only::tighten_database(&file))
        .map_err(sqlx::Error::Io)?;
    let opts = SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS wallets (
            wallet_id TEXT PRIMARY KEY NOT NULL, currency TEXT NOT NULL, units INTEGER NOT NULL)",
    )
    .execute(&pool)
    .await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS transactions (
            reference TEXT PRIMARY KEY NOT NULL, nonce TEXT NOT NULL, transaction_id TEXT NOT NULL UNIQUE,
            product_id TEXT NOT NULL, recipient TEXT NOT NULL, face TEXT NOT NULL,
            face_currency TEXT NOT NULL, wallet_id TEXT NOT NULL, cost_units INTEGER NOT NULL,
            status TEXT NOT NULL, final_status TEXT, settle_at TEXT, message TEXT NOT NULL,
            created_at TEXT NOT NULL)",
    )
    .execute(&pool)
    .await?;
    for (id, cur, opening) in WALLETS {
        let units = to_ledger_units(super::catalogue::dec(opening)).unwrap_or(0);
        sqlx::query("INSERT OR IGNORE INTO wallets (wallet_id, currency, units) VALUES (?, ?, ?)")
            .bind(id)
            .bind(cur)
            .bind(units)
            .execute(&pool)
            .await?;
    }
    Ok(pool)
}

pub async fn wallets(pool: &SqlitePool) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let rows = sqlx::query("SELECT wallet_id, currency, units FROM wallets ORDER BY rowid")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("wallet_id")?,
                r.try_get("currency")?,
                r.try_get("units")?,
            ))
        })
        .collect()
}

pub async fn wallet(pool: &SqlitePool, id: &str) -> Result<Option<(String, i64)>, sqlx::Error> {
    let row = sqlx::query("SELECT currency, units FROM wallets WHERE wallet_id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| Ok((r.try_get("currency")?, r.try_get("units")?)))
        .transpose()
}

/// Debits the wallet only if it holds enough, in one statement (no check-then-act race).
pub async fn debit(pool: &SqlitePool, wallet_id: &str, units: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE wallets SET units = units - ? WHERE wallet_id = ? AND units >= ?")
            .bind(units)
            .bind(wallet_id)
            .bind(units)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn credit(pool: &SqlitePool, wallet_id: &str, units: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE wallets SET units = units + ? WHERE wallet_id = ?")
        .bind(units)
        .bind(wallet_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn insert(pool: &SqlitePool, t: &DemoTxn) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO transactions (reference, nonce, transaction_id, product_id, recipient, face,
            face_currency, wallet_id, cost_units, status, final_status, settle_at, message, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&t.reference)
    .bind(&t.nonce)
    .bind(&t.transaction_id)
    .bind(&t.product_id)
    .bind(&t.recipient)
    .bind(&t.face)
    .bind(&t.face_currency)
    .bind(&t.wallet_id)
    .bind(t.cost_units)
    .bind(&t.status)
    .bind(&t.final_status)
    .bind(&t.settle_at)
    .bind(&t.message)
    .bind(&t.created_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn find(pool: &SqlitePool, key: &str) -> Result<Option<DemoTxn>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT * FROM transactions WHERE reference = ?1 OR nonce = ?1 OR transaction_id = ?1 LIMIT 1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(DemoTxn {
            reference: r.try_get("reference")?,
            nonce: r.try_get("nonce")?,
            transaction_id: r.try_get("transaction_id")?,
            product_id: r.try_get("product_id")?,
            recipient: r.try_get("recipient")?,
            face: r.try_get("face")?,
            face_currency: r.try_get("face_currency")?,
            wallet_id: r.try_get("wallet_id")?,
            cost_units: r.try_get("cost_units")?,
            status: r.try_get("status")?,
            final_status: r.try_get("final_status")?,
            settle_at: r.try_get("settle_at")?,
            message: r.try_get("message")?,
            created_at: r.try_get("created_at")?,
        })
    })
    .transpose()
}

/// Moves a pending transaction to its final status once; refunds a failure.
pub async fn settle(
    pool: &SqlitePool,
    t: &DemoTxn,
    final_status: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE transactions SET status = ? WHERE reference = ? AND status = 'PENDING'",
    )
    .bind(final_status)
    .bind(&t.reference)
    .execute(&mut *tx)
    .await?;
    let moved = done.rows_affected() == 1;
    if moved && final_status == "FAILED" {
        sqlx::query("UPDATE wallets SET units = units + ? WHERE wallet_id = ?")
            .bind(t.cost_units)
            .bind(&t.wallet_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(moved)
}

pub fn units_to_text(units: i64) -> String {
    from_ledger_units(units).normalize().to_string()
}
