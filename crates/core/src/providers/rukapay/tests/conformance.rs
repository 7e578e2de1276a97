//! The shared conformance suite over a wiremock RukaPay: each scripted purchase gets its own
//! transfer answer and a status answer that flips to the final state on `settle`.

use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, Respond};

use super::*;
use crate::providers::conformance::{self, Harness, Script};
use crate::providers::Provider;

/// Answers `before` until the harness settles, then `after`.
struct Settling {
    before: ResponseTemplate,
    after: ResponseTemplate,
    settled: Arc<AtomicBool>,
}

impl Respond for Settling {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.settled.load(Ordering::SeqCst) {
            self.after.clone()
        } else {
            self.before.clone()
        }
    }
}

struct RukaPayHarness {
    server: MockServer,
    client: RukaPayClient,
    settled: Arc<AtomicBool>,
}

#[async_trait]
impl Harness for RukaPayHarness {
    fn provider(&self) -> &dyn Provider {
        &self.client
    }

    async fn purchase(&self, script: Script, n: u32) -> PurchaseRequest {
        let reference = format!("RC-CONF-{n}");
        let (first, last) = match script {
            Script::Succeed => ("SUCCESS", "SUCCESS"),
            Script::PendingThenSucceed => ("PENDING", "SUCCESS"),
            // PROCESSING is pending too; use it so both pending words are exercised.
            Script::PendingThenFail => ("PROCESSING", "FAILED"),
            Script::Fail => ("FAILED", "FAILED"),
        };
        Mock::given(method("POST"))
            .and(path(TRANSFER))
            .and(body_partial_json(json!({ "partnerReference": reference })))
            .respond_with(json_answer(
                200,
                &transfer_answer(first, &format!("cm-{reference}")),
            ))
            .expect(1)
            .mount(&self.server)
            .await;
        Mock::given(method("GET"))
            .and(path(status_path(&reference)))
            .respond_with(Settling {
                before: json_answer(200, &status_answer(&reference, first, 5000)),
                after: json_answer(200, &status_answer(&reference, last, 5000)),
                settled: self.settled.clone(),
            })
            .mount(&self.server)
            .await;
        order("mno-send:MTN", "+256700000001", "5000", &reference)
    }

    async fn settle(&self) {
        self.settled.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn rukapay_passes_the_conformance_suite() {
    let server = MockServer::start().await;
    let client = client(&server);
    let h = RukaPayHarness {
        server,
        client,
        settled: Arc::new(AtomicBool::new(false)),
    };
    // No catalogue call: the suite checks the adapter's fixed service list instead.
    assert!(h.has_catalogue());
    conformance::run(&h).await;
}
