//! Pure functions: the hash, the open range price rule, routes, the balance URL and body,
//! status words and callback bodies.

use super::*;
use crate::providers::OutcomeStatus;

#[test]
fn hash_matches_a_vector_computed_outside_the_adapter() {
    let token = Secret::new(TOKEN);
    // Computed with Python's hashlib.sha512(b"tok123user@example.comuser123myRef").
    let known = "2ff8a1fbd7f4b0498812eacd41ef073e3f5241203974fb3e2a294262074666e751c3bbc91e167210ea41112f06e05e0ef59ec5d32bbf189c061f12d538863e54";
    assert_eq!(request_hash(&token, EMAIL, USERNAME, "myRef"), known);
    assert_eq!(
        request_hash(&token, EMAIL, USERNAME, "myRef"),
        expected_hash("myRef")
    );
    // Lists and queries: the same formula without the reference.
    let known_no_ref = "3921a6bdafc9388c6466a60ad6934e008337d0bfa81a62e271bafaf3ccc6a17c8d78ecef69059ee9bcaf5be81045fb0db14fdda1c58a8f27b2d2d61cfe8848a0";
    assert_eq!(request_hash(&token, EMAIL, USERNAME, ""), known_no_ref);
    assert_eq!(expected_hash(""), known_no_ref);
}

#[test]
fn open_range_amounts_round_up_to_whole_units_and_prices_up_to_kobo() {
    // "If you request for a purchase of 20 USD ... Price=20*100".
    assert_eq!(
        open_range_price(d("20"), d("100")),
        Some(OpenRangePrice {
            amount: d("20"),
            price: d("2000")
        })
    );
    // "20.6 USD is rounded up to 21 USD".
    assert_eq!(
        open_range_price(d("20.6"), d("100")).map(|q| q.amount),
        Some(d("21"))
    );
    // Price rounded up to 2 decimals: 21 * 402.6015 = 8454.6315 -> 8454.64.
    assert_eq!(
        open_range_price(d("21"), d("402.6015")).map(|q| q.price),
        Some(d("8454.64"))
    );
    assert_eq!(open_range_price(d("-1"), d("100")), None);
    assert_eq!(open_range_price(Decimal::MAX, d("100")), None);
}

#[test]
fn routes_round_trip_and_guess_from_the_documents_ids() {
    use super::super::route::{Kind, Route};
    let r = Route {
        kind: Kind::Airtime,
        open_range: true,
        country: Some("us".into()),
    };
    assert_eq!(r.encode(), "airtime/range/US");
    assert_eq!(
        Route::decode("airtime/range/US"),
        Some(Route {
            country: Some("US".into()),
            ..r
        })
    );
    assert_eq!(
        Route::decode("data/fixed").map(|r| r.kind),
        Some(Kind::Data)
    );
    assert_eq!(Route::decode("nonsense"), None);
    assert_eq!(Route::decode("airtime/range/US/extra"), None);
    assert_eq!(Route::for_purchase(None, "D-MFIN-5-50MB").kind, Kind::Data);
    let guess = Route::for_purchase(None, "US-50-OR");
    assert!(guess.kind == Kind::Airtime && guess.open_range);
    assert!(!Route::for_purchase(None, "UKBL-1755-5.00").open_range);
    assert!(!Route::for_purchase(Some("junk"), "UKBL-1755-5.00").open_range);
}

#[test]
fn balance_url_is_the_documents_url_with_encoded_credentials() {
    let base = Url::parse("https://estoresms.com/").expect("url");
    let u = balance::url(&base, "user123", &Secret::new("pass123")).expect("url");
    assert_eq!(format!("{u}\n"), fixture("balance_request.txt"));
    let u = balance::url(&base, "user 1", &Secret::new("p@ss&word")).expect("url");
    assert_eq!(
        u.query(),
        Some("username=user+1&password=p%40ss%26word&balance=true&")
    );
    // A local server keeps its host and port.
    let local = Url::parse("http://127.0.0.1:4000/").expect("url");
    let u = balance::url(&local, "u", &Secret::new("p")).expect("url");
    assert_eq!(u.host_str(), Some("127.0.0.1"));
    assert_eq!(u.path(), "/smsapi.php");
}

