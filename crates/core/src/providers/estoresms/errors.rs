//! eStoreSMS response codes (OK, FAIL, P000-P014) and HTTP failures mapped to typed
//! `ProviderError`s whose messages say which field to fix.

use super::KIND;
use crate::providers::http::{HttpClient, HttpResponse};
use crate::providers::ProviderError;

/// What one `response` value means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Code {
    /// `OK`: successful.
    Ok,
    /// `PENDING`: accepted, final status comes from `api_query` or the callback.
    Pending,
    /// `FAIL` or `P009 Operation Failed`: the provider says the operation did not happen.
    Failed,
    /// Any other documented code: a refusal before anything was charged.
    Refused,
    /// A value the document does not list.
    Unknown,
}

pub(super) fn classify(code: &str) -> Code {
    match code.trim().to_ascii_uppercase().as_str() {
        "OK" => Code::Ok,
        "PENDING" => Code::Pending,
        "FAIL" | "P009" => Code::Failed,
        c if hint(c).is_some() => Code::Refused,
        _ => Code::Unknown,
    }
}

/// The document's wording for each refusal code and what the user should change.
fn hint(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "P000" => ("Incomplete information", "a required field (username, hash, phone, product) was missing; check the account's username, email and API token"),
        "P001" => ("Authentication Failed", "check the account's username, email and API token"),
        "P002" => ("API not enabled for this account", "enable the Airtime/Data API token on the eStoreSMS settings page, save, and enter the new token here"),
        "P003" => ("Failed to validate phone number", "check the recipient phone number and write it in international format, e.g. +2348031234567"),
        "P004" => ("Network not supported", "the recipient's network is not served; check the phone number or use another provider"),
        "P005" => ("Phone number is required", "enter the recipient phone number"),
        "P006" => ("Product ID is required", "choose a product from the list loaded for this phone number"),
        "P007" => ("Amount is required", "enter an amount: this product takes any whole amount between its minimum and maximum"),
        "P008" => ("Invalid Amount", "enter a whole amount (no decimals) within the product's range"),
        "P009" => ("Operation Failed", "nothing was bought; try again later"),
        "P010" => ("Below Minimum amount allowed", "raise the amount to at least the product's minimum"),
        "P011" => ("Above Maximum amount allowed", "lower the amount to at most the product's maximum"),
        "P012" => ("Product does not exist", "reload the product list for this phone number and choose a listed product"),
        "P013" => ("Insufficient Balance", "top up the eStoreSMS wallet"),
        "P014" => ("Maximum of 5 requests allowed", "send at most 5 items in one batch"),
        _ => return None,
    })
}

/// The typed error for a refusal code. `P009` and `FAIL` land here only outside purchases
/// (catalogue, query), where they are refusals rather than a purchase outcome.
/// The provider's message and body are scrubbed of the account's secrets first.
pub(super) fn refusal(
    http: &HttpClient,
    code: &str,
    provider_message: Option<&str>,
    body: &str,
) -> ProviderError {
    let upper = http.scrub(code.trim()).to_ascii_uppercase();
    let body = http.keep_body(body);
    let (doc_text, what_to_do) = match hint(&upper) {
        Some(h) => h,
        None if upper == "FAIL" => ("Not Successful", "check the request and try again"),
        None => {
            return ProviderError::BadResponse {
                provider: KIND,
                reason: format!("an unknown response code \"{}\"", short(&upper)),
                body,
            }
        }
    };
    let said = provider_message
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .unwrap_or(doc_text);
    let message = format!("{} ({upper}): {what_to_do}", short(&http.scrub(said)));
    match upper.as_str() {
        "P001" | "P002" => ProviderError::Auth {
            provider: KIND,
            message,
        },
        "P013" => ProviderError::InsufficientBalance {
            provider: KIND,
            message,
        },
        _ => ProviderError::Rejected {
            provider: KIND,
            message,
            code: Some(upper),
            body,
        },
    }
}

/// A refusal raised here, before anything is sent (`code` names the field).
pub(super) fn invalid(code: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::Rejected {
        provider: KIND,
        message: message.into(),
        code: Some(code.to_owned()),
        body: None,
    }
}

pub(super) fn bad(http: &HttpClient, reason: impl Into<String>, body: &str) -> ProviderError {
    ProviderError::BadResponse {
        provider: KIND,
        // Parser errors quote the offending value, which could be an echoed secret.
        reason: http.scrub(&reason.into()),
        body: http.keep_body(body),
    }
}

/// Returns the body to parse, or the error the HTTP status alone decides. A 4xx whose body
/// carries a `response` code is handed on: the code says more than the status.
pub(super) fn body_of<'a>(
    http: &HttpClient,
    resp: &'a HttpResponse,
) -> Result<&'a str, ProviderError> {
    let body = resp.body.trim();
    if resp.is_success() {
        if body.is_empty() {
            return Err(bad(http, "an empty answer", body));
        }
        if body.starts_with('<') {
            return Err(bad(
                http,
                "an HTML page instead of JSON (a maintenance page, or a wrong base URL)",
                body,
            ));
        }
        return Ok(body);
    }
    if resp.status >= 500 {
        return Err(ProviderError::Server {
            provider: KIND,
            status: resp.status,
            body: http.keep_body(body),
        });
    }
    if body.starts_with('{') && body.contains("\"response\"") {
        return Ok(body);
    }
    Err(match resp.status {
        401 | 403 => ProviderError::Auth {
            provider: KIND,
            message: format!(
                "HTTP {}; check the account's username, email and API token",
                resp.status
            ),
        },
        404 => ProviderError::Rejected {
            provider: KIND,
            message: "the address was not found (HTTP 404); check the account's base URL"
                .to_owned(),
            code: Some("404".to_owned()),
            body: http.keep_body(body),
        },
        // The server may have read the whole request before giving up: not a refusal.
        408 | 409 | 425 => ProviderError::BadResponse {
            provider: KIND,
            reason: format!("HTTP {} before an answer", resp.status),
            body: http.keep_body(body),
        },
        s => ProviderError::Rejected {
            provider: KIND,
            message: format!("HTTP {s}; check the request and the account settings"),
            code: Some(s.to_string()),
            body: http.keep_body(body),
        },
    })
}

/// Provider text placed in a message: trimmed and capped, never a whole page.
pub(super) fn short(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_owned(),
    }
}
