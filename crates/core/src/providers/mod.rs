//! One trait for every wholesaler, the shared types adapters map their wire types to, and
//! the errors they return. Each adapter lives in its own folder and keeps its wire types
//! private; `http.rs` holds the one HTTP client they share.

use std::fmt;

use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::money::{Currency, Money};
use crate::secrets::Secret;

pub mod address;
#[cfg(any(test, feature = "test-support"))]
pub mod conformance;
pub mod demo;
pub mod estoresms;
pub mod http;
pub mod kinds;
pub mod rukapay;
pub mod rukky;
pub mod vendify;

pub use kinds::{CredentialField, Environment, ProviderKind};

/// What an adapter can do. The UI and CLI offer only what an account's provider declares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct Capabilities {
    pub catalogue: bool,
    pub validate_account: bool,
    pub purchase: bool,
    /// The provider can find an order by a reference we chose before sending it.
    pub status_by_reference: bool,
    pub balance: bool,
    pub provider_history: bool,
    pub voucher_resend: bool,
    pub delivery_update: bool,
    pub esim: bool,
    pub push: bool,
}

/// One wallet at the provider and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletBalance {
    pub wallet_id: String,
    pub balance: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DenominationKind {
    Fixed,
    Range,
}

/// A value the product can be bought at, in `currency` (the product's face currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denomination {
    pub kind: DenominationKind,
    pub min: Decimal,
    pub max: Decimal,
    pub currency: Currency,
}

/// Something a product's provider needs besides the recipient and the amount, asked of
/// the cashier only where the product says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExtraField {
    /// The customer's phone number, when the recipient is a smartcard or meter (Vendify
    /// electricity `accountTelephone`, RukkyStore cable and electricity `phone`).
    CustomerPhone,
    /// The name on the receiving bank account (RukaPay bank transfers `accountName`).
    AccountName,
}

impl ExtraField {
    /// The `PlaceRequest` field and `resellerctl buy` option that carry it.
    pub fn field_name(self) -> &'static str {
        match self {
            ExtraField::CustomerPhone => "customer_phone",
            ExtraField::AccountName => "account_name",
        }
    }
    /// What the cashier is asked for, in shop words.
    pub fn label(self) -> &'static str {
        match self {
            ExtraField::CustomerPhone => "the customer's phone number",
            ExtraField::AccountName => "the account holder's name at the bank",
        }
    }
}

/// A product as every adapter describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// The provider's id for the product (Vendify productId, eStoreSMS product id, ...).
    pub id: String,
    /// The provider's product code, when purchases need it (Vendify utilities).
    pub code: Option<String>,
    pub name: String,
    pub category_code: String,
    pub category: String,
    pub sub_category_code: Option<String>,
    pub sub_category: Option<String>,
    pub brand_code: Option<String>,
    pub brand_family: Option<String>,
    /// Mobile network or service operator, e.g. "MTN".
    pub operator: Option<String>,
    /// ISO 3166 alpha-3 codes of the countries the product is for or redeemable in.
    pub country_codes: Vec<String>,
    pub denominations: Vec<Denomination>,
    /// Price of the listed face value in the paying wallet's currency, when quoted.
    pub cost: Option<Money>,
    /// Face value the `cost` is for.
    pub face_value: Option<Money>,
    /// Wallet-currency units per one face-currency unit, when the provider converts.
    pub fx_rate: Option<Decimal>,
    pub wallet_id: Option<String>,
    pub validity: Option<String>,
    pub description: Option<String>,
    /// The account number must be validated first (cable TV, electricity).
    pub requires_validation: bool,
    /// What the order needs besides the recipient and the amount; refused without it.
    pub needs: Vec<ExtraField>,
    pub active: bool,
    /// The provider-side id of the supplier, needed by Vendify orders.
    pub provider_ref: Option<String>,
}

impl Product {
    /// What a search by name looks in: the name, operator, brand family, brand code and
    /// product code (Vendify's search fields; the saved catalogue and the demo use the same).
    pub fn search_fields(&self) -> impl Iterator<Item = &String> {
        [
            Some(&self.name),
            self.operator.as_ref(),
            self.brand_family.as_ref(),
            self.brand_code.as_ref(),
            self.code.as_ref(),
        ]
        .into_iter()
        .flatten()
    }

