//! Purchases and status queries: the form each product sends, refusals made before
//! anything is sent, and how status answers map.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use super::fake::FakeRukky;
use super::*;
use crate::providers::rukky::purchase::local_phone;

async fn fake() -> (MockServer, RukkyClient) {
    let server = MockServer::start().await;
    FakeRukky::default().mount(&server).await;
    let c = client(&server);
    (server, c)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn each_vtu_product_sends_its_documented_fields() {
    let mut cable = purchase("cable:dstv:dstv-padi", "7012345678", "3950");
    cable.phone = Some("+2348031234567".into());
    let mut cable_picked = purchase("cable:dstv", "7012345678", "3950");
    cable_picked.phone = Some("08031234567".into());
    cable_picked.product_code = Some("dstv-yanga".into());
    let mut power = purchase("electricity:ikeja-electric:prepaid", "45012345678", "5000");
    power.phone = Some("+234 803 123 4567".into());
    let mut postpaid = power.clone();
    postpaid.service_type = Some("POSTPAID".into());
    let cases: Vec<(PurchaseRequest, Vec<(&str, &str)>)> = vec![
        (
            purchase("airtime:mtn", "+2348031234567", "500"),
            vec![
                ("action", "vtu_airtime"),
                ("service_name", "mtn"),
                ("phone", "08031234567"),
                ("amount", "500"),
                ("pin", PIN),
            ],
        ),
        (
            purchase("sme:11", "08031234567", "140"),
            vec![
                ("action", "vtu_sme"),
                ("plan_id", "11"),
                ("phone", "08031234567"),
                ("pin", PIN),
            ],
        ),
        (
            cable,
            vec![
                ("action", "vtu_cable"),
                ("plan_id", "dstv-padi"),
                ("customer_id", "7012345678"),
                ("phone", "08031234567"),
                ("pin", PIN),
            ],
        ),
        (
            cable_picked,
            vec![
                ("action", "vtu_cable"),
                ("plan_id", "dstv-yanga"),
                ("customer_id", "7012345678"),
                ("phone", "08031234567"),
                ("pin", PIN),
            ],
        ),
        (
            power,
            vec![
                ("action", "vtu_electricity"),
                ("service_name", "ikeja-electric"),
                ("meter_type", "prepaid"),
                ("meter_number", "45012345678"),
                ("phone", "08031234567"),
                ("amount", "5000"),
                ("pin", PIN),
            ],
        ),
        (
            postpaid,
            vec![
                ("action", "vtu_electricity"),
                ("service_name", "ikeja-electric"),
                ("meter_type", "postpaid"),
                ("meter_number", "45012345678"),
                ("phone", "08031234567"),
                ("amount", "5000"),
                ("pin", PIN),
            ],
        ),
        (
            purchase("education:waec", "+2348031234567", "3500.00"),
            vec![
                ("action", "vtu_education"),
                ("phone", "08031234567"),
                ("amount", "3500"),
                ("pin", PIN),
            ],
        ),
        (
            purchase("recharge_card:glo", "+2348031234567", "200"),
            vec![
                ("action", "vtu_recharge_card"),
                ("card_network", "glo"),
                ("value", "200"),
                ("quantity", "1"),
                ("pin", PIN),
            ],
        ),
    ];
    for (req, expected) in cases {
        let (server, c) = fake().await;
        let out = c
            .submit(&req)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", req.product_id));
        assert_eq!(out.status, OutcomeStatus::Succeeded, "{}", req.product_id);
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 1);
        assert_eq!(
            form_of(&sent[0].body),
            pairs(&expected),
            "{}",
            req.product_id
        );
    }
}

#[tokio::test]
async fn printed_cards_and_exam_pins_are_delivered() {
    let (_server, c) = fake().await;
    let out = c
        .submit(&purchase("recharge_card:mtn", "08031234567", "100"))
        .await
        .expect("card");
    assert_eq!(out.delivery.pins.len(), 1);
    assert_eq!(out.delivery.pins[0].pin, "1234-5678-9012");
    assert_eq!(out.delivery.pins[0].serial.as_deref(), Some("SN0001"));
    assert_eq!(
        out.charged.map(|m| m.amount_string()),
        Some("100.00".into())
    );
    assert_eq!(
        out.balance_after.map(|b| b.balance.amount_string()),
        Some("24900.00".into())
    );
}

