//! resellerctl: Reseller Console without a window, over the same core and data directory as
//! the desktop app. For automation and for support.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use reseller_core::providers::{CatalogueQuery, Environment, ProviderKind};
use reseller_core::secrets::Keychain;
use reseller_core::views::NewAccount;
use reseller_core::{paths, Console, Error, ErrorCode, OpenOptions};

mod orders;
mod output;

#[derive(Parser)]
#[command(
    name = "resellerctl",
    version,
    about = "Reseller Console on the command line: the same ledger and accounts as the desktop app.",
    after_help = "Credentials for one run: RESELLER_<PROVIDER>_<FIELD> environment variables \
                  (e.g. RESELLER_VENDIFY_API_KEY) override the keychain and are never stored.\n\
                  RESELLER_HTTP_TIMEOUT_SECS=N (operators and tests): wait at most N seconds \
                  (a whole number from 1 to 120) for any one provider request in this run \
                  instead of 30. A purchase whose answer does not come in time is unknown \
                  and is settled by asking its status later, never sent again.\n\n\
                  Exit codes (the same for every command):\n  \
                  0  done (a purchase succeeded, or the provider took it and is still working)\n  \
                  2  refused before anything was sent: bad input, an unknown account or order, \
                  a missing credential, a wallet that cannot cover it, or a purchase that needs \
                  a confirmation (an identical order, a price that went up)\n  \
                  3  refused by the provider (the order failed, nothing spent) or the provider \
                  could not be reached for a call that is not a purchase\n  \
                  4  the keychain or the data file cannot be used\n  \
                  5  a purchase whose outcome is not known yet: it may have gone through; do \
                  not buy again, `resellerctl reconcile` finds out\n  \
                  70 an internal error (send the log file to support)"
)]
struct Cli {
    /// Data folder (default: the app's; or RESELLER_DATA_DIR).
    #[arg(long, global = true, env = "RESELLER_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Provider accounts: add, list, test, remove.
    #[command(subcommand)]
    Accounts(AccountsCmd),
    /// Balances of every wallet of every account.
    Dashboard,
    /// Browse an account's catalogue with the same filters as the app.
    Catalog(CatalogArgs),
    /// The providers you can add and the fields each needs.
    Providers,
    /// Buy one product: validates, shows the cost, sends once, records the answer.
    Buy(orders::BuyArgs),
    /// Validate a smartcard or meter number: prints the customer's name and the plans
    /// (code, name, price) to buy with `resellerctl buy --plan CODE`.
    Validate(orders::ValidateArgs),
    /// Order history: list and show.
    #[command(subcommand)]
    Orders(orders::OrdersCmd),
    /// Ask providers about pending and unknown orders until nothing is due now (never
    /// resends a purchase).
    Reconcile(orders::ReconcileArgs),
    /// Check the ledger file: prints SQLite's `PRAGMA integrity_check` ("ok" when sound);
    /// exit status 4 otherwise. Added for the crash tests (tests/crash/README.md).
    Doctor,
}

#[derive(Subcommand)]
enum AccountsCmd {
    /// Add a provider account. Secrets come from --secrets-stdin (lines `field=value`) or
    /// this run's RESELLER_<PROVIDER>_<FIELD> variables, never from arguments.
    Add(AddArgs),
    /// List accounts (secret values are never shown).
    List,
    /// Test an account's connection and credentials.
    Test {
        /// Account id or label.
        account: String,
    },
    /// Remove an account: its history stays, its secrets are deleted from the keychain.
    Remove {
        /// Account id or label.
        account: String,
    },
}

#[derive(Args)]
struct AddArgs {
    /// vendify, rukky, estoresms or rukapay.
    #[arg(long)]
    provider: String,
    /// A name for the account, e.g. "Vendify NGN".
    #[arg(long)]
    label: String,
    /// sandbox, production or custom.
    #[arg(long, default_value = "production")]
    environment: String,
    /// Required with --environment custom, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    base_url: Option<String>,
    /// A non-secret setting, repeatable: --setting username=shop1
    #[arg(long = "setting", value_name = "KEY=VALUE")]
    settings: Vec<String>,
    /// Read secret fields from standard input, one `field=value` per line.
    #[arg(long)]
    secrets_stdin: bool,
}

#[derive(Args)]
struct CatalogArgs {
    /// Account id or label (default: the demo account).
    #[arg(long, default_value = "demo")]
    account: String,
    #[arg(long)]
    category: Option<String>,
    /// ISO country code(s), comma separated, or ALL.
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    sub_category: Option<String>,
    #[arg(long)]
    brand_family: Option<String>,
    #[arg(long)]
    brand_code: Option<String>,
    /// Phone number, for providers whose products depend on it (eStoreSMS).
    #[arg(long)]
    phone: Option<String>,
    /// Wallet the prices are quoted in (asks the provider live: the saved catalogue is
    /// priced from the account's default wallet).
    #[arg(long)]
    wallet: Option<String>,
    /// Part of the product name, operator, brand or product code.
    #[arg(long)]
    search: Option<String>,
    /// List the categories instead of products.
    #[arg(long)]
    categories: bool,
    /// Fetch the whole catalogue from the provider anew and save it, then answer from it.
    #[arg(long)]
    refresh: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(70);
        }
    };
    let json = cli.json;
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            output::error(&e, json);
            ExitCode::from(exit_code(&e))
        }
    }
}

