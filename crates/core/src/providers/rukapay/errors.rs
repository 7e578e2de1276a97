//! RukaPay's refusals: reading error bodies (their shape is undocumented) and mapping HTTP
//! answers to `ProviderError`, except the one 400 that is no failure at all: a duplicate
//! `partnerReference`, which means our transfer already exists.

use serde_json::Value;

use super::wire::value_text;
use super::KIND;
use crate::providers::ProviderError;

/// The longest provider message kept in an error: enough to read, short enough to show.
const MAX_MESSAGE: usize = 300;

/// What an error body says, from whichever of the common shapes RukaPay uses:
/// `{message}`, `{message: [..]}` (NestJS validation), `{error: "CODE"}`,
/// `{error: {code, message}}`, `{code | errorCode}`, `{errors: [..]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ErrorBody {
    pub message: Option<String>,
    pub code: Option<String>,
    /// The body was JSON (an HTML page or nothing means we never reached the API itself).
    pub json: bool,
}

fn looks_like_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.contains('_')
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

pub(super) fn read_error_body(body: &str) -> ErrorBody {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return ErrorBody::default();
    };
    let text = |v: &Value, keys: &[&str]| keys.iter().find_map(|k| v.get(*k).and_then(value_text));
    let mut messages: Vec<String> = Vec::new();
    let mut code = text(&v, &["code", "errorCode", "error_code"]);
    if let Some(m) = text(&v, &["message", "errorMessage", "detail", "failureReason"]) {
        messages.push(m);
    }
    match v.get("error") {
        Some(Value::String(s)) if looks_like_code(s) => code = code.or_else(|| Some(s.clone())),
        // NestJS adds `error: "Bad Request"`: useful only when nothing better was said.
        Some(Value::String(s)) if messages.is_empty() && !s.trim().is_empty() => {
            messages.push(s.trim().to_owned())
        }
        Some(obj @ Value::Object(_)) => {
            code = code.or_else(|| text(obj, &["code", "errorCode"]));
            messages.extend(text(obj, &["message", "detail"]));
        }
        _ => {}
    }
    if let Some(Value::Array(items)) = v.get("errors") {
        for item in items {
            let m = match item {
                Value::Object(_) => text(item, &["message", "msg", "detail"]),
                other => value_text(other),
            };
            messages.extend(m);
        }
    }
    messages.dedup();
    let mut message = messages.join("; ");
    if message.chars().count() > MAX_MESSAGE {
        message = message.chars().take(MAX_MESSAGE).collect::<String>() + "…";
    }
    ErrorBody {
        message: (!message.is_empty()).then_some(message),
        code,
        json: true,
    }
}

/// What kind of refusal an error body describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    /// Our `partnerReference` already exists at RukaPay.
    DuplicateReference,
    InsufficientBalance,
    NotFound,
    Other,
}

/// The document lists "duplicate partnerReference" among the 400s without its wording, so the
/// match is deliberately broad: a `DUPLICATE*` code, or a message that speaks of a reference
/// and of it being a duplicate / already existing / already used.
pub(super) fn classify(e: &ErrorBody) -> Refusal {
    let code = e.code.as_deref().unwrap_or("").to_ascii_uppercase();
    let text = format!("{} {}", e.message.as_deref().unwrap_or(""), code).to_ascii_lowercase();
    let about_reference = text.contains("reference");
    let repeated = [
        "duplicate",
        "already exists",
        "already exist",
        "already been used",
        "already used",
        "not unique",
    ]
    .iter()
    .any(|w| text.contains(w));
    if code.contains("DUPLICATE") || (about_reference && repeated) {
        Refusal::DuplicateReference
    } else if text.contains("insufficient") {
        Refusal::InsufficientBalance
    } else if code.contains("NOT_FOUND") || text.contains("not found") {
        Refusal::NotFound
    } else {
        Refusal::Other
    }
}

