//! One test per path of the spine: success, failure, pending both ways, the race for the
//! last of a balance, bad input, a crash before sending, lost answers, reversals, paging.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::*;
use crate::error::ErrorCode;
use crate::ledger::balances;
use crate::money::Money;

pub(super) struct Fixture {
    pub console: Console,
    pub clock: ManualClock,
    pub demo: Arc<Recorder>,
    pub dir: tempfile::TempDir,
}

pub(super) async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tmp");
    let clock = ManualClock::at(start());
    let console = open_console(dir.path(), &clock).await;
    let demo = Recorder::open(dir.path(), &clock).await;
    Fixture {
        console,
        clock,
        demo,
        dir,
    }
}

impl Fixture {
    pub async fn buy(&self, to: &str, amount: &str) -> crate::Result<OrderView> {
        place_via(&self.console, self.demo.as_ref(), request(to, amount)).await
    }
    pub async fn sweep(&self) -> SweepReport {
        Sweeper::new(&self.console)
            .with_provider(DEMO_ACCOUNT_ID, self.demo.clone())
            .run_until_idle(self.clock.now())
            .await
            .expect("sweep")
    }
    pub fn advance(&self, secs: i64) {
        self.clock.advance(chrono::Duration::seconds(secs));
    }
    pub async fn check(&self) {
        check_invariants(&self.console, self.dir.path(), &self.demo.sent()).await;
    }
    pub async fn detail(&self, id: &str) -> OrderDetailView {
        show(self.console.ledger().reader(), id)
            .await
            .expect("show")
    }
}

use crate::clock::Clock;

async fn sweep_with(console: &Console, demo: &Arc<Recorder>, clock: &ManualClock) -> SweepReport {
    Sweeper::new(console)
        .with_provider(DEMO_ACCOUNT_ID, demo.clone())
        .run_until_idle(clock.now())
        .await
        .expect("sweep")
}

pub(super) fn kinds(d: &OrderDetailView) -> Vec<String> {
    d.entries.iter().map(|e| e.kind.clone()).collect()
}

#[tokio::test]
async fn a_purchase_holds_then_settles_and_records_the_balance() {
    let f = fixture().await;
    let o = f.buy("+234 803 123 4567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Succeeded);
    assert_eq!(o.cost.amount, "970.00");
    assert_eq!(o.recipient, "+2348031234567");
    assert!(o.reference.starts_with("RC-") && o.reference.len() <= 50);
    let d = f.detail(&o.reference).await;
    assert_eq!(kinds(&d), ["hold", "settle"]);
    let moves: Vec<_> = d
        .events
        .iter()
        .map(|e| (e.from_status.clone(), e.to_status.clone()))
        .collect();
    assert_eq!(
        moves,
        [
            (None, Some("prepared".to_owned())),
            (Some("prepared".to_owned()), Some("submitted".to_owned())),
            (Some("submitted".to_owned()), Some("succeeded".to_owned())),
        ]
    );
    assert!(d.delivery.is_some(), "the delivery row is stored");
    let seen = balances::latest(f.console.ledger().reader(), DEMO_ACCOUNT_ID)
        .await
        .expect("balances");
    let ngn = seen
        .iter()
        .find(|b| b.wallet_id == "NGN-DEMO")
        .expect("NGN");
    assert_eq!(ngn.balance.amount_string(), "1249030.00");
    assert_eq!(ngn.source, "order");
    f.check().await;
}

#[tokio::test]
async fn a_failing_number_releases_the_hold_and_the_balance_is_back() {
    let f = fixture().await;
    let o = f.buy("+2348030000001", "2000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Failed);
    assert!(
        o.failure_reason.as_deref().unwrap_or("").contains("barred"),
        "{o:?}"
    );
    let d = f.detail(&o.id).await;
    assert_eq!(kinds(&d), ["hold", "release"]);
    let held = crate::ledger::entries::outstanding_holds(
        f.console.ledger().reader(),
        DEMO_ACCOUNT_ID,
        "NGN-DEMO",
    )
    .await
    .expect("held");
    assert_eq!(held, 0);
    let p = preview_via(
        &f.console,
        f.demo.as_ref(),
        &request("+2348031234567", "1000"),
    )
    .await
    .expect("preview");
    assert_eq!(p.available.expect("known").amount, "1250000.00");
    f.check().await;
}

#[tokio::test]
async fn pending_then_success_settles_when_the_sweeper_asks_after_the_delay() {
    let f = fixture().await;
    let o = f.buy("+2348030000002", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Pending);
    assert!(f.sweep().await.changes.is_empty(), "nothing is due yet");
    f.advance(5);
    let r = f.sweep().await;
    assert_eq!(r.changes.len(), 1, "{r:?}");
    assert_eq!(r.changes[0].to, OrderStatus::Succeeded);
    let d = f.detail(&o.id).await;
    assert_eq!(d.order.status, OrderStatus::Succeeded);
    assert_eq!(kinds(&d), ["hold", "settle"]);
    f.check().await;
}

#[tokio::test]
async fn pending_then_failure_releases_when_the_sweeper_asks_after_the_delay() {
    let f = fixture().await;
    let o = f.buy("+2348030000003", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Pending);
    f.check().await;
    f.advance(2);
    assert!(f.sweep().await.changes.is_empty());
    f.advance(3);
    let r = f.sweep().await;
    assert_eq!(r.changes.len(), 1, "{r:?}");
    let d = f.detail(&o.id).await;
    assert_eq!(d.order.status, OrderStatus::Failed);
    assert_eq!(kinds(&d), ["hold", "release"]);
    f.check().await;
}

#[tokio::test]
async fn two_purchases_racing_for_the_last_of_a_balance_never_both_pass() {
    let dir = tempfile::tempdir().expect("tmp");
    let clock = ManualClock::at(start());
    let console = open_console(dir.path(), &clock).await;
    let mut recorder = Recorder::open(dir.path(), &clock).await;
    // The wallet holds 60,000: enough for one 48,500 order, not two.
    let pool = demo_pool(dir.path()).await;
    sqlx::query("UPDATE wallets SET units = 600000000 WHERE wallet_id = 'NGN-DEMO'")
        .execute(&pool)
        .await
        .expect("set balance");
    pool.close().await;
    // Both purchases wait at the provider's door until both have passed (or failed) the
    // funds check, so neither can be answered before the other checks.
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    Arc::get_mut(&mut recorder).expect("unique").gate = Some(gate.clone());
    let before = counts(&console).await;
    let (a, b, ()) = tokio::join!(
        place_via(
            &console,
            recorder.as_ref(),
            request("+2348031111111", "50000")
        ),
        place_via(
            &console,
            recorder.as_ref(),
            request("+2348032222222", "50000")
        ),
        async {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            gate.add_permits(2);
        }
    );
    let results = [a, b];
    let ok: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    let refused: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(ok.len(), 1, "exactly one passes: {results:?}");
    assert_eq!(ok[0].status, OrderStatus::Succeeded);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].code(), ErrorCode::InsufficientBalance);
    let msg = refused[0].to_string();
    assert!(msg.contains("₦37,000.00 short"), "{msg}");
    assert_eq!(
        recorder.sent().len(),
        1,
        "only one request reached the provider"
    );
    let after = counts(&console).await;
    let orders = |c: &[(String, i64)]| c.iter().find(|(t, _)| t == "orders").map(|x| x.1);
    assert_eq!(orders(&after), orders(&before).map(|n| n + 1));
    check_invariants(&console, dir.path(), &recorder.sent()).await;
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let f = fixture().await;
    // A first purchase so the balance is recorded and later reads have something to see.
    f.buy("+2348031234567", "1000").await.expect("placed");
    let before = counts(&f.console).await;
    let demo_before = demo_books(f.dir.path()).await.len();
    let cases: Vec<(PlaceRequest, &str)> = vec![
        (request("   ", "1000"), "recipient"),
        // A UK number for a Nigerian product, a number a digit short, letters.
        (request("+44 7700 900123", "1000"), "recipient"),
        (request("0803 123 456", "1000"), "recipient"),
        (request("0803-CALL-ME", "1000"), "recipient"),
        (request("+2348031234567", "abc"), "amount"),
        (request("+2348031234567", "0"), "amount"),
        (request("+2348031234567", "100"), "amount"),
        (request("+2348031234567", "60000"), "amount"),
        (request("+2348031234567", "1000.00001"), "amount"),
        (
            PlaceRequest {
                product_id: "nope".into(),
                ..request("+2348031234567", "1000")
            },
            "product",
        ),
        (
            PlaceRequest {
                product_id: " ".into(),
                ..request("+2348031234567", "1000")
            },
            "product",
        ),
        (
            PlaceRequest {
                currency: Some("GBP".into()),
                ..request("+2348031234567", "1000")
            },
            "currency",
        ),
        (
            PlaceRequest {
                account_id: "ghost".into(),
                ..request("+2348031234567", "1000")
            },
            "account",
        ),
        (
            PlaceRequest {
                wallet_id: Some(String::new()),
                ..request("+2348031234567", "1000")
            },
            "wallet",
        ),
        (
            PlaceRequest {
                wallet_id: Some("GBP-DEMO".into()),
                ..request("+2348031234567", "1000")
            },
            "wallet",
        ),
    ];
    for (req, field) in cases {
        // Through the console's own provider too, where the account is looked up first.
        let err = place(&f.console, req.clone()).await.expect_err("refused");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{field}: {err}");
        assert_eq!(err.field(), Some(field), "{err}");
        assert!(!err.to_string().is_empty());
        assert_eq!(counts(&f.console).await, before, "{field}: nothing written");
    }
    // GBP-DEMO's balance must be known for the wallet check above to bite.
    assert_eq!(demo_books(f.dir.path()).await.len(), demo_before);
    assert_eq!(f.demo.sent().len(), 1);
}

