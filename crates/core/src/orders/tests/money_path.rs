//! The money path under real conditions (issue 8): a sweeper running while a purchase is in
//! flight, answers that arrive after a sweep, not-found answers, late reversals and late
//! bookings, messages after an unknown outcome, identical orders, a price that moved, and
//! the funds check on a long history. Each test is named after the behaviour it pins.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::examples::{fixture, kinds, Fixture};
use super::*;
use crate::clock::Clock;
use crate::error::ErrorCode;
use crate::ledger::lease::LEASE_SECS;
use crate::orders::place::DUPLICATE_WINDOW_MINUTES;
use crate::orders::sweep::NOT_FOUND_LIMIT;
use crate::providers::OutcomeStatus;

/// A purchase that waits at the provider's door until `gate` opens, run beside the test.
fn gated(f: &mut Fixture) -> Arc<tokio::sync::Semaphore> {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    Arc::get_mut(&mut f.demo).expect("unique").gate = Some(gate.clone());
    gate
}

async fn status_of(f: &Fixture, id: &str) -> OrderStatus {
    f.detail(id).await.order.status
}

/// The one order of the ledger (tests that place one while something else happens).
async fn only_order(console: &Console) -> crate::ledger::orders::OrderRow {
    let id: String = sqlx::query_scalar("SELECT id FROM orders")
        .fetch_one(console.ledger().reader())
        .await
        .expect("one order");
    crate::ledger::orders::get(console.ledger().reader(), &id)
        .await
        .expect("read")
        .expect("order")
}

#[tokio::test]
async fn a_sweep_while_the_answer_is_slow_leaves_the_order_to_its_purchase() {
    let mut f = fixture().await;
    let gate = gated(&mut f);
    // RukkyStore's case: no status by our reference, so a sweep that looked would have
    // nothing to ask and would hand the order to a person.
    f.demo.no_status_by_reference.store(true, Ordering::SeqCst);
    let (placed, ()) = tokio::join!(f.buy("+2348031234567", "1000"), async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        // 12 s later, twice past the first check's due time, the app sweeps.
        f.advance(12);
        let report = f.sweep().await;
        assert!(report.changes.is_empty(), "{report:?}");
        assert_eq!(only_order(&f.console).await.status, OrderStatus::Submitted);
        f.advance(12);
        f.sweep().await;
        gate.add_permits(1);
    });
    let o = placed.expect("the order, not an error");
    assert_eq!(o.status, OrderStatus::Succeeded, "{o:?}");
    assert!(o.provider_reference.is_some(), "the provider's id is kept");
    let d = f.detail(&o.id).await;
    assert_eq!(kinds(&d), ["hold", "settle"]);
    assert!(d.delivery.is_some(), "the delivery is stored");
    let row = only_order(&f.console).await;
    assert_eq!(row.lease_holder, None, "the lease ends with the answer");
    f.check().await;
}

#[tokio::test]
async fn a_success_after_a_sweep_gave_up_on_a_hung_purchase_is_booked() {
    let mut f = fixture().await;
    let gate = gated(&mut f);
    f.demo.no_status_by_reference.store(true, Ordering::SeqCst);
    let (placed, ()) = tokio::join!(f.buy("+2348031234567", "1000"), async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        // The purchase hangs past its lease: the sweeper may look, and hands it to a person.
        f.advance(LEASE_SECS + 1);
        f.sweep().await;
        assert_eq!(
            only_order(&f.console).await.status,
            OrderStatus::NeedsAttention
        );
        gate.add_permits(1);
    });
    let o = placed.expect("the order, not an error");
    assert_eq!(
        o.status,
        OrderStatus::Succeeded,
        "the late success is applied: {o:?}"
    );
    assert!(o.provider_reference.is_some());
    let d = f.detail(&o.id).await;
    assert_eq!(kinds(&d), ["hold", "settle"]);
    assert!(d.delivery.is_some());
    f.check().await;
}

#[tokio::test]
async fn a_lost_answer_after_a_sweep_moved_the_order_returns_the_order_not_an_error() {
    let mut f = fixture().await;
    let gate = gated(&mut f);
    f.demo.no_status_by_reference.store(true, Ordering::SeqCst);
    f.demo.lose_answer.store(true, Ordering::SeqCst);
    let (placed, ()) = tokio::join!(f.buy("+2348031234567", "1000"), async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        f.advance(LEASE_SECS + 1);
        f.sweep().await;
        gate.add_permits(1);
    });
    // Before: "Internal error while moving order ... from needs_attention to unknown", read
    // by the Buy page as "nothing was bought".
    let o = placed.expect("the order as the ledger holds it");
    assert_eq!(o.status, OrderStatus::NeedsAttention);
    assert_eq!(f.demo.sent().len(), 1);
    let events: Vec<String> = f
        .detail(&o.id)
        .await
        .events
        .iter()
        .map(|e| e.kind.clone())
        .collect();
    assert!(events.contains(&"late_error".to_owned()), "{events:?}");
}

