//! Vendify adapter tests against local wiremock servers and the document's samples
//! (`crates/core/fixtures/vendify/`): shared helpers here, one file per concern below.

use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;
use wiremock::MockServer;

use super::envelope::{self, Answer};
use super::VendifyClient;
use crate::clock::SystemClock;
use crate::money::Money;
use crate::providers::http::{HttpClient, HttpPolicy, HttpResponse};
use crate::providers::{
    AccountConfig, Environment, ProviderContext, ProviderKind, PurchaseRequest,
};
use crate::secrets::Secret;

mod conformance;
mod edge_cases;
mod fixtures;
mod headers;
mod proptests;
mod reports;
mod requests;
mod robustness;
mod safety;
mod secrets;

pub const API_KEY: &str = "test-api-key-0001";
pub const WALLET: &str = "NGN-143";

/// The document's samples, read from disk exactly as stored.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/vendify/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

pub fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

pub fn m(amount: &str, currency: &str) -> Money {
    Money::parse(amount, currency).expect("test money")
}

/// Fast retries, no spacing: tests stay quick.
pub fn policy() -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        max_attempts: 3,
        backoff: Duration::from_millis(5),
        max_rate_limit_wait: Duration::from_secs(1),
        min_interval: Duration::ZERO,
        spacing: Default::default(),
        ..HttpPolicy::default()
    }
}

/// A timeout short enough to test slow answers.
pub fn short_policy() -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_millis(250),
        max_attempts: 2,
        ..policy()
    }
}

pub fn config(base_url: &str) -> AccountConfig {
    let mut settings = serde_json::Map::new();
    settings.insert("wallet_id".into(), WALLET.into());
    let mut secrets = std::collections::BTreeMap::new();
    secrets.insert("api_key".to_owned(), Secret::new(API_KEY));
    AccountConfig {
        account_id: "acct-vendify-test".into(),
        kind: ProviderKind::Vendify,
        environment: Environment::Custom,
        base_url: base_url.to_owned(),
        settings,
        secrets,
    }
}

pub fn ctx(policy: HttpPolicy) -> ProviderContext {
    ProviderContext {
        data_dir: std::env::temp_dir(),
        clock: Arc::new(SystemClock),
        http: policy,
    }
}

pub fn client_for(config: AccountConfig, policy: HttpPolicy) -> VendifyClient {
    VendifyClient::new(config, &ctx(policy)).expect("client builds")
}

pub fn client(server: &MockServer) -> VendifyClient {
    client_for(config(&server.uri()), policy())
}

/// A 2xx envelope around `response` (raw JSON text).
pub fn envelope_with(response: &str) -> String {
    format!(
        r#"{{"authenticated": true, "sysDate": "2026-01-05T10:00:00.000Z", "sysErr": 200, "sysId": 260105100000000001, "sessionUid": "S:TESTSESSION", "requestStatus": "PROCESSED", "message": "REQUEST OK", "response": {response}}}"#
    )
}

/// An HTTP client with no secrets, for calling the parsers directly.
pub fn http() -> HttpClient {
    HttpClient::new(ProviderKind::Vendify, policy(), vec![]).expect("client")
}

/// Reads a 200 answer the way every call does.
pub fn answer(body: &str) -> Answer {
    envelope::read(
        &http(),
        &HttpResponse {
            status: 200,
            body: body.to_owned(),
            retry_after: None,
        },
    )
    .unwrap_or_else(|e| panic!("envelope reads: {e}"))
}

/// A purchase of MTN airtime (the document's airtime walk-through values).
pub fn purchase(n: u32) -> PurchaseRequest {
    PurchaseRequest {
        reference: format!("RC-{n:04}"),
        nonce: format!("nonce-{n:04}"),
        product_id: "9418".into(),
        product_code: None,
        provider_ref: Some("123".into()),
        recipient: "+2348038030133".into(),
        face_value: m("500.00", "NGN"),
        wallet_id: Some("NGN-456".into()),
        account_name: None,
        phone: None,
        email: None,
        service_type: None,
    }
}

/// The JSON body of a received request (the repair pass reads the document's JavaScript
/// style samples the same way).
pub fn json_of(text: &str) -> serde_json::Value {
    envelope::parse_document(text).unwrap_or_else(|e| panic!("JSON body: {e}: {text}"))
}
