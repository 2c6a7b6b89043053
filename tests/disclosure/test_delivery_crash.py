"""Crash test: the worker telling customers about a published advisory is killed mid-way.

Real processes on one database (SQLite, or PostgreSQL under tools/with-postgres):
a set-up process publishes an advisory whose affected version five hospitals
own, each with a webhook on a loopback receiver; a `medvigil worker` sends
the deliveries and is killed with SIGKILL while the third webhook call is in
flight. A fresh worker finishes: every hospital is told, each delivery is
recorded sent once, as in a run without the crash.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.crashes import Site, Sites, kill, lost_task_reported, sites, stop, wait_until

CUSTOMERS = 5
HELD = "/crashed/03"  # the webhook call the worker is killed during
DELIVERIES = (
    "SELECT organisation.name, delivery.channel, delivery.state, delivery.target "
    "FROM disclosure_advisorydelivery AS delivery "
    "JOIN accounts_organisation AS organisation ON organisation.id = delivery.organisation_id"
)


class Receiver(BaseHTTPRequestHandler):
    """Customers' webhooks: records each call; holds `HELD` open until released."""

    calls: list[tuple[str, bytes]] = []
    held = threading.Event()
    release = threading.Event()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.calls.append((self.path, body))
        if self.path.endswith(HELD) and not Receiver.release.is_set():
            Receiver.held.set()
            Receiver.release.wait(30)  # the worker is killed meanwhile
            return
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.calls = []
    Receiver.held.clear()
    Receiver.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        Receiver.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def crash_sites(migrated_home_template: Path, tmp_path: Path) -> Iterator[Sites]:
    yield from sites(migrated_home_template, tmp_path)


def publish(site: Site, url: str) -> None:
    published = site.run_module("tests.disclosure.publication_site", url, str(CUSTOMERS))
    assert published.returncode == 0, published.stderr


def sent(site: Site) -> int:
    return int(site.value("SELECT count(*) FROM disclosure_advisorydelivery WHERE state = 'sent'"))


def told(prefix: str) -> list[str]:
    return sorted(path for path, _ in Receiver.calls if path.startswith(prefix))


def test_a_worker_killed_while_telling_customers_leaves_no_customer_untold(
    crash_sites: Sites, receiver: str
) -> None:
    clean = crash_sites.copy(name="clean")
    publish(clean, f"{receiver}/clean")
    finished = clean.run("worker", "--batch")
    assert finished.returncode == 0, finished.stderr
    expected = sorted(
        (name, channel, state, target.replace("/clean/", "/crashed/"))
        for name, channel, state, target in clean.rows(DELIVERIES)
    )
    assert [row[2] for row in expected] == ["sent"] * CUSTOMERS

    site = crash_sites.copy(name="crashed")
    publish(site, f"{receiver}/crashed")
    worker = site.start("worker")
    try:
        wait_until(Receiver.held.is_set, "the worker to be in the middle of a webhook call")
        assert sent(site) == 2  # two hospitals told and recorded, the third in flight
    finally:
        kill(worker)
        Receiver.release.set()
    assert lost_task_reported(site)

    fresh = site.start("worker")
    try:
        seconds = wait_until(lambda: sent(site) == CUSTOMERS, "every delivery to be sent")
    finally:
        stop(fresh)

    assert sorted(site.rows(DELIVERIES)) == expected
    assert told("/crashed/") == sorted([f"/crashed/{n:02d}" for n in range(1, 6)] + [HELD])
    repeated = [body for path, body in Receiver.calls if path == HELD]
    assert repeated[0] == repeated[1]  # the repeat is the same notice: receivers can tell
    assert json.loads(repeated[0])["revision"] == 1
    events = site.value("SELECT count(*) FROM audit_auditevent WHERE action = 'advisory-delivered'")
    assert events == CUSTOMERS
    requeued = site.rows("SELECT details FROM audit_auditevent WHERE action = 'task-requeued'")
    assert len(requeued) == 1
    assert site.value("SELECT count(*) FROM disclosure_advisoryrevision") == 1
    print(f"advisory deliveries: {CUSTOMERS} expected and sent; recovered in {seconds:.1f} s")
