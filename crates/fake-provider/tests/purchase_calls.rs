//! Issue 9: what one purchase through the core costs in provider requests, counted by the
//! fake (`GET /__fake/calls`). A purchase makes at most one pricing request and one order
//! request; none for pricing when the saved catalogue has the price and the provider has
//! no live quote; none at all when the phone number is wrong.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::Server;
use reseller_core::orders::{OrderStatus, PlaceRequest};
use reseller_core::providers::{Environment, ProviderKind};
use reseller_core::secrets::{MemoryStore, Secret, SecretError, SecretStore};
use reseller_core::views::NewAccount;
use reseller_core::{Console, ErrorCode, OpenOptions};

struct Shop {
    console: Console,
    account: String,
    keychain: Arc<CountingStore>,
    _dir: tempfile::TempDir,
}

/// A memory keychain that counts reads: a kept provider reads its secrets once.
#[derive(Default)]
struct CountingStore {
    inner: MemoryStore,
    reads: AtomicUsize,
}

impl SecretStore for CountingStore {
    fn get(&self, key: &str) -> Result<Option<Secret>, SecretError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &Secret) -> Result<(), SecretError> {
        self.inner.set(key, value)
    }
    fn delete(&self, key: &str) -> Result<(), SecretError> {
        self.inner.delete(key)
    }
    fn check_persistent(&self) -> Result<(), SecretError> {
        self.inner.check_persistent()
    }
}

async fn open_shop(kind: ProviderKind, s: &Server, pin: &str) -> Shop {
    let dir = tempfile::tempdir().expect("tempdir");
    let keychain = Arc::new(CountingStore::default());
    let mut opts = OpenOptions::new(
        dir.path().join("data"),
        dir.path().join("logs"),
        keychain.clone(),
    );
    opts.allow_memory_secrets = true;
    let console = Console::open(opts).await.expect("console opens");
    let (settings, secrets) = match kind {
        ProviderKind::Vendify => (
            BTreeMap::from([("wallet_id".to_owned(), "NGN-1001".to_owned())]),
            BTreeMap::from([("api_key".to_owned(), "fake-key".to_owned())]),
        ),
        _ => (
            BTreeMap::new(),
            BTreeMap::from([
                ("api_key".to_owned(), "fake-key".to_owned()),
                ("pin".to_owned(), pin.to_owned()),
            ]),
        ),
    };
    let account = console
        .add_account(NewAccount {
            provider: kind,
            label: format!("{kind} fake"),
            environment: Environment::Custom,
            base_url: Some(s.base.clone()),
            settings,
            secrets,
        })
        .await
        .expect("account added")
        .id;
    Shop {
        console,
        account,
        keychain,
        _dir: dir,
    }
}

/// Built from JSON so fields added to the request later (all optional) need no change here.
fn buy(account: &str, product: &str, recipient: &str, amount: &str) -> PlaceRequest {
    serde_json::from_value(serde_json::json!({
        "account_id": account,
        "product_id": product,
        "recipient": recipient,
        "amount": amount,
    }))
    .expect("a purchase request")
}

async fn calls(s: &Server) -> Vec<String> {
    reqwest::get(format!("{}/__fake/calls", s.base))
        .await
        .expect("calls")
        .json()
        .await
        .expect("calls json")
}

/// The requests `f` made, by what the fake received.
async fn counted<T>(s: &Server, f: impl std::future::Future<Output = T>) -> (T, Vec<String>) {
    let before = calls(s).await.len();
    let out = f.await;
    let after = calls(s).await;
    (out, after[before..].to_vec())
}

#[tokio::test]
async fn a_vendify_airtime_purchase_costs_one_quote_and_one_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start("vendify", &dir.path().join("state"), &[]);
    let shop = open_shop(ProviderKind::Vendify, &s, "").await;
    // The balance is known (the test reads it), as it is after an account's first call.
    let test = shop
        .console
        .test_account(&shop.account)
        .await
        .expect("test");
    assert!(test.ok, "{test:?}");
    for amount in ["500", "1200"] {
        let (order, sent) = counted(
            &s,
            shop.console
                .buy(buy(&shop.account, "9418", "+2348034567890", amount)),
        )
        .await;
        let order = order.expect("bought");
        assert_eq!(order.status, OrderStatus::Succeeded, "{order:?}");
        assert!(sent.len() <= 2, "{amount}: {sent:?}");
        assert_eq!(
            sent.iter().filter(|c| c.contains("/Product/")).count(),
            1,
            "{amount}: one quote: {sent:?}"
        );
    }
}

