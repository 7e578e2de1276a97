//! Order pipeline tests over the demo provider, a `ManualClock` and a `MemoryStore`: the
//! fixture, a recording wrapper around the demo provider, and the invariant checks shared
//! by the example tests and the model-based property test.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::TimeZone;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};

use super::*;
use crate::clock::ManualClock;
use crate::console::OpenOptions;
use crate::ledger::accounts::DEMO_ACCOUNT_ID;
use crate::providers::demo::{DemoProvider, STATE_FILE};
use crate::providers::http::HttpPolicy;
use crate::providers::{
    Capabilities, CatalogueQuery, Product, Provider, ProviderContext, ProviderError, ProviderKind,
    PurchaseOutcome, PurchaseRequest, StatusLookup, WalletBalance,
};
use crate::secrets::MemoryStore;
use crate::Console;

mod charges;
mod examples;
mod extra_fields;
mod model;
mod money_path;

pub(super) fn start() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("date")
}

pub(super) async fn open_console(dir: &Path, clock: &ManualClock) -> Console {
    let mut opts = OpenOptions::new(
        dir.to_owned(),
        dir.join("logs"),
        Arc::new(MemoryStore::default()),
    );
    opts.allow_memory_secrets = true;
    opts.clock = Arc::new(clock.clone());
    Console::open(opts).await.expect("console opens")
}

/// The demo provider as the wholesaler would be, plus a log of every purchase request that
/// reached it and switches to lose answers.
pub(super) struct Recorder {
    inner: DemoProvider,
    pub sent: Mutex<Vec<String>>,
    /// Every purchase request that reached it, whole (the extra fields included).
    pub requests: Mutex<Vec<PurchaseRequest>>,
    /// Forward the next purchase, then answer a timeout (the answer was lost).
    pub lose_answer: AtomicBool,
    /// Answer the next purchase with a timeout without forwarding it (lost on the way).
    pub drop_request: AtomicBool,
    /// Behave like RukkyStore: no status by our reference.
    pub no_status_by_reference: AtomicBool,
    pub gate: Option<Arc<tokio::sync::Semaphore>>,
    /// Answers say the wallet was charged this much (decimal text) instead of the demo's
    /// own figure: a provider's discount below list price, or a fee on top.
    pub charged: Mutex<Option<&'static str>>,
    /// Quotes and catalogue entries carry no price (RukaPay, RukkyStore airtime).
    pub no_price: AtomicBool,
    /// Like RukkyStore and eStoreSMS: products name no wallet and the account has one.
    pub one_wallet: AtomicBool,
    /// Answers to the next status queries, in order, before the demo's own books are asked.
    pub script: Mutex<std::collections::VecDeque<Scripted>>,
}

/// A status answer a test puts in the provider's mouth.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scripted {
    /// "No such transaction", whatever the books say (a provider that books late).
    NotFound,
    /// No answer in time.
    Timeout,
    /// The books' answer with this status instead (a provider that reverses later).
    Says(crate::providers::OutcomeStatus),
}

impl Recorder {
    pub async fn open(dir: &Path, clock: &ManualClock) -> Arc<Self> {
        let ctx = ProviderContext {
            data_dir: dir.to_owned(),
            clock: Arc::new(clock.clone()),
            http: HttpPolicy::default(),
        };
        Arc::new(Self {
            inner: DemoProvider::open(&ctx).await.expect("demo opens"),
            sent: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
            lose_answer: AtomicBool::new(false),
            drop_request: AtomicBool::new(false),
            no_status_by_reference: AtomicBool::new(false),
            gate: None,
            charged: Mutex::new(None),
            no_price: AtomicBool::new(false),
            script: Mutex::new(std::collections::VecDeque::new()),
            one_wallet: AtomicBool::new(false),
        })
    }
    pub fn sent(&self) -> Vec<String> {
        self.sent.lock().expect("lock").clone()
    }
    fn unpriced(&self, mut p: Product) -> Product {
        if self.no_price.load(Ordering::SeqCst) {
            p.cost = None;
            p.fx_rate = None;
        }
        if self.one_wallet.load(Ordering::SeqCst) {
            p.wallet_id = None;
        }
        p
    }
    fn recharge(
        &self,
        answer: Result<PurchaseOutcome, ProviderError>,
    ) -> Result<PurchaseOutcome, ProviderError> {
        let Some(text) = *self.charged.lock().expect("lock") else {
            return answer;
        };
        answer.map(|mut o| {
            if let Some(c) = o.charged.as_mut() {
                c.amount = text.parse().expect("decimal");
            }
            o
        })
    }
}

