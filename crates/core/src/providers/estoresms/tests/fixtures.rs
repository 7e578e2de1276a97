//! Every sample response of the document, served verbatim from its fixture file, mapped to
//! the shared types with exact values.

use super::*;
use crate::providers::{DenominationKind, OutcomeStatus, PinCode};

fn query(phone: &str, category: &str, country: Option<&str>) -> CatalogueQuery {
    CatalogueQuery {
        phone: Some(phone.into()),
        category: Some(category.into()),
        country: country.map(str::to_owned),
        ..CatalogueQuery::default()
    }
}

#[tokio::test]
async fn airtime_list_open_range_sample() {
    let server = answering(
        "/network_list/v/2",
        ok_body(&fixture("airtime_list_response_1.json")),
    )
    .await;
    let c = client_for(&server.uri());
    let products = c
        .catalogue(&query("+1410xxxxxxxx", AIRTIME, Some("US")))
        .await
        .expect("list");
    assert_eq!(products.len(), 1);
    let p = &products[0];
    assert_eq!(p.id, "US-50-OR");
    assert_eq!(p.category_code, "airtime");
    assert_eq!(p.operator.as_deref(), Some("MTS"));
    assert_eq!(p.denominations.len(), 1);
    let den = &p.denominations[0];
    assert_eq!(
        (den.kind, den.min, den.max, den.currency.code()),
        (DenominationKind::Range, d("20"), d("1500"), "USD")
    );
    // Rate is Naira per unit; the quoted cost is for the minimum: 20 * 100.
    assert_eq!(p.fx_rate, Some(d("100")));
    assert_eq!(
        p.face_value,
        Some(Money::parse("20", "USD").expect("money"))
    );
    assert_eq!(p.cost, Some(ngn("2000")));
    assert_eq!(p.provider_ref.as_deref(), Some("airtime/range/US"));
    assert_eq!(
        p.description.as_deref(),
        Some("United States, number 1410xxxxxxx")
    );
    assert!(p.active && !p.requires_validation && !p.name.is_empty());
}

#[tokio::test]
async fn airtime_list_fixed_sample() {
    let server = answering(
        "/network_list/v/2",
        ok_body(&fixture("airtime_list_response_2.json")),
    )
    .await;
    let c = client_for(&server.uri());
    let products = c
        .catalogue(&query("+4477xxxxxxxx", AIRTIME, Some("UK")))
        .await
        .expect("list");
    let got: Vec<(&str, Decimal, Option<Money>)> = products
        .iter()
        .map(|p| (p.id.as_str(), p.denominations[0].min, p.cost.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("UKBL-1755-5.00", d("5.00"), Some(ngn("1610.4"))),
            ("UKBL-1755-10.00", d("10.00"), Some(ngn("3217.5"))),
            ("UKBL-1755-15.00", d("15.00"), Some(ngn("4827.9"))),
        ]
    );
    for p in &products {
        let den = &p.denominations[0];
        assert_eq!(
            (den.kind, den.min == den.max, den.currency.code()),
            (DenominationKind::Fixed, true, "GBP")
        );
        assert_eq!(p.operator.as_deref(), Some("Everything Everywhere EE"));
        assert_eq!(p.provider_ref.as_deref(), Some("airtime/fixed/UK"));
        assert_eq!(p.fx_rate, None);
    }
    assert_eq!(
        products[0].face_value,
        Some(Money::parse("5.00", "GBP").expect("money"))
    );
}

#[tokio::test]
async fn data_list_sample() {
    let server = answering(
        "/data_list/v/2",
        ok_body(&fixture("data_list_response_1.json")),
    )
    .await;
    let c = client_for(&server.uri());
    let products = c
        .catalogue(&query("+234706xxxxxxx", DATA, None))
        .await
        .expect("list");
    let got: Vec<(&str, &str, Option<&str>, Option<Money>)> = products
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.name.as_str(),
                p.validity.as_deref(),
                p.cost.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "D-MFIN-5-50MB",
                "MTN 50MB data, 1 day",
                Some("1 day"),
                Some(ngn("100"))
            ),
            (
                "D-MFIN-5-150MB",
                "MTN 150MB data, 7 days",
                Some("7 days"),
                Some(ngn("200"))
            ),
            (
                "D-MFIN-5-750MB",
                "MTN 750MB data, 30 days",
                Some("30 days"),
                Some(ngn("500"))
            ),
        ]
    );
    for p in &products {
        assert_eq!(p.category_code, "data-bundle");
        assert_eq!(p.provider_ref.as_deref(), Some("data/fixed"));
        assert_eq!(p.denominations[0].currency.code(), "NGN");
    }
    assert_eq!(products[2].face_value, Some(ngn("500")));
}

