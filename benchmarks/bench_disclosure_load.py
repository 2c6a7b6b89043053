"""Load the public disclosure form of a real server and check that no report is lost.

Run: ``.venv/bin/python benchmarks/bench_disclosure_load.py [addresses] [per_address]``.

It migrates a temporary MEDVIGIL_HOME, starts ``python -m medvigil serve`` (gunicorn,
2 workers) on a free loopback port with MEDVIGIL_TLS=1, the setting under which the
server trusts the proxy's X-Forwarded-For/-Proto headers, and plays browsers: each
report fetches the form (CSRF cookie), then posts it with the token, from one of
several simulated client addresses. Every address sends its allowance
(DISCLOSURE_SUBMISSIONS_PER_HOUR) plus one more, which must be refused with 429.
Afterwards it counts the cases in the database: accepted == stored, refused == 0 stored.
Bounded: at most addresses x (allowance + 1) requests and 300 seconds.
"""

from __future__ import annotations

import http.client
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from tests.cli import OutputCollector, cli_environment, free_port, run_cli  # noqa: E402

ALLOWANCE = 10  # settings.DISCLOSURE_SUBMISSIONS_PER_HOUR
TIME_LIMIT_SECONDS = 300
CONCURRENCY = 4


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def submit(port: int, address: str, number: int) -> int:
    """One browser-like submission; returns the HTTP status of the POST."""
    proxy = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/disclosure/report", headers=proxy)
        form_page = connection.getresponse()
        form_page.read()
        jar = cookies_of(form_page)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": jar["csrftoken"],
                "title": f"Load report {address} #{number}",
                "description": "Benchmark report: the service port answers without authentication.",
                "steps": "1. connect\n2. observe",
                "impact": "none (benchmark)",
            }
        )
        headers = {
            **proxy,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{key}={value}" for key, value in jar.items()),
            "Referer": f"https://127.0.0.1:{port}/disclosure/report",
            "Origin": f"https://127.0.0.1:{port}",
        }
        connection.request("POST", "/disclosure/report", body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        return answer.status
    finally:
        connection.close()


def main() -> None:
    addresses = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    per_address = int(sys.argv[2]) if len(sys.argv) > 2 else ALLOWANCE + 1
    home = Path(tempfile.mkdtemp(prefix="medvigil-bench-")) / "home"
    migrated = run_cli(home, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    environment = {**cli_environment(home), "MEDVIGIL_TLS": "1"}  # trust the proxy headers
    server = subprocess.Popen(
        [sys.executable, "-m", "medvigil", "serve", "--port", str(port), "--workers", "2"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = OutputCollector(server)
    output.start()
    try:
        # Behind TLS the health URL redirects plain http; wait for gunicorn itself instead.
        assert output.wait_for("Booting worker", 60), output.text
        time.sleep(2)
        jobs = [
            (f"198.18.{index // 250}.{index % 250 + 1}", number)
            for index in range(addresses)
            for number in range(per_address)
        ]
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        deadline = time.monotonic() + TIME_LIMIT_SECONDS
        started = time.perf_counter()

        def one(job: tuple[str, int]) -> None:
            if time.monotonic() > deadline:
                return
            status = submit(port, *job)
            with lock:
                statuses[status] += 1

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(one, jobs))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    with sqlite3.connect(home / "medvigil.sqlite3") as database:
        stored = database.execute("SELECT COUNT(*) FROM disclosure_case").fetchone()[0]
    accepted, refused = statuses.get(302, 0), statuses.get(429, 0)
    sent = sum(statuses.values())
    other = {key: value for key, value in statuses.items() if key not in (302, 429)}
    beyond = max(0, stored - addresses * ALLOWANCE)
    rate = sent / elapsed
    print(f"submissions sent: {sent} from {addresses} addresses in {elapsed:.1f} s")
    print(f"rate held: {rate:.1f} reports/s ({CONCURRENCY} concurrent clients, 2 workers, SQLite)")
    print(f"accepted (302): {accepted}; refused by the rate limit (429): {refused}; other: {other}")
    print(f"cases stored: {stored}; lost: {accepted - stored}; stored beyond the limit: {beyond}")
    if stored != accepted or beyond or other:
        raise SystemExit("a report was lost, stored twice, or let past the rate limit")


if __name__ == "__main__":
    main()
