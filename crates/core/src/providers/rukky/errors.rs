//! RukkyStore's error answers (`{"error": ...}`, `{"errors": {field: [msgs]}}`, or both,
//! with HTTP 400/403/422/429/500) turned into typed `ProviderError`s.
//!
//! The documented messages are matched case-insensitively on a distinctive part, because
//! the document shows them as prose ("This credential is no longer ...", "Amount must be
//! between X and Y") rather than exact strings. Every provider text kept in an error goes
//! through `scrub`, since RukkyStore may echo the request (key, PIN) back.

use super::wire::{parse_json, raw_text, Json, Obj};
use super::KIND;
use crate::providers::http::{HttpClient, HttpResponse};
use crate::providers::ProviderError;

/// What a documented message means for the caller.
#[derive(Debug, Clone, Copy)]
enum Meaning {
    Auth,
    /// An Auth refusal limited to one action or product line (key scope, API plan): the
    /// catalogue skips that list instead of failing as a whole.
    Scope,
    Rejected(&'static str),
    Balance,
    RateLimited,
}

/// (distinctive part of the message, meaning, what the user should do next).
const KNOWN: &[(&str, Meaning, &str)] = &[
    ("the action field is required", Meaning::Rejected("MISSING_ACTION"),
     "Reseller Console sent no action; this is a bug, send the log file to support"),
    ("the api key field is required", Meaning::Auth,
     "no API key reached RukkyStore; paste the key from Developer Portal again"),
    ("invalid api key", Meaning::Auth,
     "the key is wrong or was revoked; create a new one in Developer Portal"),
    ("this credential is no longer", Meaning::Auth,
     "the RukkyStore account is deactivated; contact RukkyStore support before using it again"),
    ("not allowed for this action", Meaning::Scope,
     "the key's scopes do not include this action; create a key with that scope in Developer Portal"),
    ("vtu api access is not enabled", Meaning::Scope,
     "the account's API plan has no VTU access; upgrade to a plan with VTU enabled"),
    ("smm api access is not enabled", Meaning::Scope,
     "the account's API plan has no SMM access; upgrade to a plan with SMM enabled"),
    ("incorrect pin", Meaning::Auth,
     "the 4-digit transaction PIN is wrong; re-enter the PIN (not only the key) for this account"),
    ("restricted to whitelisted domains", Meaning::Auth,
     "add the detected domain to the key's whitelist in Developer Portal"),
    ("invalid action", Meaning::Rejected("INVALID_ACTION"),
     "RukkyStore does not know this action for the account; contact RukkyStore support"),
    ("invalid service id", Meaning::Rejected("INVALID_SERVICE"),
     "the service or plan does not exist or is inactive; reload the catalogue and pick another"),
    ("please follow the limit", Meaning::Rejected("QUANTITY_LIMIT"),
     "the quantity is below the service's minimum or above its maximum; change it"),
    ("insufficient balance", Meaning::Balance, ""),
    ("rate limit exceeded", Meaning::RateLimited, ""),
    ("invalid or inactive gift card type", Meaning::Rejected("GIFTCARD_TYPE"),
     "the gift card type does not exist or is inactive; reload the gift card list"),
    ("amount must be between", Meaning::Rejected("AMOUNT_RANGE"),
     "change the amount to one inside the range RukkyStore gave"),
    ("no-kyc per-transaction vtu limit exceeded", Meaning::Rejected("KYC_LIMIT"),
     "complete KYC at RukkyStore or use a smaller amount"),
    ("no-kyc daily vtu limit exceeded", Meaning::Rejected("KYC_DAILY_LIMIT"),
     "complete KYC at RukkyStore or wait until tomorrow"),
];

/// A refusal Reseller Console makes itself, before sending anything.
pub(super) fn refuse(code: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::Rejected {
        provider: KIND,
        message: message.into(),
        code: Some(code.to_owned()),
        body: None,
    }
}

/// Whether `e` is a key-scope or API-plan refusal (see [`Meaning::Scope`]).
pub(super) fn is_scope_refusal(e: &ProviderError) -> bool {
    let ProviderError::Auth { message, .. } = e else {
        return false;
    };
    KNOWN
        .iter()
        .any(|(_, m, advice)| matches!(m, Meaning::Scope) && message.ends_with(advice))
}

/// Reads an answer: JSON on success, a typed error for every failure shape.
///
/// A 4xx whose body is a VTU answer with `"status": "failed"` is returned as JSON: it is
/// a definite failed purchase (with its trx), not an error. Callers that expect another
/// shape refuse it with [`refusal_without_error`].
pub(super) fn read(http: &HttpClient, resp: &HttpResponse) -> Result<Json, ProviderError> {
    if resp.status >= 500 {
        return Err(ProviderError::Server {
            provider: KIND,
            status: resp.status,
            body: http.keep_body(&resp.body),
        });
    }
    let json = match parse_json(&resp.body) {
        Ok(j) => j,
        Err(reason) if resp.is_success() => {
            return Err(ProviderError::BadResponse {
                provider: KIND,
                // serde's message may quote the body.
                reason: http.scrub(&reason),
                body: http.keep_body(&resp.body),
            });
        }
        Err(_) => return Err(by_status(http, resp, None)),
    };
    if let Json::Object(o) = &json {
        if says_error(o) {
            return Err(classify(http, resp, o));
        }
        if !resp.is_success() && !is_failed_vtu(o) {
            return Err(by_status(http, resp, o.text(&["message"])));
        }
    } else if !resp.is_success() {
        return Err(by_status(http, resp, None));
    }
    Ok(json)
}

/// `error`/`errors` present and meaningful: `"error": false` or an empty `errors` is the
/// common "no error" spelling of such APIs, not a refusal.
fn says_error(o: &Obj) -> bool {
    let error = o.has("error") && !o.text(&["error"]).is_some_and(|t| t == "false" || t == "0");
    error || field_errors(o).is_some()
}

fn is_failed_vtu(o: &Obj) -> bool {
    o.text(&["status"])
        .is_some_and(|s| s.eq_ignore_ascii_case("failed"))
}

/// For calls that cannot use a failed-VTU body (catalogue, balance): the refusal it means.
pub(super) fn refusal_without_error(http: &HttpClient, o: &Obj) -> ProviderError {
    let said = o.text(&["message"]).map(|m| http.scrub(&m));
    if let Some(s) = said
        .as_deref()
        .filter(|s| s.to_ascii_lowercase().contains("not found"))
    {
        return ProviderError::NotFound {
            provider: KIND,
            what: format!("the item (\"{s}\")"),
        };
    }
    ProviderError::Rejected {
        provider: KIND,
        message: said.unwrap_or_else(|| "RukkyStore answered \"failed\" without a reason".into()),
        code: None,
        body: None,
    }
}

/// An `error` / `errors` answer.
fn classify(http: &HttpClient, resp: &HttpResponse, o: &Obj) -> ProviderError {
    let error = o
        .text(&["error"])
        .or_else(|| o.obj(&["error"]).and_then(|e| e.text(&["message"])))
        .or_else(|| o.text(&["message"]))
        .map(|e| http.scrub(&e));
    let fields = field_errors(o).map(|f| http.scrub(&f));
    let body = http.keep_body(&resp.body);
    let said = match (&error, &fields) {
        (Some(e), Some(f)) => format!("\"{e}\" ({f})"),
        (Some(e), None) => format!("\"{e}\""),
        (None, Some(f)) => f.clone(),
        (None, None) => "an error without a message".to_owned(),
    };
    let lower = error.as_deref().unwrap_or_default().to_ascii_lowercase();
    if let Some((_, meaning, advice)) = KNOWN.iter().find(|(m, _, _)| lower.contains(m)) {
        return match *meaning {
            Meaning::Balance => ProviderError::InsufficientBalance {
                provider: KIND,
                message: format!("RukkyStore said {said}"),
            },
            Meaning::RateLimited => ProviderError::RateLimited {
                provider: KIND,
                retry_after_secs: resp.retry_after,
            },
            Meaning::Auth | Meaning::Scope => {
                let domain = o.text(&["detected_domain"]).map(|d| http.scrub(&d));
                let seen = domain
                    .map(|d| format!(" (RukkyStore saw the domain \"{d}\")"))
                    .unwrap_or_default();
                ProviderError::Auth {
                    provider: KIND,
                    message: format!("RukkyStore said {said}{seen}: {advice}"),
                }
            }
            Meaning::Rejected(code) => ProviderError::Rejected {
                provider: KIND,
                message: format!("RukkyStore said {said}: {advice}."),
                code: Some(code.to_owned()),
                body,
            },
        };
    }
    if lower.contains("not found") {
        return ProviderError::NotFound {
            provider: KIND,
            what: format!("the item ({said})"),
        };
    }
    match resp.status {
        401 | 403 => ProviderError::Auth {
            provider: KIND,
            message: format!(
                "RukkyStore said {said} (HTTP {}): API access, the key's scope or whitelist, \
                 or the PIN was refused; check them in Developer Portal",
                resp.status
            ),
        },
        429 => ProviderError::RateLimited {
            provider: KIND,
            retry_after_secs: resp.retry_after,
        },
        _ if error.is_none() && fields.is_some() => ProviderError::Rejected {
            provider: KIND,
            message: format!(
                "RukkyStore found invalid fields: {said}. Correct them and try again."
            ),
            code: Some("VALIDATION".to_owned()),
            body,
        },
        _ => ProviderError::Rejected {
            provider: KIND,
            message: format!("RukkyStore said {said}. Check the request and try again."),
            code: None,
            body,
        },
    }
}

/// `errors` as "field: msg; field: msg"; tolerates arrays, strings and plain lists.
fn field_errors(o: &Obj) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(map) = o.obj(&["errors"]) {
        for (field, raw) in map.entries() {
            let msgs: Vec<String> =
                match serde_json::from_str::<Vec<Box<serde_json::value::RawValue>>>(raw.get()) {
                    Ok(list) => list.iter().filter_map(|m| raw_text(m)).collect(),
                    Err(_) => raw_text(raw).into_iter().collect(),
                };
            if msgs.is_empty() {
                parts.push(format!("{field}: invalid"));
            } else {
                parts.push(format!("{field}: {}", msgs.join(" ")));
            }
        }
    } else if let Some(list) = o.array(&["errors"]) {
        parts.extend(list.iter().filter_map(|m| raw_text(m)));
    } else if let Some(t) = o.text(&["errors"]) {
        parts.push(t);
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A 4xx without a readable `error`: the status decides.
fn by_status(http: &HttpClient, resp: &HttpResponse, message: Option<String>) -> ProviderError {
    let said = message
        .map(|m| format!("\"{}\"", http.scrub(&m)))
        .unwrap_or_else(|| "no readable message".to_owned());
    let body = http.keep_body(&resp.body);
    match resp.status {
        401 | 403 => ProviderError::Auth {
            provider: KIND,
            message: format!(
                "HTTP {} with {said}: API access is inactive, or the key's scope, domain \
                 whitelist or PIN was refused; check them in Developer Portal",
                resp.status
            ),
        },
        // Not NotFound: that tells the UI an item is gone, while a 404 here means the
        // base URL is wrong.
        404 => ProviderError::Rejected {
            provider: KIND,
            message: format!(
                "HTTP 404 with {said}: no RukkyStore API at this address. Check the account's \
                 base URL (https://www.rukkystore.com/api/v1)."
            ),
            code: Some("HTTP_404".to_owned()),
            body,
        },
        429 => ProviderError::RateLimited {
            provider: KIND,
            retry_after_secs: resp.retry_after,
        },
        s if (200..400).contains(&s) => ProviderError::BadResponse {
            provider: KIND,
            reason: format!("HTTP {s} with {said}"),
            body,
        },
        s => ProviderError::Rejected {
            provider: KIND,
            message: format!("HTTP {s} with {said}. Check the request and the account's base URL."),
            code: Some(format!("HTTP_{s}")),
            body,
        },
    }
}
