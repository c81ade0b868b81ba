#!/usr/bin/env bash
# Memory and the sign-in storm (bench/memory.py): resident memory idle, after 10,000
# mixed requests, at its peak during a sign-in storm and during 20 parallel 10 MB
# downloads; the Argon2 share of CPU and the p99 of GET / during the storm. Builds the
# server and the seeding tool with the `perf` profile first. Writes
# bench/results/memory.md. Takes about 2 minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null); }
command -v perf >/dev/null || apt-get install -y linux-perf >/dev/null 2>&1 || true
source bench/perf-build.sh seed
exec python3 bench/memory.py "$@"
