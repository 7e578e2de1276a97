//! Purchases go out exactly once; safe calls retry; refusals made before sending send
//! nothing; definite refusals are not "unknown".

use super::*;
use crate::providers::OutcomeStatus;

#[tokio::test]
async fn a_purchase_answered_500_is_sent_once_and_unknown() {
    let server = answering("/data_processing/v/2", ResponseTemplate::new(500)).await;
    let e = client_for(&server.uri())
        .submit(&data_purchase("RC-500"))
        .await
        .expect_err("500");
    assert!(
        matches!(e, ProviderError::Server { status: 500, .. }),
        "{e:?}"
    );
    assert!(e.outcome_unknown());
    assert_eq!(requests_to(&server, "/data_processing/v/2").await.len(), 1);
}

#[tokio::test]
async fn a_purchase_that_times_out_is_sent_once_and_unknown() {
    let slow = ok_body(&fixture("data_purchase_response_1.json")).set_delay(Duration::from_secs(2));
    let server = answering("/data_processing/v/2", slow).await;
    let e = client_for(&server.uri())
        .submit(&data_purchase("RC-slow"))
        .await
        .expect_err("timeout");
    assert!(matches!(e, ProviderError::Timeout { .. }), "{e:?}");
    assert!(e.outcome_unknown());
    assert_eq!(requests_to(&server, "/data_processing/v/2").await.len(), 1);
}

#[tokio::test]
async fn a_purchase_to_a_closed_port_certainly_did_not_happen() {
    // Nothing listens on port 9 (discard) on a test machine: the connection is refused.
    let e = client_for("http://127.0.0.1:9")
        .submit(&data_purchase("RC-x"))
        .await
        .expect_err("refused");
    assert!(matches!(e, ProviderError::Unreachable { .. }), "{e:?}");
    assert!(!e.outcome_unknown(), "no byte was sent");
}

#[tokio::test]
async fn a_purchase_redirected_elsewhere_is_not_resent_there_and_is_unknown() {
    for status in [302, 307, 308] {
        // The redirect carries a success body: only its status may decide, and it says
        // nothing certain about the order.
        let elsewhere = answering(
            "/data_processing/v/2",
            ok_body(&fixture("data_purchase_response_1.json")),
        )
        .await;
        let server = answering(
            "/data_processing/v/2",
            ResponseTemplate::new(status)
                .insert_header(
                    "Location",
                    format!("{}/data_processing/v/2", elsewhere.uri()).as_str(),
                )
                .set_body_string(fixture("data_purchase_response_1.json")),
        )
        .await;
        let e = client_for(&server.uri())
            .submit(&data_purchase("RC-moved"))
            .await
            .expect_err("a redirect is not an answer");
        assert!(
            matches!(e, ProviderError::BadResponse { .. }),
            "{status}: {e:?}"
        );
        assert!(e.outcome_unknown(), "{status}");
        assert_eq!(requests_to(&server, "/data_processing/v/2").await.len(), 1);
        assert!(
            elsewhere
                .received_requests()
                .await
                .expect("recording")
                .is_empty(),
            "{status}: the purchase was re-sent to the redirect target"
        );
    }
}

async fn flaky(route: &str, ok: &str) -> MockServer {
    let server = MockServer::start().await;
    let verb = if route == "/smsapi.php" {
        "GET"
    } else {
        "POST"
    };
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ok_body(ok))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn status_catalogue_and_balance_are_retried_after_a_5xx() {
    let s = flaky("/api_query", &fixture("query_response_2.json")).await;
    let look = StatusLookup {
        reference: "myRef".into(),
        nonce: "n".into(),
        provider_reference: Some("api_5ab2cf5a69f63".into()),
    };
    assert_eq!(
        client_for(&s.uri())
            .status(&look)
            .await
            .expect("status")
            .status,
        OutcomeStatus::Succeeded
    );
    assert_eq!(requests_to(&s, "/api_query").await.len(), 2);

    let s = flaky("/data_list/v/2", &fixture("data_list_response_1.json")).await;
    let q = CatalogueQuery {
        phone: Some("+234706xxxxxxx".into()),
        category: Some(DATA.into()),
        ..CatalogueQuery::default()
    };
    assert_eq!(
        client_for(&s.uri())
            .catalogue(&q)
            .await
            .expect("list")
            .len(),
        3
    );
    assert_eq!(requests_to(&s, "/data_list/v/2").await.len(), 2);

    let s = flaky("/smsapi.php", "1500.25").await;
    let w = client_for(&s.uri()).balances().await.expect("balance");
    assert_eq!(w[0].balance, ngn("1500.25"));
    assert_eq!(requests_to(&s, "/smsapi.php").await.len(), 2);
}

