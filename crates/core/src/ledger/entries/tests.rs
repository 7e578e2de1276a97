//! The funds check: what it counts, and that it reads only what it must.

use super::*;
use crate::ledger::accounts::{self, DEMO_ACCOUNT_ID};
use crate::ledger::orders::{self, NewEvent, OrderRow};
use crate::ledger::{balances, Ledger, FILE_NAME};
use crate::money::Money;
use crate::orders::OrderStatus;

const WALLET: &str = "NGN-DEMO";

fn order(id: &str, status: OrderStatus, cost: i64, at: &str) -> OrderRow {
    OrderRow {
        id: id.to_owned(),
        account_id: DEMO_ACCOUNT_ID.to_owned(),
        reference: format!("RC-{id}"),
        nonce: format!("n-{id}"),
        product_id: "9418".to_owned(),
        product_code: None,
        product_name: "MTN Airtime".to_owned(),
        category_code: "airtime".to_owned(),
        recipient: "+2348031234567".to_owned(),
        face_units: cost,
        face_currency: "NGN".to_owned(),
        cost_units: cost,
        wallet_id: WALLET.to_owned(),
        wallet_currency: "NGN".to_owned(),
        status,
        provider_reference: None,
        failure_reason: None,
        status_checks: 0,
        next_check_at: None,
        created_at: at.to_owned(),
        updated_at: at.to_owned(),
        settled_at: None,
        charged_units: None,
        lease_holder: None,
        lease_until: None,
        not_found_checks: 0,
    }
}

async fn entry(ledger: &Ledger, order_id: &str, kind: EntryKind, units: i64, at: &str) {
    add(
        ledger.writer(),
        &NewEntry {
            account_id: DEMO_ACCOUNT_ID,
            wallet_id: WALLET,
            currency: "NGN",
            order_id,
            kind,
            units,
            note: None,
            at,
        },
    )
    .await
    .expect("entry");
}

async fn balance(ledger: &Ledger, units: i64, at: &str) {
    let m = Money::new(
        crate::money::from_ledger_units(units),
        crate::money::Currency::new("NGN").expect("NGN"),
    );
    balances::record(ledger.writer(), DEMO_ACCOUNT_ID, WALLET, &m, "balance", at)
        .await
        .expect("balance");
}

async fn open_ledger(dir: &std::path::Path) -> Ledger {
    let ledger = Ledger::open(&dir.join(FILE_NAME)).await.expect("ledger");
    accounts::ensure_demo(ledger.writer(), "2026-01-01T00:00:00.000000Z")
        .await
        .expect("demo account");
    ledger
}

const T0: &str = "2026-12-01T10:00:00.000000Z";
const T1: &str = "2026-12-01T11:00:00.000000Z";
const T2: &str = "2026-12-01T12:00:00.000000Z";
const T3: &str = "2026-12-01T13:00:00.000000Z";

#[tokio::test]
async fn charges_since_the_last_reported_balance_are_taken_off_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let ledger = open_ledger(dir.path()).await;
    let w = ledger.writer();
    // Open, not accepted yet: its hold counts.
    orders::insert(w, &order("a", OrderStatus::Submitted, 1_000, T0))
        .await
        .expect("a");
    entry(&ledger, "a", EntryKind::Hold, 1_000, T0).await;
    // The provider reported its balance at T1 (Vendify: a balance call, no balance in
    // order answers).
    balance(&ledger, 100_000, T1).await;
    // Succeeded after that balance: the balance does not show it yet.
    orders::insert(w, &order("b", OrderStatus::Succeeded, 2_000, T0))
        .await
        .expect("b");
    entry(&ledger, "b", EntryKind::Hold, 2_000, T0).await;
    entry(&ledger, "b", EntryKind::Settle, 1_800, T2).await;
    entry(&ledger, "b", EntryKind::Release, 200, T2).await;
    // Accepted (pending) before the balance, settled after: the balance already shows it.
    orders::insert(w, &order("c", OrderStatus::Succeeded, 4_000, T0))
        .await
        .expect("c");
    entry(&ledger, "c", EntryKind::Hold, 4_000, T0).await;
    orders::add_event(
        w,
        &NewEvent {
            order_id: "c",
            kind: "pending",
            from: Some(OrderStatus::Submitted),
            to: Some(OrderStatus::Pending),
            detail: serde_json::json!({}),
            at: T0,
        },
    )
    .await
    .expect("event");
    entry(&ledger, "c", EntryKind::Settle, 4_000, T2).await;
    // A fee above the hold after the balance counts too; its reversal gives it all back.
    orders::insert(w, &order("d", OrderStatus::Reversed, 500, T0))
        .await
        .expect("d");
    entry(&ledger, "d", EntryKind::Hold, 500, T0).await;
    entry(&ledger, "d", EntryKind::Settle, 500, T2).await;
    entry(&ledger, "d", EntryKind::Adjustment, 50, T2).await;
    entry(&ledger, "d", EntryKind::Reversal, 550, T2).await;
    // Before: only holds of orders not yet settled counted (1,000), so the wallet looked
    // 1,800 richer than it was.
    assert_eq!(
        outstanding_holds(ledger.reader(), DEMO_ACCOUNT_ID, WALLET)
            .await
            .expect("sum"),
        1_000 + 1_800
    );
    // A newer balance shows every charge: only the open hold is left to take off.
    balance(&ledger, 96_200, T3).await;
    assert_eq!(
        outstanding_holds(ledger.reader(), DEMO_ACCOUNT_ID, WALLET)
            .await
            .expect("sum"),
        1_000
    );
}

