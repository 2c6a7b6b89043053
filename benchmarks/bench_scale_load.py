"""Every page and API list of a scale portfolio under concurrent signed-in clients.

Run after `benchmarks/scale_portfolio.py` built the portfolio (same MEDVIGIL_HOME and
DATABASE_URL), or pass the sizes to build it first:

    MEDVIGIL_HOME=$(mktemp -d) tools/with-postgres sh -c '.venv/bin/python -m medvigil migrate \\
      && .venv/bin/python benchmarks/bench_scale_load.py --build --scale 0.1'

It starts `medvigil serve --workers 4` on a free loopback port, signs in one
session per role (the sessions are made as after password and second factor),
and for every request below sends `--requests` requests from `--clients`
concurrent clients; it prints p50/p95/p99 in milliseconds, the non-2xx answers,
and the SQL statements of one such request, counted in this process through
Django's test client. Then the disclosure case page alone (p95 against the 200 ms
goal). CI does not run it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))
sys.path.insert(0, str(REPOSITORY / "src"))

import scale_portfolio  # noqa: E402  (beside this file)

GOAL_MILLISECONDS = 200


def requests_to_make(fixture: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, person, path) for every page and API list that grows with the portfolio."""
    version, product = fixture["version"], fixture["product"]
    hot, case = fixture["hot_vulnerability"], fixture["case"]
    return [
        ("dashboard", "product_security", "/"),
        ("dashboard (administrator)", "administrator", "/"),
        ("dashboard (customer)", "customer", "/"),
        ("products", "product_security", "/products/"),
        ("product", "product_security", f"/products/{product}/"),
        ("version", "product_security", f"/products/versions/{version}/"),
        ("version findings", "product_security", f"/vulnerabilities/versions/{version}/findings"),
        (
            "version findings, KEV",
            "product_security",
            f"/vulnerabilities/versions/{version}/findings?kev=yes",
        ),
        ("triage list of a version", "product_security", f"/triage/versions/{version}/"),
        ("triage queue", "product_security", "/triage/queue/"),
        ("vulnerabilities", "product_security", "/vulnerabilities/"),
        ("exposure of a vulnerability", "product_security", f"/vulnerabilities/{hot}/"),
        ("disclosure case", "psirt", f"/disclosure/cases/{case}/"),
        ("audit trail", "administrator", "/audit/"),
        ("API products", "product_security", "/api/v1/portfolio/products"),
        ("API versions", "product_security", "/api/v1/portfolio/versions"),
        ("API version findings", "product_security", f"/api/v1/vulns/versions/{version}/findings"),
        (
            "API version findings, KEV",
            "product_security",
            f"/api/v1/vulns/versions/{version}/findings?kev=true",
        ),
        ("API vulnerability", "product_security", f"/api/v1/vulns/vulnerabilities/{hot}"),
        ("API exposure", "product_security", f"/api/v1/vulns/vulnerabilities/{hot}/exposure"),
        ("API triage queue", "product_security", "/api/v1/triage/queue"),
        ("API case suggestions", "psirt", f"/api/v1/disclosure/cases/{case}/suggestions"),
        ("API audit events", "administrator", "/api/v1/audit/events"),
    ]


def sessions(people: dict[str, int]) -> dict[str, Any]:
    """A signed-in test client per role (password and second factor done)."""
    # Imported once Django is set up (`setup()`), as every function here.
    from django.contrib.auth import get_user_model
    from django.test import Client
    from tests import factories

    users = get_user_model().objects.in_bulk(list(people.values()))
    return {
        name: factories.sign_in(Client(HTTP_HOST="127.0.0.1"), users[pk])
        for name, pk in people.items()
    }


def sql_count(client: Any, path: str) -> tuple[int, int]:
    # Imported once Django is set up (`setup()`), as every function here.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "medvigil", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    log = Path(os.environ["MEDVIGIL_HOME"]) / "scale-server.log"
    with log.open("ab") as output:
        server = subprocess.Popen(command, env=dict(os.environ), stdout=output, stderr=output)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer within 120 s")


def timed_get(port: int, path: str, cookie: str) -> tuple[float, int]:
    """Milliseconds and status; status 0 when the server dropped the connection.

    gunicorn kills a web process after 30 s of work (its worker timeout): the
    client then gets no answer at all, an error like any 5xx.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, status


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load(port: int, path: str, cookie: str, requests: int, clients: int) -> dict[str, Any]:
    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(lambda _: timed_get(port, path, cookie), range(requests)))
    times = [elapsed for elapsed, _ in answers]
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "errors": sum(1 for _, status in answers if status >= 400 or status == 0),
        "status": sorted({status for _, status in answers}),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="build the portfolio first")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=40, help="per page")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    arguments = parser.parse_args()
    scale_portfolio.setup()
    if arguments.build:
        products = max(2, round(200 * arguments.scale))
        scale_portfolio.build(products, 5, 1000, max(20, round(25000 * arguments.scale)))
    from django.db import connection  # once Django is set up

    for name, value in scale_portfolio.counts().items():
        print(f"{name}: {value:,}")
    print(
        f"database: {connection.vendor}; {arguments.clients} clients, {arguments.workers} workers"
    )
    fixture = json.loads(scale_portfolio.description_file().read_text())
    clients = sessions(fixture["people"])
    counted = {
        label: sql_count(clients[person], path) for label, person, path in requests_to_make(fixture)
    }
    connection.close()
    port = free_port()
    server = start_server(port, arguments.workers)
    try:
        print(f"{'request':34} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7} {'SQL':>5}")
        for label, person, path in requests_to_make(fixture):
            cookie = "; ".join(
                f"{key}={morsel.value}" for key, morsel in clients[person].cookies.items()
            )
            figures = load(port, path, cookie, arguments.requests, arguments.clients)
            status, queries = counted[label]
            print(
                f"{label:34} {figures['p50']:8.0f} {figures['p95']:8.0f} {figures['p99']:8.0f} "
                f"{figures['errors']:7d} {queries:5d}"
                + ("" if status < 400 else f"  (answered {status})")
            )
            if label == "disclosure case":
                verdict = "meets" if figures["p95"] < GOAL_MILLISECONDS else "misses"
                case_line = (
                    f"disclosure case page: p95 {figures['p95']:.0f} ms, {verdict} the "
                    f"{GOAL_MILLISECONDS} ms goal"
                )
        print(case_line)
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
