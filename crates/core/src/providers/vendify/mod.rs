//! Vendify (eVend) reseller API adapter: catalogue with filters, product quotes, FX rates,
//! utility validations, orders (`faceValue`, never resent), status by transaction
//! reference or X-Nonce, balances, voucher resend and delivery update, transaction history
//! and summary, and eSIM details.
//!
//! Every call carries X-Api-Key, X-Nonce (fresh per request; a purchase uses the nonce the
//! ledger committed), X-Signature over `apiKey + nonce` (see [`signature`]) and, when one is
//! known, X-Wallet-Id. The deprecated X-Currency-Id / X-Currency-Code headers are not sent:
//! the document says X-Wallet-Id replaces them.

use async_trait::async_trait;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use url::Url;

use super::http::{HttpClient, HttpResponse, Safety};
use super::{
    AccountConfig, AccountValidation, Capabilities, CatalogueQuery, Category, Product, Provider,
    ProviderContext, ProviderError, ProviderKind, PurchaseOutcome, PurchaseRequest, SendStage,
    StatusLookup, ValidateRequest, WalletBalance,
};
use crate::money::Money;
use crate::secrets::Secret;

mod catalogue;
mod envelope;
mod lookups;
mod orders;
mod repair;
mod reports;
pub mod signature;
mod validations;
mod vouchers;
mod windows;
mod wire;

pub use catalogue::{PriceAsk, VALIDATION_PLACEHOLDER};
pub use lookups::{Brand, BrandFamily, BrandFilter, Country, FxRate, ServiceProvider, SubCategory};
pub use orders::StatusVia;
pub use reports::{EsimDetails, HistoryEntry, HistoryStatus, SummaryRow};
pub use signature::SignatureScheme;
pub use validations::{Validation, ValidationOption, ValidationQuery};
pub use vouchers::{DeliveryUpdate, DeliveryUpdated, VoucherResend};
pub use windows::{HISTORY_WINDOW_MONTHS, SUMMARY_WINDOW_MONTHS};

const KIND: ProviderKind = ProviderKind::Vendify;

/// One Vendify account.
pub struct VendifyClient {
    http: HttpClient,
    /// The API root, ending in `/api/v1/`.
    base: Url,
    api_key: Secret,
    /// The HMAC key: the `signing_secret` when stored, else the API key.
    signing_key: Secret,
    scheme: SignatureScheme,
    /// The account's default paying wallet (setting `wallet_id`).
    wallet_id: Option<String>,
}

/// One request, rebuilt for each attempt by the shared client.
struct Call<'a> {
    method: Method,
    url: Url,
    query: Vec<(&'static str, String)>,
    body: Option<String>,
    wallet: Option<&'a str>,
    /// The nonce to send; `None` gives every attempt a fresh one.
    nonce: Option<&'a str>,
    safety: Safety,
}

impl<'a> Call<'a> {
    fn get(url: Url) -> Self {
        Self {
            method: Method::GET,
            url,
            query: Vec::new(),
            body: None,
            wallet: None,
            nonce: None,
            safety: Safety::Idempotent,
        }
    }
    fn with_body(method: Method, url: Url, body: String, safety: Safety) -> Self {
        Self {
            method,
            url,
            query: Vec::new(),
            body: Some(body),
            wallet: None,
            nonce: None,
            safety,
        }
    }
    fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }
    fn wallet(mut self, wallet: Option<&'a str>) -> Self {
        self.wallet = wallet;
        self
    }
}

