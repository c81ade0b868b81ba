#!/usr/bin/env python3
"""Fault drills against the real server binary, a real SMTP sink and real databases.

Run through `bench/faults.sh` (which builds what it needs). Each drill prints what it
saw and fails loudly when a promise is broken; the summary goes to
bench/results/faults.md.

  kill-9    ROUNDS (20) rounds per database: a burst of parallel registrations
            (BURST, 24), postbox sends with a 300 KB PDF (SENDS, 8) and activation-code
            redemptions (REDEEMS, 4), the server killed with SIGKILL in the middle,
            restarted. Afterwards every registration answered "Registered" exists
            exactly once and whole (two consents, one confirmation link, one mail in
            the outbox) and its confirmation mail reaches the SMTP sink as one message
            (a repeat after a kill carries the same Message-ID); every send answered
            with its item page is stored once with its file, byte for byte, and no item
            lacks its file and no file its item; every redemption answered "Activated"
            made exactly one profile, and a code is used if and only if its profile
            exists.
  mail-down The SMTP sink is stopped while people register: pages keep answering, the
            mails wait in the outbox and go out once each after the sink is back.
  db-down   PostgreSQL is stopped under a running server: /readyz answers 503, pages
            answer with the friendly error page instead of failing blank, and the
            server serves again by itself once the database is back (no restart).
  disk-full The SQLite database lives on a 32 MB tmpfs that a filler file fills up:
            registrations and postbox sends with a 300 KB PDF fail with the site's 503
            page (no panic, no blank answer), nothing half-written is kept, pages that
            only read keep answering, and after the filler is deleted the same process
            writes again; the database passes PRAGMA integrity_check.
"""

import base64
import concurrent.futures
import hashlib
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
SENDS = int(os.environ.get("SENDS", "8"))
REDEEMS = int(os.environ.get("REDEEMS", "4"))
# The server's key (development accepts it), also given to the seeding tool, which issues
# the activation codes.
SECRET_KEY = base64.b64encode(bytes(range(32))).decode()
BURST = int(os.environ.get("BURST", "24"))
PASSWORD = "Kx9!vTq2#mLpW"
# Broken promises that do not stop the other drills (reported at the end).
FAILURES = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hands a 3xx back as the answer instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


_NO_FOLLOW = urllib.request.build_opener(_KeepRedirects)


