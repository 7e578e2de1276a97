//! Every sample of the document, read verbatim from `fixtures/rukapay/`: responses map to the
//! shared types with exact values, and the sample request is what `submit` sends.

use rust_decimal::Decimal;
use serde_json::Value;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer};

use super::*;
use crate::providers::rukapay::wire::{self, Answer};
use crate::providers::rukapay::TransferStatus;
use crate::providers::{OutcomeStatus, Provider, StatusLookup, WalletBalance};

fn ugx(amount: i64) -> Money {
    Money::new(Decimal::from(amount), crate::money::Currency::known("UGX"))
}

/// The order that reproduces the sample request: our reference is the sample's own
/// `PARTNER-REF-123456`, the E.164 form of its phone, its amount and recipient name.
fn sample_order() -> PurchaseRequest {
    let mut req = order(
        "mno-send:MTN",
        "+256700000000",
        "50000",
        "PARTNER-REF-123456",
    );
    req.account_name = Some("John Doe".to_owned());
    req
}

/// The sample request with our one substitution: the document's placeholder narration
/// "Payment description" becomes the narration the adapter writes.
fn expected_request() -> Value {
    let mut v: Value = serde_json::from_str(&fixture("process_transfer_request.json"))
        .expect("sample request is JSON");
    v["narration"] = Value::String("Mobile money to 256700000000 (MTN)".to_owned());
    v
}

#[tokio::test]
async fn sample_request_is_sent_and_sample_response_maps_to_the_outcome() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .and(header("x-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(expected_request()))
        .respond_with(raw_answer(
            200,
            &fixture("process_transfer_response.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let out = client(&server)
        .submit(&sample_order())
        .await
        .expect("sample transfer");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(out.provider_reference.as_deref(), Some("cm5abc123xyz"));
    assert_eq!(out.charged, Some(ugx(51000)), "charged = totalCharged");
    assert_eq!(
        out.balance_after,
        Some(WalletBalance {
            // The wallet type, the name orders choose the wallet by (walletId is on the record).
            wallet_id: "ESCROW".to_owned(),
            balance: ugx(949000)
        })
    );
    assert_eq!(
        out.message.as_deref(),
        Some("Transfer processed successfully")
    );
    assert!(out.delivery.is_empty());
}

#[test]
fn sample_request_is_exactly_the_body_the_adapter_builds() {
    let server_less = client_for(config_with(
        "http://127.0.0.1:9",
        Environment::Custom,
        KEY,
        &[],
    ));
    let body = server_less.transfer_body(&sample_order()).expect("body");
    assert_eq!(
        serde_json::to_value(&body).expect("serializes"),
        expected_request()
    );
}

#[test]
fn sample_transfer_response_parses_every_field() {
    let Answer::Record(r) =
        wire::read_answer(&fixture("process_transfer_response.json")).expect("parses")
    else {
        panic!("expected a transaction");
    };
    assert_eq!(r.id.as_deref(), Some("cm5abc123xyz"));
    assert_eq!(r.reference.as_deref(), Some("RKP-20260521-001"));
    assert_eq!(r.status, TransferStatus::Success);
    assert_eq!(
        (r.amount, r.fee, r.total),
        (Some(ugx(50000)), Some(ugx(1000)), Some(ugx(51000)))
    );
    assert_eq!(r.recipient.name.as_deref(), Some("John Doe"));
    assert_eq!(r.recipient.account.as_deref(), Some("256700000000"));
    assert_eq!(r.recipient.provider.as_deref(), Some("MTN"));
    assert_eq!(r.created_at.as_deref(), Some("2026-05-21T10:30:00.000Z"));
    let w = r.wallet.expect("walletBalance");
    assert_eq!(w.wallet_id, "wal_partner_escrow");
    assert_eq!(w.wallet_type.as_deref(), Some("ESCROW"));
    assert_eq!(w.balance_before, Some(ugx(1_000_000)));
    assert_eq!(w.balance_after, ugx(949_000));
}

#[test]
fn both_status_samples_are_the_same_and_parse_every_field() {
    let overview = fixture("status_overview_response.json");
    assert_eq!(
        overview,
        fixture("status_response.json"),
        "the document repeats one sample"
    );
    let Answer::Record(r) = wire::read_answer(&overview).expect("parses") else {
        panic!("expected a transaction");
    };
    assert_eq!(r.id.as_deref(), Some("cm5abc123xyz"));
    assert_eq!(r.partner_reference.as_deref(), Some("PARTNER-REF-123456"));
    assert_eq!(r.mno_transaction_id.as_deref(), Some("MTN-FIN-987654"));
    assert_eq!(
        (r.amount, r.fee, r.total),
        (Some(ugx(50000)), Some(ugx(1000)), Some(ugx(51000)))
    );
    assert_eq!(r.status, TransferStatus::Success);
    assert_eq!(r.destination_type.as_deref(), Some("MNO"));
    assert_eq!(r.recipient.account.as_deref(), Some("256700000000"));
    assert_eq!(r.recipient.provider.as_deref(), Some("MTN"));
    assert_eq!(r.completed_at.as_deref(), Some("2026-05-21T10:30:45.000Z"));
    assert_eq!(r.message.as_deref(), Some("Transaction found"));
    assert!(r.wallet.is_none());
}

#[tokio::test]
async fn sample_status_response_is_found_by_our_reference() {
    for name in ["status_overview_response.json", "status_response.json"] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(status_path("PARTNER-REF-123456")))
            .and(header("x-api-key", KEY))
            .respond_with(raw_answer(200, &fixture(name), "application/json"))
            .expect(1)
            .mount(&server)
            .await;
        let lookup = StatusLookup {
            reference: "PARTNER-REF-123456".to_owned(),
            nonce: "n".to_owned(),
            provider_reference: Some("cm5abc123xyz".to_owned()),
        };
        let out = client(&server).status(&lookup).await.expect("status");
        assert_eq!(out.status, OutcomeStatus::Succeeded, "{name}");
        assert_eq!(out.provider_reference.as_deref(), Some("cm5abc123xyz"));
        assert_eq!(out.charged, Some(ugx(51000)), "charged = totalAmount");
        assert_eq!(out.balance_after, None);
        assert_eq!(out.message.as_deref(), Some("Transaction found"));
    }
}
