//! What the provider took against what we held: settling with its charged figure, holding
//! the face value when it quotes nothing, what is free while orders are pending, the words
//! of a refusal for want of funds, the preview's warnings, and the late looks that find a
//! reversal after success.

use std::sync::atomic::Ordering;

use super::examples::{fixture, kinds};
use super::*;
use crate::error::ErrorCode;
use crate::ledger::entries;

fn amounts(d: &OrderDetailView) -> Vec<(String, String)> {
    d.entries
        .iter()
        .map(|e| (e.kind.clone(), e.amount.amount.clone()))
        .collect()
}

async fn free(console: &Console, wallet: &str) -> i64 {
    let r = console.ledger().reader();
    let (balance, _) = entries::latest_balance(r, DEMO_ACCOUNT_ID, wallet)
        .await
        .expect("balance")
        .expect("a reported balance");
    balance
        - entries::outstanding_holds(r, DEMO_ACCOUNT_ID, wallet)
            .await
            .expect("holds")
}

#[tokio::test]
async fn a_charge_below_the_hold_settles_the_charge_and_releases_the_rest() {
    let f = fixture().await;
    *f.demo.charged.lock().expect("lock") = Some("940.50");
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Succeeded);
    assert_eq!(o.cost.amount, "970.00", "the hold is the quote");
    assert_eq!(
        o.charged.as_ref().map(|c| c.amount.as_str()),
        Some("940.50")
    );
    let d = f.detail(&o.id).await;
    assert_eq!(
        amounts(&d),
        [
            ("hold".to_owned(), "970.00".to_owned()),
            ("settle".to_owned(), "940.50".to_owned()),
            ("release".to_owned(), "29.50".to_owned()),
        ]
    );
    let held = entries::held_for_order(f.console.ledger().reader(), &o.id)
        .await
        .expect("held");
    assert_eq!(held, 0, "nothing stays held after success");
}

#[tokio::test]
async fn a_fee_above_the_hold_is_an_adjustment_and_a_reversal_gives_it_all_back() {
    let f = fixture().await;
    *f.demo.charged.lock().expect("lock") = Some("990.00");
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(
        o.charged.as_ref().map(|c| c.amount.as_str()),
        Some("990.00")
    );
    let d = f.detail(&o.id).await;
    assert_eq!(
        amounts(&d),
        [
            ("hold".to_owned(), "970.00".to_owned()),
            ("settle".to_owned(), "970.00".to_owned()),
            ("adjustment".to_owned(), "20.00".to_owned()),
        ]
    );
    let charged = entries::settled_for_order(f.console.ledger().reader(), &o.id)
        .await
        .expect("settled");
    assert_eq!(charged, 990 * 10_000);

    let pool = demo_pool(f.dir.path()).await;
    sqlx::query("UPDATE transactions SET status = 'REVERSED' WHERE reference = ?")
        .bind(&o.reference)
        .execute(&pool)
        .await
        .expect("reverse");
    pool.close().await;
    f.clock.advance(chrono::Duration::hours(1));
    let r = f.sweep().await;
    assert_eq!(r.changes.len(), 1, "{r:?}");
    let d = f.detail(&o.id).await;
    assert_eq!(d.order.status, OrderStatus::Reversed);
    assert_eq!(
        d.entries
            .last()
            .map(|e| (e.kind.as_str(), e.amount.amount.as_str())),
        Some(("reversal", "990.00")),
        "the fee is refunded with the charge"
    );
}

#[tokio::test]
async fn without_a_price_the_face_value_is_held_and_the_answer_settles_it() {
    let f = fixture().await;
    f.demo.no_price.store(true, Ordering::SeqCst);
    let p = preview_via(
        &f.console,
        f.demo.as_ref(),
        &request("+2348031234567", "1000"),
    )
    .await
    .expect("preview");
    assert!(p.cost_is_estimate);
    assert_eq!(p.cost.amount, "1000.00");
    assert!(
        p.warnings.iter().any(|w| w.contains("quotes no price")),
        "{:?}",
        p.warnings
    );
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Succeeded);
    assert_eq!(o.cost.amount, "1000.00");
    // The demo charged its own price (970): the rest of the face-value hold comes back.
    assert_eq!(
        o.charged.as_ref().map(|c| c.amount.as_str()),
        Some("970.00")
    );
    assert_eq!(kinds(&f.detail(&o.id).await), ["hold", "settle", "release"]);
}

