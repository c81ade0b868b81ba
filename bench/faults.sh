#!/usr/bin/env bash
# Fault drills (bench/faults.py): kill -9 during registrations, postbox sends with uploads
# and activation-code redemptions (SQLite and PostgreSQL), the SMTP server down,
# PostgreSQL down under a running server. Builds the server and the seeding tool with the
# `perf` profile and the browser bundle first. Arguments pick drills (`kill-9`,
# `mail-down`, `db-down`; default all). ROUNDS (20), BURST (24), SENDS (8) and REDEEMS (4)
# size the kill -9 drill. Writes bench/results/faults.md. Takes about 10 minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/perf-build.sh seed
exec python3 bench/faults.py "$@"
