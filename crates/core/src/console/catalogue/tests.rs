//! The saved catalogue over the demo provider: saved on first use, answered without the
//! provider afterwards, replaced whole by a refresh, kept when a refresh fails, filtered
//! exactly as the provider filters; eStoreSMS and named wallets stay live.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::TimeZone;

use super::*;
use crate::clock::ManualClock;
use crate::console::OpenOptions;
use crate::error::ErrorCode;
use crate::ledger::accounts::DEMO_ACCOUNT_ID;
use crate::providers::demo::DemoProvider;
use crate::providers::http::HttpPolicy;
use crate::providers::{Capabilities, Category, Environment, Product, ProviderContext, SendStage};
use crate::secrets::MemoryStore;
use crate::views::NewAccount;

struct Fixture {
    console: Console,
    clock: ManualClock,
    ctx: ProviderContext,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tmp");
    let clock = ManualClock::at(
        chrono::Utc
            .with_ymd_and_hms(2026, 12, 3, 9, 0, 0)
            .single()
            .expect("date"),
    );
    let mut opts = OpenOptions::new(
        dir.path().to_owned(),
        dir.path().join("logs"),
        Arc::new(MemoryStore::default()),
    );
    opts.allow_memory_secrets = true;
    opts.clock = Arc::new(clock.clone());
    let ctx = ProviderContext {
        data_dir: dir.path().to_owned(),
        clock: Arc::new(clock.clone()),
        http: HttpPolicy::default(),
    };
    Fixture {
        console: Console::open(opts).await.expect("opens"),
        clock,
        ctx,
        _dir: dir,
    }
}

/// The demo provider, counting the calls that reach it, with switches to stop listing
/// some products, to be unreachable, and to answer slowly.
struct Counting {
    inner: DemoProvider,
    kind: ProviderKind,
    catalogue_calls: AtomicUsize,
    categories_calls: AtomicUsize,
    hidden: Mutex<Vec<String>>,
    unreachable: AtomicBool,
    slow: AtomicBool,
}

impl Counting {
    async fn open(f: &Fixture) -> Self {
        Self::as_kind(f, ProviderKind::Demo).await
    }
    async fn as_kind(f: &Fixture, kind: ProviderKind) -> Self {
        Counting {
            inner: DemoProvider::open(&f.ctx).await.expect("demo opens"),
            kind,
            catalogue_calls: AtomicUsize::new(0),
            categories_calls: AtomicUsize::new(0),
            hidden: Mutex::new(Vec::new()),
            unreachable: AtomicBool::new(false),
            slow: AtomicBool::new(false),
        }
    }
    fn calls(&self) -> usize {
        self.catalogue_calls.load(Ordering::SeqCst)
    }
    fn hide(&self, id: &str) {
        self.hidden.lock().expect("lock").push(id.to_owned());
    }
}

#[async_trait]
impl Provider for Counting {
    fn kind(&self) -> ProviderKind {
        self.kind
    }
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    async fn categories(&self) -> Result<Vec<Category>, ProviderError> {
        self.categories_calls.fetch_add(1, Ordering::SeqCst);
        self.inner.categories().await
    }
    async fn catalogue(&self, q: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        self.catalogue_calls.fetch_add(1, Ordering::SeqCst);
        if self.slow.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if self.unreachable.load(Ordering::SeqCst) {
            return Err(ProviderError::Unreachable {
                provider: self.kind,
                reason: "connection refused".to_owned(),
                stage: SendStage::NotSent,
            });
        }
        let hidden = self.hidden.lock().expect("lock").clone();
        Ok(self
            .inner
            .catalogue(q)
            .await?
            .into_iter()
            .filter(|p| !hidden.contains(&p.id))
            .collect())
    }
}

fn names(view: &CatalogueView) -> Vec<&str> {
    view.products.iter().map(|p| p.name.as_str()).collect()
}

async fn saved_rows(f: &Fixture, account_id: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM products WHERE account_id = ?")
        .bind(account_id)
        .fetch_one(f.console.ledger().reader())
        .await
        .expect("count")
}

async fn is_saved(f: &Fixture, account_id: &str) -> bool {
    products::saved(f.console.ledger().reader(), account_id)
        .await
        .expect("saved")
        .is_some()
}

