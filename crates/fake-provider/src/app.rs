//! The shared server: state behind a lock, seeded choices, fault injection around each call,
//! and connections a handler can cut without answering (the "charge then drop" fault).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::faults::{Action, Draw, Faults, MILLION};
use crate::store::{Fate, Lookup, NewOrder, Order, Refusal, RequestLine, Store};

/// Settings that shape outcomes.
#[derive(Debug, Clone)]
pub struct Config {
    pub faults: Faults,
    /// Percent of other numbers that fail at once.
    pub fail_rate: u32,
    /// Percent of other numbers that go pending, then succeed.
    pub pending_rate: u32,
    /// RukaPay's `fee`, charged on top of each transfer's amount.
    pub rukapay_fee: Decimal,
    /// How long the `timeout` fault hangs before answering 504.
    pub hang: Duration,
    /// How long the `slow_charge` fault holds a charged purchase before answering.
    pub slow: Duration,
    /// Percent of orders bound to succeed that the provider reverses later.
    pub reverse_rate: u32,
    /// A succeeded order picked for a reversal is reversed at the first status query made
    /// this long after it was created (and after the query that settled it, if pending).
    pub reverse_after: Duration,
}

pub struct App {
    pub cfg: Config,
    store: Mutex<Store>,
    rng: Mutex<StdRng>,
    /// Every API request received ("METHOD /path"), for tests and benchmarks that count
    /// how many requests an operation costs (`GET /__fake/calls`).
    calls: Mutex<Vec<String>>,
}

/// One purchase as the wire asked for it.
pub struct Ask {
    pub endpoint: &'static str,
    pub reference: Option<String>,
    pub nonce: Option<String>,
    pub items: Vec<Item>,
    /// The wallet to charge (RukaPay `walletType`); `None` is the default wallet.
    pub wallet: Option<String>,
    /// Charged on top of each item's amount.
    pub fee: Decimal,
}

pub struct Item {
    pub product: String,
    pub recipient: String,
    pub amount: Decimal,
}

/// What became of a purchase.
pub enum Done {
    /// The reference (or nonce) was seen before: these orders, nothing charged.
    Existing(Vec<Order>),
    /// One result per item.
    New(Vec<Result<Order, Refusal>>),
}

pub type Shared = Arc<App>;

fn internal(e: &io::Error) -> Response {
    eprintln!("fake-provider: state write failed: {e}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("fake-provider state error: {e}"),
    )
        .into_response()
}

/// The fate a recipient number asks for by its last 7 digits.
pub fn fate_by_number(recipient: &str) -> Option<Fate> {
    let digits: String = recipient.chars().filter(char::is_ascii_digit).collect();
    let tail = digits.get(digits.len().saturating_sub(7)..).unwrap_or("");
    match tail {
        "0000001" => Some(Fate::Fail),
        "0000002" => Some(Fate::PendingThenSucceed),
        "0000003" => Some(Fate::PendingThenFail),
        _ => None,
    }
}

