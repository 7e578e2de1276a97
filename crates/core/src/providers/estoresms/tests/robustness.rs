//! Every call against broken answers: HTML, truncated or empty bodies, unknown values,
//! missing and extra fields, 4xx, 429, 5xx and slow servers. Each gives a typed error.

use super::*;
use crate::providers::OutcomeStatus;

#[derive(Debug, Clone, Copy)]
enum Call {
    Catalogue,
    Submit,
    Status,
    Balance,
}

const CALLS: [Call; 4] = [Call::Catalogue, Call::Submit, Call::Status, Call::Balance];

impl Call {
    fn route(self) -> &'static str {
        match self {
            Call::Catalogue => "/network_list/v/2",
            Call::Submit => "/data_processing/v/2",
            Call::Status => "/api_query",
            Call::Balance => "/smsapi.php",
        }
    }
    async fn run(self, c: &EstoreSmsClient) -> Result<(), ProviderError> {
        match self {
            Call::Catalogue => {
                let q = CatalogueQuery {
                    phone: Some("+2348031234567".into()),
                    category: Some(AIRTIME.into()),
                    ..CatalogueQuery::default()
                };
                c.catalogue(&q).await.map(drop)
            }
            Call::Submit => c.submit(&data_purchase("RC-1")).await.map(drop),
            Call::Status => {
                let l = StatusLookup {
                    reference: "RC-1".into(),
                    nonce: "n".into(),
                    provider_reference: None,
                };
                c.status(&l).await.map(drop)
            }
            Call::Balance => c.balances().await.map(drop),
        }
    }
    fn attempts_on_failure(self) -> usize {
        match self {
            Call::Submit => 1,
            _ => fast_policy().max_attempts as usize,
        }
    }
}

async fn run_against(call: Call, template: ResponseTemplate) -> (Result<(), ProviderError>, usize) {
    let server = answering(call.route(), template).await;
    let res = call.run(&client_for(&server.uri())).await;
    let n = requests_to(&server, call.route()).await.len();
    (res, n)
}

#[tokio::test]
async fn unreadable_bodies_are_bad_responses_for_every_call() {
    let bodies = [
        (
            "html",
            "<!DOCTYPE html><html><body>Maintenance</body></html>",
        ),
        (
            "truncated",
            r#"{"failed":0,"result":[{"response":"OK","transac"#,
        ),
        ("empty", ""),
        ("whitespace", "  \n"),
        ("wrong json type", "\"OK\""),
    ];
    for call in CALLS {
        for (what, body) in bodies {
            let (res, _) = run_against(call, ok_body(body)).await;
            let e = res.expect_err(what);
            assert!(
                matches!(e, ProviderError::BadResponse { .. }),
                "{call:?} {what}: {e:?}"
            );
            if matches!(call, Call::Submit) {
                assert!(
                    e.outcome_unknown(),
                    "{what}: an unreadable purchase answer is unknown"
                );
            }
        }
    }
}

#[tokio::test]
async fn server_errors_are_typed_and_only_safe_calls_retry() {
    for call in CALLS {
        let (res, n) = run_against(
            call,
            ResponseTemplate::new(503).set_body_string("<h1>Service Unavailable</h1>"),
        )
        .await;
        let e = res.expect_err("503");
        assert!(
            matches!(e, ProviderError::Server { status: 503, .. }),
            "{call:?}: {e:?}"
        );
        assert_eq!(n, call.attempts_on_failure(), "{call:?}");
    }
}

#[tokio::test]
async fn slow_answers_time_out_for_every_call() {
    for call in CALLS {
        let slow = ok_body("2500").set_delay(Duration::from_millis(1500));
        let (res, n) = run_against(call, slow).await;
        let e = res.expect_err("slow");
        assert!(
            matches!(e, ProviderError::Timeout { .. }),
            "{call:?}: {e:?}"
        );
        assert!(e.outcome_unknown());
        assert_eq!(n, call.attempts_on_failure(), "{call:?}");
    }
}

