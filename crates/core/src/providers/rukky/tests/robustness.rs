//! Every call against every bad answer (HTML, cut-off JSON, empty, 429, 5xx, slow) gives a
//! typed error, purchases go out exactly once, safe calls are retried, and the parsers
//! survive arbitrary input.

use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;
use tokio::task::JoinSet;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::providers::http::HttpResponse;

/// Every call the adapter makes, one per action.
#[derive(Debug, Clone, Copy)]
enum Call {
    Balance,
    Services,
    DataPlans,
    SmePlans,
    CablePlans,
    Discos,
    CableVerify,
    ElectricityVerify,
    Airtime,
    Data,
    Sme,
    Cable,
    Electricity,
    Education,
    RechargeCard,
    SmmAdd,
    VtuStatus,
    SmmStatus,
}

const CALLS: [Call; 18] = [
    Call::Balance,
    Call::Services,
    Call::DataPlans,
    Call::SmePlans,
    Call::CablePlans,
    Call::Discos,
    Call::CableVerify,
    Call::ElectricityVerify,
    Call::Airtime,
    Call::Data,
    Call::Sme,
    Call::Cable,
    Call::Electricity,
    Call::Education,
    Call::RechargeCard,
    Call::SmmAdd,
    Call::VtuStatus,
    Call::SmmStatus,
];

impl Call {
    fn is_purchase(self) -> bool {
        matches!(
            self,
            Call::Airtime
                | Call::Data
                | Call::Sme
                | Call::Cable
                | Call::Electricity
                | Call::Education
                | Call::RechargeCard
                | Call::SmmAdd
        )
    }

    /// Runs the call; its value is only checked to be printable.
    async fn run(self, c: &RukkyClient) -> Result<String, ProviderError> {
        let with_phone = |mut r: PurchaseRequest| {
            r.phone = Some("08031234567".into());
            r
        };
        let verify = |p: &str, n: &str| ValidateRequest {
            product_id: p.into(),
            account_number: n.into(),
            service_type: None,
        };
        Ok(match self {
            Call::Balance => format!("{:?}", c.balances().await?),
            Call::Services => format!("{:?}", c.smm_services().await?),
            Call::DataPlans => format!("{:?}", c.data_plans("mtn-data").await?),
            Call::SmePlans => format!("{:?}", c.sme_plans("mtn").await?),
            Call::CablePlans => format!("{:?}", c.cable_plans("dstv").await?),
            Call::Discos => format!("{:?}", c.electricity_discos().await?),
            Call::CableVerify => format!(
                "{:?}",
                c.validate_account(&verify("cable:dstv", "70")).await?
            ),
            Call::ElectricityVerify => {
                format!(
                    "{:?}",
                    c.validate_account(&verify("electricity:ikeja:prepaid", "45"))
                        .await?
                )
            }
            Call::Airtime => format!(
                "{:?}",
                c.submit(&purchase("airtime:mtn", "08031234567", "100"))
                    .await?
            ),
            Call::Data => format!(
                "{:?}",
                c.submit(&purchase("data:1", "08031234567", "300")).await?
            ),
            Call::Sme => format!(
                "{:?}",
                c.submit(&purchase("sme:1", "08031234567", "300")).await?
            ),
            Call::Cable => format!(
                "{:?}",
                c.submit(&with_phone(purchase("cable:dstv:1", "70", "3950")))
                    .await?
            ),
            Call::Electricity => {
                let r = with_phone(purchase("electricity:ikeja:prepaid", "45", "1000"));
                format!("{:?}", c.submit(&r).await?)
            }
            Call::Education => format!(
                "{:?}",
                c.submit(&purchase("education:waec", "0803", "3500"))
                    .await?
            ),
            Call::RechargeCard => format!(
                "{:?}",
                c.submit(&purchase("recharge_card:mtn", "0803", "100"))
                    .await?
            ),
            Call::SmmAdd => format!(
                "{:?}",
                c.submit(&purchase("smm:1", "https://x.test", "100"))
                    .await?
            ),
            Call::VtuStatus => format!("{:?}", c.status(&lookup(Some("T1"))).await?),
            Call::SmmStatus => format!("{:?}", c.status(&lookup(Some("smm:9"))).await?),
        })
    }
}

/// A bad answer and the error it must become.
#[derive(Debug, Clone, Copy)]
enum Bad {
    Html200,
    Truncated,
    Empty,
    NotAnObject,
    Html502,
    Json503,
    RateLimited,
    Slow,
}

