//! The four providers' wire protocols, each a router over the shared [`crate::app::App`].

use std::str::FromStr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_decimal::Decimal;
use serde_json::value::RawValue;

pub mod estoresms;
pub mod rukapay;
pub mod rukky;
pub mod vendify;

/// An amount from raw JSON (a number or a numeric string), never through a float.
pub fn raw_amount(raw: Option<&RawValue>) -> Option<Decimal> {
    let t = raw?.get().trim();
    let t = t
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(t)
        .trim();
    if t.contains(['e', 'E']) {
        return Decimal::from_scientific(t).ok();
    }
    Decimal::from_str(t).ok()
}

/// Text from raw JSON: a string's contents or a number's digits.
pub fn raw_text(raw: Option<&RawValue>) -> Option<String> {
    let t = raw?.get().trim();
    if t.starts_with('"') {
        serde_json::from_str::<String>(t)
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    } else if t.is_empty() || t == "null" || t.starts_with(['{', '[']) {
        None
    } else {
        Some(t.to_owned())
    }
}

/// A decimal as JSON text without trailing zeros lost or added: `"500"`, `"1250.50"`.
pub fn money(d: Decimal) -> String {
    d.normalize().to_string()
}

pub fn json(status: StatusCode, v: serde_json::Value) -> Response {
    (status, Json(v)).into_response()
}

/// `2026-05-21 10:30:00` style stamp from unix seconds (UTC), without a date library.
pub fn stamp(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    // Civil-from-days (Howard Hinnant), on unsigned values valid from 1970.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if mo <= 2 { y + 1 } else { y };
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_amounts() {
        assert_eq!(stamp(0), "1970-01-01 00:00:00");
        assert_eq!(stamp(1_779_359_400), "2026-05-21 10:30:00");
        let raw = RawValue::from_string("\"500.50\"".to_owned()).expect("raw");
        assert_eq!(raw_amount(Some(&raw)), Some(Decimal::new(50050, 2)));
        let raw = RawValue::from_string("500.00".to_owned()).expect("raw");
        assert_eq!(raw_amount(Some(&raw)).map(money).as_deref(), Some("500"));
    }
}
