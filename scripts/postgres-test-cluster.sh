# Sourced by scripts/test.sh: starts a throw-away PostgreSQL cluster in a temporary
# directory on a free loopback port, exports TEST_POSTGRES_URL, and registers
# `stop_test_postgres` for the exit trap.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ]; then
  echo "PostgreSQL server binaries not found (scripts/setup.sh --test installs them)" >&2
  return 1
fi
PG_DIR=$(mktemp -d /tmp/portal-pg.XXXXXX)
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

as_pg_owner() {
  # initdb refuses to run as root: use the postgres system user then.
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; fi
as_pg_owner "'$PG_BIN/initdb' -D '$PG_DIR/data' -A trust -U postgres --no-sync -E UTF8 >'$PG_DIR/initdb.log' 2>&1"
as_pg_owner "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -o \"-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start >/dev/null"

export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
echo "[test] PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') running on port $PG_PORT ($PG_DIR)"

stop_test_postgres() {
  as_pg_owner "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m fast -w stop >/dev/null 2>&1" || true
  rm -rf "$PG_DIR"
}
