#!/usr/bin/env bash
# Fault drills (bench/faults.py): kill -9 during registrations (SQLite and PostgreSQL),
# the SMTP server down, PostgreSQL down under a running server. Builds the server with
# the `perf` profile and the browser bundle first. Arguments pick drills
# (`kill-9`, `mail-down`, `db-down`; default all). ROUNDS (20) and BURST (24) size the
# kill -9 drill. Writes bench/results/faults.md. Takes about 10 minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/perf-build.sh
exec python3 bench/faults.py "$@"
