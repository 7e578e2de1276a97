//! Every sample request of the Vendify document is what the adapter sends: method, path,
//! query, headers and JSON body are compared with the fixture, with our own values put in
//! where the sample has placeholders or optional text we do not send (each noted below).

use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::*;
use crate::providers::vendify::{
    signature, BrandFilter, DeliveryUpdate, HistoryStatus, PriceAsk, SignatureScheme, StatusVia,
    ValidationQuery,
};
use crate::providers::{CatalogueQuery, OutcomeStatus, Provider, StatusLookup};

/// A server answering every request with `body`.
async fn server_answering(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut got = server.received_requests().await.expect("recording on");
    assert_eq!(got.len(), 1, "exactly one request");
    got.remove(0)
}

fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The headers every call carries, the signature recomputed.
fn assert_signed(r: &Request) {
    assert_eq!(header(r, "X-Api-Key"), Some(API_KEY));
    let nonce = header(r, "X-Nonce").expect("X-Nonce");
    let expected = signature::sign(
        SignatureScheme::HmacSha256,
        API_KEY.as_bytes(),
        API_KEY,
        nonce,
    );
    assert_eq!(header(r, "X-Signature"), Some(expected.as_str()));
}

fn body_of(r: &Request) -> Value {
    json_of(std::str::from_utf8(&r.body).expect("utf-8 body"))
}

/// The sample order with the document's faceValue recommendation applied: the sample's
/// `value` becomes `faceValue` and `value` is 0. `transactionTitle`/`transactionComment` are
/// optional free text a `PurchaseRequest` does not carry, so they are not sent;
/// `customerReference` is our reference.
fn expected_order(sample: &str, reference: &str) -> Value {
    let mut v = json_of(sample);
    let o = v.as_object_mut().expect("object");
    if let Some(value) = o.remove("value") {
        o.insert("faceValue".into(), value);
    }
    o.insert("value".into(), json!(0));
    o.remove("transactionTitle");
    o.remove("transactionComment");
    o.insert("customerReference".into(), json!(reference));
    v
}

#[tokio::test]
async fn cable_tv_order_sends_the_sample_body() {
    let server = server_answering(&fixture("order_airtime_response.json")).await;
    let mut req = purchase(1);
    req.product_id = "9422".into();
    req.product_code = Some("ng_dstv_showcompe36".into());
    req.recipient = "4222863979".into();
    req.face_value = m("17450.00", "NGN");
    req.wallet_id = Some("NGN-143".into());
    req.email = Some("mrporter@myemail.com".into());
    let out = client(&server).submit(&req).await.expect("submits");
    assert_eq!(out.status, OutcomeStatus::Succeeded);

    let r = only_request(&server).await;
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/api/v1/orders");
    assert_signed(&r);
    assert_eq!(
        header(&r, "X-Nonce"),
        Some("nonce-0001"),
        "the committed nonce"
    );
    assert_eq!(
        header(&r, "X-Wallet-Id"),
        Some("NGN-143"),
        "equals the body's walletId"
    );
    assert_eq!(header(&r, "Content-Type"), Some("application/json"));
    assert_eq!(
        body_of(&r),
        expected_order(&fixture("order_request_cable_tv.json"), "RC-0001")
    );
    // The amount's exact text, not a float's rendering.
    assert!(std::str::from_utf8(&r.body)
        .expect("utf-8")
        .contains("\"faceValue\":17450.00"));
}

#[tokio::test]
async fn airtime_order_sends_the_sample_body() {
    let server = server_answering(&fixture("order_airtime_response.json")).await;
    let mut req = purchase(2);
    req.email = Some("info@vendifydigital.com".into());
    client(&server).submit(&req).await.expect("submits");
    let r = only_request(&server).await;
    assert_eq!(header(&r, "X-Wallet-Id"), Some("NGN-456"));
    assert_eq!(
        body_of(&r),
        expected_order(&fixture("order_request_airtime.json"), "RC-0002")
    );
}

#[tokio::test]
async fn electricity_order_sends_the_faq_body() {
    let server = server_answering(&fixture("order_airtime_response.json")).await;
    let mut req = purchase(3);
    req.product_id = "9423".into();
    req.product_code = Some("PHEDC-PREPAID".into());
    req.recipient = "25112401374".into();
    req.face_value = m("5000.0", "NGN");
    req.phone = Some("+2348188090111".into());
    req.email = Some("support@vendifydigital.com".into());
    client(&server).submit(&req).await.expect("submits");
    let r = only_request(&server).await;
    // The FAQ sample differs from the field table in three ways, resolved for the table:
    // its `email` is the documented `beneficiaryEmail`; `walletId` (required, equal to
    // X-Wallet-Id) and `value: 0` (required next to faceValue) are added.
    let mut expected = json_of(&fixture("order_request_electricity.json"));
    let o = expected.as_object_mut().expect("object");
    let email = o.remove("email").expect("sample email");
    o.insert("beneficiaryEmail".into(), email);
    o.insert("walletId".into(), json!("NGN-456"));
    o.insert("value".into(), json!(0));
    o.remove("transactionTitle");
    o.remove("transactionComment");
    o.insert("customerReference".into(), json!("RC-0003"));
    assert_eq!(body_of(&r), expected);
}