impl VendifyClient {
    pub fn new(config: AccountConfig, ctx: &ProviderContext) -> Result<Self, ProviderError> {
        let api_key = config.secret("api_key")?.clone();
        let signing_key = config
            .secrets
            .get("signing_secret")
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| api_key.clone());
        let scheme = match config.setting("signature_scheme") {
            None => SignatureScheme::default(),
            Some(s) => s.parse().map_err(|_| {
                ProviderError::unsupported(
                    KIND,
                    "this signature_scheme setting (use hmac-sha256, hmac-sha512, sha256 or sha512)",
                )
            })?,
        };
        let base = api_root(&config)?;
        let secrets: Vec<Secret> = config.secrets.values().cloned().collect();
        let http = HttpClient::new(KIND, ctx.http.clone(), secrets)?;
        Ok(Self {
            http,
            base,
            api_key,
            signing_key,
            scheme,
            wallet_id: config.setting("wallet_id").map(str::to_owned),
        })
    }

    /// The scheme X-Signature is computed with for this account.
    pub fn signature_scheme(&self) -> SignatureScheme {
        self.scheme
    }

    fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        // `api_root` proved this URL can carry a path, so the else arm never runs.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// The wallet named for this call, else the account's.
    fn wallet<'a>(&'a self, explicit: Option<&'a str>) -> Option<&'a str> {
        explicit
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .or(self.wallet_id.as_deref())
    }

    async fn send(&self, call: &Call<'_>) -> Result<HttpResponse, ProviderError> {
        tracing::debug!(method = %call.method, path = call.url.path(), "Vendify request");
        self.http
            .send(call.safety, |client| {
                // A retried idempotent call is a new request to Vendify and gets its own
                // nonce: a replay-protected API may refuse a nonce it has seen.
                let fresh;
                let nonce = match call.nonce {
                    Some(n) => n,
                    None => {
                        fresh = uuid::Uuid::new_v4().to_string();
                        fresh.as_str()
                    }
                };
                let signature = signature::sign(
                    self.scheme,
                    self.signing_key.expose().as_bytes(),
                    self.api_key.expose(),
                    nonce,
                );
                let mut rb = client
                    .request(call.method.clone(), call.url.clone())
                    .header(ACCEPT, "application/json")
                    .header("X-Api-Key", self.api_key.expose())
                    .header("X-Nonce", nonce)
                    .header("X-Signature", signature);
                if let Some(w) = call.wallet {
                    rb = rb.header("X-Wallet-Id", w);
                }
                if !call.query.is_empty() {
                    rb = rb.query(&call.query);
                }
                if let Some(body) = &call.body {
                    rb = rb
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.clone());
                }
                rb
            })
            .await
    }

    /// Sends a call and reads its envelope.
    async fn fetch(&self, call: &Call<'_>) -> Result<envelope::Answer, ProviderError> {
        let resp = self.send(call).await?;
        envelope::read(&self.http, &resp)
    }
}

/// `https://host` or `https://host/api/v1` (either is accepted) as the API root.
fn api_root(config: &AccountConfig) -> Result<Url, ProviderError> {
    let text = match config.base_url.trim() {
        "" => KIND.base_url(config.environment).unwrap_or_default(),
        t => t,
    };
    let bad = |why: &str| ProviderError::Unreachable {
        provider: KIND,
        reason: format!("the base URL \"{text}\" {why}"),
        stage: SendStage::NotSent,
    };
    let mut url = Url::parse(text).map_err(|_| bad("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(bad("is not an http(s) address"));
    }
    url.set_query(None);
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/').to_ascii_lowercase();
    let root = if path.ends_with("/api/v1") {
        format!("{}/", url.path().trim_end_matches('/'))
    } else {
        format!("{}/api/v1/", url.path().trim_end_matches('/'))
    };
    url.set_path(&root);
    Ok(url)
}

/// A numeric id from our side (`"9418"`), as Vendify's bodies carry it.
fn numeric_id(text: &str, what: &str) -> Result<u64, ProviderError> {
    text.trim().parse().map_err(|_| {
        refused(
            format!("the {what} \"{text}\" is not a Vendify id (a whole number); reload the catalogue and pick the product again"),
            "INVALID_ID",
        )
    })
}

/// A refusal of ours, before anything is sent: definite, never "unknown".
fn refused(message: impl Into<String>, code: &str) -> ProviderError {
    ProviderError::Rejected {
        provider: KIND,
        message: message.into(),
        code: Some(code.to_owned()),
        body: None,
    }
}

#[async_trait]
impl Provider for VendifyClient {
    fn kind(&self) -> ProviderKind {
        KIND
    }
    fn capabilities(&self) -> Capabilities {
        KIND.capabilities()
    }
    async fn balances(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        self.wallet_balances().await
    }
    async fn categories(&self) -> Result<Vec<Category>, ProviderError> {
        self.product_categories().await
    }
    async fn catalogue(&self, query: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        self.products(query).await
    }
    async fn quote(
        &self,
        product_id: &str,
        face_value: Option<&Money>,
    ) -> Result<Product, ProviderError> {
        let ask = face_value.map(|m| PriceAsk::Face(m.amount));
        self.product_details(product_id, ask).await
    }
    async fn validate_account(
        &self,
        req: &ValidateRequest,
    ) -> Result<AccountValidation, ProviderError> {
        self.account_validation(req).await
    }
    async fn submit(&self, req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        self.place_order(req).await
    }
    async fn status(&self, lookup: &StatusLookup) -> Result<PurchaseOutcome, ProviderError> {
        self.order_status(lookup, StatusVia::Get).await
    }
}

#[cfg(test)]
mod tests;
