//! [`Console`]: the one entry point the desktop shell and `resellerctl` share. It owns the
//! ledger, the secret store and the clock, and turns user requests into ledger writes and
//! provider calls.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;

use crate::clock::{stamp, Clock, SystemClock};
use crate::error::{Error, Result};
use crate::ledger::accounts::{self, AccountRow, DEMO_ACCOUNT_ID};
use crate::ledger::{audit, balances, products, Ledger};
use crate::money::Money;
use crate::providers::http::HttpPolicy;
use crate::providers::{
    self, AccountConfig, Environment, Provider, ProviderContext, ProviderKind, WalletBalance,
};
use crate::secrets::{account_key, Secret, SecretStore};
use crate::views::{
    AccountView, AppInfo, ConnectionTest, Dashboard, DashboardAccount, EnvironmentInfo, MoneyView,
    NewAccount, ProductView, ProviderKindInfo, WalletView,
};

pub struct OpenOptions {
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
    pub secrets: Arc<dyn SecretStore>,
    pub clock: Arc<dyn Clock>,
    /// Read `RESELLER_<PROVIDER>_<FIELD>` variables as this run's credentials (CLI only).
    pub env_secrets: bool,
    /// Tests only: run on a store that `check_persistent` refuses.
    pub allow_memory_secrets: bool,
    pub http: HttpPolicy,
}

impl OpenOptions {
    pub fn new(data_dir: PathBuf, log_dir: PathBuf, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            data_dir,
            log_dir,
            secrets,
            clock: Arc::new(SystemClock),
            env_secrets: false,
            allow_memory_secrets: false,
            http: HttpPolicy::default(),
        }
    }
}

pub struct Console {
    ledger: Ledger,
    secrets: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    log_dir: PathBuf,
    env_secrets: HashMap<(ProviderKind, String), Secret>,
    ctx: ProviderContext,
    /// The demo provider's books, opened once: it is in-process, so every call shares them.
    demo: tokio::sync::OnceCell<providers::demo::DemoProvider>,
    /// One catalogue fetch at a time: the categories and products a page asks for together
    /// are fetched once, and a refresh never races a first fetch to write.
    catalogue_fetch: tokio::sync::Mutex<()>,
}

/// How long the dashboard waits for one provider's balances before showing the last known.
const DASHBOARD_TIMEOUT: Duration = Duration::from_secs(8);

impl Console {
    /// Opens the data directory: refuses a memory-only keychain, opens (and migrates) the
    /// ledger, and makes sure the demo account exists.
    pub async fn open(opts: OpenOptions) -> Result<Self> {
        if !opts.allow_memory_secrets {
            let store = opts.secrets.clone();
            tokio::task::spawn_blocking(move || store.check_persistent())
                .await
                .map_err(|_| Error::internal("checking the keychain"))??;
        }
        let ledger = Ledger::open(&opts.data_dir.join(crate::ledger::FILE_NAME)).await?;
        let now = stamp(opts.clock.now());
        accounts::ensure_demo(ledger.writer(), &now).await?;
        let env_secrets = if opts.env_secrets {
            secrets_from_env()
        } else {
            HashMap::new()
        };
        let ctx = ProviderContext {
            data_dir: opts.data_dir.clone(),
            clock: opts.clock.clone(),
            http: opts.http.clone(),
        };
        tracing::info!(data_dir = %opts.data_dir.display(), "ledger opened");
        Ok(Self {
            ledger,
            secrets: opts.secrets,
            clock: opts.clock,
            data_dir: opts.data_dir,
            log_dir: opts.log_dir,
            env_secrets,
            ctx,
            demo: tokio::sync::OnceCell::new(),
            catalogue_fetch: tokio::sync::Mutex::new(()),
        })
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
    fn now(&self) -> String {
        stamp(self.clock.now())
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            log_dir: self.log_dir.display().to_string(),
            ledger_file: self.ledger.path().display().to_string(),
        }
    }

