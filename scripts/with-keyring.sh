#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME Keyring, so the
# OS keychain (Secret Service) works on a headless Linux machine or in CI.
# Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
if [[ -z "${RESELLER_KEYRING_READY:-}" ]]; then
  export RESELLER_KEYRING_READY=1
  exec dbus-run-session -- "$0" "$@"
fi
# A throwaway keyring home: never touch a person's real keyring.
export XDG_DATA_HOME="${RESELLER_KEYRING_HOME:-$(mktemp -d)}"
# An empty password fails to unlock; this one protects nothing real.
eval "$(echo 'reseller-ci-keyring' | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
exec "$@"
