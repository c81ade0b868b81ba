#!/usr/bin/env bash
# Request-level abuse suite (bench/abuse.py): oversized and never-ending bodies,
# malformed forms and JSON, wrong content types, hostile upload file names and
# subjects, 10,000 random paths (RANDOM_PATHS). No 5xx, no hang, no panic in the log.
# Writes bench/results/abuse.md. A few minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/perf-build.sh seed
exec python3 bench/abuse.py "$@"
