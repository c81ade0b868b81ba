#!/usr/bin/env python3
"""Memory and the sign-in storm: the server's resident memory idle after start, after
10,000 mixed requests, at its peak during a sign-in storm and during 20 parallel
downloads of a 10 MB document; and, during the storm, the share of the server's CPU
spent in Argon2 (perf) and the p99 of GET / (wrk).

Run through `bench/memory.sh` (which builds what it needs). SQLite, `perf` build, no
SMTP server (mails stay in the outbox, where the confirmation link is read). Writes
bench/results/memory.md.
"""

import concurrent.futures
import http.client
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faults import PASSWORD, free_port, request, wait_until, TARGET, SERVER_BIN  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STORM_SECONDS = int(os.environ.get("STORM_SECONDS", "20"))
STORM_CLIENTS = int(os.environ.get("STORM_CLIENTS", "32"))
DOWNLOADERS = 20
MIXED = 10_000


def rss_mb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    """The highest VmRSS seen, sampled every 0.1 s until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.1)

    def stop(self):
        self.running = False
        self.join()
        return self.peak


def get(port, path, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": f"session={cookie}"} if cookie else {})
    response = connection.getresponse()
    size = len(response.read())
    connection.close()
    return response.status, size


def upload_pdf(port, base, staff, client_id, size):
    boundary = "----memory"
    pdf = b"%PDF-1.4\n%" + b"x" * (size - 20) + b"\n%%EOF\n"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nschreiben\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="subject"\r\n\r\nGroßes Dokument\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\nAnbei.\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="gross.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", f"/intern/kunden/{client_id}/senden", body, {
        "Origin": base, "Cookie": f"session={staff}", "Content-Type": f"multipart/form-data; boundary={boundary}",
    })
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 303:
        raise SystemExit(f"FAILED: the 10 MB upload answered {response.status}")
    return len(pdf)


def argon2_share(pid, seconds):
    """Share of the process's CPU samples in Argon2 code (perf, 499 Hz)."""
    data = os.path.join(tempfile.gettempdir(), f"memory-perf-{pid}.data")
    subprocess.run(["perf", "record", "-F", "499", "-p", str(pid), "-o", data, "--", "sleep", str(seconds)],
                   check=True, capture_output=True)
    report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "symbol", "--stdio"],
                            check=True, capture_output=True, text=True).stdout
    os.remove(data)
    total = argon = 0.0
    for line in report.splitlines():
        match = re.match(r"\s+([\d.]+)%\s+\[[.k]\]\s+(.*)", line)
        if match:
            share = float(match.group(1))
            total += share
            if "argon2" in match.group(2).lower() or "blake2" in match.group(2).lower():
                argon += share
    return argon / total * 100 if total else 0.0


