//! [`Console`]: the one entry point the desktop shell and `resellerctl` share. It owns the
//! ledger, the secret store and the clock, and turns user requests into ledger writes and
//! provider calls. This file holds the type, how it is opened and its small accessors; the
//! work is split by area into the files beside it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::clock::{stamp, Clock, SystemClock};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::providers::http::HttpPolicy;
use crate::providers::{self, ProviderContext, ProviderKind};
use crate::secrets::{Secret, SecretStore};
use crate::views::AppInfo;

mod accounts;
mod catalogue;
mod dashboard;
mod orders;
#[cfg(test)]
mod tests;

pub use accounts::env_var_name;
pub use dashboard::low_balance_threshold;

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
        crate::ledger::accounts::ensure_demo(ledger.writer(), &now).await?;
        let env_secrets = if opts.env_secrets {
            accounts::secrets_from_env()
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

    /// Crate-private so the CLI and the shell go through `Console`'s own methods, never
    /// around them to the tables.
    pub(crate) fn ledger(&self) -> &Ledger {
        &self.ledger
    }
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
    fn now(&self) -> String {
        stamp(self.clock.now())
    }

    /// The clock every order, sweep and balance stamp is read from.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// SQLite's own check of the ledger file: "ok" when it is sound (`resellerctl doctor`;
    /// the crash tests run it after every kill).
    pub async fn integrity_check(&self) -> Result<String> {
        Ok(self.ledger.integrity_check().await?)
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            log_dir: self.log_dir.display().to_string(),
            ledger_file: self.ledger.path().display().to_string(),
        }
    }
}
