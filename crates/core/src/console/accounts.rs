//! Provider accounts: adding, listing, testing and removing them, reading their secrets
//! (this run's environment first, then the keychain) and building the provider each one
//! talks to.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::Console;
use crate::error::{Error, Result};
use crate::ledger::accounts::{self, AccountRow, DEMO_ACCOUNT_ID};
use crate::ledger::{audit, products, LedgerError};
use crate::providers::{self, AccountConfig, CredentialField, Environment, Provider, ProviderKind};
use crate::secrets::{account_key, Secret};
use crate::views::{AccountView, ConnectionTest, EnvironmentInfo, NewAccount, ProviderKindInfo};

impl Console {
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

    pub(super) async fn account(&self, id: &str) -> Result<AccountRow> {
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
        let checked = self.check_new_account(&input).await?;
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let row = AccountRow {
            id: id.clone(),
            provider: kind,
            label: checked.label,
            environment: input.environment,
            base_url: checked.base_url,
            settings: checked.settings,
            secret_fields: checked
                .secrets
                .iter()
                .map(|(k, _)| (*k).to_owned())
                .collect(),
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        let keys = self.store_new_secrets(&id, checked.secrets).await?;
        if let Err(e) = self.insert_account(&row, &now).await {
            self.forget_new_secrets(keys).await;
            return Err(e.into());
        }
        tracing::info!(account = %id, provider = kind.as_str(), "account added");
        Ok(account_view(&row))
    }

    /// Every check `add_account` makes, in the order it has always made them (so the first
    /// error the user sees is unchanged); nothing is written.
    async fn check_new_account(&self, input: &NewAccount) -> Result<CheckedAccount> {
        let kind = input.provider;
        if kind == ProviderKind::Demo {
            return Err(Error::invalid(
                "provider",
                "the demo account is built in; choose Vendify, RukkyStore, eStoreSMS or RukaPay",
            ));
        }
        let label = self.check_label(&input.label).await?;
        let base_url = check_base_url(kind, input.environment, input.base_url.as_deref())?;
        let (settings, secrets) = self.check_fields(input)?;
        Ok(CheckedAccount {
            label,
            base_url,
            settings,
            secrets,
        })
    }

    /// A trimmed, non-empty name of at most 80 characters that no other account uses.
    async fn check_label(&self, label: &str) -> Result<String> {
        let label = label.trim().to_owned();
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
        Ok(label)
    }

    /// Sorts the input into the provider's settings (for the row) and secrets (for the
    /// keychain): no unknown field, each on its own side, required ones present (a required
    /// secret may come from this run's environment instead), choices respected.
    fn check_fields(&self, input: &NewAccount) -> Result<(Settings, Vec<(&'static str, Secret)>)> {
        let kind = input.provider;
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
                if let Some(s) = self.check_secret_field(kind, f, input)? {
                    secrets.push((f.key, s));
                }
            } else if let Some(v) = check_setting_field(f, input)? {
                settings.insert(f.key.to_owned(), serde_json::Value::String(v.to_owned()));
            }
        }
        Ok((settings, secrets))
    }

