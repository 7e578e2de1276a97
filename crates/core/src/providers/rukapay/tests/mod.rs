//! Tests of the RukaPay adapter against a local wiremock server: shared helpers here, the
//! checks grouped by what they prove in the submodules.

mod conformance;
mod fixtures;
mod parsers;
mod pipeline;
mod requests;
mod robustness;
mod safety;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use wiremock::{MockServer, Request, ResponseTemplate};

use super::RukaPayClient;
use crate::clock::SystemClock;
use crate::money::Money;
use crate::providers::http::HttpPolicy;
use crate::providers::{
    AccountConfig, Environment, ProviderContext, ProviderKind, PurchaseRequest,
};
use crate::secrets::Secret;

pub(super) const KEY: &str = "rk-test-key-4d1f9a";
pub(super) const TRANSFER: &str = "/api/v1/gateway/process-transfer";
pub(super) const TRANSFER_SANDBOX: &str = "/api/v1/gateway/process-transfer-sandbox";
pub(super) const VALIDATE: &str = "/api/v1/gateway/validate-beneficiary";
pub(super) const VALIDATE_SANDBOX: &str = "/api/v1/gateway/validate-beneficiary-sandbox";

pub(super) fn status_path(reference: &str) -> String {
    format!("/api/v1/gateway/transactions/{reference}/status")
}

/// Short timeouts and backoff so robustness tests run in milliseconds.
pub(super) fn policy() -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_millis(400),
        connect_timeout: Duration::from_millis(400),
        max_attempts: 3,
        backoff: Duration::from_millis(5),
        max_rate_limit_wait: Duration::from_secs(1),
        min_interval: Duration::ZERO,
        spacing: Default::default(),
        ..HttpPolicy::default()
    }
}

pub(super) fn config_with(
    base: &str,
    env: Environment,
    key: &str,
    settings: &[(&str, &str)],
) -> AccountConfig {
    AccountConfig {
        account_id: "acc-rukapay".to_owned(),
        kind: ProviderKind::Rukapay,
        environment: env,
        base_url: base.to_owned(),
        settings: settings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
            .collect(),
        secrets: [("api_key".to_owned(), Secret::new(key))]
            .into_iter()
            .collect(),
    }
}

pub(super) fn ctx() -> ProviderContext {
    ProviderContext {
        data_dir: std::env::temp_dir(),
        clock: Arc::new(SystemClock),
        http: policy(),
    }
}

pub(super) fn client_for(config: AccountConfig) -> RukaPayClient {
    RukaPayClient::new(config, &ctx()).expect("client builds")
}

/// A custom-URL account on the mock server: plain (production) paths.
pub(super) fn client(server: &MockServer) -> RukaPayClient {
    client_for(config_with(&server.uri(), Environment::Custom, KEY, &[]))
}

pub(super) fn client_with(server: &MockServer, settings: &[(&str, &str)]) -> RukaPayClient {
    client_for(config_with(
        &server.uri(),
        Environment::Custom,
        KEY,
        settings,
    ))
}

pub(super) fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/rukapay/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

pub(super) fn order(
    product: &str,
    recipient: &str,
    amount: &str,
    reference: &str,
) -> PurchaseRequest {
    PurchaseRequest {
        reference: reference.to_owned(),
        nonce: format!("nonce-{reference}"),
        product_id: product.to_owned(),
        product_code: None,
        provider_ref: None,
        recipient: recipient.to_owned(),
        face_value: Money::parse(amount, "UGX").expect("money"),
        wallet_id: None,
        account_name: None,
        phone: None,
        email: None,
        service_type: None,
    }
}

pub(super) fn json_answer(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

pub(super) fn raw_answer(status: u16, body: &str, mime: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), mime)
}

/// A transfer answer in the document's shape (made up around the sample's values).
pub(super) fn transfer_answer(status: &str, id: &str) -> Value {
    json!({
        "success": true,
        "message": "Transfer processed successfully",
        "transaction": {
            "transactionId": id, "reference": format!("RKP-{id}"), "amount": 5000, "fee": 100,
            "totalCharged": 5100, "status": status,
            "recipient": { "name": "John Doe", "account": "256700000001", "provider": "MTN" },
            "createdAt": "2026-05-21T10:30:00.000Z"
        },
        "walletBalance": { "walletId": "wal_partner_escrow", "walletType": "ESCROW", "balanceBefore": 1000000, "balanceAfter": 994900, "currency": "UGX" }
    })
}

/// A status answer in the document's shape for our reference.
pub(super) fn status_answer(reference: &str, status: &str, amount: u64) -> Value {
    let mut tx = json!({
        "id": format!("cm-{reference}"), "partnerReference": reference, "mnoId": "MTN-FIN-1",
        "mnoTransactionId": "MTN-FIN-1", "amount": amount, "fee": 100, "totalAmount": amount + 100,
        "currency": "UGX", "status": status, "destinationType": "MNO",
        "destination": { "phoneNumber": "256700000001", "provider": "MTN" },
        "createdAt": "2026-05-21T10:30:00.000Z"
    });
    if status == "FAILED" {
        tx["failureReason"] = json!("Recipient wallet is barred");
    }
    json!({ "success": true, "message": "Transaction found", "transaction": tx })
}

pub(super) async fn requests_to(server: &MockServer, path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|r| r.url.path() == path)
        .collect()
}
