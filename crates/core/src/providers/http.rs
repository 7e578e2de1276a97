//! The one HTTP client every adapter uses: a timeout on every call, automatic retries only
//! for calls that are safe to repeat, 429 handling (`Retry-After`, RukkyStore's `reset_in`),
//! a per-provider request spacing, and secret redaction of anything kept from a failure.

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
}

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
            self.space_requests().await;
            let result = build(&self.client).send().await;
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
                    let header_wait = resp
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    let body = match resp.text().await {
                        Ok(b) => b,
                        Err(e) => {
                            // Headers came but the body broke off: for a purchase this is
                            // an unknown outcome.
                            let err = ProviderError::BadResponse {
                                provider: self.provider,
                                reason: format!(
                                    "the answer broke off: {}",
                                    self.scrub(&e.to_string())
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
