//! Property tests: arbitrary bytes and arbitrary JSON shaped like eStoreSMS answers never
//! make a parser panic.

use proptest::prelude::*;
use serde_json::Value;

use super::units::test_http;
use super::*;
use crate::providers::http::HttpClient;

/// Keys the parsers look at, so generated objects reach the deep branches.
const KEYS: [&str; 22] = [
    "response",
    "message",
    "failed",
    "result",
    "products",
    "info",
    "openRange",
    "id",
    "min",
    "max",
    "rate",
    "topup_currency",
    "topup_amount",
    "price",
    "transaction_id",
    "ref",
    "status",
    "pins",
    "pin",
    "amount_charged",
    "balance",
    "phone",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[0-9]{1,30}(\\.[0-9]{1,15})?"
            .prop_map(|s| serde_json::from_str(&s).unwrap_or(Value::Null)),
        prop_oneof![
            Just("OK"),
            Just("PENDING"),
            Just("FAIL"),
            Just("P009"),
            Just("P013"),
            Just("Approved"),
            Just("Awaiting Confirmation"),
            Just("1,234.50"),
            Just("NGN"),
            Just("true")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..8).prop_map(
                |kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            ),
        ]
    })
}

fn items() -> Vec<PurchaseRequest> {
    vec![
        data_purchase("r"),
        purchase("r", "D-X", None, "+2348000000001", "100", "NGN"),
    ]
}

fn feed(http: &HttpClient, body: &str) {
    use super::super::route::Kind;
    let _ = super::super::catalogue::map_list(http, Kind::Airtime, body, Some("NG"));
    let _ = super::super::catalogue::map_list(http, Kind::Data, body, None);
    let _ = super::super::purchase::map_answer(http, body, "r", &items());
    if let Ok(records) = super::super::status::parse_records(http, body) {
        let _ =
            super::super::status::pick(http, &records, &TransactionQuery::Reference("r".into()));
        let _ = super::super::status::pick(
            http,
            &records,
            &TransactionQuery::TransactionId("t".into()),
        );
    }
    let _ = super::super::balance::parse(http, body);
    let _ = parse_callback(body);
    let resp = HttpResponse {
        status: 200,
        body: body.to_owned(),
        retry_after: None,
    };
    let _ = super::super::errors::body_of(http, &resp);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let http = test_http();
        feed(&http, &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        let http = test_http();
        feed(&http, &v.to_string());
        // Truncations of valid JSON are the common real-world break.
        let text = v.to_string();
        let cut = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i);
        feed(&http, &text[..cut]);
    }

    #[test]
    fn arbitrary_callback_forms_never_panic(k in "\\PC{0,20}", val in "\\PC{0,20}") {
        let _ = parse_callback(&format!("{k}={val}&status={val}"));
        let _ = parse_callback(&format!("[{k}] => {val}\n[status] => {val}"));
    }
}
