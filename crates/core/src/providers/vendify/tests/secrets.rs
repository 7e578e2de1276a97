//! Canary secrets planted in the account never come back: not in any error's Display or
//! Debug, not in any value a call returns, even when Vendify echoes them.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::providers::{CatalogueQuery, Provider, StatusLookup};

const CANARY_KEY: &str = "CANARY-api-key-5f3a91";
const CANARY_SIGNING: &str = "CANARY-signing-77b2c0";

fn canary_config(base: &str) -> AccountConfig {
    let mut cfg = config(base);
    cfg.secrets
        .insert("api_key".into(), Secret::new(CANARY_KEY));
    cfg.secrets
        .insert("signing_secret".into(), Secret::new(CANARY_SIGNING));
    cfg
}

fn assert_clean(what: &str, text: &str) {
    for canary in [CANARY_KEY, CANARY_SIGNING, "CANARY"] {
        assert!(!text.contains(canary), "{what} leaks {canary}: {text}");
    }
    let encoded: String = url::form_urlencoded::byte_serialize(CANARY_KEY.as_bytes()).collect();
    assert!(!text.contains(&encoded), "{what} leaks the URL-encoded key");
}

/// Runs a batch of calls and checks every result, error or value.
async fn drive(c: &VendifyClient, label: &str) {
    let lookup = StatusLookup {
        reference: "RC-1".into(),
        nonce: "n-1".into(),
        provider_reference: None,
    };
    let q = CatalogueQuery {
        category: Some("giftcard".into()),
        ..CatalogueQuery::default()
    };
    let results: Vec<(&str, String)> = vec![
        ("submit", format!("{:?}", c.submit(&purchase(1)).await)),
        ("status", format!("{:?}", c.status(&lookup).await)),
        ("balances", format!("{:?}", c.balances().await)),
        ("catalogue", format!("{:?}", c.catalogue(&q).await)),
        ("quote", format!("{:?}", c.quote("8746", None).await)),
        ("resend", format!("{:?}", c.resend_voucher("T-1").await)),
        ("esim", format!("{:?}", c.esim_details("89").await)),
    ];
    for (name, debug) in &results {
        assert_clean(&format!("{label}/{name} (Debug)"), debug);
    }
    if let Err(e) = c.submit(&purchase(2)).await {
        assert_clean(&format!("{label}/submit (Display)"), &e.to_string());
    }
    if let Err(e) = c.balances().await {
        assert_clean(&format!("{label}/balances (Display)"), &e.to_string());
    }
}

#[tokio::test]
async fn canaries_never_leave_through_errors_or_values() {
    let echo_json = format!(
        r#"{{"authenticated": true, "sysErr": 400, "message": "Unknown key {CANARY_KEY} signed with {CANARY_SIGNING}"}}"#
    );
    let echo_success = envelope_with(&format!(
        r#"{{"responseStatus": "SUCCESS", "responseMessage": "ok for {CANARY_KEY}", "transactionReference": "T-{CANARY_SIGNING}",
            "voucherCode": "{CANARY_KEY}", "productCost": 1, "productCostCurrencyCode": "NGN"}}"#
    ));
    let echo_list = envelope_with(&format!(
        r#"[{{"walletId": "NGN-{CANARY_KEY}", "balance": 1}}, {{"productId": 1, "name": "{CANARY_KEY}", "originalValue": 1, "originalCurrencyCode": "NGN"}}]"#
    ));
    let templates = vec![
        (
            "401 echo",
            ResponseTemplate::new(401)
                .set_body_string(format!("Unauthorized: X-Api-Key={CANARY_KEY}")),
        ),
        (
            "500 echo",
            ResponseTemplate::new(500)
                .set_body_string(format!("<pre>headers: {CANARY_KEY} {CANARY_SIGNING}</pre>")),
        ),
        (
            "400 envelope echo",
            ResponseTemplate::new(400).set_body_string(echo_json.clone()),
        ),
        (
            "200 sysErr echo",
            ResponseTemplate::new(200).set_body_string(echo_json),
        ),
        (
            "200 garbage echo",
            ResponseTemplate::new(200)
                .set_body_string(format!("key={CANARY_KEY}&sig={CANARY_SIGNING}")),
        ),
        (
            "200 success echo",
            ResponseTemplate::new(200).set_body_string(echo_success),
        ),
        (
            "200 list echo",
            ResponseTemplate::new(200).set_body_string(echo_list),
        ),
        (
            "502 url-encoded echo",
            ResponseTemplate::new(502).set_body_string(format!(
                "upstream {}",
                url::form_urlencoded::byte_serialize(CANARY_KEY.as_bytes()).collect::<String>()
            )),
        ),
    ];
    for (label, template) in templates {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(template)
            .mount(&server)
            .await;
        let c = client_for(canary_config(&server.uri()), policy());
        drive(&c, label).await;
    }
}

#[tokio::test]
async fn canaries_never_leave_through_transport_errors() {
    // Refused connection.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    drive(
        &client_for(canary_config(&format!("http://{addr}")), short_policy()),
        "refused",
    )
    .await;
    // Timeout.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(2)))
        .mount(&server)
        .await;
    drive(
        &client_for(canary_config(&server.uri()), short_policy()),
        "timeout",
    )
    .await;
    // A header value that cannot be sent (a newline in the key) is a builder error.
    let mut cfg = canary_config(&server.uri());
    cfg.secrets
        .insert("api_key".into(), Secret::new(format!("{CANARY_KEY}\n")));
    drive(&client_for(cfg, short_policy()), "bad header").await;
}

#[test]
fn the_client_and_its_config_never_print_secrets() {
    let cfg = canary_config("https://sandboxapi.vendifydigital.com");
    assert_clean("config", &format!("{cfg:?}"));
}
