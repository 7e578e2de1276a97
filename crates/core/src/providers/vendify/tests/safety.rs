//! Purchases go out exactly once and every doubtful ending is `outcome_unknown()`; calls
//! that change nothing are retried on 5xx; definite refusals are not "unknown".

use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::providers::{CatalogueQuery, OutcomeStatus, Provider, ProviderError, StatusLookup};

async fn orders_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/orders"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn request_count(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording on")
        .len()
}

#[tokio::test]
async fn a_purchase_answered_500_is_sent_once_and_unknown() {
    let server = orders_answering(ResponseTemplate::new(500).set_body_string("oops")).await;
    let err = client(&server)
        .submit(&purchase(1))
        .await
        .expect_err("a server error");
    assert!(
        matches!(err, ProviderError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
    assert_eq!(request_count(&server).await, 1, "never resent");
}

#[tokio::test]
async fn a_purchase_that_times_out_is_sent_once_and_unknown() {
    let slow = ResponseTemplate::new(200)
        .set_body_string(fixture("order_airtime_response.json"))
        .set_delay(Duration::from_secs(2));
    let server = orders_answering(slow).await;
    let c = client_for(config(&server.uri()), short_policy());
    let err = c.submit(&purchase(1)).await.expect_err("a timeout");
    assert!(matches!(err, ProviderError::Timeout { .. }), "{err:?}");
    assert!(err.outcome_unknown());
    assert_eq!(request_count(&server).await, 1, "never resent");
}

#[tokio::test]
async fn a_purchase_answered_with_garbage_or_a_sys_err_500_is_unknown() {
    for body in [
        "<html>gateway</html>".to_owned(),
        r#"{"authenticated": true, "sysErr": 200, "response": {"responseStatus": "SUCC"#.to_owned(),
        r#"{"authenticated": true, "sysErr": 500, "message": "SYSTEM ERROR"}"#.to_owned(),
        envelope_with(r#"{"responseMessage": "no status word"}"#),
        envelope_with(r#"{"responseStatus": "PROCESSING"}"#),
    ] {
        let server = orders_answering(ResponseTemplate::new(200).set_body_string(&body)).await;
        let err = client(&server)
            .submit(&purchase(1))
            .await
            .expect_err("not a definite answer");
        assert!(err.outcome_unknown(), "{body}: {err:?}");
        assert_eq!(request_count(&server).await, 1);
    }
}

#[tokio::test]
async fn a_rate_limited_purchase_is_not_retried() {
    let server =
        orders_answering(ResponseTemplate::new(429).insert_header("Retry-After", "1")).await;
    let err = client(&server)
        .submit(&purchase(1))
        .await
        .expect_err("rate limited");
    assert!(matches!(err, ProviderError::RateLimited { .. }), "{err:?}");
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn definite_refusals_are_not_unknown() {
    type Expect = fn(&ProviderError) -> bool;
    let cases: Vec<(ResponseTemplate, Expect)> = vec![
        (ResponseTemplate::new(401).set_body_string(r#"{"authenticated": false, "sysErr": 401, "message": "Invalid API key"}"#), |e| {
            matches!(e, ProviderError::Auth { .. })
        }),
        (ResponseTemplate::new(200).set_body_string(r#"{"authenticated": false, "sysErr": 200, "message": "Bad signature"}"#), |e| {
            matches!(e, ProviderError::Auth { .. })
        }),
        (
            ResponseTemplate::new(400).set_body_string(
                r#"{"authenticated": true, "sysErr": 400, "message": "REQUEST FAILED", "response": {"responseMessage": "Insufficient wallet balance"}}"#,
            ),
            |e| matches!(e, ProviderError::InsufficientBalance { .. }),
        ),
        (
            ResponseTemplate::new(200).set_body_string(envelope_with(
                r#"{"responseStatus": "FAILED", "responseMessage": "Insufficient balance in wallet NGN-456"}"#,
            )),
            |e| matches!(e, ProviderError::InsufficientBalance { message, .. } if message.contains("NGN-456")),
        ),
        (
            ResponseTemplate::new(200).set_body_string(r#"{"authenticated": true, "sysErr": 400, "message": "Invalid productId"}"#),
            |e| matches!(e, ProviderError::Rejected { message, .. } if message == "Invalid productId"),
        ),
    ];
    for (template, ok) in cases {
        let server = orders_answering(template).await;
        let err = client(&server)
            .submit(&purchase(1))
            .await
            .expect_err("refused");
        assert!(ok(&err), "{err:?}");
        assert!(!err.outcome_unknown(), "{err:?}");
    }
}

#[tokio::test]
async fn a_failed_order_is_a_failed_outcome() {
    let body = envelope_with(
        r#"{"responseStatus": "FAILED", "responseMessage": "Invalid phone number", "transactionReference": "T-1"}"#,
    );
    let server = orders_answering(ResponseTemplate::new(200).set_body_string(body)).await;
    let out = client(&server)
        .submit(&purchase(1))
        .await
        .expect("an answer");
    assert_eq!(out.status, OutcomeStatus::Failed);
    assert_eq!(out.charged, None, "a failed order charged nothing");
    assert_eq!(out.message.as_deref(), Some("Invalid phone number"));
}

#[tokio::test]
async fn orders_refused_locally_are_never_sent() {
    let server = orders_answering(
        ResponseTemplate::new(200).set_body_string(fixture("order_airtime_response.json")),
    )
    .await;
    let c = client(&server);
    let mut too_long = purchase(1);
    too_long.reference = "R".repeat(51);
    let mut placeholder = purchase(2);
    placeholder.product_code = Some("USE_VALIDATION_PRODUCT_CODE".into());
    let mut no_provider = purchase(3);
    no_provider.provider_ref = None;
    let mut bad_id = purchase(4);
    bad_id.product_id = "abc".into();
    let mut zero = purchase(5);
    zero.face_value = m("0", "NGN");
    let mut no_nonce = purchase(6);
    no_nonce.nonce = " ".into();
    for req in [too_long, placeholder, no_provider, bad_id, zero, no_nonce] {
        let err = c.submit(&req).await.expect_err("refused");
        assert!(
            matches!(err, ProviderError::Rejected { .. }) && !err.outcome_unknown(),
            "{err:?}"
        );
    }
    // No wallet in the request nor in the account settings.
    let mut cfg = config(&server.uri());
    cfg.settings.remove("wallet_id");
    let mut no_wallet = purchase(7);
    no_wallet.wallet_id = None;
    let err = client_for(cfg, policy())
        .submit(&no_wallet)
        .await
        .expect_err("no wallet");
    assert!(
        matches!(err, ProviderError::Rejected { ref message, .. } if message.contains("wallet")),
        "{err:?}"
    );
    assert_eq!(request_count(&server).await, 0);
    // Exactly 50 characters is allowed.
    let mut fifty = purchase(8);
    fifty.reference = "R".repeat(50);
    c.submit(&fifty)
        .await
        .expect("a 50-character reference is sent");
}

/// 500 once, then the real answer.
async fn flaky(server: &MockServer, http_method: &str, route: &str, body: String) {
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn status_catalogue_and_balance_are_retried_after_a_5xx() {
    let server = MockServer::start().await;
    flaky(
        &server,
        "GET",
        "/api/v1/order/status",
        fixture("order_status_response.json"),
    )
    .await;
    flaky(
        &server,
        "GET",
        "/api/v1/Product/Category/airtime",
        fixture("category_airtime_response.json"),
    )
    .await;
    flaky(
        &server,
        "GET",
        "/api/v1/Report/AccountBalance",
        envelope_with(r#"[{"walletId": "NGN-143", "balance": 10}]"#),
    )
    .await;
    let c = client(&server);
    let lookup = StatusLookup {
        reference: "RC-1".into(),
        nonce: "n".into(),
        provider_reference: Some("T-1".into()),
    };
    assert_eq!(
        c.status(&lookup).await.expect("retried").status,
        OutcomeStatus::Succeeded
    );
    let q = CatalogueQuery {
        category: Some("airtime".into()),
        ..CatalogueQuery::default()
    };
    assert_eq!(c.catalogue(&q).await.expect("retried").len(), 4);
    assert_eq!(
        c.balances().await.expect("retried")[0].balance,
        m("10", "NGN")
    );
    let got = server.received_requests().await.expect("recorded");
    assert_eq!(got.len(), 6, "each call: one 500, one success");
    // Each attempt is a new request with its own nonce.
    let nonces: std::collections::BTreeSet<_> = got
        .iter()
        .filter_map(|r| r.headers.get("X-Nonce")?.to_str().ok())
        .collect();
    assert_eq!(nonces.len(), 6);
}

#[tokio::test]
async fn voucher_resend_and_delivery_update_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let c = client(&server);
    assert!(c.resend_voucher("REF-1").await.is_err());
    let update = crate::providers::vendify::DeliveryUpdate {
        beneficiary_telephone: Some("+447700900123".into()),
        transaction_reference: "REF-1".into(),
        ..Default::default()
    };
    assert!(c.update_delivery(&update).await.is_err());
    assert_eq!(
        request_count(&server).await,
        2,
        "one request each: a retry would message the customer twice"
    );
}
