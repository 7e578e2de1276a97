//! RukaPay Gateway API: mobile money sends and collections, airtime, bank transfers and bill
//! payments in UGX through one `process-transfer` call keyed by our `partnerReference`;
//! status by that reference; beneficiary validation. RukaPay has no catalogue and no balance
//! call (its wallet balance arrives in each transfer answer).
//!
//! | document item | here |
//! |---|---|
//! | `POST /api/v1/gateway/process-transfer` (every transactionMode) | [`Provider::submit`] |
//! | `GET /api/v1/gateway/transactions/{transactionIdOrReference}/status` | [`Provider::status`], [`RukaPayClient::transaction`], [`Provider::test_connection`] |
//! | `POST /api/v1/gateway/validate-beneficiary` | [`Provider::validate_account`], [`RukaPayClient::validate_beneficiary`] |
//! | `-sandbox` variants of transfer and validate | [`Endpoints`] |
//! | callbacks (`callbackUrl`, `errorMessage`) | [`RukaPayClient::parse_callback`] |
//!
//! Which paths an account calls: `Sandbox` accounts use the `-sandbox` transfer and validate
//! paths, `Production` and `Custom` accounts the plain ones. The optional setting `endpoints`
//! (`sandbox` or `production`) overrides that, e.g. for a custom URL that serves the sandbox.
//! The status path has no sandbox variant in the document and is the same everywhere.

mod body;
mod errors;
mod products;
mod record;
mod wire;

#[cfg(test)]
mod tests;

use async_trait::async_trait;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use url::Url;

use self::errors::{Call, Failure};
use self::wire::{Answer, TransferBody};
use super::http::{HttpClient, HttpResponse, Safety};
use super::{
    AccountConfig, AccountValidation, Capabilities, CatalogueQuery, Category, Environment, Product,
    Provider, ProviderContext, ProviderError, ProviderKind, PurchaseOutcome, PurchaseRequest,
    SendStage, StatusLookup, ValidateRequest, WalletBalance,
};
use crate::secrets::Secret;

pub use self::products::{
    Modes, Service, Target, DEFAULT_MODE_AIRTIME, DEFAULT_MODE_BANK_SEND,
    DEFAULT_MODE_BILL_PAYMENT, MAX_AMOUNT_UGX, MIN_AMOUNT_UGX, MODE_COLLECT_MNO, MODE_SEND_MNO,
};
pub use self::record::{Party, TransferRecord, TransferStatus, WalletMovement};

const KIND: ProviderKind = ProviderKind::Rukapay;
/// `walletType`: "ESCROW or COMMISSION. Default ESCROW."
const WALLET_TYPES: [&str; 2] = ["ESCROW", "COMMISSION"];
const DEFAULT_WALLET: &str = "ESCROW";
const API_KEY_HEADER: &str = "x-api-key";
/// A partnerReference we never give an order: asking for it proves the key without side effects.
const PROBE_REFERENCE: &str = "reseller-console-connection-check";

/// Which of RukaPay's two path sets an account calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoints {
    Production,
    /// `process-transfer-sandbox`, `validate-beneficiary-sandbox`: simulated, no money moves.
    Sandbox,
}

impl Endpoints {
    fn transfer(self) -> &'static str {
        match self {
            Endpoints::Production => "process-transfer",
            Endpoints::Sandbox => "process-transfer-sandbox",
        }
    }
    fn validate(self) -> &'static str {
        match self {
            Endpoints::Production => "validate-beneficiary",
            Endpoints::Sandbox => "validate-beneficiary-sandbox",
        }
    }
    fn for_account(config: &AccountConfig) -> Result<Self, ProviderError> {
        match config
            .setting("endpoints")
            .map(|v| v.trim().to_ascii_lowercase())
        {
            Some(v) if v == "sandbox" => Ok(Endpoints::Sandbox),
            Some(v) if v == "production" || v == "live" => Ok(Endpoints::Production),
            Some(_) => Err(invalid_setting("endpoints")),
            // The document forbids production paths on the dev host, hence sandbox there.
            None => Ok(match config.environment {
                Environment::Sandbox => Endpoints::Sandbox,
                Environment::Production | Environment::Custom => Endpoints::Production,
            }),
        }
    }
}

/// A wallet type as RukaPay spells it (upper case), or why RukaPay would not pay from it.
fn wallet_type(raw: &str) -> Result<String, String> {
    let w = raw.trim().to_ascii_uppercase();
    if WALLET_TYPES.contains(&w.as_str()) {
        Ok(w)
    } else {
        Err(format!(
            "RukaPay pays from ESCROW or COMMISSION; {} is not a RukaPay wallet",
            raw.trim()
        ))
    }
}

/// There is no "bad setting" error; the field name lets the UI mark what to fix.
fn invalid_setting(field: &str) -> ProviderError {
    ProviderError::MissingCredential {
        provider: KIND,
        field: field.to_owned(),
    }
}

/// One RukaPay account.
pub struct RukaPayClient {
    http: HttpClient,
    api_key: Secret,
    base: Url,
    endpoints: Endpoints,
    /// `None` leaves walletType out, which RukaPay reads as ESCROW.
    wallet_type: Option<String>,
    callback_url: Option<String>,
    modes: Modes,
}

impl RukaPayClient {
    pub fn new(config: AccountConfig, ctx: &ProviderContext) -> Result<Self, ProviderError> {
        let api_key = config.secret("api_key")?.clone();
        let base = Url::parse(config.base_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && !u.cannot_be_a_base())
            .map(|mut u| {
                u.set_query(None);
                u.set_fragment(None);
                u
            })
            .ok_or_else(|| ProviderError::Unreachable {
                provider: KIND,
                reason: format!("\"{}\" is not an http(s) base URL", config.base_url.trim()),
                stage: SendStage::NotSent,
            })?;
        let wallet_type = config
            .setting("wallet_type")
            .map(wallet_type)
            .transpose()
            .map_err(|_| invalid_setting("wallet_type"))?;
        let mode = |key: &str, default: String| {
            config
                .setting(key)
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty())
                .unwrap_or(default)
        };
        let defaults = Modes::default();
        let modes = Modes {
            airtime: mode("mode_airtime", defaults.airtime),
            bank_send: mode("mode_bank_send", defaults.bank_send),
            bill_payment: mode("mode_bill_payment", defaults.bill_payment),
        };
        let secrets = config.secrets.values().cloned().collect();
        Ok(Self {
            http: HttpClient::new(KIND, ctx.http.clone(), secrets)?,
            api_key,
            base,
            endpoints: Endpoints::for_account(&config)?,
            wallet_type,
            callback_url: config.setting("callback_url").map(|u| u.trim().to_owned()),
            modes,
        })
    }

    /// What this adapter sells: RukaPay has no catalogue call, so the list is fixed. Product
    /// ids are `service:CODE`; `bank:` and `bill:` accept any bank or biller code RukaPay knows.
    pub fn products() -> Vec<Product> {
        products::products()
    }

    /// The wallet this account's orders pay from, by RukaPay's wallet type: the account's
    /// `wallet_type` setting, else ESCROW (what RukaPay uses when the request names none).
    /// Balances in answers are keyed the same way, so the funds check sees them.
    pub fn wallet(&self) -> String {
        self.wallet_type
            .clone()
            .unwrap_or_else(|| DEFAULT_WALLET.to_owned())
    }

    /// The path set this account calls.
    pub fn endpoints(&self) -> Endpoints {
        self.endpoints
    }

    /// The full status answer for a RukaPay id, `reference` or our `partnerReference`.
    pub async fn transaction(
        &self,
        id_or_reference: &str,
    ) -> Result<TransferRecord, ProviderError> {
        let key = id_or_reference.trim();
        if key.is_empty() {
            return Err(ProviderError::NotFound {
                provider: KIND,
                what: "a transaction without a reference".to_owned(),
            });
        }
        let url = self.url(&["api", "v1", "gateway", "transactions", key, "status"])?;
        let resp = self
            .call(Safety::Idempotent, |c| c.get(url.clone()))
            .await?;
        let call = Call::Status(key);
        let record = match resp.is_success().then(|| wire::read_answer(&resp.body)) {
            Some(Ok(Answer::Record(r))) => *r,
            Some(Ok(Answer::Refused)) => return Err(self.refusal(call, 400, &resp)),
            Some(Err(reason)) => return Err(self.bad(reason, &resp.body)),
            None => return Err(self.refusal(call, resp.status, &resp)),
        };
        // The path takes an id or a reference; an answer about anything else is not ours.
        let ours = record.partner_reference.as_deref().is_none_or(|p| p == key)
            || record.id.as_deref() == Some(key)
            || record.reference.as_deref() == Some(key);
        if !ours {
            return Err(self.bad(
                format!("asked for transaction \"{key}\", the answer is about another one"),
                &resp.body,
            ));
        }
        Ok(record)
    }

    /// Sends the whole transfer body (as the sandbox note says: "same request body") to
    /// validate-beneficiary, without moving money.
    pub async fn validate_beneficiary(
        &self,
        req: &PurchaseRequest,
    ) -> Result<AccountValidation, ProviderError> {
        let body = self.transfer_body(req)?;
        self.validate(&body).await
    }

    /// Reads a callback RukaPay posted to `callbackUrl`. The document gives neither its body
    /// nor a signature: we assume the status envelope (or its bare transaction) with
    /// `errorMessage` on failures. Unsigned, so treat it as a hint to run a status query,
    /// never as proof of payment.
    pub fn parse_callback(&self, body: &str) -> Result<TransferRecord, ProviderError> {
        let body = self.http.scrub(body);
        wire::read_callback(&body).map_err(|r| self.bad(r, &body))
    }

    fn url(&self, segments: &[&str]) -> Result<Url, ProviderError> {
        let mut url = self.base.clone();
        // Each segment is percent-encoded, so a reference with `/` or `?` stays one segment.
        url.path_segments_mut()
            .map_err(|()| ProviderError::Unreachable {
                provider: KIND,
                reason: "the base URL cannot take a path".to_owned(),
                stage: SendStage::NotSent,
            })?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// Sends with the key and returns the answer with every secret already scrubbed out, so
    /// nothing read from it (messages, ids) can carry the key onward.
    async fn call<F>(&self, safety: Safety, build: F) -> Result<HttpResponse, ProviderError>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let resp = self
            .http
            .send(safety, |c| {
                build(c)
                    .header(API_KEY_HEADER, self.api_key.expose())
                    .header(ACCEPT, "application/json")
            })
            .await?;
        Ok(HttpResponse {
            body: self.http.scrub(&resp.body),
            ..resp
        })
    }

    async fn post(
        &self,
        safety: Safety,
        endpoint: &str,
        body: &TransferBody,
    ) -> Result<HttpResponse, ProviderError> {
        let url = self.url(&["api", "v1", "gateway", endpoint])?;
        let bytes = serde_json::to_vec(body).map_err(|e| {
            ProviderError::bad_response(KIND, format!("could not write the request: {e}"))
        })?;
        self.call(safety, |c| {
            c.post(url.clone())
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone())
        })
        .await
    }

    fn bad(&self, reason: impl std::fmt::Display, body: &str) -> ProviderError {
        ProviderError::BadResponse {
            provider: KIND,
            reason: self.http.scrub(&reason.to_string()),
            body: self.http.keep_body(body),
        }
    }

    fn refusal(&self, call: Call<'_>, status: u16, resp: &HttpResponse) -> ProviderError {
        match errors::failure(
            call,
            status,
            &resp.body,
            resp.retry_after,
            self.http.keep_body(&resp.body),
        ) {
            Failure::Error(e) => e,
            // Only transfers are answered "duplicate"; anywhere else it is just a refusal.
            Failure::Duplicate => ProviderError::Rejected {
                provider: KIND,
                message: "RukaPay reported a duplicate reference".to_owned(),
                code: Some("DUPLICATE_REFERENCE".to_owned()),
                body: self.http.keep_body(&resp.body),
            },
        }
    }

    async fn validate(&self, body: &TransferBody) -> Result<AccountValidation, ProviderError> {
        // Validation moves no money, so it may be retried like a status query.
        let resp = self
            .post(Safety::Idempotent, self.endpoints.validate(), body)
            .await?;
        if resp.is_success() {
            return wire::read_validation(&resp.body).map_err(|r| self.bad(r, &resp.body));
        }
        match self.refusal(Call::Validate, resp.status, &resp) {
            // A 4xx on validation is RukaPay's answer about the beneficiary, not a fault.
            ProviderError::Rejected { message, code, .. }
                if code.as_deref() != Some(errors::ROUTE_NOT_FOUND) =>
            {
                Ok(AccountValidation {
                    valid: false,
                    account_name: None,
                    options: Vec::new(),
                    message: Some(message),
                })
            }
            e => Err(e),
        }
    }

    /// RukaPay says our partnerReference already exists: the transfer went through an earlier
    /// send, so its status, not a failure, is the answer.
    async fn already_sent(&self, req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        tracing::warn!(reference = %req.reference, "RukaPay reports a duplicate partnerReference; reading its status");
        let record = match self.transaction(&req.reference).await {
            Ok(r) => r,
            Err(e) if e.outcome_unknown() => return Err(e),
            Err(e) => {
                return Err(ProviderError::BadResponse {
                    provider: KIND,
                    reason: format!(
                        "RukaPay says reference {} already exists but its status could not be read ({e}); the order stays unknown until a status check finds it",
                        req.reference
                    ),
                    body: None,
                })
            }
        };
        // References are unique per order, so a different amount means someone else's transfer
        // holds it: ours was refused and certainly not sent.
        if let Some(theirs) = record
            .amount
            .as_ref()
            .filter(|a| a.amount != req.face_value.amount)
        {
            return Err(ProviderError::Rejected {
                provider: KIND,
                message: format!(
                    "reference {} already belongs to another RukaPay transfer ({theirs}); this order was not sent. Contact support",
                    req.reference
                ),
                code: Some("DUPLICATE_REFERENCE".to_owned()),
                body: None,
            });
        }
        Ok(record.outcome())
    }
}

