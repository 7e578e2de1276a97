//! The real adapters from `reseller-core` against the fake: `connect`, `submit`, `status`
//! and `balances` for each kind, proving the fake speaks each adapter's protocol.

mod common;

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

use common::Server;
use reseller_core::clock::SystemClock;
use reseller_core::money::{Currency, Money};
use reseller_core::providers::http::HttpPolicy;
use reseller_core::providers::{
    connect, AccountConfig, Environment, OutcomeStatus, Provider, ProviderContext, ProviderKind,
    PurchaseRequest, StatusLookup,
};
use reseller_core::secrets::Secret;
use rust_decimal::Decimal;

fn ctx(dir: &std::path::Path) -> ProviderContext {
    ProviderContext {
        data_dir: dir.to_owned(),
        clock: Arc::new(SystemClock),
        http: HttpPolicy::default(),
    }
}

fn config(kind: ProviderKind, base: &str) -> AccountConfig {
    let mut settings = serde_json::Map::new();
    let mut secrets = BTreeMap::new();
    let mut secret = |k: &str, v: &str| {
        secrets.insert(k.to_owned(), Secret::new(v));
    };
    match kind {
        ProviderKind::Vendify => {
            secret("api_key", "fake-key");
            settings.insert("wallet_id".into(), "NGN-1001".into());
        }
        ProviderKind::Estoresms => {
            secret("api_token", "fake-token");
            secret("password", "fake-password");
            settings.insert("username".into(), "reseller".into());
            settings.insert("email".into(), "reseller@example.com".into());
        }
        ProviderKind::Rukapay => secret("api_key", "fake-key"),
        ProviderKind::Rukky => {
            secret("api_key", "fake-key");
            secret("pin", "1234");
        }
        ProviderKind::Demo => {}
    }
    AccountConfig {
        account_id: format!("acc-{kind}"),
        kind,
        environment: Environment::Custom,
        base_url: base.to_owned(),
        settings,
        secrets,
    }
}

fn money(amount: i64, currency: &str) -> Money {
    Money::new(
        Decimal::from(amount),
        Currency::new(currency).expect("currency"),
    )
}

/// A purchase of 500 for `recipient`, in each adapter's product ids.
fn request(kind: ProviderKind, reference: &str, recipient: &str) -> PurchaseRequest {
    let (product, provider_ref, currency) = match kind {
        ProviderKind::Vendify => ("9418", Some("123"), "NGN"),
        ProviderKind::Estoresms => ("NG-MTN-OR", Some("airtime/range"), "NGN"),
        ProviderKind::Rukapay => ("airtime:MTN", None, "UGX"),
        _ => ("airtime:mtn", None, "NGN"),
    };
    PurchaseRequest {
        reference: reference.to_owned(),
        nonce: format!("nonce-{reference}"),
        product_id: product.to_owned(),
        product_code: None,
        provider_ref: provider_ref.map(str::to_owned),
        recipient: recipient.to_owned(),
        face_value: money(500, currency),
        wallet_id: None,
        account_name: None,
        phone: None,
        email: None,
        service_type: None,
    }
}

fn phone(kind: ProviderKind, tail: &str) -> String {
    match kind {
        ProviderKind::Rukapay => format!("+25670{tail}"),
        _ => format!("+234803{tail}"),
    }
}

fn lookup(req: &PurchaseRequest, provider_reference: Option<String>) -> StatusLookup {
    StatusLookup {
        reference: req.reference.clone(),
        nonce: req.nonce.clone(),
        provider_reference,
    }
}

