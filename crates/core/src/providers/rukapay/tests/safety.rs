//! Money safety: a transfer goes out exactly once whatever happens, a duplicate
//! `partnerReference` resolves to the existing transfer instead of a failure, safe calls are
//! retried, definite refusals are not "unknown", and the API key never leaks.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::Mock;

use super::*;
use crate::providers::{OutcomeStatus, Provider, ProviderError, StatusLookup, ValidateRequest};

fn buy(reference: &str) -> PurchaseRequest {
    order("mno-send:MTN", "+256700000001", "5000", reference)
}

#[tokio::test]
async fn a_transfer_answered_500_or_too_late_is_sent_once_and_unknown() {
    for answer in [
        raw_answer(
            500,
            "{\"message\":\"Internal server error\"}",
            "application/json",
        ),
        raw_answer(502, "<html>Bad gateway</html>", "text/html"),
        json_answer(200, &transfer_answer("SUCCESS", "cm1")).set_delay(Duration::from_millis(1500)),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TRANSFER))
            .respond_with(answer)
            .expect(1)
            .mount(&server)
            .await;
        let err = client(&server)
            .submit(&buy("R-ONCE"))
            .await
            .expect_err("fails");
        assert!(err.outcome_unknown(), "{err:?}");
        assert_eq!(
            requests_to(&server, TRANSFER).await.len(),
            1,
            "exactly one transfer request"
        );
        assert!(
            requests_to(&server, &status_path("R-ONCE"))
                .await
                .is_empty(),
            "no status guessing in submit"
        );
    }
}

/// A local address nothing listens on (wiremock pools servers, so a dropped one still answers).
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn a_refused_connection_is_certainly_not_sent() {
    let uri = closed_port();
    let c = client_for(config_with(&uri, Environment::Custom, KEY, &[]));
    let err = c.submit(&buy("R-DOWN")).await.expect_err("refused");
    assert!(matches!(err, ProviderError::Unreachable { .. }), "{err:?}");
    assert!(
        !err.outcome_unknown(),
        "connect refused: the transfer never left"
    );
}

#[tokio::test]
async fn status_and_validation_are_retried_on_5xx() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(status_path("R-RETRY")))
        .respond_with(raw_answer(503, "busy", "text/plain"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(status_path("R-RETRY")))
        .respond_with(json_answer(200, &status_answer("R-RETRY", "SUCCESS", 5000)))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(VALIDATE))
        .respond_with(raw_answer(500, "oops", "text/plain"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(VALIDATE))
        .respond_with(json_answer(
            200,
            &json!({"success": true, "accountName": "A"}),
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    let c = client(&server);
    let lookup = StatusLookup {
        reference: "R-RETRY".into(),
        nonce: "n".into(),
        provider_reference: None,
    };
    assert_eq!(
        c.status(&lookup).await.expect("third time").status,
        OutcomeStatus::Succeeded
    );
    assert_eq!(requests_to(&server, &status_path("R-RETRY")).await.len(), 3);
    let v = ValidateRequest {
        product_id: "airtime:MTN".into(),
        account_number: "+256700000001".into(),
        service_type: None,
    };
    assert!(c.validate_account(&v).await.expect("second time").valid);
    assert_eq!(requests_to(&server, VALIDATE).await.len(), 2);
}

/// Mounts a transfer refusal `answer` and a status answer for `reference`, submits, and
/// checks the transfer endpoint saw exactly one request.
async fn duplicate_then(
    answer: ResponseTemplate,
    status: ResponseTemplate,
    reference: &str,
) -> Result<crate::providers::PurchaseOutcome, ProviderError> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(status_path(reference)))
        .respond_with(status)
        .mount(&server)
        .await;
    let out = client(&server).submit(&buy(reference)).await;
    assert_eq!(
        requests_to(&server, TRANSFER).await.len(),
        1,
        "the transfer is never resent"
    );
    out
}

