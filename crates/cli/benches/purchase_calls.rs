//! Provider requests and wall time of one purchase through the core, per provider kind
//! (issue 9; not a test: it prints figures).
//!
//!   scripts/bench.sh            (or: cargo build --release -p fake-provider &&
//!                                cargo bench -p resellerctl --bench purchase_calls)
//!
//! For each kind it starts `fake-provider` with 300 ms of latency on every request, opens
//! a console on a fresh data folder with the account (its balance read once, as any
//! account's first call does), makes a few purchases with `Console::buy` and prints, per
//! purchase kind: the provider requests each purchase made (counted by the fake), the
//! median wall time, and its ratio to the floor (requests × latency). Goal: at most 2
//! requests and at most 1.15x the floor.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use reseller_core::orders::PlaceRequest;

#[path = "../tests/support/fake.rs"]
mod fake;
use reseller_core::providers::{Environment, ProviderKind};
use reseller_core::secrets::MemoryStore;
use reseller_core::views::NewAccount;
use reseller_core::{Console, OpenOptions};

const LATENCY_MS: u128 = 300;
const PURCHASES: usize = 3;
/// Goals (issue 9).
const GOAL_REQUESTS: usize = 2;
const GOAL_FLOOR_HUNDREDTHS: u128 = 115;

fn fake_provider() -> PathBuf {
    // target/release/deps/purchase_calls-<hash> -> target/release/fake-provider
    let exe = std::env::current_exe().expect("the bench knows where it is");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the bench runs from target/<profile>/deps");
    dir.join("fake-provider")
}

/// The fake provider process (killed on drop).
struct Fake {
    child: Child,
    addr: String,
    _state: tempfile::TempDir,
}

