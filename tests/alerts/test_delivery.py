"""New findings reach the subscribers who may read them: inbox, real SMTP, signed webhooks, once."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from medvigil.alerts import selectors, services
from medvigil.alerts.models import Alert, Delivery
from medvigil.alerts.processing import process
from medvigil.alerts.services import SubscriptionData
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.alerts.conftest import AIC_SBOM, Mailbox, Receiver, World

pytestmark = pytest.mark.django_db


def receiver_verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does, written from the documentation (not with medvigil's code)."""
    timestamp = headers["X-Medvigil-Timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), headers["X-Medvigil-Signature"])


def open_findings(world: World) -> list[Finding]:
    matching.match_document(factories.sbom_document(world.version, AIC_SBOM, role="application"))
    return list(Finding.objects.filter(version=world.version, state="open"))


def test_new_findings_reach_inbox_email_and_webhooks_once(
    world: World, smtp: Mailbox, receiver: str
) -> None:
    hook, secret = services.create_webhook(world.engineer, "Mine", f"{receiver}/mine")
    slack, _ = services.create_webhook(
        world.administrator, "Team Slack", f"{receiver}/slack", "slack", team=world.team
    )
    services.create_subscription(
        world.engineer,
        SubscriptionData(
            name="Everything new", kinds=["finding-new"], email=True, webhook_id=hook.pk
        ),
    )
    services.create_subscription(
        world.administrator,
        SubscriptionData(name="Team: new findings", kinds=["finding-new"], webhook_id=slack.pk),
        team=world.team,
    )
    services.create_subscription(  # another team's engineer, no product filter: sees nothing
        world.outsider, SubscriptionData(name="All", kinds=["finding-new"], email=True)
    )
    findings = open_findings(world)
    assert findings, "the real SBOM has known-vulnerable components"

    first = process()
    second = process()  # a retry, or a second worker: nothing more

    names = {finding.vulnerability.canonical_id for finding in findings}
    inbox = selectors.inbox(world.engineer)
    assert {alert.event.details["vulnerability"] for alert in inbox} == names
    assert selectors.unread_count(world.engineer) == len(findings)
    assert selectors.unread_count(world.outsider) == 0
    assert first.fanned_out == len(findings)
    assert second.fanned_out == 0
    assert Alert.objects.filter(recipient=world.outsider).count() == 0

    # Real SMTP: one message per finding, to the engineer only.
    assert len(smtp.messages) == len(findings)
    assert all(rcpt == [world.engineer.email] for rcpt in smtp.recipients)
    subjects = sorted(str(message["Subject"]) for message in smtp.messages)
    assert all(subject.startswith("[medvigil] New finding: ") for subject in subjects)
    assert {name for name in names if any(name in subject for subject in subjects)} == names

    # Webhooks: one signed post per finding to each; the signature verifies, a forged one not.
    mine = [item for item in Receiver.received if item[0] == "/mine"]
    team_posts = [item for item in Receiver.received if item[0] == "/slack"]
    assert len(mine) == len(team_posts) == len(findings)
    for _, headers, body in mine:
        assert receiver_verifies(secret, headers, body)
        assert not receiver_verifies(secret, headers, body + b" ")
        payload = json.loads(body)
        assert payload["type"] == "event"
        assert payload["event"]["kind"] == "finding-new"
        assert payload["event"]["details"]["product"] == "Infusion pump"
    for _, headers, body in team_posts:
        slack_payload = json.loads(body)
        assert set(slack_payload) == {"text", "blocks"}
        assert slack_payload["blocks"][0]["type"] == "header"
        assert headers["Content-Type"] == "application/json"

    sent = Delivery.objects.filter(state="sent")
    assert sent.count() == 3 * len(findings)
    assert set(sent.values_list("attempts", flat=True)) == {1}
    assert services.mark_read(world.engineer) == len(findings)
    assert selectors.unread_count(world.engineer) == 0


def test_a_failed_webhook_is_recorded_and_retried_with_backoff(
    world: World, receiver: str, settings: Any
) -> None:
    hook, secret = services.create_webhook(world.engineer, "Teams", f"{receiver}/teams", "teams")
    services.create_subscription(
        world.engineer,
        SubscriptionData(name="Teams", kinds=["finding-new"], webhook_id=hook.pk),
    )
    findings = open_findings(world)
    Receiver.answer = 500
    process()
    failed = Delivery.objects.filter(state="failed")
    assert failed.count() == len(findings)
    first = failed.first()
    assert first is not None
    assert first.attempts == 1
    assert "500" in first.last_error
    assert first.next_attempt_at is not None
    assert first.next_attempt_at > first.created_at

    Receiver.answer = 204
    process()  # not yet due: the backoff holds
    assert Delivery.objects.filter(state="sent").count() == 0
    process(first.next_attempt_at)
    assert Delivery.objects.filter(state="sent").count() == len(findings)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}
    teams_payload = json.loads(Receiver.received[-1][2])
    assert teams_payload["type"] == "message"
    card = teams_payload["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard"
    assert receiver_verifies(secret, Receiver.received[-1][1], Receiver.received[-1][2])


def test_the_digest_sends_one_message_with_every_held_event(world: World, smtp: Mailbox) -> None:
    services.create_subscription(
        world.engineer,
        SubscriptionData(name="Daily", kinds=["finding-new"], email=True, mode="digest"),
    )
    findings = open_findings(world)
    process()
    assert smtp.messages == []
    assert Delivery.objects.filter(state="held").count() == len(findings)
    held = Delivery.objects.first()
    assert held is not None
    assert held.next_attempt_at is not None
    process(held.next_attempt_at)
    [message] = smtp.messages
    assert str(message["Subject"]) == f"[medvigil] Daily digest: {len(findings)} alerts"
    body = message.get_payload()
    assert isinstance(body, str)
    assert all(finding.vulnerability.canonical_id in body for finding in findings)
    assert Delivery.objects.filter(state="sent").count() == len(findings)


def test_filters_by_severity_and_product(world: World) -> None:
    other = factories.product(owner=world.team, name="Other pump")
    services.create_subscription(
        world.engineer,
        SubscriptionData(name="High", kinds=["finding-new"], minimum_severity="high"),
    )
    services.create_subscription(
        world.engineer,
        SubscriptionData(name="Other product", kinds=["finding-new"], product_id=other.pk),
    )
    findings = open_findings(world)
    process()
    high = {
        finding.vulnerability.canonical_id
        for finding in findings
        if finding.vulnerability.severity in ("high", "critical")
    }
    got = {alert.event.details["vulnerability"] for alert in selectors.inbox(world.engineer)}
    assert got == high
    assert all(alert.subscription.name == "High" for alert in selectors.inbox(world.engineer))
