//! RukkyStore's JSON as it arrives, read tolerantly: a field may be a string or a number,
//! lists may be bare arrays or wrapped, amounts are read from their raw text (no float).
//!
//! Only the VTU purchase answer, the error shapes and the webhook are shown in the
//! document; plan lists, discos, verifications and the SMM answers are not, so their
//! readers accept the common spellings (documented next to each key list) and ignore
//! anything extra.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::value::RawValue;

use crate::money::{amount_from_raw, AmountError};

/// One JSON object, its values kept as raw text until a reader asks for them.
#[derive(Debug, Default)]
pub(super) struct Obj(BTreeMap<String, Box<RawValue>>);

/// A JSON answer: an object, or an array (`services` answers a bare array).
#[derive(Debug)]
pub(super) enum Json {
    Object(Obj),
    Array(Vec<Box<RawValue>>),
}

/// Why a body is not JSON, phrased for the error message.
pub(super) fn parse_json(body: &str) -> Result<Json, String> {
    let t = body.trim();
    if t.is_empty() {
        return Err("the answer was empty".to_owned());
    }
    if t.starts_with('<') {
        return Err("the answer was an HTML page, not JSON".to_owned());
    }
    if t.starts_with('[') {
        return serde_json::from_str::<Vec<Box<RawValue>>>(t)
            .map(Json::Array)
            .map_err(|e| describe(&e));
    }
    serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(t)
        .map(|m| Json::Object(Obj(m)))
        .map_err(|e| describe(&e))
}

fn describe(e: &serde_json::Error) -> String {
    if e.is_eof() {
        "the JSON answer was cut off".to_owned()
    } else {
        format!("the answer is not the JSON expected ({e})")
    }
}

impl Obj {
    pub(super) fn from_raw(raw: &RawValue) -> Option<Obj> {
        serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(raw.get())
            .ok()
            .map(Obj)
    }

    #[cfg(test)]
    pub(super) fn parse(text: &str) -> Option<Obj> {
        match parse_json(text) {
            Ok(Json::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// The first of `keys` present and not null; exact spelling first, then any case.
    fn raw(&self, keys: &[&str]) -> Option<&RawValue> {
        let hit = keys.iter().find_map(|k| self.0.get(*k)).or_else(|| {
            keys.iter().find_map(|k| {
                self.0
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v)
            })
        })?;
        (hit.get().trim() != "null").then_some(hit.as_ref())
    }

    pub(super) fn has(&self, key: &str) -> bool {
        self.raw(&[key]).is_some()
    }

    /// A string, or a number or boolean as written; empty strings count as absent.
    pub(super) fn text(&self, keys: &[&str]) -> Option<String> {
        raw_text(self.raw(keys)?)
    }

    /// An amount from a string or number. `Some(Err)` when present but unreadable.
    pub(super) fn amount(&self, keys: &[&str]) -> Option<Result<Decimal, AmountError>> {
        let raw = self.raw(keys)?;
        let t = raw.get().trim();
        if t == "\"\"" {
            return None;
        }
        Some(amount_from_raw(t))
    }

    pub(super) fn obj(&self, keys: &[&str]) -> Option<Obj> {
        Obj::from_raw(self.raw(keys)?)
    }

    pub(super) fn array(&self, keys: &[&str]) -> Option<Vec<Box<RawValue>>> {
        serde_json::from_str(self.raw(keys)?.get()).ok()
    }

    /// The raw JSON text of a field (kept for fields with no documented shape).
    pub(super) fn raw_json(&self, key: &str) -> Option<String> {
        self.raw(&[key]).map(|r| r.get().to_owned())
    }

    pub(super) fn entries(&self) -> impl Iterator<Item = (&String, &RawValue)> {
        self.0.iter().map(|(k, v)| (k, v.as_ref()))
    }
}

/// A JSON string's value, or a number/boolean's text; objects, arrays and "" are `None`.
pub(super) fn raw_text(raw: &RawValue) -> Option<String> {
    let t = raw.get().trim();
    let out = if t.starts_with('"') {
        serde_json::from_str::<String>(t).ok()?
    } else if t.starts_with(['{', '[']) || t == "null" {
        return None;
    } else {
        t.to_owned()
    };
    let out = out.trim().to_owned();
    (!out.is_empty()).then_some(out)
}

/// The rows of a list answer: a bare array, or the first array under one of the usual
/// wrapper keys (`data`, `plans`, ...), looking one object deeper when `data` is an object.
pub(super) fn rows(json: &Json, wrappers: &[&str]) -> Option<Vec<Box<RawValue>>> {
    match json {
        Json::Array(a) => Some(a.clone()),
        Json::Object(o) => o.array(wrappers).or_else(|| {
            let inner = o.obj(&["data", "result"])?;
            inner.array(wrappers)
        }),
    }
}

/// Keys tried when a list comes wrapped in an object (not documented).
pub(super) const LIST_KEYS: &[&str] = &[
    "data",
    "plans",
    "services",
    "discos",
    "result",
    "results",
    "items",
    "variations",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_both_read_as_text_and_amounts() {
        let o = Obj::parse(r#"{"id": 7, "price": 123.45, "s": "1,000.50", "n": null, "e": ""}"#)
            .expect("object");
        assert_eq!(o.text(&["id"]).as_deref(), Some("7"));
        assert_eq!(o.amount(&["price"]), Some(Ok(Decimal::new(12345, 2))));
        assert_eq!(o.amount(&["s"]), Some(Ok(Decimal::new(100050, 2))));
        assert!(o.text(&["n"]).is_none() && o.amount(&["n"]).is_none());
        assert!(o.text(&["e"]).is_none() && o.amount(&["e"]).is_none());
    }

    #[test]
    fn keys_match_in_any_case_after_the_exact_spelling() {
        let o = Obj::parse(r#"{"Customer_Name": "ADA", "customer_name": "OBI"}"#).expect("obj");
        assert_eq!(o.text(&["customer_name"]).as_deref(), Some("OBI"));
        let o = Obj::parse(r#"{"Customer_Name": "ADA"}"#).expect("obj");
        assert_eq!(o.text(&["customer_name"]).as_deref(), Some("ADA"));
    }

    #[test]
    fn bad_bodies_are_described() {
        assert_eq!(
            parse_json("").err().as_deref(),
            Some("the answer was empty")
        );
        assert!(parse_json("<html>")
            .err()
            .is_some_and(|e| e.contains("HTML")));
        assert!(parse_json(r#"{"status": "succ"#)
            .err()
            .is_some_and(|e| e.contains("cut off")));
        assert!(parse_json("42").is_err());
    }
}