def request(url, data=None, headers=None, timeout=10, follow=True):
    """(status, body text); status 0 when the connection failed. With follow=False a
    redirect is the answer (its 3xx status), not the page it points to."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})
    opener = urllib.request.urlopen if follow else _NO_FOLLOW.open
    try:
        with opener(req, timeout=timeout) as response:
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

    def messages(self):
        status, body = request(f"http://127.0.0.1:{self.http_port}/messages")
        return json.loads(body) if status == 200 else []

    def recipients(self):
        return [address for message in self.messages() for address in message["to"]]

    def message_ids(self, suffix):
        """(recipient, Message-ID) of every mail to an address ending in `suffix`."""
        return [(address, m.get("messageId")) for m in self.messages() for address in m["to"] if address.endswith(suffix)]


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
            SECRET_KEY=SECRET_KEY,
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


    def send(self, session, subject, pdf):
        """A citizen's "Nachweis hochladen" with one PDF; the new item's id when the portal
        answered with its page (303 to /postfach/<id>), else None."""
        boundary = "----kill9" + hashlib.sha256(subject.encode()).hexdigest()[:16]
        body = b"".join([
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in [("kind", "nachweis"), ("subject", subject), ("body", "Nachweis im Fehlertest")]
        ]) + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="nachweis.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
        )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
            connection.request("POST", "/postfach/senden", body, {
                "Origin": self.base, "Cookie": f"session={session}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            })
            response = connection.getresponse()
            location = response.getheader("Location") or ""
            response.read()
            connection.close()
        except (OSError, http.client.HTTPException):
            return None
        tail = location.rsplit("/postfach/", 1)[-1]
        return int(tail) if response.status == 303 and tail.isdigit() else None

    def redeem(self, session, code):
        status, body = request(self.base + "/api/profile/redeem", {"code": code}, {"Origin": self.base, "Cookie": f"session={session}"})
        return status == 200 and '"Activated"' in body


def seed(url, redeemers):
    """bench_seed: a citizen with a profile (who sends) and `redeemers` citizens with codes."""
    out = subprocess.run(
        [os.path.join(TARGET, "perf", "examples", "bench_seed")],
        env=dict(os.environ, DATABASE_URL=url, CLIENTS=str(redeemers + 10), ITEMS="0", REDEEMERS=str(redeemers), SECRET_KEY=SECRET_KEY),
        check=True, capture_output=True, text=True,
    ).stdout
    citizen = next(line.split("=", 1)[1] for line in out.splitlines() if line.startswith("CITIZEN_SESSION="))
    pairs = [line.split("=", 1)[1].split(" ") for line in out.splitlines() if line.startswith("REDEEMER=")]
    return citizen, [(token, code) for token, code in pairs]


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
    citizen, redeemers = seed(url, ROUNDS * REDEEMS)
    portal = Portal(url, sink, work, f"kill9-{kind}")
    answered, sent, redeemed = [], {}, []
    cut = {"registrations": 0, "sends": 0, "redemptions": 0}
    for round_no in range(ROUNDS):
        portal.start()
        emails = [f"r{round_no}-{i}-{kind}@kill9.example" for i in range(BURST)]
        pdfs = {f"kill9-{kind}-{round_no}-{i}": b"%PDF-1.4\n%" + os.urandom(150_000).hex().encode() + b"\n%%EOF\n" for i in range(SENDS)}
        codes = redeemers[round_no * REDEEMS:(round_no + 1) * REDEEMS]
        with concurrent.futures.ThreadPoolExecutor(BURST + SENDS + REDEEMS) as pool:
            registrations = {pool.submit(portal.register, email): email for email in emails}
            sends = {pool.submit(portal.send, citizen, subject, pdf): subject for subject, pdf in pdfs.items()}
            redemptions = {pool.submit(portal.redeem, token, code): token for token, code in codes}
            time.sleep(random.uniform(0.01, 0.5))
            portal.kill9()
            for future, email in registrations.items():
                if future.result():
                    answered.append(email)
                else:
                    cut["registrations"] += 1
            for future, subject in sends.items():
                if future.result() is not None:
                    sent[subject] = (future.result(), hashlib.sha256(pdfs[subject]).hexdigest(), len(pdfs[subject]))
                else:
                    cut["sends"] += 1
            for future, token in redemptions.items():
                if future.result():
                    redeemed.append(token)
                else:
                    cut["redemptions"] += 1
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
    broken = [r for r in rows if tuple(str(v) for v in r[1:]) != ("2", "1", "1")]
    if missing or twice or broken:
        raise SystemExit(f"FAILED kill-9 {kind}: missing {missing[:5]}, twice {twice[:5]}, not whole {broken[:5]}")
    # Postbox sends: each answered one stored once, with its one file whole; no item of the
    # drill without its file, no file without its item, no file whose chunks miss bytes.
    items_sql = ("SELECT i.id, i.subject, f.sha256, f.size, (SELECT SUM(LENGTH(c.data)) FROM file_chunks c WHERE c.file_id = f.id) "
                 "FROM postbox_items i LEFT JOIN postbox_attachments a ON a.item_id = i.id LEFT JOIN files f ON f.id = a.file_id "
                 "WHERE i.subject LIKE 'kill9-%'")
    items = accounts_in(db, items_sql, items_sql.replace("LENGTH(c.data)", "OCTET_LENGTH(c.data)"))
    by_subject = {}
    for item_id, subject, sha, size, chunk_bytes in items:
        by_subject.setdefault(subject, []).append((int(item_id), sha, str(size), str(chunk_bytes)))
    send_problems = [s for s, (item_id, sha, size) in sent.items() if by_subject.get(s) != [(item_id, sha, str(size), str(size))]]
    half = [r for r in items if r[2] in (None, "", "None") or str(r[3]) != str(r[4])]
    orphan_sql = "SELECT COUNT(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM postbox_attachments a WHERE a.file_id = f.id)"
    orphans = int(accounts_in(db, orphan_sql, orphan_sql)[0][0])
    if send_problems or half or orphans:
        raise SystemExit(f"FAILED kill-9 {kind} sends: not stored once and whole {send_problems[:3]}, half-written {half[:3]}, files without item {orphans}")
    # Redemptions: an answered one made one profile; a code is used iff its profile exists.
    codes_sql = ("SELECT c.client_id, c.redeemed_at IS NOT NULL, (SELECT COUNT(*) FROM profiles p WHERE p.client_id = c.client_id) "
                 "FROM activation_codes c")
    code_rows = accounts_in(db, codes_sql, codes_sql)
    mismatched = [r for r in code_rows if (str(r[1]) in ("1", "t", "True")) != (str(r[2]) == "1")]
    profiles_sql = ("SELECT COUNT(*) FROM profiles p JOIN accounts a ON a.id = p.account_id "
                    "WHERE a.email LIKE 'redeemer%@lasttest.example'")
    profiles = int(accounts_in(db, profiles_sql, profiles_sql)[0][0])
    if mismatched or profiles < len(redeemed):
        raise SystemExit(f"FAILED kill-9 {kind} redemptions: code and profile disagree {mismatched[:3]}, {profiles} profiles for {len(redeemed)} answered")
    # Claims of killed workers expire after outbox::CLAIM_SECONDS (120 s); then every mail goes.
    wanted = set(stored)
    wait_until(lambda: wanted <= set(sink.recipients()), 240, f"{len(wanted)} confirmation mails reach the sink")
    received = sink.message_ids(f"-{kind}@kill9.example")
    messages = {}
    for address, message_id in received:
        messages.setdefault(address, set()).add(message_id)
    # One message per account: a repeat after a kill carries the same Message-ID.
    several = sorted(a for a, ids in messages.items() if len(ids) != 1 or None in ids)
    repeats = len(received) - len(messages)
    portal.stop()
    if pg:
        pg.stop()
    report.append(
        f"| kill -9 during registrations, postbox sends with a 300 KB PDF and code redemptions, {kind} | {ROUNDS} rounds × "
        f"({BURST} + {SENDS} + {REDEEMS}) parallel | {len(answered)} registrations, {len(sent)} sends and {len(redeemed)} "
        f"redemptions answered as done; cut off by the kill: {cut['registrations']}, {cut['sends']} and {cut['redemptions']}; every answered one stored once and whole "
        f"({len(stored)} accounts, {len(by_subject)} items each with its file byte for byte, 0 files without item, "
        f"{profiles} profiles = {profiles} used codes); {len(messages)} confirmation mails, one message per account, "
        f"{repeats} delivered a second time with the same Message-ID (accepted just before a kill) |"
    )
    if several:
        FAILURES.append(f"kill-9 {kind}: {len(several)} accounts got more than one distinct message, e.g. {several[:3]}")


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


def disk_full_drill(work, sink, report):
    mount = os.path.join(work, "small-disk")
    os.makedirs(mount)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", mount], check=True)
    try:
        path = os.path.join(mount, "full.db")
        url = f"sqlite://{path}"
        citizen, _ = seed(url, 0)
        portal = Portal(url, sink, work, "disk-full")
        portal.start()
        before = [portal.register(f"before{i}@full.example") for i in range(3)]
        # Fill the disk to the last few KiB.
        filler = os.path.join(mount, "filler")
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            for block in (65536, 4096, 512):
                try:
                    while True:
                        os.write(fd, b"\1" * block)
                except OSError:
                    pass
        finally:
            os.close(fd)
        outcomes = {"registrations": [], "sends": []}
        for i in range(10):
            status, body = request(
                portal.base + "/api/auth/register",
                {"email": f"full{i}@full.example", "password": PASSWORD, "password_repeat": PASSWORD, "accept_terms": "on", "consent_email": "on"},
                {"Origin": portal.base},
            )
            outcomes["registrations"].append((status, '"Registered"' in body, "Unavailable" in body))
            pdf = b"%PDF-1.4\n%" + os.urandom(150_000).hex().encode() + b"\n%%EOF\n"
            item = portal.send(citizen, f"full-{i}", pdf)
            outcomes["sends"].append(item)
        page_status, page_body = request(portal.base + "/", timeout=20)
        postbox_status = request(portal.base + "/postfach", headers={"Cookie": f"session={citizen}"}, timeout=20)[0]
        alive_while_full = portal.process.poll() is None
        os.remove(filler)
        after = portal.register("after@full.example")
        sent_after = portal.send(citizen, "after-full", b"%PDF-1.4\n%after\n%%EOF\n")
        alive = portal.process.poll() is None
        portal.stop()
        with sqlite3.connect(path) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            accounts = conn.execute(
                "SELECT a.email, (SELECT COUNT(*) FROM consents c WHERE c.account_id = a.id), "
                "(SELECT COUNT(*) FROM account_tokens t WHERE t.account_id = a.id), "
                "(SELECT COUNT(*) FROM outbox o WHERE o.recipient = a.email) FROM accounts a WHERE a.email LIKE '%@full.example'"
            ).fetchall()
            half_items = conn.execute(
                "SELECT COUNT(*) FROM postbox_items i WHERE i.subject LIKE 'full-%' AND NOT EXISTS "
                "(SELECT 1 FROM postbox_attachments a JOIN files f ON f.id = a.file_id WHERE a.item_id = i.id "
                " AND f.size = (SELECT SUM(LENGTH(c.data)) FROM file_chunks c WHERE c.file_id = f.id))"
            ).fetchone()[0]
            orphans = conn.execute(
                "SELECT COUNT(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM postbox_attachments a WHERE a.file_id = f.id)"
            ).fetchone()[0]
    finally:
        subprocess.run(["umount", "-l", mount], check=False)
    refused = [o for o in outcomes["registrations"] if not o[1]]
    unclear = [o for o in refused if o[0] != 503 or not o[2]]
    sends_refused = outcomes["sends"].count(None)
    broken = [a for a in accounts if tuple(str(v) for v in a[1:]) != ("2", "1", "1")]
    friendly = page_status == 200 and "</html>" in page_body
    if (not all(before) or not refused or unclear or not sends_refused or not after or sent_after is None or not alive
            or not alive_while_full or integrity != "ok" or broken or half_items or orphans or not friendly or postbox_status != 200):
        raise SystemExit(
            f"FAILED disk-full: before {before}, registrations while full {outcomes['registrations']}, sends {outcomes['sends']}, "
            f"/ {page_status}, /postfach {postbox_status}, after {after} {sent_after}, alive {alive}, integrity {integrity}, "
            f"not whole {broken[:3]}, items without their file {half_items}, files without item {orphans}"
        )
    report.append(
        f"| SQLite on a full disk (32 MB tmpfs filled by a file) | 10 registrations, 10 postbox sends with a 300 KB PDF | "
        f"{len(refused)} registrations and {sends_refused} sends refused with 503 `\"Unavailable\"` (the site's page for forms), "
        f"{10 - len(refused)} registrations and {10 - sends_refused} sends still fitted; `/` and `/postfach` 200 meanwhile; "
        f"nothing half-written ({len(accounts)} accounts all whole, every item with its whole file, 0 files without item); "
        f"after the filler was deleted the same process registered and sent again; `PRAGMA integrity_check`: {integrity} |"
    )


def main():
    drills = sys.argv[1:] or ["mail-down", "db-down", "disk-full", "kill-9"]
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
        if "disk-full" in drills:
            disk_full_drill(work, sink, report)
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
