"""The watch unattended: a source served on 127.0.0.1 is synchronised by a worker on its own,
findings open, and the next heartbeat tells the subscriber by real SMTP and a signed webhook."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medvigil.alerts import selectors, services
from medvigil.alerts.models import Delivery
from medvigil.alerts.services import SubscriptionData
from medvigil.platform.workers import run_worker
from medvigil.vulns import sources
from medvigil.vulns.models import FeedSource, Finding
from tests import factories
from tests.alerts.conftest import Mailbox, Receiver, World
from tests.alerts.test_delivery import receiver_verifies
from tests.feed_mirror import Mirror, build_mirror, pypi_records, serve
from tests.vulns.test_feed_watch import cyclonedx, vulnerable_components


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[Mirror]:
    root = tmp_path / "mirror"
    root.mkdir()
    with serve(root) as base_url:
        yield build_mirror(root, base_url, osv_records=pypi_records(200))


# The worker commits as it goes: real transactions, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_synchronised_source_alerts_the_subscriber_without_anyone_pressing_a_button(
    mirror: Mirror, world: World, smtp: Mailbox, receiver: str, settings: Any, tmp_path: Path
) -> None:
    settings.FULL_REMATCH_HOURS = 0
    components = vulnerable_components(mirror.osv_records, 3)
    sbom = tmp_path / "pump.cdx.json"
    sbom.write_bytes(cyclonedx(components))
    factories.sbom_document(world.version, sbom, role="application")
    hook, secret = services.create_webhook(world.engineer, "Pager", f"{receiver}/pager")
    services.create_subscription(
        world.engineer,
        SubscriptionData(
            name="New findings", kinds=["finding-new"], email=True, webhook_id=hook.pk
        ),
    )
    before = set(Finding.objects.filter(version=world.version).values_list("pk", flat=True))
    sources.add_source("osv-pypi", mirror.urls["osv-pypi"], "osv", interval_hours=6)

    run_worker(batch=True, periodic=True)  # the heartbeat queues the sync; the sync matches
    assert FeedSource.objects.get(name="osv-pypi").last_status == "imported"
    new = Finding.objects.filter(version=world.version, state="open").exclude(pk__in=before)
    opened = {finding.component_name: finding for finding in new}
    assert {name for name, _, _ in components} <= set(opened)

    run_worker(batch=True, periodic=True)  # the next heartbeat reads, fans out and delivers
    run_worker(batch=True, periodic=True)  # and again: nothing is sent twice

    names = {finding.vulnerability.canonical_id for finding in new}
    assert {alert.event.details["vulnerability"] for alert in selectors.inbox(world.engineer)} >= (
        names
    )
    assert selectors.unread_count(world.outsider) == 0
    mailed = [str(message["Subject"]) for message in smtp.messages]
    assert all(recipients == [world.engineer.email] for recipients in smtp.recipients)
    for name in names:
        assert sum(name in subject for subject in mailed) == 1, name
    posts = [item for item in Receiver.received if item[0] == "/pager"]
    assert len(posts) == len(mailed)
    posted = set()
    for _, headers, body in posts:
        assert receiver_verifies(secret, headers, body)
        posted.add(json.loads(body)["event"]["details"]["vulnerability"])
    assert names <= posted
    assert not Delivery.objects.exclude(state="sent").exists()
