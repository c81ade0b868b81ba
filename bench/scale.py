#!/usr/bin/env python3
"""Scale with data: the citizen's postbox and the staff search with 100 / 10,000 /
1,000,000 rows, on SQLite and PostgreSQL, and the query plan of every hot query.

Run through `bench/scale.sh` (which builds what it needs). For each database and size N
the seeding tool (app/examples/bench_seed.rs) makes a fresh database with N client
records and N postbox items of other clients (the citizen's own postbox holds ITEMS,
20, whatever N); then wrk measures, with one connection for SECONDS (5) each, the
signed-in postbox page, the desk's first view (the first 100 records by name) and three
searches: a rare name ("name4711"), a customer number ("lt99") and a word that begins
every record ("vorname"). The cost must follow the page, not N. Afterwards EXPLAIN (on
PostgreSQL after ANALYZE) shows each hot query's plan at the largest N.
Writes bench/results/scale.md.
"""

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import shutil
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faults import Postgres, free_port, request, wait_until, TARGET, SERVER_BIN  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [int(n) for n in os.environ.get("SIZES", "100 10000 1000000").split()]
SECONDS = int(os.environ.get("SECONDS", "5"))
ITEMS = 20

PAGES = [
    ("`/postfach` (citizen, 20 own items)", "/postfach", "CITIZEN_SESSION"),
    ("`/intern` (desk, first 100 by name)", "/intern", "STAFF_SESSION"),
    ("search a rare name `name4711`", "/intern?suche=name4711", "STAFF_SESSION"),
    ("search a customer number `lt99`", "/intern?suche=lt99", "STAFF_SESSION"),
    ("search a word every record begins `vorname`", "/intern?suche=vorname", "STAFF_SESSION"),
]

# The hot queries as the server sends them (placeholders filled with typical values).
HOT = [
    ("session check (every signed-in request)",
     "SELECT s.id, s.account_id, s.created_at, s.last_seen_at, s.stage, s.verified_at, a.email "
     "FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = 'x'"),
    ("postbox page",
     "SELECT i.id, i.subject, o.sent_at FROM postbox_items i LEFT JOIN outbox o ON o.id = i.notification_outbox_id "
     "WHERE i.client_id = {client} AND i.channel = 'online' AND ('' = '' OR i.kind = '') ORDER BY i.id DESC LIMIT 20 OFFSET 0"),
    ("postbox counts (all and unopened, one query)",
     "SELECT COUNT(CASE WHEN '' = '' OR kind = '' THEN 1 END), COUNT(CASE WHEN direction = 'to_citizen' AND opened_at IS NULL THEN 1 END) "
     "FROM postbox_items WHERE client_id = {client} AND channel = 'online'"),
    ("unread count (the header)",
     "SELECT COUNT(*) FROM postbox_items WHERE client_id = {client} AND channel = 'online' AND direction = 'to_citizen' AND opened_at IS NULL"),
    ("files of a page of items",
     "SELECT item_id, file_id FROM postbox_attachments WHERE item_id IN (1, 2, 3) ORDER BY item_id, position"),
    ("desk list / unselective search (walks the name index)",
     "SELECT id, family_name FROM clients WHERE job_centre_id = {centre} AND (' ' || search_key) LIKE '% vorname%' "
     "ORDER BY family_name, given_name, id LIMIT 100"),
    ("how many words begin with the query",
     "SELECT COUNT(*) FROM (SELECT 1 FROM client_search_words WHERE job_centre_id = {centre} "
     "AND word >= 'name4711' AND word < 'name4711\U0010ffff' LIMIT 2001) AS hits"),
    ("selective search (word index)",
     "SELECT id, family_name FROM clients WHERE +job_centre_id = {centre} AND id IN (SELECT client_id FROM client_search_words WHERE job_centre_id = {centre} "
     "AND word >= 'name4711' AND word < 'name4711\U0010ffff') AND (' ' || search_key) LIKE '% name4711%' "
     "ORDER BY family_name, given_name, id LIMIT 100"),
    ("unlocked profiles of a page of records",
     "SELECT client_id, created_at FROM profiles WHERE client_id IN (1, 2, 3)"),
]


