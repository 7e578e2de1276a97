//! Which addresses provider calls may go to: https anywhere, plain http only to this
//! computer (a local mock or proxy), nothing else. Checked when an account is added and
//! again by the HTTP client before every request.

use std::net::{IpAddr, Ipv6Addr};

use url::{Host, Url};

use super::{AccountConfig, ProviderError, ProviderKind, SendStage};

/// Why calls may not be sent to `url`, naming only its scheme, host and port (the full URL
/// may carry a password: eStoreSMS's balance check), or `None` when they may.
pub fn refusal(url: &Url) -> Option<String> {
    match url.scheme() {
        "https" => None,
        "http" if is_loopback(url) => None,
        "http" => {
            let host = host_and_port(url);
            Some(format!(
                "the address http://{host} uses plain http, which would send the credentials \
                 unencrypted; use https://{host} instead (plain http is allowed only to this \
                 computer: localhost, 127.0.0.1 or ::1)"
            ))
        }
        other => Some(format!(
            "\"{other}:\" addresses are not supported; use an https:// address"
        )),
    }
}

/// Refuses an account whose stored base URL may not be spoken to, before its adapter is
/// built: accounts stored before the rule existed, or written by hand. An unparsable URL
/// is left to the adapter, which explains what it expects.
pub fn check_account(config: &AccountConfig) -> Result<(), ProviderError> {
    let text = config.base_url.trim();
    if config.kind == ProviderKind::Demo || text.is_empty() {
        return Ok(());
    }
    let Ok(url) = Url::parse(text) else {
        return Ok(());
    };
    match refusal(&url) {
        None => Ok(()),
        Some(reason) => Err(ProviderError::Unreachable {
            provider: config.kind,
            reason,
            stage: SendStage::NotSent,
        }),
    }
}

/// `localhost`, 127.0.0.0/8 and ::1 (also written as an IPv4-mapped address).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => is_loopback_v6(ip),
        None => false,
    }
}

fn is_loopback_v6(ip: Ipv6Addr) -> bool {
    ip.is_loopback()
        || ip
            .to_ipv4_mapped()
            .is_some_and(|v4| IpAddr::V4(v4).is_loopback())
}

fn host_and_port(url: &Url) -> String {
    let host = match url.host() {
        Some(Host::Ipv6(ip)) => format!("[{ip}]"),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Option<String> {
        refusal(&Url::parse(text).expect("url"))
    }

    #[test]
    fn https_is_allowed_anywhere() {
        assert_eq!(refused("https://api.vendifydigital.com/api/v1"), None);
        assert_eq!(refused("https://10.0.0.5:8443"), None);
    }

    #[test]
    fn plain_http_is_allowed_only_to_loopback_hosts() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://localhost:3000/api",
            "http://LOCALHOST",
            "http://[::1]:9000",
            "http://[::ffff:127.0.0.1]",
        ] {
            assert_eq!(refused(ok), None, "{ok}");
        }
        for bad in [
            "http://api.vendifydigital.com",
            "http://10.0.0.5",
            "http://128.0.0.1",
            "http://localhost.example.com",
            "http://[::2]",
            "http://0.0.0.0",
        ] {
            assert!(refused(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn the_http_refusal_names_the_address_and_says_to_use_https() {
        let why = refused("http://u:secret-pw@api.example.com:8080/smsapi.php?password=secret-pw")
            .expect("refused");
        assert!(why.contains("http://api.example.com:8080"), "{why}");
        assert!(why.contains("use https://api.example.com:8080"), "{why}");
        assert!(!why.contains("secret-pw"), "{why}");
    }

    #[test]
    fn other_schemes_are_refused() {
        for bad in [
            "ftp://files.example.com",
            "file:///etc/passwd",
            "demo://local",
        ] {
            let why = refused(bad).expect(bad);
            assert!(why.contains("use an https:// address"), "{why}");
        }
    }

    fn account(kind: ProviderKind, base_url: &str) -> AccountConfig {
        let secrets = ["api_key", "api_token", "signing_secret", "pin", "password"]
            .into_iter()
            .map(|k| (k.to_owned(), crate::secrets::Secret::new("secret-value-1")))
            .collect();
        let mut settings = serde_json::Map::new();
        for k in ["username", "email", "wallet_id"] {
            settings.insert(k.into(), "someone@example.com".into());
        }
        AccountConfig {
            account_id: "acc".into(),
            kind,
            environment: super::super::Environment::Custom,
            base_url: base_url.to_owned(),
            settings,
            secrets,
        }
    }

    fn ctx() -> super::super::ProviderContext {
        super::super::ProviderContext {
            data_dir: std::env::temp_dir(),
            clock: std::sync::Arc::new(crate::clock::SystemClock),
            http: super::super::http::HttpPolicy::default(),
        }
    }

    #[tokio::test]
    async fn connect_refuses_plain_http_to_another_computer_for_every_provider() {
        for kind in ProviderKind::ADDABLE {
            let e = match super::super::connect(account(kind, "http://api.example.com"), &ctx())
                .await
            {
                Ok(_) => panic!("{kind}: an http base URL to another computer was accepted"),
                Err(e) => e,
            };
            assert!(
                matches!(
                    e,
                    ProviderError::Unreachable {
                        stage: SendStage::NotSent,
                        ..
                    }
                ),
                "{kind}: {e:?}"
            );
            let text = e.to_string();
            assert!(text.contains("http://api.example.com"), "{text}");
            assert!(text.contains("use https://api.example.com"), "{text}");
        }
    }

    #[tokio::test]
    async fn connect_refuses_a_non_web_scheme_and_allows_loopback_http() {
        for kind in ProviderKind::ADDABLE {
            let refused = super::super::connect(account(kind, "ftp://files.example.com"), &ctx())
                .await
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(refused.contains("\"ftp:\""), "{kind}: {refused}");
            for ok in ["http://127.0.0.1:9", "http://localhost:9"] {
                if let Err(e) = super::super::connect(account(kind, ok), &ctx()).await {
                    panic!("{kind} {ok}: {e}");
                }
            }
        }
    }
}
