//! RukkyStore (RukkyHub) API v1: one form-POST endpoint where `action=` picks the call.
//! SMM orders (`services`, `add`, `status`, `balance`) and VTU (`vtu_*`: plans, verify,
//! airtime, data, SME, cable, electricity, WAEC PINs, recharge cards, `vtu_status`), and
//! HMAC-signed VTU webhooks.
//!
//! Quirks that shape this adapter:
//! - The API key goes in `X-API-KEY` only (the document allows `key=` in the body too; a
//!   header is kept out of logged bodies). The 4-digit PIN goes in the body of VTU
//!   purchases and nowhere else.
//! - RukkyStore takes no reference of ours. A purchase is found again only by the `trx`
//!   it answered (or the SMM order id), so `status` needs `provider_reference`; without it
//!   the order needs a person. Nothing is ever resent.
//! - SMM orders' provider references are stored as `smm:<order id>` so `status` knows to
//!   ask `action=status` rather than `vtu_status`.
//!
//! Product ids are described in `products.rs`, catalogue categories in `catalogue.rs`.

use async_trait::async_trait;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};

use crate::money::Currency;
use crate::providers::http::{HttpClient, Safety};
use crate::providers::{
    AccountConfig, AccountValidation, Capabilities, CatalogueQuery, Category, Product, Provider,
    ProviderContext, ProviderError, ProviderKind, PurchaseOutcome, PurchaseRequest, SendStage,
    StatusLookup, ValidateRequest, WalletBalance,
};
use crate::secrets::Secret;

mod browse;
mod catalogue;
mod errors;
mod outcome;
mod products;
mod purchase;
mod verify;
mod webhook;
mod wire;

#[cfg(test)]
mod tests;

pub use products::RukkyProduct;
pub use webhook::{verify_webhook, WebhookError, WebhookEvent, WebhookEventKind, WebhookVtu};

use outcome::UnknownStatus;
use wire::Json;

const KIND: ProviderKind = ProviderKind::Rukky;
const SMM_REF_PREFIX: &str = "smm:";

/// RukkyStore wallets and prices are naira; answers without a currency mean NGN.
fn naira() -> Currency {
    Currency::known("NGN")
}

pub struct RukkyClient {
    http: HttpClient,
    base_url: String,
    api_key: HeaderValue,
    /// `X-API-ORIGIN`, for keys restricted to whitelisted domains (setting `api_origin`).
    origin: Option<HeaderValue>,
    pin: Option<Secret>,
    webhook_secret: Option<Secret>,
}

