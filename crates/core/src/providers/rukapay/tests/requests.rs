//! What goes on the wire for every product and setting: transfer modes, sandbox paths,
//! wallet type and callback, validation bodies, status paths, and local refusals that keep
//! a request from being sent at all.

use rust_decimal::Decimal;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::Mock;

use super::*;
use crate::providers::rukapay::{Endpoints, TransferStatus};
use crate::providers::{OutcomeStatus, Provider, ProviderError, StatusLookup, ValidateRequest};

/// Mounts a transfer answer that only matches `body` exactly, sends `req`, and checks the
/// mock got that one request.
async fn sends(
    server: &MockServer,
    client: &RukaPayClient,
    req: &PurchaseRequest,
    at: &str,
    body: Value,
) {
    Mock::given(method("POST"))
        .and(path(at))
        .and(header("x-api-key", KEY))
        .and(body_json(body))
        .respond_with(json_answer(200, &transfer_answer("SUCCESS", "cm1")))
        .expect(1)
        .mount(server)
        .await;
    let out = client.submit(req).await.expect("transfer");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
}

#[tokio::test]
async fn sandbox_accounts_use_the_sandbox_transfer_path() {
    let server = MockServer::start().await;
    let c = client_for(config_with(&server.uri(), Environment::Sandbox, KEY, &[]));
    assert_eq!(c.endpoints(), Endpoints::Sandbox);
    let req = order("mno-send:AIRTEL", "+256750000000", "1000", "R-SB-1");
    let body = json!({"transactionMode": "PARTNER_SEND_MNO", "amount": 1000, "currency": "UGX",
        "narration": "Mobile money to 256750000000 (AIRTEL)", "partnerReference": "R-SB-1",
        "phoneNumber": "256750000000", "mnoProvider": "AIRTEL"});
    sends(&server, &c, &req, TRANSFER_SANDBOX, body).await;
    assert!(
        requests_to(&server, TRANSFER).await.is_empty(),
        "never the production path on the sandbox"
    );
}

#[tokio::test]
async fn a_custom_url_can_be_pointed_at_the_sandbox_paths_by_setting() {
    let server = MockServer::start().await;
    let c = client_with(&server, &[("endpoints", "sandbox")]);
    assert_eq!(c.endpoints(), Endpoints::Sandbox);
    let prod = client_for(config_with(
        &server.uri(),
        Environment::Production,
        KEY,
        &[],
    ));
    assert_eq!(prod.endpoints(), Endpoints::Production);
    let forced = client_for(config_with(
        &server.uri(),
        Environment::Sandbox,
        KEY,
        &[("endpoints", "production")],
    ));
    assert_eq!(forced.endpoints(), Endpoints::Production);
    let bad = RukaPayClient::new(
        config_with(
            &server.uri(),
            Environment::Custom,
            KEY,
            &[("endpoints", "staging")],
        ),
        &ctx(),
    );
    assert!(
        matches!(bad, Err(ProviderError::MissingCredential { ref field, .. }) if field == "endpoints")
    );
}

#[tokio::test]
async fn wallet_type_and_callback_url_are_sent_when_set() {
    let server = MockServer::start().await;
    let c = client_with(
        &server,
        &[
            ("wallet_type", "commission"),
            ("callback_url", "https://shop.example/rk"),
        ],
    );
    let mut req = order("mno-send:MTN", "256770000000", "2500", "R-W-1");
    req.account_name = Some("Jane Roe".to_owned());
    let body = json!({"transactionMode": "PARTNER_SEND_MNO", "amount": 2500, "currency": "UGX",
        "narration": "Mobile money to 256770000000 (MTN)", "partnerReference": "R-W-1",
        "walletType": "COMMISSION", "phoneNumber": "256770000000", "mnoProvider": "MTN",
        "recipientName": "Jane Roe", "callbackUrl": "https://shop.example/rk"});
    sends(&server, &c, &req, TRANSFER, body).await;
    let bad = RukaPayClient::new(
        config_with(
            &server.uri(),
            Environment::Custom,
            KEY,
            &[("wallet_type", "SAVINGS")],
        ),
        &ctx(),
    );
    assert!(
        matches!(bad, Err(ProviderError::MissingCredential { ref field, .. }) if field == "wallet_type")
    );
}