#[tokio::test]
async fn validation_sends_the_sample_body() {
    let server = server_answering(&fixture("validation_response.json")).await;
    let q = ValidationQuery {
        unique_account_id: "4111ZZZZ863979".into(),
        product_id: Some("123".into()),
        service_code: Some("TV".into()),
        brand_code: Some("DSTV".into()),
        service_type: Some("PREPAID".into()),
    };
    let v = client(&server).validate(&q).await.expect("validates");
    assert!(v.valid);
    let r = only_request(&server).await;
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/api/v1/validations");
    assert_signed(&r);
    assert_eq!(body_of(&r), json_of(&fixture("validation_request.json")));
}

#[tokio::test]
async fn electricity_validation_sends_the_faq_body() {
    let server = server_answering(&fixture("validation_response.json")).await;
    let q = ValidationQuery {
        unique_account_id: "25112401374".into(),
        product_id: None,
        service_code: Some("ELECT".into()),
        brand_code: Some("PHEDC".into()),
        service_type: Some("PREPAID".into()),
    };
    client(&server).validate(&q).await.expect("validates");
    let r = only_request(&server).await;
    assert_eq!(
        body_of(&r),
        json_of(&fixture("validation_request_electricity.json"))
    );
}

#[tokio::test]
async fn status_post_bodies_match_both_samples() {
    for (lookup, file) in [
        (
            StatusLookup {
                reference: "RC-1".into(),
                nonce: "ignored-when-a-reference-is-known".into(),
                provider_reference: Some("250315235931835041:S:QRKUOSODRMCYMLTXBQHGMLOQH".into()),
            },
            "order_status_request_by_reference.json",
        ),
        (
            StatusLookup {
                reference: "RC-2".into(),
                nonce: "110426053014142800271506".into(),
                provider_reference: None,
            },
            "order_status_request_by_nonce.json",
        ),
    ] {
        let server = server_answering(&fixture("order_status_response.json")).await;
        let out = client(&server)
            .order_status(&lookup, StatusVia::Post)
            .await
            .expect("status");
        assert_eq!(out.status, OutcomeStatus::Succeeded);
        let r = only_request(&server).await;
        assert_eq!(r.method.as_str(), "POST");
        assert_eq!(r.url.path(), "/api/v1/order/status");
        assert_signed(&r);
        assert_eq!(body_of(&r), json_of(&fixture(file)), "{file}");
    }
}

#[tokio::test]
async fn update_delivery_sends_the_sample_body() {
    let server = server_answering(&fixture("update_delivery_response.json")).await;
    let update = DeliveryUpdate {
        buyer_email: Some("tom.thomas@vendifydigital.com".into()),
        beneficiary_email: Some("john.packer@vendifydigital.com".into()),
        beneficiary_telephone: Some("+4470000000000".into()),
        transaction_reference: "20230329084310lvjvztylvixpxlblgjsglomcc".into(),
    };
    client(&server)
        .update_delivery(&update)
        .await
        .expect("updates");
    let r = only_request(&server).await;
    assert_eq!(r.method.as_str(), "PATCH");
    assert_eq!(r.url.path(), "/api/v1/Voucher/UpdateDelivery");
    assert_signed(&r);
    assert_eq!(
        body_of(&r),
        json_of(&fixture("update_delivery_request.json"))
    );
}

/// The request a URL sample describes: path (compared case-insensitively: the document
/// itself writes `Product/Category` and `product/8746`, and the API is case-insensitive)
/// and decoded query pairs.
fn sample_url(server: &MockServer, file: &str) -> (String, Vec<(String, String)>) {
    let text = fixture(file);
    let line = text.trim();
    let at = line.find("/api/v1/").expect("an API path");
    let url = url::Url::parse(&format!("{}{}", server.uri(), &line[at..])).expect("sample URL");
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    (url.path().to_ascii_lowercase(), pairs)
}

fn sent(r: &Request) -> (String, Vec<(String, String)>) {
    let mut pairs: Vec<(String, String)> = r
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    (r.url.path().to_ascii_lowercase(), pairs)
}

fn catalogue(category: &str, f: impl FnOnce(&mut CatalogueQuery)) -> CatalogueQuery {
    let mut q = CatalogueQuery {
        category: Some(category.into()),
        ..CatalogueQuery::default()
    };
    f(&mut q);
    q
}