#[tokio::test]
async fn a_duplicate_reference_is_answered_with_the_existing_transfer() {
    // The document gives no wording for the duplicate 400; these are the shapes we accept.
    let refusals = [
        json_answer(
            400,
            &json!({"success": false, "message": "Duplicate partnerReference"}),
        ),
        json_answer(
            400,
            &json!({"success": false, "message": "A transaction with this partner reference already exists"}),
        ),
        json_answer(
            400,
            &json!({"success": false, "error": "DUPLICATE_REFERENCE", "message": "Request rejected"}),
        ),
        json_answer(
            409,
            &json!({"statusCode": 409, "message": ["partnerReference must be unique: duplicate"]}),
        ),
        json_answer(
            200,
            &json!({"success": false, "message": "duplicate reference"}),
        ),
    ];
    for refusal in refusals {
        let out = duplicate_then(
            refusal,
            json_answer(200, &status_answer("R-DUP", "SUCCESS", 5000)),
            "R-DUP",
        )
        .await
        .expect("resolved");
        assert_eq!(out.status, OutcomeStatus::Succeeded);
        assert_eq!(out.provider_reference.as_deref(), Some("cm-R-DUP"));
    }
    let pending = duplicate_then(
        json_answer(400, &json!({"message": "Duplicate partnerReference"})),
        json_answer(200, &status_answer("R-DUP", "PROCESSING", 5000)),
        "R-DUP",
    )
    .await
    .expect("resolved");
    assert_eq!(pending.status, OutcomeStatus::Pending);
}

#[tokio::test]
async fn a_duplicate_that_cannot_be_read_stays_unknown_and_someone_elses_is_refused() {
    let dup = || {
        json_answer(
            400,
            &json!({"success": false, "message": "Duplicate partnerReference"}),
        )
    };
    let not_found = json_answer(
        404,
        &json!({"success": false, "error": "TRANSACTION_NOT_FOUND"}),
    );
    let err = duplicate_then(dup(), not_found, "R-DUP")
        .await
        .expect_err("unreadable");
    assert!(
        err.outcome_unknown(),
        "the provider says it exists: never a failure ({err:?})"
    );
    let err = duplicate_then(dup(), raw_answer(503, "", "text/plain"), "R-DUP")
        .await
        .expect_err("down");
    assert!(err.outcome_unknown(), "{err:?}");
    let other = json_answer(200, &status_answer("R-DUP", "SUCCESS", 99_000));
    let err = duplicate_then(dup(), other, "R-DUP")
        .await
        .expect_err("not ours");
    assert!(
        matches!(&err, ProviderError::Rejected { code: Some(c), .. } if c == "DUPLICATE_REFERENCE"),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
}

/// What a refusal must look like.
type Expect = fn(&ProviderError) -> bool;

#[tokio::test]
async fn definite_refusals_are_not_unknown() {
    let cases: [(ResponseTemplate, Expect); 5] = [
        (
            json_answer(401, &json!({"message": "Invalid or missing x-api-key"})),
            |e| matches!(e, ProviderError::Auth { .. }),
        ),
        (
            json_answer(
                400,
                &json!({"success": false, "message": "Insufficient balance in ESCROW wallet"}),
            ),
            |e| matches!(e, ProviderError::InsufficientBalance { message, .. } if message.contains("ESCROW")),
        ),
        (
            json_answer(
                400,
                &json!({"success": false, "error": {"code": "INSUFFICIENT_FUNDS", "message": "Top up"}}),
            ),
            |e| matches!(e, ProviderError::InsufficientBalance { .. }),
        ),
        (
            json_answer(
                400,
                &json!({"statusCode": 400, "message": ["amount must not be less than 100"], "error": "Bad Request"}),
            ),
            |e| matches!(e, ProviderError::Rejected { message, .. } if message == "amount must not be less than 100"),
        ),
        (
            json_answer(
                422,
                &json!({"errors": [{"field": "phoneNumber", "message": "Invalid MSISDN"}]}),
            ),
            |e| matches!(e, ProviderError::Rejected { message, .. } if message == "Invalid MSISDN"),
        ),
    ];
    for (answer, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(answer).mount(&server).await;
        let err = client(&server)
            .submit(&buy("R-NO"))
            .await
            .expect_err("refused");
        assert!(expected(&err), "{err:?}");
        assert!(!err.outcome_unknown(), "{err:?}");
        assert_eq!(
            server.received_requests().await.expect("recording").len(),
            1,
            "no status lookup after a refusal"
        );
    }
}

#[tokio::test]
async fn status_of_an_unknown_reference_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_answer(404, &json!({"success": false, "message": "Transaction not found", "error": "TRANSACTION_NOT_FOUND"})))
        .mount(&server)
        .await;
    let lookup = StatusLookup {
        reference: "R-NONE".into(),
        nonce: "n".into(),
        provider_reference: None,
    };
    let err = client(&server).status(&lookup).await.expect_err("missing");
    assert!(matches!(err, ProviderError::NotFound { .. }), "{err:?}");
    // The same said in a 200 with `success: false`.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_answer(
            200,
            &json!({"success": false, "message": "Transaction not found"}),
        ))
        .mount(&server)
        .await;
    let err = client(&server).status(&lookup).await.expect_err("missing");
    assert!(matches!(err, ProviderError::NotFound { .. }), "{err:?}");
}