/// Issue #8 item 4: `--wallet COMMISSION` was recorded while RukaPay charged ESCROW, because
/// the order's wallet never reached the body.
#[tokio::test]
async fn the_body_carries_the_wallet_type_the_order_pays_from() {
    let server = MockServer::start().await;
    // The account's default is ESCROW; the order names commission in lower case.
    let c = client(&server);
    let mut req = order("mno-send:MTN", "256770000000", "2500", "R-W-2");
    req.wallet_id = Some("commission".to_owned());
    let body = json!({"transactionMode": "PARTNER_SEND_MNO", "amount": 2500, "currency": "UGX",
        "narration": "Mobile money to 256770000000 (MTN)", "partnerReference": "R-W-2",
        "walletType": "COMMISSION", "phoneNumber": "256770000000", "mnoProvider": "MTN"});
    sends(&server, &c, &req, TRANSFER, body).await;
    // The order's wallet wins over the account's setting too.
    let server = MockServer::start().await;
    let c = client_with(&server, &[("wallet_type", "COMMISSION")]);
    let mut req = order("mno-send:MTN", "256770000000", "2500", "R-W-3");
    req.wallet_id = Some("ESCROW".to_owned());
    let body = json!({"transactionMode": "PARTNER_SEND_MNO", "amount": 2500, "currency": "UGX",
        "narration": "Mobile money to 256770000000 (MTN)", "partnerReference": "R-W-3",
        "walletType": "ESCROW", "phoneNumber": "256770000000", "mnoProvider": "MTN"});
    sends(&server, &c, &req, TRANSFER, body).await;
}

/// Issue #8 item 4, the other way round: if RukaPay answers with another wallet than the one
/// asked for, its balance is that wallet's and the order says so, never silently ours.
#[tokio::test]
async fn an_answer_naming_another_wallet_keys_its_balance_there_and_says_so() {
    let server = MockServer::start().await;
    let mut answer = transfer_answer("SUCCESS", "cm-w5");
    answer["walletBalance"]["walletType"] = json!("escrow");
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .respond_with(json_answer(200, &answer))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let mut req = order("mno-send:MTN", "256770000000", "5000", "R-W-5");
    req.wallet_id = Some("COMMISSION".to_owned());
    let out = c.submit(&req).await.expect("answered");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(
        out.balance_after.map(|b| b.wallet_id).as_deref(),
        Some("ESCROW"),
        "keyed by the wallet the answer names, spelled as orders name it"
    );
    let message = out.message.unwrap_or_default();
    assert!(
        message.contains("RukaPay reports the ESCROW wallet, not COMMISSION as asked"),
        "{message}"
    );
}