#[tokio::test]
async fn a_second_process_sweeping_now_leaves_in_flight_orders_alone() {
    let mut f = fixture().await;
    let gate = gated(&mut f);
    // `resellerctl reconcile --now` beside the app: its own ledger opening, its own lease.
    let other = open_console(f.dir.path(), &f.clock).await;
    let (placed, ()) = tokio::join!(f.buy("+2348031234567", "1000"), async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        f.advance(30);
        let report = Sweeper::new(&other)
            .with_provider(DEMO_ACCOUNT_ID, f.demo.clone())
            .ignore_backoff(true)
            .run_until_idle(f.clock.now())
            .await
            .expect("sweep");
        assert_eq!(report.checked, 0, "{report:?}");
        assert!(report.changes.is_empty(), "{report:?}");
        gate.add_permits(1);
    });
    assert_eq!(placed.expect("placed").status, OrderStatus::Succeeded);
    f.check().await;
}

#[tokio::test]
async fn an_intent_whose_process_died_is_swept_at_once_by_another() {
    let f = fixture().await;
    let dying = open_console(f.dir.path(), &f.clock).await;
    let v = validate(&dying, f.demo.as_ref(), &request("+2348031234567", "1000"))
        .await
        .expect("valid");
    let row = intent(dying.ledger(), &v, f.clock.now(), true)
        .await
        .expect("intent");
    let sweep_now = || async {
        Sweeper::new(&f.console)
            .with_provider(DEMO_ACCOUNT_ID, f.demo.clone())
            .ignore_backoff(true)
            .run_until_idle(f.clock.now())
            .await
            .expect("sweep")
    };
    sweep_now().await;
    assert_eq!(
        status_of(&f, &row.id).await,
        OrderStatus::Prepared,
        "its process lives: it may still send it"
    );
    dying.ledger().close().await;
    drop(dying);
    sweep_now().await;
    assert_eq!(status_of(&f, &row.id).await, OrderStatus::Failed);
    assert!(f.demo.sent().is_empty());
}

#[tokio::test]
async fn not_found_counts_only_not_found_answers_in_a_row() {
    let f = fixture().await;
    f.demo.drop_request.store(true, Ordering::SeqCst);
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Unknown);
    // Two checks time out, then the provider says "not found" once: before, every check
    // counted, and this single not-found failed the order and released its hold.
    f.demo
        .script
        .lock()
        .expect("lock")
        .extend([Scripted::Timeout, Scripted::Timeout]);
    for _ in 0..3 {
        f.advance(600);
        f.sweep().await;
    }
    assert_eq!(status_of(&f, &o.id).await, OrderStatus::Unknown);
    // A timeout between not-founds neither counts nor starts the count again.
    f.demo
        .script
        .lock()
        .expect("lock")
        .push_back(Scripted::Timeout);
    for _ in 0..3 {
        f.advance(900);
        f.sweep().await;
    }
    assert_eq!(status_of(&f, &o.id).await, OrderStatus::Failed);
    let row = crate::ledger::orders::get(f.console.ledger().reader(), &o.id)
        .await
        .expect("read")
        .expect("order");
    assert_eq!(row.not_found_checks, NOT_FOUND_LIMIT);
    assert!(
        row.next_check_at.is_some(),
        "a give-up gets late looks like a success"
    );
    f.check().await;
}

#[tokio::test]
async fn a_give_up_the_provider_booked_late_is_charged() {
    let f = fixture().await;
    // The request reached the provider, its answer was lost, and the provider does not
    // show the order for a while (a slow back office).
    f.demo.lose_answer.store(true, Ordering::SeqCst);
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    f.demo
        .script
        .lock()
        .expect("lock")
        .extend([Scripted::NotFound; NOT_FOUND_LIMIT as usize]);
    for _ in 0..NOT_FOUND_LIMIT {
        f.advance(900);
        f.sweep().await;
    }
    assert_eq!(status_of(&f, &o.id).await, OrderStatus::Failed);
    // The first late look (1 h after) finds it done.
    f.advance(3600);
    let report = f.sweep().await;
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.from == OrderStatus::Failed && c.to == OrderStatus::Succeeded),
        "{report:?}"
    );
    let d = f.detail(&o.id).await;
    assert_eq!(d.order.status, OrderStatus::Succeeded);
    assert_eq!(kinds(&d), ["hold", "release", "adjustment"]);
    assert_eq!(
        d.order.charged.as_ref().map(|c| c.amount.clone()),
        Some(d.order.cost.amount.clone())
    );
    f.check().await;
}

