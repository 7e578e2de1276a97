//! [`Console`]: the one entry point the desktop shell and `resellerctl` share. It owns the
//! ledger, the secret store and the clock, and turns user requests into ledger writes and
//! provider calls. This file holds the type, how it is opened and its small accessors; the
//! work is split by area into the files beside it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::clock::{stamp, Clock, SystemClock};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::providers::http::HttpPolicy;
use crate::providers::{self, Provider, ProviderContext, ProviderKind};
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
    /// Prove the keychain works before opening anything (the app). Off, it is proved at
    /// the first secret stored or read from it (the CLI: the demo dashboard, or a run whose
    /// secrets all come from the environment, works on a machine without a keychain).
    pub keychain_at_start: bool,
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
            keychain_at_start: true,
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
    /// Proved once that the keychain keeps what it is given (see [`Console::keychain`]).
    keychain: tokio::sync::OnceCell<()>,
    allow_memory_secrets: bool,
    /// Each account's provider once connected (its HTTP client, its secrets read once from
    /// the keychain), kept for the life of the process; dropped when the account is
    /// removed or tested, so a test always reads the keychain anew.
    connected: Mutex<HashMap<String, Arc<dyn Provider>>>,
}

async fn check_keychain(store: &Arc<dyn SecretStore>) -> Result<()> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.check_persistent())
        .await
        .map_err(|_| Error::internal("checking the keychain"))??;
    Ok(())
}

impl Console {
    /// Opens the data directory: refuses a memory-only keychain, opens (and migrates) the
    /// ledger, and makes sure the demo account exists.
    pub async fn open(opts: OpenOptions) -> Result<Self> {
        let keychain = tokio::sync::OnceCell::new();
        if opts.keychain_at_start && !opts.allow_memory_secrets {
            check_keychain(&opts.secrets).await?;
            let _ = keychain.set(());
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
            keychain,
            allow_memory_secrets: opts.allow_memory_secrets,
            connected: Mutex::new(HashMap::new()),
        })
    }

    /// Before a secret is stored in or read from the keychain: refuses, with the message the
    /// app gives at start, a keychain that is missing, locked or keeps secrets in memory only.
    pub(crate) async fn keychain(&self) -> Result<()> {
        if self.allow_memory_secrets {
            return Ok(());
        }
        self.keychain
            .get_or_try_init(|| check_keychain(&self.secrets))
            .await
            .map(|_| ())
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