    /// What buying `face` costs in the paying wallet's currency, when the product says.
    ///
    /// The quote's own `cost` when it was made for exactly `face`; otherwise, for a range
    /// priced by a rate (eStoreSMS open range: "Price = Amount * rate, rounded up to 2
    /// decimal places"), `face × fx_rate` rounded up to the cent. `None` when neither
    /// holds: the caller must not guess a price from another face value.
    pub fn cost_for(&self, face: &Money) -> Option<Money> {
        let cost = self.cost.as_ref()?;
        if self.face_value.as_ref() == Some(face) {
            return Some(cost.clone());
        }
        let in_range = self.denominations.iter().any(|d| {
            d.kind == DenominationKind::Range
                && d.currency == face.currency
                && face.amount >= d.min
                && face.amount <= d.max
        });
        let rate = self.fx_rate.filter(|r| !r.is_sign_negative())?;
        if !in_range {
            return None;
        }
        let amount = face
            .amount
            .checked_mul(rate)?
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToPositiveInfinity);
        Some(Money::new(amount, cost.currency.clone()))
    }
}

/// Filters shared by the UI and `resellerctl catalog`. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
pub struct CatalogueQuery {
    pub category: Option<String>,
    pub country: Option<String>,
    pub sub_category: Option<String>,
    pub brand_family: Option<String>,
    pub brand_code: Option<String>,
    /// Providers whose lists depend on the number (eStoreSMS) need it.
    pub phone: Option<String>,
    /// The wallet whose currency prices are quoted in (Vendify X-Wallet-Id).
    pub wallet_id: Option<String>,
    pub search: Option<String>,
}

/// Asks the provider whether an account number (smartcard, meter) is real.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateRequest {
    pub product_id: String,
    pub account_number: String,
    /// PREPAID / POSTPAID for electricity.
    pub service_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductOption {
    pub code: String,
    pub name: String,
    pub price: Money,
    pub months: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountValidation {
    pub valid: bool,
    pub account_name: Option<String>,
    pub options: Vec<ProductOption>,
    pub message: Option<String>,
}

/// One purchase, exactly as committed to the ledger before it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseRequest {
    /// Our reference, unique per order, committed before sending.
    pub reference: String,
    /// The per-request nonce (Vendify X-Nonce), committed with the order.
    pub nonce: String,
    pub product_id: String,
    /// The product code to buy (Vendify utilities, the bouquet picked after validation).
    pub product_code: Option<String>,
    pub provider_ref: Option<String>,
    /// Phone in E.164 for airtime/data; smartcard or meter number for utilities.
    pub recipient: String,
    /// The face value asked for, in the product currency.
    pub face_value: Money,
    pub wallet_id: Option<String>,
    /// The name on the receiving account (RukaPay bank `accountName`, MNO `recipientName`).
    pub account_name: Option<String>,
    /// The customer's phone when the recipient is a smartcard or meter (Vendify
    /// `accountTelephone`, RukkyStore `phone`).
    pub phone: Option<String>,
    pub email: Option<String>,
    /// PREPAID / POSTPAID for electricity.
    pub service_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    Succeeded,
    Pending,
    Failed,
    /// The provider reversed a completed order (refund).
    Reversed,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PinCode {
    pub pin: String,
    pub serial: Option<String>,
    pub expires: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EsimDelivery {
    pub activation_code: Option<String>,
    pub iccid: Option<String>,
    pub android_install_url: Option<String>,
    pub ios_install_url: Option<String>,
    pub usage_url: Option<String>,
}

/// What the customer receives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Delivery {
    pub voucher_code: Option<String>,
    pub pins: Vec<PinCode>,
    pub token: Option<String>,
    pub redemption_url: Option<String>,
    pub redemption_info: Option<String>,
    pub qr_code_data: Option<String>,
    pub expiration_date: Option<String>,
    pub esim: Option<EsimDelivery>,
}

impl Delivery {
    pub fn is_empty(&self) -> bool {
        *self == Delivery::default()
    }
}

/// What the provider said about one purchase, from the purchase answer or a status query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOutcome {
    pub status: OutcomeStatus,
    pub provider_reference: Option<String>,
    /// What the wallet was charged, when the provider says.
    pub charged: Option<Money>,
    /// The wallet balance after this order, when the answer carries it.
    pub balance_after: Option<WalletBalance>,
    pub delivery: Delivery,
    pub message: Option<String>,
}

