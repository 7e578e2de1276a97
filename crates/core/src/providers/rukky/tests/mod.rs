//! Tests of the RukkyStore adapter against local mock servers: shared helpers here, one
//! file per concern below.

use std::sync::Arc;
use std::time::Duration;

use wiremock::{Match, MockServer, Request, ResponseTemplate};

use super::*;
use crate::clock::SystemClock;
use crate::money::Money;
use crate::providers::http::HttpPolicy;
use crate::providers::{Environment, OutcomeStatus};

/// A fixture file of `crates/core/fixtures/rukky/`, byte for byte.
macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/rukky/",
            $name
        ))
    };
}

mod catalogue;
mod conformance;
mod errors;
mod fake;
mod fixtures;
mod robustness;
mod secrets;
mod submit;
mod webhook;

pub(super) const KEY: &str = "test-key-0001";
/// The sample requests' own PIN, so their bodies compare as they are.
pub(super) const PIN: &str = "1234";

/// Short enough that timeouts and retries make the suite no slower than a few seconds.
pub(super) fn policy() -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_millis(1000),
        connect_timeout: Duration::from_millis(1000),
        max_attempts: 2,
        backoff: Duration::from_millis(5),
        max_rate_limit_wait: Duration::from_secs(1),
        min_interval: Duration::ZERO,
        spacing: Default::default(),
        ..HttpPolicy::default()
    }
}

pub(super) fn ctx() -> ProviderContext {
    ProviderContext {
        data_dir: std::env::temp_dir(),
        clock: Arc::new(SystemClock),
        http: policy(),
    }
}

pub(super) fn config(base_url: &str, secrets: &[(&str, &str)]) -> AccountConfig {
    AccountConfig {
        account_id: "rukky-test".to_owned(),
        kind: ProviderKind::Rukky,
        environment: Environment::Custom,
        base_url: base_url.to_owned(),
        settings: serde_json::Map::new(),
        secrets: secrets
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Secret::new(*v)))
            .collect(),
    }
}

/// The document's base URL path on the mock server.
pub(super) fn base(server: &MockServer) -> String {
    format!("{}/api/v1", server.uri())
}

pub(super) fn client(server: &MockServer) -> RukkyClient {
    let cfg = config(&base(server), &[("api_key", KEY), ("pin", PIN)]);
    RukkyClient::new(cfg, &ctx()).expect("client")
}

pub(super) fn purchase(product: &str, recipient: &str, amount: &str) -> PurchaseRequest {
    PurchaseRequest {
        reference: "RC-1".to_owned(),
        nonce: "nonce-1".to_owned(),
        product_id: product.to_owned(),
        product_code: None,
        provider_ref: None,
        recipient: recipient.to_owned(),
        face_value: Money::parse(amount, "NGN").expect("money"),
        wallet_id: None,
        account_name: None,
        phone: None,
        email: None,
        service_type: None,
    }
}

pub(super) fn lookup(provider_reference: Option<&str>) -> StatusLookup {
    StatusLookup {
        reference: "RC-1".to_owned(),
        nonce: "nonce-1".to_owned(),
        provider_reference: provider_reference.map(str::to_owned),
    }
}

pub(super) fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// The decoded form pairs of a request body, in order.
pub(super) fn form_of(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

pub(super) fn field(req: &Request, name: &str) -> Option<String> {
    form_of(&req.body)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Matches a request whose form field `action` is exactly this one (a substring match
/// would take `vtu_data_plans` for `vtu_data`).
pub(super) struct Action(pub &'static str);

impl Match for Action {
    fn matches(&self, request: &Request) -> bool {
        field(request, "action").as_deref() == Some(self.0)
    }
}

pub(super) async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}