/// The two items of the airtime sample request, with the sample's phones.
fn airtime_items() -> Vec<PurchaseRequest> {
    vec![
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
    ]
}

async fn airtime_batch(fixture_name: &str) -> Result<BatchResult, ProviderError> {
    let server = answering("/network_processing/v/2", ok_body(&fixture(fixture_name))).await;
    client_for(&server.uri())
        .submit_batch("myRef", &airtime_items())
        .await
}

#[tokio::test]
async fn airtime_purchase_ok_sample_with_pins() {
    let b = airtime_batch("airtime_purchase_response_1.json")
        .await
        .expect("batch");
    assert_eq!(b.failed, 0);
    let first = b.items[0].outcome.as_ref().expect("first ok");
    assert_eq!(first.status, OutcomeStatus::Succeeded);
    assert_eq!(
        first.provider_reference.as_deref(),
        Some("api_5ab5261b9b029")
    );
    assert_eq!(first.charged, Some(ngn("8053.69")));
    assert_eq!(
        first.delivery.pins,
        vec![PinCode {
            pin: "740525808961".into(),
            serial: Some("WRN192775404".into()),
            expires: Some("30 days".into())
        }]
    );
    let second = b.items[1].outcome.as_ref().expect("second ok");
    assert_eq!(second.status, OutcomeStatus::Succeeded);
    assert_eq!(
        second.provider_reference.as_deref(),
        Some("api_5ab5223b8b927")
    );
    assert_eq!(second.charged, Some(ngn("1546")));
    assert!(second.delivery.is_empty());
    assert_eq!(
        (
            b.items[1].product_id.as_str(),
            b.items[1].recipient.as_str()
        ),
        ("UKBL-1755-5.00", "+4477xxxxxxxx")
    );
}

#[tokio::test]
async fn airtime_purchase_pending_sample() {
    let b = airtime_batch("airtime_purchase_response_2.json")
        .await
        .expect("batch");
    assert_eq!(b.failed, 0);
    let got: Vec<(OutcomeStatus, Option<String>, Option<Money>)> = b
        .items
        .iter()
        .map(|i| {
            let o = i.outcome.as_ref().expect("pending is an outcome");
            (o.status, o.provider_reference.clone(), o.charged.clone())
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                OutcomeStatus::Pending,
                Some("api_5ab5261b9b029".into()),
                Some(ngn("8053.69"))
            ),
            (
                OutcomeStatus::Pending,
                Some("api_5ab5223b8b927".into()),
                Some(ngn("1546"))
            ),
        ]
    );
}

#[tokio::test]
async fn airtime_purchase_insufficient_balance_sample() {
    let e = airtime_batch("airtime_purchase_response_3.json")
        .await
        .expect_err("P013");
    assert!(
        matches!(e, ProviderError::InsufficientBalance { ref message, .. } if message.contains("Insufficient Balance (P013)")),
        "{e:?}"
    );
    assert!(!e.outcome_unknown());
}

#[tokio::test]
async fn airtime_purchase_per_item_refusals_sample() {
    let b = airtime_batch("airtime_purchase_response_4.json")
        .await
        .expect("batch");
    assert_eq!(b.failed, 2);
    let codes: Vec<Option<String>> = b
        .items
        .iter()
        .map(|i| match &i.outcome {
            Err(e @ ProviderError::Rejected { code, .. }) => {
                assert!(!e.outcome_unknown());
                code.clone()
            }
            other => panic!("expected a refusal, got {other:?}"),
        })
        .collect();
    assert_eq!(codes, vec![Some("P008".into()), Some("P006".into())]);
    let Err(e) = &b.items[0].outcome else {
        panic!("refusal")
    };
    assert!(e.to_string().contains("Invalid Amount (P008)"), "{e}");
}

async fn data_submit(fixture_name: &str) -> Result<PurchaseOutcome, ProviderError> {
    let server = answering("/data_processing/v/2", ok_body(&fixture(fixture_name))).await;
    client_for(&server.uri())
        .submit(&data_purchase("myRef"))
        .await
}