/// How to find a purchase at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLookup {
    pub reference: String,
    pub nonce: String,
    pub provider_reference: Option<String>,
}

/// Where a failed call stopped, which decides whether a purchase may have gone through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendStage {
    /// No byte reached the provider (DNS, connect refused): the order certainly did not happen.
    NotSent,
    /// The request may have arrived: the outcome is unknown until a status query says.
    MaybeSent,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    #[error("{provider} could not be reached ({reason}). Check the internet connection and the account's base URL, then try again.")]
    Unreachable {
        provider: ProviderKind,
        reason: String,
        stage: SendStage,
    },
    #[error("{provider} did not answer within {seconds} s. Try again; a purchase is checked by its reference before anything is resent.")]
    Timeout {
        provider: ProviderKind,
        seconds: u64,
    },
    #[error(
        "{provider} rejected the credentials: {message}. {}",
        auth_hint(message)
    )]
    Auth {
        provider: ProviderKind,
        message: String,
    },
    #[error("{provider} refused the request: {message}")]
    Rejected {
        provider: ProviderKind,
        message: String,
        code: Option<String>,
        body: Option<String>,
    },
    #[error("{provider} is rate limiting requests{}. Wait and try again.", retry_after_secs.map(|s| format!(" for {s} s")).unwrap_or_default())]
    RateLimited {
        provider: ProviderKind,
        retry_after_secs: Option<u64>,
    },
    #[error("Insufficient balance at {provider}: {message}. Top up the wallet and try again.")]
    InsufficientBalance {
        provider: ProviderKind,
        message: String,
    },
    #[error("{provider} answered HTTP {status}, a server error. Try again later; if it persists contact {provider} support.")]
    Server {
        provider: ProviderKind,
        status: u16,
        body: Option<String>,
    },
    #[error("{provider} sent an answer Reseller Console cannot read ({reason}). If it persists, send the log file to support.")]
    BadResponse {
        provider: ProviderKind,
        reason: String,
        body: Option<String>,
    },
    #[error("{provider} does not support {capability}.")]
    Unsupported {
        provider: ProviderKind,
        capability: &'static str,
    },
    #[error(
        "The {provider} account has no {field} stored. Enter it on the account (in the app: \
         Providers; on the command line: `resellerctl accounts add ... --secrets-stdin`, or the \
         RESELLER_<PROVIDER>_<FIELD> variable for one run)."
    )]
    MissingCredential {
        provider: ProviderKind,
        field: String,
    },
    #[error("{provider}: {}", not_found_text(what))]
    NotFound {
        provider: ProviderKind,
        what: String,
    },
}

/// What to check after a refusal of the credentials: a signature the provider could not
/// verify is a scheme setting, not a wrong key.
fn auth_hint(message: &str) -> &'static str {
    if message.to_ascii_lowercase().contains("signature") {
        "The key may be right: check the account's signature scheme (under Advanced in the \
         app, `--setting signature_scheme=...` on the command line) against what the provider \
         expects."
    } else {
        "Check the API key stored for the account (in the app: Providers; on the command line: \
         `resellerctl accounts test ACCOUNT`)."
    }
}

/// "Product 12 was not found."; a provider's own words that already say so ("Transaction
/// record not found") are not said twice.
fn not_found_text(what: &str) -> String {
    let what = what.trim().trim_end_matches('.');
    if what.to_ascii_lowercase().contains("not found") {
        format!("{what}.")
    } else {
        format!("{what} was not found.")
    }
}