async fn round_trip(kind: ProviderKind, name: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start(name, &dir.path().join("state"), &["--balance", "100000"]);
    let p: Box<dyn Provider> = connect(config(kind, &s.base), &ctx(dir.path()))
        .await
        .unwrap_or_else(|e| panic!("{kind}: connect: {e}"));

    // Submit: succeeded, charged once.
    let req = request(kind, "rc-order-1", &phone(kind, "4567890"));
    let out = p
        .submit(&req)
        .await
        .unwrap_or_else(|e| panic!("{kind}: submit: {e}"));
    assert_eq!(out.status, OutcomeStatus::Succeeded, "{kind}: {out:?}");
    assert!(out.provider_reference.is_some(), "{kind}: {out:?}");
    if let Some(c) = &out.charged {
        assert_eq!(c.amount, Decimal::from(500), "{kind}: {out:?}");
    }
    assert_eq!(s.summary().await["charges"], 1, "{kind}");

    // Status by what the adapter keeps: our reference / nonce (RukkyStore: its trx).
    let key = if kind == ProviderKind::Rukky {
        out.provider_reference.clone()
    } else {
        None
    };
    let st = p
        .status(&lookup(&req, key))
        .await
        .unwrap_or_else(|e| panic!("{kind}: status: {e}"));
    assert_eq!(st.status, OutcomeStatus::Succeeded, "{kind}: {st:?}");
    assert_eq!(
        st.provider_reference, out.provider_reference,
        "{kind}: status names the same order"
    );

    // The same order sent again is not charged again (RukkyStore has no reference of ours).
    if kind != ProviderKind::Rukky {
        let mut again = req.clone();
        again.nonce = "nonce-resent".to_owned();
        let o2 = p
            .submit(&again)
            .await
            .unwrap_or_else(|e| panic!("{kind}: resubmit: {e}"));
        assert_eq!(o2.provider_reference, out.provider_reference, "{kind}");
        let sum = s.summary().await;
        assert_eq!(sum["charges"], 1, "{kind}: {sum}");
        assert_eq!(sum["duplicates"], 1, "{kind}: {sum}");
    }

    // Pending, settling after two status queries.
    let req_p = request(kind, "rc-order-2", &phone(kind, "0000002"));
    let out_p = p.submit(&req_p).await.expect("pending submit");
    assert_eq!(out_p.status, OutcomeStatus::Pending, "{kind}: {out_p:?}");
    let key = if kind == ProviderKind::Rukky {
        out_p.provider_reference.clone()
    } else {
        None
    };
    let first = p
        .status(&lookup(&req_p, key.clone()))
        .await
        .expect("status 1");
    assert_eq!(first.status, OutcomeStatus::Pending, "{kind}");
    let second = p.status(&lookup(&req_p, key)).await.expect("status 2");
    assert_eq!(second.status, OutcomeStatus::Succeeded, "{kind}");

    // Failed at once.
    let req_f = request(kind, "rc-order-3", &phone(kind, "0000001"));
    let out_f = p.submit(&req_f).await.expect("failed submit");
    assert_eq!(out_f.status, OutcomeStatus::Failed, "{kind}: {out_f:?}");
    assert!(out_f.charged.is_none(), "{kind}");

    // Balance (RukaPay has none: its transfer answers carry it).
    let expected = Decimal::from(99_000);
    if kind == ProviderKind::Rukapay {
        let b = out_p.balance_after.expect("walletBalance in the answer");
        assert_eq!(b.balance.amount, expected, "{kind}");
    } else {
        let wallets = p
            .balances()
            .await
            .unwrap_or_else(|e| panic!("{kind}: balances: {e}"));
        assert_eq!(wallets.len(), 1, "{kind}: {wallets:?}");
        assert_eq!(wallets[0].balance.amount, expected, "{kind}: {wallets:?}");
    }
    let sum = s.summary().await;
    assert_eq!(sum["charges"], 2, "{kind}: {sum}");
    assert_eq!(
        Decimal::from_str(sum["balance"].as_str().unwrap_or("")).ok(),
        Some(expected)
    );
}

#[tokio::test]
async fn vendify_adapter_round_trip() {
    round_trip(ProviderKind::Vendify, "vendify").await;
}

#[tokio::test]
async fn estoresms_adapter_round_trip() {
    round_trip(ProviderKind::Estoresms, "estoresms").await;
}

#[tokio::test]
async fn rukapay_adapter_round_trip() {
    round_trip(ProviderKind::Rukapay, "rukapay").await;
}

#[tokio::test]
async fn rukky_adapter_round_trip() {
    round_trip(ProviderKind::Rukky, "rukky").await;
}

/// "Charge then drop" reaches the adapter as an unknown outcome (never a definite failure),
/// and the order is then found by status: the charge is recoverable.
#[tokio::test]
async fn dropped_answer_is_an_unknown_outcome_for_the_adapter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start(
        "vendify",
        &dir.path().join("state"),
        &["--faults", "drop_after_charge=1"],
    );
    let kind = ProviderKind::Vendify;
    let p = connect(config(kind, &s.base), &ctx(dir.path()))
        .await
        .expect("connect");
    let req = request(kind, "rc-drop-1", &phone(kind, "4567890"));
    let err = p.submit(&req).await.expect_err("no answer came back");
    assert!(err.outcome_unknown(), "{err:?}");
    assert_eq!(s.lines("charges.jsonl").len(), 1);
    let st = p.status(&lookup(&req, None)).await.expect("status");
    assert_eq!(st.status, OutcomeStatus::Succeeded);
}
