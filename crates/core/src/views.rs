//! What crosses IPC and what `resellerctl --json` prints. Amounts are decimal strings,
//! never numbers; no view has a field that could hold a secret value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ErrorView;
use crate::money::Money;
use crate::providers::{
    Capabilities, CredentialField, DenominationKind, Environment, Product, ProviderKind,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct MoneyView {
    /// Exact decimal text, e.g. "1250000.00".
    pub amount: String,
    pub currency: String,
}

impl From<&Money> for MoneyView {
    fn from(m: &Money) -> Self {
        MoneyView {
            amount: m.amount_string(),
            currency: m.currency.code().to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AccountView {
    pub id: String,
    pub provider: ProviderKind,
    pub provider_name: String,
    pub label: String,
    pub environment: Environment,
    pub base_url: String,
    /// Non-secret settings only.
    pub settings: BTreeMap<String, String>,
    /// Which secret fields are stored (names only, never values).
    pub stored_secrets: Vec<String>,
    pub capabilities: Capabilities,
    pub created_at: String,
    /// The wallets and balances the provider last reported (filled by the account list;
    /// empty where the view travels with fresher balances, as on the dashboard).
    pub last_known_wallets: Vec<WalletView>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct WalletView {
    pub wallet_id: String,
    pub balance: MoneyView,
    /// When the provider last told us this balance.
    pub observed_at: String,
    /// The balance is the last one the provider reported (in an order's answer or an
    /// earlier call), not one a balance call fetched just now: RukaPay has no balance call.
    pub last_reported: bool,
    /// Below the low-balance threshold for its currency.
    pub low: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DashboardAccount {
    pub account: AccountView,
    pub wallets: Vec<WalletView>,
    /// Wallets the account pays from that no answer has reported a balance for yet (a
    /// RukaPay account before its first purchase): shown as "no balance reported yet".
    pub unreported_wallets: Vec<String>,
    /// Why fresh balances could not be fetched; the wallets are then the last known ones.
    pub error: Option<ErrorView>,
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Dashboard {
    pub accounts: Vec<DashboardAccount>,
    pub generated_at: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectionTest {
    pub ok: bool,
    pub message: String,
    pub wallets: Vec<WalletView>,
    pub error: Option<ErrorView>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct EnvironmentInfo {
    pub environment: Environment,
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ProviderKindInfo {
    pub kind: ProviderKind,
    pub name: String,
    pub environments: Vec<EnvironmentInfo>,
    pub fields: Vec<CredentialField>,
    pub capabilities: Capabilities,
}

/// A new provider account from the Providers screen or `resellerctl accounts add`.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct NewAccount {
    pub provider: ProviderKind,
    pub label: String,
    pub environment: Environment,
    /// Required for `custom`; otherwise the provider's documented URL is used.
    pub base_url: Option<String>,
    pub settings: BTreeMap<String, String>,
    /// Secret values, inbound only: they go straight to the keychain.
    pub secrets: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DenominationView {
    pub kind: DenominationKind,
    pub min: String,
    pub max: String,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CategoryView {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ProductView {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub category_code: String,
    pub category: String,
    pub sub_category: Option<String>,
    pub brand_family: Option<String>,
    pub operator: Option<String>,
    pub countries: Vec<String>,
    pub denominations: Vec<DenominationView>,
    /// Cost of `face_value` in the paying wallet's currency.
    pub cost: Option<MoneyView>,
    pub face_value: Option<MoneyView>,
    pub fx_rate: Option<String>,
    pub wallet_id: Option<String>,
    pub validity: Option<String>,
    pub description: Option<String>,
    pub requires_validation: bool,
    /// What the Buy form must ask for besides the recipient and the amount.
    pub needs: Vec<crate::providers::ExtraField>,
}

impl From<&Product> for ProductView {
    fn from(p: &Product) -> Self {
        ProductView {
            id: p.id.clone(),
            code: p.code.clone(),
            name: p.name.clone(),
            category_code: p.category_code.clone(),
            category: p.category.clone(),
            sub_category: p.sub_category.clone(),
            brand_family: p.brand_family.clone(),
            operator: p.operator.clone(),
            countries: p.country_codes.clone(),
            denominations: p
                .denominations
                .iter()
                .map(|d| DenominationView {
                    kind: d.kind,
                    min: d.min.normalize().to_string(),
                    max: d.max.normalize().to_string(),
                    currency: d.currency.code().to_owned(),
                })
                .collect(),
            cost: p.cost.as_ref().map(MoneyView::from),
            face_value: p.face_value.as_ref().map(MoneyView::from),
            fx_rate: p.fx_rate.map(|r| r.normalize().to_string()),
            wallet_id: p.wallet_id.clone(),
            validity: p.validity.clone(),
            description: p.description.clone(),
            requires_validation: p.requires_validation,
            needs: p.needs.clone(),
        }
    }
}

/// One catalogue answer and where it came from.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CatalogueView {
    pub products: Vec<ProductView>,
    /// When the saved catalogue this answer comes from was fetched from the provider;
    /// `None` for a live answer that was not saved (eStoreSMS lists per phone number).
    pub fetched_at: Option<String>,
    /// Answered from the saved catalogue without asking the provider. `false` when the
    /// catalogue was fetched for this answer (the first visit) or the answer is live.
    pub from_cache: bool,
}

/// The result of fetching an account's catalogue anew.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CatalogueRefresh {
    pub account_id: String,
    pub product_count: u32,
    pub fetched_at: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub log_dir: String,
    pub ledger_file: String,
}

/// The answer to "is this smartcard or meter number real?", with the bouquets it may buy.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ValidationView {
    pub valid: bool,
    pub account_name: Option<String>,
    pub options: Vec<ProductOptionView>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ProductOptionView {
    pub code: String,
    pub name: String,
    pub price: MoneyView,
    pub months: Option<u32>,
}
