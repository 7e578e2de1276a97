#!/usr/bin/env bash
# Installs what Reseller Console needs on Debian/Ubuntu: system libraries for Tauri and the
# keychain, the pinned Rust toolchain's components, and the npm packages. Safe to re-run.
# Usage: scripts/setup.sh [--for-tests]
set -euo pipefail
cd "$(dirname "$0")/.."
for_tests=0
[[ "${1:-}" == "--for-tests" ]] && for_tests=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# 1. System packages (Debian/Ubuntu). Other systems: see README "Prerequisites".
packages=(build-essential pkg-config libssl-dev libdbus-1-dev libwebkit2gtk-4.1-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libsecret-1-dev
  gnome-keyring dbus-x11)
if (( for_tests )); then
  packages+=(xvfb xauth webkit2gtk-driver chromium keyutils)
fi
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "Installing system packages: ${missing[*]}"
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  say "Not a Debian/Ubuntu system: install the Tauri prerequisites yourself (see README)."
fi

# 2. Rust: rust-toolchain.toml pins the version; rustup installs it on first use.
if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is missing. Install it from https://rustup.rs and run this again." >&2
  exit 1
fi
rustup show active-toolchain >/dev/null

# 3. Node 20+ and the UI's packages, exactly as locked.
if ! command -v node >/dev/null 2>&1 || (( $(node -p 'process.versions.node.split(".")[0]') < 20 )); then
  echo "Node.js 20 or newer is missing. Install it (https://nodejs.org) and run this again." >&2
  exit 1
fi
if [[ ! -d ui/node_modules ]] || [[ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]]; then
  say "Installing UI packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if (( for_tests )); then
  if [[ ! -d tests/e2e/node_modules ]] || [[ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]]; then
    say "Installing end-to-end test packages"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if ! command -v tauri-driver >/dev/null 2>&1 && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
    say "Installing tauri-driver (WebDriver for the desktop app)"
    cargo install tauri-driver --locked --version 2.1.0 --quiet
  fi
fi
