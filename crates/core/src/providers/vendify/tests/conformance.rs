//! The shared conformance suite over a wiremock Vendify: each scripted purchase gets its own
//! order answer (matched by its X-Nonce) and status answer (matched by its transaction
//! reference); `settle` mounts the final status answers above the pending ones.

use std::sync::Mutex;

use async_trait::async_trait;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::providers::conformance::{self, Harness, Script};
use crate::providers::{CatalogueQuery, Provider};

struct VendifyHarness {
    server: MockServer,
    client: VendifyClient,
    /// Transaction references of pending orders and the status they end in.
    pending: Mutex<Vec<(String, &'static str)>>,
}

/// An order or status answer in the documented shape.
fn order_answer(status: &str, reference: &str, with_order_status: bool) -> String {
    let order_status = if with_order_status {
        format!(r#""orderStatus": "{status}","#)
    } else {
        String::new()
    };
    let voucher = if status == "SUCCESS" {
        "AIRT 2601 0500 0001"
    } else {
        ""
    };
    envelope_with(&format!(
        r#"{{"responseStatus": "{status}", {order_status} "responseMessage": "Order {status}",
            "transactionReference": "{reference}", "voucherCode": "{voucher}", "productId": 9418,
            "productCode": "MFIN5OR", "providerId": 123, "name": "MTN Airtime", "value": 500.0,
            "valueCurrencyCode": "NGN", "walletId": "NGN-456", "productCost": 500.0,
            "productCostCurrencyCode": "NGN", "productCostCurrencyId": 160, "sysComment": ""}}"#
    ))
}

async fn status_mock(server: &MockServer, reference: &str, status: &str, priority: u8) {
    Mock::given(method("GET"))
        .and(path("/api/v1/order/status"))
        .and(query_param("transactionReference", reference))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(order_answer(status, reference, true)),
        )
        .with_priority(priority)
        .mount(server)
        .await;
}

async fn harness() -> VendifyHarness {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/Product/Category/airtime"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("category_airtime_response.json")),
        )
        .mount(&server)
        .await;
    // The document has no balance sample; this is the shape the adapter assumes.
    Mock::given(method("GET"))
        .and(path("/api/v1/Report/AccountBalance"))
        .respond_with(ResponseTemplate::new(200).set_body_string(envelope_with(
            r#"[{"walletId": "NGN-143", "currency": "NGN", "balance": "1,250,000.50"},
                {"walletId": "GBP-104", "currency": "GBP", "balance": 850.25}]"#,
        )))
        .mount(&server)
        .await;
    let client = client(&server);
    VendifyHarness {
        server,
        client,
        pending: Mutex::new(Vec::new()),
    }
}

#[async_trait]
impl Harness for VendifyHarness {
    fn provider(&self) -> &dyn Provider {
        &self.client
    }
    fn catalogue_query(&self) -> CatalogueQuery {
        CatalogueQuery {
            category: Some("airtime".into()),
            country: Some("NGA".into()),
            ..CatalogueQuery::default()
        }
    }
    async fn purchase(&self, script: Script, n: u32) -> PurchaseRequest {
        let req = super::purchase(n);
        let reference = format!("26010510000{n}:S:MOCKSESSIONQWERTY");
        let (first, last) = match script {
            Script::Succeed => ("SUCCESS", "SUCCESS"),
            Script::Fail => ("FAILED", "FAILED"),
            Script::PendingThenSucceed => ("PENDING", "SUCCESS"),
            Script::PendingThenFail => ("PENDING", "FAILED"),
        };
        Mock::given(method("POST"))
            .and(path("/api/v1/orders"))
            .and(header("X-Nonce", req.nonce.as_str()))
            .respond_with(
                ResponseTemplate::new(200).set_body_string(order_answer(first, &reference, false)),
            )
            .expect(1)
            .mount(&self.server)
            .await;
        status_mock(&self.server, &reference, first, 5).await;
        if first != last {
            self.pending.lock().expect("lock").push((reference, last));
        }
        req
    }
    async fn settle(&self) {
        let pending = std::mem::take(&mut *self.pending.lock().expect("lock"));
        for (reference, last) in pending {
            status_mock(&self.server, &reference, last, 1).await;
        }
    }
}

#[tokio::test]
async fn vendify_passes_the_conformance_suite() {
    let h = harness().await;
    conformance::run(&h).await;
    // Every scripted order was sent exactly once (the mocks' `expect(1)`).
    h.server.verify().await;
}

#[tokio::test]
async fn a_pending_order_is_found_by_its_nonce_before_vendify_gives_a_reference() {
    let h = harness().await;
    let req = super::purchase(9);
    Mock::given(method("GET"))
        .and(path("/api/v1/order/status"))
        .and(query_param("x-nonce", req.nonce.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(order_answer("PENDING", "REF-9", true)),
        )
        .mount(&h.server)
        .await;
    let lookup = crate::providers::StatusLookup {
        reference: req.reference.clone(),
        nonce: req.nonce.clone(),
        provider_reference: None,
    };
    let out = h.client.status(&lookup).await.expect("status by nonce");
    assert_eq!(out.status, crate::providers::OutcomeStatus::Pending);
    assert_eq!(out.provider_reference.as_deref(), Some("REF-9"));
}
