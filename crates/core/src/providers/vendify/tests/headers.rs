//! The authentication headers: X-Signature under each scheme and key choice, a fresh
//! X-Nonce per request (the committed one for purchases), X-Wallet-Id from the request, the
//! account, or not at all; and the base URL forms an account may hold.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::*;
use crate::providers::vendify::{signature, SignatureScheme};
use crate::providers::{Provider, ProviderError};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(envelope_with(r#"[{"walletId": "NGN-143", "balance": 1}]"#)),
        )
        .mount(&server)
        .await;
    server
}

fn h<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn each_scheme_signs_api_key_plus_nonce_with_the_right_key() {
    let cases = [
        (None, None, SignatureScheme::HmacSha256, API_KEY),
        (
            Some("hmac-sha256"),
            Some("sign-secret-1"),
            SignatureScheme::HmacSha256,
            "sign-secret-1",
        ),
        (
            Some("hmac-sha512"),
            None,
            SignatureScheme::HmacSha512,
            API_KEY,
        ),
        (
            Some("HMAC_SHA512"),
            Some("sign-secret-2"),
            SignatureScheme::HmacSha512,
            "sign-secret-2",
        ),
        (Some("sha256"), Some("unused"), SignatureScheme::Sha256, ""),
        (Some("sha512"), None, SignatureScheme::Sha512, ""),
    ];
    for (setting, signing, scheme, key) in cases {
        let server = server().await;
        let mut cfg = config(&server.uri());
        if let Some(s) = setting {
            cfg.settings.insert("signature_scheme".into(), s.into());
        }
        if let Some(s) = signing {
            cfg.secrets.insert("signing_secret".into(), Secret::new(s));
        }
        let c = client_for(cfg, policy());
        assert_eq!(c.signature_scheme(), scheme);
        c.balances().await.expect("balances");
        let got = server.received_requests().await.expect("recorded");
        let nonce = h(&got[0], "X-Nonce").expect("nonce");
        assert_eq!(h(&got[0], "X-Api-Key"), Some(API_KEY));
        let expected = signature::sign(scheme, key.as_bytes(), API_KEY, nonce);
        assert_eq!(
            h(&got[0], "X-Signature"),
            Some(expected.as_str()),
            "{setting:?}"
        );
    }
}

#[test]
fn an_unknown_scheme_is_refused_when_the_account_is_opened() {
    let mut cfg = config("https://sandboxapi.vendifydigital.com");
    cfg.settings.insert("signature_scheme".into(), "md5".into());
    match VendifyClient::new(cfg, &ctx(policy())) {
        Err(e @ ProviderError::Unsupported { .. }) => {
            assert!(e.to_string().contains("hmac-sha256"), "{e}")
        }
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("md5 accepted"),
    }
}

#[test]
fn a_missing_api_key_is_a_missing_credential() {
    let mut cfg = config("https://sandboxapi.vendifydigital.com");
    cfg.secrets.clear();
    assert!(matches!(
        VendifyClient::new(cfg, &ctx(policy())),
        Err(ProviderError::MissingCredential { ref field, .. }) if field == "api_key"
    ));
}

#[tokio::test]
async fn every_request_gets_a_fresh_nonce_and_purchases_the_committed_one() {
    let server = server().await;
    let c = client(&server);
    c.balances().await.expect("1");
    c.balances().await.expect("2");
    let _ = c.submit(&purchase(7)).await;
    let got = server.received_requests().await.expect("recorded");
    let n: Vec<&str> = got
        .iter()
        .map(|r| h(r, "X-Nonce").expect("nonce"))
        .collect();
    assert_ne!(n[0], n[1]);
    assert!(uuid::Uuid::parse_str(n[0]).is_ok(), "a uuid: {}", n[0]);
    assert_eq!(n[2], "nonce-0007");
}

#[tokio::test]
async fn the_wallet_header_comes_from_the_request_then_the_account_else_is_absent() {
    let server = server().await;
    let c = client(&server);
    c.fx_rates().await.expect("fx");
    let _ = c.submit(&purchase(1)).await; // wallet NGN-456 in the request
    let mut cfg = config(&server.uri());
    cfg.settings.remove("wallet_id");
    client_for(cfg, policy())
        .balances()
        .await
        .expect("balances");
    let got = server.received_requests().await.expect("recorded");
    assert_eq!(h(&got[0], "X-Wallet-Id"), Some(WALLET));
    assert_eq!(h(&got[1], "X-Wallet-Id"), Some("NGN-456"));
    assert_eq!(h(&got[2], "X-Wallet-Id"), None);
    // The deprecated currency headers are never sent.
    assert!(got
        .iter()
        .all(|r| r.headers.get("X-Currency-Id").is_none()
            && r.headers.get("X-Currency-Code").is_none()));
}

#[tokio::test]
async fn base_urls_with_or_without_the_api_prefix_reach_the_same_endpoint() {
    let server = server().await;
    for base in [
        server.uri(),
        format!("{}/", server.uri()),
        format!("{}/api/v1", server.uri()),
        format!("{}/api/v1/", server.uri()),
    ] {
        client_for(config(&base), policy())
            .balances()
            .await
            .expect("balances");
    }
    let got = server.received_requests().await.expect("recorded");
    assert!(
        got.iter()
            .all(|r| r.url.path() == "/api/v1/Report/AccountBalance"),
        "{:?}",
        got.iter().map(|r| r.url.path()).collect::<Vec<_>>()
    );
}

#[test]
fn bad_base_urls_are_refused_before_any_request() {
    for base in ["not a url", "ftp://example.com", "mailto:ops@example.com"] {
        assert!(
            matches!(
                VendifyClient::new(config(base), &ctx(policy())),
                Err(ProviderError::Unreachable {
                    stage: crate::providers::SendStage::NotSent,
                    ..
                })
            ),
            "{base}"
        );
    }
    // An empty base URL means the environment's documented one.
    let mut cfg = config("");
    cfg.environment = Environment::Sandbox;
    assert!(VendifyClient::new(cfg, &ctx(policy())).is_ok());
}
