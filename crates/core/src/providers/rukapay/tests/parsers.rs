//! The pure readers under fire: arbitrary bytes and arbitrary JSON never panic, and the
//! duplicate-reference match accepts the wordings we expect and nothing unrelated.

use proptest::prelude::*;
use serde_json::json;

use crate::providers::rukapay::errors::{
    classify, failure, read_error_body, Call, ErrorBody, Refusal,
};
use crate::providers::rukapay::products::{parse_product_id, to_msisdn, whole_ugx};
use crate::providers::rukapay::wire::{read_answer, read_callback, read_validation};

fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[A-Za-z0-9 _.,:-]{0,12}".prop_map(serde_json::Value::from),
        prop_oneof![
            Just("SUCCESS"),
            Just("PENDING"),
            Just("FAILED"),
            Just("PROCESSING"),
            Just("1e400"),
            Just("-0.5")
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            Just("success"),
            Just("message"),
            Just("transaction"),
            Just("walletBalance"),
            Just("status"),
            Just("amount"),
            Just("totalCharged"),
            Just("totalAmount"),
            Just("currency"),
            Just("balanceAfter"),
            Just("recipient"),
            Just("destination"),
            Just("error"),
            Just("errors"),
            Just("code"),
            Just("data"),
            Just("id"),
            Just("transactionId"),
            Just("partnerReference"),
            Just("valid"),
            Just("accountName"),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::vec((keys, inner), 0..6).prop_map(|kv| serde_json::Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

fn read_everything(body: &str) {
    let _ = read_answer(body);
    let _ = read_callback(body);
    let _ = read_validation(body);
    let e = read_error_body(body);
    let _ = classify(&e);
    for status in [200, 400, 401, 404, 409, 429, 500, 302] {
        let _ = failure(Call::Transfer, status, body, Some(3), Some(body.to_owned()));
        let _ = failure(Call::Status("R-1"), status, body, None, None);
        let _ = failure(Call::Validate, status, body, None, None);
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        read_everything(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_json_never_panics(v in any_json()) {
        read_everything(&v.to_string());
        read_everything(&json!({"success": true, "transaction": v.clone()}).to_string());
        read_everything(&json!({"success": true, "transaction": {"status": "SUCCESS"}, "walletBalance": v}).to_string());
    }

    #[test]
    fn input_checks_never_panic(s in "\\PC{0,40}", amount in any::<i64>(), scale in 0u32..6) {
        let _ = parse_product_id(&s);
        let _ = to_msisdn(&s);
        let m = crate::money::Money::new(rust_decimal::Decimal::new(amount, scale), crate::money::Currency::known("UGX"));
        let _ = whole_ugx(&m);
    }

    #[test]
    fn ugandan_numbers_convert_and_keep_their_digits(n in 0u64..1_000_000_000) {
        let e164 = format!("+256{n:09}");
        prop_assert_eq!(to_msisdn(&e164), Some(format!("256{n:09}")));
    }
}

fn body(message: Option<&str>, code: Option<&str>) -> ErrorBody {
    ErrorBody {
        message: message.map(str::to_owned),
        code: code.map(str::to_owned),
        json: true,
    }
}

#[test]
fn duplicate_reference_wordings_are_recognised() {
    for m in [
        "Duplicate partnerReference",
        "duplicate partner reference",
        "partnerReference already exists",
        "Transaction with reference PARTNER-REF-1 already exists",
        "Reference has already been used",
        "DUPLICATE REFERENCE",
    ] {
        assert_eq!(
            classify(&body(Some(m), None)),
            Refusal::DuplicateReference,
            "{m}"
        );
    }
    for c in [
        "DUPLICATE_REFERENCE",
        "DUPLICATE_PARTNER_REFERENCE",
        "duplicate_transaction",
    ] {
        assert_eq!(
            classify(&body(None, Some(c))),
            Refusal::DuplicateReference,
            "{c}"
        );
    }
    for m in [
        "Duplicate transaction",
        "Invalid reference format",
        "Insufficient balance",
        "amount must not be less than 100",
    ] {
        assert_ne!(
            classify(&body(Some(m), None)),
            Refusal::DuplicateReference,
            "{m}"
        );
    }
    assert_eq!(
        classify(&body(Some("Insufficient balance"), None)),
        Refusal::InsufficientBalance
    );
    assert_eq!(
        classify(&body(None, Some("TRANSACTION_NOT_FOUND"))),
        Refusal::NotFound
    );
}

#[test]
fn error_bodies_of_common_shapes_are_read() {
    let nest = read_error_body(
        r#"{"statusCode":400,"message":["amount must be a number","phoneNumber is invalid"],"error":"Bad Request"}"#,
    );
    assert_eq!(
        nest.message.as_deref(),
        Some("amount must be a number; phoneNumber is invalid")
    );
    assert_eq!(nest.code, None);
    let coded = read_error_body(r#"{"success":false,"error":"TRANSACTION_NOT_FOUND"}"#);
    assert_eq!(
        (coded.message, coded.code.as_deref()),
        (None, Some("TRANSACTION_NOT_FOUND"))
    );
    let nested = read_error_body(r#"{"error":{"code":"INVALID_MSISDN","message":"Bad number"}}"#);
    assert_eq!(
        (nested.message.as_deref(), nested.code.as_deref()),
        (Some("Bad number"), Some("INVALID_MSISDN"))
    );
    let html = read_error_body("<html>502</html>");
    assert!(!html.json && html.message.is_none());
    let long = read_error_body(&format!("{{\"message\":\"{}\"}}", "é".repeat(1000)));
    assert!(long
        .message
        .map(|m| m.chars().count())
        .is_some_and(|n| n <= 301));
}
