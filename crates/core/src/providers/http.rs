//! The one HTTP client every adapter uses: a timeout on every call, automatic retries only
//! for calls that are safe to repeat, 429 handling (`Retry-After`, RukkyStore's `reset_in`),
//! a per-provider request spacing, and secret redaction of anything kept from a failure.
//! It follows no redirects, sends no Referer, reads at most `max_body_bytes` of an answer,
//! and speaks plain http only to this computer (see `address.rs`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{ProviderError, ProviderKind, SendStage};
use crate::secrets::{redact, Secret};

/// Whether a call may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Catalogue, status, balance: repeating changes nothing at the provider.
    Idempotent,
    /// A purchase or any other call that moves money: sent exactly once, whatever happens.
    SendOnce,
}

#[derive(Debug, Clone)]
pub struct HttpPolicy {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Attempts for idempotent calls, the first included.
    pub max_attempts: u32,
    pub backoff: Duration,
    /// The longest 429 wait honoured before giving up with `RateLimited`.
    pub max_rate_limit_wait: Duration,
    /// Minimum spacing between two requests to the same provider.
    pub min_interval: Duration,
    /// Shared by every client made from clones of this policy, so the spacing holds across
    /// the whole process, not per client.
    pub spacing: Spacing,
    /// The largest answer read; a larger one is a `BadResponse`, so a misrouted URL that
    /// streams gigabytes cannot exhaust memory.
    pub max_body_bytes: usize,
}

/// 4 MiB: the largest catalogue page seen is well under 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// When a provider was last sent a request.
type LastRequest = Arc<Mutex<Option<Instant>>>;

/// The time of the last request to each provider, shared by every client of a process.
#[derive(Debug, Clone, Default)]
pub struct Spacing(Arc<std::sync::Mutex<HashMap<ProviderKind, LastRequest>>>);

impl Spacing {
    fn slot(&self, provider: ProviderKind) -> LastRequest {
        match self.0.lock() {
            Ok(mut map) => map.entry(provider).or_default().clone(),
            // A poisoned map only loses sharing, never correctness of a request.
            Err(_) => Arc::new(Mutex::new(None)),
        }
    }
}

impl Default for HttpPolicy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_attempts: 3,
            backoff: Duration::from_millis(400),
            max_rate_limit_wait: Duration::from_secs(30),
            min_interval: Duration::from_millis(100),
            spacing: Spacing::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// A response the adapter reads; any status, the body as text.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<u64>,
}

impl HttpResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    provider: ProviderKind,
    policy: HttpPolicy,
    secrets: Arc<Vec<Secret>>,
    last_request: Arc<Mutex<Option<Instant>>>,
}