#[test]
fn balance_bodies_in_every_accepted_shape() {
    let http = test_http();
    let ok = |b: &str| balance::parse(&http, b).map_err(|e| e.to_string());
    assert_eq!(ok("2500.50"), Ok(d("2500.50")));
    assert_eq!(ok(" 1,234.50 NGN\n"), Ok(d("1234.50")));
    assert_eq!(ok("NGN 1234"), Ok(d("1234")));
    assert_eq!(ok("₦1,000.00"), Ok(d("1000.00")));
    assert_eq!(ok("Balance: 99.9 naira"), Ok(d("99.9")));
    assert_eq!(ok(r#"{"balance":"4,500.25"}"#), Ok(d("4500.25")));
    assert_eq!(
        ok(r#"{"response":"OK","balance":4500.2500}"#),
        Ok(d("4500.25"))
    );
    // ("Invalid login 2" is a refusal of the password now: balance::wrong_password.)
    for bad in ["", "abc", "-2", "1 2", r#"{"status":"ok"}"#, "[1]", "{"] {
        let e = balance::parse(&http, bad).expect_err(bad);
        assert!(
            matches!(e, ProviderError::BadResponse { .. }),
            "{bad}: {e:?}"
        );
    }
    let e = balance::parse(
        &http,
        r#"{"response":"P001","message":"Authentication Failed"}"#,
    )
    .expect_err("auth");
    assert!(matches!(e, ProviderError::Auth { .. }), "{e:?}");
}

#[test]
fn every_documented_status_word_maps() {
    assert_eq!(map_status("Approved"), Some(OutcomeStatus::Succeeded));
    assert_eq!(map_status("Pending"), Some(OutcomeStatus::Pending));
    assert_eq!(
        map_status("Awaiting Confirmation"),
        Some(OutcomeStatus::Pending)
    );
    assert_eq!(map_status("Failed"), Some(OutcomeStatus::Failed));
    assert_eq!(map_status("Cancelled"), Some(OutcomeStatus::Failed));
    assert_eq!(map_status("Reversed"), Some(OutcomeStatus::Reversed));
    assert_eq!(map_status(" approved "), Some(OutcomeStatus::Succeeded));
    assert_eq!(map_status("Refunded"), None);
}

#[test]
fn every_response_code_maps_to_a_typed_error_naming_the_fix() {
    use super::super::errors::{classify, refusal, Code};
    let http = test_http();
    assert_eq!(classify("OK"), Code::Ok);
    assert_eq!(classify("PENDING"), Code::Pending);
    assert_eq!(classify("FAIL"), Code::Failed);
    assert_eq!(classify("P009"), Code::Failed);
    assert_eq!(classify("P999"), Code::Unknown);
    for code in ["P001", "P002"] {
        assert!(
            matches!(refusal(&http, code, None, ""), ProviderError::Auth { .. }),
            "{code}"
        );
    }
    assert!(matches!(
        refusal(&http, "P013", None, ""),
        ProviderError::InsufficientBalance { .. }
    ));
    let fields = [
        ("P000", "username"),
        ("P003", "phone number"),
        ("P004", "network"),
        ("P005", "phone number"),
        ("P006", "product"),
        ("P007", "amount"),
        ("P008", "amount"),
        ("P009", "try again"),
        ("P010", "minimum"),
        ("P011", "maximum"),
        ("P012", "product"),
        ("P014", "5 items"),
        ("FAIL", "try again"),
    ];
    for (code, field) in fields {
        assert_eq!(
            classify(code) == Code::Refused,
            code != "P009" && code != "FAIL",
            "{code}"
        );
        match refusal(&http, code, None, "") {
            ProviderError::Rejected {
                message,
                code: Some(c),
                ..
            } => {
                assert_eq!(c, code);
                assert!(message.contains(field), "{code}: {message}");
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    let unknown = refusal(&http, "P999", Some("what"), "");
    assert!(matches!(unknown, ProviderError::BadResponse { .. }) && unknown.outcome_unknown());
}

#[test]
fn callbacks_in_form_json_and_print_r_shapes() {
    let print_r = parse_callback(&fixture("callback_print_r.txt")).expect("print_r");
    let expected = CallbackEvent {
        transaction_id: "api_5d1df2a313d00".into(),
        reference: Some("myRef".into()),
        status: OutcomeStatus::Succeeded,
        provider_status: "Approved".into(),
    };
    assert_eq!(print_r, expected);
    let form = parse_callback("transaction_id=api_5d1df2a313d00&reference=myRef&status=Approved")
        .expect("form");
    assert_eq!(form, expected);
    let json = parse_callback(
        r#"{"transaction_id":"api_5d1df2a313d00","reference":"myRef","status":"Approved"}"#,
    )
    .expect("json");
    assert_eq!(json, expected);
    let spaced =
        parse_callback("transaction_id=api_1&reference=my+Ref&status=Awaiting+Confirmation")
            .expect("form");
    assert_eq!(
        (spaced.reference.as_deref(), spaced.status),
        (Some("my Ref"), OutcomeStatus::Pending)
    );
    let php = "Array\n(\n    [transaction_id] => api_2\n    [reference] => r\n    [status] => Reversed\n)\n";
    assert_eq!(
        parse_callback(php).map(|e| e.status).ok(),
        Some(OutcomeStatus::Reversed)
    );
    for bad in [
        "",
        "status=Approved",
        "transaction_id=x",
        "transaction_id=x&status=Refunded",
        "{",
        "[]",
    ] {
        assert!(
            matches!(parse_callback(bad), Err(ProviderError::BadResponse { .. })),
            "{bad}"
        );
    }
}

#[test]
fn data_sizes_read_as_the_document_says() {
    use super::super::catalogue::data_size;
    assert_eq!(data_size("2500"), "2.5GB");
    assert_eq!(data_size("200"), "200MB");
    assert_eq!(data_size("1000"), "1GB");
    assert_eq!(data_size("lots"), "lots");
}

#[test]
fn new_requires_username_email_and_token() {
    let mut cfg = config_with("http://127.0.0.1:9/", TOKEN, None);
    cfg.settings.remove("email");
    let e = EstoreSmsClient::new(cfg, &ctx()).expect_err("no email");
    assert!(
        matches!(e, ProviderError::MissingCredential { ref field, .. } if field == "email"),
        "{e:?}"
    );
    let mut cfg = config_with("http://127.0.0.1:9/", TOKEN, None);
    cfg.secrets.clear();
    let e = EstoreSmsClient::new(cfg, &ctx()).expect_err("no token");
    assert!(
        matches!(e, ProviderError::MissingCredential { ref field, .. } if field == "api_token"),
        "{e:?}"
    );
    let e =
        EstoreSmsClient::new(config_with("not a url", TOKEN, None), &ctx()).expect_err("bad url");
    assert!(matches!(e, ProviderError::Rejected { .. }), "{e:?}");
    // An empty base URL falls back to the documented live one.
    let c = EstoreSmsClient::new(config_with("", TOKEN, None), &ctx()).expect("live base");
    assert_eq!(c.base.as_str(), "https://estoresms.com/");
}

pub(super) fn test_http() -> HttpClient {
    HttpClient::new(
        ProviderKind::Estoresms,
        fast_policy(),
        vec![Secret::new(TOKEN), Secret::new(PASSWORD)],
    )
    .expect("http")
}
