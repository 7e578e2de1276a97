//! Every sample request of the document is what the adapter sends: method, path, JSON
//! content type and body. Substitutions: the samples' `hash` is a truncated placeholder and
//! is replaced by the real sha512 for `tok123`/`user@example.com`/`user123` (computed in the
//! test with sha2); username `user123`, `myRef`, the callback URL and the masked phone
//! numbers are used as they are.

use serde_json::Value;

use super::*;

fn sample(name: &str, reference: &str) -> Value {
    let mut v: Value = serde_json::from_str(&fixture(name)).expect("fixture is JSON");
    v["hash"] = Value::String(expected_hash(reference));
    v
}

async fn only_request(server: &MockServer, route: &str) -> wiremock::Request {
    let mut reqs = requests_to(server, route).await;
    assert_eq!(reqs.len(), 1, "exactly one request to {route}");
    reqs.remove(0)
}

fn assert_json_post(req: &wiremock::Request, expected: &Value) {
    assert_eq!(req.method.as_str(), "POST");
    let ct = req
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(ct, "application/json");
    let got: Value = serde_json::from_slice(&req.body).expect("body is JSON");
    assert_eq!(&got, expected);
}

#[tokio::test]
async fn airtime_list_request_matches_the_sample() {
    let server = answering(
        "/network_list/v/2",
        ok_body(&fixture("airtime_list_response_1.json")),
    )
    .await;
    let q = CatalogueQuery {
        phone: Some("+1410xxxxxxxx".into()),
        country: Some("US".into()),
        category: Some(AIRTIME.into()),
        ..CatalogueQuery::default()
    };
    client_for(&server.uri()).catalogue(&q).await.expect("list");
    let req = only_request(&server, "/network_list/v/2").await;
    assert_json_post(&req, &sample("airtime_list_request.json", ""));
}

#[tokio::test]
async fn data_list_request_matches_the_sample() {
    let server = answering(
        "/data_list/v/2",
        ok_body(&fixture("data_list_response_1.json")),
    )
    .await;
    let q = CatalogueQuery {
        phone: Some("+234706xxxxxxx".into()),
        category: Some(DATA.into()),
        ..CatalogueQuery::default()
    };
    client_for(&server.uri()).catalogue(&q).await.expect("list");
    let req = only_request(&server, "/data_list/v/2").await;
    assert_json_post(&req, &sample("data_list_request.json", ""));
}

#[tokio::test]
async fn airtime_purchase_request_matches_the_sample() {
    let server = answering(
        "/network_processing/v/2",
        ok_body(&fixture("airtime_purchase_response_1.json")),
    )
    .await;
    let c = client_with_callback(&server.uri(), "https://mywebsite/callback");
    // The sample sends "country":"UK" with both items (even the US number): that is the
    // country the lists were asked with, carried in the route.
    let items = vec![
        purchase(
            "myRef",
            "US-50-OR",
            Some("airtime/range/UK"),
            "+1410xxxxxxx",
            "20",
            "USD",
        ),
        purchase(
            "myRef",
            "UKBL-1755-5.00",
            Some("airtime/fixed/UK"),
            "+4477xxxxxxxx",
            "5.00",
            "GBP",
        ),
    ];
    c.submit_batch("myRef", &items).await.expect("batch");
    let req = only_request(&server, "/network_processing/v/2").await;
    assert_json_post(&req, &sample("airtime_purchase_request.json", "myRef"));
}

#[tokio::test]
async fn data_purchase_request_matches_the_sample() {
    let server = answering(
        "/data_processing/v/2",
        ok_body(&fixture("data_purchase_response_1.json")),
    )
    .await;
    let c = client_with_callback(&server.uri(), "https://mywebsite/callback");
    c.submit(&data_purchase("myRef")).await.expect("ok");
    let req = only_request(&server, "/data_processing/v/2").await;
    assert_json_post(&req, &sample("data_purchase_request.json", "myRef"));
}

#[tokio::test]
async fn data_purchase_without_a_route_is_routed_by_its_id_and_has_no_callback() {
    let server = answering(
        "/data_processing/v/2",
        ok_body(&fixture("data_purchase_response_1.json")),
    )
    .await;
    let mut req = data_purchase("myRef");
    req.provider_ref = None;
    client_for(&server.uri()).submit(&req).await.expect("ok");
    let sent = only_request(&server, "/data_processing/v/2").await;
    let mut expected = sample("data_purchase_request.json", "myRef");
    expected.as_object_mut().expect("object").remove("callback");
    assert_json_post(&sent, &expected);
}

#[tokio::test]
async fn query_requests_match_the_samples() {
    let server = answering("/api_query", ok_body(&fixture("query_response_2.json"))).await;
    let c = client_for(&server.uri());
    c.query_transactions(&TransactionQuery::TransactionId("api_5ab5261c9b005".into()))
        .await
        .expect("by id");
    c.query_transactions(&TransactionQuery::Reference("myRef".into()))
        .await
        .expect("by ref");
    let reqs = requests_to(&server, "/api_query").await;
    assert_eq!(reqs.len(), 2);
    assert_json_post(&reqs[0], &sample("query_request_1.json", ""));
    assert_json_post(&reqs[1], &sample("query_request_2.json", ""));
}

#[tokio::test]
async fn status_asks_by_transaction_id_then_by_reference() {
    let server = answering("/api_query", ok_body(&fixture("query_response_1.json"))).await;
    let c = client_for(&server.uri());
    let lookup = StatusLookup {
        reference: "myRef".into(),
        nonce: "n".into(),
        provider_reference: Some("api_5ab5261c9b005".into()),
    };
    assert!(matches!(
        c.status(&lookup).await,
        Err(ProviderError::NotFound { .. })
    ));
    let reqs = requests_to(&server, "/api_query").await;
    assert_eq!(reqs.len(), 2, "by id, then by ref when the id is not found");
    assert_json_post(&reqs[0], &sample("query_request_1.json", ""));
    assert_json_post(&reqs[1], &sample("query_request_2.json", ""));
}

#[tokio::test]
async fn balance_request_is_a_get_with_the_documented_query() {
    let server = answering("/smsapi.php", ok_body("2500.50")).await;
    let wallets = client_for(&server.uri()).balances().await.expect("balance");
    assert_eq!(
        wallets,
        vec![WalletBalance {
            wallet_id: "NGN".into(),
            balance: ngn("2500.50")
        }]
    );
    let req = only_request(&server, "/smsapi.php").await;
    assert_eq!(req.method.as_str(), "GET");
    // The document's `username=user123&password=pass123&balance=true&`, trailing `&` included.
    assert_eq!(
        req.url.query(),
        Some("username=user123&password=pass123&balance=true&")
    );
    assert!(req.body.is_empty());
}
