//! `orders`, `order_events` and `deliveries`: one purchase, everything that happened to it,
//! and what the customer received. Status moves are compare-and-set on the old status, so a
//! second writer (another process, a sweep racing a purchase) can never move an order twice.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqliteExecutor, SqlitePool};

use super::LedgerError;
use crate::orders::OrderStatus;

/// One row of `orders`, money in ledger units (ten-thousandths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    pub id: String,
    pub account_id: String,
    pub reference: String,
    pub nonce: String,
    pub product_id: String,
    pub product_code: Option<String>,
    pub product_name: String,
    pub category_code: String,
    pub recipient: String,
    pub face_units: i64,
    pub face_currency: String,
    pub cost_units: i64,
    pub wallet_id: String,
    pub wallet_currency: String,
    pub status: OrderStatus,
    pub provider_reference: Option<String>,
    pub failure_reason: Option<String>,
    pub status_checks: i64,
    pub next_check_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub settled_at: Option<String>,
    /// What the provider took, once the order succeeded (see migration 20261203000002).
    pub charged_units: Option<i64>,
}

fn from_row(row: &SqliteRow) -> Result<OrderRow, LedgerError> {
    let status: String = row.try_get("status")?;
    Ok(OrderRow {
        id: row.try_get("id")?,
        account_id: row.try_get("account_id")?,
        reference: row.try_get("reference")?,
        nonce: row.try_get("nonce")?,
        product_id: row.try_get("product_id")?,
        product_code: row.try_get("product_code")?,
        product_name: row.try_get("product_name")?,
        category_code: row.try_get("category_code")?,
        recipient: row.try_get("recipient")?,
        face_units: row.try_get("face_units")?,
        face_currency: row.try_get("face_currency")?,
        cost_units: row.try_get("cost_units")?,
        wallet_id: row.try_get("wallet_id")?,
        wallet_currency: row.try_get("wallet_currency")?,
        status: status.parse().map_err(|_| LedgerError::Storage {
            reason: format!("orders has an unknown status \"{status}\""),
        })?,
        provider_reference: row.try_get("provider_reference")?,
        failure_reason: row.try_get("failure_reason")?,
        status_checks: row.try_get("status_checks")?,
        next_check_at: row.try_get("next_check_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        settled_at: row.try_get("settled_at")?,
        charged_units: row.try_get("charged_units")?,
    })
}

pub async fn insert<'e>(w: impl SqliteExecutor<'e>, o: &OrderRow) -> Result<(), LedgerError> {
    sqlx::query(
        "INSERT INTO orders (id, account_id, reference, nonce, product_id, product_code,
            product_name, category_code, recipient, face_units, face_currency, cost_units,
            wallet_id, wallet_currency, status, provider_reference, failure_reason,
            status_checks, next_check_at, created_at, updated_at, settled_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&o.id)
    .bind(&o.account_id)
    .bind(&o.reference)
    .bind(&o.nonce)
    .bind(&o.product_id)
    .bind(&o.product_code)
    .bind(&o.product_name)
    .bind(&o.category_code)
    .bind(&o.recipient)
    .bind(o.face_units)
    .bind(&o.face_currency)
    .bind(o.cost_units)
    .bind(&o.wallet_id)
    .bind(&o.wallet_currency)
    .bind(o.status.as_str())
    .bind(&o.provider_reference)
    .bind(&o.failure_reason)
    .bind(o.status_checks)
    .bind(&o.next_check_at)
    .bind(&o.created_at)
    .bind(&o.updated_at)
    .bind(&o.settled_at)
    .execute(w)
    .await?;
    Ok(())
}

