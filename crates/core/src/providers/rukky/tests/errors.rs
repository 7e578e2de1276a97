//! Every error message of the error document maps to its typed `ProviderError`.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use super::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Auth,
    Scope,
    Rejected(&'static str),
    Balance,
}

/// (HTTP status, body, expected, a word the message must carry for the user).
const DOCUMENTED: &[(u16, &str, Want, &str)] = &[
    (
        400,
        r#"{"error":"The action field is required"}"#,
        Want::Rejected("MISSING_ACTION"),
        "bug",
    ),
    (
        403,
        r#"{"error":"The api key field is required"}"#,
        Want::Auth,
        "paste the key",
    ),
    (403, r#"{"error":"Invalid api key"}"#, Want::Auth, "revoked"),
    (
        403,
        r#"{"error":"This credential is no longer active"}"#,
        Want::Auth,
        "contact RukkyStore support",
    ),
    (
        400,
        r#"{"error":"Invalid action"}"#,
        Want::Rejected("INVALID_ACTION"),
        "support",
    ),
    (
        403,
        r#"{"error":"This API key is not allowed for this action"}"#,
        Want::Scope,
        "scope",
    ),
    (
        403,
        r#"{"error":"VTU API access is not enabled for your plan"}"#,
        Want::Scope,
        "VTU enabled",
    ),
    (
        403,
        r#"{"error":"SMM API access is not enabled for your plan"}"#,
        Want::Scope,
        "SMM enabled",
    ),
    (
        400,
        r#"{"error":"Invalid Service Id"}"#,
        Want::Rejected("INVALID_SERVICE"),
        "reload the catalogue",
    ),
    (
        400,
        r#"{"error":"Please follow the limit"}"#,
        Want::Rejected("QUANTITY_LIMIT"),
        "minimum",
    ),
    (
        400,
        r#"{"error":"Insufficient balance"}"#,
        Want::Balance,
        "Insufficient balance",
    ),
    (
        403,
        r#"{"error":"Incorrect PIN"}"#,
        Want::Auth,
        "re-enter the PIN",
    ),
    (
        403,
        r#"{"error":"API key is restricted to whitelisted domains","detected_domain":"shop.example"}"#,
        Want::Auth,
        "shop.example",
    ),
    (
        400,
        r#"{"error":"Invalid or inactive gift card type"}"#,
        Want::Rejected("GIFTCARD_TYPE"),
        "gift card",
    ),
    (
        400,
        r#"{"error":"Amount must be between 500 and 50000"}"#,
        Want::Rejected("AMOUNT_RANGE"),
        "500 and 50000",
    ),
    (
        400,
        r#"{"error":"No-KYC per-transaction VTU limit exceeded"}"#,
        Want::Rejected("KYC_LIMIT"),
        "KYC",
    ),
    (
        400,
        r#"{"error":"No-KYC daily VTU limit exceeded"}"#,
        Want::Rejected("KYC_DAILY_LIMIT"),
        "tomorrow",
    ),
    // Shapes beyond the documented strings.
    (
        200,
        r#"{"error":"insufficient BALANCE"}"#,
        Want::Balance,
        "BALANCE",
    ),
    (
        403,
        r#"{"error":"Something new"}"#,
        Want::Auth,
        "Developer Portal",
    ),
    (
        400,
        r#"{"error":"Something new"}"#,
        Want::Rejected(""),
        "Something new",
    ),
    (
        422,
        r#"{"errors":["phone is invalid"]}"#,
        Want::Rejected("VALIDATION"),
        "phone is invalid",
    ),
    (
        422,
        r#"{"errors":{"phone":"is invalid"}}"#,
        Want::Rejected("VALIDATION"),
        "phone: is invalid",
    ),
    (
        400,
        r#"{"error":{"message":"Invalid api key"}}"#,
        Want::Auth,
        "revoked",
    ),
    (
        403,
        "<html>Forbidden</html>",
        Want::Auth,
        "Developer Portal",
    ),
    (400, "", Want::Rejected("HTTP_400"), "HTTP 400"),
    (404, "Not Found", Want::Rejected("HTTP_404"), "base URL"),
    (
        400,
        r#"{"message":"Bad phone"}"#,
        Want::Rejected("HTTP_400"),
        "Bad phone",
    ),
];

#[tokio::test]
async fn every_documented_message_is_typed_and_definite() {
    for (status, body, want, says) in DOCUMENTED {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v1"))
            .respond_with(json(*status, body))
            .mount(&server)
            .await;
        let err = client(&server)
            .submit(&purchase("airtime:mtn", "08031234567", "100"))
            .await
            .expect_err(body);
        let shown = err.to_string();
        assert!(shown.contains(says), "{body}: {shown}");
        assert!(!err.outcome_unknown(), "{body} is a definite refusal");
        match (want, &err) {
            (Want::Auth, ProviderError::Auth { .. }) => assert!(
                !crate::providers::rukky::errors::is_scope_refusal(&err),
                "{body}"
            ),
            (Want::Scope, ProviderError::Auth { .. }) => assert!(
                crate::providers::rukky::errors::is_scope_refusal(&err),
                "{body}"
            ),
            (Want::Balance, ProviderError::InsufficientBalance { .. }) => {}
            (Want::Rejected(""), ProviderError::Rejected { code: None, .. }) => {}
            (
                Want::Rejected(c),
                ProviderError::Rejected {
                    code: Some(got), ..
                },
            ) => assert_eq!(c, got, "{body}"),
            _ => panic!("{body}: expected {want:?}, got {err:?}"),
        }
    }
}

#[tokio::test]
async fn a_rate_limited_purchase_is_not_retried_and_not_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(429, r#"{"error":"Rate limit exceeded","reset_in":1}"#))
        .mount(&server)
        .await;
    let err = client(&server)
        .submit(&purchase("airtime:mtn", "08031234567", "100"))
        .await
        .expect_err("429");
    assert!(
        matches!(
            err,
            ProviderError::RateLimited {
                retry_after_secs: Some(1),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    assert_eq!(
        requests(&server).await.len(),
        1,
        "a purchase is never resent, not even after 429"
    );
}

#[tokio::test]
async fn a_rate_limited_safe_call_waits_reset_in_and_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(
            429,
            r#"{"error":"Rate limit exceeded","reset_in":"1"}"#,
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(200, r#"{"balance":"5.00"}"#))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let wallets = client(&server).balances().await.expect("after the wait");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "honoured reset_in"
    );
    assert_eq!(wallets[0].balance.amount_string(), "5.00");
    assert_eq!(requests(&server).await.len(), 2);
}