    pub fn provider_kinds(&self) -> Vec<ProviderKindInfo> {
        ProviderKind::ADDABLE
            .iter()
            .map(|k| kind_info(*k))
            .collect()
    }

    /// Every account with the wallets and balances its provider last reported.
    pub async fn accounts(&self) -> Result<Vec<AccountView>> {
        let rows = accounts::list(self.ledger.reader()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut view = account_view(row);
            view.last_known_wallets = self.last_known(&row.id).await?;
            out.push(view);
        }
        Ok(out)
    }

    async fn account(&self, id: &str) -> Result<AccountRow> {
        accounts::get(self.ledger.reader(), id)
            .await?
            .ok_or_else(|| {
                Error::not_found(
                    format!("Provider account \"{id}\""),
                    "Reload the account list.",
                )
            })
    }

    /// Validates everything first, then stores secrets in the keychain, then the account
    /// row; if the row cannot be written the secrets are removed again.
    pub async fn add_account(&self, input: NewAccount) -> Result<AccountView> {
        let kind = input.provider;
        if kind == ProviderKind::Demo {
            return Err(Error::invalid(
                "provider",
                "the demo account is built in; choose Vendify, RukkyStore, eStoreSMS or RukaPay",
            ));
        }
        let label = input.label.trim().to_owned();
        if label.is_empty() {
            return Err(Error::invalid(
                "label",
                "give the account a name, e.g. \"Vendify NGN\"",
            ));
        }
        if label.chars().count() > 80 {
            return Err(Error::invalid("label", "use at most 80 characters"));
        }
        if accounts::label_in_use(self.ledger.reader(), &label).await? {
            return Err(Error::invalid(
                "label",
                format!("an account named \"{label}\" already exists; choose another name"),
            ));
        }
        let base_url = match input.environment {
            Environment::Custom => {
                let raw = input.base_url.as_deref().map(str::trim).unwrap_or("");
                if raw.is_empty() {
                    return Err(Error::invalid(
                        "base_url",
                        "a custom environment needs a base URL, e.g. https://staging.example.com",
                    ));
                }
                let url = url::Url::parse(raw).map_err(|e| {
                    Error::invalid("base_url", format!("\"{raw}\" is not a URL ({e})"))
                })?;
                // https anywhere, plain http only to this computer (a mock or local proxy).
                if let Some(why) = providers::address::refusal(&url) {
                    return Err(Error::invalid("base_url", why));
                }
                if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
                    return Err(Error::invalid("base_url", "leave credentials and query parameters out of the URL; enter them in their own fields"));
                }
                raw.trim_end_matches('/').to_owned()
            }
            env => kind
                .base_url(env)
                .ok_or_else(|| {
                    Error::invalid(
                        "environment",
                        format!(
                            "{kind} has no {} environment; choose production or custom",
                            env.as_str()
                        ),
                    )
                })?
                .to_owned(),
        };
        let fields = kind.fields();
        for key in input.settings.keys().chain(input.secrets.keys()) {
            if !fields.iter().any(|f| f.key == key) {
                return Err(Error::invalid(
                    key,
                    format!("{kind} accounts have no field \"{key}\""),
                ));
            }
        }
        let mut settings = serde_json::Map::new();
        let mut secrets: Vec<(&'static str, Secret)> = Vec::new();
        for f in &fields {
            if f.secret {
                if input.settings.contains_key(f.key) {
                    return Err(Error::invalid(
                        f.key,
                        "this is a secret: send it with the secrets",
                    ));
                }
                let value = input
                    .secrets
                    .get(f.key)
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty());
                match value {
                    Some(v) => secrets.push((f.key, Secret::new(v))),
                    None if f.required
                        && !self.env_secrets.contains_key(&(kind, f.key.to_owned())) =>
                    {
                        return Err(Error::invalid(f.key, format!("{} is required", f.label)));
                    }
                    None => {}
                }
            } else {
                if input.secrets.contains_key(f.key) {
                    return Err(Error::invalid(
                        f.key,
                        "this is not a secret: send it with the settings",
                    ));
                }
                let value = input
                    .settings
                    .get(f.key)
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty());
                match value {
                    Some(v) => {
                        if !f.choices.is_empty() && !f.choices.contains(&v) {
                            return Err(Error::invalid(
                                f.key,
                                format!("choose one of {}", f.choices.join(", ")),
                            ));
                        }
                        settings.insert(f.key.to_owned(), serde_json::Value::String(v.to_owned()));
                    }
                    None if f.required => {
                        return Err(Error::invalid(f.key, format!("{} is required", f.label)))
                    }
                    None => {}
                }
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let row = AccountRow {
            id: id.clone(),
            provider: kind,
            label,
            environment: input.environment,
            base_url,
            settings,
            secret_fields: secrets.iter().map(|(k, _)| (*k).to_owned()).collect(),
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        let keys: Vec<String> = secrets.iter().map(|(k, _)| account_key(&id, k)).collect();
        let store = self.secrets.clone();
        let pairs: Vec<(String, Secret)> = keys
            .iter()
            .cloned()
            .zip(secrets.into_iter().map(|(_, s)| s))
            .collect();
        tokio::task::spawn_blocking(move || -> Result<()> {
            for (k, s) in &pairs {
                store.set(k, s)?;
            }
            Ok(())
        })
        .await
        .map_err(|_| Error::internal("storing secrets"))??;
        let written = async {
            let mut tx = self.ledger.begin_write().await?;
            accounts::insert(&mut *tx, &row).await?;
            audit::record(
                &mut *tx,
                &now,
                "user",
                "account.add",
                Some(&id),
                &serde_json::json!({ "provider": kind.as_str(), "label": row.label, "environment": row.environment.as_str(), "secret_fields": row.secret_fields }),
            )
            .await?;
            tx.commit().await.map_err(crate::ledger::LedgerError::from)?;
            Ok::<(), crate::ledger::LedgerError>(())
        }
        .await;
        if let Err(e) = written {
            let store = self.secrets.clone();
            let _ = tokio::task::spawn_blocking(move || {
                for k in &keys {
                    let _ = store.delete(k);
                }
            })
            .await;
            return Err(e.into());
        }
        tracing::info!(account = %id, provider = kind.as_str(), "account added");
        Ok(account_view(&row))
    }

    /// Archives the account (its orders keep their history) and deletes its secrets.
    pub async fn remove_account(&self, id: &str) -> Result<()> {
        if id == DEMO_ACCOUNT_ID {
            return Err(Error::invalid(
                "account",
                "the demo account is built in and cannot be removed",
            ));
        }
        let row = self.account(id).await?;
        let now = self.now();
        let mut tx = self.ledger.begin_write().await?;
        accounts::archive(&mut *tx, id, &now).await?;
        products::forget(&mut tx, id).await?;
        audit::record(
            &mut *tx,
            &now,
            "user",
            "account.remove",
            Some(id),
            &serde_json::json!({ "label": row.label }),
        )
        .await?;
        tx.commit()
            .await
            .map_err(crate::ledger::LedgerError::from)?;
        let store = self.secrets.clone();
        let keys: Vec<String> = row
            .secret_fields
            .iter()
            .map(|f| account_key(id, f))
            .collect();
        tokio::task::spawn_blocking(move || -> Result<()> {
            for k in &keys {
                store.delete(k)?;
            }
            Ok(())
        })
        .await
        .map_err(|_| Error::internal("deleting secrets"))??;
        Ok(())
    }

    /// The account's configuration with its secrets: this run's environment first, then
    /// the keychain.
    async fn config(&self, row: &AccountRow) -> Result<AccountConfig> {
        let mut secrets = BTreeMap::new();
        let mut wanted = Vec::new();
        for f in row.provider.fields().into_iter().filter(|f| f.secret) {
            if let Some(s) = self.env_secrets.get(&(row.provider, f.key.to_owned())) {
                secrets.insert(f.key.to_owned(), s.clone());
            } else if row.secret_fields.iter().any(|k| k == f.key) {
                wanted.push(f.key.to_owned());
            }
        }
        if !wanted.is_empty() {
            let store = self.secrets.clone();
            let id = row.id.clone();
            let found = tokio::task::spawn_blocking(move || -> Result<Vec<(String, Secret)>> {
                let mut out = Vec::new();
                for k in wanted {
                    if let Some(s) = store.get(&account_key(&id, &k))? {
                        out.push((k, s));
                    }
                }
                Ok(out)
            })
            .await
            .map_err(|_| Error::internal("reading secrets"))??;
            secrets.extend(found);
        }
        Ok(AccountConfig {
            account_id: row.id.clone(),
            kind: row.provider,
            environment: row.environment,
            base_url: row.base_url.clone(),
            settings: row.settings.clone(),
            secrets,
        })
    }

    pub async fn provider(&self, account_id: &str) -> Result<Box<dyn Provider>> {
        let row = self.account(account_id).await?;
        if row.provider == ProviderKind::Demo {
            let demo = self
                .demo
                .get_or_try_init(|| providers::demo::DemoProvider::open(&self.ctx))
                .await?;
            return Ok(Box::new(demo.clone()));
        }
        let config = self.config(&row).await?;
        Ok(providers::connect(config, &self.ctx).await?)
    }

    async fn record_balances(
        &self,
        account_id: &str,
        wallets: &[WalletBalance],
        source: &str,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.ledger.begin_write().await?;
        for w in wallets {
            balances::record(&mut *tx, account_id, &w.wallet_id, &w.balance, source, &now).await?;
        }
        tx.commit()
            .await
            .map_err(crate::ledger::LedgerError::from)?;
        Ok(())
    }

    async fn fresh_balances(&self, account_id: &str, test: bool) -> Result<Vec<WalletView>> {
        let provider = self.provider(account_id).await?;
        let wallets = if test {
            provider.test_connection().await?
        } else if provider.capabilities().balance {
            provider.balances().await?
        } else {
            return self.last_known(account_id).await;
        };
        self.record_balances(account_id, &wallets, "balance")
            .await?;
        let now = self.now();
        Ok(wallets
            .iter()
            .map(|w| wallet_view(&w.wallet_id, &w.balance, &now, false))
            .collect())
    }

    pub async fn test_account(&self, id: &str) -> Result<ConnectionTest> {
        let row = self.account(id).await?;
        match self.fresh_balances(id, true).await {
            Ok(wallets) => Ok(ConnectionTest {
                ok: true,
                message: format!(
                    "Connected to {}: {} wallet(s) found.",
                    row.provider,
                    wallets.len()
                ),
                wallets,
                error: None,
            }),
            Err(e @ (Error::Provider(_) | Error::Secrets(_))) => Ok(ConnectionTest {
                ok: false,
                message: e.to_string(),
                wallets: vec![],
                error: Some(e.view()),
            }),
            Err(e) => Err(e),
        }
    }

    /// Every account with its wallets: fresh where the provider answers in time, else the
    /// last balances it told us, marked stale with the reason.
    pub async fn dashboard(&self) -> Result<Dashboard> {
        let rows = accounts::list(self.ledger.reader()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let fresh =
                tokio::time::timeout(DASHBOARD_TIMEOUT, self.fresh_balances(&row.id, false)).await;
            let (wallets, error) = match fresh {
                Ok(Ok(w)) => (w, None),
                Ok(Err(e)) => (self.last_known(&row.id).await?, Some(e.view())),
                Err(_) => (
                    self.last_known(&row.id).await?,
                    Some(
                        Error::Provider(providers::ProviderError::Timeout {
                            provider: row.provider,
                            seconds: DASHBOARD_TIMEOUT.as_secs(),
                        })
                        .view(),
                    ),
                ),
            };
            // A provider with no balance call (RukaPay) still shows the wallet its orders pay
            // from; if it cannot be built, `error` already says why.
            let expected = match self.provider(&row.id).await {
                Ok(p) => p.expected_wallets(),
                Err(_) => Vec::new(),
            };
            let unreported_wallets = expected
                .into_iter()
                .filter(|w| !wallets.iter().any(|v| v.wallet_id == *w))
                .collect();
            out.push(DashboardAccount {
                account: account_view(row),
                stale: error.is_some(),
                wallets,
                unreported_wallets,
                error,
            });
        }
        Ok(Dashboard {
            accounts: out,
            generated_at: self.now(),
        })
    }

    async fn last_known(&self, account_id: &str) -> Result<Vec<WalletView>> {
        Ok(balances::latest(self.ledger.reader(), account_id)
            .await?
            .iter()
            .map(|b| wallet_view(&b.wallet_id, &b.balance, &b.observed_at, true))
            .collect())
    }
}

/// Below this a wallet shows a low-balance warning.
pub fn low_balance_threshold(currency: &str) -> Decimal {
    match currency {
        "NGN" => Decimal::from(20_000),
        "UGX" => Decimal::from(50_000),
        _ => Decimal::from(20),
    }
}

fn wallet_view(
    wallet_id: &str,
    balance: &Money,
    observed_at: &str,
    last_reported: bool,
) -> WalletView {
    WalletView {
        wallet_id: wallet_id.to_owned(),
        balance: MoneyView::from(balance),
        observed_at: observed_at.to_owned(),
        last_reported,
        low: balance.amount < low_balance_threshold(balance.currency.code()),
    }
}

fn kind_info(kind: ProviderKind) -> ProviderKindInfo {
    ProviderKindInfo {
        kind,
        name: kind.display_name().to_owned(),
        environments: kind
            .environments()
            .into_iter()
            .map(|e| EnvironmentInfo {
                environment: e,
                base_url: kind.base_url(e).map(str::to_owned),
            })
            .collect(),
        fields: kind.fields(),
        capabilities: kind.capabilities(),
    }
}

fn account_view(row: &AccountRow) -> AccountView {
    AccountView {
        id: row.id.clone(),
        provider: row.provider,
        provider_name: row.provider.display_name().to_owned(),
        label: row.label.clone(),
        environment: row.environment,
        base_url: row.base_url.clone(),
        settings: row
            .settings
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
            .collect(),
        stored_secrets: row.secret_fields.clone(),
        capabilities: row.provider.capabilities(),
        created_at: row.created_at.clone(),
        last_known_wallets: Vec::new(),
    }
}

/// `RESELLER_VENDIFY_API_KEY`, `RESELLER_RUKKY_PIN`, ...: credentials for this run only.
pub fn env_var_name(kind: ProviderKind, field: &str) -> String {
    format!(
        "RESELLER_{}_{}",
        kind.as_str().to_ascii_uppercase(),
        field.to_ascii_uppercase()
    )
}

fn secrets_from_env() -> HashMap<(ProviderKind, String), Secret> {
    let mut out = HashMap::new();
    for kind in ProviderKind::ADDABLE {
        for f in kind.fields().into_iter().filter(|f| f.secret) {
            if let Some(v) = std::env::var(env_var_name(kind, f.key))
                .ok()
                .filter(|v| !v.is_empty())
            {
                out.insert((kind, f.key.to_owned()), Secret::new(v));
            }
        }
    }
    out
}

mod catalogue;
#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------
// Orders (issue 4): the purchase pipeline's entry points for the shell and the CLI. The
// work is in `crate::orders`; these are thin so the commands stay a line each.
// ---------------------------------------------------------------------------------------
impl Console {
    /// The clock every order, sweep and balance stamp is read from.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// Validates, commits and sends one purchase: see [`crate::orders::place`].
    pub async fn buy(&self, req: crate::orders::PlaceRequest) -> Result<crate::orders::OrderView> {
        crate::orders::place(self, req).await
    }