fn timeout() -> ProviderError {
    ProviderError::Timeout {
        provider: ProviderKind::Demo,
        seconds: 30,
    }
}

#[async_trait]
impl Provider for Recorder {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Demo
    }
    fn capabilities(&self) -> Capabilities {
        let mut c = self.inner.capabilities();
        if self.no_status_by_reference.load(Ordering::SeqCst) {
            c.status_by_reference = false;
        }
        c
    }
    async fn balances(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        let mut all = self.inner.balances().await?;
        if self.one_wallet.load(Ordering::SeqCst) {
            all.retain(|w| w.wallet_id == "NGN-DEMO");
        }
        Ok(all)
    }
    async fn catalogue(&self, q: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        Ok(self
            .inner
            .catalogue(q)
            .await?
            .into_iter()
            .map(|p| self.unpriced(p))
            .collect())
    }
    async fn quote(
        &self,
        id: &str,
        face: Option<&crate::money::Money>,
    ) -> Result<Product, ProviderError> {
        self.inner.quote(id, face).await.map(|p| self.unpriced(p))
    }
    async fn submit(&self, req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        if let Some(gate) = &self.gate {
            gate.acquire().await.expect("gate").forget();
        }
        self.sent.lock().expect("lock").push(req.reference.clone());
        self.requests.lock().expect("lock").push(req.clone());
        if self.drop_request.swap(false, Ordering::SeqCst) {
            return Err(timeout());
        }
        let answer = self.recharge(self.inner.submit(req).await);
        if self.lose_answer.swap(false, Ordering::SeqCst) {
            return Err(timeout());
        }
        answer
    }
    async fn status(&self, lookup: &StatusLookup) -> Result<PurchaseOutcome, ProviderError> {
        let scripted = self.script.lock().expect("lock").pop_front();
        match scripted {
            Some(Scripted::NotFound) => {
                return Err(ProviderError::NotFound {
                    provider: ProviderKind::Demo,
                    what: format!("transaction {}", lookup.reference),
                })
            }
            Some(Scripted::Timeout) => return Err(timeout()),
            Some(Scripted::Says(status)) => {
                let mut o = self.inner.status(lookup).await?;
                o.status = status;
                return Ok(o);
            }
            None => {}
        }
        if self.no_status_by_reference.load(Ordering::SeqCst) {
            let Some(r) = &lookup.provider_reference else {
                return Err(ProviderError::unsupported(
                    ProviderKind::Demo,
                    "status by reference",
                ));
            };
            let by_theirs = StatusLookup {
                reference: r.clone(),
                nonce: String::new(),
                provider_reference: Some(r.clone()),
            };
            return self.recharge(self.inner.status(&by_theirs).await);
        }
        self.recharge(self.inner.status(lookup).await)
    }
}

pub(super) fn request(recipient: &str, amount: &str) -> PlaceRequest {
    PlaceRequest {
        account_id: DEMO_ACCOUNT_ID.to_owned(),
        product_id: "9418".to_owned(),
        recipient: recipient.to_owned(),
        amount: amount.to_owned(),
        currency: None,
        wallet_id: None,
        product_code: None,
        confirmed_cost: None,
        allow_duplicate: true,
        customer_phone: None,
        account_name: None,
        service_type: None,
    }
}

/// Rows in every table an order can touch.
pub(super) async fn counts(console: &Console) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in [
        "orders",
        "order_events",
        "entries",
        "deliveries",
        "wallet_balances",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t}"))
            .fetch_one(console.ledger().reader())
            .await
            .expect("count");
        out.push((t.to_owned(), n));
    }
    out
}

