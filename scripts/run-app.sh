#!/usr/bin/env bash
# Sets everything up, builds, and opens Reseller Console (with the built-in demo provider).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "==> Building the UI" >&2
(cd ui && npm run build --silent)
echo "==> Building and starting the app (first build takes a few minutes)" >&2
exec cargo run --release -p reseller-console --features custom-protocol --bin reseller-console