/// Issue #8 item 4: `--wallet FOO` was accepted and RukaPay charged ESCROW.
#[tokio::test]
async fn a_wallet_rukapay_does_not_have_is_refused_before_any_request() {
    let server = MockServer::start().await;
    let c = client(&server);
    let mut req = order("mno-send:MTN", "256770000000", "2500", "R-W-4");
    req.wallet_id = Some("FOO".to_owned());
    let err = c.submit(&req).await.expect_err("refused");
    match &err {
        ProviderError::Rejected {
            code: Some(code),
            message,
            body: None,
            ..
        } => {
            assert_eq!(code, "UNKNOWN_WALLET");
            assert!(
                message.contains(
                    "RukaPay pays from ESCROW or COMMISSION; FOO is not a RukaPay wallet"
                ),
                "{message}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(!err.outcome_unknown());
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty(),
        "nothing was sent"
    );
    // The check validation asks before writing the intent: same words, upper-case spelling.
    assert_eq!(
        c.paying_wallet(" commission ").expect("known"),
        "COMMISSION"
    );
    assert!(matches!(
        c.paying_wallet("FOO"),
        Err(ProviderError::Rejected { ref message, .. })
            if message == "RukaPay pays from ESCROW or COMMISSION; FOO is not a RukaPay wallet"
    ));
}

#[tokio::test]
async fn airtime_bank_and_bill_bodies_carry_their_fields() {
    let server = MockServer::start().await;
    let c = client(&server);
    let mut airtime = order("airtime:AIRTEL", "+256700111222", "500", "R-A-1");
    airtime.account_name = Some("Okello".to_owned());
    sends(&server, &c, &airtime, TRANSFER, json!({"transactionMode": "PARTNER_AIRTIME", "amount": 500,
        "currency": "UGX", "narration": "AIRTEL airtime for 256700111222", "partnerReference": "R-A-1",
        "phoneNumber": "256700111222", "mnoProvider": "AIRTEL", "recipientName": "Okello"})).await;

    let mut bank = order("bank:STANBIC", " 9030012345678 ", "150000", "R-B-1");
    bank.account_name = Some("Acme Traders Ltd".to_owned());
    sends(
        &server,
        &c,
        &bank,
        TRANSFER,
        json!({"transactionMode": "PARTNER_SEND_BANK", "amount": 150000,
        "currency": "UGX", "narration": "Bank transfer to STANBIC account 9030012345678",
        "partnerReference": "R-B-1", "accountNumber": "9030012345678", "bankCode": "STANBIC",
        "accountName": "Acme Traders Ltd"}),
    )
    .await;

    let bill = order("bill:UMEME", "04212345678", "20000", "R-U-1");
    sends(
        &server,
        &c,
        &bill,
        TRANSFER,
        json!({"transactionMode": "PARTNER_BILL_PAYMENT", "amount": 20000,
        "currency": "UGX", "narration": "UMEME bill payment for account 04212345678",
        "partnerReference": "R-U-1", "accountNumber": "04212345678", "billerCode": "UMEME"}),
    )
    .await;
}

#[tokio::test]
async fn inferred_mode_codes_can_be_replaced_per_account() {
    let server = MockServer::start().await;
    let c = client_with(
        &server,
        &[
            ("mode_bill_payment", "PARTNER_PAY_BILL"),
            ("mode_airtime", "AIRTIME_TOPUP"),
        ],
    );
    let bill = order("bill:NWSC", "2101234", "30000", "R-N-1");
    sends(
        &server,
        &c,
        &bill,
        TRANSFER,
        json!({"transactionMode": "PARTNER_PAY_BILL", "amount": 30000,
        "currency": "UGX", "narration": "NWSC bill payment for account 2101234",
        "partnerReference": "R-N-1", "accountNumber": "2101234", "billerCode": "NWSC"}),
    )
    .await;
    let body = c
        .transfer_body(&order("airtime:MTN", "+256770000000", "100", "R-A-2"))
        .expect("body");
    assert_eq!(body.transaction_mode, "AIRTIME_TOPUP");
}

#[tokio::test]
async fn collections_need_a_callback_url_and_send_it() {
    let server = MockServer::start().await;
    let req = order("mno-collect:MTN", "+256770000000", "10000", "R-C-1");
    let err = client(&server)
        .submit(&req)
        .await
        .expect_err("no callback URL");
    assert!(
        matches!(&err, ProviderError::Rejected { code: Some(c), .. } if c == "CALLBACK_URL_REQUIRED")
    );
    assert!(!err.outcome_unknown());
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());

    let c = client_with(&server, &[("callback_url", "https://shop.example/rk")]);
    sends(
        &server,
        &c,
        &req,
        TRANSFER,
        json!({"transactionMode": "PARTNER_COLLECT_MNO", "amount": 10000,
        "currency": "UGX", "narration": "Mobile money collection from 256770000000 (MTN)",
        "partnerReference": "R-C-1", "phoneNumber": "256770000000", "mnoProvider": "MTN",
        "callbackUrl": "https://shop.example/rk"}),
    )
    .await;
}

#[tokio::test]
async fn what_rukapay_would_refuse_is_refused_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server);
    let mut wrong_currency = order("airtime:MTN", "+256770000000", "100", "R-X-4");
    wrong_currency.face_value = Money::parse("100", "KES").expect("money");
    let cases = [
        (
            order("airtime:MTN", "+256770000000", "99", "R-X-1"),
            "INVALID_AMOUNT",
        ),
        (
            order("airtime:MTN", "+256770000000", "150.50", "R-X-2"),
            "INVALID_AMOUNT",
        ),
        (
            order("airtime:MTN", "+256770000000", "-500", "R-X-3"),
            "INVALID_AMOUNT",
        ),
        (wrong_currency, "INVALID_AMOUNT"),
        (
            order("airtime:MTN", "0770000000", "1000", "R-X-5"),
            "INVALID_PHONE_NUMBER",
        ),
        (
            order("mno-send:MTN", "+254712345678", "1000", "R-X-6"),
            "INVALID_PHONE_NUMBER",
        ),
        (
            order("mno-send:MTN", "+25677000000", "1000", "R-X-7"),
            "INVALID_PHONE_NUMBER",
        ),
        (
            order("mno-send:SAFARICOM", "+256770000000", "1000", "R-X-8"),
            "UNKNOWN_PRODUCT",
        ),
        (
            order("gift:AMAZON", "+256770000000", "1000", "R-X-9"),
            "UNKNOWN_PRODUCT",
        ),
        (
            order("bank:STANBIC", "   ", "1000", "R-X-10"),
            "INVALID_ACCOUNT_NUMBER",
        ),
        (
            order("bank:STANBIC", "123", "1000", " "),
            "MISSING_REFERENCE",
        ),
    ];
    for (req, code) in cases {
        let err = c.submit(&req).await.expect_err("refused");
        assert!(
            matches!(&err, ProviderError::Rejected { code: Some(got), body: None, .. } if got == code),
            "{}: {err:?}",
            req.reference
        );
        assert!(!err.outcome_unknown());
    }
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty(),
        "nothing was sent"
    );
    // The minimum itself is allowed.
    assert_eq!(
        c.transfer_body(&order("airtime:MTN", "+256770000000", "100.00", "R-OK"))
            .expect("ok")
            .amount,
        Some(100)
    );
}

