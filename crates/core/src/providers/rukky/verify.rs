//! `vtu_cable_verify` / `vtu_electricity_verify` answers as `AccountValidation`.
//!
//! The document lists the calls but shows no answer. The customer's name is read from the
//! usual keys at the top level or inside `data` / `content` / `details` / `customer`;
//! `status` (success / failed, true / false) decides validity when present, otherwise a
//! name means valid.

use super::wire::{Json, Obj};
use super::KIND;
use crate::providers::http::HttpClient;
use crate::providers::{AccountValidation, ProviderError};

const NAME_KEYS: &[&str] =
    &["customer_name", "Customer_Name", "name", "account_name", "customerName", "full_name"];
const NESTED: &[&str] = &["data", "content", "details", "customer", "result"];

pub(super) fn account(http: &HttpClient, json: &Json) -> Result<AccountValidation, ProviderError> {
    let Json::Object(top) = json else {
        return Err(ProviderError::BadResponse {
            provider: KIND,
            reason: "the verification answer is not a JSON object".into(),
            body: None,
        });
    };
    let inner = top.obj(NESTED);
    let find = |keys: &[&str]| top.text(keys).or_else(|| inner.as_ref().and_then(|i| i.text(keys)));
    let name = find(NAME_KEYS).map(|n| http.scrub(&n));
    let message = find(&["message", "msg"]).map(|m| http.scrub(&m));
    let valid = match status_says(top).or_else(|| inner.as_ref().and_then(status_says)) {
        Some(v) => v,
        None => name.is_some(),
    };
    Ok(AccountValidation { valid, account_name: name.filter(|_| valid), options: Vec::new(), message })
}

fn status_says(o: &Obj) -> Option<bool> {
    let s = o.text(&["status", "valid", "success"])?;
    match s.to_ascii_lowercase().as_str() {
        "success" | "successful" | "true" | "1" | "ok" | "valid" => Some(true),
        "failed" | "fail" | "false" | "0" | "error" | "invalid" => Some(false),
        _ => None,
    }
}

/// A refusal that means "this number is not valid" rather than a problem with the key,
/// the balance or the service: field errors (422) and unrecognised messages.
pub(super) fn is_invalid_number(e: &ProviderError) -> bool {
    matches!(e, ProviderError::Rejected { code, .. }
        if code.is_none() || code.as_deref() == Some("VALIDATION"))
        || matches!(e, ProviderError::NotFound { .. })
}
