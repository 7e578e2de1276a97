//! Console over a memory keychain: opening, adding and removing accounts, the dashboard.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::error::ErrorCode;
use crate::ledger::accounts::DEMO_ACCOUNT_ID;
use crate::ledger::balances;
use crate::providers::Environment;
use crate::secrets::account_key;
use crate::secrets::MemoryStore;
use crate::views::NewAccount;

struct Fixture {
    console: Console,
    store: Arc<MemoryStore>,
    dir: tempfile::TempDir,
}

async fn console() -> Fixture {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Arc::new(MemoryStore::default());
    let mut opts = OpenOptions::new(
        dir.path().to_owned(),
        dir.path().join("logs"),
        store.clone(),
    );
    opts.allow_memory_secrets = true;
    Fixture {
        console: Console::open(opts).await.expect("opens"),
        store,
        dir,
    }
}

fn vendify(label: &str) -> NewAccount {
    NewAccount {
        provider: ProviderKind::Vendify,
        label: label.to_owned(),
        environment: Environment::Sandbox,
        base_url: None,
        settings: BTreeMap::from([("wallet_id".to_owned(), "NGN-143".to_owned())]),
        secrets: BTreeMap::from([("api_key".to_owned(), "CANARY-key-7f3a9".to_owned())]),
    }
}

#[tokio::test]
async fn a_memory_only_keychain_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("tmp");
    let opts = OpenOptions::new(
        dir.path().to_owned(),
        dir.path().join("logs"),
        Arc::new(MemoryStore::default()),
    );
    let err = Console::open(opts).await.err().expect("refused"); // Console is not Debug
    assert_eq!(err.code(), ErrorCode::SecretStoreUnavailable);
    assert!(err.to_string().contains("only in memory"), "{err}");
    assert!(
        !dir.path().join(crate::ledger::FILE_NAME).exists(),
        "nothing written before refusing"
    );
}

fn custom(label: &str, base_url: &str) -> NewAccount {
    NewAccount {
        environment: Environment::Custom,
        base_url: Some(base_url.to_owned()),
        ..vendify(label)
    }
}

#[tokio::test]
async fn plain_http_to_another_computer_is_refused_at_account_creation() {
    let f = console().await;
    for (i, url) in [
        "http://api.vendifydigital.com",
        "http://10.0.0.5:8080/api/v1",
    ]
    .into_iter()
    .enumerate()
    {
        let err = f
            .console
            .add_account(custom(&format!("plain {i}"), url))
            .await
            .expect_err("refused");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert_eq!(err.field(), Some("base_url"), "{err}");
        let text = err.to_string();
        let host = url
            .trim_start_matches("http://")
            .trim_end_matches("/api/v1");
        assert!(
            text.contains(&format!("http://{host}")),
            "names the address: {text}"
        );
        assert!(text.contains(&format!("use https://{host}")), "{text}");
    }
    let err = f
        .console
        .add_account(custom("ftp", "ftp://files.example.com"))
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("\"ftp:\""), "{err}");
    for (i, url) in [
        "http://127.0.0.1:8080",
        "http://localhost:3000",
        "http://[::1]:9000",
        "https://staging.example.com",
    ]
    .into_iter()
    .enumerate()
    {
        f.console
            .add_account(custom(&format!("ok {i}"), url))
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

#[cfg(unix)]
#[tokio::test]
async fn a_fresh_console_keeps_its_data_folder_and_books_private() {
    use crate::owner_only::mode_of;
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    let mut opts = OpenOptions::new(
        data.clone(),
        data.join("logs"),
        Arc::new(MemoryStore::default()),
    );
    opts.allow_memory_secrets = true;
    let console = Console::open(opts).await.expect("opens");
    console
        .dashboard()
        .await
        .expect("dashboard opens the demo books");
    assert_eq!(mode_of(&data), 0o700, "data folder");
    for name in [
        crate::ledger::FILE_NAME,
        "ledger.sqlite3-wal",
        "ledger.sqlite3-shm",
        "demo-provider.sqlite3",
        "demo-provider.sqlite3-wal",
    ] {
        let p = data.join(name);
        assert!(p.exists(), "{name} exists");
        assert_eq!(mode_of(&p), 0o600, "{name}");
    }
}

#[tokio::test]
async fn the_demo_account_is_there_on_first_run_and_shows_its_wallets() {
    let f = console().await;
    let d = f.console.dashboard().await.expect("dashboard");
    assert_eq!(d.accounts.len(), 1);
    let demo = &d.accounts[0];
    assert_eq!(demo.account.provider, ProviderKind::Demo);
    assert!(demo.error.is_none() && !demo.stale);
    let amounts: Vec<(String, String)> = demo
        .wallets
        .iter()
        .map(|w| (w.balance.currency.clone(), w.balance.amount.clone()))
        .collect();
    assert!(
        amounts.contains(&("NGN".into(), "1250000.00".into())),
        "{amounts:?}"
    );
    assert!(
        amounts.contains(&("UGX".into(), "4500000".into())),
        "{amounts:?}"
    );
    // The balances were recorded as the provider's word.
    let seen = balances::latest(f.console.ledger().reader(), DEMO_ACCOUNT_ID)
        .await
        .expect("latest");
    assert_eq!(seen.len(), 4);
}

#[tokio::test]
async fn an_account_keeps_settings_in_sqlite_and_secrets_in_the_keychain() {
    let f = console().await;
    let view = f
        .console
        .add_account(vendify("Vendify NGN"))
        .await
        .expect("added");
    assert_eq!(view.base_url, "https://sandboxapi.vendifydigital.com");
    assert_eq!(
        view.settings.get("wallet_id").map(String::as_str),
        Some("NGN-143")
    );
    assert_eq!(view.stored_secrets, vec!["api_key".to_owned()]);
    let stored = f.store.get(&account_key(&view.id, "api_key")).expect("get");
    assert_eq!(
        stored.as_ref().map(Secret::expose),
        Some("CANARY-key-7f3a9")
    );
    // Nothing in any view, nor in the database file or its WAL.
    let json = serde_json::to_string(&f.console.accounts().await.expect("list")).expect("json");
    assert!(!json.contains("CANARY"));
    f.console.ledger().close().await;
    for name in [crate::ledger::FILE_NAME, "ledger.sqlite3-wal"] {
        if let Ok(bytes) = std::fs::read(f.dir.path().join(name)) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("CANARY"),
                "secret found in {name}"
            );
        }
    }
}

