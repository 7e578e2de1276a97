//! eStoreSMS Direct Airtime/Data API v2: product lists by phone number, batch purchases of
//! airtime and data, transaction queries by id or by our reference, the balance check and
//! status callbacks.
//!
//! Every JSON call is authenticated by `hash = sha512(api_token + email + username + ref)`
//! (lowercase hex); product lists and queries hash without the `ref`. That ref-less hash never
//! changes, so it is treated as a secret and scrubbed like the token. Whether eStoreSMS refuses
//! a repeated `ref` is not documented: nothing here relies on it to deduplicate a resend.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use sha2::{Digest, Sha512};
use url::Url;

use super::http::{HttpClient, HttpResponse, Safety};
use super::{
    AccountConfig, Capabilities, CatalogueQuery, Category, Product, Provider, ProviderContext,
    ProviderError, ProviderKind, PurchaseOutcome, PurchaseRequest, StatusLookup, WalletBalance,
};
use crate::clock::Clock;
use crate::money::{Currency, Money};
use crate::secrets::Secret;

mod balance;
mod callback;
mod catalogue;
mod errors;
mod purchase;
mod route;
mod status;
mod wire;

pub use callback::{parse_callback, CallbackEvent};
pub use catalogue::{open_range_price, OpenRangePrice, AIRTIME, DATA};
pub use purchase::{BatchItem, BatchResult, MAX_BATCH};
pub use status::{map_status, TransactionQuery, TransactionRecord};

use errors::{body_of, invalid};
use route::Kind;

const KIND: ProviderKind = ProviderKind::Estoresms;

/// The wallet eStoreSMS charges: every price and charge is in Naira.
pub const WALLET_ID: &str = "NGN";

pub struct EstoreSmsClient {
    http: HttpClient,
    /// Ends with `/` so endpoint paths join under it.
    base: Url,
    username: String,
    email: String,
    token: Secret,
    /// Only the balance check needs it.
    password: Option<Secret>,
    /// The `callback` sent with purchases: the `callback_url` setting, absent unless set.
    callback: Option<String>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for EstoreSmsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EstoreSmsClient")
            .field("base", &self.base.as_str())
            .field("username", &self.username)
            .field("password_stored", &self.password.is_some())
            .field("callback", &self.callback)
            .finish_non_exhaustive()
    }
}

/// `sha512(token + email + username + reference)` as lowercase hex, the document's
/// `hash('sha512', $token.$email.$username.$ref)`.
pub fn request_hash(token: &Secret, email: &str, username: &str, reference: &str) -> String {
    let mut h = Sha512::new();
    h.update(token.expose().as_bytes());
    h.update(email.as_bytes());
    h.update(username.as_bytes());
    h.update(reference.as_bytes());
    hex::encode(h.finalize())
}

impl EstoreSmsClient {
    pub fn new(config: AccountConfig, ctx: &ProviderContext) -> Result<Self, ProviderError> {
        let missing = |field: &str| ProviderError::MissingCredential {
            provider: KIND,
            field: field.to_owned(),
        };
        let username = config
            .setting("username")
            .map(str::trim)
            .ok_or_else(|| missing("username"))?
            .to_owned();
        let email = config
            .setting("email")
            .map(str::trim)
            .ok_or_else(|| missing("email"))?
            .to_owned();
        let token = config.secret("api_token")?.clone();
        let password = config.secret("password").ok().cloned();
        let callback = config.setting("callback_url").map(|s| s.trim().to_owned());
        let base_text = match config.base_url.trim() {
            "" => KIND
                .base_url(config.environment)
                .unwrap_or("https://estoresms.com"),
            b => b,
        };
        let mut base = Url::parse(base_text).map_err(|e| {
            invalid("base_url", format!("The base URL \"{base_text}\" is not a web address ({e}): enter e.g. https://estoresms.com."))
        })?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let list_hash = Secret::new(request_hash(&token, &email, &username, ""));
        let mut secrets = vec![token.clone(), list_hash];
        secrets.extend(password.clone());
        let http = HttpClient::new(KIND, ctx.http.clone(), secrets)?;
        Ok(Self {
            http,
            base,
            username,
            email,
            token,
            password,
            callback,
            clock: ctx.clock.clone(),
        })
    }

