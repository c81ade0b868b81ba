#!/usr/bin/env bash
# `make test`: installs what is missing, then runs every suite —
#   1. unit and integration tests (cargo test), the integration tests on SQLite and on a
#      throw-away PostgreSQL cluster;
#   2. browser tests (Playwright in Debian's Chromium) against the built portal.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
source scripts/env.sh

cleanup() { type stop_test_postgres >/dev/null 2>&1 && stop_test_postgres; }
trap cleanup EXIT
source scripts/postgres-test-cluster.sh

echo "[test] building the browser bundle (WASM, CSS)"
cargo leptos build --frontend-only

echo "[test] unit and integration tests (SQLite and PostgreSQL)"
# Also builds target/debug/server, which the browser tests start.
# A hung test must fail the run with a message, not use up the CI time.
timeout --kill-after=30 1800 cargo test --locked -p app -p server -- --color never || {
  status=$?
  [ "$status" -ge 124 ] && echo "[test] cargo test did not finish within 30 minutes" >&2
  exit "$status"
}

echo "[test] browser tests (Playwright, Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'))"
npx playwright test --config end2end/playwright.config.ts