impl App {
    pub fn new(cfg: Config, store: Store, seed: u64) -> Self {
        Self {
            cfg,
            store: Mutex::new(store),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Notes one API request as received.
    pub fn note_call(&self, call: String) {
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(call);
    }

    /// The API requests received so far, in order.
    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave a half-written line behind that the
        // lock would protect, so a poisoned lock is still usable.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn rng(&self) -> MutexGuard<'_, StdRng> {
        self.rng.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fate(&self, recipient: &str) -> Fate {
        if let Some(f) = fate_by_number(recipient) {
            return f;
        }
        let r: u32 = self.rng().random_range(0..100);
        if r < self.cfg.fail_rate {
            Fate::Fail
        } else if r < self.cfg.fail_rate.saturating_add(self.cfg.pending_rate) {
            Fate::PendingThenSucceed
        } else {
            Fate::Succeed
        }
    }

    /// The faults for one request; calls other than purchases get none unless `faults_all`.
    pub fn draw(&self, purchase: bool) -> Draw {
        if !purchase && !self.cfg.faults.all {
            return Draw::NONE;
        }
        let (a, b) = {
            let mut rng = self.rng();
            (rng.random_range(0..MILLION), rng.random_range(0..MILLION))
        };
        self.cfg.faults.pick(a, b)
    }

    /// Latency, then the faults that answer without doing anything.
    async fn before(&self, draw: &Draw) -> Option<Response> {
        if let Some(d) = draw.latency {
            tokio::time::sleep(d).await;
        }
        match draw.action {
            Action::Error500 => Some(
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal Server Error (injected)",
                )
                    .into_response(),
            ),
            Action::Timeout => {
                tokio::time::sleep(self.cfg.hang).await;
                Some((StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout (injected)").into_response())
            }
            Action::None | Action::DropAfterCharge | Action::SlowCharge => None,
        }
    }

    /// Runs a non-purchase call under the faults (only with `faults_all`).
    pub async fn call(&self, conn: &Conn, answer: impl FnOnce(&App) -> Response) -> Response {
        let draw = self.draw(false);
        if let Some(r) = self.before(&draw).await {
            return r;
        }
        let resp = answer(self);
        match draw.action {
            Action::DropAfterCharge => conn.kill(),
            Action::SlowCharge => tokio::time::sleep(self.cfg.slow).await,
            _ => {}
        }
        resp
    }

    /// Runs a purchase: faults, idempotency by reference/nonce, charges, the request record,
    /// then the answer `respond` writes (never sent for `drop_after_charge`).
    pub async fn purchase(
        &self,
        conn: &Conn,
        ask: Ask,
        respond: impl FnOnce(&App, &Done) -> Response,
    ) -> Response {
        let draw = self.draw(true);
        if matches!(draw.action, Action::Error500 | Action::Timeout) {
            if let Err(e) = self.log(&ask, false, &[], draw.action.name(), "not charged") {
                return internal(&e);
            }
        }
        if let Some(r) = self.before(&draw).await {
            return r;
        }
        let done = match self.execute(&ask, draw.action) {
            Ok(d) => d,
            Err(e) => return internal(&e),
        };
        let resp = respond(self, &done);
        match draw.action {
            Action::DropAfterCharge => conn.kill(),
            // Charged (durably) above; the answer leaves only after the client gave up.
            Action::SlowCharge => tokio::time::sleep(self.cfg.slow).await,
            _ => {}
        }
        resp
    }

    fn log(
        &self,
        ask: &Ask,
        duplicate: bool,
        order_ids: &[u64],
        fault: Option<&str>,
        outcome: &str,
    ) -> io::Result<()> {
        self.store().record_request(RequestLine {
            seq: 0,
            endpoint: ask.endpoint.to_owned(),
            reference: ask.reference.clone(),
            nonce: ask.nonce.clone(),
            duplicate,
            order_ids: order_ids.to_vec(),
            recipients: ask.items.iter().map(|i| i.recipient.clone()).collect(),
            fault: fault.map(str::to_owned),
            outcome: outcome.to_owned(),
            at: 0,
        })
    }

    fn execute(&self, ask: &Ask, action: Action) -> io::Result<Done> {
        let mut store = self.store();
        let existing = store.existing(ask.reference.as_deref(), ask.nonce.as_deref());
        let request = |duplicate: bool, ids: Vec<u64>, outcome: &str| RequestLine {
            seq: 0,
            endpoint: ask.endpoint.to_owned(),
            reference: ask.reference.clone(),
            nonce: ask.nonce.clone(),
            duplicate,
            order_ids: ids,
            recipients: ask.items.iter().map(|i| i.recipient.clone()).collect(),
            fault: action.name().map(str::to_owned),
            outcome: outcome.to_owned(),
            at: 0,
        };
        if !existing.is_empty() {
            let ids = existing.iter().map(|o| o.id).collect();
            store.record_request(request(true, ids, "duplicate"))?;
            return Ok(Done::Existing(existing));
        }
        let mut results = Vec::with_capacity(ask.items.len());
        for item in &ask.items {
            let fate = self.fate(&item.recipient);
            let reverse = matches!(fate, Fate::Succeed | Fate::PendingThenSucceed)
                && self.rng().random_range(0..100) < self.cfg.reverse_rate;
            results.push(store.create(&NewOrder {
                reference: ask.reference.as_deref(),
                nonce: ask.nonce.as_deref(),
                product: &item.product,
                recipient: &item.recipient,
                amount: item.amount,
                fee: ask.fee,
                wallet: ask.wallet.as_deref(),
                fate,
                reverse,
            })?);
        }
        let ids: Vec<u64> = results
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|o| o.id))
            .collect();
        let outcome = if results.iter().any(|r| r.as_ref().is_ok_and(|o| o.charged)) {
            "charged"
        } else if results.iter().any(Result::is_err) {
            "insufficient"
        } else {
            "failed"
        };
        store.record_request(request(false, ids, outcome))?;
        Ok(Done::New(results))
    }

    /// A request that was refused before any order (bad body, bad credentials) is still a
    /// purchase request received: it is recorded, and answered by `resp`.
    pub fn refused(&self, ask: &Ask, why: &str, resp: Response) -> Response {
        match self.log(ask, false, &[], None, &format!("refused: {why}")) {
            Ok(()) => resp,
            Err(e) => internal(&e),
        }
    }

    /// The orders a status query names, each counted as seen (pending ones may settle).
    pub fn lookup(&self, key: &Lookup<'_>) -> io::Result<Vec<Order>> {
        let mut store = self.store();
        let ixs = store.find(key);
        let reverse_after = self.cfg.reverse_after.as_secs();
        ixs.into_iter()
            .map(|i| store.observe(i, reverse_after))
            .collect()
    }

    pub fn lookup_response(
        &self,
        key: &Lookup<'_>,
        answer: impl FnOnce(Vec<Order>) -> Response,
    ) -> Response {
        match self.lookup(key) {
            Ok(orders) => answer(orders),
            Err(e) => internal(&e),
        }
    }
}

/// A connection a handler can cut: once killed, nothing more is read or written, so the
/// answer in flight never leaves and the socket closes.
pub struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

fn aborted() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "connection cut (fault)")
}

impl KillableStream {
    fn dead(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// What a handler knows of its connection: who, and the switch that cuts it.
#[derive(Debug, Clone)]
pub struct Conn {
    pub addr: SocketAddr,
    killed: Arc<AtomicBool>,
}

impl Conn {
    pub fn kill(&self) {
        eprintln!(
            "fake-provider: cutting the connection from {} (drop_after_charge)",
            self.addr
        );
        self.killed.store(true, Ordering::SeqCst);
    }
}

pub struct KillListener(pub TcpListener);

impl Listener for KillListener {
    type Io = KillableStream;
    type Addr = Conn;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((inner, addr)) => {
                    let _ = inner.set_nodelay(true);
                    let killed = Arc::new(AtomicBool::new(false));
                    let conn = Conn {
                        addr,
                        killed: killed.clone(),
                    };
                    return (KillableStream { inner, killed }, conn);
                }
                Err(e) => {
                    eprintln!("fake-provider: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(Conn {
            addr: self.0.local_addr()?,
            killed: Arc::new(AtomicBool::new(false)),
        })
    }
}

impl Connected<IncomingStream<'_, KillListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, KillListener>) -> Self {
        stream.remote_addr().clone()
    }
}