impl Bad {
    fn template(self) -> ResponseTemplate {
        match self {
            Bad::Html200 => ResponseTemplate::new(200).set_body_raw(
                b"<!DOCTYPE html><html><body>Maintenance</body></html>".to_vec(),
                "text/html",
            ),
            Bad::Truncated => json(200, r#"{"status":"success","trx":"T1","amount":"12"#),
            Bad::Empty => ResponseTemplate::new(200),
            Bad::NotAnObject => json(200, "42"),
            Bad::Html502 => ResponseTemplate::new(502).set_body_raw(
                b"<html><h1>502 Bad Gateway</h1></html>".to_vec(),
                "text/html",
            ),
            Bad::Json503 => json(503, r#"{"error":"Service temporarily unavailable"}"#),
            Bad::RateLimited => json(429, r#"{"error":"Rate limit exceeded","reset_in":60}"#),
            Bad::Slow => {
                json(200, r#"{"status":"success","trx":"T1"}"#).set_delay(Duration::from_secs(3))
            }
        }
    }

    fn check(self, call: Call, err: &ProviderError) {
        let ok = match self {
            Bad::Html200 | Bad::Truncated | Bad::Empty | Bad::NotAnObject => {
                matches!(err, ProviderError::BadResponse { .. })
            }
            Bad::Html502 | Bad::Json503 => matches!(err, ProviderError::Server { .. }),
            Bad::RateLimited => matches!(
                err,
                ProviderError::RateLimited {
                    retry_after_secs: Some(60),
                    ..
                }
            ),
            Bad::Slow => matches!(err, ProviderError::Timeout { .. }),
        };
        assert!(ok, "{call:?} / {self:?}: got {err:?}");
        if call.is_purchase() {
            let unknown = !matches!(self, Bad::RateLimited);
            assert_eq!(err.outcome_unknown(), unknown, "{call:?} / {self:?}");
        }
    }

    /// Requests the mock should see: purchases once; safe calls retried on 5xx and
    /// timeouts (two attempts in the test policy), not on 429 longer than the wait limit.
    fn expected_requests(self, call: Call) -> usize {
        match self {
            _ if call.is_purchase() => 1,
            Bad::Html502 | Bad::Json503 | Bad::Slow => 2,
            _ => 1,
        }
    }
}

async fn one(call: Call, bad: Bad) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(bad.template())
        .mount(&server)
        .await;
    let c = client(&server);
    let err = call
        .run(&c)
        .await
        .expect_err(&format!("{call:?} / {bad:?}"));
    bad.check(call, &err);
    // Some servers see the slow request only after the client gave up; give it a moment.
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        requests(&server).await.len(),
        bad.expected_requests(call),
        "{call:?} / {bad:?}"
    );
}

async fn every_call_against(bad: Bad) {
    let mut set = JoinSet::new();
    for call in CALLS {
        set.spawn(one(call, bad));
    }
    while let Some(r) = set.join_next().await {
        if let Err(e) = r {
            std::panic::resume_unwind(e.into_panic());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_pages_are_bad_responses() {
    every_call_against(Bad::Html200).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_json_is_a_bad_response() {
    every_call_against(Bad::Truncated).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_bodies_are_bad_responses() {
    every_call_against(Bad::Empty).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_that_is_not_an_object_is_a_bad_response() {
    every_call_against(Bad::NotAnObject).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_typed_and_retried_only_when_safe() {
    every_call_against(Bad::Html502).await;
    every_call_against(Bad::Json503).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_longer_than_the_wait_limit_are_reported() {
    every_call_against(Bad::RateLimited).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_answers_time_out() {
    every_call_against(Bad::Slow).await;
}

#[tokio::test]
async fn a_purchase_answered_500_was_sent_exactly_once_and_is_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(json(500, r#"{"error":"Insufficient balance"}"#))
        .mount(&server)
        .await;
    let err = client(&server)
        .submit(&purchase("data:1", "08031234567", "300"))
        .await
        .expect_err("500");
    // Even with a refusal-looking body, a 500 may have come after the charge.
    assert!(
        matches!(err, ProviderError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_purchase_that_times_out_was_sent_exactly_once_and_is_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1"))
        .respond_with(
            json(200, r#"{"status":"success","trx":"T1"}"#).set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .submit(&purchase("airtime:mtn", "08031234567", "100"))
        .await
        .expect_err("timeout");
    assert!(matches!(err, ProviderError::Timeout { .. }), "{err:?}");
    assert!(err.outcome_unknown());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_unreachable_server_before_sending_is_a_definite_not_sent() {
    // Port 9 (discard) on localhost is closed on test machines: connection refused.
    let c = RukkyClient::new(
        config(
            "http://127.0.0.1:9/api/v1",
            &[("api_key", KEY), ("pin", PIN)],
        ),
        &ctx(),
    )
    .expect("client");
    let err = c
        .submit(&purchase("airtime:mtn", "08031234567", "100"))
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            ProviderError::Unreachable {
                stage: SendStage::NotSent,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn status_catalogue_and_balance_are_retried_after_a_5xx() {
    for call in [
        Call::VtuStatus,
        Call::SmmStatus,
        Call::DataPlans,
        Call::Balance,
        Call::CableVerify,
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v1"))
            .respond_with(json(500, r#"{"error":"Internal Server Error"}"#))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        let good = match call {
            Call::VtuStatus => r#"{"status":"success","trx":"T1"}"#,
            Call::SmmStatus => r#"{"status":"completed","charge":"1"}"#,
            Call::DataPlans => r#"[{"plan_id":1,"name":"1GB","price":"300"}]"#,
            Call::Balance => r#"{"balance":"10","currency":"NGN"}"#,
            _ => r#"{"status":"success","customer_name":"ADA"}"#,
        };
        Mock::given(method("POST"))
            .and(path("/api/v1"))
            .respond_with(json(200, good))
            .mount(&server)
            .await;
        call.run(&client(&server))
            .await
            .unwrap_or_else(|e| panic!("{call:?}: {e}"));
        assert_eq!(
            requests(&server).await.len(),
            2 + usize::from(matches!(call, Call::CableVerify)),
            "{call:?}"
        );
    }
}

#[test]
fn a_bad_base_url_is_refused_at_setup() {
    let err =
        RukkyClient::new(config("not a url", &[("api_key", KEY)]), &ctx()).expect_err("bad url");
    assert!(matches!(
        err,
        ProviderError::Unreachable {
            stage: SendStage::NotSent,
            ..
        }
    ));
    let err = RukkyClient::new(config("", &[]), &ctx()).expect_err("no key");
    assert!(
        matches!(err, ProviderError::MissingCredential { ref field, .. } if field == "api_key")
    );
}

fn http() -> &'static HttpClient {
    static HTTP: OnceLock<HttpClient> = OnceLock::new();
    HTTP.get_or_init(|| {
        HttpClient::new(KIND, policy(), vec![Secret::new("canary-secret")]).expect("http")
    })
}

/// Every reader, fed one answer: none may panic, whatever the body.
fn feed(status: u16, body: &str) {
    let http = http();
    let resp = HttpResponse {
        status,
        body: body.to_owned(),
        retry_after: None,
    };
    let Ok(json) = crate::providers::rukky::errors::read(http, &resp) else {
        return;
    };
    let _ = outcome::vtu(http, &json, UnknownStatus::KeepPending);
    let _ = outcome::vtu(http, &json, UnknownStatus::Refuse);
    let _ = outcome::smm_order(http, &json);
    let _ = outcome::smm_status(http, &json);
    let _ = outcome::balance(http, &json);
    let _ = verify::account(http, &json);
    for list in [
        crate::providers::rukky::catalogue::PlanList::Data,
        crate::providers::rukky::catalogue::PlanList::Sme,
        crate::providers::rukky::catalogue::PlanList::Cable,
    ] {
        let _ = crate::providers::rukky::catalogue::plans(http, list, "mtn", &json);
    }
    let _ = crate::providers::rukky::catalogue::discos(http, &json);
    let _ = crate::providers::rukky::catalogue::smm_services(http, &json);
}

/// JSON text built from the keys the readers look for, so the generator reaches them.
fn arb_json() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "status",
            "trx",
            "amount",
            "balance",
            "currency",
            "message",
            "cards",
            "pin",
            "serial",
            "error",
            "errors",
            "order",
            "charge",
            "remains",
            "data",
            "plans",
            "plan_id",
            "price",
            "name",
            "service",
            "min",
            "max",
            "rate",
            "customer_name",
            "vtu",
            "event",
            "reset_in",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        "-?[0-9]{1,6}\\.[0-9]{1,12}",
        "-?[0-9]{1,3}e[+-]?[0-9]{1,4}",
        prop::sample::select(vec![
            "success",
            "failed",
            "pending",
            "processing",
            "2",
            "Partial",
            "",
            "1,0000"
        ])
        .prop_map(|s| format!("\"{s}\"")),
        "\\PC{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| {
                let fields: Vec<String> = kv
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap_or_default()))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    })
}

proptest! {
    #[test]
    fn readers_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256), status in prop::sample::select(vec![200u16, 400, 403, 422, 429, 500])) {
        feed(status, &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn readers_never_panic_on_arbitrary_json(body in arb_json(), status in prop::sample::select(vec![200u16, 400, 422])) {
        feed(status, &body);
        feed(status, &format!("{{\"status\":\"success\",\"trx\":\"T\",\"data\":{body},\"cards\":{body},\"amount\":{body}}}"));
    }

    #[test]
    fn webhook_reader_never_panics_on_signed_garbage(body in arb_json()) {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"k").expect("key");
        mac.update(body.as_bytes());
        let sig = hex::encode(mac.finalize().into_bytes());
        let _ = verify_webhook(body.as_bytes(), &sig, &Secret::new("k"));
    }
}
