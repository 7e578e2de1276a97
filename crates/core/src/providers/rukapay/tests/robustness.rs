//! Every call against every kind of bad answer: timeouts, HTML pages, truncated or empty
//! bodies, unknown statuses, 429 and 5xx each give a typed `ProviderError`, never a panic;
//! missing optional fields, extra fields and slow-but-in-time answers are fine.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::any;
use wiremock::Mock;

use super::*;
use crate::providers::{OutcomeStatus, Provider, ProviderError, StatusLookup, ValidateRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Submit,
    Status,
    Validate,
    Connection,
}

const CALLS: [Call; 4] = [Call::Submit, Call::Status, Call::Validate, Call::Connection];

async fn run(c: &RukaPayClient, call: Call) -> Result<(), ProviderError> {
    match call {
        Call::Submit => c
            .submit(&order("mno-send:MTN", "+256700000001", "5000", "R-1"))
            .await
            .map(drop),
        Call::Status => {
            let lookup = StatusLookup {
                reference: "R-1".into(),
                nonce: "n".into(),
                provider_reference: None,
            };
            c.status(&lookup).await.map(drop)
        }
        Call::Validate => {
            let req = ValidateRequest {
                product_id: "airtime:MTN".into(),
                account_number: "+256700000001".into(),
                service_type: None,
            };
            c.validate_account(&req).await.map(drop)
        }
        Call::Connection => c.test_connection().await.map(drop),
    }
}

/// Answers every request with `answer` and runs `call` on a fresh server.
async fn against(answer: ResponseTemplate, call: Call) -> Result<(), ProviderError> {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    run(&client(&server), call).await
}

#[tokio::test]
async fn a_silent_provider_times_out_on_every_call() {
    for call in CALLS {
        let slow = json_answer(200, &transfer_answer("SUCCESS", "cm1"))
            .set_delay(Duration::from_millis(1500));
        let err = against(slow, call).await.expect_err("times out");
        assert!(
            matches!(err, ProviderError::Timeout { .. }),
            "{call:?}: {err:?}"
        );
        assert!(err.outcome_unknown());
    }
}

#[tokio::test]
async fn a_slow_answer_within_the_timeout_is_read() {
    let slow =
        json_answer(200, &transfer_answer("SUCCESS", "cm1")).set_delay(Duration::from_millis(100));
    against(slow, Call::Submit).await.expect("read");
}