#[tokio::test]
async fn every_sample_url_is_what_the_adapter_requests() {
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let cases: Vec<&str> = vec![
        "request_category_esim_gbr.txt",
        "request_category_giftcard_subcategory.txt",
        "request_fx_rate.txt",
        "request_order_status_get_by_reference.txt",
        "request_order_status_get_by_nonce.txt",
        "request_transaction_history.txt",
        "request_transaction_summary.txt",
        "request_category_giftcard.txt",
        "request_category_esim_usa.txt",
        "request_category_esim_usa_gbr.txt",
        "request_category_giftcard_brand_family.txt",
        "request_category_giftcard_brand_code.txt",
        "request_product_countries.txt",
        "request_product_brand_families.txt",
        "request_product_categories.txt",
        "request_product_details.txt",
        "request_product_details_target_value.txt",
        "request_product_details_face_value.txt",
        "request_brands.txt",
        "request_brands_by_country.txt",
        "request_brands_by_category.txt",
        "request_brand_families_by_country.txt",
        "request_brand_families_by_category.txt",
        "request_sub_categories_giftcard.txt",
        "request_category_airtime.txt",
        "request_category_airtime_all.txt",
        "request_esim_details.txt",
        "request_category_airtime_nga.txt",
        "request_category_esim_nga.txt",
    ];
    for file in cases {
        // An empty list answers every list call; calls wanting an object fail to parse
        // after the request was recorded, which is all this test looks at.
        let server = server_answering(&envelope_with("[]")).await;
        let c = client(&server);
        let country =
            |code: &'static str| catalogue("esim", move |q| q.country = Some(code.into()));
        let _ = match file {
            "request_category_esim_gbr.txt" => c.catalogue(&country("GBR")).await.map(drop),
            "request_category_esim_usa.txt" => c.catalogue(&country("USA")).await.map(drop),
            "request_category_esim_usa_gbr.txt" => c.catalogue(&country("USA,GBR")).await.map(drop),
            "request_category_esim_nga.txt" => c.catalogue(&country("NGA")).await.map(drop),
            "request_category_giftcard_subcategory.txt" => c
                .catalogue(&catalogue("giftcard", |q| {
                    q.sub_category = Some("Food-Beverage".into())
                }))
                .await
                .map(drop),
            "request_category_giftcard.txt" => {
                c.catalogue(&catalogue("giftcard", |_| {})).await.map(drop)
            }
            "request_category_giftcard_brand_family.txt" => c
                .catalogue(&catalogue("giftcard", |q| {
                    q.brand_family = Some("Xbox".into())
                }))
                .await
                .map(drop),
            "request_category_giftcard_brand_code.txt" => c
                .catalogue(&catalogue("giftcard", |q| {
                    q.brand_code = Some("uk-aldi".into())
                }))
                .await
                .map(drop),
            "request_category_airtime.txt" => {
                c.catalogue(&catalogue("airtime", |_| {})).await.map(drop)
            }
            "request_category_airtime_all.txt" => c
                .catalogue(&catalogue("airtime", |q| q.country = Some("ALL".into())))
                .await
                .map(drop),
            "request_category_airtime_nga.txt" => c
                .catalogue(&catalogue("airtime", |q| q.country = Some("nga".into())))
                .await
                .map(drop),
            "request_fx_rate.txt" => c.fx_rates().await.map(drop),
            "request_order_status_get_by_reference.txt" => c
                .status(&StatusLookup {
                    reference: "RC-1".into(),
                    nonce: "n".into(),
                    provider_reference: Some(
                        "260218112821240181:S:JMVOUAEVOTUUEWNBVTSPBSNDB".into(),
                    ),
                })
                .await
                .map(drop),
            "request_order_status_get_by_nonce.txt" => c
                .status(&StatusLookup {
                    reference: "RC-1".into(),
                    nonce: "1104260528172249158979271".into(),
                    provider_reference: None,
                })
                .await
                .map(drop),
            "request_transaction_history.txt" => c
                .transaction_history(date("2021-01-01"), date("2021-02-01"), HistoryStatus::All)
                .await
                .map(drop),
            "request_transaction_summary.txt" => c
                .transaction_summary(date("2021-01-01"), date("2021-02-01"))
                .await
                .map(drop),
            "request_product_countries.txt" => c.countries().await.map(drop),
            "request_product_brand_families.txt" => {
                c.brand_families(&BrandFilter::default()).await.map(drop)
            }
            "request_product_categories.txt" => c.categories().await.map(drop),
            "request_product_details.txt" => c.product_details("8746", None).await.map(drop),
            "request_product_details_target_value.txt" => c
                .product_details("8746", Some(PriceAsk::Target(d("5000"))))
                .await
                .map(drop),
            "request_product_details_face_value.txt" => {
                c.quote("8746", Some(&m("10", "USD"))).await.map(drop)
            }
            "request_brands.txt" => c.brands(&BrandFilter::default()).await.map(drop),
            "request_brands_by_country.txt" => c
                .brands(&BrandFilter {
                    country_code: Some("USA".into()),
                    ..BrandFilter::default()
                })
                .await
                .map(drop),
            "request_brands_by_category.txt" => c
                .brands(&BrandFilter {
                    category_code: Some("giftcard".into()),
                    ..BrandFilter::default()
                })
                .await
                .map(drop),
            "request_brand_families_by_country.txt" => {
                let f = BrandFilter {
                    country_code: Some("USA".into()),
                    ..BrandFilter::default()
                };
                c.brand_families(&f).await.map(drop)
            }
            "request_brand_families_by_category.txt" => {
                let f = BrandFilter {
                    category_code: Some("giftcard".into()),
                    ..BrandFilter::default()
                };
                c.brand_families(&f).await.map(drop)
            }
            "request_sub_categories_giftcard.txt" => c.sub_categories("giftcard").await.map(drop),
            "request_esim_details.txt" => c.esim_details("8943108165011804478").await.map(drop),
            other => panic!("no call for {other}"),
        };
        let r = only_request(&server).await;
        assert_eq!(r.method.as_str(), "GET", "{file}");
        assert_signed(&r);
        assert_eq!(sent(&r), sample_url(&server, file), "{file}");
    }
}