/// Exit code when a purchase's outcome is not known yet (see `resellerctl --help`).
pub(crate) const EXIT_UNKNOWN: u8 = 5;

/// Distinct exit codes so scripts can tell bad input from a provider refusal (the table in
/// `resellerctl --help`).
fn exit_code(e: &Error) -> u8 {
    // Our own funds check refuses before anything is written or sent.
    if matches!(e, Error::InsufficientFunds { .. }) {
        return 2;
    }
    code_exit(e.code())
}

fn code_exit(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::InvalidInput
        | ErrorCode::NotFound
        | ErrorCode::MissingCredentials
        | ErrorCode::PriceChanged
        | ErrorCode::DuplicateOrder => 2,
        ErrorCode::ProviderUnreachable
        | ErrorCode::ProviderAuth
        | ErrorCode::ProviderRejected
        | ErrorCode::RateLimited
        | ErrorCode::InsufficientBalance
        | ErrorCode::ProviderBadResponse
        | ErrorCode::Unsupported => 3,
        ErrorCode::SecretStoreUnavailable
        | ErrorCode::DatabaseNewer
        | ErrorCode::DatabaseCorrupt
        | ErrorCode::Storage => 4,
        ErrorCode::Internal => 70,
    }
}

/// The per-request timeout for one run (`resellerctl --help`); the crash test shortens it.
const HTTP_TIMEOUT_VAR: &str = "RESELLER_HTTP_TIMEOUT_SECS";
const MAX_HTTP_TIMEOUT_SECS: u64 = 120;

/// `RESELLER_HTTP_TIMEOUT_SECS`: unset (or empty) keeps the default; a whole number of
/// seconds from 1 to 120 replaces it; anything else is refused rather than ignored. The cap
/// keeps a request well inside an order's in-flight lease (`LEASE_SECS`, 300 s), so no
/// sweeper takes over an order whose answer may still come.
fn http_timeout(value: Option<std::ffi::OsString>) -> Result<Option<std::time::Duration>, Error> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u64>() {
        Ok(secs) if (1..=MAX_HTTP_TIMEOUT_SECS).contains(&secs) => Ok(Some(std::time::Duration::from_secs(secs))),
        _ => Err(Error::invalid(
            HTTP_TIMEOUT_VAR,
            format!(
                "\"{}\" is not a whole number of seconds from 1 to {MAX_HTTP_TIMEOUT_SECS} (e.g. {HTTP_TIMEOUT_VAR}=10)",
                text.chars().take(40).collect::<String>()
            ),
        )),
    }
}

async fn open(cli: &Cli) -> Result<(Console, Option<reseller_core::logging::LogGuard>), Error> {
    let overridden = cli.data_dir.is_some();
    let data_dir = paths::resolve_data_dir(cli.data_dir.as_deref())
        .ok_or_else(|| Error::invalid("--data-dir", "no home folder was found; pass --data-dir"))?;
    let log_dir = paths::log_dir(&data_dir, overridden);
    let guard = reseller_core::logging::init(&log_dir, "cli");
    let mut opts = OpenOptions::new(data_dir, log_dir, Arc::new(Keychain::from_env()));
    opts.env_secrets = true;
    // Automation on a machine without a keychain: the demo, and accounts whose secrets all
    // come from the environment, work; storing or reading a secret refuses then.
    opts.keychain_at_start = false;
    if let Some(t) = http_timeout(std::env::var_os(HTTP_TIMEOUT_VAR))? {
        opts.http.timeout = t;
    }
    Ok((Console::open(opts).await?, guard))
}