    /// Asks the provider about every order that is due now, once each.
    pub async fn reconcile(&self) -> Result<crate::orders::SweepReport> {
        crate::orders::Sweeper::new(self)
            .run_until_idle(self.clock.now())
            .await
    }

    /// One product priced for `face` (decimal text in the product's currency).
    pub async fn product(
        &self,
        account_id: &str,
        product_id: &str,
        face: Option<&str>,
    ) -> Result<ProductView> {
        let provider = self.provider(account_id).await?;
        let face = match face.map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(text) => {
                let amount = crate::money::parse_amount(text)
                    .map_err(|e| Error::invalid("amount", e.to_string()))?;
                let listed = provider.quote(product_id, None).await?;
                let currency = listed
                    .denominations
                    .first()
                    .map(|d| d.currency.clone())
                    .ok_or_else(|| Error::invalid("product", "this product lists no values"))?;
                Some(Money::new(amount, currency))
            }
        };
        let product = provider.quote(product_id, face.as_ref()).await?;
        Ok(ProductView::from(&product))
    }

    /// Asks the provider whether a smartcard or meter number is real, before a purchase.
    pub async fn validate_account(
        &self,
        account_id: &str,
        product_id: &str,
        account_number: &str,
    ) -> Result<crate::views::ValidationView> {
        let number = account_number.trim();
        if number.is_empty() {
            return Err(Error::invalid(
                "account_number",
                "enter the smartcard or meter number",
            ));
        }
        let provider = self.provider(account_id).await?;
        let v = provider
            .validate_account(&providers::ValidateRequest {
                product_id: product_id.to_owned(),
                account_number: number.to_owned(),
                service_type: None,
            })
            .await?;
        Ok(crate::views::ValidationView {
            valid: v.valid,
            account_name: v.account_name,
            options: v
                .options
                .iter()
                .map(|o| crate::views::ProductOptionView {
                    code: o.code.clone(),
                    name: o.name.clone(),
                    price: MoneyView::from(&o.price),
                    months: o.months,
                })
                .collect(),
            message: v.message,
        })
    }

