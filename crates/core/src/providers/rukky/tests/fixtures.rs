//! Every sample of the document, read from `fixtures/rukky/`: sample responses parse into
//! the shared types with exact values; sample requests are what the adapter sends.

use rust_decimal::Decimal;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("decimal literal")
}

/// A sample cURL line: `curl -X POST "URL" -H "Name: value" -d "body"`.
struct Curl {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    data: String,
}

fn curl(line: &str) -> Curl {
    let parts: Vec<&str> = line.trim_end().split('"').collect();
    let mut c = Curl {
        method: String::new(),
        url: String::new(),
        headers: vec![],
        data: String::new(),
    };
    for pair in parts.chunks(2) {
        let (flags, value) = (pair[0].trim(), pair.get(1).copied().unwrap_or_default());
        if let Some(m) = flags.strip_prefix("curl -X ") {
            c.method = m.trim().to_owned();
            c.url = value.to_owned();
        } else if flags == "-H" {
            let (k, v) = value.split_once(':').expect("header");
            c.headers.push((k.trim().to_owned(), v.trim().to_owned()));
        } else if flags == "-d" {
            c.data = value.to_owned();
        }
    }
    c
}

/// Checks the one request the mock received against the sample. Substituted: the mock
/// server's address for `https://www.rukkystore.com` (the path `/api/v1` is kept) and our
/// test key for `YOUR_API_KEY`. Every other value (plan_id=1, phone, pin=1234, trx=XXXX,
/// order=4488, ...) is the sample's own, fed in through the adapter's inputs.
async fn assert_sent_as(server: &MockServer, sample: &str) {
    let c = curl(sample);
    let sent = requests(server).await;
    assert_eq!(sent.len(), 1, "exactly one request for {sample}");
    let r = &sent[0];
    assert_eq!(r.method.as_str(), c.method);
    let doc_path = url::Url::parse(&c.url)
        .expect("sample url")
        .path()
        .to_owned();
    assert_eq!(r.url.path(), doc_path);
    for (name, value) in &c.headers {
        let value = if value == "YOUR_API_KEY" {
            KEY
        } else {
            value.as_str()
        };
        assert_eq!(
            r.headers.get(name.as_str()).and_then(|v| v.to_str().ok()),
            Some(value),
            "{name}"
        );
    }
    // What `curl -d` sends, and the only place the key could leak into instead.
    assert_eq!(
        r.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        form_of(&r.body),
        form_of(c.data.as_bytes()),
        "form body of {sample}"
    );
    assert!(
        field(r, "key").is_none(),
        "the key never travels in the body"
    );
}

async fn mock_any(server: &MockServer, status: u16, body: &str) {
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(status, body))
        .mount(server)
        .await;
}

#[test]
fn the_auth_header_is_the_documented_one() {
    let (name, value) = fixture!("auth_header.txt")
        .trim_end()
        .split_once(": ")
        .expect("header");
    assert_eq!((name, value), ("X-API-KEY", "YOUR_API_KEY"));
    // The body form `key=...` is documented too; the adapter deliberately never uses it.
    assert_eq!(
        fixture!("auth_body_param.txt").trim_end(),
        "key=YOUR_API_KEY"
    );
}

#[tokio::test]
async fn services_request_is_the_sample() {
    let server = MockServer::start().await;
    mock_any(
        &server,
        200,
        r#"[{"service":123,"name":"Followers","rate":"1.00","min":"10","max":"100"}]"#,
    )
    .await;
    client(&server).smm_services().await.expect("services");
    assert_sent_as(&server, fixture!("services_request.curl")).await;
}

