//! `provider_accounts`: who we buy from. Settings only; secret values are in the keychain.

use sqlx::{Row, SqliteExecutor, SqlitePool};

use super::LedgerError;
use crate::providers::{Environment, ProviderKind};

/// The fixed id of the built-in demo account.
pub const DEMO_ACCOUNT_ID: &str = "demo";

#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub id: String,
    pub provider: ProviderKind,
    pub label: String,
    pub environment: Environment,
    pub base_url: String,
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// Names (never values) of the secret fields stored in the keychain.
    pub secret_fields: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<AccountRow, LedgerError> {
    let bad = |what: &str| LedgerError::Storage {
        reason: format!("provider_accounts has a bad {what}"),
    };
    let provider: String = row.try_get("provider")?;
    let environment: String = row.try_get("environment")?;
    let settings: String = row.try_get("settings")?;
    let secret_fields: String = row.try_get("secret_fields")?;
    Ok(AccountRow {
        id: row.try_get("id")?,
        provider: provider.parse().map_err(|_| bad("provider"))?,
        label: row.try_get("label")?,
        environment: environment.parse().map_err(|_| bad("environment"))?,
        base_url: row.try_get("base_url")?,
        settings: serde_json::from_str(&settings).map_err(|_| bad("settings"))?,
        secret_fields: serde_json::from_str(&secret_fields)
            .map_err(|_| bad("secret field list"))?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn insert<'e>(w: impl SqliteExecutor<'e>, a: &AccountRow) -> Result<(), LedgerError> {
    sqlx::query(
        "INSERT INTO provider_accounts
           (id, provider, label, environment, base_url, settings, secret_fields, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&a.id)
    .bind(a.provider.as_str())
    .bind(&a.label)
    .bind(a.environment.as_str())
    .bind(&a.base_url)
    .bind(serde_json::Value::Object(a.settings.clone()).to_string())
    .bind(serde_json::to_string(&a.secret_fields).unwrap_or_else(|_| "[]".to_owned()))
    .bind(&a.created_at)
    .bind(&a.updated_at)
    .execute(w)
    .await?;
    Ok(())
}

pub async fn list(r: &SqlitePool) -> Result<Vec<AccountRow>, LedgerError> {
    let rows = sqlx::query(
        "SELECT * FROM provider_accounts WHERE archived_at IS NULL
         ORDER BY provider = 'demo' DESC, created_at, id",
    )
    .fetch_all(r)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(r: &SqlitePool, id: &str) -> Result<Option<AccountRow>, LedgerError> {
    let row = sqlx::query("SELECT * FROM provider_accounts WHERE id = ? AND archived_at IS NULL")
        .bind(id)
        .fetch_optional(r)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn label_in_use(r: &SqlitePool, label: &str) -> Result<bool, LedgerError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM provider_accounts WHERE archived_at IS NULL AND lower(label) = lower(?)",
    )
    .bind(label)
    .fetch_one(r)
    .await?;
    Ok(n > 0)
}

/// Archived, not deleted: orders keep pointing at it.
pub async fn archive<'e>(
    w: impl SqliteExecutor<'e>,
    id: &str,
    at: &str,
) -> Result<bool, LedgerError> {
    let done = sqlx::query(
        "UPDATE provider_accounts SET archived_at = ?, updated_at = ? WHERE id = ? AND archived_at IS NULL",
    )
    .bind(at)
    .bind(at)
    .bind(id)
    .execute(w)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds the built-in demo account on first run.
pub async fn ensure_demo(w: &SqlitePool, at: &str) -> Result<(), LedgerError> {
    sqlx::query(
        "INSERT INTO provider_accounts (id, provider, label, environment, base_url, created_at, updated_at)
         VALUES (?, 'demo', 'Demo provider', 'sandbox', 'demo://local', ?, ?)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(DEMO_ACCOUNT_ID)
    .bind(at)
    .bind(at)
    .execute(w)
    .await?;
    Ok(())
}
