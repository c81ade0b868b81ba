#!/usr/bin/env python3
"""Fault drills against the real server binary, a real SMTP sink and real databases.

Run through `bench/faults.sh` (which builds what it needs). Each drill prints what it
saw and fails loudly when a promise is broken; the summary goes to
bench/results/faults.md.

  kill-9    ROUNDS (20) rounds per database: a burst of parallel registrations, the
            server killed with SIGKILL in the middle, restarted. Afterwards every
            registration that was answered "Registered" exists exactly once, every
            account is whole (two consents, one confirmation link, one mail in the
            outbox), and every account's confirmation mail reaches the SMTP sink.
  mail-down The SMTP sink is stopped while people register: pages keep answering, the
            mails wait in the outbox and go out once each after the sink is back.
  db-down   PostgreSQL is stopped under a running server: /readyz answers 503, pages
            answer with the friendly error page instead of failing blank, and the
            server serves again by itself once the database is back (no restart).
"""

import concurrent.futures
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
SERVER_BIN = os.environ.get("SERVER_BIN", os.path.join(TARGET, "perf", "server"))
ROUNDS = int(os.environ.get("ROUNDS", "20"))
BURST = int(os.environ.get("BURST", "24"))
PASSWORD = "Kx9!vTq2#mLpW"
# Broken promises that do not stop the other drills (reported at the end).
FAILURES = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, data=None, headers=None, timeout=10):
    """(status, body text); status 0 when the connection failed."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, ""
    except http.client.HTTPException as e:
        # An answer cut off (e.g. fewer bytes than its Content-Length said).
        return -1, repr(e)


def wait_until(check, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise SystemExit(f"FAILED: {what} (waited {seconds} s)")


class Sink:
    """end2end/support/smtp-sink.mjs: a real SMTP server that keeps what it receives."""

    def __init__(self):
        self.smtp_port, self.http_port = free_port(), free_port()
        self.process = None

    def start(self):
        env = dict(os.environ, SMTP_SINK_PORT=str(self.smtp_port), SMTP_SINK_HTTP_PORT=str(self.http_port))
        self.process = subprocess.Popen(["node", os.path.join(ROOT, "end2end", "support", "smtp-sink.mjs")], env=env, cwd=ROOT)
        wait_until(lambda: request(f"http://127.0.0.1:{self.http_port}/health")[0] == 200, 20, "the SMTP sink starts")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def recipients(self):
        status, body = request(f"http://127.0.0.1:{self.http_port}/messages")
        if status != 200:
            return []
        return [address for message in json.loads(body) for address in message["to"]]


class Postgres:
    """A throw-away cluster with its default durability (fsync on)."""

    def __init__(self, work):
        bins = sorted(d for d in os.listdir("/usr/lib/postgresql") if os.path.isdir(f"/usr/lib/postgresql/{d}/bin"))
        self.bin = f"/usr/lib/postgresql/{bins[-1]}/bin"
        self.dir = os.path.join(work, "pg")
        self.port = free_port()
        os.makedirs(self.dir)
        shutil.chown(self.dir, "postgres")
        self.as_owner(f"'{self.bin}/initdb' -D '{self.dir}/data' -A trust -U postgres -E UTF8 >/dev/null")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def as_owner(self, command):
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True)

    def start(self):
        self.as_owner(
            f"'{self.bin}/pg_ctl' -D '{self.dir}/data' -l '{self.dir}/log' -w "
            f"-o \"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1\" start >/dev/null"
        )

    def stop(self):
        self.as_owner(f"'{self.bin}/pg_ctl' -D '{self.dir}/data' -m fast -w stop >/dev/null 2>&1 || true")

    def query(self, sql):
        out = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-At", "-F", "\t", "-c", sql],
            check=True, capture_output=True, text=True,
        ).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]


class Portal:
    def __init__(self, database_url, sink, work, name):
        self.database_url, self.sink = database_url, sink
        self.port = free_port()
        self.base = f"http://localhost:{self.port}"
        self.log = open(os.path.join(work, f"{name}.log"), "a")
        self.process = None

    def start(self):
        env = dict(
            os.environ,
            APP_ENV="development",
            DATABASE_URL=self.database_url,
            BIND_ADDR=f"127.0.0.1:{self.port}",
            PUBLIC_URL=self.base,
            LEPTOS_SITE_ROOT=os.path.join(TARGET, "site"),
            DEMO_SEED="false",
            SMTP_URL=f"smtp://127.0.0.1:{self.sink.smtp_port}",
            MAIL_LIMIT_PER_SOURCE_HOUR="1000000",
            RUST_LOG="warn",
        )
        self.process = subprocess.Popen([SERVER_BIN, "serve"], env=env, stdout=self.log, stderr=self.log)
        wait_until(lambda: request(self.base + "/readyz")[0] == 200, 60, "the server starts")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)

    def register(self, email):
        status, body = request(
            self.base + "/api/auth/register",
            {"email": email, "password": PASSWORD, "password_repeat": PASSWORD, "accept_terms": "on", "consent_email": "on"},
            {"Origin": self.base},
        )
        return status == 200 and '"Registered"' in body


def accounts_in(db, sql_sqlite, sql_pg):
    if isinstance(db, Postgres):
        return db.query(sql_pg)
    with sqlite3.connect(db) as conn:
        return [tuple(str(v) for v in row) for row in conn.execute(sql_sqlite)]


def kill9_drill(kind, work, sink, report):
    pg = None
    if kind == "postgres":
        pg = Postgres(work)
        pg.start()
        url, db = pg.url, pg
    else:
        path = os.path.join(work, "kill9.db")
        url, db = f"sqlite://{path}", path
    portal = Portal(url, sink, work, f"kill9-{kind}")
    answered = []
    killed_during = 0
    for round_no in range(ROUNDS):
        portal.start()
        emails = [f"r{round_no}-{i}-{kind}@kill9.example" for i in range(BURST)]
        with concurrent.futures.ThreadPoolExecutor(BURST) as pool:
            futures = {pool.submit(portal.register, email): email for email in emails}
            time.sleep(random.uniform(0.05, 0.6))
            portal.kill9()
            for future, email in futures.items():
                if future.result():
                    answered.append(email)
                else:
                    killed_during += 1
    portal.start()
    rows = accounts_in(
        db,
        "SELECT a.email, (SELECT COUNT(*) FROM consents c WHERE c.account_id = a.id), "
        "(SELECT COUNT(*) FROM account_tokens t WHERE t.account_id = a.id), "
        "(SELECT COUNT(*) FROM outbox o WHERE o.recipient = a.email) FROM accounts a WHERE a.email LIKE '%@kill9.example'",
        "SELECT a.email, (SELECT COUNT(*) FROM consents c WHERE c.account_id = a.id), "
        "(SELECT COUNT(*) FROM account_tokens t WHERE t.account_id = a.id), "
        "(SELECT COUNT(*) FROM outbox o WHERE o.recipient = a.email) FROM accounts a WHERE a.email LIKE '%@kill9.example'",
    )
    stored = [r[0] for r in rows]
    missing = sorted(set(answered) - set(stored))
    twice = sorted({e for e in stored if stored.count(e) > 1})
    broken = [r for r in rows if r[1:] != ("2", "1", "1")]
    if missing or twice or broken:
        raise SystemExit(f"FAILED kill-9 {kind}: missing {missing[:5]}, twice {twice[:5]}, not whole {broken[:5]}")
    # Claims of killed workers expire after outbox::CLAIM_SECONDS (120 s); then every mail goes.
    wanted = set(stored)
    wait_until(lambda: wanted <= set(sink.recipients()), 240, f"{len(wanted)} confirmation mails reach the sink")
    received = [r for r in sink.recipients() if r.endswith(f"-{kind}@kill9.example")]
    duplicates = sorted({r for r in received if received.count(r) > 1})
    portal.stop()
    if pg:
        pg.stop()
    report.append(
        f"| kill -9 during registrations, {kind} | {ROUNDS} rounds × {BURST} parallel | {len(answered)} answered \"Registered\", "
        f"{killed_during} cut off; {len(stored)} accounts stored, all whole, none twice; {len(received) - len(duplicates)} mails "
        f"received, {len(duplicates)} twice |"
    )
    if duplicates:
        FAILURES.append(f"kill-9 {kind}: {len(duplicates)} mails received twice, e.g. {duplicates[:3]}")


def mail_down_drill(work, sink, report):
    path = os.path.join(work, "mail.db")
    portal = Portal(f"sqlite://{path}", sink, work, "mail-down")
    portal.start()
    sink.stop()
    emails = [f"m{i}@maildown.example" for i in range(5)]
    registered = [e for e in emails if portal.register(e)]
    page_status = request(portal.base + "/anmelden")[0]
    time.sleep(3)
    pending = accounts_in(path, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND recipient LIKE '%@maildown.example'", "")[0][0]
    down_for = 20
    time.sleep(down_for)
    sink.start()
    started = time.time()
    wait_until(lambda: set(emails) <= set(sink.recipients()), 180, "the queued mails go out after the sink is back")
    took = time.time() - started
    received = [r for r in sink.recipients() if r.endswith("@maildown.example")]
    portal.stop()
    if len(registered) != 5 or page_status != 200 or pending != "5" or len(received) != 5:
        raise SystemExit(f"FAILED mail-down: registered {len(registered)}, /anmelden {page_status}, pending {pending}, received {len(received)}")
    report.append(
        f"| SMTP server down for {down_for + 3} s | 5 registrations | all answered, `/anmelden` 200 meanwhile, 5 mails waited in the "
        f"outbox, all 5 arrived {took:.0f} s after the sink returned, none twice |"
    )


def db_down_drill(work, sink, report):
    pg = Postgres(work + "/dbdown")
    pg.start()
    portal = Portal(pg.url, sink, work, "db-down")
    portal.start()
    before = (request(portal.base + "/")[0], request(portal.base + "/readyz")[0])
    pg.stop()
    ready_down = request(portal.base + "/readyz")[0]
    home_status, home_body = request(portal.base + "/", timeout=30)
    signin_status, signin_body = request(
        portal.base + "/api/auth/sign-in", {"email": "x@example.org", "password": PASSWORD}, {"Origin": portal.base}, timeout=30
    )
    pg.start()
    started = time.time()
    wait_until(lambda: request(portal.base + "/readyz")[0] == 200 and request(portal.base + "/")[0] == 200, 60, "the server serves again")
    took = time.time() - started
    alive = portal.process.poll() is None
    portal.stop()
    pg.stop()
    # The site's own page (layout, heading, the message in the visitor's language), not a
    # blank answer or a bare error text.
    friendly = home_status in (200, 503) and "</html>" in home_body and "<h1" in home_body
    if before != (200, 200) or ready_down != 503 or not friendly or not alive:
        raise SystemExit(
            f"FAILED db-down: before {before}, /readyz while down {ready_down}, / while down {home_status} "
            f"(friendly page: {friendly}), sign-in {signin_status} {signin_body[:120]}, alive {alive}"
        )
    report.append(
        f"| PostgreSQL stopped under a running server | `/readyz`, `/`, sign-in | `/readyz` {ready_down}; `/` {home_status} with the "
        f"site's page and its message; sign-in {signin_status} `{signin_body[:40]}`; serving again {took:.1f} s after PostgreSQL "
        f"was back, same process |"
    )


def main():
    drills = sys.argv[1:] or ["mail-down", "db-down", "kill-9"]
    work = tempfile.mkdtemp(prefix="portal-faults.")
    shutil.chown(work, "postgres")
    os.chmod(work, 0o755)
    sink = Sink()
    sink.start()
    report = []
    try:
        if "mail-down" in drills:
            mail_down_drill(work, sink, report)
        if "db-down" in drills:
            db_down_drill(work, sink, report)
        if "kill-9" in drills:
            for kind in os.environ.get("KILL9_DATABASES", "sqlite postgres").split():
                kill9_drill(kind, work, sink, report)
    finally:
        sink.stop()
        print("\n".join(report))
    out = os.path.join(ROOT, "bench", "results", "faults.md")
    with open(out, "w") as f:
        f.write("# Fault drills\n\n")
        f.write(f"`bench/faults.sh {' '.join(drills)}`, {time.strftime('%Y-%m-%d', time.gmtime())}, server built with the `perf` profile, "
                "the SMTP sink of the browser tests, PostgreSQL with default durability.\n\n")
        f.write("| Fault | Load | What happened |\n|---|---|---|\n")
        f.write("\n".join(report) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        raise SystemExit("FAILED: " + "; ".join(FAILURES))


if __name__ == "__main__":
    main()
