#!/usr/bin/env bash
# Request-level abuse suite (bench/abuse.py): oversized and never-ending bodies,
# malformed forms and JSON, wrong content types, hostile upload file names and
# subjects, 10,000 random paths (RANDOM_PATHS). No 5xx, no hang, no panic in the log.
# Writes bench/results/abuse.md. A few minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test >/dev/null
source scripts/env.sh
cargo leptos build --frontend-only >/dev/null
cargo build --profile perf -p server
# The page shell names the content-hashed bundle files from hash.txt next to the binary.
cp "${CARGO_TARGET_DIR:-target}/debug/hash.txt" "${CARGO_TARGET_DIR:-target}/perf/hash.txt"
cargo build --profile perf -p app --features ssr --example bench_seed
exec python3 bench/abuse.py "$@"
