//! Crash test (tests/crash/README.md): resellerctl buys against a fault-injecting fake
//! provider and is killed with SIGKILL at random points; after a final `reconcile --now`
//! the fake's charges and the ledger must agree, nothing may have been sent twice, every
//! order must be final (RukkyStore may leave `needs_attention`), and the ledger must pass
//! `PRAGMA integrity_check`.
//!
//! Needs the `fake-provider` binary next to resellerctl (`cargo build -p fake-provider`, or
//! any `cargo test --workspace`); `tests/crash/run.sh` builds it first. Knobs:
//! CRASH_ORDERS (200), CRASH_MIN_KILLS (orders / 4 = 50), CRASH_SEED (1), CRASH_PARALLEL (2).

#[path = "crash/check.rs"]
mod check;
#[path = "crash/harness.rs"]
mod harness;

use harness::Kind;

#[test]
fn crash_rukky() {
    harness::run(Kind::Rukky);
}

// The three below cannot place a single order through `resellerctl buy` against the fake
// yet (see tests/crash/README.md, "Blocked kinds"). They stay runnable, and fail with the
// reason: `cargo test -p resellerctl --test crash -- --include-ignored` (run.sh does).

#[test]
#[ignore = "blocked: the fake's Vendify product answer has no value the adapter reads (\"lists no values\")"]
fn crash_vendify() {
    harness::run(Kind::Vendify);
}

#[test]
#[ignore = "blocked: orders go through once each, but the fake charges amount x rate (500) while the ledger holds the quoted cost (50): pricing of open-range products and settling with the charged amount are issue 4 work"]
fn crash_estoresms() {
    harness::run(Kind::Estoresms);
}

#[test]
#[ignore = "blocked: RukaPay products have no price, so buy stops at \"no price for ...\""]
fn crash_rukapay() {
    harness::run(Kind::Rukapay);
}