pub async fn get<'e>(
    r: impl SqliteExecutor<'e>,
    id: &str,
) -> Result<Option<OrderRow>, LedgerError> {
    sqlx::query("SELECT * FROM orders WHERE id = ?")
        .bind(id)
        .fetch_optional(r)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// An order by its id or by our reference.
pub async fn find(r: &SqlitePool, key: &str) -> Result<Option<OrderRow>, LedgerError> {
    sqlx::query("SELECT * FROM orders WHERE id = ?1 OR reference = ?1 LIMIT 1")
        .bind(key)
        .fetch_optional(r)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// What a status move also changes on the row.
#[derive(Debug, Clone, Default)]
pub struct Move<'a> {
    pub failure_reason: Option<&'a str>,
    pub provider_reference: Option<&'a str>,
    /// `Some(None)` clears the next check (a final state).
    pub next_check_at: Option<Option<&'a str>>,
    pub status_checks: Option<i64>,
    pub settled: bool,
    /// What the provider took (set when the order succeeds).
    pub charged_units: Option<i64>,
}

/// Moves the order from `from` to `to` only if it is still in `from`; false when another
/// writer got there first. The provider reference is kept once known, never overwritten.
pub async fn move_status(
    w: &mut SqliteConnection,
    id: &str,
    from: OrderStatus,
    to: OrderStatus,
    at: &str,
    m: &Move<'_>,
) -> Result<bool, LedgerError> {
    let done = sqlx::query(
        "UPDATE orders SET status = ?1, updated_at = ?2,
                failure_reason = COALESCE(?3, failure_reason),
                provider_reference = COALESCE(provider_reference, ?4),
                next_check_at = CASE WHEN ?5 THEN ?6 ELSE next_check_at END,
                status_checks = COALESCE(?7, status_checks),
                settled_at = CASE WHEN ?8 THEN ?2 ELSE settled_at END,
                charged_units = COALESCE(?11, charged_units)
          WHERE id = ?9 AND status = ?10",
    )
    .bind(to.as_str())
    .bind(at)
    .bind(m.failure_reason)
    .bind(m.provider_reference)
    .bind(m.next_check_at.is_some())
    .bind(m.next_check_at.flatten())
    .bind(m.status_checks)
    .bind(m.settled)
    .bind(id)
    .bind(from.as_str())
    .bind(m.charged_units)
    .execute(&mut *w)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewEvent<'a> {
    pub order_id: &'a str,
    pub kind: &'a str,
    pub from: Option<OrderStatus>,
    pub to: Option<OrderStatus>,
    pub detail: serde_json::Value,
    pub at: &'a str,
}

pub async fn add_event<'e>(
    w: impl SqliteExecutor<'e>,
    e: &NewEvent<'_>,
) -> Result<(), LedgerError> {
    sqlx::query(
        "INSERT INTO order_events (order_id, kind, from_status, to_status, detail, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(e.order_id)
    .bind(e.kind)
    .bind(e.from.map(OrderStatus::as_str))
    .bind(e.to.map(OrderStatus::as_str))
    .bind(e.detail.to_string())
    .bind(e.at)
    .execute(w)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: i64,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub detail: String,
    pub created_at: String,
}

pub async fn events(r: &SqlitePool, order_id: &str) -> Result<Vec<EventRow>, LedgerError> {
    let rows = sqlx::query("SELECT * FROM order_events WHERE order_id = ? ORDER BY id")
        .bind(order_id)
        .fetch_all(r)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(EventRow {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                from_status: row.try_get("from_status")?,
                to_status: row.try_get("to_status")?,
                detail: row.try_get("detail")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Records what the customer received; the first answer wins (a repeated status answer
/// carries the same delivery).
pub async fn add_delivery<'e>(
    w: impl SqliteExecutor<'e>,
    order_id: &str,
    kind: &str,
    data: &serde_json::Value,
    delivered_to: &str,
    at: &str,
) -> Result<(), LedgerError> {
    sqlx::query(
        "INSERT INTO deliveries (order_id, kind, data, delivered_to, updated_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order_id)
    .bind(kind)
    .bind(data.to_string())
    .bind(delivered_to)
    .bind(at)
    .execute(w)
    .await?;
    Ok(())
}

/// The stored delivery data (JSON text), if any.
pub async fn delivery(r: &SqlitePool, order_id: &str) -> Result<Option<String>, LedgerError> {
    Ok(
        sqlx::query_scalar("SELECT data FROM deliveries WHERE order_id = ?")
            .bind(order_id)
            .fetch_optional(r)
            .await?,
    )
}

/// Orders the sweeper must look at by `now`: every `prepared` one created before
/// `prepared_before`, and open ones whose next check is due. Oldest first.
pub async fn due(
    r: &SqlitePool,
    now: &str,
    prepared_before: &str,
    limit: i64,
) -> Result<Vec<OrderRow>, LedgerError> {
    let rows = sqlx::query(
        "SELECT * FROM orders
          WHERE (status = 'prepared' AND created_at <= ?2)
             OR (status IN ('submitted', 'pending', 'unknown')
                 AND (next_check_at IS NULL OR next_check_at <= ?1))
          ORDER BY created_at, id LIMIT ?3",
    )
    .bind(now)
    .bind(prepared_before)
    .bind(limit)
    .fetch_all(r)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Succeeded orders whose late review is due by `now` (see `orders::sweep::REVIEW_AFTER`).
pub async fn due_reviews(
    r: &SqlitePool,
    now: &str,
    limit: i64,
) -> Result<Vec<OrderRow>, LedgerError> {
    let rows = sqlx::query(
        "SELECT * FROM orders
          WHERE status = 'succeeded' AND next_check_at IS NOT NULL AND next_check_at <= ?1
          ORDER BY next_check_at, id LIMIT ?2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(r)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One page of orders, newest first, after the keyset `(created_at, id)` when given.
pub async fn page(
    r: &SqlitePool,
    status: Option<OrderStatus>,
    account_id: Option<&str>,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<OrderRow>, LedgerError> {
    let rows = sqlx::query(
        "SELECT * FROM orders
          WHERE (?1 IS NULL OR status = ?1)
            AND (?2 IS NULL OR account_id = ?2)
            AND (?3 IS NULL OR (created_at, id) < (?3, ?4))
          ORDER BY created_at DESC, id DESC LIMIT ?5",
    )
    .bind(status.map(OrderStatus::as_str))
    .bind(account_id)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit)
    .fetch_all(r)
    .await?;
    rows.iter().map(from_row).collect()
}