/// One transaction in the demo provider's own books.
#[derive(Debug, Clone)]
pub(super) struct DemoTxn {
    pub status: String,
    pub cost_units: i64,
}

pub(super) async fn demo_pool(dir: &Path) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(dir.join(STATE_FILE)))
        .await
        .expect("demo books")
}

pub(super) async fn demo_books(dir: &Path) -> HashMap<String, DemoTxn> {
    let pool = demo_pool(dir).await;
    let rows = sqlx::query("SELECT reference, status, cost_units FROM transactions")
        .fetch_all(&pool)
        .await
        .expect("transactions");
    pool.close().await;
    rows.iter()
        .map(|r| {
            (
                r.get::<String, _>("reference"),
                DemoTxn {
                    status: r.get("status"),
                    cost_units: r.get("cost_units"),
                },
            )
        })
        .collect()
}

/// One order as the invariants see it: its status, cost and the sums of its entries.
#[derive(Debug, Clone)]
pub(super) struct Books {
    pub status: OrderStatus,
    pub cost: i64,
    pub holds: i64,
    pub releases: i64,
    pub settles: i64,
    pub reversals: i64,
    pub adjustments: i64,
    /// Failed but still under a late look (given up as never arrived).
    pub under_review: bool,
    pub hold_n: i64,
    pub release_n: i64,
    pub settle_n: i64,
    pub reversal_n: i64,
}

pub(super) async fn books(console: &Console) -> HashMap<String, Books> {
    let rows = sqlx::query(
        "SELECT o.reference, o.status, o.cost_units,
           (o.status = 'failed' AND o.next_check_at IS NOT NULL) AS under_review,
           COALESCE(SUM(CASE e.kind WHEN 'hold' THEN e.units END), 0) AS holds,
           COALESCE(SUM(CASE e.kind WHEN 'release' THEN e.units END), 0) AS releases,
           COALESCE(SUM(CASE e.kind WHEN 'settle' THEN e.units END), 0) AS settles,
           COALESCE(SUM(CASE e.kind WHEN 'reversal' THEN e.units END), 0) AS reversals,
           COALESCE(SUM(CASE e.kind WHEN 'adjustment' THEN e.units END), 0) AS adjustments,
           COUNT(CASE e.kind WHEN 'hold' THEN 1 END) AS hold_n,
           COUNT(CASE e.kind WHEN 'release' THEN 1 END) AS release_n,
           COUNT(CASE e.kind WHEN 'settle' THEN 1 END) AS settle_n,
           COUNT(CASE e.kind WHEN 'reversal' THEN 1 END) AS reversal_n
         FROM orders o LEFT JOIN entries e ON e.order_id = o.id
         GROUP BY o.id",
    )
    .fetch_all(console.ledger().reader())
    .await
    .expect("books");
    rows.iter()
        .map(|r| {
            let status: String = r.get("status");
            (
                r.get::<String, _>("reference"),
                Books {
                    status: status.parse().expect("legal status"),
                    cost: r.get("cost_units"),
                    holds: r.get("holds"),
                    releases: r.get("releases"),
                    settles: r.get("settles"),
                    reversals: r.get("reversals"),
                    adjustments: r.get("adjustments"),
                    under_review: r.get("under_review"),
                    hold_n: r.get("hold_n"),
                    release_n: r.get("release_n"),
                    settle_n: r.get("settle_n"),
                    reversal_n: r.get("reversal_n"),
                },
            )
        })
        .collect()
}