#[tokio::test]
async fn bad_account_input_names_the_field_and_changes_nothing() {
    let f = console().await;
    let cases: Vec<(NewAccount, &str)> = vec![
        (
            NewAccount {
                label: "  ".into(),
                ..vendify("x")
            },
            "label",
        ),
        (
            NewAccount {
                secrets: BTreeMap::new(),
                ..vendify("a")
            },
            "api_key",
        ),
        (
            NewAccount {
                environment: Environment::Custom,
                ..vendify("b")
            },
            "base_url",
        ),
        (
            NewAccount {
                environment: Environment::Custom,
                base_url: Some("ftp://x".into()),
                ..vendify("c")
            },
            "base_url",
        ),
        (
            NewAccount {
                environment: Environment::Custom,
                base_url: Some("not a url".into()),
                ..vendify("d")
            },
            "base_url",
        ),
        (
            NewAccount {
                environment: Environment::Custom,
                base_url: Some("https://u:p@host/".into()),
                ..vendify("e")
            },
            "base_url",
        ),
        (
            NewAccount {
                settings: BTreeMap::from([("colour".into(), "red".into())]),
                ..vendify("f")
            },
            "colour",
        ),
        (
            NewAccount {
                settings: BTreeMap::from([("api_key".into(), "CANARY-key-7f3a9".into())]),
                secrets: BTreeMap::new(),
                ..vendify("g")
            },
            "api_key",
        ),
        (
            NewAccount {
                settings: BTreeMap::from([("signature_scheme".into(), "md5".into())]),
                ..vendify("h")
            },
            "signature_scheme",
        ),
        (
            NewAccount {
                provider: ProviderKind::Demo,
                ..vendify("i")
            },
            "provider",
        ),
        (
            NewAccount {
                provider: ProviderKind::Rukky,
                environment: Environment::Sandbox,
                ..vendify("j")
            },
            "environment",
        ),
    ];
    for (input, field) in cases {
        let err = f.console.add_account(input).await.expect_err("refused");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert_eq!(err.field(), Some(field), "{err}");
        assert!(!err.to_string().contains("CANARY"), "{err}");
    }
    assert_eq!(
        f.console.accounts().await.expect("list").len(),
        1,
        "only the demo account"
    );
    assert!(f.store.get("anything").expect("get").is_none());
    // The duplicate label check.
    f.console.add_account(vendify("Shop")).await.expect("first");
    let err = f
        .console
        .add_account(vendify("shop"))
        .await
        .expect_err("duplicate");
    assert_eq!(err.field(), Some("label"));
}

#[tokio::test]
async fn removing_an_account_deletes_its_secrets_but_keeps_history() {
    let f = console().await;
    let view = f.console.add_account(vendify("Old")).await.expect("added");
    f.console.remove_account(&view.id).await.expect("removed");
    assert!(f
        .store
        .get(&account_key(&view.id, "api_key"))
        .expect("get")
        .is_none());
    assert_eq!(f.console.accounts().await.expect("list").len(), 1);
    let audit: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE subject = ?")
        .bind(&view.id)
        .fetch_one(f.console.ledger().reader())
        .await
        .expect("q");
    assert_eq!(audit, 2, "add and remove are audited");
    let err = f
        .console
        .remove_account(DEMO_ACCOUNT_ID)
        .await
        .expect_err("demo stays");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn an_unreachable_provider_shows_last_known_balances_with_the_reason() {
    let f = console().await;
    // A custom URL on a port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let mut input = vendify("Offline");
    input.environment = Environment::Custom;
    input.base_url = Some(format!("http://127.0.0.1:{port}"));
    let view = f.console.add_account(input).await.expect("added");
    let test = f.console.test_account(&view.id).await.expect("answers");
    assert!(!test.ok);
    assert!(test.error.is_some());
    assert!(!test.message.contains("CANARY"));
    let d = f.console.dashboard().await.expect("dashboard");
    let acc = d
        .accounts
        .iter()
        .find(|a| a.account.id == view.id)
        .expect("listed");
    assert!(acc.stale && acc.error.is_some());
    let json = serde_json::to_string(&d).expect("json");
    assert!(!json.contains("CANARY"));
}