fn all() -> CatalogueQuery {
    CatalogueQuery::default()
}

#[tokio::test]
async fn the_first_catalogue_call_saves_the_whole_catalogue() {
    let f = fixture().await;
    assert!(!is_saved(&f, DEMO_ACCOUNT_ID).await);
    let airtime = CatalogueQuery {
        category: Some("airtime".into()),
        ..all()
    };
    let view = f
        .console
        .catalogue(DEMO_ACCOUNT_ID, &airtime)
        .await
        .expect("catalogue");
    assert_eq!(
        names(&view),
        vec![
            "MTN Airtime",
            "Airtel NG Airtime",
            "Glo NG Airtime",
            "9mobile NG Airtime",
            "EE UK Top-up",
            "MTN Uganda Airtime"
        ]
    );
    assert!(!view.from_cache, "fetched for this answer");
    assert_eq!(
        view.fetched_at.as_deref(),
        Some("2026-12-03T09:00:00.000000Z")
    );
    // The whole catalogue was saved, not only the airtime asked for.
    let everything = crate::providers::demo::catalogue::PRODUCTS.len() as i64;
    assert_eq!(saved_rows(&f, DEMO_ACCOUNT_ID).await, everything);
    let saved = products::saved(f.console.ledger().reader(), DEMO_ACCOUNT_ID)
        .await
        .expect("saved")
        .expect("a catalogue row");
    assert_eq!(i64::from(saved.product_count), everything);
}

