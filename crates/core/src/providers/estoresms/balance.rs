//! The balance check: `GET https://www.estoresms.com/smsapi.php?username=..&password=..&balance=true&`.
//!
//! It is the only call that uses the account password, and it carries it in the URL. The URL
//! is therefore built here and handed straight to the HTTP client, never logged, formatted
//! into an error or returned; transport errors are scrubbed by the shared client.
//! The document does not say what the answer looks like, so a plain number, a number with
//! currency text around it, or JSON with a `balance` field are accepted; anything else is a
//! `BadResponse`.

use rust_decimal::Decimal;
use serde::Deserialize;
use url::Url;

use super::errors::{bad, refusal};
use crate::money::{de_opt_amount, parse_amount};
use crate::providers::http::HttpClient;
use crate::providers::ProviderError;
use crate::secrets::Secret;

/// The balance URL for an account. The documented host is `www.estoresms.com` while the API
/// lives on `estoresms.com`, so the live base gains `www.`; any other base (a mock, a proxy)
/// is used as it is, so tests can point the check at a local server.
pub(super) fn url(base: &Url, username: &str, password: &Secret) -> Result<Url, ProviderError> {
    let mut u = base.join("smsapi.php").map_err(|_| {
        ProviderError::bad_response(super::KIND, "the base URL cannot carry a path")
    })?;
    if u.host_str() == Some("estoresms.com") {
        u.set_host(Some("www.estoresms.com")).map_err(|_| {
            ProviderError::bad_response(super::KIND, "the balance host is not valid")
        })?;
    }
    // "Your username and password must be url encoded"; the trailing `&` is the document's.
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let query = format!(
        "username={}&password={}&balance=true&",
        enc(username),
        enc(password.expose())
    );
    u.set_query(Some(&query));
    Ok(u)
}

#[derive(Deserialize)]
struct JsonBalance {
    #[serde(default, deserialize_with = "de_opt_amount")]
    balance: Option<Decimal>,
    #[serde(default, deserialize_with = "super::wire::de_opt_text")]
    response: Option<String>,
    #[serde(default, deserialize_with = "super::wire::de_opt_text")]
    message: Option<String>,
}

/// Words that may surround the number: the currency and a label, nothing else. Anything more
/// ("Invalid login 2") is an error text whose digits must not be read as money.
const DECORATION: [&str; 5] = ["ngn", "naira", "balance", "n", "₦"];

/// Reads the balance in NGN from the answer.
pub(super) fn parse(http: &HttpClient, body: &str) -> Result<Decimal, ProviderError> {
    let t = body.trim();
    let amount = if t.starts_with('{') {
        let j: JsonBalance = serde_json::from_str(t).map_err(|e| {
            bad(
                http,
                format!("the balance answer is not valid JSON ({e})"),
                t,
            )
        })?;
        match (j.balance, j.response) {
            (Some(b), _) => b,
            (None, Some(code)) => return Err(refusal(http, &code, j.message.as_deref(), t)),
            (None, None) => return Err(bad(http, "a balance answer without a balance", t)),
        }
    } else {
        match plain(t) {
            Some(n) => n,
            None => return Err(plain_refusal(http, t)),
        }
    };
    if amount.is_sign_negative() {
        // A prepaid wallet is never below zero: this is an undocumented error code.
        return Err(bad(
            http,
            "a negative balance, which is probably an error code",
            t,
        ));
    }
    Ok(amount)
}

/// A text answer with no balance in it. The balance call is the only one that uses the
/// account password, so a code of the document's list (`P001` Authentication Failed) or words
/// about the login mean the username or password is wrong; anything else stays unreadable.
fn plain_refusal(http: &HttpClient, t: &str) -> ProviderError {
    let upper = t.to_ascii_uppercase();
    let code = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| w.len() == 4 && w.starts_with('P') && w[1..].chars().all(|c| c.is_ascii_digit()));
    if let Some(code) = code {
        return refusal(http, code, None, t);
    }
    let about_login = [
        "LOGIN",
        "PASSWORD",
        "USERNAME",
        "AUTHENTICAT",
        "INVALID USER",
    ];
    if upper == "FAIL" || about_login.iter().any(|w| upper.contains(w)) {
        return ProviderError::Auth {
            provider: super::KIND,
            message: "eStoreSMS did not accept the username and password of the balance check \
                      (the password is the eStoreSMS login password, not the API token)"
                .to_owned(),
        };
    }
    bad(http, "a balance answer that is not a number", t)
}

/// `1234.50`, `NGN 1,234.50`, `₦1234.50`, `1234.50 NGN`, `Balance: 1234.50`.
fn plain(text: &str) -> Option<Decimal> {
    let mut number = None;
    for token in text.split_whitespace() {
        let bare = token.trim_end_matches(':');
        if DECORATION.iter().any(|d| bare.eq_ignore_ascii_case(d)) {
            continue;
        }
        let stripped = strip_currency(bare);
        if number.is_some() {
            return None;
        }
        number = Some(parse_amount(stripped).ok()?);
    }
    number
}

fn strip_currency(token: &str) -> &str {
    let lower = token.to_ascii_lowercase();
    for c in ["ngn", "₦"] {
        if lower.starts_with(c) {
            return &token[c.len()..];
        }
        if lower.ends_with(c) {
            return &token[..token.len() - c.len()];
        }
    }
    token
}

#[cfg(test)]
mod wrong_password {
    use super::*;
    use crate::providers::http::HttpPolicy;
    use crate::providers::ProviderKind;

    fn client() -> HttpClient {
        HttpClient::new(ProviderKind::Estoresms, HttpPolicy::default(), vec![]).expect("client")
    }

    #[test]
    fn a_wrong_password_is_a_credentials_refusal_not_an_unreadable_number() {
        for body in [
            "Invalid login",
            "Authentication Failed",
            "FAIL",
            "Wrong password",
        ] {
            let err = parse(&client(), body).expect_err("refused");
            assert!(matches!(err, ProviderError::Auth { .. }), "{body}: {err:?}");
            assert!(err.to_string().contains("username and password"), "{err}");
        }
        let err = parse(&client(), "P001").expect_err("refused");
        assert!(matches!(err, ProviderError::Auth { .. }), "{err:?}");
        let err = parse(&client(), "<html>maintenance</html>").expect_err("unreadable");
        assert!(matches!(err, ProviderError::BadResponse { .. }), "{err:?}");
        assert_eq!(
            parse(&client(), "NGN 1,234.50").ok(),
            Some(Decimal::new(123450, 2))
        );
    }
}
