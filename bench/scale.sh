#!/usr/bin/env bash
# Scale with data (bench/scale.py): the citizen's postbox and the staff search with
# 100 / 10,000 / 1,000,000 rows on SQLite and PostgreSQL, and EXPLAIN of every hot query.
# Builds the server and the seeding tool with the `perf` profile first. SIZES ("100 10000
# 1000000") and SECONDS (5 per cell) size it. Writes bench/results/scale.md. Takes about
# 10 minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null); }
source bench/perf-build.sh seed
exec python3 bench/scale.py "$@"
