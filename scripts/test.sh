#!/usr/bin/env bash
# Sets everything up and runs every test: formatting, lints, Rust tests (core, CLI, shell),
# the UI type check and UI tests, the app build, and the end-to-end test of the real app
# under Xvfb. Works with no display and no terminal (CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
section() { printf '\n==== %s ====\n' "$*"; }

section "setup"
scripts/setup.sh --for-tests
export PATH="$HOME/.cargo/bin:$PATH"

section "formatting and lints"
cargo fmt --all -- --check
# The core never imports tauri: the desktop shell is a thin layer over it.
if cargo tree -p reseller-core -e normal --prefix none | grep -q '^tauri '; then
  echo "reseller-core depends on tauri" >&2
  exit 1
fi
# One feature set for every cargo step, so the workspace is built once per profile.
features=(--workspace --features reseller-console/custom-protocol)
section "UI build and type check"
(cd ui && npm run build --silent && npm run check --silent)
cargo clippy "${features[@]}" --all-targets --locked -- -D warnings

section "Rust tests"
# The keychain tests and the CLI need a Secret Service: run inside a private, unlocked one.
scripts/with-keyring.sh cargo test "${features[@]}" --locked

section "UI tests"
(cd ui && npm test)

section "end-to-end: the real app under Xvfb"
cargo build "${features[@]}" --locked --bin reseller-console
scripts/with-keyring.sh xvfb-run -a --server-args="-screen 0 1366x900x24" \
  node --test --test-concurrency=1 tests/e2e/