impl ProviderError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ProviderError::Unreachable { .. } | ProviderError::Timeout { .. } => {
                ErrorCode::ProviderUnreachable
            }
            ProviderError::Auth { .. } => ErrorCode::ProviderAuth,
            ProviderError::Rejected { .. } => ErrorCode::ProviderRejected,
            ProviderError::RateLimited { .. } => ErrorCode::RateLimited,
            ProviderError::InsufficientBalance { .. } => ErrorCode::InsufficientBalance,
            ProviderError::Server { .. } | ProviderError::BadResponse { .. } => {
                ErrorCode::ProviderBadResponse
            }
            ProviderError::Unsupported { .. } => ErrorCode::Unsupported,
            ProviderError::MissingCredential { .. } => ErrorCode::MissingCredentials,
            ProviderError::NotFound { .. } => ErrorCode::NotFound,
        }
    }

    /// After a purchase call failed this way, may the provider have charged us? If so the
    /// order is `unknown` and is resolved by a status query, never by resending.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            ProviderError::Unreachable { stage, .. } => *stage == SendStage::MaybeSent,
            ProviderError::Timeout { .. }
            | ProviderError::Server { .. }
            | ProviderError::BadResponse { .. } => true,
            _ => false,
        }
    }

    /// The provider the error is about.
    pub fn provider(&self) -> ProviderKind {
        match self {
            ProviderError::Unreachable { provider, .. }
            | ProviderError::Timeout { provider, .. }
            | ProviderError::Auth { provider, .. }
            | ProviderError::Rejected { provider, .. }
            | ProviderError::RateLimited { provider, .. }
            | ProviderError::InsufficientBalance { provider, .. }
            | ProviderError::Server { provider, .. }
            | ProviderError::BadResponse { provider, .. }
            | ProviderError::Unsupported { provider, .. }
            | ProviderError::MissingCredential { provider, .. }
            | ProviderError::NotFound { provider, .. } => *provider,
        }
    }

    pub fn unsupported(provider: ProviderKind, capability: &'static str) -> Self {
        ProviderError::Unsupported {
            provider,
            capability,
        }
    }
    pub fn bad_response(provider: ProviderKind, reason: impl fmt::Display) -> Self {
        ProviderError::BadResponse {
            provider,
            reason: reason.to_string(),
            body: None,
        }
    }
}

/// The credentials and settings an adapter is built from.
#[derive(Debug, Clone)]
pub struct AccountConfig {
    pub account_id: String,
    pub kind: ProviderKind,
    pub environment: Environment,
    pub base_url: String,
    /// Non-secret settings (username, email, wallet id, signature scheme).
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// Secret fields by name, from the keychain or this run's environment.
    pub secrets: std::collections::BTreeMap<String, Secret>,
}

impl AccountConfig {
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    }
    pub fn secret(&self, field: &str) -> Result<&Secret, ProviderError> {
        self.secrets
            .get(field)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ProviderError::MissingCredential {
                provider: self.kind,
                field: field.to_owned(),
            })
    }
}

/// Every wholesaler behind one interface. Methods a provider cannot serve keep the default,
/// which answers `Unsupported`; `capabilities()` tells callers which ones those are.
#[async_trait]
pub trait Provider: Send + Sync {
    fn kind(&self) -> ProviderKind;
    fn capabilities(&self) -> Capabilities;