#[tokio::test]
async fn an_intent_left_by_a_crash_is_failed_released_and_never_sent() {
    let dir = tempfile::tempdir().expect("tmp");
    let clock = ManualClock::at(start());
    let reference;
    {
        let console = open_console(dir.path(), &clock).await;
        let demo = Recorder::open(dir.path(), &clock).await;
        let v = validate(&console, demo.as_ref(), &request("+2348031234567", "1000"))
            .await
            .expect("valid");
        let row = intent(console.ledger(), &v, clock.now(), true)
            .await
            .expect("intent");
        reference = row.reference;
        // The process dies here: no `submitted`, nothing sent.
    }
    let console = open_console(dir.path(), &clock).await;
    let demo = Recorder::open(dir.path(), &clock).await;
    assert!(
        sweep_with(&console, &demo, &clock).await.changes.is_empty(),
        "a fresh intent is given time"
    );
    clock.advance(chrono::Duration::seconds(61));
    let r = sweep_with(&console, &demo, &clock).await;
    assert_eq!(r.changes.len(), 1, "{r:?}");
    assert_eq!(r.changes[0].to, OrderStatus::Failed);
    assert_eq!(r.checked, 0, "no status query for an order never sent");
    let d = show(console.ledger().reader(), &reference)
        .await
        .expect("show");
    assert_eq!(d.order.status, OrderStatus::Failed);
    assert_eq!(kinds(&d), ["hold", "release"]);
    assert!(d.events.iter().any(|e| e.kind == "never_sent"));
    assert!(d
        .order
        .failure_reason
        .as_deref()
        .unwrap_or("")
        .contains("never sent"));
    assert!(demo.sent().is_empty());
    assert!(!demo_books(dir.path()).await.contains_key(&reference));
    check_invariants(&console, dir.path(), &demo.sent()).await;
}

#[tokio::test]
async fn a_lost_answer_is_unknown_then_resolved_by_status_never_resent() {
    let f = fixture().await;
    f.demo.lose_answer.store(true, Ordering::SeqCst);
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Unknown);
    assert_eq!(
        demo_books(f.dir.path()).await.len(),
        1,
        "the provider charged"
    );
    f.check().await;
    f.advance(5);
    let r = f.sweep().await;
    assert_eq!(r.changes.len(), 1, "{r:?}");
    let d = f.detail(&o.id).await;
    assert_eq!(d.order.status, OrderStatus::Succeeded);
    assert_eq!(kinds(&d), ["hold", "settle"]);
    assert_eq!(
        f.demo.sent(),
        std::slice::from_ref(&o.reference),
        "sent once"
    );
    f.check().await;
}

#[tokio::test]
async fn a_request_that_never_arrived_fails_after_a_few_not_found_answers() {
    let f = fixture().await;
    f.demo.drop_request.store(true, Ordering::SeqCst);
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Unknown);
    for (wait, status) in [
        (5, OrderStatus::Unknown),
        (15, OrderStatus::Unknown),
        (30, OrderStatus::Failed),
    ] {
        f.advance(wait);
        f.sweep().await;
        assert_eq!(f.detail(&o.id).await.order.status, status, "after {wait}");
        f.check().await;
    }
    let d = f.detail(&o.id).await;
    assert_eq!(kinds(&d), ["hold", "release"]);
    assert_eq!(d.order.status_checks, 3);
    assert!(d.events.iter().any(|e| e.kind == "never_arrived"));
    assert_eq!(f.demo.sent().len(), 1);
}

#[tokio::test]
async fn without_status_by_reference_an_unanswered_order_needs_attention() {
    let f = fixture().await;
    f.demo.no_status_by_reference.store(true, Ordering::SeqCst);
    f.demo.drop_request.store(true, Ordering::SeqCst);
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    assert_eq!(o.status, OrderStatus::Unknown);
    f.advance(5);
    let r = f.sweep().await;
    assert_eq!(r.changes[0].to, OrderStatus::NeedsAttention, "{r:?}");
    let d = f.detail(&o.id).await;
    assert_eq!(
        kinds(&d),
        ["hold"],
        "the money stays held until a person decides"
    );
    f.advance(3600);
    assert!(f.sweep().await.changes.is_empty());
    assert_eq!(f.demo.sent().len(), 1, "never resent");
    f.check().await;
}

