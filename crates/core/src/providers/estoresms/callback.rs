//! The status callback eStoreSMS POSTs to the `callback` URL of a purchase when its status
//! changes: `transaction_id`, `reference` and `status`.
//!
//! The document shows the fields only as a PHP `print_r($_POST)` dump, which means a form
//! POST (`application/x-www-form-urlencoded`); JSON bodies and the `print_r` text itself are
//! accepted too. The callback carries no signature, so anyone who knows the URL can send one:
//! treat it as a hint to run `status()` for that order, never as the final word.

use super::status::map_status;
use super::KIND;
use crate::providers::{OutcomeStatus, ProviderError};

/// One callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackEvent {
    pub transaction_id: String,
    /// Our `ref` from the purchase.
    pub reference: Option<String>,
    pub status: OutcomeStatus,
    /// The status text as sent (`Approved`, `Awaiting Confirmation`, ...).
    pub provider_status: String,
}

/// Reads a callback body (form-encoded, JSON, or the document's `print_r` form).
pub fn parse_callback(body: &str) -> Result<CallbackEvent, ProviderError> {
    let t = body.trim();
    let fields: Vec<(String, String)> = if t.starts_with('{') {
        let v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(t)
            .map_err(|e| fail(format!("the callback is not valid JSON ({e})")))?;
        v.into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                // Ids are text; a number is kept as its digits (no amounts are read here).
                serde_json::Value::Number(n) => Some((k, n.to_string())),
                _ => None,
            })
            .collect()
    } else if t.contains("=>") {
        t.lines()
            .filter_map(|l| {
                let (k, v) = l.split_once("=>")?;
                let k = k.trim().strip_prefix('[')?.strip_suffix(']')?;
                Some((k.to_owned(), v.trim().to_owned()))
            })
            .collect()
    } else {
        url::form_urlencoded::parse(t.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    let get = |names: &[&str]| {
        fields
            .iter()
            .find(|(k, _)| names.iter().any(|n| k.trim().eq_ignore_ascii_case(n)))
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let transaction_id =
        get(&["transaction_id"]).ok_or_else(|| fail("a callback without transaction_id"))?;
    let provider_status = get(&["status"]).ok_or_else(|| fail("a callback without status"))?;
    let status = map_status(&provider_status).ok_or_else(|| {
        fail(format!(
            "a callback with an unknown status \"{}\"",
            super::errors::short(&provider_status)
        ))
    })?;
    Ok(CallbackEvent {
        transaction_id,
        reference: get(&["reference", "ref"]),
        status,
        provider_status,
    })
}

fn fail(reason: impl Into<String>) -> ProviderError {
    ProviderError::BadResponse {
        provider: KIND,
        reason: reason.into(),
        body: None,
    }
}
