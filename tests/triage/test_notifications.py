"""Soon-due and overdue clocks are notified once per threshold, by email and signed webhook."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from medvigil.platform.workers import run_worker
from medvigil.triage import notifications, scoring
from medvigil.triage.models import DueNotification
from medvigil.triage.remediation import PlanInput, save_plan
from tests.triage.conftest import Portfolio

SECRET = "webhook secret for the test"


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    answer = 204

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.answer)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received, Receiver.answer = [], 204
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


def uncontrolled_plan(portfolio: Portfolio, days_ago: int) -> Any:
    finding = portfolio.finding(portfolio.released)
    learned = timezone.now() - datetime.timedelta(days=days_ago)
    scoring.save_scores(
        finding,
        portfolio.engineer,
        scoring.ScoreInput(
            learned_at=learned,
            control_status="uncontrolled",
            control_rationale="No control on site.",
        ),
    )
    return save_plan(finding, portfolio.engineer, PlanInput(fix_in_version="1.2.1"))


@pytest.mark.django_db
def test_soon_due_clocks_are_noticed_once_per_threshold(
    portfolio: Portfolio, settings: Any
) -> None:
    settings.TRIAGE_WEBHOOK_URL = ""
    uncontrolled_plan(portfolio, days_ago=26)  # 30-day clocks in 4 days, 60-day clock later
    created = notifications.check_due()
    assert sorted((notice.clock, notice.threshold, notice.channel) for notice in created) == [
        ("fda-communicate", "soon_due", "email"),
        ("remediation", "soon_due", "email"),
    ]
    assert notifications.check_due() == []  # the same threshold is not noticed twice
    later = timezone.now() + datetime.timedelta(days=5)
    overdue = notifications.check_due(later)
    assert {(notice.clock, notice.threshold) for notice in overdue} == {
        ("fda-communicate", "overdue"),
        ("remediation", "overdue"),
    }


@pytest.mark.django_db
def test_an_email_goes_to_the_deciders_of_the_team(portfolio: Portfolio, settings: Any) -> None:
    settings.TRIAGE_WEBHOOK_URL = ""
    settings.TRIAGE_NOTIFY_EMAILS = ["psirt@example.org"]
    uncontrolled_plan(portfolio, days_ago=40)
    notice = next(n for n in notifications.check_due() if n.clock == "fda-communicate")
    notifications.send_notice(notice)
    assert notice.state == "sent"
    [message] = mail.outbox
    assert "CVE-2021-44906" in message.subject
    assert "overdue" in message.subject
    assert set(message.to) == {
        portfolio.engineer.email,
        portfolio.approver.email,
        "psirt@example.org",
    }  # the viewer decides nothing, so is not told
    assert "Customer communication (FDA 30 days)" in message.body


@pytest.mark.django_db
def test_the_webhook_is_signed_and_a_failure_is_kept_and_retried(
    portfolio: Portfolio, settings: Any, receiver: str
) -> None:
    settings.TRIAGE_WEBHOOK_URL, settings.TRIAGE_WEBHOOK_SECRET = receiver, SECRET
    uncontrolled_plan(portfolio, days_ago=55)  # 30-day clocks overdue, 60-day one soon due
    notice = next(
        n
        for n in notifications.check_due()
        if n.channel == "webhook" and n.clock == "fda-remediate"
    )
    Receiver.answer = 500
    notifications.send_notice(notice)
    assert (notice.state, notice.attempts) == ("failed", 1)
    assert "500" in notice.last_error
    Receiver.answer = 204
    notifications.send_notice(notice)
    assert (notice.state, notice.attempts, notice.last_error) == ("sent", 2, "")
    headers, body = Receiver.received[-1]
    expected = hmac.new(
        SECRET.encode(), headers["X-Medvigil-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Medvigil-Signature"] == f"sha256={expected}"
    data = json.loads(body)
    assert (data["event"], data["vulnerability"], data["version"]) == (
        "remediation.soon_due",
        "CVE-2021-44906",
        "1.2.0",
    )


@pytest.mark.django_db
def test_no_secret_no_webhook(portfolio: Portfolio, settings: Any) -> None:
    settings.TRIAGE_WEBHOOK_URL, settings.TRIAGE_WEBHOOK_SECRET = "https://example.org/hook", ""
    uncontrolled_plan(portfolio, days_ago=40)
    notice = next(n for n in notifications.check_due() if n.channel == "webhook")
    notifications.send_notice(notice)
    assert notice.state == "failed"
    assert "TRIAGE_WEBHOOK_SECRET" in notice.last_error


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_notices_queued_by_the_check(
    portfolio: Portfolio, settings: Any, receiver: str
) -> None:
    settings.TRIAGE_WEBHOOK_URL, settings.TRIAGE_WEBHOOK_SECRET = receiver, SECRET
    uncontrolled_plan(portfolio, days_ago=55)  # 30-day clocks overdue, 60-day one soon due
    created = notifications.check_due()
    run_worker(batch=True)
    states = set(DueNotification.objects.values_list("state", flat=True))
    assert states == {"sent"}
    assert len(Receiver.received) == len([n for n in created if n.channel == "webhook"]) == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_tiles_count_what_the_viewer_may_see(portfolio: Portfolio, settings: Any) -> None:
    from medvigil.triage.tiles import triage_tiles
    from tests import factories

    settings.TRIAGE_WEBHOOK_URL = ""
    uncontrolled_plan(portfolio, days_ago=40)  # critical: 30-day policy clock overdue
    values = {tile.key: tile.value for tile in triage_tiles(portfolio.viewer)}
    assert values == {
        "remediation-overdue": 1,
        "remediation-soon-due": 0,
        "decisions-pending-approval": 0,
    }
    stranger = factories.user(roles=["product-security"], teams=[factories.team()])
    assert {tile.value for tile in triage_tiles(stranger)} == {0}
    customer = factories.user(roles=["customer"], organisation=factories.organisation())
    assert triage_tiles(customer) == []


@pytest.mark.django_db
def test_the_workers_periodic_check_runs_at_most_once_per_interval(
    portfolio: Portfolio, settings: Any
) -> None:
    settings.TRIAGE_WEBHOOK_URL, settings.TRIAGE_NOTIFY_MINUTES = "", 60
    notifications._last_check.clear()
    uncontrolled_plan(portfolio, days_ago=40)
    assert notifications.check_due_if_time() is True
    assert DueNotification.objects.count() == 2  # communicate and policy clocks, by email
    assert notifications.check_due_if_time() is False
    settings.TRIAGE_NOTIFY_MINUTES = 0
    notifications._last_check.clear()
    assert notifications.check_due_if_time() is False
