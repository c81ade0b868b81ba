#!/usr/bin/env bash
# Page throughput and latency against the ceiling of the same server, on SQLite and on
# PostgreSQL, in one run.
#
#   1. builds the browser bundle, the server with the `perf` profile (release
#      optimisation, no LTO) and the seeding tool (app/examples/bench_seed.rs);
#   2. for each database: a fresh database (PostgreSQL: a throw-away cluster with its
#      default durability, fsync on), seeded with a job centre of CLIENTS clients (1,000),
#      a staff member and a citizen with ITEMS postbox items (20), both signed in;
#   3. wrk, SECONDS per cell (6), at 1 / 8 / 64 connections against the static
#      stylesheet (the ceiling: a file from memory), GET /, GET /anmelden, the citizen's
#      GET /postfach and the staff desk GET /intern (the first 100 of the clients).
# Writes bench/results/pages.md. Not part of `make test` (it takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null); }

PORT=${BENCH_PORT:-3191}
SECONDS_PER_CELL=${BENCH_SECONDS:-6}
CLIENTS=${CLIENTS:-1000}
ITEMS=${ITEMS:-20}
BASE="http://localhost:$PORT"
OUT=bench/results/pages.md
TARGET=${CARGO_TARGET_DIR:-target}
WORK=$(mktemp -d /tmp/portal-pages.XXXXXX)
chmod 755 "$WORK"
SERVER=""
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  if [ -d "$WORK/pg" ]; then su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$WORK/pg/data' -m fast -w stop" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

source bench/perf-build.sh seed

start_postgres() {
  mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
  su postgres -s /bin/sh -c "'$PG_BIN/initdb' -D '$WORK/pg/data' -A trust -U postgres -E UTF8" >/dev/null
  su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$WORK/pg/data' -l '$WORK/pg/log' -w -o \"-p 55499 -k $WORK/pg -c listen_addresses=127.0.0.1\" start" >/dev/null
  echo "postgres://postgres@127.0.0.1:55499/postgres"
}

# One cell: "requests/s p50 p99" of wrk against $1 with $2 connections.
cell() {
  local url=$1 connections=$2 out
  out=$(wrk -t "$(( connections < 2 ? 1 : 2 ))" -c "$connections" -d "${SECONDS_PER_CELL}s" --latency -H "Cookie: $COOKIE" "$BASE$url")
  printf '%s %s %s' \
    "$(awk '$1 == "Requests/sec:" { printf "%d", $2 }' <<<"$out")" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$out")" \
    "$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  # Any answer but 2xx/3xx makes the cell meaningless: say so.
  if grep -q "Non-2xx or 3xx responses" <<<"$out"; then printf ' (errors: %s)' "$(awk '/Non-2xx/ { print $5 }' <<<"$out")"; fi
}

{
  echo "# Pages against the static ceiling"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), server built with the \`perf\` profile, wrk with 2 threads on the same machine, ${SECONDS_PER_CELL} s per cell. Each cell: requests/s, p50 / p99. The job centre has $CLIENTS clients; the citizen's postbox holds $ITEMS items. \"of static\" is the page's throughput at 64 connections as a share of the stylesheet's in the same run."
} >"$OUT"

for DB in sqlite postgres; do
  case $DB in
    sqlite) URL="sqlite://$WORK/bench.db" ;;
    postgres) URL=$(start_postgres) ;;
  esac
  SEED=$(DATABASE_URL="$URL" CLIENTS=$CLIENTS ITEMS=$ITEMS "$TARGET/perf/examples/bench_seed")
  STAFF=$(sed -n 's/^STAFF_SESSION=//p' <<<"$SEED")
  CITIZEN=$(sed -n 's/^CITIZEN_SESSION=//p' <<<"$SEED")
  APP_ENV=development DATABASE_URL="$URL" BIND_ADDR="127.0.0.1:$PORT" PUBLIC_URL="$BASE" DEMO_SEED=false \
    LEPTOS_SITE_ROOT="$TARGET/site" RUST_LOG=warn "$TARGET/perf/server" serve >"$WORK/server-$DB.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 150); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done
  CSS=$(curl -fs "$BASE/anmelden" | grep -oE '/pkg/portal[^"]*\.css' | head -n 1)
  # The signed-in pages must answer 200 (not a redirect to the sign-in page).
  for check in "/postfach session=$CITIZEN" "/intern session=$STAFF"; do
    set -- $check
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $2" "$BASE$1")
    [ "$code" = 200 ] || { echo "$1 answered $code with the seeded session" >&2; cat "$WORK/server-$DB.log" >&2; exit 1; }
  done
  {
    echo
    echo "## $([ $DB = sqlite ] && echo SQLite || echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')")"
    echo
    echo "| Path | 1 connection | 8 connections | 64 connections | of static |"
    echo "|---|---:|---:|---:|---:|"
  } >>"$OUT"
  ceiling=""
  for row in "$CSS|" "/|" "/anmelden|" "/postfach|session=$CITIZEN" "/intern|session=$STAFF"; do
    path=${row%%|*}
    COOKIE=${row#*|}
    [ -n "$COOKIE" ] || COOKIE="x=y"
    line="| \`GET ${path/$CSS//pkg/portal.css}\`"
    for connections in 1 8 64; do
      read -r rps p50 p99 rest <<<"$(cell "$path" "$connections")"
      line="$line | $rps · $p50 / $p99 ${rest:-}"
      [ "$connections" = 64 ] && top=$rps
    done
    [ -z "$ceiling" ] && ceiling=$top
    echo "$line | $(( top * 100 / ceiling )) % |" >>"$OUT"
  done
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER/status")
  echo >>"$OUT"
  echo "Peak resident memory of the server after the run: $(( rss / 1024 )) MB." >>"$OUT"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
done
cat "$OUT"