def main():
    work = tempfile.mkdtemp(prefix="portal-memory.")
    path = os.path.join(work, "memory.db")
    url = f"sqlite://{path}"
    seed = subprocess.run(
        [os.path.join(TARGET, "perf", "examples", "bench_seed")],
        env=dict(os.environ, DATABASE_URL=url, CLIENTS="1000", ITEMS="20"),
        check=True, capture_output=True, text=True,
    ).stdout
    sessions = dict(line.split("=", 1) for line in seed.split())
    port = free_port()
    base = f"http://localhost:{port}"
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen(
        [SERVER_BIN, "serve"],
        env=dict(os.environ, APP_ENV="development", DATABASE_URL=url, BIND_ADDR=f"127.0.0.1:{port}", PUBLIC_URL=base,
                 DEMO_SEED="false", LEPTOS_SITE_ROOT=os.path.join(TARGET, "site"), RUST_LOG="warn",
                 MAIL_LIMIT_PER_SOURCE_HOUR="1000000"),
        stdout=log, stderr=log,
    )
    rows = []
    try:
        wait_until(lambda: request(base + "/readyz")[0] == 200, 60, "the server starts")
        time.sleep(2)
        rows.append(("idle after start", f"{rss_mb(server.pid):.0f} MB"))

        # 10,000 mixed requests from 8 clients: public pages, the stylesheet, the signed-in
        # postbox and desk.
        css = re.search(r'/pkg/portal[^"]*\.css', request(base + "/anmelden")[1]).group(0)
        mix = [("/", None), ("/anmelden", None), ("/registrieren", None), (css, None),
               ("/postfach", sessions["CITIZEN_SESSION"]), ("/intern", sessions["STAFF_SESSION"])]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda i: get(port, *mix[i % len(mix)])[0], range(MIXED)))
        bad = [s for s in statuses if s != 200]
        if bad:
            raise SystemExit(f"FAILED: {len(bad)} of the mixed requests did not answer 200: {bad[:5]}")
        rows.append((f"after {MIXED:,} mixed requests (8 clients: /, /anmelden, /registrieren, stylesheet, /postfach, /intern)",
                     f"{rss_mb(server.pid):.0f} MB"))

        # A confirmed account with a real password (the link is read from the outbox).
        email = "storm@memory.example"
        request(base + "/api/auth/register", {"email": email, "password": PASSWORD, "password_repeat": PASSWORD,
                                              "accept_terms": "on", "consent_email": "on"}, {"Origin": base})
        body = sqlite3.connect(path).execute("SELECT body_text FROM outbox WHERE recipient = ?", (email,)).fetchone()[0]
        token = re.search(r"token=([A-Za-z0-9_-]+)", body).group(1)
        request(base + "/api/auth/confirm-email", {"token": token}, {"Origin": base})

        # The storm: STORM_CLIENTS clients sign in with the right password for STORM_SECONDS;
        # meanwhile perf measures the Argon2 share and wrk the p99 of GET /.
        stop = time.time() + STORM_SECONDS
        signed_in = []

        def storm():
            n = 0
            while time.time() < stop:
                status, answer = request(base + "/api/auth/sign-in", {"email": email, "password": PASSWORD}, {"Origin": base}, timeout=60)
                n += status == 200 and "SignedIn" in answer
            signed_in.append(n)

        sampler = Sampler(server.pid)
        sampler.start()
        threads = [threading.Thread(target=storm) for _ in range(STORM_CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(2)
        home = {}

        def home_p99():
            out = subprocess.run(["wrk", "-t", "1", "-c", "1", "-d", f"{STORM_SECONDS - 6}s", "--latency", base + "/"],
                                 check=True, capture_output=True, text=True).stdout
            home["p50"] = re.search(r"\s50%\s+(\S+)", out).group(1)
            home["p99"] = re.search(r"\s99%\s+(\S+)", out).group(1)

        wrk_thread = threading.Thread(target=home_p99)
        wrk_thread.start()
        share = argon2_share(server.pid, STORM_SECONDS - 8)
        for t in threads + [wrk_thread]:
            t.join()
        storm_peak = sampler.stop()
        rate = sum(signed_in) / STORM_SECONDS
        rows.append((f"peak during the sign-in storm ({STORM_CLIENTS} clients, {STORM_SECONDS} s, {rate:.0f} sign-ins/s)",
                     f"{storm_peak:.0f} MB"))

        # 20 parallel downloads of a 10 MB document, for 10 s.
        client_id = sqlite3.connect(path).execute("SELECT client_id FROM profiles LIMIT 1").fetchone()[0]
        length = upload_pdf(port, base, sessions["STAFF_SESSION"], client_id, 10 * 1024 * 1024)
        file_id = sqlite3.connect(path).execute("SELECT MAX(id) FROM files").fetchone()[0]
        sampler = Sampler(server.pid)
        sampler.start()
        done = []
        stop = time.time() + 10

        def download():
            while time.time() < stop:
                status, size = get(port, f"/dateien/{file_id}", sessions["CITIZEN_SESSION"])
                done.append(status == 200 and size == length)

        threads = [threading.Thread(target=download) for _ in range(DOWNLOADERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        download_peak = sampler.stop()
        if not all(done):
            raise SystemExit(f"FAILED: {done.count(False)} downloads incomplete")
        rows.append((f"peak during {DOWNLOADERS} parallel downloads of a 10 MB document (10 s, {len(done)} complete)",
                     f"{download_peak:.0f} MB"))
        rows.append(("peak of the whole run (VmHWM)", f"{rss_mb(server.pid, 'VmHWM'):.0f} MB"))
    finally:
        server.terminate()
        server.wait(20)
        shutil.rmtree(work, ignore_errors=True)
    out = os.path.join(ROOT, "bench", "results", "memory.md")
    with open(out, "w") as f:
        f.write("# Memory and the sign-in storm\n\n")
        f.write(f"`bench/memory.sh`, {time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, server built with the `perf` "
                "profile, SQLite (1,000 clients, 20 postbox items), resident memory (VmRSS) of the server process.\n\n")
        f.write("| Moment | Resident memory |\n|---|---:|\n")
        for label, value in rows:
            f.write(f"| {label} | {value} |\n")
        f.write(f"\n**During the storm** ({STORM_CLIENTS} clients signing in with the right password; Argon2id m = 19 MiB, "
                f"t = 2, p = 1): {share:.0f} % of the server's CPU samples were in Argon2 (perf, 499 Hz, "
                f"{STORM_SECONDS - 8} s); GET / meanwhile (one wrk connection): p50 {home['p50']}, p99 {home['p99']}.\n")
    print(open(out).read())


if __name__ == "__main__":
    main()