/// The outcome of a transfer answer, checked against the wallet we asked RukaPay to charge.
/// The balance is keyed by the wallet type the answer names (see [`TransferRecord::outcome`]),
/// so a different one is recorded as that wallet's, never as the one we asked for; the
/// mismatch is logged and put on the order, since the hold sits on the wallet we asked for.
fn charged_from(req: &PurchaseRequest, sent: &str, r: &TransferRecord) -> PurchaseOutcome {
    let mut out = r.outcome();
    let named = r.wallet.as_ref().and_then(|w| w.wallet_type.as_deref());
    if let Some(named) = named.filter(|n| !n.eq_ignore_ascii_case(sent)) {
        tracing::warn!(reference = %req.reference, asked = %sent, charged = %named, "RukaPay charged another wallet than the one asked for");
        let note = format!("RukaPay reports the {named} wallet, not {sent} as asked");
        out.message = Some(match out.message.take() {
            Some(m) => format!("{m} ({note})"),
            None => note,
        });
    }
    out
}

#[async_trait]
impl Provider for RukaPayClient {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        KIND.capabilities()
    }

    /// ESCROW or COMMISSION in any case, answered in upper case; anything else is refused
    /// before the order is written, since RukaPay would charge ESCROW (or refuse) instead.
    fn paying_wallet(&self, wallet: &str) -> Result<String, ProviderError> {
        wallet_type(wallet).map_err(|message| ProviderError::Rejected {
            provider: KIND,
            message,
            code: Some(errors::UNKNOWN_WALLET.to_owned()),
            body: None,
        })
    }

    /// No balance call: the account's wallet is shown (unreported) until an answer names it.
    fn expected_wallets(&self) -> Vec<String> {
        vec![self.wallet()]
    }

    /// RukaPay has no catalogue call: its services are a fixed list (see `products()`),
    /// offered through the same filters as every other provider.
    async fn categories(&self) -> Result<Vec<Category>, ProviderError> {
        let mut out: Vec<Category> = Vec::new();
        for p in products::products() {
            if !out.iter().any(|c| c.code == p.category_code) {
                out.push(Category {
                    code: p.category_code.clone(),
                    name: p.category.clone(),
                });
            }
        }
        Ok(out)
    }

    async fn catalogue(&self, q: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        let wanted = |filter: &Option<String>, value: &str| match filter.as_deref().map(str::trim) {
            None | Some("") => true,
            Some(f) if f.eq_ignore_ascii_case("ALL") => true,
            Some(f) => f.split(',').any(|x| x.trim().eq_ignore_ascii_case(value)),
        };
        let needle = q
            .search
            .as_deref()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        let wallet = self.wallet();
        Ok(products::products()
            .into_iter()
            .map(|mut p| {
                p.wallet_id = Some(wallet.clone());
                p
            })
            .filter(|p| wanted(&q.category, &p.category_code))
            .filter(|p| p.country_codes.iter().any(|c| wanted(&q.country, c)))
            .filter(|p| {
                needle
                    .as_ref()
                    .is_none_or(|n| p.name.to_lowercase().contains(n.as_str()))
            })
            .collect())
    }

    /// One listed product, as the catalogue lists it (RukaPay quotes no price). A collection
    /// on an account without a callback URL is refused here, while the order is validated:
    /// "callbackUrl: Required for PARTNER_COLLECT_MNO", so it is never written or sent.
    async fn quote(
        &self,
        product_id: &str,
        _face_value: Option<&crate::money::Money>,
    ) -> Result<Product, ProviderError> {
        let product = self
            .catalogue(&CatalogueQuery::default())
            .await?
            .into_iter()
            .find(|p| p.id == product_id.trim())
            .ok_or_else(|| ProviderError::NotFound {
                provider: KIND,
                what: format!("product {}", product_id.trim()),
            })?;
        if product.id.starts_with("mno-collect:") && self.callback_url.is_none() {
            return Err(ProviderError::Rejected {
                provider: KIND,
                message: format!(
                    "{} needs a callback URL on the account (RukaPay requires one for \
                     collections): add it in Providers",
                    product.name
                ),
                code: Some("CALLBACK_URL_REQUIRED".to_owned()),
                body: None,
            });
        }
        Ok(product)
    }

    /// No balance endpoint: a status query for a reference we never use proves the key
    /// (404 TRANSACTION_NOT_FOUND = the key works, 401 = it does not). No wallets to show.
    async fn test_connection(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        match self.transaction(PROBE_REFERENCE).await {
            Ok(_) | Err(ProviderError::NotFound { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// The document gives no body for validate-beneficiary beyond "same request body": we
    /// send the transfer's mode, currency and destination fields, without money fields.
    async fn validate_account(
        &self,
        req: &ValidateRequest,
    ) -> Result<AccountValidation, ProviderError> {
        let target = Self::target(&req.product_id)?;
        let (body, _) = self.destination(&target, &req.account_number)?;
        self.validate(&body).await
    }

    async fn submit(&self, req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        let body = self.transfer_body(req)?;
        tracing::info!(reference = %req.reference, mode = %body.transaction_mode, "sending RukaPay transfer");
        let resp = self
            .post(Safety::SendOnce, self.endpoints.transfer(), &body)
            .await?;
        let failure = match resp.is_success().then(|| wire::read_answer(&resp.body)) {
            Some(Ok(Answer::Record(r))) => {
                let sent = body.wallet_type.as_deref().unwrap_or(DEFAULT_WALLET);
                return Ok(charged_from(req, sent, &r));
            }
            // `success: false` without a transaction is a refusal in a 200: read it like a 400.
            Some(Ok(Answer::Refused)) => errors::failure(
                Call::Transfer,
                400,
                &resp.body,
                None,
                self.http.keep_body(&resp.body),
            ),
            Some(Err(reason)) => return Err(self.bad(reason, &resp.body)),
            None => errors::failure(
                Call::Transfer,
                resp.status,
                &resp.body,
                resp.retry_after,
                self.http.keep_body(&resp.body),
            ),
        };
        match failure {
            Failure::Duplicate => self.already_sent(req).await,
            Failure::Error(e) => Err(e),
        }
    }

    async fn status(&self, lookup: &StatusLookup) -> Result<PurchaseOutcome, ProviderError> {
        // Our reference first: it was committed before sending, so it finds even a transfer
        // whose answer was lost. RukaPay's id is the fallback.
        let key = Some(lookup.reference.as_str())
            .filter(|r| !r.trim().is_empty())
            .or(lookup.provider_reference.as_deref())
            .unwrap_or("");
        self.transaction(key).await.map(|r| r.outcome())
    }
}