#[tokio::test]
async fn checks_before_sending_send_nothing() {
    let server = MockServer::start().await;
    let c = client_for(&server.uri());
    let six: Vec<PurchaseRequest> = (0..6).map(|i| data_purchase(&format!("RC-{i}"))).collect();
    let e = c.submit_batch("batch-1", &six).await.expect_err("P014");
    assert!(
        matches!(e, ProviderError::Rejected { code: Some(ref c), .. } if c == "P014"),
        "{e:?}"
    );
    assert!(!e.outcome_unknown());
    assert!(c.submit_batch("batch-1", &[]).await.is_err());
    assert!(c.submit_batch(" ", &six[..1]).await.is_err());
    let mixed = vec![
        data_purchase("m"),
        purchase(
            "m",
            "UKBL-1755-5.00",
            Some("airtime/fixed/UK"),
            "+4477xxxxxxxx",
            "5",
            "GBP",
        ),
    ];
    assert!(matches!(
        c.submit_batch("m", &mixed).await,
        Err(ProviderError::Rejected { .. })
    ));
    let fraction = purchase(
        "f",
        "US-50-OR",
        Some("airtime/range/US"),
        "+1410xxxxxxx",
        "20.6",
        "USD",
    );
    let e = c.submit(&fraction).await.expect_err("fraction");
    assert!(e.to_string().contains("enter 21 USD"), "{e}");
    let zero = purchase(
        "z",
        "US-50-OR",
        Some("airtime/range/US"),
        "+1410xxxxxxx",
        "0",
        "USD",
    );
    assert!(c.submit(&zero).await.is_err());
    let no_phone = purchase("p", "US-50-OR", Some("airtime/range/US"), " ", "20", "USD");
    assert!(
        matches!(c.submit(&no_phone).await, Err(ProviderError::Rejected { code: Some(ref c), .. }) if c == "phone")
    );
    let no_product = purchase("p", " ", Some("airtime/fixed"), "+1410xxxxxxx", "20", "USD");
    assert!(
        matches!(c.submit(&no_product).await, Err(ProviderError::Rejected { code: Some(ref c), .. }) if c == "product")
    );
    let e = c
        .catalogue(&CatalogueQuery::default())
        .await
        .expect_err("no phone");
    assert!(
        matches!(e, ProviderError::Rejected { code: Some(ref c), ref message, .. } if c == "phone" && message.contains("phone number first")),
        "{e:?}"
    );
    let other = CatalogueQuery {
        phone: Some("+2348031234567".into()),
        category: Some("cable-tv".into()),
        ..CatalogueQuery::default()
    };
    assert_eq!(c.catalogue(&other).await.expect("nothing to list"), vec![]);
    let no_pw =
        EstoreSmsClient::new(config_with(&server.uri(), TOKEN, None), &ctx()).expect("client");
    let e = no_pw.balances().await.expect_err("no password");
    assert!(
        matches!(e, ProviderError::MissingCredential { ref field, .. } if field == "password"),
        "{e:?}"
    );
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn five_items_go_out_as_one_request() {
    let body = r#"{"failed":0,"result":[
        {"response":"OK","ref":"b5","transaction_id":"t1","phone":"+2348000000001"},
        {"response":"OK","ref":"b5","transaction_id":"t2","phone":"+2348000000002"},
        {"response":"PENDING","ref":"b5","transaction_id":"t3","phone":"+2348000000003"},
        {"response":"P010","message":"Below Minimum amount allowed","phone":"+2348000000004"},
        {"response":"OK","ref":"b5","transaction_id":"t5","phone":"+2348000000005"}]}"#;
    let server = answering("/network_processing/v/2", ok_body(body)).await;
    let items: Vec<PurchaseRequest> = (1..=5)
        .map(|i| {
            purchase(
                "b5",
                "NG-OR",
                Some("airtime/range/NG"),
                &format!("+234800000000{i}"),
                "100",
                "NGN",
            )
        })
        .collect();
    let b = client_for(&server.uri())
        .submit_batch("b5", &items)
        .await
        .expect("batch");
    let sent = requests_to(&server, "/network_processing/v/2").await;
    assert_eq!(sent.len(), 1);
    let json: serde_json::Value = serde_json::from_slice(&sent[0].body).expect("json");
    assert_eq!(json["request"].as_array().map(Vec::len), Some(5));
    assert_eq!(json["request"][0]["amount"], serde_json::json!(100));
    assert_eq!(json["request"][0]["country"], serde_json::json!("NG"));
    let statuses: Vec<Option<OutcomeStatus>> = b
        .items
        .iter()
        .map(|i| i.outcome.as_ref().ok().map(|o| o.status))
        .collect();
    use OutcomeStatus::{Pending, Succeeded};
    assert_eq!(
        statuses,
        vec![
            Some(Succeeded),
            Some(Succeeded),
            Some(Pending),
            None,
            Some(Succeeded)
        ]
    );
    assert!(
        matches!(&b.items[3].outcome, Err(ProviderError::Rejected { code: Some(c), .. }) if c == "P010")
    );
}

