#!/usr/bin/env python3
"""Request-level abuse suite against the real server (run through `bench/abuse.sh`).

Sends what careless clients and attackers send — oversized bodies, bodies that never
end, malformed forms and JSON, wrong content types, path traversal and control
characters in upload file names, header injection through subjects and names, and
RANDOM_PATHS (10,000) random paths — and checks that the server answers each with a
4xx (or a normal page), never a 5xx, never hangs, and never logs a panic. Writes
bench/results/abuse.md.
"""

import concurrent.futures
import os
import random
import socket
import sqlite3
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faults import ROOT, TARGET, Portal, Sink, request  # noqa: E402

RANDOM_PATHS = int(os.environ.get("RANDOM_PATHS", "10000"))


def raw(port, payload, read_timeout=10.0, trickle=None):
    """Sends raw bytes (optionally a few at a time with pauses) and returns the status
    line's code, or 0 when the server closed without answering."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as s:
        if trickle:
            for i in range(0, len(payload), trickle[0]):
                s.sendall(payload[i : i + trickle[0]])
                time.sleep(trickle[1])
        else:
            s.sendall(payload)
        try:
            data = s.recv(4096)
        except (socket.timeout, ConnectionResetError):
            return 0
    try:
        return int(data.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def multipart(fields, files):
    boundary = "----abuse" + "".join(random.choices(string.ascii_letters, k=16))
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content, ctype in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return boundary, b"".join(parts)


def main():
    work = tempfile.mkdtemp(prefix="portal-abuse.")
    sink = Sink()
    sink.start()
    db_path = os.path.join(work, "abuse.db")
    seed = subprocess.run(
        [os.path.join(TARGET, "perf", "examples", "bench_seed")],
        env=dict(os.environ, DATABASE_URL=f"sqlite://{db_path}", CLIENTS="10", ITEMS="3"),
        check=True, capture_output=True, text=True,
    ).stdout
    sessions = dict(line.split("=", 1) for line in seed.split())
    staff = {"Cookie": f"session={sessions['STAFF_SESSION']}"}
    citizen = {"Cookie": f"session={sessions['CITIZEN_SESSION']}"}
    portal = Portal(f"sqlite://{db_path}", sink, work, "abuse")
    portal.start()
    base, port = portal.base, portal.port
    origin = {"Origin": base}
    client_id = sqlite3.connect(db_path).execute("SELECT MIN(id) FROM clients").fetchone()[0]
    results = []

    def check(name, statuses, allowed):
        bad = [s for s in statuses if not (s in allowed)]
        results.append((name, len(statuses), sorted(set(statuses)), bad))

    # Oversized bodies: a 5 MB form, a 300 MB declared upload.
    big = "a" * (5 * 1024 * 1024)
    check("5 MB form to a server function", [request(base + "/api/auth/register", {"email": big}, origin)[0]], {400, 413})
    check(
        "Content-Length 300 MB on an upload",
        [raw(port, f"POST /postfach/senden HTTP/1.1\r\nHost: x\r\nOrigin: {base}\r\nCookie: session={sessions['CITIZEN_SESSION']}\r\n"
                   f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 314572800\r\n\r\n--x\r\n".encode(), 10.0)],
        # Beyond what is read at all: 413 at once (upload_body::declared_beyond_reading).
        {413},
    )
    # A body that never ends (sent slowly, then abandoned) must not hold the server.
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        slow = [pool.submit(
            raw, port, f"POST /api/auth/sign-in HTTP/1.1\r\nHost: x\r\nOrigin: {base}\r\nContent-Length: 100000\r\n\r\n".encode() + b"e" * 200,
            3.0, (20, 0.2)) for _ in range(50)]
        time.sleep(0.5)
        started = time.time()
        home = request(base + "/anmelden")[0]
        took = time.time() - started
        check(f"GET /anmelden while 50 bodies trickle in (answered in {took:.2f} s)", [home], {200})
        for future in slow:
            future.result()
    # Malformed forms and JSON, wrong content types.
    forms = [
        request(base + "/api/auth/register", None, origin),
        request(base + "/api/auth/sign-in", {"email": "x"}, origin),
    ]
    statuses = [s for s, _ in forms]
    for body, ctype in [
        (b"email=%zz&password=%", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b'{"email": "x@example.org", "password": ', "application/json"),
        (b"<xml/>", "application/xml"),
        (b"email=x@example.org&password=y", "text/plain"),
        (b"email=x@example.org&email=y@example.org&password=a&password=b", "application/x-www-form-urlencoded"),
    ]:
        statuses.append(raw(port, f"POST /api/auth/sign-in HTTP/1.1\r\nHost: x\r\nOrigin: {base}\r\nContent-Type: {ctype}\r\n"
                                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body))
    broken = b'{"broken": '
    statuses.append(raw(port, f"POST /api/mfa/passkey-sign-in-finish HTTP/1.1\r\nHost: x\r\nOrigin: {base}\r\nContent-Type: application/json\r\n"
                              f"Content-Length: {len(broken)}\r\nConnection: close\r\n\r\n".encode() + broken))
    check("malformed forms and JSON, wrong content types", statuses, set(range(200, 500)) - {0})
    # Upload: path traversal and control characters in file names, a header injection in the subject.
    names = ["../../etc/passwd", "..\\..\\boot.ini", "a\r\nX-Injected: 1.pdf", "\x00.pdf", "con.pdf", "ä" * 300 + ".pdf"]
    statuses = []
    for name in names:
        boundary, body = multipart(
            [("kind", "schreiben"), ("subject", "Betreff\r\nBcc: attacker@example.org"), ("body", "Text")],
            [("files", name, b"%PDF-1.4\n%%EOF\n", "application/pdf")],
        )
        statuses.append(raw(port, f"POST /intern/kunden/{client_id}/senden HTTP/1.1\r\nHost: x\r\nOrigin: {base}\r\n"
                                  f"Cookie: session={sessions['STAFF_SESSION']}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
                                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body))
    stored = [r[0] for r in sqlite3.connect(db_path).execute("SELECT filename FROM files")]
    subjects = [r[0] for r in sqlite3.connect(db_path).execute("SELECT subject FROM postbox_items WHERE subject LIKE 'Betreff%'")]
    unsafe = [n for n in stored if "/" in n or "\\" in n or any(ord(c) < 32 for c in n)] + [s for s in subjects if "\r" in s or "\n" in s]
    check(f"uploads with hostile file names and subjects ({len(stored)} files stored as {stored[:3]}…)", statuses, {200, 303, 400, 413, 422})
    results.append(("stored names and subjects keep no path or line break", len(stored) + len(subjects), [], unsafe))
    # Downloads with hostile ids.
    statuses = [request(base + p, headers=citizen, follow=False)[0] for p in ["/dateien/-1", "/dateien/99999999999999999999", "/dateien/..%2f..%2fetc", "/kalender/%00", "/postfach/1/eingangsbestaetigung/../../x"]]
    check("downloads with hostile ids", statuses, set(range(300, 500)))
    # 10,000 random paths, signed out and signed in.
    alphabet = string.ascii_letters + string.digits + "-._~%/?&=;:@!$'()*+,[]"

    def random_path():
        path = "/" + "".join(random.choices(alphabet, k=random.randint(0, 120)))
        if random.random() < 0.3:
            path = random.choice(["/postfach/", "/intern/kunden/", "/dateien/", "/kalender/", "/api/", "/pkg/", "/../", "/konto/"]) + path
        return urllib.parse.quote(path, safe="/?&=%:@!$'()*+,;~-._")

    paths = [random_path() for _ in range(RANDOM_PATHS)]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda p: request(base + p, headers=random.choice([{}, citizen, staff]), timeout=20)[0], paths))
    check(f"{RANDOM_PATHS} random paths", statuses, set(range(200, 500)))
    cut_off = [p for p, s in zip(paths, statuses) if s not in range(200, 500)]
    if cut_off:
        print("paths without a proper answer:", cut_off[:10])
    portal.stop()
    sink.stop()
    log = open(os.path.join(work, "abuse.log")).read()
    panics = log.count("panicked")
    results.append(("panics in the server log", 1, [], ["panicked"] * panics))

    lines = ["| Check | Requests | Statuses seen | Failures |", "|---|---:|---|---:|"]
    for name, count, seen, bad in results:
        lines.append(f"| {name} | {count} | {', '.join(map(str, seen))} | {len(bad)} |")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(ROOT, "bench", "results", "abuse.md"), "w") as f:
        f.write(f"# Abuse suite\n\n`bench/abuse.sh`, {time.strftime('%Y-%m-%d', time.gmtime())}, server built with the `perf` profile, SQLite. "
                "A failure is a 5xx, no answer, or an unsafe stored value.\n\n" + table + "\n")
    failed = [r for r in results if r[3]]
    if failed:
        raise SystemExit(f"FAILED: {failed}")


if __name__ == "__main__":
    main()
