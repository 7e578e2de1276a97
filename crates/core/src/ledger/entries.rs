//! `entries`: wallet movements, append-only. Units are positive magnitudes; the kind says
//! the direction. For one order: held = hold − release − settle, and a reversal gives a
//! settled charge back as a new entry (never an edit of the settle). An `adjustment` on an
//! order is what the provider charged beyond its hold (a fee it adds only in its answer).

use sqlx::{Row, SqliteExecutor};

use super::LedgerError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Hold,
    Release,
    Settle,
    Reversal,
    Adjustment,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Hold => "hold",
            EntryKind::Release => "release",
            EntryKind::Settle => "settle",
            EntryKind::Reversal => "reversal",
            EntryKind::Adjustment => "adjustment",
        }
    }
}

pub struct NewEntry<'a> {
    pub account_id: &'a str,
    pub wallet_id: &'a str,
    pub currency: &'a str,
    pub order_id: &'a str,
    pub kind: EntryKind,
    pub units: i64,
    pub note: Option<&'a str>,
    pub at: &'a str,
}

pub async fn add<'e>(w: impl SqliteExecutor<'e>, e: &NewEntry<'_>) -> Result<(), LedgerError> {
    sqlx::query(
        "INSERT INTO entries (account_id, wallet_id, currency, order_id, kind, units, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(e.account_id)
    .bind(e.wallet_id)
    .bind(e.currency)
    .bind(e.order_id)
    .bind(e.kind.as_str())
    .bind(e.units)
    .bind(e.note)
    .bind(e.at)
    .execute(w)
    .await?;
    Ok(())
}

/// Units still held for an order: hold − release − settle.
pub async fn held_for_order<'e>(
    r: impl SqliteExecutor<'e>,
    order_id: &str,
) -> Result<i64, LedgerError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(SUM(CASE kind WHEN 'hold' THEN units
                                       WHEN 'release' THEN -units
                                       WHEN 'settle' THEN -units ELSE 0 END), 0)
           FROM entries WHERE order_id = ?",
    )
    .bind(order_id)
    .fetch_one(r)
    .await?)
}

/// Units charged for an order and not yet reversed: settle + adjustment − reversal.
pub async fn settled_for_order<'e>(
    r: impl SqliteExecutor<'e>,
    order_id: &str,
) -> Result<i64, LedgerError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(SUM(CASE kind WHEN 'settle' THEN units
                                       WHEN 'adjustment' THEN units
                                       WHEN 'reversal' THEN -units ELSE 0 END), 0)
           FROM entries WHERE order_id = ?",
    )
    .bind(order_id)
    .fetch_one(r)
    .await?)
}

const OUTSTANDING_SQL: &str =
    "WITH seen AS (SELECT COALESCE((SELECT observed_at FROM wallet_balances
                                          WHERE account_id = ?1 AND wallet_id = ?2
                                          ORDER BY id DESC LIMIT 1), '') AS at)
         SELECT
           (SELECT COALESCE(SUM(CASE e.kind WHEN 'hold' THEN e.units
                                            WHEN 'release' THEN -e.units
                                            WHEN 'settle' THEN -e.units ELSE 0 END), 0)
              FROM orders o INDEXED BY orders_holding
              JOIN entries e ON e.order_id = o.id
             WHERE o.account_id = ?1 AND o.wallet_id = ?2
               AND o.status IN ('prepared', 'submitted', 'pending', 'unknown', 'needs_attention')
               AND NOT EXISTS (
                   SELECT 1 FROM order_events ev
                    WHERE ev.order_id = o.id AND ev.to_status = 'pending'
                      AND ev.created_at <= (SELECT at FROM seen)))
         + (SELECT COALESCE(SUM(CASE e.kind WHEN 'settle' THEN e.units
                                            WHEN 'adjustment' THEN e.units
                                            WHEN 'reversal' THEN -e.units ELSE 0 END), 0)
              FROM entries e INDEXED BY entries_wallet
             WHERE e.account_id = ?1 AND e.wallet_id = ?2
               AND e.created_at > (SELECT at FROM seen)
               AND NOT EXISTS (
                   SELECT 1 FROM order_events ev
                    WHERE ev.order_id = e.order_id AND ev.to_status = 'pending'
                      AND ev.created_at <= (SELECT at FROM seen)))";

/// What to take off a wallet's latest reported balance to know what is free: holds of
/// orders not yet final, and charges booked since that balance was reported.
///
/// Holds: a provider debits an order when it accepts it, so a balance it reported at or
/// after an order's move to `pending` already has that order taken off (the pending answer
/// itself often carries it); counting such a hold again would refuse orders that fit.
/// Orders not yet accepted (`prepared`, `submitted`, `unknown`) always count: we cannot tell
/// whether the provider took them, and holding too much is the safe side.
///
/// Charges: a provider whose answers carry no balance (Vendify, eStoreSMS) reported its
/// balance before the orders settled since, so each such settle, adjustment (minus a
/// reversal) is taken off too. An answer that carries the balance records it at the same
/// instant as its settle, which is then not counted twice.
///
/// Cost: the holds read only the orders that may still hold money (the `orders_holding`
/// index), the charges only the entries since the balance (`entries_wallet`), so the check
/// does not grow with the wallet's history.
pub async fn outstanding_holds<'e>(
    r: impl SqliteExecutor<'e>,
    account_id: &str,
    wallet_id: &str,
) -> Result<i64, LedgerError> {
    Ok(sqlx::query_scalar(OUTSTANDING_SQL)
        .bind(account_id)
        .bind(wallet_id)
        .fetch_one(r)
        .await?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub kind: String,
    pub units: i64,
    pub currency: String,
    pub wallet_id: String,
    pub note: Option<String>,
    pub created_at: String,
}

pub async fn for_order<'e>(
    r: impl SqliteExecutor<'e>,
    order_id: &str,
) -> Result<Vec<EntryRow>, LedgerError> {
    let rows = sqlx::query("SELECT * FROM entries WHERE order_id = ? ORDER BY id")
        .bind(order_id)
        .fetch_all(r)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(EntryRow {
                kind: row.try_get("kind")?,
                units: row.try_get("units")?,
                currency: row.try_get("currency")?,
                wallet_id: row.try_get("wallet_id")?,
                note: row.try_get("note")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// The latest balance the provider reported for one wallet, in units, and its currency.
pub async fn latest_balance<'e>(
    r: impl SqliteExecutor<'e>,
    account_id: &str,
    wallet_id: &str,
) -> Result<Option<(i64, String)>, LedgerError> {
    let row = sqlx::query(
        "SELECT units, currency FROM wallet_balances WHERE account_id = ? AND wallet_id = ?
          ORDER BY id DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(wallet_id)
    .fetch_optional(r)
    .await?;
    row.map(|r| Ok((r.try_get("units")?, r.try_get("currency")?)))
        .transpose()
}

#[cfg(test)]
mod tests;