/// A 404 from something other than the API's handlers: not JSON (an HTML page, nothing), or
/// a framework's "Cannot GET /…" — unless it names TRANSACTION_NOT_FOUND after all.
fn route_missing(e: &ErrorBody, body: &str) -> bool {
    if body.to_ascii_uppercase().contains("TRANSACTION_NOT_FOUND") {
        return false;
    }
    let m = e.message.as_deref().unwrap_or("").to_ascii_lowercase();
    !e.json || m.starts_with("cannot get") || m.starts_with("cannot post")
}

/// Our code for a 404 that came from outside the API (see [`route_missing`]).
pub(super) const ROUTE_NOT_FOUND: &str = "ROUTE_NOT_FOUND";

/// Our code for an order naming a wallet RukaPay does not have (it has ESCROW and COMMISSION).
pub(super) const UNKNOWN_WALLET: &str = "UNKNOWN_WALLET";

/// Which call failed; decides how a 404 and a duplicate are read.
#[derive(Debug, Clone, Copy)]
pub(super) enum Call<'a> {
    Transfer,
    /// A status query for this id or reference.
    Status(&'a str),
    Validate,
}

#[derive(Debug)]
pub(super) enum Failure {
    /// The transfer already exists under our reference: look it up, do not fail the order.
    Duplicate,
    Error(ProviderError),
}

/// Maps a non-2xx answer. `body` is already scrubbed of secrets; `kept` is the body as kept
/// in the error (truncated, scrubbed).
pub(super) fn failure(
    call: Call<'_>,
    status: u16,
    body: &str,
    retry_after: Option<u64>,
    kept: Option<String>,
) -> Failure {
    let e = read_error_body(body);
    let said = |fallback: String| e.message.clone().unwrap_or(fallback);
    let err = match status {
        401 | 403 => ProviderError::Auth {
            provider: KIND,
            message: said(format!(
                "the x-api-key is invalid or missing (HTTP {status})"
            )),
        },
        429 => ProviderError::RateLimited {
            provider: KIND,
            retry_after_secs: retry_after,
        },
        // A web framework's own "Cannot GET /path" means the route is missing (a wrong base
        // URL or path set), which must not pass for "transaction not found".
        404 if route_missing(&e, body) => ProviderError::Rejected {
            provider: KIND,
            message: "the API address was not found (HTTP 404). Check the account's base URL \
                      and environment: sandbox accounts use the -sandbox paths"
                .to_owned(),
            code: Some(ROUTE_NOT_FOUND.to_owned()),
            body: kept,
        },
        404 => match call {
            Call::Status(key) => ProviderError::NotFound {
                provider: KIND,
                what: format!("transaction \"{key}\""),
            },
            _ => ProviderError::Rejected {
                provider: KIND,
                message: said("not found (HTTP 404)".to_owned()),
                code: e.code.clone(),
                body: kept,
            },
        },
        400..=499 => match (classify(&e), call) {
            (Refusal::DuplicateReference, Call::Transfer) => return Failure::Duplicate,
            // A `success: false` "not found" in a 200, or a 400 that says so.
            (Refusal::NotFound, Call::Status(key)) => ProviderError::NotFound {
                provider: KIND,
                what: format!("transaction \"{key}\""),
            },
            (Refusal::InsufficientBalance, _) => ProviderError::InsufficientBalance {
                provider: KIND,
                message: said("the wallet cannot pay for this transfer".to_owned()),
            },
            _ => ProviderError::Rejected {
                provider: KIND,
                message: said(format!("HTTP {status} without a readable reason")),
                code: e.code.clone(),
                body: kept,
            },
        },
        500..=599 => ProviderError::Server {
            provider: KIND,
            status,
            body: kept,
        },
        _ => ProviderError::BadResponse {
            provider: KIND,
            reason: format!("unexpected HTTP status {status}"),
            body: kept,
        },
    };
    Failure::Error(err)
}