impl Fake {
    fn start(bin: &Path, kind: &str) -> Fake {
        let state = tempfile::tempdir().expect("tempdir");
        let mut child = Command::new(bin)
            .args([
                "--kind",
                kind,
                "--port",
                "0",
                "--balance",
                "10000000",
                "--state",
            ])
            .arg(state.path())
            .args([
                "--faults",
                &format!("latency={LATENCY_MS}ms:1,faults_all=1"),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn fake-provider");
        let addr = fake::listening_addr(&mut child);
        Fake {
            child,
            addr,
            _state: state,
        }
    }

    /// How many API requests the fake has received (`GET /__fake/calls`).
    fn calls(&self) -> usize {
        let mut s = TcpStream::connect(&self.addr).expect("connect to the fake");
        write!(
            s,
            "GET /__fake/calls HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("ask the fake");
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("the fake answers");
        let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str::<Vec<String>>(body)
            .unwrap_or_else(|e| panic!("calls answer {body:?}: {e}"))
            .len()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One purchase kind to measure.
struct Case {
    label: &'static str,
    kind: ProviderKind,
    fake: &'static str,
    product: &'static str,
    amount: &'static str,
    /// Recipients, one per purchase (the identical-order guard refuses repeats).
    recipient: fn(usize) -> String,
    /// Save the catalogue before buying (its price then needs no request).
    saved: bool,
}

fn account(kind: ProviderKind, base: String) -> NewAccount {
    let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let (settings, secrets) = match kind {
        ProviderKind::Vendify => (
            map(&[("wallet_id", "NGN-1001")]),
            map(&[("api_key", "fake-key")]),
        ),
        ProviderKind::Estoresms => (
            map(&[("username", "reseller"), ("email", "reseller@example.com")]),
            map(&[("api_token", "fake-token"), ("password", "fake-password")]),
        ),
        ProviderKind::Rukapay => (map(&[]), map(&[("api_key", "fake-key")])),
        _ => (map(&[]), map(&[("api_key", "fake-key"), ("pin", "1234")])),
    };
    NewAccount {
        provider: kind,
        label: format!("{kind} bench"),
        environment: Environment::Custom,
        base_url: Some(base),
        settings,
        secrets,
    }
}

fn request(account: &str, c: &Case, n: usize) -> PlaceRequest {
    serde_json::from_value(serde_json::json!({
        "account_id": account,
        "product_id": c.product,
        "recipient": (c.recipient)(n),
        "amount": c.amount,
    }))
    .expect("a purchase request")
}

/// Requests and wall time (ms) of each purchase, or why the case could not be measured.
async fn measure(bin: &Path, c: &Case) -> Result<Vec<(usize, u128)>, String> {
    let fake = Fake::start(bin, c.fake);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = OpenOptions::new(
        dir.path().join("data"),
        dir.path().join("logs"),
        Arc::new(MemoryStore::default()),
    );
    opts.allow_memory_secrets = true;
    let console = Console::open(opts).await.map_err(|e| e.to_string())?;
    let id = console
        .add_account(account(c.kind, format!("http://{}", fake.addr)))
        .await
        .map_err(|e| e.to_string())?
        .id;
    let test = console.test_account(&id).await.map_err(|e| e.to_string())?;
    if !test.ok {
        return Err(test.message);
    }
    if c.saved {
        console
            .refresh_catalogue(&id)
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut out = Vec::new();
    for n in 0..PURCHASES {
        let before = fake.calls();
        let start = Instant::now();
        let order = console
            .buy(request(&id, c, n))
            .await
            .map_err(|e| e.to_string())?;
        let ms = start.elapsed().as_millis();
        let requests = fake.calls() - before;
        if order.status != reseller_core::orders::OrderStatus::Succeeded {
            return Err(format!(
                "order {:?}: {:?}",
                order.status, order.failure_reason
            ));
        }
        out.push((requests, ms));
    }
    Ok(out)
}

fn ratio(a: u128, b: u128) -> u128 {
    // Integer arithmetic only: hundredths of the ratio.
    a * 100 / b.max(1)
}

fn hundredths(h: u128) -> String {
    format!("{}.{:02}", h / 100, h % 100)
}

fn median(mut v: Vec<u128>) -> u128 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and test discovery
    }
    let bin = fake_provider();
    if !bin.exists() {
        eprintln!(
            "build the fake provider first: {} is missing (scripts/bench.sh does it: \
             cargo build --release -p fake-provider)",
            bin.display()
        );
        std::process::exit(2);
    }
    let ng = |n: usize| format!("+23480345678{n:02}");
    let cases = [
        Case {
            label: "Vendify airtime",
            kind: ProviderKind::Vendify,
            fake: "vendify",
            product: "9418",
            // Not the fake's default face value: the quote must be asked for the amount.
            amount: "1200",
            recipient: ng,
            saved: false,
        },
        Case {
            label: "RukkyStore data, catalogue not saved",
            kind: ProviderKind::Rukky,
            fake: "rukky",
            product: "data:1",
            amount: "300",
            recipient: ng,
            saved: false,
        },
        Case {
            label: "RukkyStore data, catalogue saved",
            kind: ProviderKind::Rukky,
            fake: "rukky",
            product: "data:1",
            amount: "300",
            recipient: ng,
            saved: true,
        },
        Case {
            label: "RukkyStore airtime",
            kind: ProviderKind::Rukky,
            fake: "rukky",
            product: "airtime:mtn",
            amount: "500",
            recipient: ng,
            saved: false,
        },
        Case {
            label: "eStoreSMS airtime",
            kind: ProviderKind::Estoresms,
            fake: "estoresms",
            product: "NG-MTN-OR",
            amount: "500",
            recipient: ng,
            saved: false,
        },
        Case {
            label: "RukaPay airtime",
            kind: ProviderKind::Rukapay,
            fake: "rukapay",
            product: "airtime:MTN",
            amount: "500",
            recipient: |n| format!("+256701234{n:03}"),
            saved: false,
        },
    ];
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!(
        "Provider requests per purchase (fake provider, {LATENCY_MS} ms latency on every \
         request, {PURCHASES} purchases each; goal: at most {GOAL_REQUESTS} requests and at most \
         x{} the floor = requests x latency)",
        hundredths(GOAL_FLOOR_HUNDREDTHS)
    );
    for c in &cases {
        match rt.block_on(measure(&bin, c)) {
            Ok(runs) => {
                let most = runs.iter().map(|(r, _)| *r).max().unwrap_or(0);
                let counts: Vec<String> = runs.iter().map(|(r, _)| r.to_string()).collect();
                let wall = median(runs.iter().map(|(_, ms)| *ms).collect());
                let floor = most as u128 * LATENCY_MS;
                let x = ratio(wall, floor);
                let met = most <= GOAL_REQUESTS && x <= GOAL_FLOOR_HUNDREDTHS;
                println!(
                    "  {:<38} requests {:<7} wall (median) {:>5} ms   floor {:>5} ms   x{}   {}",
                    c.label,
                    counts.join(","),
                    wall,
                    floor,
                    hundredths(x),
                    if met { "MET" } else { "MISSED" }
                );
            }
            Err(e) => println!("  {:<38} not measured: {e}", c.label),
        }
    }
}