const CANARY: &str = "CANARY-rk-9f31c2e8";

/// Every error path with bodies that echo the key: none of it may show the key.
#[tokio::test]
async fn the_api_key_never_appears_in_errors_or_results() {
    let echo = |status: u16| {
        json_answer(
            status,
            &json!({"success": false, "message": format!("bad key {CANARY}"), "code": CANARY}),
        )
    };
    let mut seen: Vec<String> = Vec::new();
    for answer in [
        echo(400),
        echo(401),
        echo(403),
        echo(404),
        echo(409),
        echo(500),
        raw_answer(502, &format!("<html>{CANARY}</html>"), "text/html"),
        raw_answer(
            200,
            &format!("{{\"success\": true, \"transaction\": {{\"status\": \"{CANARY}\"}}}}"),
            "application/json",
        ),
        raw_answer(200, &format!("not json {CANARY}"), "text/plain"),
        json_answer(
            200,
            &json!({"success": true, "message": CANARY, "transaction": {"status": "FAILED", "failureReason": CANARY, "transactionId": CANARY}}),
        ),
        json_answer(
            200,
            &json!({"success": true, "accountName": CANARY, "message": CANARY}),
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(answer).mount(&server).await;
        let c = client_for(config_with(&server.uri(), Environment::Custom, CANARY, &[]));
        let lookup = StatusLookup {
            reference: "R-S".into(),
            nonce: "n".into(),
            provider_reference: None,
        };
        let v = ValidateRequest {
            product_id: "airtime:MTN".into(),
            account_number: "+256700000001".into(),
            service_type: None,
        };
        seen.push(format!("{:?}", c.submit(&buy("R-S")).await));
        seen.push(format!("{:?}", c.status(&lookup).await));
        seen.push(format!("{:?}", c.validate_account(&v).await));
        seen.push(format!("{:?}", c.test_connection().await));
        seen.push(format!("{:?}", c.transaction("R-S").await));
        if let Err(e) = c.submit(&buy("R-S")).await {
            seen.push(e.to_string());
        }
        seen.push(format!(
            "{:?}",
            c.parse_callback(&format!(
                "{{\"status\":\"FAILED\",\"errorMessage\":\"{CANARY}\"}}"
            ))
        ));
    }
    // Transport errors: a refused connection and a timeout.
    let gone = closed_port();
    let c = client_for(config_with(&gone, Environment::Custom, CANARY, &[]));
    let e = c.submit(&buy("R-S")).await.expect_err("refused");
    seen.push(format!("{e} {e:?}"));
    let slow = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(1500)))
        .mount(&slow)
        .await;
    let c = client_for(config_with(&slow.uri(), Environment::Custom, CANARY, &[]));
    let e = c.submit(&buy("R-S")).await.expect_err("timeout");
    seen.push(format!("{e} {e:?}"));
    assert!(seen.len() > 70);
    for text in &seen {
        assert!(!text.contains(CANARY), "the key leaked: {text}");
        assert!(!text.contains("9f31c2e8"), "part of the key leaked: {text}");
    }
}
