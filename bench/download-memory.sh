#!/usr/bin/env bash
# Peak memory of the server while 20 clients download a 10 MB document at once.
#
#   1. builds the server with the `perf` profile, starts it on a fresh SQLite database;
#   2. creates a staff account with the operator command, sets its password, signs in
#      with an authenticator-app code (computed here), creates a client record and sends
#      it a 10 MB PDF through the desk's upload form;
#   3. runs wrk with 20 connections downloading that file for 20 s, and reads the
#      server's resident memory before, during (sampled every 0.2 s) and its peak
#      (VmHWM from /proc) afterwards.
# Writes bench/results/download-memory.md. Not part of `make test`. Bar: peak < 200 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null); }

PORT=${BENCH_PORT:-3191}
DURATION=${BENCH_SECONDS:-20}
CLIENTS=${BENCH_CLIENTS:-20}
DATA=$(mktemp -d /tmp/portal-bench.XXXXXX)
BASE="http://localhost:$PORT"
OUT=bench/results/download-memory.md
TARGET=${CARGO_TARGET_DIR:-target}
PASSWORD='Kx9!vTq2#mLpW'
STAFF=bench.staff@example.org

cargo leptos build --frontend-only >/dev/null
cargo build --profile perf -p server
# The page shell names the content-hashed bundle files from hash.txt next to the binary.
cp "${CARGO_TARGET_DIR:-target}/debug/hash.txt" "${CARGO_TARGET_DIR:-target}/perf/hash.txt"

export APP_ENV=development DATABASE_URL="sqlite://$DATA/bench.db" BIND_ADDR="127.0.0.1:$PORT" PUBLIC_URL="$BASE" \
  LEPTOS_SITE_ROOT="$TARGET/site" RUST_LOG=warn
"$TARGET/perf/server" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done

api() { curl -fs -X POST "$BASE/api/$1" -H "Origin: $BASE" "${@:2}"; }
session_of() { grep -i '^set-cookie: session=' "$1" | tail -n 1 | sed -E 's/^[^:]+: (session=[^;]+).*/\1/I' | tr -d '\r'; }

# Staff account (demo seed made "Jobcenter Musterstadt"), password, sign-in, TOTP.
LINK=$("$TARGET/perf/server" admin create-staff --job-centre "Jobcenter Musterstadt" --email "$STAFF" --name "Bench" | grep -oE 'token=[A-Za-z0-9_-]+' | head -n 1 | cut -d= -f2)
api auth/reset-password --data-urlencode "token=$LINK" --data-urlencode "password=$PASSWORD" --data-urlencode "password_repeat=$PASSWORD" >/dev/null
api auth/sign-in -D "$DATA/h1" --data-urlencode "email=$STAFF" --data-urlencode "password=$PASSWORD" >/dev/null
COOKIE=$(session_of "$DATA/h1")
SECRET=$(api mfa/totp-start -H "Cookie: $COOKIE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret_grouped"].replace(" ",""))')
CODE=$(python3 - "$SECRET" <<'PY'
import base64, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
offset = digest[-1] & 15
print("%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
)
api mfa/totp-confirm -D "$DATA/h2" -H "Cookie: $COOKIE" --data-urlencode "code=$CODE" >/dev/null
COOKIE=$(session_of "$DATA/h2")

# A client and a 10 MB PDF sent to it.
CLIENT=$(api staff/create-client -H "Cookie: $COOKIE" --data-urlencode customer_number=BENCH-1 --data-urlencode salutation=frau \
  --data-urlencode given_name=Erika --data-urlencode family_name=Bench --data-urlencode birth_date=1984-08-12 \
  --data-urlencode "street=Weg 1" --data-urlencode postcode=12345 --data-urlencode city=Musterstadt --data-urlencode mobile= \
  | grep -oE '/intern/kunden/[0-9]+' | grep -oE '[0-9]+$')
{ printf '%%PDF-1.4\n'; head -c $((10 * 1024 * 1024 - 9)) /dev/urandom; } >"$DATA/bescheid.pdf"
curl -fs -o /dev/null -X POST "$BASE/intern/kunden/$CLIENT/senden" -H "Origin: $BASE" -H "Cookie: $COOKIE" \
  -F kind=bescheid -F "subject=Bescheid" -F "body=Benchmark" -F "file=@$DATA/bescheid.pdf;type=application/pdf"
FILE=$(api staff/postbox -H "Cookie: $COOKIE" --data-urlencode "client_id=$CLIENT" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["item"]["attachments"][0]["id"])')
curl -fs -H "Cookie: $COOKIE" "$BASE/dateien/$FILE" | cmp - "$DATA/bescheid.pdf"

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER/status"; }
BEFORE=$(rss_kb)
( while kill -0 $SERVER 2>/dev/null; do rss_kb; sleep 0.2; done ) >"$DATA/rss" &
SAMPLER=$!
WRK=$(wrk -t 2 -c "$CLIENTS" -d "${DURATION}s" --timeout 30s -H "Cookie: $COOKIE" "$BASE/dateien/$FILE")
kill $SAMPLER 2>/dev/null || true
PEAK_SAMPLED=$(sort -n "$DATA/rss" | tail -n 1)
HWM=$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER/status")
REQUESTS=$(echo "$WRK" | awk '/requests in/ { print $1 }')
THROUGHPUT=$(echo "$WRK" | awk '/Transfer\/sec/ { print $2 }')

{
  echo "# Memory while downloading"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, server built with the \`perf\` profile, SQLite. One 10 MB PDF (stored in 256 KiB chunks), $CLIENTS concurrent wrk connections downloading it for ${DURATION} s with a staff session."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Resident memory before | $((BEFORE / 1024)) MB |"
  echo "| Highest resident memory sampled during the run (every 0.2 s) | $((PEAK_SAMPLED / 1024)) MB |"
  echo "| Peak resident memory of the process (VmHWM, whole life incl. the upload) | $((HWM / 1024)) MB |"
  echo "| Complete downloads | $REQUESTS |"
  echo "| Throughput | $THROUGHPUT/s |"
  echo
  echo "Bar: peak below 200 MB. Each download holds one chunk at a time; the upload is written chunk by chunk inside its transaction."
} >"$OUT"
cat "$OUT"