#[tokio::test]
async fn unreadable_2xx_bodies_are_bad_responses() {
    let bodies = [
        (
            "<!DOCTYPE html><html><body>Bad gateway</body></html>",
            "text/html",
        ),
        (
            r#"{"success": true, "transaction": {"transactionId": "cm1", "sta"#,
            "application/json",
        ),
        ("", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("42", "application/json"),
        ("null", "application/json"),
        (r#"{"success": true}"#, "application/json"),
        (
            r#"{"success": true, "transaction": {"status": "SUCCESS", "amount": "fifty"}}"#,
            "application/json",
        ),
        (
            r#"{"success": true, "transaction": {"status": "SUCCESS", "currency": "shillings"}}"#,
            "application/json",
        ),
    ];
    for (body, mime) in bodies {
        for call in [Call::Submit, Call::Status, Call::Connection] {
            let err = against(raw_answer(200, body, mime), call)
                .await
                .expect_err("unreadable");
            assert!(
                matches!(err, ProviderError::BadResponse { .. }),
                "{call:?} {body:?}: {err:?}"
            );
            assert!(
                err.outcome_unknown(),
                "a purchase whose answer is unreadable stays unknown"
            );
        }
    }
    for (body, mime) in [
        ("<html>oops</html>", "text/html"),
        ("", "application/json"),
        ("{\"x\":", "application/json"),
    ] {
        let err = against(raw_answer(200, body, mime), Call::Validate)
            .await
            .expect_err("unreadable");
        assert!(
            matches!(err, ProviderError::BadResponse { .. }),
            "validate {body:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn unknown_statuses_are_bad_responses_not_guesses() {
    for status in ["REVERSED", "", "success?", "CANCELLED"] {
        for call in [Call::Submit, Call::Status] {
            let err = against(json_answer(200, &transfer_answer(status, "cm1")), call)
                .await
                .expect_err("unknown status");
            assert!(
                matches!(err, ProviderError::BadResponse { .. }),
                "{status}: {err:?}"
            );
        }
    }
    // The documented ones in any case are read.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_answer(200, &transfer_answer("processing", "cm1")))
        .mount(&server)
        .await;
    let o = client(&server)
        .submit(&order("mno-send:MTN", "+256700000001", "5000", "R-1"))
        .await
        .expect("read");
    assert_eq!(o.status, OutcomeStatus::Pending, "PROCESSING is pending");
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_typed_on_every_call() {
    for call in CALLS {
        let limited = json_answer(429, &json!({"message": "Too many requests"}))
            .insert_header("retry-after", "30");
        let err = against(limited, call).await.expect_err("429");
        assert!(
            matches!(
                err,
                ProviderError::RateLimited {
                    retry_after_secs: Some(30),
                    ..
                }
            ),
            "{call:?}: {err:?}"
        );
        for status in [500, 502, 503, 504] {
            let err = against(
                raw_answer(status, "<html>upstream error</html>", "text/html"),
                call,
            )
            .await
            .expect_err("5xx");
            assert!(
                matches!(err, ProviderError::Server { status: s, .. } if s == status),
                "{call:?}: {err:?}"
            );
        }
    }
}

#[tokio::test]
async fn error_pages_and_odd_statuses_on_a_transfer_are_typed() {
    let err = against(
        raw_answer(400, "<html>Bad Request</html>", "text/html"),
        Call::Submit,
    )
    .await
    .expect_err("400");
    assert!(
        matches!(err, ProviderError::Rejected { .. }) && !err.outcome_unknown(),
        "{err:?}"
    );
    let err = against(raw_answer(418, "", "text/plain"), Call::Submit)
        .await
        .expect_err("418");
    assert!(matches!(err, ProviderError::Rejected { .. }), "{err:?}");
    let err = against(raw_answer(304, "", "text/plain"), Call::Submit)
        .await
        .expect_err("304");
    assert!(
        matches!(err, ProviderError::BadResponse { .. }) && err.outcome_unknown(),
        "{err:?}"
    );
    let err = against(raw_answer(404, "not here", "text/plain"), Call::Submit)
        .await
        .expect_err("404");
    assert!(matches!(err, ProviderError::Rejected { .. }), "{err:?}");
}

#[tokio::test]
async fn missing_optional_fields_and_extra_fields_are_fine() {
    let minimal = json!({"success": true, "transaction": {"status": "PENDING"}});
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_answer(200, &minimal))
        .mount(&server)
        .await;
    let out = client(&server)
        .submit(&order("mno-send:MTN", "+256700000001", "5000", "R-1"))
        .await
        .expect("minimal");
    assert_eq!(out.status, OutcomeStatus::Pending);
    assert_eq!(
        (
            out.provider_reference,
            out.charged,
            out.balance_after,
            out.message
        ),
        (None, None, None, None)
    );

    let mut extra = transfer_answer("SUCCESS", "cm1");
    extra["requestId"] = json!("abc");
    extra["transaction"]["riskScore"] = json!({"level": 2, "flags": []});
    extra["transaction"]["recipient"] = json!("John Doe");
    extra["walletBalance"]["walletId"] = json!(17);
    // Without a wallet type the (numeric) wallet id names the wallet.
    if let Some(w) = extra["walletBalance"].as_object_mut() {
        w.remove("walletType");
    }
    extra["walletBalance"]["pending"] = json!(true);
    extra["message"] = json!(["Transfer", "processed"]);
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_answer(200, &extra))
        .mount(&server)
        .await;
    let out = client(&server)
        .submit(&order("mno-send:MTN", "+256700000001", "5000", "R-1"))
        .await
        .expect("extra");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(
        out.balance_after.map(|w| w.wallet_id),
        Some("17".to_owned())
    );
    assert_eq!(out.message.as_deref(), Some("Transfer; processed"));

    // Amounts as strings, with decimals, are read exactly.
    let mut strings = transfer_answer("SUCCESS", "cm1");
    strings["transaction"]["totalCharged"] = json!("5,100.50");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_answer(200, &strings))
        .mount(&server)
        .await;
    let out = client(&server)
        .submit(&order("mno-send:MTN", "+256700000001", "5000", "R-1"))
        .await
        .expect("strings");
    assert_eq!(
        out.charged.map(|m| m.amount.to_string()),
        Some("5100.50".to_owned())
    );
}

#[tokio::test]
async fn products_name_the_wallet_orders_pay_from_and_answers_key_balances_the_same_way() {
    // The Buy form sends no wallet: without one on the product a RukaPay order cannot be
    // placed, and a balance keyed otherwise would never meet the funds check.
    let server = MockServer::start().await;
    for (settings, wallet) in [
        (&[][..], "ESCROW"),
        (&[("wallet_type", "commission")][..], "COMMISSION"),
    ] {
        let products = client_with(&server, settings)
            .catalogue(&crate::providers::CatalogueQuery::default())
            .await
            .expect("catalogue");
        assert!(!products.is_empty());
        assert!(
            products
                .iter()
                .all(|p| p.wallet_id.as_deref() == Some(wallet)),
            "{settings:?}"
        );
    }
    Mock::given(any())
        .respond_with(json_answer(200, &transfer_answer("SUCCESS", "cm1")))
        .mount(&server)
        .await;
    let out = client(&server)
        .submit(&order("mno-send:MTN", "+256700000001", "5000", "R-1"))
        .await
        .expect("answer");
    assert_eq!(
        out.balance_after.map(|w| w.wallet_id).as_deref(),
        Some("ESCROW")
    );
}