#[tokio::test]
async fn a_saved_catalogue_answers_without_asking_the_provider() {
    let f = fixture().await;
    let demo = Counting::open(&f).await;
    let first = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("first");
    assert_eq!(demo.calls(), 1);
    f.clock.advance(chrono::Duration::hours(3));
    // Whatever the provider lists now, the saved copy answers.
    demo.hide("5906");
    for q in [
        all(),
        CatalogueQuery {
            category: Some("esim".into()),
            ..all()
        },
        CatalogueQuery {
            search: Some("middle".into()),
            ..all()
        },
    ] {
        let again = f
            .console
            .catalogue_via(&demo, DEMO_ACCOUNT_ID, &q)
            .await
            .expect("again");
        assert!(again.from_cache);
        assert_eq!(again.fetched_at, first.fetched_at, "fetched_at unchanged");
        assert!(names(&again).contains(&"Middle East 1GB"), "{q:?}");
    }
    f.console
        .categories_via(&demo, DEMO_ACCOUNT_ID)
        .await
        .expect("categories");
    assert_eq!(demo.calls(), 1, "one fetch, then the saved copy");
    assert_eq!(demo.categories_calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn refresh_replaces_the_saved_catalogue() {
    let f = fixture().await;
    let demo = Counting::open(&f).await;
    let before = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("first");
    assert!(names(&before).contains(&"Middle East 1GB"));
    // The provider stops listing its only eSIM.
    demo.hide("5906");
    f.clock.advance(chrono::Duration::minutes(90));
    let refresh = f
        .console
        .refresh_catalogue_via(&demo, DEMO_ACCOUNT_ID)
        .await
        .expect("refresh");
    assert_eq!(refresh.fetched_at, "2026-12-03T10:30:00.000000Z");
    assert_eq!(refresh.product_count as usize, before.products.len() - 1);
    let after = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("after");
    assert!(after.from_cache);
    assert_eq!(
        after.fetched_at.as_deref(),
        Some(refresh.fetched_at.as_str())
    );
    assert!(
        !names(&after).contains(&"Middle East 1GB"),
        "{:?}",
        names(&after)
    );
    assert_eq!(after.products.len(), before.products.len() - 1);
    // Its category went with it.
    let categories = f
        .console
        .categories_via(&demo, DEMO_ACCOUNT_ID)
        .await
        .expect("categories");
    assert!(!categories.iter().any(|c| c.code == "esim"));
    assert_eq!(demo.calls(), 2, "the first fetch and the refresh");
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_saved_catalogue() {
    let f = fixture().await;
    let demo = Counting::open(&f).await;
    let before = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("first");
    demo.unreachable.store(true, Ordering::SeqCst);
    f.clock.advance(chrono::Duration::hours(1));
    let err = f
        .console
        .refresh_catalogue_via(&demo, DEMO_ACCOUNT_ID)
        .await
        .expect_err("unreachable");
    assert_eq!(err.code(), ErrorCode::ProviderUnreachable);
    assert!(err.to_string().contains("could not be reached"), "{err}");
    let after = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("the saved copy still answers");
    assert_eq!(after.fetched_at, before.fetched_at);
    assert_eq!(names(&after), names(&before));
}

#[tokio::test]
async fn a_refresh_that_fails_half_way_through_the_write_keeps_the_saved_catalogue() {
    let f = fixture().await;
    let demo = Counting::open(&f).await;
    let before = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("first");
    // The disk gives up at the last product, after the old rows were deleted and most of
    // the new ones written.
    sqlx::query(
        "CREATE TRIGGER fail_last BEFORE INSERT ON products WHEN NEW.product_id = 'UG-MTN-AIR'
         BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    )
    .execute(f.console.ledger().writer())
    .await
    .expect("trigger");
    demo.hide("5906");
    f.clock.advance(chrono::Duration::hours(1));
    let err = f
        .console
        .refresh_catalogue_via(&demo, DEMO_ACCOUNT_ID)
        .await
        .expect_err("write fails");
    assert_eq!(err.code(), ErrorCode::Storage, "{err}");
    let after = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("the old copy, whole");
    assert_eq!(after.fetched_at, before.fetched_at);
    assert_eq!(names(&after), names(&before));
}

#[tokio::test]
async fn a_failed_first_fetch_saves_nothing_and_the_next_call_tries_again() {
    let f = fixture().await;
    let demo = Counting::open(&f).await;
    demo.unreachable.store(true, Ordering::SeqCst);
    let err = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect_err("unreachable");
    assert_eq!(err.code(), ErrorCode::ProviderUnreachable);
    assert!(!is_saved(&f, DEMO_ACCOUNT_ID).await);
    demo.unreachable.store(false, Ordering::SeqCst);
    let view = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("second try");
    assert!(!view.from_cache);
    assert_eq!(demo.calls(), 2);
}

#[tokio::test]
async fn saved_filters_answer_like_the_demo_provider() {
    let f = fixture().await;
    let live = DemoProvider::open(&f.ctx).await.expect("demo");
    let q = |edit: fn(&mut CatalogueQuery)| {
        let mut q = all();
        edit(&mut q);
        q
    };
    let queries = [
        all(),
        q(|q| q.category = Some("airtime".into())),
        q(|q| q.category = Some(" AIRTIME , giftcard".into())),
        q(|q| q.category = Some("ALL".into())),
        q(|q| q.category = Some("  ".into())),
        q(|q| q.country = Some("GBR".into())),
        q(|q| q.country = Some("gbr,UGA".into())),
        q(|q| q.country = Some("SAU".into())),
        q(|q| q.country = Some("all".into())),
        q(|q| q.sub_category = Some("Africa-Nigeria-MTN".into())),
        q(|q| q.brand_family = Some("mtn".into())),
        q(|q| q.brand_family = Some("Amazon,EE".into())),
        q(|q| q.brand_code = Some("amazon-uk".into())),
        q(|q| q.search = Some("MIDDLE east".into())),
        q(|q| q.search = Some("  uga ".into())),
        q(|q| q.search = Some("rw001827".into())),
        q(|q| q.search = Some("50%".into())),
        q(|q| q.search = Some("zzzz".into())),
        q(|q| {
            q.category = Some("airtime".into());
            q.brand_family = Some("MTN".into());
            q.search = Some("uga".into());
        }),
        q(|q| {
            q.category = Some("esim".into());
            q.country = Some("ARE".into());
        }),
        q(|q| {
            q.category = Some("data-bundle".into());
            q.country = Some("GBR".into());
        }),
        // A phone does not change the demo provider's list, so it does not filter.
        q(|q| q.phone = Some("+2348031234567".into())),
    ];
    let mut saw_empty = false;
    let mut saw_some = false;
    for query in &queries {
        let want: Vec<ProductView> = live
            .catalogue(query)
            .await
            .expect("live")
            .iter()
            .map(ProductView::from)
            .collect();
        let got = f
            .console
            .catalogue(DEMO_ACCOUNT_ID, query)
            .await
            .expect("saved");
        assert_eq!(
            serde_json::to_value(&got.products).expect("json"),
            serde_json::to_value(&want).expect("json"),
            "{query:?}"
        );
        saw_empty |= want.is_empty();
        saw_some |=
            !want.is_empty() && want.len() < crate::providers::demo::catalogue::PRODUCTS.len();
    }
    assert!(
        saw_empty && saw_some,
        "the queries filter something and everything"
    );
    let categories: Vec<(String, String)> = f
        .console
        .categories(DEMO_ACCOUNT_ID)
        .await
        .expect("categories")
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let want: Vec<(String, String)> = live
        .categories()
        .await
        .expect("live")
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    assert_eq!(categories, want);
}

fn estoresms(base_url: &str) -> NewAccount {
    NewAccount {
        provider: ProviderKind::Estoresms,
        label: "eStoreSMS".into(),
        environment: Environment::Custom,
        base_url: Some(base_url.to_owned()),
        settings: BTreeMap::from([
            ("username".to_owned(), "shop".to_owned()),
            ("email".to_owned(), "shop@example.com".to_owned()),
        ]),
        secrets: BTreeMap::from([("api_token".to_owned(), "token-1".to_owned())]),
    }
}

/// A port nothing listens on.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn estoresms_with_a_phone_is_asked_live_every_time() {
    let f = fixture().await;
    let account = f
        .console
        .add_account(estoresms(&dead_url()))
        .await
        .expect("added");
    // Even a saved copy (from some other path) must not answer a per-number list.
    let stale = DemoProvider::open(&f.ctx)
        .await
        .expect("demo")
        .catalogue(&CatalogueQuery {
            category: Some("esim".into()),
            ..all()
        })
        .await
        .expect("esim");
    let mut tx = f.console.ledger().begin_write().await.expect("tx");
    products::replace(&mut tx, &account.id, &stale, "2026-01-01T00:00:00.000000Z")
        .await
        .expect("seed");
    tx.commit().await.expect("commit");

    let provider = Counting::as_kind(&f, ProviderKind::Estoresms).await;
    let q = CatalogueQuery {
        phone: Some("+2348031234567".into()),
        category: Some("airtime".into()),
        ..all()
    };
    for n in 1..=2 {
        let view = f
            .console
            .catalogue_via(&provider, &account.id, &q)
            .await
            .expect("live");
        assert_eq!(provider.calls(), n);
        assert!(!view.from_cache);
        assert_eq!(view.fetched_at, None);
        assert!(!names(&view).contains(&"Middle East 1GB"));
        assert!(names(&view).contains(&"MTN Airtime"));
    }
    // The real adapter goes to the network for it (and finds nothing listening).
    let err = f
        .console
        .catalogue(&account.id, &q)
        .await
        .expect_err("unreachable");
    assert_eq!(err.code(), ErrorCode::ProviderUnreachable, "{err}");
    // A refresh has nothing account-wide to save.
    let err = f
        .console
        .refresh_catalogue(&account.id)
        .await
        .expect_err("nothing to save");
    assert_eq!(err.code(), ErrorCode::Unsupported);
    assert!(err.to_string().contains("phone number"), "{err}");
}

#[tokio::test]
async fn estoresms_without_a_phone_says_a_number_is_needed_and_saves_nothing() {
    let f = fixture().await;
    let account = f
        .console
        .add_account(estoresms(&dead_url()))
        .await
        .expect("added");
    let err = f
        .console
        .catalogue(&account.id, &all())
        .await
        .expect_err("needs a number");
    assert_eq!(err.code(), ErrorCode::ProviderRejected, "{err}");
    assert!(err.to_string().contains("phone number"), "{err}");
    assert!(!is_saved(&f, &account.id).await);
    // Its categories are fixed and need no number.
    let categories = f.console.categories(&account.id).await.expect("categories");
    assert_eq!(categories.len(), 2);
    assert!(!is_saved(&f, &account.id).await);
}

#[tokio::test]
async fn a_named_wallet_is_priced_live() {
    let f = fixture().await;
    let demo = Counting::open(&f).await;
    f.console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("saved");
    let in_naira = CatalogueQuery {
        wallet_id: Some("NGN-DEMO".into()),
        category: Some("giftcard".into()),
        ..all()
    };
    let view = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &in_naira)
        .await
        .expect("live");
    assert_eq!(demo.calls(), 2, "asked live");
    assert_eq!(view.fetched_at, None);
    let costs: Vec<&str> = view
        .products
        .iter()
        .filter_map(|p| p.cost.as_ref().map(|c| c.currency.as_str()))
        .collect();
    assert_eq!(
        costs,
        vec!["NGN", "NGN"],
        "priced from the wallet asked for"
    );
}

#[tokio::test]
async fn categories_and_products_asked_together_fetch_once() {
    let f = fixture().await;
    let demo = Counting::open(&f).await;
    demo.slow.store(true, Ordering::SeqCst);
    let everything = all();
    let (categories, products) = tokio::join!(
        f.console.categories_via(&demo, DEMO_ACCOUNT_ID),
        f.console.catalogue_via(&demo, DEMO_ACCOUNT_ID, &everything),
    );
    assert!(!categories.expect("categories").is_empty());
    assert!(!products.expect("products").products.is_empty());
    assert_eq!(
        demo.calls(),
        1,
        "the second waited for the first one's fetch"
    );
}

#[tokio::test]
async fn an_unreadable_saved_product_is_fetched_anew() {
    let f = fixture().await;
    let demo = Counting::open(&f).await;
    let before = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("first");
    sqlx::query("UPDATE products SET data = '{\"id\": 7}' WHERE product_id = '9418'")
        .execute(f.console.ledger().writer())
        .await
        .expect("spoil");
    f.clock.advance(chrono::Duration::minutes(5));
    let after = f
        .console
        .catalogue_via(&demo, DEMO_ACCOUNT_ID, &all())
        .await
        .expect("fetched anew");
    assert_eq!(demo.calls(), 2);
    assert!(!after.from_cache);
    assert_ne!(after.fetched_at, before.fetched_at);
    assert_eq!(names(&after), names(&before));
}

#[tokio::test]
async fn removing_an_account_forgets_its_saved_catalogue() {
    let f = fixture().await;
    let mut input = estoresms(&dead_url());
    input.provider = ProviderKind::Vendify;
    input.label = "Vendify".into();
    input.settings = BTreeMap::new();
    input.secrets = BTreeMap::from([("api_key".to_owned(), "key-1".to_owned())]);
    let account = f.console.add_account(input).await.expect("added");
    let demo = Counting::open(&f).await;
    f.console
        .catalogue_via(&demo, &account.id, &all())
        .await
        .expect("saved");
    assert!(is_saved(&f, &account.id).await);
    f.console
        .remove_account(&account.id)
        .await
        .expect("removed");
    assert!(!is_saved(&f, &account.id).await);
    assert_eq!(saved_rows(&f, &account.id).await, 0);
}

#[tokio::test]
async fn a_vendify_refresh_that_cannot_connect_keeps_the_saved_catalogue() {
    let f = fixture().await;
    let mut input = estoresms(&dead_url());
    input.provider = ProviderKind::Vendify;
    input.label = "Vendify".into();
    input.settings = BTreeMap::new();
    input.secrets = BTreeMap::from([("api_key".to_owned(), "key-1".to_owned())]);
    let account = f.console.add_account(input).await.expect("added");
    let demo = Counting::open(&f).await;
    let before = f
        .console
        .catalogue_via(&demo, &account.id, &all())
        .await
        .expect("saved");
    // The account's own adapter, on a port nothing listens on.
    let err = f
        .console
        .refresh_catalogue(&account.id)
        .await
        .expect_err("unreachable");
    assert_eq!(err.code(), ErrorCode::ProviderUnreachable, "{err}");
    let after = f
        .console
        .catalogue(&account.id, &all())
        .await
        .expect("saved copy, no network");
    assert!(after.from_cache);
    assert_eq!(after.fetched_at, before.fetched_at);
    assert_eq!(names(&after), names(&before));
}