#[tokio::test]
async fn wallet_scoped_calls_send_the_wallet_header() {
    // The FX and category endpoints list X-Wallet-Id as required.
    let server = server_answering(&envelope_with("[]")).await;
    let c = client(&server);
    c.fx_rates().await.expect("fx");
    c.catalogue(&catalogue("giftcard", |q| {
        q.wallet_id = Some("GBP-104".into())
    }))
    .await
    .expect("list");
    let got = server.received_requests().await.expect("recorded");
    assert_eq!(header(&got[0], "X-Wallet-Id"), Some(WALLET));
    assert_eq!(
        header(&got[1], "X-Wallet-Id"),
        Some("GBP-104"),
        "the query's wallet wins"
    );
}

#[tokio::test]
async fn the_trait_validation_sends_the_product_and_prices_options_in_its_currency() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/api/v1/validations"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("validation_response.json")),
        )
        .mount(&server)
        .await;
    // The DSTV product (its options carry no currency): an NGN fixed-price listing.
    let product = r#"{"productId": 9422, "name": "DStv", "providerId": 123, "productCode": "USE_VALIDATION_PRODUCT_CODE",
        "originalValue": 0, "originalCurrencyCode": "NGN", "categoryCode": "cable-tv", "category": "Cable TV"}"#;
    Mock::given(wiremock::matchers::path("/api/v1/Product/9422"))
        .respond_with(ResponseTemplate::new(200).set_body_string(envelope_with(product)))
        .mount(&server)
        .await;
    let req = crate::providers::ValidateRequest {
        product_id: "9422".into(),
        account_number: "4222863979".into(),
        service_type: None,
    };
    let v = client(&server)
        .validate_account(&req)
        .await
        .expect("validates");
    assert!(v.valid);
    assert_eq!(v.account_name.as_deref(), Some("Test User"));
    assert_eq!(v.options.len(), 8);
    assert_eq!(v.options[0].code, "ng_dstv_showcompe36");
    assert_eq!(v.options[0].name, "Compact + Showmax_");
    assert_eq!(v.options[0].price, m("17450", "NGN"));
    assert_eq!(v.options[0].months, Some(1));
    let got = server.received_requests().await.expect("recorded");
    // productId makes the other optional fields unnecessary ("ignored if provided").
    assert_eq!(
        body_of(&got[0]),
        json!({"productId": 9422, "uniqueAccountId": "4222863979"})
    );
}

/// Issue #9: the customer's phone as a cashier types it (local, spaced) goes out as
/// `accountTelephone` in the international format the document asks for.
#[tokio::test]
async fn electricity_order_sends_the_customer_phone_in_international_format() {
    let server = server_answering(&fixture("order_airtime_response.json")).await;
    let mut req = purchase(4);
    req.product_id = "9423".into();
    req.product_code = Some("PHEDC-PREPAID".into());
    req.recipient = "25112401374".into();
    req.face_value = m("5000", "NGN");
    req.phone = Some("0818 809 0111".into());
    client(&server).submit(&req).await.expect("submits");
    let r = only_request(&server).await;
    assert_eq!(body_of(&r)["accountTelephone"], json!("+2348188090111"));
    assert_eq!(body_of(&r)["uniqueAccountId"], json!("25112401374"));
}
