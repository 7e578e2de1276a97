//! The fake RukaPay's two wallets and its fee, through the real adapter and on the wire:
//! `walletType` picks the wallet charged, an unknown one is a 400 that charges nothing, and
//! `--rukapay-fee` is charged on top and reported as `fee` / `totalCharged`.

mod common;

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

use common::Server;
use reseller_core::clock::SystemClock;
use reseller_core::money::Money;
use reseller_core::providers::http::HttpPolicy;
use reseller_core::providers::{
    connect, AccountConfig, Environment, OutcomeStatus, ProviderContext, ProviderKind,
    PurchaseRequest,
};
use reseller_core::secrets::Secret;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or("")).unwrap_or_else(|_| panic!("a decimal: {v}"))
}

fn transfer(reference: &str, wallet: Option<&str>) -> PurchaseRequest {
    PurchaseRequest {
        reference: reference.to_owned(),
        nonce: format!("nonce-{reference}"),
        product_id: "mno-send:MTN".to_owned(),
        product_code: None,
        provider_ref: None,
        recipient: "+256704567890".to_owned(),
        face_value: Money::parse("500", "UGX").expect("money"),
        wallet_id: wallet.map(str::to_owned),
        account_name: None,
        phone: None,
        email: None,
        service_type: None,
    }
}

#[tokio::test]
async fn a_commission_transfer_debits_commission_and_not_escrow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start(
        "rukapay",
        &dir.path().join("state"),
        &[
            "--balance",
            "100000",
            "--rukapay-commission-balance",
            "50000",
            "--rukapay-fee",
            "100",
        ],
    );
    let config = AccountConfig {
        account_id: "acc-rukapay".to_owned(),
        kind: ProviderKind::Rukapay,
        environment: Environment::Custom,
        base_url: s.base.clone(),
        settings: serde_json::Map::new(),
        secrets: BTreeMap::from([("api_key".to_owned(), Secret::new("fake-key"))]),
    };
    let ctx = ProviderContext {
        data_dir: dir.path().to_owned(),
        clock: Arc::new(SystemClock),
        http: HttpPolicy::default(),
    };
    let p = connect(config, &ctx).await.expect("connect");

    let out = p
        .submit(&transfer("rc-com-1", Some("COMMISSION")))
        .await
        .expect("submit");
    assert_eq!(out.status, OutcomeStatus::Succeeded, "{out:?}");
    assert_eq!(
        out.charged.as_ref().map(|c| c.amount),
        Some(Decimal::from(600)),
        "the fee is charged on top: {out:?}"
    );
    let b = out.balance_after.expect("walletBalance");
    assert_eq!(b.wallet_id, "COMMISSION");
    assert_eq!(b.balance.amount, Decimal::from(49_400));

    let sum = s.summary().await;
    assert_eq!(
        dec(&sum["balances"]["COMMISSION"]),
        Decimal::from(49_400),
        "{sum}"
    );
    assert_eq!(
        dec(&sum["balances"]["ESCROW"]),
        Decimal::from(100_000),
        "{sum}"
    );
    assert_eq!(dec(&sum["balance"]), Decimal::from(100_000), "{sum}");
    let charges = s.lines("charges.jsonl");
    assert_eq!(charges.len(), 1);
    assert_eq!(charges[0]["wallet"], "COMMISSION");
    assert_eq!(dec(&charges[0]["amount"]), Decimal::from(600));

    // No wallet named: ESCROW, as the document says.
    let out = p.submit(&transfer("rc-esc-1", None)).await.expect("submit");
    let b = out.balance_after.expect("walletBalance");
    assert_eq!(
        (b.wallet_id.as_str(), b.balance.amount),
        ("ESCROW", Decimal::from(99_400))
    );
    let sum = s.summary().await;
    assert_eq!(
        dec(&sum["balances"]["COMMISSION"]),
        Decimal::from(49_400),
        "{sum}"
    );

    // A restart on the same state keeps both wallets apart.
    let state = s.dir.clone();
    s.stop();
    let s = Server::start("rukapay", &state, &[]);
    let sum = s.summary().await;
    assert_eq!(
        dec(&sum["balances"]["COMMISSION"]),
        Decimal::from(49_400),
        "{sum}"
    );
    assert_eq!(
        dec(&sum["balances"]["ESCROW"]),
        Decimal::from(99_400),
        "{sum}"
    );
}

#[tokio::test]
async fn an_unknown_wallet_type_is_a_400_that_charges_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start("rukapay", &dir.path().join("state"), &[]);
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/gateway/process-transfer", s.base))
        .header("x-api-key", "fake-key")
        .json(&json!({
            "transactionMode": "PARTNER_SEND_MNO", "amount": 500, "currency": "UGX",
            "narration": "test", "partnerReference": "rc-foo-1", "walletType": "FOO",
            "phoneNumber": "256704567890", "mnoProvider": "MTN"
        }))
        .send()
        .await
        .expect("answered");
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["code"], "VALIDATION_ERROR", "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains("walletType"),
        "{body}"
    );
    let sum = s.summary().await;
    assert_eq!(sum["charges"], 0, "{sum}");
    assert_eq!(sum["orders"], 0, "{sum}");
}
