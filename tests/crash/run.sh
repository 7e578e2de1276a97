#!/usr/bin/env bash
# The crash test (tests/crash/README.md): builds the fake provider, then runs the harness
# in crates/cli/tests/crash.rs inside a throwaway Secret Service, printing one summary line
# per provider kind. Knobs (environment): CRASH_ORDERS (200), CRASH_MIN_KILLS (50 at 200),
# CRASH_SEED (1), CRASH_PARALLEL (4). Extra arguments go to the test binary, e.g.
#   tests/crash/run.sh crash_rukky          # one kind
set -euo pipefail
cd "$(dirname "$0")/../.."
# `cargo test -p resellerctl` does not build other packages' binaries: the harness finds
# fake-provider next to resellerctl in target/debug.
cargo build -p fake-provider -p resellerctl
exec scripts/with-keyring.sh cargo test -p resellerctl --test crash -- --nocapture --test-threads=1 "$@"
