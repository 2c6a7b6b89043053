"""Fan-out asks who may read what once per access profile, not once per subscriber:
the number of queries stays the same when a team grows, and each person still gets
only what they may read."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medvigil.alerts import services
from medvigil.alerts.fanout import fan_out
from medvigil.alerts.models import Alert, AlertEvent
from medvigil.alerts.processing import read_audit
from medvigil.alerts.services import SubscriptionData
from medvigil.platform.roles import Role
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.alerts.conftest import AIC_SBOM, World


def subscribers(world: World, count: int, team: Any) -> list[Any]:
    people = [
        factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team]) for _ in range(count)
    ]
    for person in people:
        services.create_subscription(person, SubscriptionData(name="New", kinds=["finding-new"]))
    return people


def fan_out_queries() -> int:
    Alert.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        fan_out(list(AlertEvent.objects.all()), timezone.now())
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_queries_of_a_fan_out_do_not_grow_with_the_subscribers(world: World) -> None:
    imaging = factories.team("Radiology")
    subscribers(world, 3, world.team)
    outsiders = subscribers(world, 2, imaging)
    matching.match_document(factories.sbom_document(world.version, AIC_SBOM, role="application"))
    read_audit(timezone.now())
    findings = Finding.objects.filter(version=world.version, state="open").count()
    assert findings
    assert AlertEvent.objects.count() == findings

    few = fan_out_queries()
    assert Alert.objects.count() == 3 * findings
    subscribers(world, 12, world.team)
    outsiders += subscribers(world, 6, imaging)
    assert fan_out_queries() == few
    assert Alert.objects.count() == 15 * findings
    assert not Alert.objects.filter(recipient__in=outsiders).exists()
