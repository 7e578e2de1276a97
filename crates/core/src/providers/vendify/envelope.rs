//! Reading one Vendify answer: the HTTP status, then the envelope every endpoint wraps its
//! data in (`authenticated`, `sysErr`, `message`, `response`), into a typed `ProviderError`
//! when it says no. Bodies are scrubbed of the account's secrets before anything is read,
//! so no secret can reach an error or a returned value.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::repair::repair;
use super::wire::raw_text;
use super::KIND;
use crate::providers::http::{HttpClient, HttpResponse};
use crate::providers::ProviderError;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    #[serde(default)]
    authenticated: Option<Box<RawValue>>,
    #[serde(default)]
    sys_err: Option<Box<RawValue>>,
    #[serde(default)]
    message: Option<Box<RawValue>>,
    #[serde(default)]
    response: Option<Box<RawValue>>,
}

/// The `response` of an answer whose envelope said yes, as raw JSON (absent when the
/// envelope carried none).
pub struct Answer {
    pub response: Option<Box<RawValue>>,
    body: String,
}

impl Answer {
    /// The `response`, required.
    pub fn require(&self, http: &HttpClient, what: &str) -> Result<&RawValue, ProviderError> {
        self.response
            .as_deref()
            .ok_or_else(|| ProviderError::BadResponse {
                provider: KIND,
                reason: format!("the {what} answer has no \"response\""),
                body: http.keep_body(&self.body),
            })
    }

    /// The `response` read as `T`.
    pub fn parse<T: DeserializeOwned>(
        &self,
        http: &HttpClient,
        what: &str,
    ) -> Result<T, ProviderError> {
        let raw = self.require(http, what)?;
        serde_json::from_str(raw.get()).map_err(|e| ProviderError::BadResponse {
            provider: KIND,
            reason: format!("the {what} answer does not have the documented shape ({e})"),
            body: http.keep_body(raw.get()),
        })
    }

    /// A list `response` read item by item: items that cannot be read are skipped with a
    /// warning (one odd catalogue entry must not hide the others). A `response` that is not
    /// a list at all is an error.
    pub fn parse_list<T: DeserializeOwned>(
        &self,
        http: &HttpClient,
        what: &str,
    ) -> Result<Vec<T>, ProviderError> {
        let items: Vec<Box<RawValue>> = self.parse(http, what)?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match serde_json::from_str(item.get()) {
                Ok(v) => out.push(v),
                Err(e) => {
                    tracing::warn!(error = %e, what, "skipped a Vendify list item that cannot be read")
                }
            }
        }
        Ok(out)
    }
}

/// An item of a list the document shows no sample of: an object (fields read by name with
/// [`super::wire::pick`]) or a plain string.
pub enum LooseItem {
    Object(BTreeMap<String, Box<RawValue>>),
    Text(String),
}

impl Answer {
    /// A list `response` whose items may be objects or plain strings; other items are
    /// skipped.
    pub fn parse_loose_list(
        &self,
        http: &HttpClient,
        what: &str,
    ) -> Result<Vec<LooseItem>, ProviderError> {
        let items: Vec<Box<RawValue>> = self.parse(http, what)?;
        Ok(items
            .into_iter()
            .filter_map(|raw| match serde_json::from_str(raw.get()) {
                Ok(map) => Some(LooseItem::Object(map)),
                Err(_) => raw_text(raw.get()).map(LooseItem::Text),
            })
            .collect())
    }
}

/// Strict JSON first; the documented repair pass once when that fails.
pub fn parse_document<T: DeserializeOwned>(body: &str) -> Result<T, serde_json::Error> {
    match serde_json::from_str(body) {
        Ok(v) => Ok(v),
        Err(strict) => match repair(body) {
            Some(fixed) => serde_json::from_str(&fixed),
            None => Err(strict),
        },
    }
}