    fn hash(&self, reference: &str) -> String {
        request_hash(&self.token, &self.email, &self.username, reference)
    }

    fn endpoint(&self, path: &str) -> Result<Url, ProviderError> {
        self.base
            .join(path)
            .map_err(|e| ProviderError::bad_response(KIND, format!("endpoint {path}: {e}")))
    }

    async fn post<B: serde::Serialize + Sync>(
        &self,
        safety: Safety,
        path: &str,
        body: &B,
    ) -> Result<HttpResponse, ProviderError> {
        let url = self.endpoint(path)?;
        self.http
            .send(safety, |c| c.post(url.clone()).json(body))
            .await
    }

    /// Sends up to five purchases as one request under one `ref` (`reference`) and maps each
    /// item's answer. Checks are made before sending (P014: more than five items; mixed
    /// airtime and data; missing phone or product; fractional open range amounts). The
    /// request is sent once: a timeout, a 5xx or an unreadable answer is `outcome_unknown()`
    /// and is settled by [`EstoreSmsClient::query_transactions`] by `ref`, never by resending.
    pub async fn submit_batch(
        &self,
        reference: &str,
        items: &[PurchaseRequest],
    ) -> Result<BatchResult, ProviderError> {
        let reference = reference.trim();
        if reference.is_empty() {
            return Err(invalid(
                "ref",
                "The purchase has no reference: it must be recorded before it is sent.",
            ));
        }
        let (kind, planned) = purchase::plan(items)?;
        let hash = self.hash(reference);
        let body = wire::PurchaseBody {
            username: &self.username,
            reference,
            hash: &hash,
            callback: self.callback.as_deref(),
            request: planned.iter().map(purchase::Planned::wire).collect(),
        };
        let mut resp = self
            .post(Safety::SendOnce, kind.purchase_path(), &body)
            .await?;
        // The per-ref hash would let anyone replay this very purchase: never keep an echo of it.
        resp.body = resp.body.replace(&hash, "<redacted>");
        let text = body_of(&self.http, &resp)?;
        purchase::map_answer(&self.http, text, reference, items)
    }

    /// `api_query` by transaction id or by our `ref`. "No record found" is an empty list.
    pub async fn query_transactions(
        &self,
        query: &TransactionQuery,
    ) -> Result<Vec<TransactionRecord>, ProviderError> {
        let hash = self.hash("");
        let (transaction_id, reference) = match query {
            TransactionQuery::TransactionId(id) => (Some(id.trim()), None),
            TransactionQuery::Reference(r) => (None, Some(r.trim())),
        };
        if transaction_id.or(reference).is_none_or(str::is_empty) {
            return Err(invalid(
                "ref",
                "Enter a transaction id or a reference to look up.",
            ));
        }
        let body = wire::QueryRequest {
            username: &self.username,
            hash: &hash,
            transaction_id,
            reference,
        };
        let resp = self.post(Safety::Idempotent, "api_query", &body).await?;
        status::parse_records(&self.http, body_of(&self.http, &resp)?)
    }

    async fn list(
        &self,
        kind: Kind,
        phone: &str,
        country: Option<&str>,
    ) -> Result<Vec<Product>, ProviderError> {
        let hash = self.hash("");
        let body = wire::ListRequest {
            username: &self.username,
            hash: &hash,
            phone,
            country,
        };
        let resp = self
            .post(Safety::Idempotent, kind.list_path(), &body)
            .await?;
        catalogue::map_list(&self.http, kind, body_of(&self.http, &resp)?, country)
    }
}

