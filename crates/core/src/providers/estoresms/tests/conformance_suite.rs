//! The shared conformance suite over a stateful fake eStoreSMS: it checks the hash of every
//! call, answers purchases per script, and flips pending orders when the suite settles them.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use serde_json::{json, Value};
use wiremock::{Request, Respond};

use super::*;
use crate::providers::conformance::{self, Harness, Script};

#[derive(Default)]
struct FakeState {
    scripts: HashMap<String, Script>,
    settled: bool,
}

#[derive(Clone, Default)]
struct FakeEstore(Arc<Mutex<FakeState>>);

impl FakeEstore {
    fn reply(v: Value) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_string(v.to_string())
    }

    fn record_status(&self, reference: &str) -> Option<&'static str> {
        let st = self.0.lock().ok()?;
        Some(match (st.scripts.get(reference)?, st.settled) {
            (Script::Succeed, _) | (Script::PendingThenSucceed, true) => "Approved",
            (Script::PendingThenSucceed | Script::PendingThenFail, false) => {
                "Awaiting Confirmation"
            }
            (Script::PendingThenFail, true) => "Cancelled",
            (Script::Fail, _) => "Failed",
        })
    }
}

impl Respond for FakeEstore {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        if req.url.path() == "/smsapi.php" {
            let ok = req.url.query() == Some("username=user123&password=pass123&balance=true&");
            return ResponseTemplate::new(200).set_body_string(if ok {
                "25000.75"
            } else {
                "Login failed"
            });
        }
        let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
            return Self::reply(json!({"response": "P000", "message": "Incomplete information"}));
        };
        let reference = body["ref"].as_str().unwrap_or_default().to_owned();
        let hash_ref = if req.url.path().ends_with("_processing/v/2") {
            reference.as_str()
        } else {
            ""
        };
        if body["hash"].as_str() != Some(expected_hash(hash_ref).as_str())
            || body["username"] != json!(USERNAME)
        {
            return Self::reply(json!({"response": "P001", "message": "Authentication Failed"}));
        }
        match req.url.path() {
            "/network_list/v/2" => {
                ResponseTemplate::new(200).set_body_string(fixture("airtime_list_response_2.json"))
            }
            "/data_list/v/2" => {
                ResponseTemplate::new(200).set_body_string(fixture("data_list_response_1.json"))
            }
            "/network_processing/v/2" | "/data_processing/v/2" => {
                let script = self
                    .0
                    .lock()
                    .ok()
                    .and_then(|s| s.scripts.get(&reference).copied());
                let phone = body["request"][0]["phone"].clone();
                let item = match script {
                    Some(Script::Succeed) => {
                        json!({"response": "OK", "ref": reference, "transaction_id": format!("api_{reference}"), "phone": phone, "amount": "1610.4", "amount_charged": "1546", "pins": []})
                    }
                    Some(Script::PendingThenSucceed | Script::PendingThenFail) => {
                        json!({"response": "PENDING", "ref": reference, "transaction_id": format!("api_{reference}"), "phone": phone, "amount": "1610.4", "amount_charged": "1546"})
                    }
                    Some(Script::Fail) => {
                        json!({"response": "P009", "message": "Operation Failed", "phone": phone})
                    }
                    None => {
                        json!({"response": "P012", "message": "Product does not exist", "phone": phone})
                    }
                };
                let failed = u32::from(
                    item["response"] != json!("OK") && item["response"] != json!("PENDING"),
                );
                Self::reply(json!({"failed": failed, "result": [item]}))
            }
            "/api_query" => {
                let wanted = match body["transaction_id"].as_str() {
                    Some(id) => id.strip_prefix("api_").unwrap_or_default().to_owned(),
                    None => reference,
                };
                match self.record_status(&wanted) {
                    Some(status) => Self::reply(json!([{
                        "transaction_id": format!("api_{wanted}"), "ref": wanted, "category": "airtime",
                        "network": "Everything Everywhere EE", "phone": "+447700900123", "status": status,
                        "date": "2026-11-23 09:00:00", "topup_currency": "GBP", "topup_amount": "5",
                        "price": "1610.4", "amount_charged": "1546"
                    }])),
                    None => Self::reply(json!({"response": "FAIL", "message": "No record found"})),
                }
            }
            _ => ResponseTemplate::new(404),
        }
    }
}

struct EstoreHarness {
    client: EstoreSmsClient,
    fake: FakeEstore,
    _server: MockServer,
}

#[async_trait]
impl Harness for EstoreHarness {
    fn provider(&self) -> &dyn Provider {
        &self.client
    }
    fn catalogue_query(&self) -> CatalogueQuery {
        CatalogueQuery {
            phone: Some("+447700900123".into()),
            country: Some("UK".into()),
            ..CatalogueQuery::default()
        }
    }
    async fn purchase(&self, script: Script, n: u32) -> PurchaseRequest {
        let reference = format!("RC-TEST-{n}");
        if let Ok(mut st) = self.fake.0.lock() {
            st.scripts.insert(reference.clone(), script);
        }
        purchase(
            &reference,
            "UKBL-1755-5.00",
            Some("airtime/fixed/UK"),
            "+447700900123",
            "5.00",
            "GBP",
        )
    }
    async fn settle(&self) {
        if let Ok(mut st) = self.fake.0.lock() {
            st.settled = true;
        }
    }
}

#[tokio::test]
async fn estoresms_passes_the_conformance_suite() {
    let server = MockServer::start().await;
    let fake = FakeEstore::default();
    Mock::given(wiremock::matchers::any())
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let h = EstoreHarness {
        client,
        fake,
        _server: server,
    };
    conformance::run(&h).await;
}

#[tokio::test]
async fn the_fake_refuses_a_wrong_token_so_the_hash_is_really_checked() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(FakeEstore::default())
        .mount(&server)
        .await;
    let wrong = EstoreSmsClient::new(
        config_with(&server.uri(), "not-the-token", Some(PASSWORD)),
        &ctx(),
    )
    .expect("client");
    let q = CatalogueQuery {
        phone: Some("+447700900123".into()),
        ..CatalogueQuery::default()
    };
    assert!(matches!(
        wrong.catalogue(&q).await,
        Err(ProviderError::Auth { .. })
    ));
}
