#!/usr/bin/env bash
# Runs the race suite (`server/tests/it/races.rs`: every limiter hammered with >= 50 parallel
# requests over two server instances, on SQLite and PostgreSQL) ROUNDS times in a row and
# prints one markdown table: per test and database, how many rounds passed and failed. A flaky limit shows up as a round that failed.
#
#   bench/races-loop.sh            # 20 rounds
#   ROUNDS=50 bench/races-loop.sh
#
# Writes bench/results/races-loop.md. Not part of `make test` (about 20 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test >/dev/null
source scripts/env.sh

ROUNDS=${ROUNDS:-20}
OUT=bench/results/races-loop.md
LOG=$(mktemp -d /tmp/portal-races.XXXXXX)

cleanup() { type stop_test_postgres >/dev/null 2>&1 && stop_test_postgres; }
trap cleanup EXIT
source scripts/postgres-test-cluster.sh

cargo test --locked -p server --test it --no-run >/dev/null 2>&1

for round in $(seq 1 "$ROUNDS"); do
  # One test at a time: each test starts two servers and fires its own bursts.
  if cargo test --locked -p server --test it races:: -- --test-threads=1 >"$LOG/round-$round.txt" 2>&1; then
    echo "round $round: passed"
  else
    echo "round $round: FAILED (see $LOG/round-$round.txt)"
  fi
done

python3 - "$LOG" "$ROUNDS" "$OUT" <<'PY'
import pathlib, re, sys
log, rounds, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
passed, failed = {}, {}
for f in sorted(log.glob("round-*.txt")):
    for line in f.read_text(errors="replace").splitlines():
        m = re.match(r"test (\S+) \.\.\. (ok|FAILED)", line)
        if m:
            name, result = m.groups()
            (passed if result == "ok" else failed).setdefault(name, 0)
            (passed if result == "ok" else failed)[name] += 1
names = sorted(set(passed) | set(failed))
lines = [f"# Race suite, {rounds} rounds", "",
         "`bench/races-loop.sh`: `server/tests/it/races.rs` run again and again; each test fires",
         ">= 50 parallel requests at two server instances on one database.", "",
         "| Test | Database | Passed | Failed |", "|---|---|---:|---:|"]
for name in names:
    db, test = name.split("::", 1)
    lines.append(f"| `{test}` | {db} | {passed.get(name, 0)} | {failed.get(name, 0)} |")
total_failed = sum(failed.values())
lines += ["", f"Rounds: {rounds}; failed test runs: {total_failed}."]
pathlib.Path(out).write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY
