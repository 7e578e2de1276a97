//! Tests of the eStoreSMS adapter against local wiremock servers: fixtures, request shapes,
//! robustness, send-once safety, secret hygiene, the conformance suite and property tests.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeZone;
use rust_decimal::Decimal;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::clock::ManualClock;
use crate::providers::http::HttpPolicy;
use crate::providers::Environment;

mod conformance_suite;
mod fixtures;
mod props;
mod requests;
mod robustness;
mod safety;
mod secrets;
mod units;

pub(super) const USERNAME: &str = "user123";
pub(super) const EMAIL: &str = "user@example.com";
pub(super) const TOKEN: &str = "tok123";
pub(super) const PASSWORD: &str = "pass123";

/// Short timeouts and no spacing, so failure paths run in milliseconds.
pub(super) fn fast_policy() -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_millis(400),
        connect_timeout: Duration::from_millis(400),
        max_attempts: 3,
        backoff: Duration::from_millis(5),
        max_rate_limit_wait: Duration::from_secs(2),
        min_interval: Duration::ZERO,
        spacing: Default::default(),
        ..HttpPolicy::default()
    }
}

pub(super) fn config_with(base: &str, token: &str, password: Option<&str>) -> AccountConfig {
    let mut settings = serde_json::Map::new();
    settings.insert("username".into(), USERNAME.into());
    settings.insert("email".into(), EMAIL.into());
    let mut secrets = std::collections::BTreeMap::new();
    secrets.insert("api_token".to_owned(), Secret::new(token));
    if let Some(p) = password {
        secrets.insert("password".to_owned(), Secret::new(p));
    }
    AccountConfig {
        account_id: "acc-estoresms".into(),
        kind: ProviderKind::Estoresms,
        environment: Environment::Custom,
        base_url: base.to_owned(),
        settings,
        secrets,
    }
}

pub(super) fn ctx() -> ProviderContext {
    let at = chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("date");
    ProviderContext {
        data_dir: std::env::temp_dir(),
        clock: Arc::new(ManualClock::at(at)),
        http: fast_policy(),
    }
}

pub(super) fn client_for(base: &str) -> EstoreSmsClient {
    EstoreSmsClient::new(config_with(base, TOKEN, Some(PASSWORD)), &ctx()).expect("client")
}

pub(super) fn client_with_callback(base: &str, callback: &str) -> EstoreSmsClient {
    let mut cfg = config_with(base, TOKEN, Some(PASSWORD));
    cfg.settings.insert("callback_url".into(), callback.into());
    EstoreSmsClient::new(cfg, &ctx()).expect("client")
}

/// The hash computed independently of the adapter, straight from the document's formula.
pub(super) fn expected_hash(reference: &str) -> String {
    use sha2::{Digest, Sha512};
    hex::encode(Sha512::digest(
        format!("{TOKEN}{EMAIL}{USERNAME}{reference}").as_bytes(),
    ))
}

pub(super) fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/estoresms")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

pub(super) fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("decimal literal")
}

pub(super) fn ngn(s: &str) -> Money {
    Money::parse(s, "NGN").expect("money")
}

pub(super) fn purchase(
    reference: &str,
    product: &str,
    route: Option<&str>,
    phone: &str,
    face: &str,
    cur: &str,
) -> PurchaseRequest {
    PurchaseRequest {
        reference: reference.to_owned(),
        nonce: format!("nonce-{reference}"),
        product_id: product.to_owned(),
        product_code: None,
        provider_ref: route.map(str::to_owned),
        recipient: phone.to_owned(),
        face_value: Money::parse(face, cur).expect("money"),
        wallet_id: None,
        account_name: None,
        phone: None,
        email: None,
        service_type: None,
    }
}

/// A data purchase of the document's product under `reference`.
pub(super) fn data_purchase(reference: &str) -> PurchaseRequest {
    purchase(
        reference,
        "D-MFIN-5-50MB",
        Some("data/fixed"),
        "+234706xxxxxxx",
        "100",
        "NGN",
    )
}

/// A server answering `path` (POST, or GET for the balance) with `template`.
pub(super) async fn answering(route: &str, template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    let verb = if route == "/smsapi.php" {
        "GET"
    } else {
        "POST"
    };
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

pub(super) fn ok_body(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(body.to_owned())
}

pub(super) async fn requests_to(server: &MockServer, route: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|r| r.url.path() == route)
        .collect()
}
