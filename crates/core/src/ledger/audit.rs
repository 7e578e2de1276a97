//! `audit_log`: who changed what, append-only.

use sqlx::SqliteExecutor;

use super::LedgerError;

pub async fn record<'e>(
    ex: impl SqliteExecutor<'e>,
    at: &str,
    actor: &str,
    action: &str,
    subject: Option<&str>,
    detail: &serde_json::Value,
) -> Result<(), LedgerError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(detail.to_string())
    .execute(ex)
    .await?;
    Ok(())
}
