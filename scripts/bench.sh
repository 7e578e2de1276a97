#!/usr/bin/env bash
# Startup time and memory of the release app under Xvfb, with the keychain: prints figures
# and ratios against the empty-Tauri baseline and the goals of issue 2. Then the provider
# requests and wall time of one purchase per provider kind against the fake provider with
# 300 ms latency, against the goals of issue 9.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
(cd ui && npm run build --silent)
cargo build --release -p reseller-console --features custom-protocol --bin reseller-console
scripts/with-keyring.sh xvfb-run -a --server-args="-screen 0 1366x900x24" \
  cargo bench -p reseller-console --features custom-protocol --bench startup
cargo build --release -p fake-provider
cargo bench -p resellerctl --bench purchase_calls
