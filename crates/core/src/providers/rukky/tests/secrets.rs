//! Canary secrets: RukkyStore answers that echo the key, PIN and webhook secret back (and
//! transport failures) must not carry them into any error or returned value.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

const CANARY_KEY: &str = "CANARY-KEY-7f3a9e";
const CANARY_PIN: &str = "8642";
const CANARY_HOOK: &str = "CANARY-HOOK-51be";

fn canary_client(base_url: &str) -> RukkyClient {
    let cfg = config(
        base_url,
        &[
            ("api_key", CANARY_KEY),
            ("pin", CANARY_PIN),
            ("webhook_secret", CANARY_HOOK),
        ],
    );
    RukkyClient::new(cfg, &ctx()).expect("client")
}

fn assert_clean(what: &str, text: &str) {
    for canary in [CANARY_KEY, CANARY_PIN, CANARY_HOOK, "CANARY"] {
        assert!(!text.contains(canary), "{what} leaks {canary}: {text}");
    }
}

fn check<T: std::fmt::Debug>(what: &str, r: &Result<T, ProviderError>) {
    match r {
        Ok(v) => assert_clean(what, &format!("{v:?}")),
        Err(e) => {
            assert_clean(what, &e.to_string());
            assert_clean(what, &format!("{e:?}"));
        }
    }
}

/// Bodies that repeat what was sent, in the shapes RukkyStore uses. Canaries sit in free
/// text, which is scrubbed; identifiers (trx, order and plan ids) are kept verbatim on
/// purpose (see outcome.rs), so none is planted there.
fn echoes() -> Vec<ResponseTemplate> {
    let k = CANARY_KEY;
    let p = CANARY_PIN;
    let h = CANARY_HOOK;
    let form = format!("action=vtu_data&key={k}&pin={p}&secret={h}");
    vec![
        json(403, &format!(r#"{{"error":"Invalid api key {k}"}}"#)),
        json(403, &format!(r#"{{"error":"Incorrect PIN {p}"}}"#)),
        json(
            403,
            &format!(
                r#"{{"error":"API key is restricted to whitelisted domains","detected_domain":"{k}.example"}}"#
            ),
        ),
        json(
            422,
            &format!(r#"{{"errors":{{"pin":["{p} is not your PIN"],"key":["{k}"]}}}}"#),
        ),
        json(
            400,
            &format!(r#"{{"error":"Insufficient balance for {k}","errors":{{"x":["{h}"]}}}}"#),
        ),
        json(400, &format!(r#"{{"error":"Something odd: {form}"}}"#)),
        json(
            400,
            &format!(r#"{{"status":"failed","trx":"T-1","message":"echo {form}"}}"#),
        ),
        json(500, &format!(r#"{{"error":"crash","request":"{form}"}}"#)),
        ResponseTemplate::new(502).set_body_string(format!("<html>{form}</html>")),
        json(
            200,
            &format!(
                r#"{{"status":"success","trx":"T1","message":"done for {k} with {p}","provider_ref":"{h}"}}"#
            ),
        ),
        json(200, &format!(r#"{{"status":"{k}","trx":"T1"}}"#)),
        json(
            200,
            &format!(r#"{{"status":"success","trx":"T1","currency":"{k}","amount":"{p}x"}}"#),
        ),
        json(
            200,
            &format!(
                r#"[{{"plan_id":"7","name":"{k}","price":"1","category":"{h}","type":"{p}"}}]"#
            ),
        ),
        json(200, &format!(r#""{k}""#)),
        json(
            200,
            &format!(r#"{{"status":"success","customer_name":"{k}","message":"{h}"}}"#),
        ),
        json(200, &format!(r#"{{"status":"{p}-bad"}}"#)),
        json(
            404,
            &format!(r#"{{"status":"failed","message":"{k} not found"}}"#),
        ),
    ]
}

#[tokio::test]
async fn canaries_never_leave_through_errors_or_values() {
    for (i, answer) in echoes().into_iter().enumerate() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v1"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let c = canary_client(&base(&server));
        let mut cable = purchase("cable:dstv:1", "70", "100");
        cable.phone = Some("08031234567".into());
        let what = |call: &str| format!("answer {i}, {call}");
        check(
            &what("airtime"),
            &c.submit(&purchase("airtime:mtn", "08031234567", "100"))
                .await,
        );
        check(&what("cable"), &c.submit(&cable).await);
        check(
            &what("smm add"),
            &c.submit(&purchase("smm:1", "https://x.test", "10")).await,
        );
        check(&what("vtu status"), &c.status(&lookup(Some("T1"))).await);
        check(&what("smm status"), &c.status(&lookup(Some("smm:1"))).await);
        check(&what("balance"), &c.balances().await);
        check(&what("plans"), &c.data_plans("mtn-data").await);
        check(&what("services"), &c.smm_services().await);
        check(
            &what("catalogue"),
            &c.catalogue(&CatalogueQuery::default()).await,
        );
        let v = ValidateRequest {
            product_id: "cable:dstv".into(),
            account_number: "70".into(),
            service_type: None,
        };
        check(&what("verify"), &c.validate_account(&v).await);
    }
}

#[tokio::test]
async fn transport_failures_and_the_client_itself_carry_no_secret() {
    let c = canary_client("http://127.0.0.1:9/api/v1");
    check(
        "refused",
        &c.submit(&purchase("airtime:mtn", "08031234567", "100"))
            .await,
    );
    check("refused status", &c.status(&lookup(Some("T1"))).await);
    assert_clean("client debug", &format!("{c:?}"));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(200, "{}").set_delay(std::time::Duration::from_secs(3)))
        .mount(&server)
        .await;
    let c = canary_client(&base(&server));
    check(
        "timeout",
        &c.submit(&purchase("airtime:mtn", "08031234567", "100"))
            .await,
    );
    // The PIN travels in the purchase body and the key in its header, nowhere else.
    let sent = requests(&server).await;
    assert_eq!(field(&sent[0], "pin").as_deref(), Some(CANARY_PIN));
    assert!(!sent[0].url.as_str().contains("CANARY"), "never in the URL");
}

#[test]
fn webhook_errors_carry_no_secret() {
    let secret = Secret::new(CANARY_HOOK);
    for sig in ["", "zz", "00", CANARY_HOOK] {
        let err = verify_webhook(CANARY_HOOK.as_bytes(), sig, &secret).expect_err(sig);
        assert_clean("webhook", &format!("{err} {err:?}"));
    }
}