/// Reads an answer, or the typed error it amounts to.
pub fn read(http: &HttpClient, resp: &HttpResponse) -> Result<Answer, ProviderError> {
    // Vendify may echo request headers back (the API key among them): strip every secret
    // before any text is kept or returned.
    let body = http.scrub(&resp.body);
    let status = resp.status;
    let envelope: Option<Envelope> = parse_document(&body).ok();

    if !(200..300).contains(&status) {
        return Err(http_error(
            http,
            status,
            resp.retry_after,
            envelope.as_ref(),
            &body,
        ));
    }
    let Some(env) = envelope else {
        let reason = if body.trim().is_empty() {
            "the answer was empty".to_owned()
        } else if body.trim_start().starts_with('<') {
            "an HTML page came back instead of JSON".to_owned()
        } else {
            "the answer is not JSON, or was cut off".to_owned()
        };
        return Err(ProviderError::BadResponse {
            provider: KIND,
            reason,
            body: http.keep_body(&body),
        });
    };
    let authenticated = env.authenticated.as_deref().and_then(|r| raw_text(r.get()));
    if authenticated
        .as_deref()
        .is_some_and(|a| a.eq_ignore_ascii_case("false"))
    {
        return Err(ProviderError::Auth {
            provider: KIND,
            message: message_of(&env),
        });
    }
    let sys_err = env.sys_err.as_deref().and_then(|r| raw_text(r.get()));
    match sys_err.as_deref().map(|s| s.parse::<u16>()) {
        Some(Ok(200)) => {}
        Some(Ok(code)) => return Err(code_error(http, code, &message_of(&env), &body)),
        Some(Err(_)) => {
            return Err(ProviderError::BadResponse {
                provider: KIND,
                reason: "\"sysErr\" is not a number".to_owned(),
                body: http.keep_body(&body),
            })
        }
        // No sysErr: an answer only when it carries a response at all.
        None if env.response.is_some() => {}
        None => {
            return Err(ProviderError::BadResponse {
                provider: KIND,
                reason: "the answer has neither \"sysErr\" nor \"response\"".to_owned(),
                body: http.keep_body(&body),
            })
        }
    }
    let response = env.response.filter(|r| r.get().trim() != "null");
    Ok(Answer { response, body })
}

/// A non-2xx HTTP status, with the envelope when the body had one.
fn http_error(
    http: &HttpClient,
    status: u16,
    retry_after: Option<u64>,
    env: Option<&Envelope>,
    body: &str,
) -> ProviderError {
    let message = env
        .map(message_of)
        .unwrap_or_else(|| format!("HTTP {status}"));
    match status {
        401 | 403 => ProviderError::Auth {
            provider: KIND,
            message,
        },
        429 => ProviderError::RateLimited {
            provider: KIND,
            retry_after_secs: retry_after,
        },
        500..=599 => ProviderError::Server {
            provider: KIND,
            status,
            body: http.keep_body(body),
        },
        // The envelope, when there is one, says more than the status line.
        _ if env.is_some() => code_error(http, status, &message, body),
        408 | 409 => code_error(http, status, &message, body),
        // No Vendify envelope at all: most likely a wrong base URL or a proxy page.
        _ => ProviderError::Rejected {
            provider: KIND,
            message: format!(
                "HTTP {status} without a Vendify answer; check the account's base URL"
            ),
            code: Some(status.to_string()),
            body: http.keep_body(body),
        },
    }
}

/// A refusal code, from the HTTP status or the envelope's `sysErr`.
fn code_error(http: &HttpClient, code: u16, message: &str, body: &str) -> ProviderError {
    let lower = message.to_ascii_lowercase();
    match code {
        401 | 403 => ProviderError::Auth {
            provider: KIND,
            message: message.to_owned(),
        },
        429 => ProviderError::RateLimited {
            provider: KIND,
            retry_after_secs: None,
        },
        404 => ProviderError::NotFound {
            provider: KIND,
            what: message.to_owned(),
        },
        // 408: the provider gave up mid-request; 409: it saw this nonce before. Either way
        // an order may exist, so the outcome is unknown until a status query says.
        408 | 409 => ProviderError::BadResponse {
            provider: KIND,
            reason: format!("code {code} ({message}); the request may have been processed"),
            body: http.keep_body(body),
        },
        500..=599 => ProviderError::Server {
            provider: KIND,
            status: code,
            body: http.keep_body(body),
        },
        402 => ProviderError::InsufficientBalance {
            provider: KIND,
            message: message.to_owned(),
        },
        _ if lower.contains("insufficient") => ProviderError::InsufficientBalance {
            provider: KIND,
            message: message.to_owned(),
        },
        _ => ProviderError::Rejected {
            provider: KIND,
            message: message.to_owned(),
            code: Some(code.to_string()),
            body: http.keep_body(body),
        },
    }
}

