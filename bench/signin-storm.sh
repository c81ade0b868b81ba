#!/usr/bin/env bash
# Sign-in throughput and the latency of the start page during a sign-in storm.
#
#   1. builds the server with the `perf` profile (release optimisation, no LTO) and the
#      browser bundle, starts it on a fresh SQLite database (mails stay in the preview);
#   2. registers and confirms one account;
#   3. runs wrk against POST /api/auth/sign-in with 2, 8 and 32 concurrent clients
#      (correct password: every request is one Argon2id verification, a session insert
#      and an audit entry) and, during the 32-client storm, a second wrk that measures
#      GET / with one client;
#   4. measures the time of one Argon2id hash (m = 19 MiB, t = 2, p = 1).
# Writes bench/results/signin-storm.md. Not part of `make test` (it takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null); }

PORT=${BENCH_PORT:-3190}
DURATION=${BENCH_SECONDS:-20}
DATA=$(mktemp -d /tmp/portal-bench.XXXXXX)
BASE="http://localhost:$PORT"
OUT=bench/results/signin-storm.md
TARGET=${CARGO_TARGET_DIR:-target}

cargo leptos build --frontend-only >/dev/null
cargo build --profile perf -p server
# The page shell names the content-hashed bundle files from hash.txt next to the binary.
cp "${CARGO_TARGET_DIR:-target}/debug/hash.txt" "${CARGO_TARGET_DIR:-target}/perf/hash.txt"
cargo build --profile perf -p app --features ssr --example argon2_time

APP_ENV=development DATABASE_URL="sqlite://$DATA/bench.db" BIND_ADDR="127.0.0.1:$PORT" PUBLIC_URL="$BASE" \
  LEPTOS_SITE_ROOT="$TARGET/site" RUST_LOG=warn "$TARGET/perf/server" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done

EMAIL=bench@example.org
PASSWORD='Kx9!vTq2#mLpW'
curl -fs -X POST "$BASE/api/auth/register" -H "Origin: $BASE" \
  --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" --data-urlencode "password_repeat=$PASSWORD" \
  --data-urlencode accept_terms=on --data-urlencode consent_email=on >/dev/null
sleep 1
TOKEN=$(curl -fs -X POST "$BASE/api/dev/mails" -H "Origin: $BASE" | grep -oE 'token=[A-Za-z0-9_-]+' | head -n 1 | cut -d= -f2)
curl -fs -X POST "$BASE/api/auth/confirm-email" -H "Origin: $BASE" --data-urlencode "token=$TOKEN" | grep -q Valid

cat >"$DATA/signin.lua" <<LUA
wrk.method = "POST"
wrk.headers["Origin"] = "$BASE"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "email=bench%40example.org&password=Kx9%21vTq2%23mLpW"
LUA

run_storm() { wrk -t 2 -c "$1" -d "${DURATION}s" --latency -s "$DATA/signin.lua" "$BASE/api/auth/sign-in"; }
field() { awk -v k="$1" '$1 == k { print $2 }'; }

{
  echo "# Sign-in storm"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), server built with the \`perf\` profile, SQLite, ${DURATION} s per run. Every request signs in with the correct password (Argon2id m = 19 MiB, t = 2, p = 1; hashing limited to $(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 )) at a time)."
  echo
  echo "| Concurrent clients | Sign-ins/s | p50 | p99 |"
  echo "|---:|---:|---:|---:|"
} >"$OUT"

for clients in 2 8 32; do
  if [ "$clients" = 32 ]; then
    (sleep 3; wrk -t 1 -c 1 -d "$(( DURATION - 6 ))s" --latency "$BASE/" >"$DATA/home.txt") &
    HOME_WRK=$!
  fi
  run_storm "$clients" >"$DATA/storm-$clients.txt"
  [ "$clients" = 32 ] && wait $HOME_WRK
  rps=$(field "Requests/sec:" <"$DATA/storm-$clients.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$DATA/storm-$clients.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$DATA/storm-$clients.txt")
  echo "| $clients | $rps | $p50 | $p99 |" >>"$OUT"
done

home_p50=$(awk '$1 == "50%" { print $2 }' "$DATA/home.txt")
home_p99=$(awk '$1 == "99%" { print $2 }' "$DATA/home.txt")
home_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$DATA/home.txt")
{
  echo
  echo "**GET / during the 32-client storm** (one client, ${DURATION} s minus warm-up): p50 $home_p50, p99 **$home_p99**, $home_rps requests/s. Target: p99 ≤ 50 ms."
  echo
  echo "Argon2id time per hash (one thread, same parameters): $("$TARGET/perf/examples/argon2_time" 2>/dev/null || echo 'n/a')."
  echo
  echo "Raw wrk output: storm runs and the GET / run below."
  echo
  echo '```'
  cat "$DATA"/storm-*.txt "$DATA/home.txt"
  echo '```'
} >>"$OUT"
cat "$OUT"
