//! Catalogue categories, the tolerant plan-list readers, and account validation.

use rust_decimal::Decimal;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use super::fake::FakeRukky;
use super::*;

async fn fake() -> (MockServer, RukkyClient) {
    let server = MockServer::start().await;
    FakeRukky::default().mount(&server).await;
    let c = client(&server);
    (server, c)
}

fn query(category: &str, sub: Option<&str>) -> CatalogueQuery {
    CatalogueQuery {
        category: Some(category.into()),
        sub_category: sub.map(str::to_owned),
        ..Default::default()
    }
}

fn ids(products: &[Product]) -> Vec<&str> {
    products.iter().map(|p| p.id.as_str()).collect()
}

#[tokio::test]
async fn every_category_lists_from_its_call() {
    let (_server, c) = fake().await;
    let cat = |q| {
        let c = &c;
        async move { c.catalogue(&q).await.expect("catalogue") }
    };
    assert_eq!(
        ids(&cat(query("airtime", None)).await),
        [
            "airtime:mtn",
            "airtime:glo",
            "airtime:airtel",
            "airtime:9mobile"
        ]
    );
    let data = cat(query("data", Some("mtn-data"))).await;
    assert_eq!(ids(&data), ["data:1", "data:2"]);
    assert_eq!(
        data[1].cost.as_ref().map(|m| m.amount),
        Some(Decimal::new(5605, 1))
    );
    assert_eq!(data[0].operator.as_deref(), Some("MTN"));
    assert_eq!(data[0].validity.as_deref(), Some("30 days"));
    assert_eq!(ids(&cat(query("sme", Some("mtn"))).await), ["sme:11"]);
    let cable = cat(query("cable", Some("dstv"))).await;
    assert_eq!(
        ids(&cable),
        ["cable:dstv:dstv-padi", "cable:dstv:dstv-yanga"]
    );
    assert!(cable.iter().all(|p| p.requires_validation));
    // vtu_cable and vtu_electricity take the customer's phone besides the number (#9).
    assert!(cable
        .iter()
        .all(|p| p.needs == vec![crate::providers::ExtraField::CustomerPhone]));
    let power = cat(query("electricity", None)).await;
    assert!(power
        .iter()
        .all(|p| p.needs == vec![crate::providers::ExtraField::CustomerPhone]));
    assert!(data.iter().all(|p| p.needs.is_empty()));
    assert_eq!(
        ids(&power),
        [
            "electricity:ikeja-electric:prepaid",
            "electricity:ikeja-electric:postpaid",
            "electricity:abuja-electric:prepaid",
            "electricity:abuja-electric:postpaid"
        ]
    );
    assert_eq!(
        ids(&cat(query("education", None)).await),
        ["education:waec"]
    );
    assert_eq!(
        cat(query("recharge_card", Some("glo"))).await[0]
            .denominations
            .len(),
        4
    );
    let smm = cat(query("smm", None)).await;
    assert_eq!(ids(&smm), ["smm:1"]);
    assert_eq!(smm[0].denominations[0].min, Decimal::from(50));
    assert_eq!(smm[0].denominations[0].max, Decimal::from(10000));
    assert_eq!(c.categories().await.expect("categories").len(), 8);
}

#[tokio::test]
async fn the_whole_catalogue_skips_lists_refused_for_guessed_ids() {
    let (_server, c) = fake().await;
    let all = c.catalogue(&CatalogueQuery::default()).await.expect("all");
    // glo-data, airtel-data, ... are refused by the fake and skipped.
    assert!(all.iter().any(|p| p.id == "data:1"));
    assert!(all.iter().any(|p| p.id == "smm:1"));
    assert!(!all
        .iter()
        .any(|p| p.id.starts_with("data:") && p.operator.as_deref() == Some("Glo")));
    let found = c
        .catalogue(&CatalogueQuery {
            search: Some("yanga".into()),
            ..Default::default()
        })
        .await
        .expect("search");
    assert_eq!(ids(&found), ["cable:dstv:dstv-yanga"]);
}

#[tokio::test]
async fn a_named_list_that_is_refused_is_an_error() {
    let (_server, c) = fake().await;
    let err = c
        .catalogue(&query("data", Some("glo-data")))
        .await
        .expect_err("named");
    assert!(
        matches!(err, ProviderError::Rejected { code: Some(ref c), .. } if c == "INVALID_SERVICE"),
        "{err:?}"
    );
    let err = c
        .catalogue(&query("giftcards", None))
        .await
        .expect_err("unknown category");
    assert!(
        matches!(err, ProviderError::Rejected { code: Some(ref c), .. } if c == "UNKNOWN_CATEGORY")
    );
}

#[tokio::test]
async fn an_invalid_key_is_never_hidden_by_skipping() {
    let server = MockServer::start().await;
    FakeRukky::default().mount(&server).await;
    let c =
        RukkyClient::new(config(&base(&server), &[("api_key", "wrong")]), &ctx()).expect("client");
    let err = c
        .catalogue(&CatalogueQuery::default())
        .await
        .expect_err("bad key");
    assert!(matches!(err, ProviderError::Auth { .. }), "{err:?}");
}

