#!/usr/bin/env bash
# Startup time and memory of the release app under Xvfb, with the keychain: prints figures
# and ratios against the empty-Tauri baseline and the goals of issue 2.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
(cd ui && npm run build --silent)
cargo build --release -p reseller-console --features custom-protocol --bin reseller-console
scripts/with-keyring.sh xvfb-run -a --server-args="-screen 0 1366x900x24" \
  cargo bench -p reseller-console --features custom-protocol --bench startup