#[tokio::test]
async fn a_pending_order_the_provider_debited_is_not_counted_twice() {
    let f = fixture().await;
    let first = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(first.status, OrderStatus::Succeeded);
    let before = free(&f.console, "NGN-DEMO").await;
    let o = f.buy("+2348030000002", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Pending);
    // The pending answer carried the balance after the demo's debit: that balance is what
    // is free. Counting the hold again would take the 970 off twice.
    assert_eq!(free(&f.console, "NGN-DEMO").await, before - 970 * 10_000);
    let p = preview_via(
        &f.console,
        f.demo.as_ref(),
        &request("+2348031234567", "1000"),
    )
    .await
    .expect("preview");
    let available = p.available.expect("available").amount;
    let reported =
        entries::latest_balance(f.console.ledger().reader(), DEMO_ACCOUNT_ID, "NGN-DEMO")
            .await
            .expect("balance")
            .expect("reported")
            .0;
    assert_eq!(
        available,
        crate::money::Money::new(
            crate::money::from_ledger_units(reported),
            crate::money::Currency::known("NGN")
        )
        .amount_string()
    );
    // A lost answer is not known to be debited: its hold counts.
    f.demo.lose_answer.store(true, Ordering::SeqCst);
    let lost = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(lost.status, OrderStatus::Unknown);
    assert_eq!(
        free(&f.console, "NGN-DEMO").await,
        before - 2 * 970 * 10_000
    );
    f.check().await;
}

#[tokio::test]
async fn not_enough_funds_names_the_wallet_and_the_shortfall_before_anything_is_written() {
    let f = fixture().await;
    let pool = demo_pool(f.dir.path()).await;
    sqlx::query("UPDATE wallets SET units = 5000000 WHERE wallet_id = 'NGN-DEMO'")
        .execute(&pool)
        .await
        .expect("set balance");
    pool.close().await;
    // ₦500 in the wallet, ₦970 asked for.
    let label = crate::ledger::accounts::get(f.console.ledger().reader(), DEMO_ACCOUNT_ID)
        .await
        .expect("account")
        .expect("demo")
        .label;
    let p = preview_via(
        &f.console,
        f.demo.as_ref(),
        &request("+2348031234567", "1000"),
    )
    .await
    .expect("preview");
    let expected = format!("Insufficient balance in the {label} wallet: ₦470.00 short.");
    assert!(
        p.shortfall
            .as_deref()
            .is_some_and(|s| s.starts_with(&expected)),
        "{:?}",
        p.shortfall
    );
    let before = counts(&f.console).await;
    let err = f.buy("+2348031234567", "1000").await.expect_err("refused");
    assert_eq!(err.code(), ErrorCode::InsufficientBalance);
    assert!(err.to_string().starts_with(&expected), "{err}");
    assert!(err.to_string().contains("Top up"), "{err}");
    assert_eq!(counts(&f.console).await, before, "nothing was written");
    assert!(f.demo.sent().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_number_of_another_network_is_a_warning_in_the_preview() {
    let f = fixture().await;
    // 0805 is a Glo prefix; 9418 is MTN airtime. Ported numbers are real, so it may go on.
    let p = preview_via(
        &f.console,
        f.demo.as_ref(),
        &request("0805 123 4567", "1000"),
    )
    .await
    .expect("preview");
    assert!(
        p.warnings.iter().any(|w| w.contains("Glo")),
        "{:?}",
        p.warnings
    );
    let plain = preview_via(
        &f.console,
        f.demo.as_ref(),
        &request("0803 123 4567", "1000"),
    )
    .await
    .expect("preview");
    assert!(plain.warnings.is_empty(), "{:?}", plain.warnings);
    assert!(!plain.cost_is_estimate);
}

#[tokio::test]
async fn succeeded_orders_get_three_late_looks_and_then_are_left_alone() {
    let f = fixture().await;
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert!(o.next_check_at.is_some(), "a late look is booked: {o:?}");
    f.clock.advance(chrono::Duration::minutes(59));
    assert_eq!(f.sweep().await.checked, 0, "not before the hour");
    for hours in [1, 23, 48] {
        f.clock.advance(chrono::Duration::hours(hours));
        let r = f.sweep().await;
        assert_eq!(r.checked, 1, "one look after {hours} more hours: {r:?}");
        assert!(r.changes.is_empty());
    }
    let d = f.detail(&o.id).await;
    assert_eq!(d.order.status, OrderStatus::Succeeded);
    assert_eq!(d.order.next_check_at, None, "no look after the last");
    f.clock.advance(chrono::Duration::days(30));
    assert_eq!(f.sweep().await.checked, 0);
    assert_eq!(kinds(&d), ["hold", "settle"], "looks post nothing");
    assert_eq!(
        f.demo.sent().len(),
        1,
        "a look is a status query, never a resend"
    );
}