#[tokio::test]
async fn a_late_reversal_is_a_new_entry_and_repeating_it_changes_nothing() {
    let f = fixture().await;
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    let pool = demo_pool(f.dir.path()).await;
    sqlx::query("UPDATE transactions SET status = 'REVERSED' WHERE reference = ?")
        .bind(&o.reference)
        .execute(&pool)
        .await
        .expect("reverse");
    pool.close().await;
    let lookup = StatusLookup {
        reference: o.reference.clone(),
        nonce: String::new(),
        provider_reference: o.provider_reference.clone(),
    };
    let answer = f.demo.status(&lookup).await.expect("status");
    for expected in [Some((OrderStatus::Succeeded, OrderStatus::Reversed)), None] {
        let moved = super::super::record::apply(
            f.console.ledger(),
            &o.id,
            &answer,
            f.clock.now(),
            super::super::record::Source::Status,
        )
        .await
        .expect("apply");
        assert_eq!(moved, expected);
    }
    let d = f.detail(&o.id).await;
    assert_eq!(d.order.status, OrderStatus::Reversed);
    assert_eq!(kinds(&d), ["hold", "settle", "reversal"]);
}

#[tokio::test]
async fn the_same_final_answer_twice_posts_nothing_twice() {
    let f = fixture().await;
    let o = f.buy("+2348031234567", "1000").await.expect("placed");
    let lookup = StatusLookup {
        reference: o.reference.clone(),
        nonce: String::new(),
        provider_reference: None,
    };
    let answer = f.demo.status(&lookup).await.expect("status");
    let before = f.detail(&o.id).await;
    super::super::record::apply(
        f.console.ledger(),
        &o.id,
        &answer,
        f.clock.now(),
        super::super::record::Source::Status,
    )
    .await
    .expect("apply");
    let after = f.detail(&o.id).await;
    assert_eq!(kinds(&after), kinds(&before));
    assert_eq!(after.events.len(), before.events.len());
}

#[tokio::test]
async fn history_pages_by_keyset_newest_first_without_gaps_or_repeats() {
    let f = fixture().await;
    let mut placed = Vec::new();
    for i in 0..5 {
        let to = if i == 2 {
            "+2348030000001"
        } else {
            "+2348031234567"
        };
        placed.push(f.buy(to, "500").await.expect("placed").id);
        f.advance(1);
    }
    let reader = f.console.ledger().reader();
    let mut seen = Vec::new();
    let mut page = PageRequest {
        limit: 2,
        after: None,
    };
    loop {
        let p = list(reader, &OrderFilter::default(), &page)
            .await
            .expect("page");
        assert!(p.orders.len() <= 2);
        seen.extend(p.orders.iter().map(|o| o.id.clone()));
        match p.next {
            Some(n) => page.after = Some(n),
            None => break,
        }
    }
    placed.reverse();
    assert_eq!(seen, placed);
    let failed = list(
        reader,
        &OrderFilter {
            status: Some(OrderStatus::Failed),
            account_id: None,
        },
        &PageRequest::default(),
    )
    .await
    .expect("failed");
    assert_eq!(failed.orders.len(), 1);
    let bad = list(
        reader,
        &OrderFilter::default(),
        &PageRequest {
            limit: 0,
            after: None,
        },
    )
    .await
    .expect_err("limit");
    assert_eq!(bad.field(), Some("limit"));
    let missing = show(reader, "RC-NOPE").await.expect_err("missing");
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[test]
fn every_legal_move_is_in_the_design_and_finals_stay_final() {
    use OrderStatus::*;
    assert!(Prepared.can_move_to(Submitted));
    assert!(!Prepared.can_move_to(Succeeded), "never succeeds unsent");
    // Only for an order given up as never arrived that the provider booked late (apply
    // checks that it is still under a late look); a refused order stays failed.
    assert!(Failed.can_move_to(Succeeded));
    assert!(!Failed.can_move_to(Pending));
    assert!(!Failed.can_move_to(Reversed));
    assert!(
        NeedsAttention.can_move_to(Succeeded),
        "a late answer after a sweep"
    );
    assert!(
        NeedsAttention.can_move_to(Failed),
        "a person who checked the portal"
    );
    assert!(!Reversed.can_move_to(Succeeded));
    assert!(Succeeded.can_move_to(Reversed));
    for s in OrderStatus::ALL {
        assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(s));
    }
    let _ = Money::parse("1", "NGN");
}

#[tokio::test]
async fn a_local_number_is_sent_in_e164() {
    let f = fixture().await;
    let o = f.buy("0803 123 4567", "1000").await.expect("placed");
    assert_eq!(o.recipient, "+2348031234567");
    let pool = demo_pool(f.dir.path()).await;
    let sent: String = sqlx::query_scalar("SELECT recipient FROM transactions WHERE reference = ?")
        .bind(&o.reference)
        .fetch_one(&pool)
        .await
        .expect("the provider has it");
    assert_eq!(
        sent, "+2348031234567",
        "the provider received the E.164 form"
    );
}