#[tokio::test]
async fn a_failure_reported_after_success_is_booked_as_a_reversal() {
    let f = fixture().await;
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Succeeded);
    // Vendify, RukkyStore and RukaPay say "failed" (or refunded, cancelled) for an order
    // they reversed: before, only a conflicting_answer event was written.
    f.demo
        .script
        .lock()
        .expect("lock")
        .push_back(Scripted::Says(OutcomeStatus::Failed));
    let report = Sweeper::new(&f.console)
        .with_provider(DEMO_ACCOUNT_ID, f.demo.clone())
        .force_reviews(true)
        .run_until_idle(f.clock.now())
        .await
        .expect("sweep");
    assert_eq!(
        report.checked, 1,
        "the late look is taken now, not in an hour"
    );
    let d = f.detail(&o.id).await;
    assert_eq!(d.order.status, OrderStatus::Reversed);
    assert_eq!(kinds(&d), ["hold", "settle", "reversal"]);
    assert!(d
        .order
        .failure_reason
        .as_deref()
        .is_some_and(|r| r.contains("reversed")));
}

#[tokio::test]
async fn forced_reviews_look_once_and_keep_the_schedule() {
    let f = fixture().await;
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    let before = crate::ledger::orders::get(f.console.ledger().reader(), &o.id)
        .await
        .expect("read")
        .expect("order")
        .next_check_at;
    let report = Sweeper::new(&f.console)
        .with_provider(DEMO_ACCOUNT_ID, f.demo.clone())
        .force_reviews(true)
        .run_until_idle(f.clock.now())
        .await
        .expect("sweep");
    assert_eq!(report.checked, 1);
    let after = crate::ledger::orders::get(f.console.ledger().reader(), &o.id)
        .await
        .expect("read")
        .expect("order")
        .next_check_at;
    assert_eq!(before, after, "still due in an hour");
    assert_eq!(f.sweep().await.checked, 0, "an ordinary sweep waits for it");
}

#[tokio::test]
async fn an_unknown_outcome_says_it_may_have_gone_through_and_not_to_buy_again() {
    let f = fixture().await;
    f.demo.lose_answer.store(true, Ordering::SeqCst);
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Unknown);
    let reason = o.failure_reason.unwrap_or_default();
    assert!(reason.contains("may have gone through"), "{reason}");
    assert!(reason.contains(&o.reference), "{reason}");
    assert!(reason.contains("Do not buy it again"), "{reason}");
    assert!(!reason.to_lowercase().contains("try again"), "{reason}");
}

#[tokio::test]
async fn an_identical_order_still_being_checked_needs_a_confirmation() {
    let f = fixture().await;
    f.demo.lose_answer.store(true, Ordering::SeqCst);
    let first = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(first.status, OrderStatus::Unknown);
    let again = PlaceRequest {
        allow_duplicate: false,
        ..request("0803 123 4567", "1000")
    };
    let preview = preview_via(&f.console, f.demo.as_ref(), &again)
        .await
        .expect("preview");
    let said = preview.duplicate_of.expect("the preview says so");
    assert!(said.contains(&first.reference), "{said}");
    let before = counts(&f.console).await;
    let err = place_via(&f.console, f.demo.as_ref(), again.clone())
        .await
        .expect_err("asks first");
    assert_eq!(err.code(), ErrorCode::DuplicateOrder);
    assert!(err.to_string().contains("still being checked"), "{err}");
    assert_eq!(counts(&f.console).await, before, "nothing written");
    assert_eq!(f.demo.sent().len(), 1, "nothing sent");
    // Another amount is another order.
    let other = PlaceRequest {
        allow_duplicate: false,
        ..request("+2348031234567", "1500")
    };
    place_via(&f.console, f.demo.as_ref(), other)
        .await
        .expect("a different order goes through");
    // Confirmed: it goes.
    let confirmed = PlaceRequest {
        allow_duplicate: true,
        ..again
    };
    place_via(&f.console, f.demo.as_ref(), confirmed)
        .await
        .expect("confirmed");
    assert_eq!(f.demo.sent().len(), 3);
}