#[tokio::test]
async fn a_wrong_phone_number_costs_no_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start("rukky", &dir.path().join("state"), &[]);
    let shop = open_shop(ProviderKind::Rukky, &s, "1234").await;
    shop.console
        .refresh_catalogue(&shop.account)
        .await
        .expect("catalogue saved");
    for (product, number) in [("data:1", "0803 123"), ("airtime:mtn", "+44 7700 900123")] {
        let (order, sent) = counted(
            &s,
            shop.console.buy(buy(&shop.account, product, number, "300")),
        )
        .await;
        let err = order.expect_err("refused");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert_eq!(sent, Vec::<String>::new(), "{product} {number}: {err}");
    }
}

#[tokio::test]
async fn a_rukkystore_data_purchase_costs_one_plan_list_and_one_order_and_no_list_when_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start("rukky", &dir.path().join("state"), &[]);
    let shop = open_shop(ProviderKind::Rukky, &s, "1234").await;
    let test = shop
        .console
        .test_account(&shop.account)
        .await
        .expect("test");
    assert!(test.ok, "{test:?}");

    // Not saved: the plan list that holds the plan, once, then the order.
    let (order, sent) = counted(
        &s,
        shop.console
            .buy(buy(&shop.account, "data:1", "08034567890", "300")),
    )
    .await;
    assert_eq!(order.expect("bought").status, OrderStatus::Succeeded);
    assert_eq!(sent.len(), 2, "{sent:?}");

    // Saved: the order alone.
    shop.console
        .refresh_catalogue(&shop.account)
        .await
        .expect("catalogue saved");
    let (order, sent) = counted(
        &s,
        shop.console
            .buy(buy(&shop.account, "data:2", "08034567891", "600")),
    )
    .await;
    assert_eq!(order.expect("bought").status, OrderStatus::Succeeded);
    assert_eq!(sent.len(), 1, "{sent:?}");
}

#[tokio::test]
async fn a_rukkystore_test_says_the_pin_is_checked_only_at_the_first_purchase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start("rukky", &dir.path().join("state"), &[]);
    let shop = open_shop(ProviderKind::Rukky, &s, "9999").await;
    let test = shop
        .console
        .test_account(&shop.account)
        .await
        .expect("test");
    assert!(test.ok, "{test:?}");
    assert!(
        test.message
            .contains("The PIN is checked only at the first purchase"),
        "{}",
        test.message
    );

    // A PIN that is not 4 digits is known wrong without asking.
    let s2 = Server::start("rukky", &dir.path().join("state2"), &[]);
    let bad = open_shop(ProviderKind::Rukky, &s2, "12345").await;
    let test = bad.console.test_account(&bad.account).await.expect("test");
    assert!(!test.ok, "{test:?}");
    assert!(test.message.contains("PIN"), "{}", test.message);
}

#[tokio::test]
async fn the_connected_provider_is_kept_and_dropped_when_the_account_is_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start("rukky", &dir.path().join("state"), &[]);
    let shop = open_shop(ProviderKind::Rukky, &s, "1234").await;
    let reads = || shop.keychain.reads.load(Ordering::SeqCst);
    assert_eq!(reads(), 0);
    for n in 0..3 {
        let order = shop
            .console
            .buy(buy(
                &shop.account,
                "airtime:mtn",
                &format!("0803456789{n}"),
                "100",
            ))
            .await
            .expect("bought");
        assert_eq!(order.status, OrderStatus::Succeeded, "{order:?}");
    }
    // api_key and pin, read at the first purchase only.
    assert_eq!(reads(), 2, "the keychain is read once per secret");
    shop.console
        .remove_account(&shop.account)
        .await
        .expect("removed");
    let err = shop
        .console
        .buy(buy(&shop.account, "airtime:mtn", "08034567899", "100"))
        .await
        .expect_err("a removed account buys nothing");
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
}
