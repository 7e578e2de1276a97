//! Answers the document does not show but the adapter must read correctly: unknown status
//! words, status precedence, missing and extra fields, eSIM install links, the shapes of
//! the sample-less lists, and refused validations.

use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::providers::vendify::{catalogue, lookups, orders};
use crate::providers::{OutcomeStatus, Provider, ProviderError, ValidateRequest};

fn order(response: &str) -> Result<crate::providers::PurchaseOutcome, ProviderError> {
    orders::parse_order(&http(), &answer(&envelope_with(response)))
}

fn status(response: &str) -> Result<crate::providers::PurchaseOutcome, ProviderError> {
    orders::parse_status(
        &http(),
        &answer(&envelope_with(response)),
        "with x-nonce n-1",
    )
}

#[test]
fn unknown_status_words_leave_the_outcome_unknown() {
    for word in ["PROCESSING", "REVERSED", "", "42"] {
        let body = format!(r#"{{"responseStatus": "{word}", "transactionReference": "T-1"}}"#);
        for result in [order(&body), status(&body)] {
            let err = result.expect_err("not a known status");
            assert!(
                matches!(err, ProviderError::BadResponse { .. }),
                "{word}: {err:?}"
            );
            assert!(err.outcome_unknown(), "{word}");
        }
    }
    let err = order(r#"{"responseStatus": "MAYBE"}"#).expect_err("unknown");
    assert!(
        err.to_string().contains("MAYBE"),
        "the message names the word: {err}"
    );
}

#[test]
fn status_words_are_read_case_insensitively_and_order_status_wins() {
    assert_eq!(
        order(r#"{"responseStatus": "success"}"#)
            .expect("ok")
            .status,
        OutcomeStatus::Succeeded
    );
    assert_eq!(
        order(r#"{"responseStatus": "SUCCESSFUL"}"#)
            .expect("ok")
            .status,
        OutcomeStatus::Succeeded
    );
    assert_eq!(
        order(r#"{"responseStatus": " Pending "}"#)
            .expect("ok")
            .status,
        OutcomeStatus::Pending
    );
    // The query worked (SUCCESS) but the order is still pending.
    let s = status(
        r#"{"responseStatus": "SUCCESS", "orderStatus": "PENDING", "transactionReference": "T-1"}"#,
    )
    .expect("ok");
    assert_eq!(s.status, OutcomeStatus::Pending);
    let s = status(
        r#"{"responseStatus": "SUCCESS", "orderStatus": "FAILED", "transactionReference": "T-1"}"#,
    )
    .expect("ok");
    assert_eq!(s.status, OutcomeStatus::Failed);
}

#[test]
fn a_failed_query_for_an_order_vendify_never_saw_is_not_found_not_failed() {
    let err = status(
        r#"{"responseStatus": "FAILED", "responseMessage": "Transaction record not found"}"#,
    )
    .expect_err("not found");
    assert!(
        matches!(err, ProviderError::NotFound { ref what, .. } if what.contains("record not found")),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    // With an order behind it, FAILED is the order's status.
    let s =
        status(r#"{"responseStatus": "FAILED", "transactionReference": "T-1"}"#).expect("an order");
    assert_eq!(s.status, OutcomeStatus::Failed);
}

#[test]
fn a_truncated_or_repaired_purchase_answer_never_becomes_a_success() {
    // Cut off after the status: the repair pass refuses to complete it.
    let cut = r#"{"authenticated": true, "sysErr": 200, "response": {"responseStatus": "SUCCESS", "voucherCode": "12"#;
    let e = envelope::read(
        &http(),
        &HttpResponse {
            status: 200,
            body: cut.into(),
            retry_after: None,
        },
    );
    assert!(matches!(e, Err(ProviderError::BadResponse { .. })));
    // JavaScript style with no status word: repaired, but still no success.
    let js = "{\nsysErr: 200,\nresponse: \"transactionReference\": \"T-1\",\n\"voucherCode\": \"ABC\"\n}";
    let err = orders::parse_order(&http(), &answer(js)).expect_err("no status");
    assert!(err.outcome_unknown(), "{err:?}");
    // JavaScript style that does say SUCCESS reads as what it says.
    let js = "{\nsysErr: 200,\nresponse: {\nresponseStatus: SUCCESS,\ntransactionReference: T-1:S:ABC,\n}\n}";
    let out = orders::parse_order(&http(), &answer(js)).expect("reads");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(out.provider_reference.as_deref(), Some("T-1:S:ABC"));
}

#[test]
fn minimal_and_extra_field_answers_read() {
    let out = order(r#"{"responseStatus": "PENDING"}"#).expect("minimal");
    assert_eq!(out.status, OutcomeStatus::Pending);
    assert_eq!(
        (out.provider_reference, out.charged, out.message),
        (None, None, None)
    );
    assert!(out.delivery.is_empty());
    let out = order(
        r#"{"responseStatus": "SUCCESS", "brandNewField": {"nested": [1, 2]}, "productCost": "1,234.5",
            "productCostCurrencyCode": "NGN", "value": "N/A", "fxRate": 3}"#,
    )
    .expect("extra fields and odd shapes");
    assert_eq!(out.charged, Some(m("1234.5", "NGN")));
    let bad_cost = order(
        r#"{"responseStatus": "SUCCESS", "productCost": "N/A", "productCostCurrencyCode": "NGN"}"#,
    )
    .expect("a success with an unreadable cost is still a success");
    assert_eq!(
        (bad_cost.status, bad_cost.charged),
        (OutcomeStatus::Succeeded, None)
    );
    let products = catalogue::parse_products(
        &http(),
        &answer(&envelope_with(
            r#"[{"productId": 1, "name": "Minimal"}, {"name": "no id"}, {"productId": 2}, 7,
                {"productId": "3", "name": "String id", "originalValue": "1,000.00", "originalCurrencyCode": "NGN", "surprise": true}]"#,
        )),
    )
    .expect("a list with odd entries");
    assert_eq!(
        products.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        vec!["1", "3"]
    );
    assert!(products[0].denominations.is_empty() && products[0].cost.is_none());
    assert_eq!(products[1].denominations[0].min, d("1000.00"));
}

#[test]
fn esim_install_links_and_the_iccid_reach_the_delivery() {
    let out = order(
        r#"{"responseStatus": "SUCCESS", "qrCodeData": "LPA:1$rsp.truphone.com$JQ-20RU5P-14E0E0R", "deliveryField": "qrCodeData",
            "androidInstallUrl": "https://sandboxapi.vendifydigital.com/esim/esimsetup.aspx?card=LPA:1$rsp.truphone.com$JQ-20RU5P-14E0E0R",
            "iosInstallUrl": "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$rsp.truphone.com$JQ-20RU5P-14E0E0R",
            "eSimDataUsageUrl": "https://sandboxapi.vendifydigital.com/esim/esimbalance.aspx?iccid=8943108165011804478"}"#,
    )
    .expect("eSIM order");
    let esim = out.delivery.esim.expect("eSIM delivery");
    assert_eq!(
        esim.activation_code.as_deref(),
        Some("LPA:1$rsp.truphone.com$JQ-20RU5P-14E0E0R")
    );
    assert!(esim
        .android_install_url
        .as_deref()
        .is_some_and(|u| u.contains("esimsetup.aspx?card=LPA:1$")));
    assert!(esim
        .ios_install_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://esimsetup.apple.com/")));
    assert!(esim
        .usage_url
        .as_deref()
        .is_some_and(|u| u.ends_with("iccid=8943108165011804478")));
    assert_eq!(esim.iccid.as_deref(), Some("8943108165011804478"));
    assert_eq!(
        out.delivery.qr_code_data.as_deref(),
        Some("LPA:1$rsp.truphone.com$JQ-20RU5P-14E0E0R")
    );
}

/// The FAQ: electricity orders are refused without `accountTelephone`, so an electricity
/// product asks for the customer's phone (#9); other categories do not.
#[test]
fn electricity_products_need_the_customer_phone() {
    let products = catalogue::parse_products(
        &http(),
        &answer(&envelope_with(
            r#"[{"productId": 9423, "name": "PHED Prepaid", "productCode": "PHEDC-PREPAID", "categoryCode": "electricity",
                 "denominations": [{"type": "range", "minValue": 1000, "maxValue": 100000, "currencyCode": "NGN"}]},
                {"productId": 9418, "name": "MTN Airtime", "categoryCode": "airtime",
                 "denominations": [{"type": "range", "minValue": 50, "maxValue": 5000, "currencyCode": "NGN"}]}]"#,
        )),
    )
    .expect("parses");
    assert_eq!(
        products[0].needs,
        vec![crate::providers::ExtraField::CustomerPhone]
    );
    assert!(products[1].needs.is_empty());
}

#[test]
fn placeholder_product_codes_mean_validate_first() {
    let products = catalogue::parse_products(
        &http(),
        &answer(&envelope_with(
            r#"[{"productId": 9422, "name": "DStv", "productCode": "USE_VALIDATION_PRODUCT_CODE", "status": 0,
                 "denominations": [{"type": "range", "minValue": 1000, "maxValue": 100000, "currencyCode": "NGN"}]}]"#,
        )),
    )
    .expect("parses");
    assert!(products[0].requires_validation);
    assert_eq!(
        products[0].code, None,
        "the placeholder is not a product code"
    );
    assert!(!products[0].active, "status 0 is inactive");
}

#[test]
fn sample_less_lists_read_in_their_likely_shapes() {
    let cats = catalogue::parse_categories(
        &http(),
        &answer(&envelope_with(r#"[{"categoryCode": "giftcard", "category": "Gift Card"}, {"code": "esim", "name": "eSim"}, "airtime", {"id": 3}]"#)),
    )
    .expect("categories");
    let pairs: Vec<(&str, &str)> = cats
        .iter()
        .map(|c| (c.code.as_str(), c.name.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("giftcard", "Gift Card"),
            ("esim", "eSim"),
            ("airtime", "airtime")
        ]
    );
    let countries = lookups::parse_countries(
        &http(),
        &answer(&envelope_with(r#"[{"countryCode": "GBR", "country": "United Kingdom"}, "USA", {"iso3": "NGA", "name": "Nigeria"}]"#)),
    )
    .expect("countries");
    assert_eq!(countries.len(), 3);
    assert_eq!(countries[0].name.as_deref(), Some("United Kingdom"));
    assert_eq!(countries[1].code, "USA");
    assert_eq!(countries[2].code, "NGA");
}

#[tokio::test]
async fn a_refused_account_number_is_an_invalid_account_not_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/validations"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"authenticated": true, "sysErr": 400, "message": "Invalid smartcard number"}"#,
        ))
        .mount(&server)
        .await;
    let req = ValidateRequest {
        product_id: "9422".into(),
        account_number: "0000000000".into(),
        service_type: None,
    };
    let v = client(&server)
        .validate_account(&req)
        .await
        .expect("an answer");
    assert!(!v.valid);
    assert_eq!(v.message.as_deref(), Some("Invalid smartcard number"));
    assert!(v.options.is_empty());
}

#[tokio::test]
async fn a_validation_without_options_needs_no_product_lookup() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/validations"))
        .respond_with(ResponseTemplate::new(200).set_body_string(envelope_with(
            r#"{"productId": 9423, "status": "200", "message": "successful", "accountName": "Ada Obi", "validated": true}"#,
        )))
        .mount(&server)
        .await;
    let req = ValidateRequest {
        product_id: "9423".into(),
        account_number: "25112401374".into(),
        service_type: Some("PREPAID".into()),
    };
    let v = client(&server).validate_account(&req).await.expect("valid");
    assert!(v.valid);
    assert_eq!(v.account_name.as_deref(), Some("Ada Obi"));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}
