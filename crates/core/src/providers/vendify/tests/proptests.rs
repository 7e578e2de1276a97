//! Arbitrary bytes and arbitrary JSON fed to every response parser: each returns a value
//! or a typed error, never a panic.

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::providers::vendify::{
    catalogue, lookups, orders, repair, reports, validations, vouchers,
};

/// Runs every parser of the adapter over one HTTP answer.
fn parse_everything(status: u16, body: &str) {
    let h = http();
    let resp = HttpResponse {
        status,
        body: body.to_owned(),
        retry_after: None,
    };
    let _ = repair::repair(body);
    let Ok(a) = envelope::read(&h, &resp) else {
        return;
    };
    let _ = catalogue::parse_products(&h, &a);
    let _ = catalogue::parse_product(&h, &a);
    let _ = catalogue::parse_categories(&h, &a);
    let _ = lookups::parse_countries(&h, &a);
    let _ = lookups::parse_sub_categories(&h, &a);
    let _ = lookups::parse_brands(&h, &a);
    let _ = lookups::parse_brand_families(&h, &a);
    let _ = lookups::parse_providers(&h, &a);
    let _ = lookups::parse_fx_rates(&h, &a);
    let _ = orders::parse_order(&h, &a);
    let _ = orders::parse_status(&h, &a, "k");
    let _ = validations::parse_validation(&h, &a);
    let _ = reports::parse_balances(&h, &a);
    let _ = reports::parse_history(&h, &a);
    let _ = reports::parse_summary(&h, &a);
    let _ = reports::parse_esim(&h, &a, "89");
    let _ = vouchers::parse_resend(&h, &a);
    let _ = vouchers::parse_update(&h, &a);
}

/// JSON built from integers, strings (amount-like ones included) and the field names the
/// parsers look for, nested a few levels.
fn arb_json() -> impl Strategy<Value = Value> {
    let names = prop::sample::select(vec![
        "responseStatus",
        "orderStatus",
        "transactionReference",
        "productId",
        "name",
        "productCost",
        "productCostCurrencyCode",
        "originalValue",
        "originalCurrencyCode",
        "denominations",
        "minValue",
        "maxValue",
        "currencyCode",
        "type",
        "walletId",
        "balance",
        "currency",
        "status",
        "voucherValue",
        "transactedValue",
        "totalVoucherValue",
        "voucherCurrency",
        "productCode",
        "productOptions",
        "value",
        "validated",
        "qrCodeData",
        "eSimDataUsageUrl",
        "allInRate",
        "productCurrency",
        "transactingCurrency",
        "redeemableCountryCodes",
        "fxRate",
        "rate",
        "categoryCode",
        "countryCode",
        "brandCode",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[A-Z]{3}".prop_map(Value::String),
        "-?[0-9,]{0,12}(\\.[0-9]{0,12})?".prop_map(Value::String),
        prop::sample::select(vec![
            "SUCCESS", "PENDING", "FAILED", "fixed", "range", "LPA:1$x", "#", "1", "0", "NGN-143"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((names.clone(), inner), 0..8).prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), status in prop::sample::select(vec![200u16, 400, 401, 404, 409, 429, 500])) {
        parse_everything(status, &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_json_responses_never_panic(response in arb_json(), sys_err in prop::sample::select(vec!["200", "\"200\"", "400", "null"])) {
        let body = format!(r#"{{"authenticated": true, "sysErr": {sys_err}, "message": "m", "response": {response}}}"#);
        parse_everything(200, &body);
        // The same document in JavaScript style exercises the repair pass.
        let js = body.replace("\"authenticated\"", "authenticated").replace("\"message\": \"m\"", "message: REQUEST OK");
        parse_everything(200, &js);
    }

    #[test]
    fn arbitrary_js_like_text_never_panics(text in "[{}\\[\\]:,\" a-zA-Z0-9.\\-\n]{0,120}") {
        parse_everything(200, &text);
        let _ = repair::repair(&text);
    }

    #[test]
    fn repaired_text_is_always_json(text in "[{}\\[\\]:,\" a-zA-Z0-9.\\-\n]{0,120}") {
        if let Some(fixed) = repair::repair(&text) {
            prop_assert!(serde_json::from_str::<Value>(&fixed).is_ok(), "{:?} -> {:?}", text, fixed);
        }
    }
}