#[tokio::test]
async fn data_purchase_samples() {
    let ok = data_submit("data_purchase_response_1.json")
        .await
        .expect("ok");
    assert_eq!(ok.status, OutcomeStatus::Succeeded);
    assert_eq!(ok.provider_reference.as_deref(), Some("api_5ab5261c9b005"));
    assert_eq!(ok.charged, Some(ngn("96")));
    assert!(ok.delivery.is_empty());

    let pending = data_submit("data_purchase_response_2.json")
        .await
        .expect("pending");
    assert_eq!(pending.status, OutcomeStatus::Pending);
    assert_eq!(
        pending.provider_reference.as_deref(),
        Some("api_5ab5261c9b005")
    );
    assert_eq!(pending.charged, Some(ngn("96")));

    let broke = data_submit("data_purchase_response_3.json")
        .await
        .expect_err("P013");
    assert!(matches!(broke, ProviderError::InsufficientBalance { .. }) && !broke.outcome_unknown());

    let refused = data_submit("data_purchase_response_4.json")
        .await
        .expect_err("P006");
    assert!(
        matches!(refused, ProviderError::Rejected { code: Some(ref c), .. } if c == "P006"),
        "{refused:?}"
    );
    assert!(!refused.outcome_unknown());
}

#[tokio::test]
async fn query_no_record_sample_is_not_found() {
    let server = answering("/api_query", ok_body(&fixture("query_response_1.json"))).await;
    let c = client_for(&server.uri());
    assert_eq!(
        c.query_transactions(&TransactionQuery::Reference("myRef".into()))
            .await
            .expect("empty"),
        vec![]
    );
    let lookup = StatusLookup {
        reference: "myRef".into(),
        nonce: "n".into(),
        provider_reference: None,
    };
    let e = c.status(&lookup).await.expect_err("not found");
    assert!(matches!(e, ProviderError::NotFound { .. }), "{e:?}");
}

#[tokio::test]
async fn query_records_sample() {
    let server = answering("/api_query", ok_body(&fixture("query_response_2.json"))).await;
    let c = client_for(&server.uri());
    let records = c
        .query_transactions(&TransactionQuery::Reference("myRef".into()))
        .await
        .expect("records");
    assert_eq!(records.len(), 2);
    let a = &records[0];
    assert_eq!(a.transaction_id.as_deref(), Some("api_5ab5261b9b029"));
    assert_eq!(a.reference.as_deref(), Some("myRef"));
    assert_eq!(a.category.as_deref(), Some("airtime"));
    assert_eq!(a.network.as_deref(), Some("Everything Everywhere EE"));
    assert_eq!(a.phone.as_deref(), Some("+1410xxxxxxx"));
    assert_eq!(
        (a.status, a.provider_status.as_str()),
        (Some(OutcomeStatus::Succeeded), "Approved")
    );
    assert_eq!(a.date.as_deref(), Some("2018-03-23 16:32:47"));
    assert_eq!(a.topup, Some(Money::parse("5", "GBP").expect("money")));
    assert_eq!(a.price, Some(ngn("8389.26")));
    assert_eq!(a.charged, Some(ngn("8053.69")));
    assert_eq!(a.data_amount_mb, None);
    let b = &records[1];
    assert_eq!(b.transaction_id.as_deref(), Some("api_5ab2cf5a69f63"));
    assert_eq!(b.category.as_deref(), Some("data"));
    assert_eq!(b.phone.as_deref(), Some("+234706*******"));
    assert_eq!(b.topup, Some(ngn("100")));
    assert_eq!(b.data_amount_mb.as_deref(), Some("50"));
    assert_eq!(
        (b.price.clone(), b.charged.clone()),
        (Some(ngn("100")), Some(ngn("96")))
    );

    // Status by transaction id picks that record.
    let by_id = StatusLookup {
        reference: "myRef".into(),
        nonce: "n".into(),
        provider_reference: Some("api_5ab2cf5a69f63".into()),
    };
    let out = c.status(&by_id).await.expect("status");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(out.provider_reference.as_deref(), Some("api_5ab2cf5a69f63"));
    assert_eq!(out.charged, Some(ngn("96")));
    // By reference both records answer; the latest of the winning status is reported and
    // the message lists both.
    let by_ref = StatusLookup {
        reference: "myRef".into(),
        nonce: "n".into(),
        provider_reference: None,
    };
    let out = c.status(&by_ref).await.expect("status");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(out.provider_reference.as_deref(), Some("api_5ab5261b9b029"));
    let msg = out.message.unwrap_or_default();
    assert!(
        msg.contains("api_5ab5261b9b029") && msg.contains("api_5ab2cf5a69f63"),
        "{msg}"
    );
}