#[tokio::test]
async fn a_product_line_outside_the_key_scope_is_skipped() {
    let server = MockServer::start().await;
    Mock::given(Action("services"))
        .respond_with(json(
            403,
            r#"{"error":"SMM API access is not enabled for your plan"}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(200, "[]"))
        .mount(&server)
        .await;
    let all = client(&server)
        .catalogue(&CatalogueQuery::default())
        .await
        .expect("vtu only");
    assert!(all.iter().all(|p| p.category_code != "smm"));
    assert!(all.iter().any(|p| p.id == "airtime:mtn"));
}

async fn plans_from(body: &str) -> Result<Vec<Product>, ProviderError> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(200, body))
        .mount(&server)
        .await;
    client(&server).data_plans("mtn-data").await
}

#[tokio::test]
async fn plan_lists_are_read_in_their_common_shapes() {
    for body in [
        r#"[{"plan_id":"5","name":"1GB","price":"300"}]"#,
        r#"{"data":[{"id":5,"plan_name":"1GB","amount":300}]}"#,
        r#"{"status":"success","data":{"plans":[{"variation_code":"5","title":"1GB","variation_amount":"300.00"}]}}"#,
        r#"{"plans":[{"PLAN_ID":"5","Name":"1GB","Price":"300"}],"extra":true}"#,
    ] {
        let p = plans_from(body)
            .await
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(ids(&p), ["data:5"], "{body}");
        assert_eq!(p[0].name, "1GB");
        assert_eq!(p[0].denominations[0].min, Decimal::from(300));
    }
    assert_eq!(plans_from("[]").await.expect("empty").len(), 0);
    assert_eq!(
        ids(
            &plans_from(r#"[{"plan_id":1,"name":"x"},{"plan_id":2,"price":"9"}]"#)
                .await
                .expect("one")
        ),
        ["data:2"],
        "a plan without a price is skipped"
    );
    for bad in [r#"[{"name":"no id"}]"#, r#"{"message":"ok"}"#, r#"[1,2]"#] {
        let err = plans_from(bad).await.expect_err(bad);
        assert!(
            matches!(err, ProviderError::BadResponse { .. }),
            "{bad}: {err:?}"
        );
    }
    let err = plans_from(r#"{"status":"failed","message":"Service unavailable"}"#)
        .await
        .expect_err("failed");
    assert!(matches!(err, ProviderError::Rejected { .. }), "{err:?}");
}

fn validate(product: &str, number: &str) -> ValidateRequest {
    ValidateRequest {
        product_id: product.into(),
        account_number: number.into(),
        service_type: None,
    }
}

#[tokio::test]
async fn smartcards_and_meters_are_verified() {
    let (server, c) = fake().await;
    let ok = c
        .validate_account(&validate("cable:dstv", "7012345678"))
        .await
        .expect("valid");
    assert!(ok.valid);
    assert_eq!(ok.account_name.as_deref(), Some("ADA OBI"));
    assert_eq!(
        ok.options
            .iter()
            .map(|o| o.code.as_str())
            .collect::<Vec<_>>(),
        ["dstv-padi", "dstv-yanga"]
    );
    assert_eq!(ok.options[0].price.amount_string(), "3950.00");

    let bad = c
        .validate_account(&validate("cable:dstv:dstv-padi", "000"))
        .await
        .expect("answered");
    assert!(!bad.valid);
    assert!(bad
        .message
        .is_some_and(|m| m.contains("Invalid smartcard number")));

    let meter = c
        .validate_account(&validate(
            "electricity:ikeja-electric:prepaid",
            "45012345678",
        ))
        .await
        .expect("meter");
    assert!(meter.valid);
    assert_eq!(meter.account_name.as_deref(), Some("BOLA ADE"));
    let sent = requests(&server).await;
    let last = sent.last().expect("sent");
    assert_eq!(
        form_of(&last.body),
        vec![
            ("action".to_owned(), "vtu_electricity_verify".to_owned()),
            ("service_name".to_owned(), "ikeja-electric".to_owned()),
            ("meter_type".to_owned(), "prepaid".to_owned()),
            ("meter_number".to_owned(), "45012345678".to_owned()),
        ]
    );
    assert!(
        field(last, "pin").is_none(),
        "the PIN goes with purchases only"
    );

    let wrong = c
        .validate_account(&validate("electricity:ikeja-electric:prepaid", "1"))
        .await
        .expect("answered");
    assert!(!wrong.valid);
    assert!(wrong.message.is_some_and(|m| m.contains("Meter not valid")));

    let err = c
        .validate_account(&validate("airtime:mtn", "0803"))
        .await
        .expect_err("nothing to verify");
    assert!(matches!(err, ProviderError::Unsupported { .. }));
}

#[tokio::test]
async fn a_verification_refused_for_the_key_is_an_error_not_an_invalid_number() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(
            403,
            r#"{"error":"This API key is not allowed for this action"}"#,
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .validate_account(&validate("cable:gotv", "1"))
        .await
        .expect_err("scope");
    assert!(matches!(err, ProviderError::Auth { .. }), "{err:?}");
}