impl HttpClient {
    /// `secrets` are every secret this account has: they are scrubbed from kept bodies.
    pub fn new(
        provider: ProviderKind,
        policy: HttpPolicy,
        secrets: Vec<Secret>,
    ) -> Result<Self, ProviderError> {
        let client = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.connect_timeout)
            .user_agent(concat!("ResellerConsole/", env!("CARGO_PKG_VERSION")))
            // A redirect would re-send the API-key headers (and, for 307/308, a purchase body
            // with its PIN) to wherever the Location points; a 3xx is returned instead and
            // refused in `send`.
            .redirect(reqwest::redirect::Policy::none())
            // Our URLs may carry credentials (eStoreSMS's balance check): never pass them on.
            .referer(false)
            .build()
            .map_err(|e| {
                ProviderError::bad_response(provider, format!("HTTP client setup: {e}"))
            })?;
        let last_request = policy.spacing.slot(provider);
        Ok(Self {
            client,
            provider,
            policy,
            secrets: Arc::new(secrets),
            last_request,
        })
    }

    pub fn provider(&self) -> ProviderKind {
        self.provider
    }
    pub fn inner(&self) -> &reqwest::Client {
        &self.client
    }

    /// Removes every secret of the account from `text`.
    pub fn scrub(&self, text: &str) -> String {
        let refs: Vec<&Secret> = self.secrets.iter().collect();
        redact(text, &refs)
    }

    /// Sends the request `build` makes. Idempotent calls are rebuilt and retried on
    /// transport errors, 5xx and 429 (within the policy); `SendOnce` calls go out once.
    pub async fn send<F>(&self, safety: Safety, build: F) -> Result<HttpResponse, ProviderError>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let attempts = match safety {
            Safety::Idempotent => self.policy.max_attempts.max(1),
            Safety::SendOnce => 1,
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let request = build(&self.client)
                .build()
                .map_err(|e| self.transport_error(&e))?;
            self.check_address(request.url())?;
            self.space_requests().await;
            let result = self.client.execute(request).await;
            let last = attempt >= attempts;
            match result {
                Err(e) => {
                    let err = self.transport_error(&e);
                    if last {
                        return Err(err);
                    }
                    tracing::warn!(provider = %self.provider, attempt, "retrying after transport error");
                    tokio::time::sleep(self.policy.backoff * attempt).await;
                }
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    if resp.status().is_redirection() {
                        // Not retried: a redirect is the base URL's problem, not a hiccup.
                        // For a purchase the provider may have acted before redirecting,
                        // so it is a `BadResponse` (outcome unknown), never a refusal.
                        return Err(self.redirect_error(&resp));
                    }
                    let header_wait = resp
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    let body = match self.read_body(resp).await {
                        Ok(b) => b,
                        Err(BodyError::TooLarge) => {
                            // Not retried: the same address would send the same flood.
                            tracing::warn!(provider = %self.provider, status, "answer over the size cap; dropped");
                            return Err(ProviderError::BadResponse {
                                provider: self.provider,
                                reason: format!(
                                    "the answer was larger than {}",
                                    size_text(self.policy.max_body_bytes)
                                ),
                                body: None,
                            });
                        }
                        Err(BodyError::BrokeOff(e)) => {
                            // Headers came but the body broke off: for a purchase this is
                            // an unknown outcome.
                            let err = ProviderError::BadResponse {
                                provider: self.provider,
                                // reqwest's text names the URL: drop it, then scrub.
                                reason: format!(
                                    "the answer broke off: {}",
                                    self.scrub(&without_url(&e))
                                ),
                                body: None,
                            };
                            if last {
                                return Err(err);
                            }
                            tokio::time::sleep(self.policy.backoff * attempt).await;
                            continue;
                        }
                    };
                    let retry_after = header_wait.or_else(|| reset_in(&body));
                    if status == 429 {
                        let wait = retry_after.unwrap_or(1);
                        if last || Duration::from_secs(wait) > self.policy.max_rate_limit_wait {
                            return Err(ProviderError::RateLimited {
                                provider: self.provider,
                                retry_after_secs: retry_after,
                            });
                        }
                        tracing::info!(provider = %self.provider, wait, "rate limited; waiting");
                        tokio::time::sleep(Duration::from_secs(wait)).await;
                        continue;
                    }
                    if status >= 500 && !last {
                        tracing::warn!(provider = %self.provider, status, attempt, "retrying after server error");
                        tokio::time::sleep(self.policy.backoff * attempt).await;
                        continue;
                    }
                    return Ok(HttpResponse {
                        status,
                        body,
                        retry_after,
                    });
                }
            }
        }
    }

    /// The backstop behind account validation: an address stored before the rule, or
    /// built by an adapter, is refused here before a byte is sent.
    fn check_address(&self, url: &reqwest::Url) -> Result<(), ProviderError> {
        match super::address::refusal(url) {
            None => Ok(()),
            Some(reason) => Err(ProviderError::Unreachable {
                provider: self.provider,
                reason: self.scrub(&reason),
                stage: SendStage::NotSent,
            }),
        }
    }

    /// A 3xx answer, described by where it pointed (scheme, host and port only: the
    /// Location may carry the query we sent, and eStoreSMS puts the password there).
    fn redirect_error(&self, resp: &reqwest::Response) -> ProviderError {
        let status = resp.status().as_u16();
        let target = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|loc| resp.url().join(loc).ok())
            .map(|u| u.origin().ascii_serialization())
            .filter(|o| o != "null");
        tracing::warn!(provider = %self.provider, status, "redirect not followed");
        let to = match target {
            Some(origin) => format!(" to {}", self.scrub(&origin)),
            None => String::new(),
        };
        ProviderError::BadResponse {
            provider: self.provider,
            reason: format!(
                "HTTP {status}, a redirect{to}, which is not followed; check the account's base URL"
            ),
            body: None,
        }
    }

    /// Reads the body in chunks, giving up as soon as it is known to exceed the cap: from
    /// the Content-Length header before reading, else when the chunks pass it.
    async fn read_body(&self, mut resp: reqwest::Response) -> Result<String, BodyError> {
        let cap = self.policy.max_body_bytes;
        if resp
            .content_length()
            .is_some_and(|n| n > u64::try_from(cap).unwrap_or(u64::MAX))
        {
            return Err(BodyError::TooLarge);
        }
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(BodyError::BrokeOff)? {
            if bytes.len().saturating_add(chunk.len()) > cap {
                return Err(BodyError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        // Providers answer JSON (UTF-8); a stray invalid byte must not lose the answer.
        Ok(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    async fn space_requests(&self) {
        let mut last = self.last_request.lock().await;
        if let Some(prev) = *last {
            let next = prev + self.policy.min_interval;
            let now = Instant::now();
            if next > now {
                tokio::time::sleep_until(next).await;
            }
        }
        *last = Some(Instant::now());
    }

    fn transport_error(&self, e: &reqwest::Error) -> ProviderError {
        if e.is_timeout() {
            return ProviderError::Timeout {
                provider: self.provider,
                seconds: self.policy.timeout.as_secs(),
            };
        }
        // reqwest's message includes the URL; scrub it (eStoreSMS puts the password there).
        let reason = self.scrub(&without_url(e));
        let stage = if e.is_connect() || e.is_builder() {
            SendStage::NotSent
        } else {
            SendStage::MaybeSent
        };
        ProviderError::Unreachable {
            provider: self.provider,
            reason,
            stage,
        }
    }

    /// Keeps at most 2 KiB of a body for an error, secrets removed.
    pub fn keep_body(&self, body: &str) -> Option<String> {
        if body.is_empty() {
            return None;
        }
        let mut end = body.len().min(2048);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        Some(self.scrub(&body[..end]))
    }
}

/// Why a body was not read.
enum BodyError {
    TooLarge,
    BrokeOff(reqwest::Error),
}

/// `4 MiB`, `64 KiB`, `100 bytes`: the cap as a person would write it.
fn size_text(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The error text without the URL reqwest attaches (it may carry credentials).
fn without_url(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    let text = parts.join(": ");
    match e.url() {
        Some(u) => text.replace(u.as_str(), "<url>"),
        None => text,
    }
}

/// RukkyStore answers 429 with `{"error": "Rate limit exceeded", "reset_in": 42}`.
fn reset_in(body: &str) -> Option<u64> {
    if !body.contains("reset_in") {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let r = v.get("reset_in")?;
    r.as_u64()
        .or_else(|| r.as_str().and_then(|s| s.trim().parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn clients_of_one_policy_share_the_request_spacing() {
        let policy = HttpPolicy {
            min_interval: Duration::from_millis(500),
            ..HttpPolicy::default()
        };
        let a = HttpClient::new(ProviderKind::Vendify, policy.clone(), vec![]).expect("client");
        let b = HttpClient::new(ProviderKind::Vendify, policy.clone(), vec![]).expect("client");
        let other = HttpClient::new(ProviderKind::Rukky, policy, vec![]).expect("client");
        let start = Instant::now();
        a.space_requests().await;
        b.space_requests().await;
        assert!(
            start.elapsed() >= Duration::from_millis(500),
            "the second client waited"
        );
        let before = Instant::now();
        other.space_requests().await;
        assert!(
            before.elapsed() < Duration::from_millis(10),
            "another provider does not wait"
        );
    }

    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn fast(max_body_bytes: usize) -> HttpPolicy {
        HttpPolicy {
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(2),
            max_attempts: 3,
            backoff: Duration::from_millis(5),
            min_interval: Duration::ZERO,
            max_body_bytes,
            ..HttpPolicy::default()
        }
    }

    fn client(max_body_bytes: usize) -> HttpClient {
        HttpClient::new(
            ProviderKind::Vendify,
            fast(max_body_bytes),
            vec![Secret::new("KEY-canary-123")],
        )
        .expect("client")
    }

    /// A purchase-like call: the key in a header, the PIN in the body, sent once.
    async fn purchase(c: &HttpClient, url: String) -> Result<HttpResponse, ProviderError> {
        c.send(Safety::SendOnce, |cl| {
            cl.post(url.clone())
                .header("X-Api-Key", "KEY-canary-123")
                .body(r#"{"pin":"9876"}"#)
        })
        .await
    }

    /// A server that accepts anything: where a followed redirect would land.
    async fn catch_all() -> MockServer {
        let s = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"status":"SUCCESS"}"#))
            .mount(&s)
            .await;
        s
    }

    async fn redirecting(status: u16, location: &str) -> MockServer {
        let s = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/order"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("Location", location)
                    .set_body_string(r#"{"status":"SUCCESS"}"#),
            )
            .mount(&s)
            .await;
        s
    }

    #[tokio::test]
    async fn a_redirect_to_another_host_is_not_followed_and_the_purchase_is_unknown() {
        for status in [301, 302, 303, 307, 308] {
            let elsewhere = catch_all().await;
            let server = redirecting(status, &format!("{}/steal?k=1", elsewhere.uri())).await;
            let e = purchase(
                &client(DEFAULT_MAX_BODY_BYTES),
                format!("{}/order", server.uri()),
            )
            .await
            .expect_err("a redirect is not an answer");
            assert!(
                matches!(e, ProviderError::BadResponse { .. }),
                "{status}: {e:?}"
            );
            assert!(
                e.outcome_unknown(),
                "{status}: a purchase redirected may have happened"
            );
            let text = e.to_string();
            assert!(text.contains(&format!("HTTP {status}")), "{text}");
            assert!(
                text.contains(&elsewhere.uri()),
                "names where it pointed: {text}"
            );
            assert!(
                !text.contains("steal?k=1"),
                "only the origin is named: {text}"
            );
            let followed = elsewhere.received_requests().await.unwrap_or_default();
            assert!(followed.is_empty(), "{status}: the redirect was followed");
            assert_eq!(
                server.received_requests().await.unwrap_or_default().len(),
                1
            );
        }
    }

    #[tokio::test]
    async fn a_redirect_to_another_path_of_the_same_host_is_not_followed_or_retried() {
        let server = redirecting(307, "/elsewhere").await;
        let c = client(DEFAULT_MAX_BODY_BYTES);
        let url = format!("{}/order", server.uri());
        let e = c
            .send(Safety::Idempotent, |cl| cl.post(url.clone()))
            .await
            .expect_err("a redirect is not an answer");
        assert!(matches!(e, ProviderError::BadResponse { .. }), "{e:?}");
        let seen = server.received_requests().await.unwrap_or_default();
        let paths: Vec<&str> = seen.iter().map(|r| r.url.path()).collect();
        assert_eq!(paths, ["/order"], "one request, to the first path only");
    }

    #[tokio::test]
    async fn no_request_carries_a_referer_header() {
        // The old client added a Referer (the first URL, query included) when it followed a
        // redirect; a same-host redirect shows whether any request carries one.
        let server = redirecting(302, "/next").await;
        Mock::given(method("GET"))
            .and(path("/next"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let url = format!("{}/order?password=pw-canary", server.uri());
        let _ = purchase(&client(DEFAULT_MAX_BODY_BYTES), url).await;
        let seen = server.received_requests().await.unwrap_or_default();
        assert!(!seen.is_empty());
        for r in seen {
            assert!(
                !r.headers.contains_key("referer"),
                "{} carried a Referer",
                r.url.path()
            );
        }
    }

    #[tokio::test]
    async fn an_answer_with_a_content_length_over_the_cap_is_a_bad_response() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(64 * 1024)))
            .mount(&server)
            .await;
        let e = purchase(&client(1024), format!("{}/order", server.uri()))
            .await
            .expect_err("too large");
        assert!(matches!(e, ProviderError::BadResponse { .. }), "{e:?}");
        assert!(
            e.outcome_unknown(),
            "a purchase answered too long may have happened"
        );
        assert!(e.to_string().contains("larger than 1 KiB"), "{e}");
        assert_eq!(
            server.received_requests().await.unwrap_or_default().len(),
            1,
            "sent once, not retried"
        );
    }

    #[tokio::test]
    async fn an_endless_chunked_answer_is_cut_off_at_the_cap() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        // No Content-Length: the body arrives in chunks, 64 MiB of them if read to the end.
        const TOTAL: usize = 64 * 1024 * 1024;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.expect("accept");
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = sock.read(&mut buf).await.expect("read");
                if n == 0 {
                    break;
                }
                head.extend_from_slice(&buf[..n]);
            }
            let start = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            if sock.write_all(start).await.is_err() {
                return 0;
            }
            let chunk = vec![b'x'; 16 * 1024];
            let mut sent = 0;
            while sent < TOTAL {
                let framed =
                    [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
                if sock.write_all(&framed).await.is_err() {
                    return sent;
                }
                sent += chunk.len();
            }
            let _ = sock.write_all(b"0\r\n\r\n").await;
            sent
        });
        let policy = HttpPolicy {
            timeout: Duration::from_secs(20),
            ..fast(64 * 1024)
        };
        let c = HttpClient::new(ProviderKind::Rukky, policy, vec![]).expect("client");
        let e = c
            .send(Safety::Idempotent, |cl| {
                cl.get(format!("http://{addr}/big"))
            })
            .await
            .expect_err("too large");
        assert!(matches!(e, ProviderError::BadResponse { .. }), "{e:?}");
        assert!(e.to_string().contains("larger than 64 KiB"), "{e}");
        drop(c);
        let sent = server.await.expect("server");
        assert!(sent < TOTAL, "the whole body was read ({sent} bytes)");
    }

    #[test]
    fn the_default_cap_reads_as_4_mib() {
        assert_eq!(size_text(DEFAULT_MAX_BODY_BYTES), "4 MiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }

    #[tokio::test]
    async fn plain_http_to_another_computer_is_refused_before_sending() {
        let c = client(DEFAULT_MAX_BODY_BYTES);
        // TEST-NET-1: nothing answers there, so only a refusal can end the call quickly.
        let e = purchase(
            &c,
            "http://192.0.2.1:8080/order?password=pw-canary".to_owned(),
        )
        .await
        .expect_err("refused");
        assert!(
            matches!(
                e,
                ProviderError::Unreachable {
                    stage: SendStage::NotSent,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(!e.outcome_unknown(), "nothing was sent");
        let text = e.to_string();
        assert!(text.contains("use https://192.0.2.1:8080"), "{text}");
        assert!(!text.contains("pw-canary"), "{text}");
        let e = c
            .send(Safety::Idempotent, |cl| cl.get("ftp://192.0.2.1/file"))
            .await
            .expect_err("refused");
        assert!(e.to_string().contains("\"ftp:\""), "{e}");
    }

    #[test]
    fn reset_in_is_read_from_number_or_string() {
        assert_eq!(
            reset_in(r#"{"error":"Rate limit exceeded","reset_in":42}"#),
            Some(42)
        );
        assert_eq!(reset_in(r#"{"reset_in":"7"}"#), Some(7));
        assert_eq!(reset_in("<html>reset_in</html>"), None);
        assert_eq!(reset_in("{}"), None);
    }
}