#[tokio::test]
async fn add_request_is_the_sample() {
    let server = MockServer::start().await;
    mock_any(&server, 200, r#"{"order":4488}"#).await;
    let out = client(&server)
        .submit(&purchase("smm:123", "https://example.com", "1000"))
        .await
        .expect("add");
    assert_sent_as(&server, fixture!("add_request.curl")).await;
    assert_eq!(out.status, OutcomeStatus::Pending);
    assert_eq!(out.provider_reference.as_deref(), Some("smm:4488"));
}

#[tokio::test]
async fn order_status_request_is_the_sample() {
    let server = MockServer::start().await;
    mock_any(&server, 200, r#"{"charge":"0.27819","start_count":"3572","status":"Partial","remains":"157","currency":"USD"}"#).await;
    let out = client(&server)
        .status(&lookup(Some("smm:4488")))
        .await
        .expect("status");
    assert_sent_as(&server, fixture!("status_request.curl")).await;
    assert_eq!(
        out.status,
        OutcomeStatus::Succeeded,
        "partial is final: the rest is refunded"
    );
    assert_eq!(
        out.charged,
        Some(Money::new(d("0.27819"), Currency::new("USD").expect("usd")))
    );
    assert!(out
        .message
        .as_deref()
        .is_some_and(|m| m.contains("157 not delivered")));
    assert_eq!(out.provider_reference.as_deref(), Some("smm:4488"));
}

#[tokio::test]
async fn balance_request_is_the_sample() {
    let server = MockServer::start().await;
    mock_any(&server, 200, r#"{"balance":"100.84292","currency":"NGN"}"#).await;
    let wallets = client(&server).balances().await.expect("balance");
    assert_sent_as(&server, fixture!("balance_request.curl")).await;
    assert_eq!(
        wallets,
        vec![WalletBalance {
            wallet_id: "NGN".into(),
            balance: Money::new(d("100.84292"), naira())
        }]
    );
}

#[tokio::test]
async fn vtu_data_plans_request_is_the_sample() {
    let server = MockServer::start().await;
    mock_any(
        &server,
        200,
        r#"[{"plan_id":1,"name":"MTN 1GB","price":"280.00"}]"#,
    )
    .await;
    let q = CatalogueQuery {
        category: Some("data".into()),
        sub_category: Some("mtn-data".into()),
        ..Default::default()
    };
    let products = client(&server).catalogue(&q).await.expect("plans");
    assert_sent_as(&server, fixture!("vtu_data_plans_request.curl")).await;
    assert_eq!(products.len(), 1);
    assert_eq!(products[0].id, "data:1");
}

#[tokio::test]
async fn vtu_data_request_is_the_sample() {
    let server = MockServer::start().await;
    mock_any(&server, 200, fixture!("vtu_response.json")).await;
    // The app keeps E.164; RukkyStore's sample is the local form of the same number.
    client(&server)
        .submit(&purchase("data:1", "+2348012345678", "123.45"))
        .await
        .expect("buy");
    assert_sent_as(&server, fixture!("vtu_data_request.curl")).await;
}

#[tokio::test]
async fn vtu_status_request_is_the_sample() {
    let server = MockServer::start().await;
    let answer = fixture!("vtu_response.json")
        .replace("success|failed|processing|pending", "success")
        .replace("TRX_STRING", "XXXX");
    mock_any(&server, 200, &answer).await;
    let out = client(&server)
        .status(&lookup(Some("XXXX")))
        .await
        .expect("status");
    assert_sent_as(&server, fixture!("vtu_status_request.curl")).await;
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(out.provider_reference.as_deref(), Some("XXXX"));
}

/// The document's VTU answer, verbatim: its status is the list of possible values, which
/// no real answer carries, so the order stays pending with its trx (see outcome.rs).
#[tokio::test]
async fn vtu_response_sample_parses_verbatim() {
    let server = MockServer::start().await;
    mock_any(&server, 200, fixture!("vtu_response.json")).await;
    let out = client(&server)
        .submit(&purchase("data:1", "08012345678", "123.45"))
        .await
        .expect("parses");
    assert_eq!(out.status, OutcomeStatus::Pending);
    assert_eq!(out.provider_reference.as_deref(), Some("TRX_STRING"));
    assert_eq!(out.charged, Some(Money::new(d("123.45"), naira())));
    assert_eq!(
        out.balance_after,
        Some(WalletBalance {
            wallet_id: "NGN".into(),
            balance: Money::new(d("1000.00"), naira())
        })
    );
    assert_eq!(
        out.delivery.pins,
        vec![crate::providers::PinCode {
            pin: "...".into(),
            serial: Some("...".into()),
            expires: None
        }]
    );
    let msg = out.message.expect("message");
    assert!(msg.contains("optional error/success message"), "{msg}");
    assert!(msg.contains("upstream reference REFERENCE_IF_ANY"), "{msg}");
    assert!(msg.contains("does not know"), "{msg}");
}

#[tokio::test]
async fn vtu_response_sample_with_each_documented_status() {
    for (status, expected, charged) in [
        ("success", OutcomeStatus::Succeeded, true),
        ("failed", OutcomeStatus::Failed, false),
        ("processing", OutcomeStatus::Pending, true),
        ("pending", OutcomeStatus::Pending, true),
        ("SUCCESS", OutcomeStatus::Succeeded, true),
    ] {
        let server = MockServer::start().await;
        let body =
            fixture!("vtu_response.json").replace("success|failed|processing|pending", status);
        mock_any(&server, 200, &body).await;
        let out = client(&server)
            .submit(&purchase("data:1", "08012345678", "123.45"))
            .await
            .expect(status);
        assert_eq!(out.status, expected, "{status}");
        assert_eq!(out.charged.is_some(), charged, "{status}");
        assert_eq!(out.provider_reference.as_deref(), Some("TRX_STRING"));
        assert_eq!(
            out.balance_after.map(|b| b.balance.amount),
            Some(d("1000.00"))
        );
        assert!(
            !out.message.unwrap_or_default().contains("does not know"),
            "{status}"
        );
    }
}

#[tokio::test]
async fn vtu_response_sample_in_vtu_status_is_refused_for_its_unknown_status() {
    let server = MockServer::start().await;
    mock_any(&server, 200, fixture!("vtu_response.json")).await;
    let err = client(&server)
        .status(&lookup(Some("TRX_STRING")))
        .await
        .expect_err("unknown status");
    assert!(matches!(err, ProviderError::BadResponse { .. }), "{err:?}");
}

#[tokio::test]
async fn simple_error_sample_is_insufficient_balance() {
    let server = MockServer::start().await;
    mock_any(&server, 400, fixture!("error_simple.json")).await;
    let err = client(&server)
        .submit(&purchase("data:1", "08012345678", "100"))
        .await
        .expect_err("refused");
    match &err {
        ProviderError::InsufficientBalance { message, .. } => {
            assert_eq!(message, "RukkyStore said \"Insufficient balance\"")
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn validation_error_sample_lists_the_fields() {
    let server = MockServer::start().await;
    mock_any(&server, 422, fixture!("error_validation.json")).await;
    let err = client(&server)
        .submit(&purchase("smm:1", "https://x.test", "10"))
        .await
        .expect_err("422");
    match &err {
        ProviderError::Rejected {
            message,
            code,
            body,
            ..
        } => {
            assert_eq!(code.as_deref(), Some("VALIDATION"));
            assert!(
                message.contains("quantity: The quantity field is required."),
                "{message}"
            );
            assert!(
                message.contains("service: The selected service is invalid."),
                "{message}"
            );
            assert_eq!(body.as_deref(), Some(fixture!("error_validation.json")));
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn both_error_shapes_sample_keeps_both_texts() {
    let server = MockServer::start().await;
    mock_any(&server, 400, fixture!("error_both.json")).await;
    let err = client(&server)
        .submit(&purchase("airtime:mtn", "08012345678", "100"))
        .await
        .expect_err("400");
    match &err {
        ProviderError::InsufficientBalance { message, .. } => assert_eq!(
            message,
            "RukkyStore said \"Insufficient balance\" (balance: Your account balance is too low for this order)"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn webhook_sample_verifies_and_maps() {
    use hmac::{Hmac, Mac};
    let body = fixture!("webhook_payload.json").as_bytes();
    let secret = Secret::new("whsec_test");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"whsec_test").expect("key");
    mac.update(body);
    let sig = hex::encode(mac.finalize().into_bytes());
    let ev = verify_webhook(body, &sig, &secret).expect("verifies");
    assert_eq!(ev.kind, WebhookEventKind::Success);
    assert_eq!(
        ev.occurred_at.map(|t| t.to_rfc3339()),
        Some("2026-04-05T12:00:00+00:00".into())
    );
    let v = &ev.vtu;
    assert_eq!(v.id.as_deref(), Some("1"));
    assert_eq!(v.trx, "TRX_STRING");
    assert_eq!(v.category.as_deref(), Some("data"));
    assert_eq!(v.service_name.as_deref(), Some("mtn-data"));
    assert_eq!(v.phone.as_deref(), Some("08012345678"));
    assert_eq!(v.amount, Some(d("123.45")));
    assert_eq!(v.base_amount, Some(d("120.00")));
    assert_eq!(v.profit_amount, Some(d("3.45")));
    assert_eq!(v.provider.as_deref(), Some("strowallet"));
    assert_eq!(v.provider_ref.as_deref(), Some("ABC123"));
    assert_eq!(v.status.as_deref(), Some("success"));
    assert_eq!(v.meta.as_deref(), Some("{}"));
    assert_eq!(
        v.updated_at.map(|t| t.to_rfc3339()),
        Some("2026-04-05T12:00:05+00:00".into())
    );
    let out = ev.outcome().expect("known status");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(out.provider_reference.as_deref(), Some("TRX_STRING"));
    assert_eq!(out.charged, Some(Money::new(d("123.45"), naira())));

    // The documented headers: the event header names the payload's event.
    let headers: Vec<(&str, &str)> = fixture!("webhook_headers.txt")
        .lines()
        .filter_map(|l| l.split_once(": "))
        .collect();
    assert_eq!(headers[0], ("X-Webhook-Event", "vtu.success"));
    assert_eq!(headers[1].0, "X-Webhook-Signature");
}
