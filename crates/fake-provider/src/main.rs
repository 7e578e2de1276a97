//! fake-provider: serves one provider's API on loopback with injectable faults.
//!
//! `fake-provider --kind <vendify|rukky|estoresms|rukapay> --port <0 = pick> --state <dir>
//! [--faults <spec>] [--seed N] [--balance 1000000] [--settle-after 2] [--pending-rate P]
//! [--fail-rate P] [--hang-ms 120000] [--slow-ms 5000] [--reverse-rate P]
//! [--reverse-after-secs 0] [--rukapay-commission-balance 0] [--rukapay-fee 0]` prints
//! `listening on 127.0.0.1:<port>` and serves until killed. Every charge, refund and purchase request is appended (and fsynced) to
//! `<state>/charges.jsonl` and `<state>/requests.jsonl` before the answer is sent; orders are
//! kept in `<state>/orders.jsonl` so a restart on the same directory keeps everything.
//! `GET /__fake/summary` and `GET /__fake/orders` show the state to tests; `GET /__fake/calls`
//! lists every API request received ("METHOD /path"), to count what an operation costs.

mod app;
mod faults;
mod kinds;
mod store;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use clap::{Parser, ValueEnum};
use rust_decimal::Decimal;

use app::{App, Config, KillListener, Shared};
use faults::Faults;
use store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    Vendify,
    Rukky,
    Estoresms,
    Rukapay,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Vendify => "vendify",
            Kind::Rukky => "rukky",
            Kind::Estoresms => "estoresms",
            Kind::Rukapay => "rukapay",
        }
    }
}

/// A local, fault-injecting stand-in for one wholesaler's API.
#[derive(Debug, Parser)]
#[command(name = "fake-provider", version)]
struct Args {
    /// Which provider's wire protocol to speak.
    #[arg(long, value_enum)]
    kind: Kind,
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Directory for the durable state (created if missing).
    #[arg(long)]
    state: PathBuf,
    /// Faults, e.g. "latency=200ms:0.3,error500=0.1,timeout=0.05,drop_after_charge=0.1,
    /// slow_charge=0.05".
    /// Add faults_all=1 to apply them to every call, not only purchases.
    #[arg(long, default_value = "")]
    faults: String,
    /// Seed for every random choice (faults, pending/fail rates).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Opening wallet balance of a new state directory (RukaPay: its ESCROW wallet).
    #[arg(long, default_value = "1000000")]
    balance: Decimal,
    /// RukaPay only: opening balance of the COMMISSION wallet of a new state directory.
    #[arg(long, default_value = "0")]
    rukapay_commission_balance: Decimal,
    /// RukaPay only: the `fee` charged on top of every transfer (answers say it, and
    /// `totalCharged` = amount + fee), so the ledger's charge-above-hold path runs.
    #[arg(long, default_value = "0")]
    rukapay_fee: Decimal,
    /// A pending order settles on its Nth status query.
    #[arg(long, default_value_t = 2)]
    settle_after: u32,
    /// Percent of other numbers that go pending, then succeed.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100))]
    pending_rate: u32,
    /// Percent of other numbers that fail.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100))]
    fail_rate: u32,
    /// How long the `timeout` fault hangs before answering 504, in milliseconds.
    #[arg(long, default_value_t = 120_000)]
    hang_ms: u64,
    /// How long the `slow_charge` fault holds a charged purchase before answering, in
    /// milliseconds: set it above the client's timeout so the client gives up.
    #[arg(long, default_value_t = 5_000)]
    slow_ms: u64,
    /// Percent of orders bound to succeed that the provider reverses later: a status query
    /// then answers the kind's failed/reversed word, and the charge is refunded
    /// (`charges.jsonl`: a `refund` line with `"reversal": true`).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100))]
    reverse_rate: u32,
    /// A reversal happens at the first status query at least this many seconds after the
    /// order was created (and never at the query that settles a pending order).
    #[arg(long, default_value_t = 0)]
    reverse_after_secs: u64,
}

async fn summary(State(app): State<Shared>) -> Response {
    Json(app.store().summary()).into_response()
}

async fn calls(State(app): State<Shared>) -> Response {
    Json(app.calls()).into_response()
}

/// Counts every API request (the `/__fake/` views are not the provider's API).
async fn count_call(
    State(app): State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if !path.starts_with("/__fake/") {
        app.note_call(format!("{} {path}", req.method()));
    }
    next.run(req).await
}

async fn orders(State(app): State<Shared>) -> Response {
    Json(app.store().orders().to_vec()).into_response()
}

fn router(kind: Kind, app: Shared) -> Router {
    let api = match kind {
        Kind::Vendify => kinds::vendify::router(),
        Kind::Estoresms => kinds::estoresms::router(),
        Kind::Rukapay => kinds::rukapay::router(),
        Kind::Rukky => kinds::rukky::router(),
    };
    api.route("/__fake/summary", get(summary))
        .route("/__fake/orders", get(orders))
        .route("/__fake/calls", get(calls))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            count_call,
        ))
        .with_state(app)
}

async fn run(args: Args) -> Result<(), String> {
    let faults = Faults::parse(&args.faults).map_err(|e| format!("--faults: {e}"))?;
    let wallets = match args.kind {
        Kind::Rukapay => kinds::rukapay::wallets(args.balance, args.rukapay_commission_balance),
        _ => store::Wallets {
            default: "main".to_owned(),
            opening: args.balance,
            others: Default::default(),
        },
    };
    if args.rukapay_fee.is_sign_negative() {
        return Err("--rukapay-fee: a fee cannot be negative".to_owned());
    }
    let store = Store::open(&args.state, args.kind.name(), wallets, args.settle_after)
        .map_err(|e| format!("state directory {}: {e}", args.state.display()))?;
    let cfg = Config {
        faults,
        fail_rate: args.fail_rate,
        pending_rate: args.pending_rate,
        rukapay_fee: args.rukapay_fee,
        hang: Duration::from_millis(args.hang_ms),
        slow: Duration::from_millis(args.slow_ms),
        reverse_rate: args.reverse_rate,
        reverse_after: Duration::from_secs(args.reverse_after_secs),
    };
    let app = Arc::new(App::new(cfg, store, args.seed));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|e| format!("bind 127.0.0.1:{}: {e}", args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {addr}").map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
    }
    let service = router(args.kind, app).into_make_service_with_connect_info::<app::Conn>();
    axum::serve(KillListener(listener), service)
        .await
        .map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fake-provider: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