/// DESIGN.md's invariants over our ledger, the demo provider's books and the log of what
/// was sent. Panics with the breach.
pub(super) async fn check_invariants(console: &Console, dir: &Path, sent: &[String]) {
    let ours = books(console).await;
    let theirs = demo_books(dir).await;
    // A purchase is never sent twice, and only after its intent was committed.
    let mut seen = std::collections::HashSet::new();
    for r in sent {
        assert!(seen.insert(r.clone()), "reference {r} was sent twice");
        let b = ours
            .get(r)
            .unwrap_or_else(|| panic!("{r} was sent without an order row"));
        assert_ne!(
            b.status,
            OrderStatus::Prepared,
            "{r} was sent while prepared"
        );
    }
    for (r, b) in &ours {
        let held = b.holds - b.releases - b.settles;
        assert!(held >= 0, "{r}: held {held} < 0 ({b:?})");
        assert_eq!(b.hold_n, 1, "{r}: one hold ({b:?})");
        assert_eq!(b.holds, b.cost, "{r}: the hold is the cost ({b:?})");
        match b.status {
            // Given up as never arrived (the hold released), then booked late by the
            // provider: the whole charge is an adjustment on top of nothing held.
            OrderStatus::Succeeded if b.release_n == 1 => {
                assert_eq!((b.settle_n, b.reversal_n), (0, 0), "{r}: {b:?}");
                assert_eq!(b.adjustments, b.cost, "{r}: booked late ({b:?})");
                assert_eq!(held, 0, "{r}: {b:?}");
            }
            OrderStatus::Succeeded => {
                assert_eq!(
                    (b.settle_n, b.release_n, b.reversal_n),
                    (1, 0, 0),
                    "{r}: {b:?}"
                );
                assert_eq!(held, 0, "{r}: {b:?}");
            }
            OrderStatus::Failed => {
                assert_eq!((b.release_n, b.settle_n), (1, 0), "{r}: {b:?}");
                assert_eq!(held, 0, "{r}: {b:?}");
            }
            OrderStatus::Reversed => {
                assert_eq!(
                    (b.settle_n, b.reversal_n, b.release_n),
                    (1, 1, 0),
                    "{r}: {b:?}"
                );
                assert_eq!(b.reversals, b.settles, "{r}: {b:?}");
            }
            _ => {
                assert_eq!(
                    (b.settle_n, b.release_n, b.reversal_n),
                    (0, 0, 0),
                    "{r}: {b:?}"
                );
                assert_eq!(held, b.cost, "{r}: an open order holds its cost ({b:?})");
            }
        }
        // Never sent: the provider must not have it.
        if !sent.contains(r) {
            assert!(
                !theirs.contains_key(r),
                "{r} is at the provider but was never sent"
            );
        }
    }
    // Every charge at the provider appears exactly once in our ledger, as an order that
    // is settled or still held; every settled order is a charge at the provider.
    for (r, t) in &theirs {
        let b = ours
            .get(r)
            .unwrap_or_else(|| panic!("provider charge {r} has no order"));
        match t.status.as_str() {
            // Given up while its request was still on the way, then taken by the provider:
            // the late looks book it once it is done (never a charge forgotten for good).
            "SUCCESS" | "PENDING" if b.status == OrderStatus::Failed && b.under_review => {}
            "SUCCESS" | "PENDING" => {
                assert_eq!(t.cost_units, b.cost, "{r}: charged what we hold");
                assert!(
                    matches!(
                        b.status,
                        OrderStatus::Succeeded
                            | OrderStatus::Pending
                            | OrderStatus::Unknown
                            | OrderStatus::Submitted
                            | OrderStatus::NeedsAttention
                    ),
                    "{r}: charged at the provider ({}) but {} here",
                    t.status,
                    b.status
                );
            }
            _ => assert!(
                !matches!(b.status, OrderStatus::Succeeded | OrderStatus::Pending),
                "{r}: {} at the provider but {} here",
                t.status,
                b.status
            ),
        }
    }
    for (r, b) in &ours {
        if matches!(b.status, OrderStatus::Succeeded | OrderStatus::Pending) {
            let t = theirs
                .get(r)
                .unwrap_or_else(|| panic!("{r} is {} but the provider has no charge", b.status));
            let expected = if b.status == OrderStatus::Succeeded {
                "SUCCESS"
            } else {
                "PENDING"
            };
            assert_eq!(
                t.status, expected,
                "{r}: {} here, {} there",
                b.status, t.status
            );
        }
    }
}
