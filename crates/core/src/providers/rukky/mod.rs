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
    AccountConfig, AccountValidation, Capabilities, CatalogueQuery, Category, Product, ProductOption, Provider, ProviderContext, ProviderError, ProviderKind,
    PurchaseOutcome, PurchaseRequest, SendStage, StatusLookup, ValidateRequest, WalletBalance,
};
use crate::secrets::Secret;

mod catalogue;
mod errors;
mod outcome;
mod products;
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

/// RukkyStore's samples use local numbers (`08012345678`); the app keeps E.164.
fn local_phone(phone: &str) -> String {
    let p: String = phone.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let digits = p.strip_prefix('+').unwrap_or(&p);
    match digits.strip_prefix("234") {
        Some(rest) if rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            format!("0{rest}")
        }
        _ => p,
    }
}

fn refuse(code: &str, message: String) -> ProviderError {
    ProviderError::Rejected { provider: KIND, message, code: Some(code.to_owned()), body: None }
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
            "" => KIND.base_url(config.environment).unwrap_or_default().to_owned(),
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
        let origin = config.setting("api_origin").and_then(|o| HeaderValue::from_str(o).ok());
        let secrets = [Some(key), pin.clone(), webhook_secret.clone()].into_iter().flatten().collect();
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
            if o.text(&["status"]).is_some_and(|s| s.eq_ignore_ascii_case("failed")) {
                return Err(errors::refusal_without_error(&self.http, o));
            }
        }
        Ok(json)
    }

    fn pin(&self) -> Result<&Secret, ProviderError> {
        self.pin.as_ref().ok_or_else(|| ProviderError::MissingCredential {
            provider: KIND,
            field: "pin".to_owned(),
        })
    }

    /// `vtu_data_plans`: the data plans of one service (e.g. `mtn-data`).
    pub async fn data_plans(&self, service_id: &str) -> Result<Vec<Product>, ProviderError> {
        let json = self.listing("vtu_data_plans", &[("service_id", service_id)]).await?;
        catalogue::plans(&self.http, catalogue::PlanList::Data, service_id, &json)
    }

    /// `vtu_sme_plans`: the SME data plans of one network (e.g. `mtn`).
    pub async fn sme_plans(&self, network: &str) -> Result<Vec<Product>, ProviderError> {
        let json = self.listing("vtu_sme_plans", &[("network", network)]).await?;
        catalogue::plans(&self.http, catalogue::PlanList::Sme, network, &json)
    }

    /// `vtu_cable_plans`: the bouquets of one cable service (e.g. `dstv`).
    pub async fn cable_plans(&self, service_id: &str) -> Result<Vec<Product>, ProviderError> {
        let json = self.listing("vtu_cable_plans", &[("service_id", service_id)]).await?;
        catalogue::plans(&self.http, catalogue::PlanList::Cable, service_id, &json)
    }

    /// `vtu_electric_discos`: one product per disco and meter type.
    pub async fn electricity_discos(&self) -> Result<Vec<Product>, ProviderError> {
        let json = self.listing("vtu_electric_discos", &[]).await?;
        catalogue::discos(&self.http, &json)
    }

    /// `services`: the SMM services with their quantity limits and rate per 1000.
    pub async fn smm_services(&self) -> Result<Vec<Product>, ProviderError> {
        let json = self.listing("services", &[]).await?;
        catalogue::smm_services(&self.http, &json)
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

    /// The lists one catalogue category needs. `named` (the query's `sub_category`) picks
    /// one service id / network; without it every known one is tried.
    async fn category(
        &self,
        code: &str,
        named: Option<&str>,
        found: &mut Vec<Product>,
        skipped: &mut Option<ProviderError>,
    ) -> Result<(), ProviderError> {
        let networks: Vec<&str> = named.map_or_else(|| catalogue::NETWORKS.to_vec(), |n| vec![n]);
        let strict = named.is_some();
        let lists: Vec<(catalogue::PlanList, String)> = match code {
            "airtime" => {
                found.extend(catalogue::airtime(&networks));
                return Ok(());
            }
            "recharge_card" => {
                found.extend(catalogue::recharge_cards(&networks));
                return Ok(());
            }
            "education" => {
                found.extend(catalogue::education());
                return Ok(());
            }
            "electricity" => {
                let got = self.electricity_discos().await;
                return keep(got, false, found, skipped);
            }
            "smm" => {
                let got = self.smm_services().await;
                return keep(got, false, found, skipped);
            }
            "data" => match named {
                Some(n) => vec![(catalogue::PlanList::Data, n.to_owned())],
                None => catalogue::NETWORKS
                    .iter()
                    .map(|n| (catalogue::PlanList::Data, format!("{n}-data")))
                    .collect(),
            },
            "sme" => networks.iter().map(|n| (catalogue::PlanList::Sme, (*n).to_owned())).collect(),
            "cable" => named
                .map_or_else(|| catalogue::CABLE_SERVICES.to_vec(), |n| vec![n])
                .into_iter()
                .map(|s| (catalogue::PlanList::Cable, s.to_owned()))
                .collect(),
            other => {
                return Err(refuse(
                    "UNKNOWN_CATEGORY",
                    format!(
                        "\"{other}\" is not a RukkyStore category; use one of {}",
                        catalogue::CATEGORIES.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
                    ),
                ))
            }
        };
        for (list, group) in lists {
            let got = match list {
                catalogue::PlanList::Data => self.data_plans(&group).await,
                catalogue::PlanList::Sme => self.sme_plans(&group).await,
                catalogue::PlanList::Cable => self.cable_plans(&group).await,
            };
            keep(got, strict, found, skipped)?;
        }
        Ok(())
    }

    fn vtu_fields(
        &self,
        product: &RukkyProduct,
        req: &PurchaseRequest,
    ) -> Result<(&'static str, Vec<(&'static str, String)>), ProviderError> {
        let amount = || -> Result<String, ProviderError> {
            let a = &req.face_value;
            if a.currency != naira() {
                return Err(refuse(
                    "CURRENCY",
                    format!("RukkyStore sells in NGN, not {}; enter the amount in naira", a.currency),
                ));
            }
            if a.amount <= rust_decimal::Decimal::ZERO {
                return Err(refuse("INVALID_AMOUNT", "the amount must be more than zero".to_owned()));
            }
            Ok(a.amount.normalize().to_string())
        };
        let phone = || -> Result<String, ProviderError> {
            req.phone.as_deref().filter(|p| !p.trim().is_empty()).map(local_phone).ok_or_else(|| {
                refuse(
                    "MISSING_PHONE",
                    "RukkyStore needs the customer's phone number for cable and electricity; \
                     enter it and try again"
                        .to_owned(),
                )
            })
        };
        let recipient = || local_phone(&req.recipient);
        Ok(match product {
            RukkyProduct::Airtime { service_name } => (
                "vtu_airtime",
                vec![
                    ("service_name", service_name.clone()),
                    ("phone", recipient()),
                    ("amount", amount()?),
                ],
            ),
            RukkyProduct::Data { plan_id } => {
                ("vtu_data", vec![("plan_id", plan_id.clone()), ("phone", recipient())])
            }
            RukkyProduct::Sme { plan_id } => {
                ("vtu_sme", vec![("plan_id", plan_id.clone()), ("phone", recipient())])
            }
            RukkyProduct::Cable { plan_id, .. } => {
                let plan = plan_id.clone().or_else(|| req.product_code.clone()).ok_or_else(|| {
                    refuse("MISSING_PLAN", "pick the bouquet to pay for, then try again".to_owned())
                })?;
                (
                    "vtu_cable",
                    vec![
                        ("plan_id", plan),
                        ("customer_id", req.recipient.trim().to_owned()),
                        ("phone", phone()?),
                    ],
                )
            }
            RukkyProduct::Electricity { service_name, meter_type } => (
                "vtu_electricity",
                vec![
                    ("service_name", service_name.clone()),
                    ("meter_type", meter_type_of(req.service_type.as_deref(), meter_type)),
                    ("meter_number", req.recipient.trim().to_owned()),
                    ("phone", phone()?),
                    ("amount", amount()?),
                ],
            ),
            RukkyProduct::Education { .. } => {
                ("vtu_education", vec![("phone", recipient()), ("amount", amount()?)])
            }
            // One card per order: PurchaseRequest has no quantity, and one order per card
            // keeps each charge and its PIN on one ledger line.
            RukkyProduct::RechargeCard { network } => (
                "vtu_recharge_card",
                vec![
                    ("card_network", network.clone()),
                    ("value", amount()?),
                    ("quantity", "1".to_owned()),
                ],
            ),
            RukkyProduct::Smm { .. } => {
                return Err(refuse("UNKNOWN_PRODUCT", "an SMM service is not a VTU product".into()))
            }
        })
    }

    async fn submit_smm(
        &self,
        service: &str,
        req: &PurchaseRequest,
    ) -> Result<PurchaseOutcome, ProviderError> {
        use rust_decimal::prelude::ToPrimitive;
        // The order quantity travels as the face value's amount (units, not money).
        let q = req.face_value.amount;
        let quantity = q.is_integer().then(|| q.to_u64()).flatten().filter(|n| *n > 0).ok_or_else(|| {
            refuse("INVALID_QUANTITY", format!("the quantity {q} is not a whole number above zero"))
        })?;
        let link = req.recipient.trim();
        if link.is_empty() {
            return Err(refuse("MISSING_LINK", "enter the link the SMM order is for".to_owned()));
        }
        let quantity = quantity.to_string();
        let fields = [("service", service), ("link", link), ("quantity", quantity.as_str())];
        let (_, json) = self.call(Safety::SendOnce, "add", &fields).await?;
        if let Json::Object(o) = &json {
            if o.text(&["status"]).is_some_and(|s| s.eq_ignore_ascii_case("failed")) {
                return Err(errors::refusal_without_error(&self.http, o));
            }
        }
        outcome::smm_order(&self.http, &json)
    }
}