/// The form body: `action` first, then the fields in the document's order.
fn form(action: &str, fields: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("action", action);
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

/// `"status": "failed"`, RukkyStore's word for a refused or failed call.
fn is_failed(o: &wire::Obj) -> bool {
    o.text(&["status"])
        .is_some_and(|s| s.eq_ignore_ascii_case("failed"))
}

/// The typed answer to a status query without a trx: nothing can find the order.
fn needs_person() -> ProviderError {
    ProviderError::Unsupported {
        provider: KIND,
        capability: "finding an order without its trx (RukkyStore takes no reference of ours): \
                     this order needs a person to check it in the RukkyStore dashboard, and it \
                     must not be resent",
    }
}

impl RukkyClient {
    pub fn new(config: AccountConfig, ctx: &ProviderContext) -> Result<Self, ProviderError> {
        let key = config.secret("api_key")?.clone();
        let pin = config.secret("pin").ok().cloned();
        let webhook_secret = config.secret("webhook_secret").ok().cloned();
        let base_url = match config.base_url.trim() {
            "" => KIND
                .base_url(config.environment)
                .unwrap_or_default()
                .to_owned(),
            u => u.to_owned(),
        };
        if url::Url::parse(&base_url).is_err() {
            return Err(ProviderError::Unreachable {
                provider: KIND,
                reason: format!("the base URL \"{base_url}\" is not a URL"),
                stage: SendStage::NotSent,
            });
        }
        let mut api_key = HeaderValue::from_str(key.expose()).map_err(|_| ProviderError::Auth {
            provider: KIND,
            message: "the stored API key contains characters a key cannot have (a line break?)"
                .to_owned(),
        })?;
        api_key.set_sensitive(true);
        let origin = config
            .setting("api_origin")
            .and_then(|o| HeaderValue::from_str(o).ok());
        let secrets = [Some(key), pin.clone(), webhook_secret.clone()]
            .into_iter()
            .flatten()
            .collect();
        Ok(Self {
            http: HttpClient::new(KIND, ctx.http.clone(), secrets)?,
            base_url,
            api_key,
            origin,
            pin,
            webhook_secret,
        })
    }

    /// One call: the answer's HTTP status and JSON, or the typed error it means.
    async fn call(
        &self,
        safety: Safety,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Result<(u16, Json), ProviderError> {
        let body = form(action, fields);
        tracing::debug!(provider = %KIND, action, "calling");
        let resp = self
            .http
            .send(safety, |c| {
                let mut rb = c
                    .post(&self.base_url)
                    .header("X-API-KEY", self.api_key.clone())
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(ACCEPT, "application/json")
                    .body(body.clone());
                if let Some(o) = &self.origin {
                    rb = rb.header("X-API-ORIGIN", o.clone());
                }
                rb
            })
            .await?;
        Ok((resp.status, errors::read(&self.http, &resp)?))
    }

    /// A list or balance call; a `"status": "failed"` answer is the refusal it means.
    async fn listing(&self, action: &str, fields: &[(&str, &str)]) -> Result<Json, ProviderError> {
        let (_, json) = self.call(Safety::Idempotent, action, fields).await?;
        if let Json::Object(o) = &json {
            if is_failed(o) {
                return Err(errors::refusal_without_error(&self.http, o));
            }
        }
        Ok(json)
    }

    fn pin(&self) -> Result<&Secret, ProviderError> {
        self.pin
            .as_ref()
            .ok_or_else(|| ProviderError::MissingCredential {
                provider: KIND,
                field: "pin".to_owned(),
            })
    }

    /// Checks a webhook with this account's webhook secret (see [`verify_webhook`]).
    pub fn verify_webhook(
        &self,
        raw_body: &[u8],
        signature_header: &str,
    ) -> Result<WebhookEvent, WebhookError> {
        let secret = self.webhook_secret.as_ref().ok_or(WebhookError::NoSecret)?;
        verify_webhook(raw_body, signature_header, secret)
    }
}

#[async_trait]
impl Provider for RukkyClient {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        KIND.capabilities()
    }

    /// `balance`: the account's one wallet, named by its currency.
    async fn balances(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        let json = self.listing("balance", &[]).await?;
        Ok(vec![outcome::balance(&self.http, &json)?])
    }

    /// `balance` proves the URL and API key. No call proves the PIN without spending (only
    /// the `vtu_*` purchases take it), so what can be known here is checked: that there
    /// is one and that it is the 4 digits RukkyStore asks for.
    async fn test_connection(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        let pin = self.pin()?;
        let p = pin.expose().trim();
        if p.len() != 4 || !p.chars().all(|c| c.is_ascii_digit()) {
            return Err(ProviderError::Auth {
                provider: KIND,
                message: "the stored transaction PIN is not 4 digits and every purchase would be refused \
                          (re-enter the PIN with the key)"
                    .to_owned(),
            });
        }
        self.balances().await
    }

    fn untested(&self) -> Option<String> {
        Some(
            "The PIN is checked only at the first purchase: RukkyStore has no call that proves \
             it without spending."
                .to_owned(),
        )
    }

    async fn categories(&self) -> Result<Vec<Category>, ProviderError> {
        Ok(catalogue::categories())
    }

    /// `category` picks one of `catalogue::CATEGORIES` (none: all of them); `sub_category`
    /// names the service id / network for data, sme and cable (`mtn-data`, `mtn`, `dstv`);
    /// `search` filters names. Other filters do not apply to RukkyStore.
    async fn catalogue(&self, query: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        self.browse(query).await
    }

    /// Only the list the id names (see [`RukkyClient::find_listed`]): one request for a
    /// plan, none for the static products, never the whole catalogue.
    async fn listed_product(
        &self,
        product_id: &str,
        _phone: &str,
    ) -> Result<Option<Product>, ProviderError> {
        self.find_listed(product_id).await
    }

    /// `vtu_cable_verify` / `vtu_electricity_verify`. A valid smartcard also lists the
    /// service's bouquets as options (their codes are plan ids for `product_code`).
    async fn validate_account(
        &self,
        req: &ValidateRequest,
    ) -> Result<AccountValidation, ProviderError> {
        self.verify_account(req).await
    }

    /// Sends one purchase, once (`Safety::SendOnce`). Every check that can refuse it runs
    /// before the request is built.
    async fn submit(&self, req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        let product = RukkyProduct::parse(&req.product_id)?;
        let (action, mut fields) = purchase::fields(&product, req)?;
        if product.is_vtu() {
            fields.push(("pin", self.pin()?.expose().to_owned()));
        }
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (_, json) = self.call(Safety::SendOnce, action, &borrowed).await?;
        if product.is_vtu() {
            return outcome::vtu(&self.http, &json, UnknownStatus::KeepPending);
        }
        // SMM `add` has no failed-order shape: a "failed" answer is a refusal.
        if let Json::Object(o) = &json {
            if is_failed(o) {
                return Err(errors::refusal_without_error(&self.http, o));
            }
        }
        outcome::smm_order(&self.http, &json)
    }

    /// `vtu_status` by trx, or SMM `status` for `smm:<order>` references. Without a
    /// provider reference there is nothing to ask: see [`needs_person`].
    async fn status(&self, lookup: &StatusLookup) -> Result<PurchaseOutcome, ProviderError> {
        let Some(reference) = lookup
            .provider_reference
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        else {
            return Err(needs_person());
        };
        if let Some(order) = reference.strip_prefix(SMM_REF_PREFIX) {
            let json = self.listing("status", &[("order", order)]).await?;
            let mut out = outcome::smm_status(&self.http, &json)?;
            out.provider_reference = Some(reference.to_owned());
            return Ok(out);
        }
        let (http_status, json) = self
            .call(Safety::Idempotent, "vtu_status", &[("trx", reference)])
            .await?;
        // A refused lookup ("failed" with a 4xx, or without naming the transaction) says
        // nothing about the order; taking it as the order's failure would release a debit
        // RukkyStore may have kept.
        let names_it = match &json {
            Json::Object(o) => o.has("trx") || o.obj(&["vtu", "data", "transaction"]).is_some(),
            Json::Array(_) => false,
        };
        if let Json::Object(o) = &json {
            if http_status >= 400 || (is_failed(o) && !names_it) {
                return Err(errors::refusal_without_error(&self.http, o));
            }
        }
        let mut out = outcome::vtu(&self.http, &json, UnknownStatus::Refuse)?;
        match out.provider_reference.as_deref() {
            Some(t) if t != reference => {
                return Err(ProviderError::bad_response(
                    KIND,
                    format!("asked for transaction {reference} and got {t}"),
                ))
            }
            _ => out.provider_reference = Some(reference.to_owned()),
        }
        Ok(out)
    }
}

impl std::fmt::Debug for RukkyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RukkyClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
