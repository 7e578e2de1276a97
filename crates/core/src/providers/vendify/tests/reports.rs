//! Reports over wiremock: history split into 2-month windows, the summary in 24-month
//! windows and merged, and the balance answer shapes the adapter accepts.

use chrono::NaiveDate;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::providers::vendify::{reports, HistoryStatus};
use crate::providers::{Provider, ProviderError};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

async fn report_server(route: &str, body: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&server)
        .await;
    server
}

fn query(r: &wiremock::Request, key: &str) -> String {
    r.url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_seven_month_history_is_four_calls_with_no_gap_or_overlap() {
    let server = report_server(
        "/api/v1/Report/Reseller/TransactionHistory",
        fixture("transaction_history_response.json"),
    )
    .await;
    let rows = client(&server)
        .transaction_history(day("2024-01-01"), day("2024-07-31"), HistoryStatus::Unused)
        .await
        .expect("history");
    assert_eq!(rows.len(), 12, "three rows per window, joined in order");
    let got = server.received_requests().await.expect("recorded");
    let windows: Vec<(String, String, String)> = got
        .iter()
        .map(|r| (query(r, "fromDate"), query(r, "toDate"), query(r, "status")))
        .collect();
    assert_eq!(
        windows,
        vec![
            ("2024-01-01".into(), "2024-02-29".into(), "unused".into()),
            ("2024-03-01".into(), "2024-04-30".into(), "unused".into()),
            ("2024-05-01".into(), "2024-06-30".into(), "unused".into()),
            ("2024-07-01".into(), "2024-07-31".into(), "unused".into()),
        ]
    );
}

#[tokio::test]
async fn a_failed_window_fails_the_whole_history() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/Report/Reseller/TransactionHistory"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(fixture("transaction_history_response.json")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/Report/Reseller/TransactionHistory"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_string(r#"{"sysErr": 400, "message": "Date range too wide"}"#),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let err = client(&server)
        .transaction_history(day("2024-01-01"), day("2024-04-30"), HistoryStatus::All)
        .await
        .expect_err("no partial history");
    assert!(
        matches!(err, ProviderError::Rejected { ref message, .. } if message == "Date range too wide"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_reversed_range_is_refused_without_a_call() {
    let server = report_server(
        "/api/v1/Report/Reseller/TransactionHistory",
        envelope_with("[]"),
    )
    .await;
    let c = client(&server);
    assert!(c
        .transaction_history(day("2024-02-01"), day("2024-01-01"), HistoryStatus::All)
        .await
        .is_err());
    assert!(c
        .transaction_summary(day("2024-02-01"), day("2024-01-01"))
        .await
        .is_err());
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn a_thirty_month_summary_is_two_calls_merged_per_product() {
    let server = report_server(
        "/api/v1/Report/Reseller/TransactionSummary",
        fixture("transaction_summary_response.json"),
    )
    .await;
    let rows = client(&server)
        .transaction_summary(day("2021-01-01"), day("2023-06-30"))
        .await
        .expect("summary");
    let got = server.received_requests().await.expect("recorded");
    let windows: Vec<(String, String)> = got
        .iter()
        .map(|r| (query(r, "fromDate"), query(r, "toDate")))
        .collect();
    assert_eq!(
        windows,
        vec![
            ("2021-01-01".into(), "2022-12-31".into()),
            ("2023-01-01".into(), "2023-06-30".into())
        ]
    );
    // The same four products in both windows: counts and totals add up.
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].product_code, "F5A500GB");
    assert_eq!(rows[0].transaction_count, 4);
    assert_eq!(rows[0].total_voucher_value, m("2000.00", "GBP"));
    assert_eq!(rows[3].total_voucher_value, m("20000.00", "NGN"));
    assert_eq!(rows[0].report_from, Some(day("2021-01-01")));
    assert_eq!(rows[0].report_to, Some(day("2023-06-30")));
}

fn balances_of(response: &str) -> Result<Vec<crate::providers::WalletBalance>, ProviderError> {
    reports::parse_balances(&http(), &answer(&envelope_with(response)))
}

#[test]
fn balance_answers_in_every_assumed_shape() {
    let w = balances_of(r#"[{"walletId": "NGN-143", "currency": "NGN", "balance": "1,250,000.50"}, {"walletId": "GBP-104", "currencyCode": "gbp", "balance": 850.2500}]"#)
        .expect("a list");
    assert_eq!(w.len(), 2);
    assert_eq!(
        (w[0].wallet_id.as_str(), &w[0].balance),
        ("NGN-143", &m("1250000.50", "NGN"))
    );
    assert_eq!(w[1].balance, m("850.25", "GBP"));
    // Currency from the wallet id; available balance before ledger balance; any key case.
    let w = balances_of(r#"{"wallets": [{"WalletID": "USD-104", "ledgerBalance": 99, "balance": 10, "availableBalance": "7.5"}]}"#)
        .expect("a wrapped list");
    assert_eq!(
        (w[0].wallet_id.as_str(), &w[0].balance),
        ("USD-104", &m("7.5", "USD"))
    );
    let w = balances_of(r#"{"walletId": "NGN-59", "walletBalance": 12}"#).expect("one wallet");
    assert_eq!(w[0].balance, m("12", "NGN"));
    assert_eq!(balances_of("[]").expect("no wallets"), vec![]);
    // Unreadable entries are skipped; all unreadable is an error.
    let w = balances_of(
        r#"[{"walletId": "NGN-1", "balance": "lots"}, {"walletId": "NGN-2", "balance": 5}]"#,
    )
    .expect("one good");
    assert_eq!(w.len(), 1);
    assert!(matches!(
        balances_of(r#"[{"walletId": "X1", "balance": 5}]"#),
        Err(ProviderError::BadResponse { .. })
    ));
    assert!(matches!(
        balances_of(r#"[{"name": "main"}]"#),
        Err(ProviderError::BadResponse { .. })
    ));
    assert!(matches!(
        balances_of("17"),
        Err(ProviderError::BadResponse { .. })
    ));
}

#[tokio::test]
async fn esim_details_and_balances_use_their_paths() {
    let server = report_server(
        "/api/v1/report/esim/details/8943108165011804478",
        fixture("esim_details_response.json"),
    )
    .await;
    let c = client(&server);
    let e = c
        .esim_details(" 8943108165011804478 ")
        .await
        .expect("details");
    assert_eq!(e.plan_name.as_deref(), Some("Demo eSim Plan 1GB"));
    assert!(
        c.esim_details("  ").await.is_err(),
        "an empty ICCID is refused locally"
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
    assert!(
        matches!(c.balances().await, Err(ProviderError::Rejected { .. })),
        "unmocked path: HTTP 404"
    );
}
