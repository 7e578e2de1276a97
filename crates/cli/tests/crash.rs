//! Crash test (tests/crash/README.md): resellerctl buys against a fault-injecting fake
//! provider (some purchases charged and answered only after the client gave up) and is
//! killed with SIGKILL at random points while a sweeper runs `reconcile` beside it; after
//! a final `reconcile --now` and `reconcile --now --reviews` (the fake reverses some
//! orders late) the fake's charges and the ledger must agree, nothing may have been sent
//! twice, every request must be one ledger order, every reversal must be booked, every
//! order must be final (RukkyStore may leave `needs_attention`), and the ledger must pass
//! `PRAGMA integrity_check`.
//!
//! Needs the `fake-provider` binary next to resellerctl (`cargo build -p fake-provider`, or
//! any `cargo test --workspace`); `tests/crash/run.sh` builds it first. Knobs:
//! CRASH_ORDERS (200), CRASH_MIN_KILLS (50 at 200), CRASH_SEED (1), CRASH_PARALLEL (4).

#[path = "crash/check.rs"]
mod check;
#[path = "support/fake.rs"]
mod fake;
#[path = "crash/harness.rs"]
mod harness;

use harness::Kind;

#[test]
fn crash_rukky() {
    harness::run(Kind::Rukky);
}

#[test]
fn crash_vendify() {
    harness::run(Kind::Vendify);
}

#[test]
fn crash_estoresms() {
    harness::run(Kind::Estoresms);
}

#[test]
fn crash_rukapay() {
    harness::run(Kind::Rukapay);
}
