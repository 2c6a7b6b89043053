"""The triage lists cost a fixed number of SQL queries, whatever the number of rows.

Two teams see one version each: one with 5 open findings, one with 50 (some
decided, scored, planned, KEV-listed). Each list, page and API, is read by
each team's viewer with the queries counted; the counts must be equal.
Runs on SQLite and, under `tools/with-postgres`, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medvigil.platform.roles import Role
from medvigil.triage import services
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.triage.statements import Statement
from medvigil.vulns import kev_flags
from medvigil.vulns.models import Finding, KevEntry, Vulnerability, VulnerabilityAlias
from tests import factories

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 50
AFFECTED = Statement(status="affected", action_statement="Update the library.")


def grow(version: Any, count: int, engineer: Any) -> list[Finding]:
    """`count` open findings in `version` (bulk path), a fifth in KEV, two triaged."""
    now = timezone.now()
    label = f"{version.pk:04d}"
    vulnerabilities = Vulnerability.objects.bulk_create(
        Vulnerability(canonical_id=f"CVE-2099-{label}{index:03d}", members=[])
        for index in range(count)
    )
    for row in vulnerabilities:
        row.members = [row.canonical_id]
        row.save(update_fields=["members"])
    VulnerabilityAlias.objects.bulk_create(
        VulnerabilityAlias(identifier=row.canonical_id, vulnerability=row)
        for row in vulnerabilities
    )
    listed = [row.canonical_id for row in vulnerabilities[::5]]
    KevEntry.objects.bulk_create(KevEntry(cve_id=cve, date_added=now.date()) for cve in listed)
    kev_flags.listed_identifiers(listed)
    findings = Finding.objects.bulk_create(
        Finding(
            vulnerability=row,
            component_name=f"library{index}",
            component_version="1.0",
            component_purl=f"pkg:pypi/library{index}@1.0",
            version=version,
            state=Finding.State.OPEN,
            method="purl",
            confidence="high",
            first_seen=now,
            last_seen=now,
        )
        for index, row in enumerate(vulnerabilities)
    )
    services.decide(findings[0], engineer, AFFECTED)
    save_plan(findings[1], engineer, PlanInput())
    return findings


@pytest.fixture
def viewers() -> tuple[Any, Any]:
    result = []
    for count in (SMALL, LARGE):
        team = factories.team()
        version = factories.version(factories.product(owner=team), phase="development")
        engineer = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team])
        grow(version, count, engineer)
        viewer = factories.user(roles=[Role.VIEWER.value], teams=[team])
        viewer.version = version
        result.append(viewer)
    return result[0], result[1]


def counted(viewer: Any, address: Callable[[Any], str], **query: Any) -> tuple[int, Any]:
    client = factories.sign_in(Client(raise_request_exception=False), viewer)
    client.get("/")  # the session's first reads are not the list's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address(viewer.version), query)
    assert response.status_code == 200, response.content[:500]
    return len(queries), response


LISTS = {
    "queue page": (lambda version: "/triage/queue/", {}),
    "queue page, filtered": (
        lambda version: "/triage/queue/",
        {"kev": "no", "status": "undecided"},
    ),
    "queue API": (lambda version: "/api/v1/triage/queue", {"limit": 500}),
    "version findings page, KEV": (
        lambda version: f"/vulnerabilities/versions/{version.pk}/findings",
        {"kev": "yes"},
    ),
    "version findings API": (
        lambda version: f"/api/v1/vulns/versions/{version.pk}/findings",
        {"limit": 500},
    ),
    "version findings API, KEV": (
        lambda version: f"/api/v1/vulns/versions/{version.pk}/findings",
        {"kev": "true", "limit": 500},
    ),
    "version triage page": (lambda version: f"/triage/versions/{version.pk}/", {"limit": 500}),
    "version triage API": (
        lambda version: f"/api/v1/triage/versions/{version.pk}/statements",
        {"limit": 500},
    ),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_costs_the_same_queries_for_5_and_50_rows(viewers: tuple[Any, Any], name: str) -> None:
    address, query = LISTS[name]
    small, large = viewers
    few, shown_few = counted(small, address, **query)
    many, shown_many = counted(large, address, **query)
    assert len(shown_many.content) > len(shown_few.content)  # the larger list shows more
    assert many == few, f"{name}: {few} queries for {SMALL} rows, {many} for {LARGE}"
