#!/usr/bin/env bash
# Two server instances behind nginx (Debian's, round robin, no sticky sessions) on one
# PostgreSQL, started at the same moment on an empty database:
#   - both start (the migrations run once: sqlx takes an advisory lock; the demo data is
#     made by one of them);
#   - the browser journeys (registration, confirmation, second factor, activation,
#     profile, postbox, appointments: end2end/multi.config.ts) pass through nginx;
#   - requests landed on both instances (nginx's log names the upstream of each);
#   - every mail and SMS the outbox recorded as sent reached the sink exactly once,
#     although both instances run the outbox and reminder loops.
# Writes bench/results/multi-instance.md. About 6 minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nginx >/dev/null || { apt-get install -y nginx-light >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y nginx-light >/dev/null); }
source bench/perf-build.sh
TARGET=${CARGO_TARGET_DIR:-target}
SERVER_BIN=$TARGET/perf/server

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
WORK=$(mktemp -d /tmp/portal-multi.XXXXXX)
chmod 755 "$WORK"
PIDS=()
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$WORK/pg/data' -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PG_PORT=$(free_port); SMTP_PORT=$(free_port); SINK_HTTP=$(free_port); A_PORT=$(free_port); B_PORT=$(free_port); PROXY_PORT=$(free_port)
mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
su postgres -s /bin/sh -c "'$PG_BIN/initdb' -D '$WORK/pg/data' -A trust -U postgres -E UTF8" >/dev/null
su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$WORK/pg/data' -l '$WORK/pg/log' -w -o \"-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1\" start" >/dev/null
DB="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

SMTP_SINK_PORT=$SMTP_PORT SMTP_SINK_HTTP_PORT=$SINK_HTTP node end2end/support/smtp-sink.mjs &
PIDS+=($!)

mkdir -p "$WORK/nginx-temp" && chmod 777 "$WORK/nginx-temp"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  log_format upstream '\$upstream_addr \$status "\$request"';
  access_log $WORK/nginx-access.log upstream;
  client_body_temp_path $WORK/nginx-temp/body;
  proxy_temp_path $WORK/nginx-temp/proxy;
  fastcgi_temp_path $WORK/nginx-temp/fastcgi;
  uwsgi_temp_path $WORK/nginx-temp/uwsgi;
  scgi_temp_path $WORK/nginx-temp/scgi;
  client_max_body_size 60m;
  upstream portal { server 127.0.0.1:$A_PORT; server 127.0.0.1:$B_PORT; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
NGINX
nginx -p "$WORK" -c "$WORK/nginx.conf"

BASE="http://localhost:$PROXY_PORT"
start_instance() {
  APP_ENV=development DATABASE_URL="$DB" BIND_ADDR="127.0.0.1:$1" PUBLIC_URL="$BASE" DEMO_SEED=true \
    TRUSTED_PROXIES=127.0.0.1/32 LEPTOS_SITE_ROOT="$TARGET/site" SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" \
    SMS_GATEWAY_URL="http://127.0.0.1:$SINK_HTTP/sms" SMS_GATEWAY_AUTHORIZATION="Bearer e2e" RUST_LOG=warn \
    "$SERVER_BIN" serve >"$WORK/instance-$2.log" 2>&1 &
  PIDS+=($!)
}
# The same moment, the same empty database.
start_instance "$A_PORT" a
start_instance "$B_PORT" b
for port in "$A_PORT" "$B_PORT"; do
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "instance on $port did not start" >&2; cat "$WORK"/instance-*.log >&2; exit 1; }
done

STARTED=$SECONDS
status=0
MULTI_BASE_URL=$BASE E2E_PUBLIC_URL=$BASE E2E_DATABASE_URL=$DB SMTP_SINK_PORT=$SMTP_PORT SMTP_SINK_HTTP_PORT=$SINK_HTTP \
  npx playwright test --config end2end/multi.config.ts >"$WORK/playwright.log" 2>&1 || status=$?
TOOK=$(( SECONDS - STARTED ))
# Let the loops of both instances finish what is due.
sleep 5

psql_q() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -At -c "$1"; }
to_a=$(grep -c "127.0.0.1:$A_PORT " "$WORK/nginx-access.log" || true)
to_b=$(grep -c "127.0.0.1:$B_PORT " "$WORK/nginx-access.log" || true)
mails_sent=$(psql_q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND sent_at IS NOT NULL")
sms_sent=$(psql_q "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND sent_at IS NOT NULL")
mails_received=$(curl -fs "http://127.0.0.1:$SINK_HTTP/messages" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
sms_received=$(curl -fs "http://127.0.0.1:$SINK_HTTP/sms" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
migrations=$(psql_q "SELECT COUNT(*) || ' applied, ' || COUNT(DISTINCT version) || ' distinct' FROM _sqlx_migrations")
passed=$(grep -oE '[0-9]+ passed' "$WORK/playwright.log" | head -n 1 || true)
failed=$(grep -oE '[0-9]+ failed' "$WORK/playwright.log" | head -n 1 || true)

{
  echo "# Two instances behind nginx on one PostgreSQL"
  echo
  echo "\`bench/multi-instance.sh\`, $(date -u +%Y-%m-%d): nginx $(nginx -v 2>&1 | cut -d/ -f2) round robin without sticky sessions in front of two \`perf\` builds of the server started at the same moment on an empty PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') database."
  echo
  echo "| Check | Result |"
  echo "|---|---|"
  echo "| Browser journeys through nginx (registration, confirmation, second factor, activation, profile, postbox, appointments) | ${passed:-0 passed}${failed:+, $failed} in $TOOK s |"
  echo "| Requests served by instance A / B | $to_a / $to_b |"
  echo "| Mails: sent according to the outbox / received by the SMTP sink | $mails_sent / $mails_received |"
  echo "| SMS: sent according to the outbox / received by the gateway | $sms_sent / $sms_received |"
  echo "| Migrations after both started together | $migrations |"
} >bench/results/multi-instance.md
cat bench/results/multi-instance.md
[ "$status" = 0 ] || { tail -n 60 "$WORK/playwright.log"; exit 1; }
[ "$to_a" -gt 0 ] && [ "$to_b" -gt 0 ] || { echo "one instance got no requests" >&2; exit 1; }
[ "$mails_sent" = "$mails_received" ] && [ "$sms_sent" = "$sms_received" ] || { echo "a mail or SMS went out twice or not at all" >&2; exit 1; }