#[tokio::test]
async fn rate_limits_are_typed_for_every_call() {
    for call in CALLS {
        let (res, _) = run_against(
            call,
            ResponseTemplate::new(429).insert_header("Retry-After", "120"),
        )
        .await;
        let e = res.expect_err("429");
        assert!(
            matches!(
                e,
                ProviderError::RateLimited {
                    retry_after_secs: Some(120),
                    ..
                }
            ),
            "{call:?}: {e:?}"
        );
        assert!(!e.outcome_unknown());
    }
}

#[tokio::test]
async fn a_short_rate_limit_is_waited_out_on_safe_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api_query"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api_query"))
        .respond_with(ok_body(&fixture("query_response_2.json")))
        .mount(&server)
        .await;
    let records = client_for(&server.uri())
        .query_transactions(&TransactionQuery::Reference("myRef".into()))
        .await
        .expect("after 429");
    assert_eq!(records.len(), 2);
}

#[tokio::test]
async fn client_errors_are_typed() {
    for call in CALLS {
        let (res, _) = run_against(call, ResponseTemplate::new(401)).await;
        assert!(
            matches!(res, Err(ProviderError::Auth { .. })),
            "{call:?} 401: {res:?}"
        );
        let (res, _) = run_against(
            call,
            ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"),
        )
        .await;
        let e = res.expect_err("404");
        assert!(
            matches!(e, ProviderError::Rejected { .. }) && !e.outcome_unknown(),
            "{call:?} 404: {e:?}"
        );
        let coded = ResponseTemplate::new(400)
            .set_body_string(r#"{"response":"P001","message":"Authentication Failed"}"#);
        let (res, _) = run_against(call, coded).await;
        assert!(
            matches!(res, Err(ProviderError::Auth { .. })),
            "{call:?} 400+P001: {res:?}"
        );
    }
}

#[tokio::test]
async fn top_level_codes_are_typed_for_every_call() {
    for call in CALLS {
        let (res, _) = run_against(
            call,
            ok_body(r#"{"response":"P002","message":"API not enabled for this account"}"#),
        )
        .await;
        let e = res.expect_err("P002");
        assert!(
            matches!(e, ProviderError::Auth { ref message, .. } if message.contains("enable")),
            "{call:?}: {e:?}"
        );
        let (res, _) = run_against(call, ok_body(r#"{"response":"P777","message":"New"}"#)).await;
        let e = res.expect_err("unknown code");
        assert!(
            matches!(e, ProviderError::BadResponse { .. }),
            "{call:?}: {e:?}"
        );
    }
}

async fn submit_with(body: &str) -> Result<PurchaseOutcome, ProviderError> {
    let server = answering("/data_processing/v/2", ok_body(body)).await;
    client_for(&server.uri())
        .submit(&data_purchase("myRef"))
        .await
}

#[tokio::test]
async fn purchase_answers_in_odd_shapes() {
    // Unknown item code: cannot tell what happened.
    let e = submit_with(r#"{"failed":0,"result":[{"response":"QUEUED","ref":"myRef"}]}"#)
        .await
        .expect_err("unknown");
    assert!(
        matches!(e, ProviderError::BadResponse { .. }) && e.outcome_unknown(),
        "{e:?}"
    );
    // Missing optional fields: only the code.
    let o = submit_with(r#"{"failed":0,"result":[{"response":"OK"}]}"#)
        .await
        .expect("ok");
    assert_eq!(
        (o.status, o.provider_reference, o.charged),
        (OutcomeStatus::Succeeded, None, None)
    );
    // Extra fields everywhere, numbers instead of strings, a string count.
    let o = submit_with(
        r#"{"failed":"0","version":2,"result":[{"response":"OK","ref":"myRef","transaction_id":12345,"amount_charged":96.50,"pins":[{"pin":7405,"serialNumber":"S1","extra":true}],"bonus":{"x":[1]}}],"meta":null}"#,
    )
    .await
    .expect("extra fields");
    assert_eq!(o.provider_reference.as_deref(), Some("12345"));
    assert_eq!(o.charged, Some(ngn("96.50")));
    assert_eq!(o.delivery.pins.len(), 1);
    assert_eq!(o.delivery.pins[0].pin, "7405");
    // P009 and FAIL per item are definite failures, not errors.
    for code in ["P009", "FAIL"] {
        let body = format!(
            r#"{{"failed":1,"result":[{{"response":"{code}","message":"Operation Failed","phone":"+234706xxxxxxx"}}]}}"#
        );
        let o = submit_with(&body).await.expect("failed outcome");
        assert_eq!(o.status, OutcomeStatus::Failed, "{code}");
    }
    // A whole-batch FAIL is a definite failure too.
    let o = submit_with(r#"{"response":"FAIL","message":"Not Successful"}"#)
        .await
        .expect("fail");
    assert_eq!(o.status, OutcomeStatus::Failed);
    // An OK envelope without results says nothing about the item.
    let e = submit_with(r#"{"response":"OK"}"#)
        .await
        .expect_err("no result");
    assert!(e.outcome_unknown(), "{e:?}");
    // `failed` counts the item but no result explains it: every item failed.
    let o = submit_with(r#"{"failed":1,"result":[]}"#)
        .await
        .expect("count only");
    assert_eq!(o.status, OutcomeStatus::Failed);
    let e = submit_with(r#"{"failed":0,"result":[]}"#)
        .await
        .expect_err("nothing");
    assert!(e.outcome_unknown());
    // The count contradicts an OK item: unknown, settled by a status query.
    let e = submit_with(
        r#"{"failed":1,"result":[{"response":"OK","ref":"myRef","transaction_id":"api_1"}]}"#,
    )
    .await
    .expect_err("contradiction");
    assert!(e.outcome_unknown(), "{e:?}");
    // A result for another reference does not answer for ours.
    let e = submit_with(
        r#"{"failed":0,"result":[{"response":"OK","ref":"otherRef","transaction_id":"api_1"}]}"#,
    )
    .await
    .expect_err("other ref");
    assert!(e.outcome_unknown(), "{e:?}");
    // An unreadable item.
    let e = submit_with(r#"{"failed":0,"result":[{"response":{"x":1}}]}"#)
        .await
        .expect_err("bad item");
    assert!(e.outcome_unknown(), "{e:?}");
}

#[tokio::test]
async fn batch_results_out_of_order_are_matched_by_phone() {
    let body = r#"{"failed":1,"result":[
        {"response":"P003","message":"Failed to validate phone number","phone":"+2348000000002"},
        {"response":"OK","ref":"b1","transaction_id":"api_a","phone":"+2348000000001"}]}"#;
    let server = answering("/network_processing/v/2", ok_body(body)).await;
    let items = vec![
        purchase(
            "b1",
            "NG-MTN-100",
            Some("airtime/fixed"),
            "+234 800 000 0001",
            "100",
            "NGN",
        ),
        purchase(
            "b1",
            "NG-MTN-100",
            Some("airtime/fixed"),
            "+2348000000002",
            "100",
            "NGN",
        ),
        purchase(
            "b1",
            "NG-MTN-100",
            Some("airtime/fixed"),
            "+2348000000003",
            "100",
            "NGN",
        ),
    ];
    let b = client_for(&server.uri())
        .submit_batch("b1", &items)
        .await
        .expect("batch");
    assert_eq!(b.failed, 1);
    assert_eq!(
        b.items[0]
            .outcome
            .as_ref()
            .map(|o| o.provider_reference.clone())
            .ok()
            .flatten()
            .as_deref(),
        Some("api_a")
    );
    assert!(
        matches!(&b.items[1].outcome, Err(ProviderError::Rejected { code: Some(c), .. }) if c == "P003")
    );
    // No result for the third number: unknown.
    assert!(b.items[2]
        .outcome
        .as_ref()
        .err()
        .is_some_and(ProviderError::outcome_unknown));
}

#[tokio::test]
async fn query_answers_in_odd_shapes() {
    let server = answering(
        "/api_query",
        ok_body(r#"[{"transaction_id":"api_1","ref":"RC-1","status":"Refunded"},{"transaction_id":"api_2","ref":"RC-2","status":"Awaiting Confirmation","extra":[1]}]"#),
    )
    .await;
    let c = client_for(&server.uri());
    let records = c
        .query_transactions(&TransactionQuery::Reference("RC-1".into()))
        .await
        .expect("records");
    assert_eq!(
        (records[0].status, records[0].provider_status.as_str()),
        (None, "Refunded")
    );
    assert_eq!(records[1].status, Some(OutcomeStatus::Pending));
    let look = |r: &str| StatusLookup {
        reference: r.into(),
        nonce: "n".into(),
        provider_reference: None,
    };
    let e = c.status(&look("RC-1")).await.expect_err("unknown status");
    assert!(matches!(e, ProviderError::BadResponse { .. }), "{e:?}");
    assert_eq!(
        c.status(&look("RC-2")).await.expect("pending").status,
        OutcomeStatus::Pending
    );
    assert!(matches!(
        c.status(&look("RC-3")).await,
        Err(ProviderError::NotFound { .. })
    ));
}

#[tokio::test]
async fn several_records_for_one_reference_report_the_one_that_moved_money() {
    let server = answering(
        "/api_query",
        ok_body(r#"[{"transaction_id":"api_1","ref":"R","status":"Failed","date":"2026-01-02 10:00:00"},
                   {"transaction_id":"api_2","ref":"R","status":"Approved","date":"2026-01-01 10:00:00","amount_charged":"96"},
                   {"transaction_id":"api_3","ref":"R","status":"Cancelled","date":"2026-01-03 10:00:00"}]"#),
    )
    .await;
    let c = client_for(&server.uri());
    let out = c
        .status(&StatusLookup {
            reference: "R".into(),
            nonce: "n".into(),
            provider_reference: None,
        })
        .await
        .expect("status");
    assert_eq!(
        (out.status, out.provider_reference.as_deref()),
        (OutcomeStatus::Succeeded, Some("api_2"))
    );
    assert_eq!(out.charged, Some(ngn("96")));
}

#[tokio::test]
async fn lists_skip_unreadable_products_and_refuse_unknown_flags() {
    let body = r#"{"response":"OK","info":{"openRange":false,"operator":"MTN"},"products":[
        {"id":"A","topup_currency":"NGN","topup_amount":100,"price":"98.5","new":1},
        {"id":"B","topup_currency":"NAIRA","topup_amount":100,"price":98},
        {"id":"C","topup_currency":"NGN"},
        {"topup_currency":"NGN","topup_amount":1,"price":1},
        "junk"]}"#;
    let server = answering("/network_list/v/2", ok_body(body)).await;
    let q = CatalogueQuery {
        phone: Some("+2348031234567".into()),
        category: Some(AIRTIME.into()),
        ..CatalogueQuery::default()
    };
    let products = client_for(&server.uri()).catalogue(&q).await.expect("list");
    assert_eq!(
        products.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        vec!["A"]
    );
    assert_eq!(products[0].cost, Some(ngn("98.5")));

    let server = answering(
        "/network_list/v/2",
        ok_body(r#"{"response":"OK","info":{"openRange":"sometimes"},"products":[]}"#),
    )
    .await;
    let e = client_for(&server.uri())
        .catalogue(&q)
        .await
        .expect_err("flag");
    assert!(matches!(e, ProviderError::BadResponse { .. }), "{e:?}");

    let server = answering(
        "/network_list/v/2",
        ok_body(r#"{"response":"P004","message":"Network not supported"}"#),
    )
    .await;
    let e = client_for(&server.uri())
        .catalogue(&q)
        .await
        .expect_err("P004");
    assert!(
        matches!(e, ProviderError::Rejected { code: Some(ref c), .. } if c == "P004"),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_list_without_the_open_range_flag_reads_the_product_fields() {
    let body = r#"{"response":"OK","products":[{"id":"X-OR","min":"50","max":"500","rate":"1.02","topup_currency":"NGN"}]}"#;
    let server = answering("/network_list/v/2", ok_body(body)).await;
    let q = CatalogueQuery {
        phone: Some("+2348031234567".into()),
        category: Some(AIRTIME.into()),
        ..CatalogueQuery::default()
    };
    let p = client_for(&server.uri()).catalogue(&q).await.expect("list");
    assert_eq!(
        p[0].denominations[0].kind,
        crate::providers::DenominationKind::Range
    );
    assert_eq!(p[0].cost, Some(ngn("51.00")));
    assert_eq!(p[0].provider_ref.as_deref(), Some("airtime/range"));
}