#[tokio::test]
async fn the_funds_check_reads_only_open_orders_on_a_long_history() {
    let dir = tempfile::tempdir().expect("tmp");
    let ledger = open_ledger(dir.path()).await;
    // 100,000 settled orders (two entries each) before the last balance, generated in SQL.
    let w = ledger.writer();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO orders (id, account_id, reference, nonce, product_id, product_name,
             category_code, recipient, face_units, face_currency, cost_units, wallet_id,
             wallet_currency, status, created_at, updated_at)
         SELECT 'old' || i, ?1, 'RC-OLD' || i, 'n-old' || i, '9418', 'MTN Airtime', 'airtime',
                '+2348031234567', 1000, 'NGN', 1000, ?2, 'NGN', 'succeeded', ?3, ?3 FROM n",
    )
    .bind(DEMO_ACCOUNT_ID)
    .bind(WALLET)
    .bind(T0)
    .execute(w)
    .await
    .expect("orders");
    sqlx::query(
        "INSERT INTO entries (account_id, wallet_id, currency, order_id, kind, units, created_at)
         SELECT account_id, wallet_id, 'NGN', id, k.kind, 1000, ?1
           FROM orders, (SELECT 'hold' AS kind UNION ALL SELECT 'settle') k",
    )
    .bind(T0)
    .execute(w)
    .await
    .expect("entries");
    balance(&ledger, 10_000_000, T1).await;
    for (i, units) in [(1, 700), (2, 300)] {
        let id = format!("open{i}");
        orders::insert(w, &order(&id, OrderStatus::Unknown, units, T2))
            .await
            .expect("open");
        entry(&ledger, &id, EntryKind::Hold, units, T2).await;
    }
    let got = outstanding_holds(ledger.reader(), DEMO_ACCOUNT_ID, WALLET)
        .await
        .expect("sum");
    assert_eq!(got, 1_000, "the two open holds, nothing of the history");
    // The same figure the old whole-history sum gives.
    let whole: i64 = sqlx::query_scalar(
        "SELECT SUM(CASE kind WHEN 'hold' THEN units WHEN 'release' THEN -units
                              WHEN 'settle' THEN -units ELSE 0 END) FROM entries",
    )
    .fetch_one(ledger.reader())
    .await
    .expect("whole");
    assert_eq!(got, whole);
    // Cost: every table is reached through an index, never scanned, so the check costs
    // the open orders and the entries since the balance, not the 200,000 entries.
    let plan: Vec<String> = sqlx::query(&format!("EXPLAIN QUERY PLAN {OUTSTANDING_SQL}"))
        .bind(DEMO_ACCOUNT_ID)
        .bind(WALLET)
        .fetch_all(ledger.reader())
        .await
        .expect("plan")
        .iter()
        .map(|r| sqlx::Row::get::<String, _>(r, "detail"))
        .collect();
    let scans: Vec<&String> = plan
        .iter()
        .filter(|d| d.starts_with("SCAN ") && !d.contains("CONSTANT ROW") && *d != "SCAN seen")
        .collect();
    assert!(scans.is_empty(), "full scans: {scans:?} in {plan:#?}");
    assert!(
        plan.iter().any(|d| d.contains("orders_holding")),
        "{plan:#?}"
    );
    assert!(
        plan.iter().any(|d| d.contains("entries_wallet")),
        "{plan:#?}"
    );
}
