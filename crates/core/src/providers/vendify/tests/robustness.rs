//! Every call against every kind of bad answer (HTML, cut-off JSON, empty body, a response
//! of the wrong shape, 429, 5xx, a timeout) ends in a typed `ProviderError`, never a panic
//! and never a made-up value.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::providers::vendify::{
    BrandFilter, DeliveryUpdate, HistoryStatus, StatusVia, ValidationQuery,
};
use crate::providers::{CatalogueQuery, Provider, ProviderError, StatusLookup, ValidateRequest};

type CallResult = Result<(), ProviderError>;
type Op = for<'a> fn(&'a VendifyClient) -> Pin<Box<dyn Future<Output = CallResult> + Send + 'a>>;

macro_rules! ops {
    ($($name:literal => |$c:ident| $call:expr),* $(,)?) => {
        vec![$(($name, {
            fn op<'a>($c: &'a VendifyClient) -> Pin<Box<dyn Future<Output = CallResult> + Send + 'a>> {
                Box::pin(async move { $call.await.map(drop) })
            }
            op as Op
        })),*]
    };
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// One entry per adapter call (trait and inherent), each making exactly one request when
/// the answer is bad.
fn every_call() -> Vec<(&'static str, Op)> {
    ops![
        "balances" => |c| c.balances(),
        "categories" => |c| c.categories(),
        "catalogue" => |c| c.catalogue(&CatalogueQuery { category: Some("airtime".into()), ..CatalogueQuery::default() }),
        "quote" => |c| c.quote("8746", None),
        "validate_account" => |c| c.validate_account(&ValidateRequest { product_id: "9422".into(), account_number: "4222863979".into(), service_type: None }),
        "validate" => |c| c.validate(&ValidationQuery { unique_account_id: "1".into(), ..ValidationQuery::default() }),
        "submit" => |c| c.submit(&purchase(1)),
        "status" => |c| c.status(&StatusLookup { reference: "RC".into(), nonce: "n-1".into(), provider_reference: None }),
        "status_post" => |c| c.order_status(&StatusLookup { reference: "RC".into(), nonce: "n-1".into(), provider_reference: None }, StatusVia::Post),
        "sub_categories" => |c| c.sub_categories("giftcard"),
        "countries" => |c| c.countries(),
        "brands" => |c| c.brands(&BrandFilter::default()),
        "brand_families" => |c| c.brand_families(&BrandFilter::default()),
        "providers" => |c| c.providers(),
        "fx_rates" => |c| c.fx_rates(),
        "resend_voucher" => |c| c.resend_voucher("REF-1"),
        "update_delivery" => |c| c.update_delivery(&DeliveryUpdate { buyer_email: Some("a@b.c".into()), transaction_reference: "REF-1".into(), ..DeliveryUpdate::default() }),
        "transaction_history" => |c| c.transaction_history(day("2024-01-01"), day("2024-01-31"), HistoryStatus::All),
        "transaction_summary" => |c| c.transaction_summary(day("2024-01-01"), day("2024-01-31")),
        "esim_details" => |c| c.esim_details("8943108165011804478"),
    ]
}

/// Runs every call against a server answering `template`; returns each call's result.
async fn run_all(
    template: ResponseTemplate,
    policy: HttpPolicy,
) -> Vec<(&'static str, CallResult)> {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    let client = Arc::new(client_for(config(&server.uri()), policy));
    let mut set = tokio::task::JoinSet::new();
    for (name, op) in every_call() {
        let c = client.clone();
        set.spawn(async move { (name, op(&c).await) });
    }
    let mut out = Vec::new();
    while let Some(joined) = set.join_next().await {
        out.push(joined.expect("no call panics"));
    }
    assert_eq!(out.len(), every_call().len());
    out
}

fn check(results: &[(&str, CallResult)], what: &str, ok: impl Fn(&ProviderError) -> bool) {
    for (name, r) in results {
        match r {
            Err(e) if ok(e) => {}
            other => panic!("{what}: {name} gave {other:?}"),
        }
    }
}

#[tokio::test]
async fn html_error_pages_are_bad_responses() {
    let html = "<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>";
    let r = run_all(ResponseTemplate::new(200).set_body_string(html), policy()).await;
    check(
        &r,
        "HTML 200",
        |e| matches!(e, ProviderError::BadResponse { reason, .. } if reason.contains("HTML")),
    );
    let r = run_all(ResponseTemplate::new(502).set_body_string(html), policy()).await;
    check(&r, "HTML 502", |e| {
        matches!(e, ProviderError::Server { status: 502, .. })
    });
}

#[tokio::test]
async fn truncated_json_is_a_bad_response() {
    let cut = r#"{"authenticated": true, "sysErr": 200, "response": {"responseStatus": "SUCCESS", "transactionRef"#;
    let r = run_all(ResponseTemplate::new(200).set_body_string(cut), policy()).await;
    check(&r, "truncated", |e| {
        matches!(e, ProviderError::BadResponse { .. }) && e.outcome_unknown()
    });
}

#[tokio::test]
async fn empty_bodies_are_bad_responses() {
    let r = run_all(ResponseTemplate::new(200), policy()).await;
    check(
        &r,
        "empty",
        |e| matches!(e, ProviderError::BadResponse { reason, .. } if reason.contains("empty")),
    );
}

#[tokio::test]
async fn a_response_of_the_wrong_shape_is_a_bad_response() {
    let r = run_all(
        ResponseTemplate::new(200).set_body_string(envelope_with("\"oops\"")),
        policy(),
    )
    .await;
    check(&r, "string response", |e| {
        matches!(e, ProviderError::BadResponse { .. })
    });
    let r = run_all(
        ResponseTemplate::new(200).set_body_string(envelope_with("null")),
        policy(),
    )
    .await;
    check(&r, "null response", |e| {
        matches!(e, ProviderError::BadResponse { .. })
    });
}

#[tokio::test]
async fn rate_limits_are_rate_limited() {
    let r = run_all(
        ResponseTemplate::new(429).insert_header("Retry-After", "120"),
        policy(),
    )
    .await;
    check(&r, "429", |e| {
        matches!(
            e,
            ProviderError::RateLimited {
                retry_after_secs: Some(120),
                ..
            }
        )
    });
}

#[tokio::test]
async fn server_errors_are_server_errors() {
    let r = run_all(
        ResponseTemplate::new(500).set_body_string("Internal Server Error"),
        policy(),
    )
    .await;
    check(&r, "500", |e| {
        matches!(e, ProviderError::Server { status: 500, .. }) && e.outcome_unknown()
    });
}

#[tokio::test]
async fn slow_answers_time_out() {
    let slow = ResponseTemplate::new(200)
        .set_body_string(envelope_with("[]"))
        .set_delay(Duration::from_secs(2));
    let r = run_all(slow, short_policy()).await;
    check(&r, "slow", |e| {
        matches!(e, ProviderError::Timeout { .. }) && e.outcome_unknown()
    });
}

#[tokio::test]
async fn an_unreachable_server_is_unreachable_before_sending() {
    // A port nothing listens on: the request never left, so even a purchase is not unknown.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let c = client_for(config(&format!("http://{addr}")), short_policy());
    for (name, op) in every_call() {
        match op(&c).await {
            Err(ProviderError::Unreachable {
                stage: crate::providers::SendStage::NotSent,
                ..
            }) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
}