def wrk(base, path, cookie):
    out = subprocess.run(
        ["wrk", "-t", "1", "-c", "1", "-d", f"{SECONDS}s", "--latency", "-H", f"Cookie: session={cookie}", base + path],
        check=True, capture_output=True, text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return f"{float(rate):,.0f}/s, {p50} / {p99}" + (f" (errors: {errors.group(1)})" if errors else "")


def explain(kind, db, sql):
    if kind == "sqlite":
        with sqlite3.connect(db) as conn:
            rows = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        return "\n".join(f"{'  ' * (0 if r[1] == 0 else 1)}{r[3]}" for r in rows)
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(db.port), "-U", "postgres", "-At", "-c", "EXPLAIN " + sql],
        check=True, capture_output=True, text=True,
    ).stdout
    # Costs change with every run; the plan's shape is what matters.
    return "\n".join(re.sub(r"\s+\(cost=.*\)$", "", line) for line in out.splitlines())


def main():
    work = tempfile.mkdtemp(prefix="portal-scale.")
    shutil.chown(work, "postgres")
    os.chmod(work, 0o755)
    table = {}
    plans = {}
    try:
        for kind in ["sqlite", "postgres"]:
            for n in SIZES:
                pg = None
                if kind == "postgres":
                    pg = Postgres(os.path.join(work, f"pg{n}"))
                    pg.start()
                    url, db = pg.url, pg
                else:
                    path = os.path.join(work, f"scale{n}.db")
                    url, db = f"sqlite://{path}", path
                started = time.time()
                seed = subprocess.run(
                    [os.path.join(TARGET, "perf", "examples", "bench_seed")],
                    env=dict(os.environ, DATABASE_URL=url, CLIENTS=str(n), ITEMS=str(ITEMS), BACKGROUND_ITEMS=str(n)),
                    check=True, capture_output=True, text=True,
                ).stdout
                seeded = time.time() - started
                sessions = dict(line.split("=", 1) for line in seed.split())
                if pg:
                    pg.query("ANALYZE")
                port = free_port()
                base = f"http://localhost:{port}"
                log = open(os.path.join(work, f"server-{kind}-{n}.log"), "w")
                server = subprocess.Popen(
                    [SERVER_BIN, "serve"],
                    env=dict(os.environ, APP_ENV="development", DATABASE_URL=url, BIND_ADDR=f"127.0.0.1:{port}", PUBLIC_URL=base,
                             DEMO_SEED="false", LEPTOS_SITE_ROOT=os.path.join(TARGET, "site"), RUST_LOG="warn"),
                    stdout=log, stderr=log,
                )
                try:
                    wait_until(lambda: request(base + "/readyz")[0] == 200, 120, "the server starts")
                    for label, path, who in PAGES:
                        status = request(base + path, headers={"Cookie": f"session={sessions[who]}"})[0]
                        if status != 200:
                            raise SystemExit(f"FAILED: {path} answered {status} with {n} rows on {kind}")
                        table[(label, kind, n)] = wrk(base, path, sessions[who])
                    print(f"{kind} {n}: seeded in {seeded:.0f} s, measured", flush=True)
                    if n == SIZES[-1]:
                        ids = {"client": 1, "centre": 1}
                        for label, sql in HOT:
                            plans[(label, kind)] = explain(kind, db, sql.format(**ids))
                finally:
                    server.terminate()
                    server.wait(20)
                    if pg:
                        pg.stop()
                    elif os.path.exists(path):
                        os.remove(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = os.path.join(ROOT, "bench", "results", "scale.md")
    with open(out, "w") as f:
        f.write("# Scale with data\n\n")
        f.write(f"`bench/scale.sh`, {time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, server built with the `perf` "
                f"profile, wrk with one connection for {SECONDS} s per cell: requests/s, p50 / p99. N client records and N postbox "
                f"items of other clients; the citizen's own postbox holds {ITEMS} items at every N.\n\n")
        header = " | ".join(f"{kind} {n:,}" for kind in ["sqlite", "postgres"] for n in SIZES)
        f.write(f"| Page | {header} |\n|---|{'---|' * (2 * len(SIZES))}\n")
        for label, _, _ in PAGES:
            cells = " | ".join(table[(label, kind, n)] for kind in ["sqlite", "postgres"] for n in SIZES)
            f.write(f"| {label} | {cells} |\n")
        f.write(f"\n## Query plans at {SIZES[-1]:,} rows\n\n")
        for label, _ in HOT:
            f.write(f"**{label}**\n\n```\nSQLite:\n{plans[(label, 'sqlite')]}\n\nPostgreSQL:\n{plans[(label, 'postgres')]}\n```\n\n")
    print(open(out).read())


if __name__ == "__main__":
    main()