#[tokio::test]
async fn an_identical_order_that_just_succeeded_asks_for_ten_minutes() {
    let f = fixture().await;
    f.buy("+2348031234567", "1000").await.expect("placed");
    let again = PlaceRequest {
        allow_duplicate: false,
        ..request("+2348031234567", "1000")
    };
    let err = place_via(&f.console, f.demo.as_ref(), again.clone())
        .await
        .expect_err("asks first");
    assert_eq!(err.code(), ErrorCode::DuplicateOrder);
    f.advance(DUPLICATE_WINDOW_MINUTES * 60 + 1);
    place_via(&f.console, f.demo.as_ref(), again)
        .await
        .expect("a later sale of the same thing is ordinary");
}

#[tokio::test]
async fn a_price_above_the_confirmed_cost_is_refused_before_anything_is_written() {
    let f = fixture().await;
    let req = request("+2348031234567", "1000");
    let shown = preview_via(&f.console, f.demo.as_ref(), &req)
        .await
        .expect("preview")
        .cost;
    let cheaper: rust_decimal::Decimal = shown.amount.parse().expect("decimal");
    let stale = PlaceRequest {
        confirmed_cost: Some((cheaper - rust_decimal::Decimal::ONE).to_string()),
        ..req.clone()
    };
    let before = counts(&f.console).await;
    let err = place_via(&f.console, f.demo.as_ref(), stale)
        .await
        .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::PriceChanged);
    let msg = err.to_string();
    assert!(msg.contains("The price changed from"), "{msg}");
    assert!(msg.contains("confirm again"), "{msg}");
    assert_eq!(counts(&f.console).await, before);
    assert!(f.demo.sent().is_empty());
    let exact = PlaceRequest {
        confirmed_cost: Some(shown.amount.clone()),
        ..req
    };
    let o = place_via(&f.console, f.demo.as_ref(), exact)
        .await
        .expect("bought at the confirmed price");
    assert_eq!(o.cost.amount, shown.amount);
}

/// An order RukkyStore-style: sent, answer lost, no way to ask: a person must look.
async fn needing_attention(f: &Fixture) -> OrderView {
    f.demo.no_status_by_reference.store(true, Ordering::SeqCst);
    f.demo.lose_answer.store(true, Ordering::SeqCst);
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    f.advance(30);
    f.sweep().await;
    assert_eq!(status_of(f, &o.id).await, OrderStatus::NeedsAttention);
    o
}

async fn audit_rows(console: &Console) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT actor, action, COALESCE(subject, '') FROM audit_log ORDER BY id")
        .fetch_all(console.ledger().reader())
        .await
        .expect("audit")
}

#[tokio::test]
async fn a_person_resolves_a_needs_attention_order_as_succeeded_with_what_was_charged() {
    let f = fixture().await;
    let o = needing_attention(&f).await;
    let done = resolve(
        f.console.ledger(),
        &o.reference,
        &Resolution::Succeeded {
            provider_reference: " RUKKY-TRX-77 ".into(),
            charged: "950".into(),
        },
        "Ada (manager)",
        f.clock.now(),
    )
    .await
    .expect("resolved");
    assert_eq!(done.status, OrderStatus::Succeeded);
    assert_eq!(done.provider_reference.as_deref(), Some("RUKKY-TRX-77"));
    assert_eq!(
        done.charged.as_ref().map(|c| c.amount.as_str()),
        Some("950.00")
    );
    let d = f.detail(&o.id).await;
    assert_eq!(
        kinds(&d),
        ["hold", "settle", "release"],
        "the rest of the hold goes back"
    );
    let event = d.events.last().expect("event");
    assert_eq!(event.kind, "resolved_succeeded");
    assert_eq!(
        audit_rows(&f.console).await.last(),
        Some(&(
            "Ada (manager)".to_owned(),
            "order.resolve".to_owned(),
            o.reference.clone()
        ))
    );
}

#[tokio::test]
async fn a_person_resolves_a_needs_attention_order_as_failed_and_the_hold_is_released() {
    let f = fixture().await;
    let o = needing_attention(&f).await;
    let done = resolve(
        f.console.ledger(),
        &o.id,
        &Resolution::Failed {
            note: "not in the RukkyStore portal".into(),
        },
        "owner",
        f.clock.now(),
    )
    .await
    .expect("resolved");
    assert_eq!(done.status, OrderStatus::Failed);
    assert_eq!(
        done.failure_reason.as_deref(),
        Some("not in the RukkyStore portal")
    );
    assert_eq!(kinds(&f.detail(&o.id).await), ["hold", "release"]);
}