    /// What a purchase would cost and leave, before the user confirms.
    pub async fn preview_order(
        &self,
        req: &crate::orders::PlaceRequest,
    ) -> Result<crate::orders::PlacePreview> {
        crate::orders::preview(self, req).await
    }

    pub async fn orders(
        &self,
        filter: &crate::orders::OrderFilter,
        page: &crate::orders::PageRequest,
    ) -> Result<crate::orders::OrderPage> {
        crate::orders::list(self.ledger.reader(), filter, page).await
    }

    pub async fn order(&self, id_or_reference: &str) -> Result<crate::orders::OrderDetailView> {
        crate::orders::show(self.ledger.reader(), id_or_reference).await
    }

    /// Orders a person should look at: needing attention, or reversed lately.
    pub async fn attention(&self) -> Result<Vec<crate::orders::OrderView>> {
        crate::orders::attention(self.ledger.reader(), self.clock.now()).await
    }

    /// Closes a `needs_attention` order as a person found it in the provider's portal;
    /// `actor` is who did it (recorded on the order and in the audit log).
    pub async fn resolve_order(
        &self,
        id_or_reference: &str,
        resolution: &crate::orders::Resolution,
        actor: &str,
    ) -> Result<crate::orders::OrderView> {
        crate::orders::resolve(
            &self.ledger,
            id_or_reference,
            resolution,
            actor,
            self.clock.now(),
        )
        .await
    }
}
