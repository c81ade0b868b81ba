#!/usr/bin/env bash
# Installs whatever the portal needs and is missing. Idempotent and fast when all is
# present. Usage: scripts/setup.sh [--test]   (--test adds Chromium and PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST_TOOLS=0
[ "${1:-}" = "--test" ] && WITH_TEST_TOOLS=1

CARGO_LEPTOS_VERSION=0.3.8
# The wasm-bindgen CLI must match the library version pinned in Cargo.toml exactly.
WASM_BINDGEN_VERSION=$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)"/\1/p' Cargo.toml)

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y --no-install-recommends "${missing[@]}"; then
    as_root apt-get update
    as_root apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

# System libraries and tools (OpenSSL headers for webauthn-rs, Node.js for the CSS/test tools).
apt_install pkg-config libssl-dev ca-certificates
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [ "$WITH_TEST_TOOLS" -eq 1 ]; then
  # sqlite3: browser tests age an activation code in the test database.
  apt_install chromium postgresql sqlite3
fi

# Rust: the browser target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos, built without its tool downloader (this network only reaches the registries).
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (slow: about 20 minutes on 2 cores)"
  cargo install cargo-leptos@"$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# wasm-bindgen CLI at exactly the pinned version (without --locked: its lock file pins a
# crate release the registry here does not carry).
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli@"$WASM_BINDGEN_VERSION" --force
fi

# Tailwind CSS, wasm-opt and the test tools, pinned by package-lock.json. Playwright
# must never download a browser: the tests use Debian's Chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

log "tools ready"
