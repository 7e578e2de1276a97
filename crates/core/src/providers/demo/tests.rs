use std::sync::Arc;

use chrono::TimeZone;

use super::*;
use crate::clock::ManualClock;
use crate::providers::conformance::{self, Harness, Script};
use crate::providers::http::HttpPolicy;

struct DemoHarness {
    provider: DemoProvider,
    clock: ManualClock,
    _dir: tempfile::TempDir,
}

async fn demo() -> DemoHarness {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::at(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
            .single()
            .expect("date"),
    );
    let ctx = ProviderContext {
        data_dir: dir.path().to_owned(),
        clock: Arc::new(clock.clone()),
        http: HttpPolicy::default(),
    };
    let provider = DemoProvider::open(&ctx).await.expect("demo opens");
    DemoHarness {
        provider,
        clock,
        _dir: dir,
    }
}

fn request(recipient: &str, n: u32, product: &str, face: &str, cur: &str) -> PurchaseRequest {
    PurchaseRequest {
        reference: format!("RC-TEST-{n}"),
        nonce: format!("nonce-{n}"),
        product_id: product.to_owned(),
        product_code: None,
        provider_ref: None,
        recipient: recipient.to_owned(),
        face_value: Money::parse(face, cur).expect("money"),
        wallet_id: None,
        account_name: None,
        phone: None,
        email: None,
        service_type: None,
    }
}

#[async_trait]
impl Harness for DemoHarness {
    fn provider(&self) -> &dyn Provider {
        &self.provider
    }
    async fn purchase(&self, script: Script, n: u32) -> PurchaseRequest {
        let number = match script {
            Script::Succeed => "+2348031234567",
            Script::Fail => "+2348000000001",
            Script::PendingThenSucceed => "+2348000000002",
            Script::PendingThenFail => "+2348000000003",
        };
        request(number, n, "9418", "1000", "NGN")
    }
    async fn settle(&self) {
        self.clock
            .advance(chrono::Duration::seconds(SETTLE_AFTER_SECS + 1));
    }
}

#[tokio::test]
async fn demo_passes_the_conformance_suite() {
    conformance::run(&demo().await).await;
}

#[tokio::test]
async fn purchase_debits_and_pending_failure_refunds() {
    let h = demo().await;
    let p = &h.provider;
    let ngn = |b: &[WalletBalance]| {
        b.iter()
            .find(|w| w.wallet_id == "NGN-DEMO")
            .map(|w| w.balance.amount)
    };
    let start = ngn(&p.balances().await.expect("balances")).expect("NGN wallet");
    let out = p
        .submit(&request("+2348031234567", 1, "9418", "1000", "NGN"))
        .await
        .expect("buy");
    // 97% of ₦1,000.
    assert_eq!(
        out.charged.as_ref().map(|m| m.amount),
        Some(Decimal::from(970))
    );
    let after = ngn(&p.balances().await.expect("balances")).expect("NGN wallet");
    assert_eq!(start - after, Decimal::from(970));

    let pend = request("+2348000000003", 2, "9418", "1000", "NGN");
    assert_eq!(
        p.submit(&pend).await.expect("pending").status,
        OutcomeStatus::Pending
    );
    assert_eq!(
        ngn(&p.balances().await.expect("b")).expect("w"),
        after - Decimal::from(970)
    );
    let look = StatusLookup {
        reference: pend.reference.clone(),
        nonce: pend.nonce.clone(),
        provider_reference: None,
    };
    // Not yet due: still pending.
    assert_eq!(
        p.status(&look).await.expect("status").status,
        OutcomeStatus::Pending
    );
    h.clock
        .advance(chrono::Duration::seconds(SETTLE_AFTER_SECS));
    assert_eq!(
        p.status(&look).await.expect("status").status,
        OutcomeStatus::Failed
    );
    assert_eq!(
        ngn(&p.balances().await.expect("b")).expect("w"),
        after,
        "failure refunded"
    );
    // Asking again does not refund twice.
    assert_eq!(
        p.status(&look).await.expect("status").status,
        OutcomeStatus::Failed
    );
    assert_eq!(ngn(&p.balances().await.expect("b")).expect("w"), after);
}

#[tokio::test]
async fn a_repeated_reference_is_answered_not_charged_again() {
    let h = demo().await;
    let req = request("+2348031234567", 7, "9418", "500", "NGN");
    let first = h.provider.submit(&req).await.expect("first");
    let before = h.provider.balances().await.expect("b");
    let second = h.provider.submit(&req).await.expect("second");
    assert_eq!(first.provider_reference, second.provider_reference);
    assert_eq!(before, h.provider.balances().await.expect("b"));
}

#[tokio::test]
async fn insufficient_balance_is_refused_with_the_amounts() {
    let h = demo().await;
    // £850 GBP wallet cannot pay for a £1000 voucher at 95%.
    let mut req = request("someone@example.com", 9, "4299", "1000", "GBP");
    req.wallet_id = Some("GBP-DEMO".to_owned());
    match h.provider.submit(&req).await {
        Err(ProviderError::InsufficientBalance { message, .. }) => {
            assert!(
                message.contains("GBP 850") && message.contains("GBP 950"),
                "{message}"
            )
        }
        other => panic!("expected insufficient balance, got {other:?}"),
    }
}