    async fn balances(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        Err(ProviderError::unsupported(self.kind(), "balance"))
    }
    /// The wallet an order naming `wallet` pays from, spelled as the provider and the ledger
    /// key it, or `Rejected` when the provider has no such wallet. Asked in validation, before
    /// the intent is written, so the ledger never holds money against a wallet the provider
    /// will not charge. The default takes any name (the balance check and the provider's
    /// answer judge it); providers with a fixed set of wallets (RukaPay) refuse the rest.
    fn paying_wallet(&self, wallet: &str) -> Result<String, ProviderError> {
        Ok(wallet.to_owned())
    }
    /// Wallets to show before any balance is known, for a provider with no balance call
    /// (RukaPay: the account's wallet type). Empty: show what was reported.
    fn expected_wallets(&self) -> Vec<String> {
        Vec::new()
    }
    /// Proves the base URL and credentials work with a call that changes nothing, and
    /// returns the wallets when that call shows them. Providers without a balance call
    /// override it (e.g. a status query for a reference that cannot exist).
    async fn test_connection(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        self.balances().await
    }
    /// What [`Provider::test_connection`] cannot prove and a purchase still needs, in words
    /// for the test result (RukkyStore: the PIN, which only a purchase reads). `None` when
    /// the test proves everything a purchase uses.
    fn untested(&self) -> Option<String> {
        None
    }
    async fn categories(&self) -> Result<Vec<Category>, ProviderError> {
        Err(ProviderError::unsupported(self.kind(), "catalogue"))
    }
    async fn catalogue(&self, _query: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        Err(ProviderError::unsupported(self.kind(), "catalogue"))
    }
    /// One product with its price for `face_value` (Vendify requestFaceValue).
    async fn quote(
        &self,
        _product_id: &str,
        _face_value: Option<&Money>,
    ) -> Result<Product, ProviderError> {
        Err(ProviderError::unsupported(self.kind(), "quotes"))
    }
    /// One product as the catalogue lists it (its listed price, no live quote), asked with
    /// as few requests as the provider allows; `None` when the provider does not list it.
    /// The purchase path asks this when the saved catalogue does not hold the product.
    /// `phone` is for providers whose lists depend on the number (eStoreSMS). The default
    /// searches the whole catalogue listed for `phone`.
    async fn listed_product(
        &self,
        product_id: &str,
        phone: &str,
    ) -> Result<Option<Product>, ProviderError> {
        Ok(self
            .catalogue(&CatalogueQuery {
                phone: Some(phone.to_owned()),
                ..CatalogueQuery::default()
            })
            .await?
            .into_iter()
            .find(|p| p.id == product_id))
    }
    async fn validate_account(
        &self,
        _req: &ValidateRequest,
    ) -> Result<AccountValidation, ProviderError> {
        Err(ProviderError::unsupported(
            self.kind(),
            "account validation",
        ))
    }
    /// Sends one purchase request, once. Never retried here or by the HTTP client.
    async fn submit(&self, _req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        Err(ProviderError::unsupported(self.kind(), "purchases"))
    }
    async fn status(&self, _lookup: &StatusLookup) -> Result<PurchaseOutcome, ProviderError> {
        Err(ProviderError::unsupported(self.kind(), "status queries"))
    }
}

/// What adapters get from the app besides their account: where local state may live, the
/// clock, and the HTTP policy.
#[derive(Clone)]
pub struct ProviderContext {
    pub data_dir: std::path::PathBuf,
    pub clock: std::sync::Arc<dyn crate::clock::Clock>,
    pub http: http::HttpPolicy,
}

/// Builds the adapter for an account.
pub async fn connect(
    config: AccountConfig,
    ctx: &ProviderContext,
) -> Result<Box<dyn Provider>, ProviderError> {
    address::check_account(&config)?;
    match config.kind {
        ProviderKind::Demo => Ok(Box::new(demo::DemoProvider::open(ctx).await?)),
        ProviderKind::Vendify => Ok(Box::new(vendify::VendifyClient::new(config, ctx)?)),
        ProviderKind::Rukky => Ok(Box::new(rukky::RukkyClient::new(config, ctx)?)),
        ProviderKind::Estoresms => Ok(Box::new(estoresms::EstoreSmsClient::new(config, ctx)?)),
        ProviderKind::Rukapay => Ok(Box::new(rukapay::RukaPayClient::new(config, ctx)?)),
    }
}

#[cfg(test)]
mod not_found_wording {
    use super::*;

    #[test]
    fn a_not_found_message_never_says_not_found_twice() {
        let e = |what: &str| {
            ProviderError::NotFound {
                provider: ProviderKind::Vendify,
                what: what.to_owned(),
            }
            .to_string()
        };
        assert_eq!(
            e("Transaction record not found"),
            "Vendify: Transaction record not found."
        );
        assert_eq!(e("Product not found."), "Vendify: Product not found.");
        assert_eq!(e("product 12"), "Vendify: product 12 was not found.");
    }

    #[test]
    fn a_signature_refusal_points_at_the_scheme_not_the_key() {
        let auth = |m: &str| {
            ProviderError::Auth {
                provider: ProviderKind::Vendify,
                message: m.to_owned(),
            }
            .to_string()
        };
        let sig = auth("Invalid signature");
        assert!(sig.contains("signature scheme"), "{sig}");
        assert!(!sig.contains("re-enter the API key"), "{sig}");
        let key = auth("Invalid api key");
        assert!(key.contains("Check the API key"), "{key}");
        assert!(key.contains("resellerctl accounts test"), "{key}");
    }
}