#[tokio::test]
async fn refusals_before_sending_send_nothing() {
    let server = MockServer::start().await;
    FakeRukky::default().mount(&server).await;
    let no_pin =
        RukkyClient::new(config(&base(&server), &[("api_key", KEY)]), &ctx()).expect("client");
    let c = client(&server);
    let mut usd = purchase("airtime:mtn", "08031234567", "5");
    usd.face_value = Money::parse("5", "USD").expect("usd");
    let cases: Vec<(&RukkyClient, PurchaseRequest, &str)> = vec![
        (
            &no_pin,
            purchase("airtime:mtn", "08031234567", "100"),
            "MissingCredential",
        ),
        (
            &c,
            purchase("cable:dstv:1", "7012345678", "100"),
            "MISSING_PHONE",
        ),
        (
            &c,
            purchase("cable:dstv", "7012345678", "100"),
            "MISSING_PLAN",
        ),
        (&c, usd, "CURRENCY"),
        (
            &c,
            purchase("airtime:mtn", "08031234567", "0"),
            "INVALID_AMOUNT",
        ),
        (
            &c,
            purchase("smm:1", "https://x.test", "10.5"),
            "INVALID_QUANTITY",
        ),
        (&c, purchase("smm:1", " ", "10"), "MISSING_LINK"),
        (
            &c,
            purchase("giftcard:1", "08031234567", "10"),
            "UNKNOWN_PRODUCT",
        ),
    ];
    for (client, req, expected) in cases {
        let err = client.submit(&req).await.expect_err(expected);
        assert!(!err.outcome_unknown(), "{expected}: {err:?}");
        match &err {
            ProviderError::Rejected { code, .. } => assert_eq!(code.as_deref(), Some(expected)),
            ProviderError::MissingCredential { field, .. } => {
                assert_eq!((expected, field.as_str()), ("MissingCredential", "pin"))
            }
            other => panic!("{expected}: {other:?}"),
        }
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn smm_orders_need_no_pin() {
    let server = MockServer::start().await;
    FakeRukky::default().mount(&server).await;
    let c = RukkyClient::new(config(&base(&server), &[("api_key", KEY)]), &ctx()).expect("client");
    let out = c
        .submit(&purchase("smm:1", "https://instagram.com/x", "100"))
        .await
        .expect("add");
    assert_eq!(out.provider_reference.as_deref(), Some("smm:4488"));
    assert!(field(&requests(&server).await[0], "pin").is_none());
}

#[tokio::test]
async fn status_without_a_trx_needs_a_person_and_sends_nothing() {
    let (server, c) = fake().await;
    for missing in [None, Some(""), Some("  ")] {
        let err = c.status(&lookup(missing)).await.expect_err("no trx");
        assert!(matches!(err, ProviderError::Unsupported { .. }), "{err:?}");
        assert!(err.to_string().contains("needs a person"), "{err}");
        assert!(err.to_string().contains("must not be resent"), "{err}");
        assert!(!err.outcome_unknown());
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_refused_lookup_is_never_taken_as_a_failed_order() {
    let (_server, c) = fake().await;
    // The fake answers 404 {"status":"failed","message":"Transaction not found"}.
    let err = c
        .status(&lookup(Some("NOPE")))
        .await
        .expect_err("unknown trx");
    assert!(matches!(err, ProviderError::NotFound { .. }), "{err:?}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(
            200,
            r#"{"status":"failed","message":"Unable to check now"}"#,
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .status(&lookup(Some("T1")))
        .await
        .expect_err("no trx named");
    assert!(matches!(err, ProviderError::Rejected { .. }), "{err:?}");
}

#[tokio::test]
async fn a_status_answer_about_another_trx_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(200, r#"{"status":"success","trx":"OTHER"}"#))
        .mount(&server)
        .await;
    let err = client(&server)
        .status(&lookup(Some("T1")))
        .await
        .expect_err("mismatch");
    assert!(matches!(err, ProviderError::BadResponse { .. }), "{err:?}");
}

#[tokio::test]
async fn vtu_status_accepts_the_webhook_shape_and_missing_optional_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(
            200,
            r#"{"vtu":{"trx":"T1","status":"failed","amount":50}}"#,
        ))
        .mount(&server)
        .await;
    let out = client(&server)
        .status(&lookup(Some("T1")))
        .await
        .expect("status");
    assert_eq!(out.status, OutcomeStatus::Failed);
    assert_eq!(out.charged, None, "a failed order is not charged");
    assert_eq!(out.balance_after, None);
    assert!(out.delivery.is_empty());
}

#[tokio::test]
async fn smm_statuses_map_by_name_or_number() {
    for (status, expected) in [
        ("\"pending\"", OutcomeStatus::Pending),
        ("0", OutcomeStatus::Pending),
        ("\"Processing\"", OutcomeStatus::Pending),
        ("\"In progress\"", OutcomeStatus::Pending),
        ("1", OutcomeStatus::Pending),
        ("\"completed\"", OutcomeStatus::Succeeded),
        ("\"2\"", OutcomeStatus::Succeeded),
        ("\"Cancelled\"", OutcomeStatus::Failed),
        ("3", OutcomeStatus::Failed),
        ("\"refunded\"", OutcomeStatus::Reversed),
        ("4", OutcomeStatus::Reversed),
        ("\"partial\"", OutcomeStatus::Succeeded),
        ("5", OutcomeStatus::Succeeded),
    ] {
        let server = MockServer::start().await;
        let body = format!(r#"{{"charge":"12.50","status":{status},"remains":"0"}}"#);
        Mock::given(method("POST"))
            .and(path("/api/v1"))
            .respond_with(json(200, &body))
            .mount(&server)
            .await;
        let out = client(&server)
            .status(&lookup(Some("smm:9")))
            .await
            .expect(status);
        assert_eq!(out.status, expected, "{status}");
        assert_eq!(
            out.charged.is_some(),
            expected != OutcomeStatus::Failed,
            "{status}"
        );
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(200, r#"{"status":"6"}"#))
        .mount(&server)
        .await;
    let err = client(&server)
        .status(&lookup(Some("smm:9")))
        .await
        .expect_err("unknown");
    assert!(matches!(err, ProviderError::BadResponse { .. }));
}

#[tokio::test]
async fn an_unknown_purchase_status_keeps_the_order_pending_with_its_trx() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(
            200,
            r#"{"status":"queued_for_review","trx":"T9","extra":{"a":[1]}}"#,
        ))
        .mount(&server)
        .await;
    let out = client(&server)
        .submit(&purchase("airtime:mtn", "08031234567", "100"))
        .await
        .expect("kept");
    assert_eq!(out.status, OutcomeStatus::Pending);
    assert_eq!(out.provider_reference.as_deref(), Some("T9"));
    // Without a trx nothing could find it again: that is an unknown outcome.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(200, r#"{"status":"queued_for_review"}"#))
        .mount(&server)
        .await;
    let err = client(&server)
        .submit(&purchase("airtime:mtn", "08031234567", "100"))
        .await
        .expect_err("lost");
    assert!(err.outcome_unknown(), "{err:?}");
}

#[tokio::test]
async fn a_malformed_amount_keeps_status_and_trx() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(200, r#"{"status":"success","trx":"T5","amount":"12,34.5","balance":"1e3","currency":"naira"}"#))
        .mount(&server)
        .await;
    let out = client(&server)
        .submit(&purchase("airtime:mtn", "08031234567", "100"))
        .await
        .expect("kept");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(out.provider_reference.as_deref(), Some("T5"));
    assert_eq!(out.charged, None);
    assert!(out.message.is_some_and(|m| m.contains("currency")));
}

#[tokio::test]
async fn a_failed_purchase_with_a_4xx_is_a_definite_failure() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(
            400,
            r#"{"status":"failed","trx":"T7","message":"Network unavailable"}"#,
        ))
        .mount(&server)
        .await;
    let out = client(&server)
        .submit(&purchase("airtime:mtn", "08031234567", "100"))
        .await
        .expect("failed");
    assert_eq!(out.status, OutcomeStatus::Failed);
    assert_eq!(out.message.as_deref(), Some("Network unavailable"));
}

#[test]
fn local_phone_only_rewrites_nigerian_e164() {
    assert_eq!(local_phone("+2348012345678"), "08012345678");
    assert_eq!(local_phone("2348012345678"), "08012345678");
    assert_eq!(local_phone("08012345678"), "08012345678");
    assert_eq!(local_phone("+447700900123"), "+447700900123");
    assert_eq!(local_phone("+234801"), "+234801");
}