/// The envelope's `message`, with the response's own message when it has one
/// (`"REQUEST FAILED: Insufficient wallet balance"`), at most 300 characters.
fn message_of(env: &Envelope) -> String {
    let outer = env.message.as_deref().and_then(|r| raw_text(r.get()));
    let inner = env.response.as_deref().and_then(|r| {
        let t = r.get().trim_start();
        if t.starts_with('"') {
            return raw_text(t);
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Inner {
            #[serde(default, deserialize_with = "super::wire::de_opt_text")]
            response_message: Option<String>,
            #[serde(default, deserialize_with = "super::wire::de_opt_text")]
            message: Option<String>,
            #[serde(default, deserialize_with = "super::wire::de_opt_text")]
            description: Option<String>,
        }
        serde_json::from_str::<Inner>(t)
            .ok()
            .and_then(|i| i.response_message.or(i.message).or(i.description))
    });
    let text = match (outer, inner) {
        (Some(o), Some(i)) if o != i => format!("{o}: {i}"),
        (Some(o), _) => o,
        (None, Some(i)) => i,
        (None, None) => "no reason given".to_owned(),
    };
    truncate(&text, 300)
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::http::HttpPolicy;
    use crate::secrets::Secret;

    fn http() -> HttpClient {
        HttpClient::new(
            KIND,
            HttpPolicy::default(),
            vec![Secret::new("sk-CANARY-123")],
        )
        .expect("client")
    }
    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            body: body.to_owned(),
            retry_after: None,
        }
    }

    #[test]
    fn envelope_errors_become_typed_errors() {
        let h = http();
        let e = |s: u16, b: &str| read(&h, &resp(s, b)).err().expect("an error");
        assert!(matches!(
            e(200, r#"{"authenticated": false, "sysErr": 200}"#),
            ProviderError::Auth { .. }
        ));
        assert!(matches!(
            e(200, r#"{"sysErr": 401, "message": "bad key"}"#),
            ProviderError::Auth { .. }
        ));
        assert!(matches!(
            e(200, r#"{"sysErr": "500"}"#),
            ProviderError::Server { status: 500, .. }
        ));
        assert!(matches!(
            e(200, r#"{"sysErr": 404, "message": "no such order"}"#),
            ProviderError::NotFound { .. }
        ));
        assert!(matches!(
            e(200, r#"{"sysErr": 409}"#),
            ProviderError::BadResponse { .. }
        ));
        assert!(matches!(
            e(
                200,
                r#"{"sysErr": 400, "message": "REQUEST FAILED", "response": {"responseMessage": "Insufficient wallet balance"}}"#
            ),
            ProviderError::InsufficientBalance { .. }
        ));
        match e(400, r#"{"sysErr": 400, "message": "Invalid productId"}"#) {
            ProviderError::Rejected { message, code, .. } => {
                assert_eq!(message, "Invalid productId");
                assert_eq!(code.as_deref(), Some("400"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            e(200, r#"{"sysErr": "abc"}"#),
            ProviderError::BadResponse { .. }
        ));
        assert!(matches!(
            e(200, r#"{"hello": 1}"#),
            ProviderError::BadResponse { .. }
        ));
        assert!(matches!(e(200, ""), ProviderError::BadResponse { .. }));
        assert!(matches!(
            e(404, "<html>Not Found</html>"),
            ProviderError::Rejected { .. }
        ));
        assert!(matches!(
            e(503, "<html>down</html>"),
            ProviderError::Server { status: 503, .. }
        ));
        assert!(matches!(e(429, ""), ProviderError::RateLimited { .. }));
    }

    #[test]
    fn secrets_are_scrubbed_before_reading() {
        let h = http();
        let a = read(
            &h,
            &resp(
                200,
                r#"{"sysErr": 200, "response": {"echo": "sk-CANARY-123"}}"#,
            ),
        )
        .expect("reads");
        assert!(!a
            .require(&h, "x")
            .expect("response")
            .get()
            .contains("CANARY"));
        let e = read(
            &h,
            &resp(
                400,
                r#"{"sysErr": 400, "message": "key sk-CANARY-123 unknown"}"#,
            ),
        )
        .err()
        .expect("error");
        assert!(!format!("{e} {e:?}").contains("CANARY"));
    }

    #[test]
    fn a_missing_sys_err_is_tolerated_only_with_a_response() {
        let h = http();
        assert!(read(&h, &resp(200, r#"{"response": []}"#)).is_ok());
        let a = read(&h, &resp(200, r#"{"sysErr": 200, "response": null}"#)).expect("reads");
        assert!(a.require(&h, "x").is_err());
    }

    #[test]
    fn long_messages_are_cut() {
        assert_eq!(truncate("abcdef", 3), "abc…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
