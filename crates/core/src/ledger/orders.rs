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
    /// The process placing the order and until when (see `ledger::lease`).
    pub lease_holder: Option<String>,
    pub lease_until: Option<String>,
    /// Not-found answers in a row.
    pub not_found_checks: i64,
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
        lease_holder: row.try_get("lease_holder")?,
        lease_until: row.try_get("lease_until")?,
        not_found_checks: row.try_get("not_found_checks")?,
    })
}

pub async fn insert<'e>(w: impl SqliteExecutor<'e>, o: &OrderRow) -> Result<(), LedgerError> {
    sqlx::query(
        "INSERT INTO orders (id, account_id, reference, nonce, product_id, product_code,
            product_name, category_code, recipient, face_units, face_currency, cost_units,
            wallet_id, wallet_currency, status, provider_reference, failure_reason,
            status_checks, next_check_at, created_at, updated_at, settled_at, lease_holder,
            lease_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    .bind(&o.lease_holder)
    .bind(&o.lease_until)
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
    /// `Some(None)` ends the lease (the answer is recorded); `Some(Some(t))` extends it.
    pub lease_until: Option<Option<&'a str>>,
    pub not_found_checks: Option<i64>,
}

/// Moves the order from `from` to `to` only if it is still in `from`; false when another
/// writer got there first. The provider reference is kept once known, never overwritten; a
/// success clears the reason an earlier step left (a timeout's "may have gone through").
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
                failure_reason = CASE WHEN ?1 = 'succeeded' THEN NULL
                                      ELSE COALESCE(?3, failure_reason) END,
                provider_reference = COALESCE(provider_reference, ?4),
                next_check_at = CASE WHEN ?5 THEN ?6 ELSE next_check_at END,
                status_checks = COALESCE(?7, status_checks),
                settled_at = CASE WHEN ?8 THEN ?2 ELSE settled_at END,
                charged_units = COALESCE(?11, charged_units),
                lease_until = CASE WHEN ?12 THEN ?13 ELSE lease_until END,
                lease_holder = CASE WHEN ?12 AND ?13 IS NULL THEN NULL ELSE lease_holder END,
                not_found_checks = COALESCE(?14, not_found_checks)
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
    .bind(m.lease_until.is_some())
    .bind(m.lease_until.flatten())
    .bind(m.not_found_checks)
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

/// Orders the sweeper must look at: every `prepared` one created before `prepared_before`,
/// and open ones whose next check is due by `due_by`, except those leased (at `now`) by a
/// holder in `alive`: a live process is still waiting for their answer. Oldest first.
pub async fn due(
    r: &SqlitePool,
    due_by: &str,
    prepared_before: &str,
    now: &str,
    alive: &[String],
    limit: i64,
) -> Result<Vec<OrderRow>, LedgerError> {
    // Numbered after the four fixed parameters (a bare `?` would take ?4 here, before LIMIT).
    let holders: Vec<String> = (0..alive.len()).map(|i| format!("?{}", i + 5)).collect();
    let holders = holders.join(", ");
    let sql = format!(
        "SELECT * FROM orders
          WHERE ((status = 'prepared' AND created_at <= ?1)
             OR (status IN ('submitted', 'pending', 'unknown')
                 AND (next_check_at IS NULL OR next_check_at <= ?2)))
            AND NOT (lease_until IS NOT NULL AND lease_until > ?3
                     AND lease_holder IN ({holders}))
          ORDER BY created_at, id LIMIT ?4"
    );
    let mut q = sqlx::query(&sql)
        .bind(prepared_before)
        .bind(due_by)
        .bind(now)
        .bind(limit);
    for h in alive {
        q = q.bind(h);
    }
    let rows = q.fetch_all(r).await?;
    rows.iter().map(from_row).collect()
}

/// The holders of leases still running at `now` on orders not yet final.
pub async fn lease_holders(r: &SqlitePool, now: &str) -> Result<Vec<String>, LedgerError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT lease_holder FROM orders
          WHERE status IN ('prepared', 'submitted', 'pending', 'unknown')
            AND lease_holder IS NOT NULL AND lease_until > ?",
    )
    .bind(now)
    .fetch_all(r)
    .await?)
}

/// Closed orders whose late look is due by `now`: succeeded ones (a reversal) and ones
/// given up as never arrived (a late booking); see `orders::record::REVIEW_AFTER_HOURS`.
pub async fn due_reviews(
    r: &SqlitePool,
    now: &str,
    limit: i64,
) -> Result<Vec<OrderRow>, LedgerError> {
    let rows = sqlx::query(
        "SELECT * FROM orders
          WHERE status IN ('succeeded', 'failed') AND next_check_at IS NOT NULL
            AND next_check_at <= ?1
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

/// What makes two orders the same purchase in the cashier's eyes.
pub struct Identical<'a> {
    pub account_id: &'a str,
    pub wallet_id: &'a str,
    pub product_id: &'a str,
    pub recipient: &'a str,
    pub face_units: i64,
    pub face_currency: &'a str,
}

/// The newest identical order that is still open (or waits for a person) or succeeded at
/// or after `since`. Both halves read an index: the holding orders of the wallet, and the
/// account's orders since `since`.
pub async fn identical<'e>(
    r: impl SqliteExecutor<'e>,
    k: &Identical<'_>,
    since: &str,
) -> Result<Option<OrderRow>, LedgerError> {
    sqlx::query(
        "SELECT * FROM (
            SELECT * FROM orders INDEXED BY orders_holding
             WHERE account_id = ?1 AND wallet_id = ?2
               AND status IN ('prepared', 'submitted', 'pending', 'unknown', 'needs_attention')
               AND product_id = ?3 AND recipient = ?4 AND face_units = ?5 AND face_currency = ?6
            UNION ALL
            SELECT * FROM orders INDEXED BY orders_account_created
             WHERE account_id = ?1 AND created_at >= ?7 AND status = 'succeeded'
               AND product_id = ?3 AND recipient = ?4 AND face_units = ?5 AND face_currency = ?6)
          ORDER BY created_at DESC LIMIT 1",
    )
    .bind(k.account_id)
    .bind(k.wallet_id)
    .bind(k.product_id)
    .bind(k.recipient)
    .bind(k.face_units)
    .bind(k.face_currency)
    .bind(since)
    .fetch_optional(r)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Ends `holder`'s lease on an order: its answer is recorded (or it will never come).
pub async fn end_lease<'e>(
    w: impl SqliteExecutor<'e>,
    id: &str,
    holder: &str,
) -> Result<(), LedgerError> {
    sqlx::query(
        "UPDATE orders SET lease_holder = NULL, lease_until = NULL
          WHERE id = ? AND lease_holder = ?",
    )
    .bind(id)
    .bind(holder)
    .execute(w)
    .await?;
    Ok(())
}

/// The dashboard's list; it reads the `orders_attention` index (a test checks the plan).
pub(crate) const ATTENTION_SQL: &str = "SELECT * FROM orders
  WHERE status IN ('needs_attention', 'reversed')
    AND (status = 'needs_attention' OR updated_at >= ?1)
  ORDER BY updated_at DESC, id DESC LIMIT ?2";

/// Orders a person should look at: every one waiting for a person, and those reversed by
/// the provider at or after `reversed_since`. Newest change first.
pub async fn attention(
    r: &SqlitePool,
    reversed_since: &str,
    limit: i64,
) -> Result<Vec<OrderRow>, LedgerError> {
    let rows = sqlx::query(ATTENTION_SQL)
        .bind(reversed_since)
        .bind(limit)
        .fetch_all(r)
        .await?;
    rows.iter().map(from_row).collect()
}