#[tokio::test]
async fn catalogue_of_both_kinds_keeps_airtime_when_data_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/network_list/v/2"))
        .respond_with(ok_body(&fixture("airtime_list_response_2.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/data_list/v/2"))
        .respond_with(ok_body(
            r#"{"response":"P004","message":"Network not supported"}"#,
        ))
        .mount(&server)
        .await;
    let c = client_for(&server.uri());
    let q = CatalogueQuery {
        phone: Some("+4477xxxxxxxx".into()),
        ..CatalogueQuery::default()
    };
    assert_eq!(c.catalogue(&q).await.expect("airtime only").len(), 3);
    let q = CatalogueQuery {
        phone: Some("+4477xxxxxxxx".into()),
        search: Some("10.00".into()),
        ..CatalogueQuery::default()
    };
    assert_eq!(c.catalogue(&q).await.expect("search").len(), 1);
}

#[tokio::test]
async fn test_connection_proves_the_token_with_a_query_and_the_password_with_the_balance() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api_query"))
        .respond_with(ok_body(&fixture("query_response_1.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/smsapi.php"))
        .respond_with(ok_body("NGN 10,000.00"))
        .mount(&server)
        .await;
    let no_pw =
        EstoreSmsClient::new(config_with(&server.uri(), TOKEN, None), &ctx()).expect("client");
    assert_eq!(no_pw.test_connection().await.expect("token works"), vec![]);
    assert!(requests_to(&server, "/smsapi.php").await.is_empty());
    let probe: serde_json::Value =
        serde_json::from_slice(&requests_to(&server, "/api_query").await[0].body).expect("json");
    assert!(
        probe["ref"]
            .as_str()
            .is_some_and(|r| r.starts_with("rc-connection-check-")),
        "{probe}"
    );
    let with_pw = client_for(&server.uri());
    let w = with_pw.test_connection().await.expect("both work");
    assert_eq!(w[0].balance, ngn("10000.00"));

    let bad = answering(
        "/api_query",
        ok_body(r#"{"response":"P001","message":"Authentication Failed"}"#),
    )
    .await;
    let no_pw = EstoreSmsClient::new(config_with(&bad.uri(), TOKEN, None), &ctx()).expect("client");
    assert!(matches!(
        no_pw.test_connection().await,
        Err(ProviderError::Auth { .. })
    ));
}