#[async_trait]
impl Provider for EstoreSmsClient {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        KIND.capabilities()
    }

    async fn balances(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        let password = self
            .password
            .as_ref()
            .ok_or_else(|| ProviderError::MissingCredential {
                provider: KIND,
                field: "password".to_owned(),
            })?;
        let url = balance::url(&self.base, &self.username, password)?;
        let resp = self
            .http
            .send(Safety::Idempotent, |c| c.get(url.clone()))
            .await?;
        let amount = balance::parse(&self.http, body_of(&self.http, &resp)?)?;
        Ok(vec![WalletBalance {
            wallet_id: WALLET_ID.to_owned(),
            balance: Money::new(amount, Currency::known("NGN")),
        }])
    }

    /// Proves the API token with a query for a reference that cannot exist ("No record
    /// found" means the hash was accepted; P001 means it was not), then the password with
    /// the balance check when one is stored.
    async fn test_connection(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        let probe = format!(
            "rc-connection-check-{}",
            self.clock.now().timestamp_micros()
        );
        self.query_transactions(&TransactionQuery::Reference(probe))
            .await?;
        if self.password.is_some() {
            return self.balances().await;
        }
        Ok(Vec::new())
    }

    async fn categories(&self) -> Result<Vec<Category>, ProviderError> {
        Ok([Kind::Airtime, Kind::Data]
            .into_iter()
            .map(|k| Category {
                code: k.category_code().to_owned(),
                name: k.category_name().to_owned(),
            })
            .collect())
    }

    /// The airtime list first and the data list only when the product is not on it (an id
    /// does not say which list holds it): an airtime purchase asks one list, not both.
    async fn listed_product(
        &self,
        product_id: &str,
        phone: &str,
    ) -> Result<Option<Product>, ProviderError> {
        let mut refusal = None;
        let mut answered = false;
        for kind in [Kind::Airtime, Kind::Data] {
            match self.list(kind, phone.trim(), None).await {
                Ok(list) => {
                    answered = true;
                    if let Some(p) = list.into_iter().find(|p| p.id == product_id) {
                        return Ok(Some(p));
                    }
                }
                Err(e @ ProviderError::Rejected { .. }) => refusal = Some(e),
                Err(e) => return Err(e),
            }
        }
        match refusal {
            Some(e) if !answered => Err(e),
            _ => Ok(None),
        }
    }

    /// Lists are per phone number. `airtime` asks `network_list`, `data-bundle` asks
    /// `data_list`, no category asks both (a number whose network sells no data still
    /// lists its airtime: a refusal of one list is dropped when the other succeeds).
    async fn catalogue(&self, query: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        let phone = query.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).ok_or_else(|| {
            invalid("phone", "eStoreSMS lists products per phone number: enter the recipient phone number first.")
        })?;
        let country = query
            .country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let kinds: Vec<Kind> = match query.category.as_deref().map(str::trim) {
            None | Some("") => vec![Kind::Airtime, Kind::Data],
            Some(AIRTIME) => vec![Kind::Airtime],
            Some(DATA) => vec![Kind::Data],
            Some(_) => return Ok(Vec::new()),
        };
        let mut products = Vec::new();
        let mut refusal = None;
        for kind in &kinds {
            match self.list(*kind, phone, country).await {
                Ok(p) => products.extend(p),
                Err(e @ ProviderError::Rejected { .. }) if kinds.len() > 1 => refusal = Some(e),
                Err(e) => return Err(e),
            }
        }
        if products.is_empty() {
            if let Some(e) = refusal {
                return Err(e);
            }
        }
        if let Some(s) = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let s = s.to_lowercase();
            products.retain(|p| {
                p.name.to_lowercase().contains(&s)
                    || p.id.to_lowercase().contains(&s)
                    || p.operator
                        .as_deref()
                        .is_some_and(|o| o.to_lowercase().contains(&s))
            });
        }
        Ok(products)
    }

    /// A batch of one under the order's reference.
    async fn submit(&self, req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        let batch = self
            .submit_batch(&req.reference, std::slice::from_ref(req))
            .await?;
        match batch.items.into_iter().next() {
            Some(item) => item.outcome,
            None => Err(ProviderError::bad_response(
                KIND,
                "no result for the purchase",
            )),
        }
    }

    /// By `transaction_id` when the purchase answer gave one, else (or when that id is not
    /// found) by our `ref`.
    async fn status(&self, lookup: &StatusLookup) -> Result<PurchaseOutcome, ProviderError> {
        if let Some(id) = lookup
            .provider_reference
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
        {
            let query = TransactionQuery::TransactionId(id.to_owned());
            let records = self.query_transactions(&query).await?;
            match status::pick(&self.http, &records, &query) {
                Err(ProviderError::NotFound { .. }) => {}
                other => return other,
            }
        }
        let query = TransactionQuery::Reference(lookup.reference.clone());
        let records = self.query_transactions(&query).await?;
        status::pick(&self.http, &records, &query)
    }
}

#[cfg(test)]
mod tests;