#[tokio::test]
async fn status_uses_our_reference_encoded_as_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/gateway/transactions/RC%2F2026%3F1/status"))
        .and(header("x-api-key", KEY))
        .respond_with(json_answer(
            200,
            &status_answer("RC/2026?1", "PENDING", 5000),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let lookup = StatusLookup {
        reference: "RC/2026?1".to_owned(),
        nonce: "n".to_owned(),
        provider_reference: None,
    };
    let out = client(&server).status(&lookup).await.expect("status");
    assert_eq!(out.status, OutcomeStatus::Pending);
}

#[tokio::test]
async fn status_falls_back_to_the_rukapay_id_and_refuses_someone_elses_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(status_path("cm-R-9")))
        .respond_with(json_answer(200, &status_answer("R-9", "SUCCESS", 5000)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(status_path("R-10")))
        .respond_with(json_answer(200, &status_answer("R-OTHER", "SUCCESS", 5000)))
        .mount(&server)
        .await;
    let c = client(&server);
    let by_id = StatusLookup {
        reference: String::new(),
        nonce: "n".to_owned(),
        provider_reference: Some("cm-R-9".to_owned()),
    };
    assert_eq!(
        c.status(&by_id).await.expect("by id").status,
        OutcomeStatus::Succeeded
    );
    let mixed = StatusLookup {
        reference: "R-10".to_owned(),
        nonce: "n".to_owned(),
        provider_reference: None,
    };
    let err = c.status(&mixed).await.expect_err("not ours");
    assert!(matches!(err, ProviderError::BadResponse { .. }), "{err:?}");
}

