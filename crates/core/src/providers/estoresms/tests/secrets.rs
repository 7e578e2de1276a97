//! Canary secrets: the token, the password (which travels in the balance URL), the ref-less
//! hash and a purchase's hash never show in an error, its Debug form, or a returned value.

use wiremock::{Request, Respond};

use super::*;

const CANARY_TOKEN: &str = "CANARY-token-7f3a9";
/// Characters that URL encoding changes, so both forms must be scrubbed.
const CANARY_PASSWORD: &str = "CANARY p@ss&w0rd";

fn canary_client(base: &str) -> EstoreSmsClient {
    EstoreSmsClient::new(
        config_with(base, CANARY_TOKEN, Some(CANARY_PASSWORD)),
        &ctx(),
    )
    .expect("client")
}

fn forbidden() -> Vec<String> {
    let enc: String = url::form_urlencoded::byte_serialize(CANARY_PASSWORD.as_bytes()).collect();
    let token = Secret::new(CANARY_TOKEN);
    vec![
        CANARY_TOKEN.to_owned(),
        CANARY_PASSWORD.to_owned(),
        enc,
        "p%40ss".to_owned(),
        request_hash(&token, EMAIL, USERNAME, ""),
        request_hash(&token, EMAIL, USERNAME, "RC-canary"),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for f in forbidden() {
        assert!(!text.contains(&f), "{what} leaks a secret: {text}");
    }
}

fn assert_clean_error(what: &str, e: &ProviderError) {
    assert_clean(what, &e.to_string());
    assert_clean(what, &format!("{e:?}"));
}

/// Answers with everything it was sent: the URL (with its query) and the body.
struct Echo(u16);

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body = format!(
            r#"{{"response":"P001","message":"bad credentials for {} {} token {} {}"}}"#,
            req.url,
            String::from_utf8_lossy(&req.body).replace('"', "'"),
            CANARY_TOKEN,
            CANARY_PASSWORD
        );
        ResponseTemplate::new(self.0).set_body_string(body)
    }
}

async fn echo_server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Echo(status))
        .mount(&server)
        .await;
    server
}

async fn every_call(c: &EstoreSmsClient) -> Vec<(&'static str, Result<String, ProviderError>)> {
    let q = CatalogueQuery {
        phone: Some("+2348031234567".into()),
        ..CatalogueQuery::default()
    };
    let look = StatusLookup {
        reference: "RC-canary".into(),
        nonce: "n".into(),
        provider_reference: Some("api_1".into()),
    };
    vec![
        ("balance", c.balances().await.map(|v| format!("{v:?}"))),
        (
            "test_connection",
            c.test_connection().await.map(|v| format!("{v:?}")),
        ),
        ("catalogue", c.catalogue(&q).await.map(|v| format!("{v:?}"))),
        (
            "submit",
            c.submit(&data_purchase("RC-canary"))
                .await
                .map(|v| format!("{v:?}")),
        ),
        (
            "batch",
            c.submit_batch("RC-canary", &[data_purchase("RC-canary")])
                .await
                .map(|v| format!("{v:?}")),
        ),
        ("status", c.status(&look).await.map(|v| format!("{v:?}"))),
    ]
}

#[tokio::test]
async fn echoed_secrets_are_scrubbed_from_4xx_5xx_and_200_answers() {
    for status in [200, 400, 403, 500, 503] {
        let server = echo_server(status).await;
        let c = canary_client(&server.uri());
        for (what, res) in every_call(&c).await {
            match res {
                Ok(v) => assert_clean(what, &v),
                Err(e) => assert_clean_error(&format!("{what} on HTTP {status}"), &e),
            }
        }
        // The mock really was sent the secrets, so the check above is meaningful.
        let seen = server.received_requests().await.expect("recording");
        assert!(seen
            .iter()
            .any(|r| r.url.query().is_some_and(|q| q.contains("CANARY+p%40ss"))));
    }
}

#[tokio::test]
async fn echoed_secrets_are_scrubbed_from_returned_messages() {
    let body = format!(
        r#"{{"failed":0,"result":[{{"response":"OK","ref":"RC-canary","transaction_id":"api_1","message":"thanks {CANARY_TOKEN} {CANARY_PASSWORD}"}}]}}"#
    );
    let server = answering("/data_processing/v/2", ok_body(&body)).await;
    let out = canary_client(&server.uri())
        .submit(&data_purchase("RC-canary"))
        .await
        .expect("ok");
    assert_clean("purchase outcome", &format!("{out:?}"));
}

#[tokio::test]
async fn connection_failures_do_not_leak_the_balance_url() {
    // Connection refused: reqwest's error names the URL, which carries the password.
    let c = canary_client("http://127.0.0.1:9");
    for (what, res) in every_call(&c).await {
        let e = res.expect_err("unreachable");
        assert!(
            matches!(e, ProviderError::Unreachable { .. }),
            "{what}: {e:?}"
        );
        assert_clean_error(what, &e);
    }
    // A host that does not resolve (https: plain http to it is refused before DNS).
    let c = canary_client("https://estoresms.invalid");
    let e = c.balances().await.expect_err("dns");
    assert_clean_error("dns failure", &e);
}