#[tokio::test]
async fn resolving_by_hand_refuses_bad_input_and_orders_that_need_no_person() {
    let f = fixture().await;
    let o = needing_attention(&f).await;
    let before = counts(&f.console).await;
    let cases = [
        (
            Resolution::Succeeded {
                provider_reference: " ".into(),
                charged: "950".into(),
            },
            "owner",
            "provider_reference",
        ),
        (
            Resolution::Succeeded {
                provider_reference: "T1".into(),
                charged: "lots".into(),
            },
            "owner",
            "charged",
        ),
        (Resolution::Failed { note: "".into() }, "owner", "note"),
        (
            Resolution::Failed {
                note: "gone".into(),
            },
            " ",
            "actor",
        ),
    ];
    for (r, actor, field) in cases {
        let err = resolve(f.console.ledger(), &o.id, &r, actor, f.clock.now())
            .await
            .expect_err("refused");
        assert_eq!(err.field(), Some(field), "{err}");
    }
    assert_eq!(counts(&f.console).await, before, "nothing changed");
    // A succeeded order is not a person's to flip.
    f.demo.no_status_by_reference.store(false, Ordering::SeqCst);
    let ok = f.buy("+2348039999999", "1000").await.expect("placed");
    let err = resolve(
        f.console.ledger(),
        &ok.reference,
        &Resolution::Failed {
            note: "changed my mind".into(),
        },
        "owner",
        f.clock.now(),
    )
    .await
    .expect_err("refused");
    assert!(
        err.to_string().contains("not waiting for a person"),
        "{err}"
    );
    let missing = resolve(
        f.console.ledger(),
        "RC-NOPE",
        &Resolution::Failed { note: "x".into() },
        "owner",
        f.clock.now(),
    )
    .await
    .expect_err("missing");
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn orders_needing_a_person_and_recent_reversals_are_listed_for_the_dashboard() {
    let f = fixture().await;
    let ok = f.buy("+2348031234567", "1000").await.expect("placed");
    f.demo
        .script
        .lock()
        .expect("lock")
        .push_back(Scripted::Says(OutcomeStatus::Failed));
    Sweeper::new(&f.console)
        .with_provider(DEMO_ACCOUNT_ID, f.demo.clone())
        .force_reviews(true)
        .run_until_idle(f.clock.now())
        .await
        .expect("sweep");
    let stuck = needing_attention(&f).await;
    let listed: Vec<String> = attention(f.console.ledger().reader(), f.clock.now())
        .await
        .expect("list")
        .into_iter()
        .map(|o| o.reference)
        .collect();
    assert_eq!(listed, [stuck.reference.clone(), ok.reference.clone()]);
    // A week on, the reversal has been seen; the stuck order still waits.
    f.advance(REVERSED_SHOWN_DAYS * 86_400 + 60);
    let listed: Vec<String> = attention(f.console.ledger().reader(), f.clock.now())
        .await
        .expect("list")
        .into_iter()
        .map(|o| o.reference)
        .collect();
    assert_eq!(listed, [stuck.reference]);
}

#[tokio::test]
async fn the_dashboard_list_reads_its_index_not_the_whole_history() {
    let f = fixture().await;
    let plan: Vec<String> = sqlx::query(&format!(
        "EXPLAIN QUERY PLAN {}",
        crate::ledger::orders::ATTENTION_SQL
    ))
    .bind("2026-01-01")
    .bind(20)
    .fetch_all(f.console.ledger().reader())
    .await
    .expect("plan")
    .iter()
    .map(|r| sqlx::Row::get::<String, _>(r, "detail"))
    .collect();
    assert!(
        plan.iter().any(|d| d.contains("orders_attention")),
        "{plan:#?}"
    );
}

#[tokio::test]
async fn a_succeeded_order_keeps_no_earlier_failure_text() {
    let f = fixture().await;
    f.demo.lose_answer.store(true, Ordering::SeqCst);
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert!(o.failure_reason.is_some(), "the unknown outcome says why");
    f.advance(10);
    f.sweep().await;
    let now = f.detail(&o.id).await.order;
    assert_eq!(now.status, OrderStatus::Succeeded);
    assert_eq!(now.failure_reason, None);
}

#[tokio::test]
async fn an_account_with_one_wallet_pays_from_it_without_being_told() {
    let f = fixture().await;
    f.demo.one_wallet.store(true, Ordering::SeqCst);
    // Before: "wallet: choose the wallet that pays for this order" on every buy.
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.wallet_id, "NGN-DEMO");
    assert_eq!(o.status, OrderStatus::Succeeded);
}
