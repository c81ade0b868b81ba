#!/usr/bin/env bash
# Fault drills (bench/faults.py): kill -9 during registrations (SQLite and PostgreSQL),
# the SMTP server down, PostgreSQL down under a running server. Builds the server with
# the `perf` profile and the browser bundle first. Arguments pick drills
# (`kill-9`, `mail-down`, `db-down`; default all). ROUNDS (20) and BURST (24) size the
# kill -9 drill. Writes bench/results/faults.md. Takes about 10 minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test >/dev/null
source scripts/env.sh
cargo leptos build --frontend-only >/dev/null
cargo build --profile perf -p server
# The page shell names the content-hashed bundle files from hash.txt next to the binary.
cp "${CARGO_TARGET_DIR:-target}/debug/hash.txt" "${CARGO_TARGET_DIR:-target}/perf/hash.txt"
exec python3 bench/faults.py "$@"