fn meter_type_of(service_type: Option<&str>, from_id: &str) -> String {
    service_type
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(from_id)
        .to_ascii_lowercase()
}

/// Adds a list's products, or decides whether its failure ends the catalogue. Lists the
/// user did not name (guessed network ids, product lines the key's scope excludes) are
/// skipped on a refusal; a transport, server or answer problem always ends it.
fn keep(
    got: Result<Vec<Product>, ProviderError>,
    strict: bool,
    found: &mut Vec<Product>,
    skipped: &mut Option<ProviderError>,
) -> Result<(), ProviderError> {
    match got {
        Ok(p) => {
            found.extend(p);
            Ok(())
        }
        Err(e)
            if !strict
                && (matches!(e, ProviderError::Rejected { .. } | ProviderError::NotFound { .. })
                    || errors::is_scope_refusal(&e)) =>
        {
            tracing::warn!(provider = %KIND, error = %e, "skipping a catalogue list");
            skipped.get_or_insert(e);
            Ok(())
        }
        Err(e) => Err(e),
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

    async fn categories(&self) -> Result<Vec<Category>, ProviderError> {
        Ok(catalogue::categories())
    }

    /// `category` picks one of `catalogue::CATEGORIES` (none: all of them); `sub_category`
    /// names the service id / network for data, sme and cable (`mtn-data`, `mtn`, `dstv`);
    /// `search` filters names. Other filters do not apply to RukkyStore.
    async fn catalogue(&self, query: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        let named = query.sub_category.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let codes: Vec<String> = match query.category.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => vec![c.to_ascii_lowercase()],
            _ => catalogue::CATEGORIES.iter().map(|(c, _)| (*c).to_owned()).collect(),
        };
        let mut found = Vec::new();
        let mut skipped = None;
        for code in &codes {
            self.category(code, named, &mut found, &mut skipped).await?;
        }
        if let Some(s) = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let s = s.to_lowercase();
            found.retain(|p| p.name.to_lowercase().contains(&s));
        }
        match skipped {
            Some(e) if found.is_empty() => Err(e),
            _ => Ok(found),
        }
    }

    /// `vtu_cable_verify` / `vtu_electricity_verify`. A valid smartcard also lists the
    /// service's bouquets as options (their codes are plan ids for `product_code`).
    async fn validate_account(
        &self,
        req: &ValidateRequest,
    ) -> Result<AccountValidation, ProviderError> {
        let number = req.account_number.trim();
        let (answer, cable) = match RukkyProduct::parse(&req.product_id)? {
            RukkyProduct::Cable { service_id, .. } => {
                let fields = [("service_id", service_id.as_str()), ("customer_id", number)];
                (self.call(Safety::Idempotent, "vtu_cable_verify", &fields).await, Some(service_id))
            }
            RukkyProduct::Electricity { service_name, meter_type } => {
                let meter = meter_type_of(req.service_type.as_deref(), &meter_type);
                let fields = [
                    ("service_name", service_name.as_str()),
                    ("meter_type", meter.as_str()),
                    ("meter_number", number),
                ];
                (self.call(Safety::Idempotent, "vtu_electricity_verify", &fields).await, None)
            }
            _ => {
                return Err(ProviderError::Unsupported {
                    provider: KIND,
                    capability: "account validation for this product (only cable smartcards and \
                                 electricity meters are verified)",
                })
            }
        };
        let mut result = match answer {
            Ok((_, json)) => verify::account(&self.http, &json)?,
            Err(e) if verify::is_invalid_number(&e) => {
                let message = match &e {
                    ProviderError::Rejected { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                return Ok(AccountValidation {
                    valid: false,
                    account_name: None,
                    options: Vec::new(),
                    message: Some(message),
                });
            }
            Err(e) => return Err(e),
        };
        if let (true, Some(service_id)) = (result.valid, cable) {
            // Best effort: the bouquets are also in the catalogue.
            match self.cable_plans(&service_id).await {
                Ok(plans) => {
                    result.options = plans
                        .into_iter()
                        .filter_map(|p| {
                            Some(ProductOption {
                                code: p.code?,
                                name: p.name,
                                price: p.cost?,
                                months: None,
                            })
                        })
                        .collect();
                }
                Err(e) => tracing::warn!(provider = %KIND, error = %e, "no bouquets for the smartcard"),
            }
        }
        Ok(result)
    }

    /// Sends one purchase, once (`Safety::SendOnce`). Every check that can refuse it runs
    /// before the request is built.
    async fn submit(&self, req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        let product = RukkyProduct::parse(&req.product_id)?;
        if let RukkyProduct::Smm { service } = &product {
            return self.submit_smm(service, req).await;
        }
        let (action, mut fields) = self.vtu_fields(&product, req)?;
        fields.push(("pin", self.pin()?.expose().to_owned()));
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (_, json) = self.call(Safety::SendOnce, action, &borrowed).await?;
        outcome::vtu(&self.http, &json, UnknownStatus::KeepPending)
    }

    /// `vtu_status` by trx, or SMM `status` for `smm:<order>` references. Without a
    /// provider reference there is nothing to ask: see [`needs_person`].
    async fn status(&self, lookup: &StatusLookup) -> Result<PurchaseOutcome, ProviderError> {
        let Some(reference) =
            lookup.provider_reference.as_deref().map(str::trim).filter(|r| !r.is_empty())
        else {
            return Err(needs_person());
        };
        if let Some(order) = reference.strip_prefix(SMM_REF_PREFIX) {
            let json = self.listing("status", &[("order", order)]).await?;
            let mut out = outcome::smm_status(&self.http, &json)?;
            out.provider_reference = Some(reference.to_owned());
            return Ok(out);
        }
        let (http_status, json) =
            self.call(Safety::Idempotent, "vtu_status", &[("trx", reference)]).await?;
        // A refused lookup ("failed" with a 4xx, or without naming the transaction) says
        // nothing about the order; taking it as the order's failure would release a debit
        // RukkyStore may have kept.
        let names_it = match &json {
            Json::Object(o) => o.has("trx") || o.obj(&["vtu", "data", "transaction"]).is_some(),
            Json::Array(_) => false,
        };
        if let Json::Object(o) = &json {
            let failed = o.text(&["status"]).is_some_and(|s| s.eq_ignore_ascii_case("failed"));
            if http_status >= 400 || (failed && !names_it) {
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
        f.debug_struct("RukkyClient").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}
