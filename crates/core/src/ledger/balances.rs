//! `wallet_balances`: the provider's own word on each wallet, newest last.

use sqlx::{Row, SqliteExecutor, SqlitePool};

use super::LedgerError;
use crate::money::{from_ledger_units, to_ledger_units, Currency, Money};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedBalance {
    pub wallet_id: String,
    pub balance: Money,
    pub observed_at: String,
    pub source: String,
}

pub async fn record<'e>(
    ex: impl SqliteExecutor<'e>,
    account_id: &str,
    wallet_id: &str,
    balance: &Money,
    source: &str,
    at: &str,
) -> Result<(), LedgerError> {
    let units = to_ledger_units(balance.amount).map_err(|e| LedgerError::Storage {
        reason: format!("balance {balance}: {e}"),
    })?;
    sqlx::query(
        "INSERT INTO wallet_balances (account_id, wallet_id, currency, units, source, observed_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(account_id)
    .bind(wallet_id)
    .bind(balance.currency.code())
    .bind(units)
    .bind(source)
    .bind(at)
    .execute(ex)
    .await?;
    Ok(())
}

/// The latest observed balance of each wallet of an account.
pub async fn latest(r: &SqlitePool, account_id: &str) -> Result<Vec<ObservedBalance>, LedgerError> {
    let rows = sqlx::query(
        "SELECT b.wallet_id, b.currency, b.units, b.observed_at, b.source
           FROM wallet_balances b
           JOIN (SELECT wallet_id, max(id) AS id FROM wallet_balances WHERE account_id = ? GROUP BY wallet_id) m
             ON m.id = b.id
          ORDER BY b.wallet_id",
    )
    .bind(account_id)
    .fetch_all(r)
    .await?;
    rows.iter()
        .map(|row| {
            let currency: String = row.try_get("currency")?;
            let currency = Currency::new(&currency).map_err(|e| LedgerError::Storage {
                reason: e.to_string(),
            })?;
            Ok(ObservedBalance {
                wallet_id: row.try_get("wallet_id")?,
                balance: Money::new(from_ledger_units(row.try_get("units")?), currency),
                observed_at: row.try_get("observed_at")?,
                source: row.try_get("source")?,
            })
        })
        .collect()
}