#[tokio::test]
async fn validate_account_sends_the_destination_and_reads_the_name() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(VALIDATE))
        .and(header("x-api-key", KEY))
        .and(body_json(
            json!({"transactionMode": "PARTNER_SEND_MNO", "currency": "UGX",
            "phoneNumber": "256700000000", "mnoProvider": "MTN"}),
        ))
        .respond_with(json_answer(
            200,
            &json!({"success": true, "message": "Beneficiary found",
            "data": {"accountName": "John Doe", "valid": true}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(VALIDATE))
        .and(body_json(
            json!({"transactionMode": "PARTNER_BILL_PAYMENT", "currency": "UGX",
            "accountNumber": "000", "billerCode": "UMEME"}),
        ))
        .respond_with(json_answer(
            400,
            &json!({"success": false, "message": "Invalid meter number"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let ok = c
        .validate_account(&ValidateRequest {
            product_id: "mno-send:MTN".into(),
            account_number: "+256700000000".into(),
            service_type: None,
        })
        .await
        .expect("validates");
    assert!(ok.valid);
    assert_eq!(ok.account_name.as_deref(), Some("John Doe"));
    assert_eq!(ok.message.as_deref(), Some("Beneficiary found"));
    let bad = c
        .validate_account(&ValidateRequest {
            product_id: "bill:UMEME".into(),
            account_number: "000".into(),
            service_type: None,
        })
        .await
        .expect("answers");
    assert!(!bad.valid);
    assert_eq!(bad.message.as_deref(), Some("Invalid meter number"));
}

#[tokio::test]
async fn validate_beneficiary_sends_the_whole_transfer_body_on_the_sandbox_path() {
    let server = MockServer::start().await;
    let c = client_for(config_with(&server.uri(), Environment::Sandbox, KEY, &[]));
    let mut req = order(
        "mno-send:MTN",
        "+256700000000",
        "50000",
        "PARTNER-REF-123456",
    );
    req.account_name = Some("John Doe".to_owned());
    let mut body: Value =
        serde_json::from_str(&fixture("process_transfer_request.json")).expect("json");
    body["narration"] = json!("Mobile money to 256700000000 (MTN)");
    Mock::given(method("POST"))
        .and(path(VALIDATE_SANDBOX))
        .and(body_json(body))
        .respond_with(json_answer(
            200,
            &json!({"success": true, "recipientName": "JOHN DOE"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let v = c.validate_beneficiary(&req).await.expect("validates");
    assert!(v.valid);
    assert_eq!(v.account_name.as_deref(), Some("JOHN DOE"));
}

#[tokio::test]
async fn test_connection_reads_not_found_as_a_working_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(status_path("reseller-console-connection-check")))
        .and(header("x-api-key", KEY))
        .respond_with(json_answer(404, &json!({"success": false, "message": "Transaction not found", "error": "TRANSACTION_NOT_FOUND"})))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        client(&server).test_connection().await.expect("key works"),
        Vec::new()
    );

    let wrong_key = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_answer(
            401,
            &json!({"success": false, "message": "Invalid API key"}),
        ))
        .mount(&wrong_key)
        .await;
    let err = client(&wrong_key)
        .test_connection()
        .await
        .expect_err("bad key");
    assert!(
        matches!(err, ProviderError::Auth { ref message, .. } if message == "Invalid API key"),
        "{err:?}"
    );

    // A 404 page that is not the API's JSON means a wrong base URL, not a working key.
    let wrong_host = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(raw_answer(
            404,
            "<html><body>Cannot GET</body></html>",
            "text/html",
        ))
        .mount(&wrong_host)
        .await;
    let err = client(&wrong_host)
        .test_connection()
        .await
        .expect_err("wrong host");
    assert!(
        matches!(&err, ProviderError::Rejected { code: Some(c), .. } if c == "ROUTE_NOT_FOUND"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_framework_404_is_a_wrong_address_not_a_working_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_answer(
            404,
            &json!({"statusCode": 404, "message": "Cannot GET /api/v1/gateway/transactions/x/status", "error": "Not Found"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(raw_answer(404, "<html>Not Found</html>", "text/html"))
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.test_connection().await.expect_err("wrong path");
    assert!(
        matches!(&err, ProviderError::Rejected { code: Some(c), .. } if c == "ROUTE_NOT_FOUND"),
        "{err:?}"
    );
    let v = ValidateRequest {
        product_id: "airtime:MTN".into(),
        account_number: "+256700000001".into(),
        service_type: None,
    };
    let err = c
        .validate_account(&v)
        .await
        .expect_err("wrong path is no answer about the beneficiary");
    assert!(
        matches!(&err, ProviderError::Rejected { code: Some(c), .. } if c == "ROUTE_NOT_FOUND"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_beneficiary_the_api_cannot_find_is_invalid() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(VALIDATE))
        .respond_with(json_answer(
            404,
            &json!({"success": false, "message": "Beneficiary not found"}),
        ))
        .mount(&server)
        .await;
    let v = ValidateRequest {
        product_id: "bank:STANBIC".into(),
        account_number: "9030000000000".into(),
        service_type: None,
    };
    let out = client(&server)
        .validate_account(&v)
        .await
        .expect("an answer");
    assert!(!out.valid);
    assert_eq!(out.message.as_deref(), Some("Beneficiary not found"));
}

#[test]
fn products_are_the_documented_services_in_ugx() {
    let products = RukaPayClient::products();
    let ids: Vec<&str> = products.iter().map(|p| p.id.as_str()).collect();
    for id in [
        "mno-send:MTN",
        "mno-send:AIRTEL",
        "mno-collect:MTN",
        "airtime:MTN",
        "airtime:AIRTEL",
        "bank:STANBIC",
        "bill:NWSC",
        "bill:UMEME",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    for p in &products {
        let target =
            crate::providers::rukapay::products::parse_product_id(&p.id).expect("own ids parse");
        assert_eq!(p.brand_code.as_deref(), Some(target.code.as_str()));
        assert_eq!(p.country_codes, vec!["UGA".to_owned()]);
        let d = &p.denominations[0];
        assert_eq!((d.min, d.currency.code()), (Decimal::from(100), "UGX"));
        assert!(d.min <= d.max && p.active && !p.name.is_empty());
    }
    // Banks and billers are open lists; networks are not.
    assert!(crate::providers::rukapay::products::parse_product_id("bank:centenary").is_some());
    assert!(crate::providers::rukapay::products::parse_product_id("airtime:LYCA").is_none());
}

#[test]
fn callbacks_are_read_in_envelope_or_bare_form() {
    let c = client_for(config_with(
        "http://127.0.0.1:9",
        Environment::Custom,
        KEY,
        &[],
    ));
    let r = c
        .parse_callback(&fixture("status_response.json"))
        .expect("envelope");
    assert_eq!(r.status, TransferStatus::Success);
    let bare = r#"{"id":"cm1","partnerReference":"R-1","status":"FAILED","errorMessage":"Customer declined","amount":1000}"#;
    let r = c.parse_callback(bare).expect("bare");
    assert_eq!(r.outcome().status, OutcomeStatus::Failed);
    assert_eq!(r.outcome().message.as_deref(), Some("Customer declined"));
    assert_eq!(
        r.outcome().charged,
        None,
        "a failed transfer reports no charge"
    );
    assert!(matches!(
        c.parse_callback("{\"hello\":1}"),
        Err(ProviderError::BadResponse { .. })
    ));
}