#[tokio::test]
async fn a_balance_timeout_does_not_leak_the_url() {
    let server = answering(
        "/smsapi.php",
        ok_body("1").set_delay(Duration::from_secs(2)),
    )
    .await;
    let e = canary_client(&server.uri())
        .balances()
        .await
        .expect_err("timeout");
    assert!(matches!(e, ProviderError::Timeout { .. }));
    assert_clean_error("balance timeout", &e);
}

#[test]
fn the_client_debug_form_holds_no_secret() {
    let c = canary_client("http://127.0.0.1:9");
    let dbg = format!("{c:?}");
    assert_clean("client Debug", &dbg);
    assert!(dbg.contains("password_stored: true"), "{dbg}");
}

#[tokio::test]
async fn parser_errors_quoting_an_echoed_secret_are_scrubbed() {
    // serde quotes the offending value ("invalid type: string \"...\", expected a sequence").
    let body = format!(
        r#"{{"failed":0,"result":[{{"response":"OK","ref":"RC-canary","pins":"{CANARY_TOKEN}"}}]}}"#
    );
    let server = answering("/data_processing/v/2", ok_body(&body)).await;
    let e = canary_client(&server.uri())
        .submit(&data_purchase("RC-canary"))
        .await
        .expect_err("bad pins");
    assert!(matches!(e, ProviderError::BadResponse { .. }), "{e:?}");
    assert_clean_error("purchase parser error", &e);

    let body = format!(r#"{{"response":"OK","info":"{CANARY_PASSWORD}","products":[]}}"#);
    let server = answering("/network_list/v/2", ok_body(&body)).await;
    let q = CatalogueQuery {
        phone: Some("+2348031234567".into()),
        category: Some(AIRTIME.into()),
        ..CatalogueQuery::default()
    };
    let e = canary_client(&server.uri())
        .catalogue(&q)
        .await
        .expect_err("bad info");
    assert_clean_error("list parser error", &e);

    let body =
        format!(r#"[{{"transaction_id":"api_1","ref":"RC-canary","status":"{CANARY_TOKEN}"}}]"#);
    let server = answering("/api_query", ok_body(&body)).await;
    let look = StatusLookup {
        reference: "RC-canary".into(),
        nonce: "n".into(),
        provider_reference: None,
    };
    let e = canary_client(&server.uri())
        .status(&look)
        .await
        .expect_err("unknown status");
    assert_clean_error("unknown status", &e);
}

/// Redirects every request to another host, echoing the path and query (the password with
/// it) in the Location, as a misconfigured proxy would.
struct RedirectEcho;

impl Respond for RedirectEcho {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let target = format!(
            "https://elsewhere.example{}?{}",
            req.url.path(),
            req.url.query().unwrap_or_default()
        );
        ResponseTemplate::new(302)
            .insert_header("Location", target.as_str())
            .set_body_string(format!("moved to {target}"))
    }
}

#[tokio::test]
async fn a_redirect_echoing_the_balance_url_does_not_leak_it() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(RedirectEcho)
        .mount(&server)
        .await;
    let c = canary_client(&server.uri());
    for (what, res) in every_call(&c).await {
        let e = res.expect_err("a redirect is not an answer");
        assert!(
            matches!(e, ProviderError::BadResponse { .. }),
            "{what}: {e:?}"
        );
        assert!(e.to_string().contains("https://elsewhere.example"), "{e}");
        assert_clean_error(what, &e);
    }
    let seen = server.received_requests().await.expect("recording");
    assert!(seen
        .iter()
        .any(|r| r.url.query().is_some_and(|q| q.contains("CANARY+p%40ss"))));
}

#[tokio::test]
async fn an_oversized_answer_does_not_leak_the_balance_url() {
    let server = echo_server(200).await;
    Mock::given(method("GET"))
        .and(path("/smsapi.php"))
        .respond_with(ok_body(&format!("{CANARY_PASSWORD} {}", "9".repeat(4096))))
        .with_priority(1)
        .mount(&server)
        .await;
    let small = ProviderContext {
        http: HttpPolicy {
            max_body_bytes: 1024,
            ..fast_policy()
        },
        ..ctx()
    };
    let c = EstoreSmsClient::new(
        config_with(&server.uri(), CANARY_TOKEN, Some(CANARY_PASSWORD)),
        &small,
    )
    .expect("client");
    let e = c.balances().await.expect_err("too large");
    assert!(matches!(e, ProviderError::BadResponse { .. }), "{e:?}");
    assert!(e.to_string().contains("larger than 1 KiB"), "{e}");
    assert_clean_error("oversized balance", &e);
}

#[tokio::test]
async fn a_plain_http_base_to_another_host_sends_nothing_and_leaks_nothing() {
    let c = canary_client("http://estoresms.example");
    for (what, res) in every_call(&c).await {
        let e = res.expect_err("refused");
        assert!(
            matches!(
                e,
                ProviderError::Unreachable {
                    stage: crate::providers::SendStage::NotSent,
                    ..
                }
            ),
            "{what}: {e:?}"
        );
        assert!(e.to_string().contains("use https://"), "{what}: {e}");
        assert_clean_error(what, &e);
    }
}