    fn check_secret_field(
        &self,
        kind: ProviderKind,
        f: &CredentialField,
        input: &NewAccount,
    ) -> Result<Option<Secret>> {
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
            Some(v) => Ok(Some(Secret::new(v))),
            None if f.required && !self.env_secrets.contains_key(&(kind, f.key.to_owned())) => {
                Err(Error::invalid(f.key, format!("{} is required", f.label)))
            }
            None => Ok(None),
        }
    }

    /// Puts the new account's secrets in the keychain under their account keys, and returns
    /// those keys so they can be removed again if the row is not written.
    async fn store_new_secrets(
        &self,
        id: &str,
        secrets: Vec<(&'static str, Secret)>,
    ) -> Result<Vec<String>> {
        let keys: Vec<String> = secrets.iter().map(|(k, _)| account_key(id, k)).collect();
        if !keys.is_empty() {
            self.keychain().await?;
        }
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
        Ok(keys)
    }

    /// Writes the account row and its audit entry in one transaction.
    async fn insert_account(
        &self,
        row: &AccountRow,
        now: &str,
    ) -> std::result::Result<(), LedgerError> {
        let mut tx = self.ledger.begin_write().await?;
        accounts::insert(&mut *tx, row).await?;
        audit::record(
            &mut *tx,
            now,
            "user",
            "account.add",
            Some(&row.id),
            &serde_json::json!({ "provider": row.provider.as_str(), "label": row.label, "environment": row.environment.as_str(), "secret_fields": row.secret_fields }),
        )
        .await?;
        tx.commit().await.map_err(LedgerError::from)?;
        Ok(())
    }

    /// Best effort: the row was not written, so the secrets stored for it are orphans; a
    /// failure here must not hide the error that got us here.
    async fn forget_new_secrets(&self, keys: Vec<String>) {
        let store = self.secrets.clone();
        let _ = tokio::task::spawn_blocking(move || {
            for k in &keys {
                let _ = store.delete(k);
            }
        })
        .await;
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
        if !row.secret_fields.is_empty() {
            // Its secrets must go too: refuse now rather than leave them behind.
            self.keychain().await?;
        }
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
        // The archived account must not keep talking with its old secrets.
        self.disconnect(id);
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
            self.keychain().await?;
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

    /// The account's provider, connected once and kept for the life of the process (see
    /// `Console::connected`). Crate-private: callers outside the core ask `Console` for
    /// what they want done, not for a provider to do it with.
    pub(crate) async fn provider(&self, account_id: &str) -> Result<Arc<dyn Provider>> {
        // The row is read every time (a local read, no request): a removed account is
        // refused even if another process removed it.
        let row = self.account(account_id).await?;
        if let Some(p) = self.connected_map().get(&row.id) {
            return Ok(p.clone());
        }
        let provider: Arc<dyn Provider> = if row.provider == ProviderKind::Demo {
            let demo = self
                .demo
                .get_or_try_init(|| providers::demo::DemoProvider::open(&self.ctx))
                .await?;
            Arc::new(demo.clone())
        } else {
            let config = self.config(&row).await?;
            Arc::from(providers::connect(config, &self.ctx).await?)
        };
        // Two first calls racing both connect; the first one kept is the one everyone uses.
        Ok(self
            .connected_map()
            .entry(row.id)
            .or_insert(provider)
            .clone())
    }

    /// Forgets the account's connected provider: the next call connects anew and reads
    /// its secrets again.
    pub(crate) fn disconnect(&self, account_id: &str) {
        self.connected_map().remove(account_id);
    }

    fn connected_map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<dyn Provider>>> {
        // A panic while the map was held leaves it whole (inserts and removes are single
        // calls), so a poisoned lock is still safe to use.
        self.connected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub async fn test_account(&self, id: &str) -> Result<ConnectionTest> {
        let row = self.account(id).await?;
        // A test reads the keychain anew: the point is to check what is stored now.
        self.disconnect(id);
        match self.fresh_balances(id, true).await {
            Ok(wallets) => Ok(ConnectionTest {
                ok: true,
                message: {
                    let mut m = format!(
                        "Connected to {}: {} wallet(s) found.",
                        row.provider,
                        wallets.len()
                    );
                    // Not a plain OK when a purchase needs something the test could not prove.
                    if let Some(untested) = self.provider(id).await?.untested() {
                        m.push(' ');
                        m.push_str(&untested);
                    }
                    m
                },
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
}

/// What `add_account` has checked and is about to store.
struct CheckedAccount {
    label: String,
    base_url: String,
    settings: Settings,
    secrets: Vec<(&'static str, Secret)>,
}

type Settings = serde_json::Map<String, serde_json::Value>;

/// The provider's documented URL for the environment, or for `custom` the user's own,
/// which must be a plain https (or local http) address.
fn check_base_url(
    kind: ProviderKind,
    environment: Environment,
    base_url: Option<&str>,
) -> Result<String> {
    Ok(match environment {
        Environment::Custom => {
            let raw = base_url.map(str::trim).unwrap_or("");
            if raw.is_empty() {
                return Err(Error::invalid(
                    "base_url",
                    "a custom environment needs a base URL, e.g. https://staging.example.com",
                ));
            }
            let url = url::Url::parse(raw)
                .map_err(|e| Error::invalid("base_url", format!("\"{raw}\" is not a URL ({e})")))?;
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
    })
}

/// A setting's trimmed value, if given: a secret sent as a setting, a missing required
/// setting and a value outside the field's choices are refused.
fn check_setting_field<'a>(f: &CredentialField, input: &'a NewAccount) -> Result<Option<&'a str>> {
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
            Ok(Some(v))
        }
        None if f.required => Err(Error::invalid(f.key, format!("{} is required", f.label))),
        None => Ok(None),
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

pub(super) fn account_view(row: &AccountRow) -> AccountView {
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

pub(super) fn secrets_from_env() -> HashMap<(ProviderKind, String), Secret> {
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