/// Runs one command; the number is the exit status (0 unless a test of a connection failed).
async fn run(cli: Cli) -> Result<u8, Error> {
    if let Command::Providers = cli.command {
        output::providers(&ProviderKind::ADDABLE, cli.json);
        return Ok(0);
    }
    let (console, _guard) = open(&cli).await?;
    let json = cli.json;
    match cli.command {
        Command::Providers => {}
        Command::Dashboard => output::dashboard(&console.dashboard().await?, json),
        Command::Accounts(AccountsCmd::List) => output::accounts(&console.accounts().await?, json),
        Command::Accounts(AccountsCmd::Test { account }) => {
            let id = resolve_account(&console, &account).await?;
            let result = console.test_account(&id).await?;
            output::connection_test(&result, json);
            if let Some(err) = &result.error {
                return Ok(code_exit(err.code));
            }
        }
        Command::Accounts(AccountsCmd::Remove { account }) => {
            let id = resolve_account(&console, &account).await?;
            console.remove_account(&id).await?;
            output::done(&format!("Removed account {account}."), json);
        }
        Command::Accounts(AccountsCmd::Add(args)) => {
            let input = new_account(args)?;
            let view = console.add_account(input).await?;
            output::accounts(std::slice::from_ref(&view), json);
        }
        Command::Catalog(args) => {
            let id = resolve_account(&console, &args.account).await?;
            if args.refresh {
                // Saved first, so the answer below (products or categories) is the new copy.
                let r = console.refresh_catalogue(&id).await?;
                if !json {
                    println!(
                        "Fetched and saved {} product(s) at {}.",
                        r.product_count, r.fetched_at
                    );
                }
            }
            if args.categories {
                output::categories(&console.categories(&id).await?, json);
            } else {
                let q = CatalogueQuery {
                    category: args.category,
                    country: args.country,
                    sub_category: args.sub_category,
                    brand_family: args.brand_family,
                    brand_code: args.brand_code,
                    phone: args.phone,
                    wallet_id: args.wallet,
                    search: args.search,
                };
                output::products(&console.catalogue(&id, &q).await?, json);
            }
        }
        Command::Buy(args) => {
            let id = resolve_account(&console, &args.account).await?;
            return orders::buy(&console, id, args, json).await;
        }
        Command::Validate(args) => {
            let id = resolve_account(&console, &args.account).await?;
            return orders::validate(&console, id, args, json).await;
        }
        Command::Orders(orders::OrdersCmd::List {
            status,
            account,
            limit,
            after,
        }) => {
            let account = match account {
                Some(a) => Some(resolve_account(&console, &a).await?),
                None => None,
            };
            orders::list(&console, status, account, limit, after, json).await?;
        }
        Command::Orders(orders::OrdersCmd::Resolve(args)) => {
            return orders::resolve(&console, args, json).await
        }
        Command::Orders(orders::OrdersCmd::Show { order }) => {
            orders::show(&console, &order, json).await?;
        }
        Command::Reconcile(args) => return orders::reconcile(&console, args, json).await,
        Command::Doctor => {
            // Crash tests: the ledger must pass SQLite's own check after every kill.
            let result = console.integrity_check().await?;
            if json {
                output::print_json(&serde_json::json!({ "integrity_check": result }));
            } else {
                println!("integrity_check: {result}");
            }
            if result != "ok" {
                return Ok(4);
            }
        }
    }
    Ok(0)
}

/// An account named by id or (case-insensitive) label.
async fn resolve_account(console: &Console, name: &str) -> Result<String, Error> {
    let accounts = console.accounts().await?;
    accounts
        .iter()
        .find(|a| a.id == name)
        .or_else(|| accounts.iter().find(|a| a.label.eq_ignore_ascii_case(name)))
        .map(|a| a.id.clone())
        .ok_or_else(|| {
            Error::not_found(
                format!("Account \"{name}\""),
                "Run `resellerctl accounts list` to see the accounts.",
            )
        })
}

fn new_account(args: AddArgs) -> Result<NewAccount, Error> {
    let provider: ProviderKind = args
        .provider
        .parse()
        .map_err(|e: String| Error::invalid("--provider", e))?;
    let environment: Environment = args
        .environment
        .parse()
        .map_err(|e: String| Error::invalid("--environment", e))?;
    let mut settings = std::collections::BTreeMap::new();
    for kv in &args.settings {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| Error::invalid("--setting", format!("\"{kv}\" is not KEY=VALUE")))?;
        settings.insert(k.trim().to_owned(), v.to_owned());
    }
    let mut secrets = std::collections::BTreeMap::new();
    if args.secrets_stdin {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!("Enter secrets as field=value, one per line; end with Ctrl-D:");
        }
        for (n, line) in stdin.lock().lines().enumerate() {
            let line = line.map_err(|e| Error::invalid("stdin", e.to_string()))?;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // Never echo the line: it holds a secret.
            let (k, v) = line.split_once('=').ok_or_else(|| {
                Error::invalid("stdin", format!("line {} is not field=value", n + 1))
            })?;
            secrets.insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    Ok(NewAccount {
        provider,
        label: args.label,
        environment,
        base_url: args.base_url,
        settings,
        secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn http_timeout_is_a_whole_number_of_seconds_or_refused() {
        let t = |v: &str| http_timeout(Some(v.into()));
        assert_eq!(http_timeout(None).ok(), Some(None));
        assert_eq!(t("").ok(), Some(None));
        assert_eq!(t(" 3 ").ok(), Some(Some(Duration::from_secs(3))));
        assert_eq!(t("120").ok(), Some(Some(Duration::from_secs(120))));
        for bad in ["abc", "2.5", "-1", "0", "121", "3s"] {
            match t(bad) {
                Err(Error::InvalidInput { field, reason }) => {
                    assert_eq!(field, HTTP_TIMEOUT_VAR);
                    assert!(reason.contains("whole number of seconds"), "{reason}");
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }
}
