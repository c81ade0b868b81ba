#!/usr/bin/env bash
# `make run`: installs what is missing, builds, migrates and seeds the SQLite database
# under data/ (demo data on an empty database) and serves http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

echo "[run] building the portal (first build takes several minutes)"
cargo leptos build

mkdir -p data
# Development mode (demo data, mail preview at /dev/mails) on loopback only.
export APP_ENV="${APP_ENV:-development}"
echo "[run] starting – open the address printed below; stop with Ctrl-C"
exec target/debug/server serve
