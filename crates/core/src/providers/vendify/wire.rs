//! Serde helpers shared by Vendify's private wire types. Vendify writes the same field as a
//! number in one answer and a string in another (`"transactionCount": "2"`, `"status": "200"`
//! next to `"status": 1`), so fields are read from their raw JSON text and never through a
//! float.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::money::{amount_from_raw, Currency, Money};

/// The text of a scalar: a string's contents (trimmed), a number's or boolean's raw text.
/// `null`, `""`, objects and arrays are `None`.
pub fn raw_text(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.starts_with('"') {
        serde_json::from_str::<String>(t)
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    } else if t.is_empty() || t == "null" || t.starts_with('{') || t.starts_with('[') {
        None
    } else {
        Some(t.to_owned())
    }
}

/// A string, number or boolean field as text (ids, codes, messages, statuses).
pub fn de_opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<Box<RawValue>> = Option::deserialize(d)?;
    Ok(raw.and_then(|r| raw_text(r.get())))
}

/// An amount that, when unreadable, is dropped with a warning instead of failing the whole
/// answer: a purchase that says SUCCESS with a garbled `productCost` is still a success,
/// and its voucher must reach the customer.
pub fn de_lenient_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let raw: Option<Box<RawValue>> = Option::deserialize(d)?;
    Ok(raw.and_then(|r| {
        let t = r.get().trim();
        if t == "null" || t == "\"\"" {
            return None;
        }
        match amount_from_raw(t) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!(error = %e, "Vendify sent an amount that cannot be read; ignored");
                None
            }
        }
    }))
}

/// A whole number written as a number or a numeric string (`2`, `"2"`); anything else is
/// `None`.
pub fn de_opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let raw: Option<Box<RawValue>> = Option::deserialize(d)?;
    Ok(raw
        .and_then(|r| raw_text(r.get()))
        .and_then(|t| t.parse().ok()))
}

/// A flag written as `1`/`0`, `true`/`false` or their strings.
pub fn de_opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let raw: Option<Box<RawValue>> = Option::deserialize(d)?;
    Ok(raw.and_then(|r| raw_text(r.get())).and_then(|t| flag(&t)))
}

pub fn flag(t: &str) -> Option<bool> {
    match t.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// A nested value read only when it has the expected shape (`fxRate` as an object, a list
/// of strings); any other shape is `None` rather than an error for the whole answer.
pub fn de_lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let raw: Option<Box<RawValue>> = Option::deserialize(d)?;
    Ok(raw.and_then(|r| serde_json::from_str(r.get()).ok()))
}

/// Reads an object's field by name, case-insensitively, for answers the document shows no
/// sample of (categories, countries, balances): the first of `names` present wins.
pub fn pick(item: &BTreeMap<String, Box<RawValue>>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        item.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .and_then(|(_, v)| raw_text(v.get()))
    })
}

/// A currency code, when it is one.
pub fn currency(code: Option<&str>) -> Option<Currency> {
    code.and_then(|c| Currency::new(c).ok())
}

/// An amount with its currency, when both are present and valid.
pub fn money(amount: Option<Decimal>, code: Option<&str>) -> Option<Money> {
    Some(Money::new(amount?, currency(code)?))
}

/// Vendify fills "no URL" with `#` (`"redemptionUrl": "#"`); that is not a link.
pub fn url_or_none(u: Option<String>) -> Option<String> {
    u.filter(|s| s != "#")
}

/// `"2023/04/09"`, `"2024-03-23"` or `"2025-03-15T00:00:00"` as a date.
pub fn date(text: Option<&str>) -> Option<chrono::NaiveDate> {
    let t = text?.trim();
    let day = t.get(..10).unwrap_or(t).replace('/', "-");
    chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_as_text() {
        assert_eq!(raw_text("\" S:ABC \""), Some("S:ABC".to_owned()));
        assert_eq!(
            raw_text("230408090966705261"),
            Some("230408090966705261".to_owned())
        );
        assert_eq!(raw_text("true"), Some("true".to_owned()));
        assert_eq!(raw_text("\"\""), None);
        assert_eq!(raw_text("null"), None);
        assert_eq!(raw_text("{\"a\":1}"), None);
        assert_eq!(raw_text("[1]"), None);
    }

    #[test]
    fn dates_in_every_documented_shape() {
        let d = chrono::NaiveDate::from_ymd_opt(2023, 4, 9);
        assert_eq!(date(Some("2023/04/09")), d);
        assert_eq!(date(Some("2023-04-09")), d);
        assert_eq!(date(Some("2023-04-09T00:00:00")), d);
        assert_eq!(date(Some("09/04/2023")), None);
        assert_eq!(date(Some("")), None);
    }

    #[test]
    fn hash_is_no_url() {
        assert_eq!(url_or_none(Some("#".to_owned())), None);
        assert_eq!(
            url_or_none(Some("https://x".to_owned())).as_deref(),
            Some("https://x")
        );
    }

    #[test]
    fn flags_and_counts() {
        assert_eq!(flag("1"), Some(true));
        assert_eq!(flag("FALSE"), Some(false));
        assert_eq!(flag("maybe"), None);
        #[derive(Deserialize)]
        struct Row {
            #[serde(default, deserialize_with = "de_opt_count")]
            n: Option<u64>,
            #[serde(default, deserialize_with = "de_lenient_amount")]
            a: Option<Decimal>,
        }
        let r: Row = serde_json::from_str(r#"{"n": "2", "a": "1,000.00"}"#).expect("parses");
        assert_eq!(r.n, Some(2));
        assert_eq!(r.a, Some(Decimal::new(100_000, 2)));
        let r: Row = serde_json::from_str(r#"{"n": "x", "a": "N/A"}"#).expect("parses");
        assert_eq!((r.n, r.a), (None, None));
        let r: Row = serde_json::from_str("{}").expect("parses");
        assert_eq!((r.n, r.a), (None, None));
    }
}