#[tokio::test]
async fn out_of_range_amounts_and_unknown_products_are_rejected() {
    let h = demo().await;
    let err = h
        .provider
        .submit(&request("+2348031234567", 1, "9418", "100", "NGN"))
        .await
        .expect_err("below min");
    assert!(matches!(err, ProviderError::Rejected { .. }) && !err.outcome_unknown());
    let err = h
        .provider
        .submit(&request("+2348031234567", 2, "nope", "100", "NGN"))
        .await
        .expect_err("unknown");
    assert!(matches!(err, ProviderError::Rejected { .. }));
}

#[tokio::test]
async fn esim_and_voucher_deliveries_are_complete_and_stable() {
    let h = demo().await;
    let out = h
        .provider
        .submit(&request("+447700900123", 1, "5906", "7.20", "USD"))
        .await
        .expect("esim");
    let esim = out.delivery.esim.clone().expect("esim delivery");
    assert!(esim
        .activation_code
        .as_deref()
        .is_some_and(|c| c.starts_with("LPA:1$")));
    assert!(esim
        .ios_install_url
        .as_deref()
        .is_some_and(|u| u.contains("carddata=LPA:1$")));
    assert!(esim.iccid.as_deref().is_some_and(|i| i.len() == 19));
    let again = h
        .provider
        .status(&StatusLookup {
            reference: "RC-TEST-1".into(),
            nonce: "nonce-1".into(),
            provider_reference: None,
        })
        .await
        .expect("status");
    assert_eq!(
        again.delivery, out.delivery,
        "delivery is the same when asked again"
    );
}

#[tokio::test]
async fn dstv_validation_lists_bouquets_and_rejects_bad_cards() {
    let h = demo().await;
    let ok = h
        .provider
        .validate_account(&ValidateRequest {
            product_id: "9422".into(),
            account_number: "4222863979".into(),
            service_type: None,
        })
        .await
        .expect("validate");
    assert!(ok.valid);
    assert_eq!(ok.account_name.as_deref(), Some("Test User"));
    assert_eq!(ok.options.len(), 8);
    let bad = h
        .provider
        .validate_account(&ValidateRequest {
            product_id: "9422".into(),
            account_number: "12345".into(),
            service_type: None,
        })
        .await
        .expect("answers");
    assert!(!bad.valid);
}

#[tokio::test]
async fn catalogue_filters_by_category_country_and_search() {
    let h = demo().await;
    let q = |f: fn(&mut CatalogueQuery)| {
        let mut q = CatalogueQuery::default();
        f(&mut q);
        q
    };
    let airtime = h
        .provider
        .catalogue(&q(|q| q.category = Some("airtime".into())))
        .await
        .expect("c");
    assert!(airtime.iter().all(|p| p.category_code == "airtime") && airtime.len() >= 5);
    let gb = h
        .provider
        .catalogue(&q(|q| q.country = Some("GBR".into())))
        .await
        .expect("c");
    assert!(
        gb.iter()
            .all(|p| p.country_codes.contains(&"GBR".to_owned()))
            && !gb.is_empty()
    );
    let esim = h
        .provider
        .catalogue(&q(|q| q.search = Some("middle east".into())))
        .await
        .expect("c");
    assert_eq!(esim.len(), 1);
    assert_eq!(esim[0].id, "5906");
    // Amazon priced from the GBP wallet at 95%.
    let amazon = h
        .provider
        .catalogue(&q(|q| q.brand_family = Some("Amazon".into())))
        .await
        .expect("c");
    assert_eq!(amazon.len(), 2);
    let in_ngn = h
        .provider
        .catalogue(&q(|q| {
            q.brand_family = Some("Amazon".into());
            q.wallet_id = Some("NGN-DEMO".into());
        }))
        .await
        .expect("c");
    // £2 * 2313.30 * 95% = ₦4,395.27
    assert_eq!(
        in_ngn[0].cost.as_ref().map(|m| m.amount.to_string()),
        Some("4395.27".to_owned())
    );
}

#[test]
fn sandbox_numbers_are_read_from_the_last_seven_digits() {
    assert_eq!(
        sandbox_behaviour("+234 800 000 0001"),
        SandboxBehaviour::FailNow
    );
    assert_eq!(
        sandbox_behaviour("08000000002"),
        SandboxBehaviour::PendingThenSucceed
    );
    assert_eq!(
        sandbox_behaviour("+447000000003"),
        SandboxBehaviour::PendingThenFail
    );
    assert_eq!(
        sandbox_behaviour("08030000004"),
        SandboxBehaviour::SlowAnswer
    );
    assert_eq!(
        sandbox_behaviour("08030000008"),
        SandboxBehaviour::PendingThenLost
    );
    assert_eq!(
        sandbox_behaviour("+2348031234567"),
        SandboxBehaviour::Succeed
    );
}

#[test]
fn every_catalogue_currency_and_fx_code_is_valid() {
    for p in catalogue::PRODUCTS {
        assert!(Currency::new(p.currency).is_ok(), "{}", p.id);
        assert!(!catalogue::denominations(p).is_empty(), "{}", p.id);
    }
    for (f, t, r) in catalogue::FX {
        assert!(Currency::new(f).is_ok() && Currency::new(t).is_ok());
        assert!(crate::money::parse_amount(r).is_ok());
    }
}
