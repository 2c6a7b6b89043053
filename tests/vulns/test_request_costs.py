"""The dashboard and "where are we exposed" cost the same SQL whatever the portfolio holds.

A real SBOM (the companion app's) matched against the demo feed, then the same
SBOM in three more versions: the number of statements of each request must not
change (it grew with every finding before). Runs on SQLite and, under
tools/with-postgres, on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medvigil.platform.roles import Role
from medvigil.vulns import matching, tallies
from tests import factories
from tests.conftest import REPOSITORY

pytestmark = pytest.mark.django_db
AIC_SBOM = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"
VULNERABILITY = "CVE-2021-44906"  # minimist, in the companion app's SBOM
REQUESTS = (
    "/",
    f"/vulnerabilities/{VULNERABILITY}/",
    f"/api/v1/vulns/vulnerabilities/{VULNERABILITY}",
    f"/api/v1/vulns/vulnerabilities/{VULNERABILITY}/exposure",
)


def add_versions(product: Any, count: int) -> None:
    for _ in range(count):
        version = factories.version(product, phase="deployed")
        factories.sbom_document(version, AIC_SBOM, role="application")
        matching.match_version(version)


def statements(client: Client) -> dict[str, int]:
    counted = {}
    for path in REQUESTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counted[path] = len(queries)
    return counted


def test_dashboard_and_exposure_statements_do_not_grow_with_rows() -> None:
    factories.feed_import(factories.demo_feed_folder())
    team = factories.team()
    product = factories.product(owner=team, name="Companion app")
    add_versions(product, 1)
    engineer = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team])
    client = factories.sign_in(Client(), engineer)
    tallies.recount()
    statements(client)  # the first requests fill caches (session, permissions)
    before = statements(client)

    add_versions(product, 3)
    tallies.recount()
    after = statements(client)

    assert after == before
    exposure = client.get(f"/api/v1/vulns/vulnerabilities/{VULNERABILITY}/exposure").json()
    assert len(exposure["items"]) == 4
    assert all(item["open_findings"] == 1 for item in exposure["items"])
    assert all(item["components"] == ["minimist 0.0.8"] for item in exposure["items"])


def test_exposure_pages_through_versions_in_product_order() -> None:
    factories.feed_import(factories.demo_feed_folder())
    team = factories.team()
    add_versions(factories.product(owner=team, name="Bravo"), 2)
    add_versions(factories.product(owner=team, name="Alpha"), 1)
    client = factories.sign_in(
        Client(), factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team])
    )
    url = f"/api/v1/vulns/vulnerabilities/{VULNERABILITY}/exposure"
    first = client.get(url, {"limit": 2}).json()
    second = client.get(url, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [item["product"] for item in first["items"]] == ["Alpha", "Bravo"]
    assert [item["product"] for item in second["items"]] == ["Bravo"]
    assert second["next_cursor"] is None
    detail = client.get(f"/api/v1/vulns/vulnerabilities/{VULNERABILITY}").json()
    assert detail["exposed_versions"] == 3
    page = client.get(f"/vulnerabilities/{VULNERABILITY}/").content.decode()
    assert "3 versions you can see have (or had) a finding" in page


def test_dashboard_tiles_come_from_tallies_once_counted() -> None:
    from medvigil.platform.dashboard import dashboard_tiles

    factories.feed_import(factories.demo_feed_folder())
    team = factories.team()
    product = factories.product(owner=team)
    add_versions(product, 1)
    engineer = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team])
    outsider = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[factories.team()])

    def open_findings(person: Any) -> int:
        return {tile.key: tile.value for tile in dashboard_tiles(person)}["open-findings"]

    live = open_findings(engineer)  # no tally yet: counted from the findings
    assert live > 0
    assert tallies.recount() == 1
    assert open_findings(engineer) == live
    assert open_findings(outsider) == 0
    add_versions(product, 1)
    assert open_findings(engineer) == live  # as last counted, until the next recount
    tallies.recount()
    assert open_findings(engineer) == 2 * live


def test_workers_queue_a_recount_once_per_interval(settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from medvigil.platform.workers import PERIODIC

    assert tallies.recount_if_due in PERIODIC
    settings.FINDING_TALLY_SECONDS = 60
    start = timezone.now()
    assert tallies.recount_if_due(start) is True
    assert tallies.recount_if_due(start + timedelta(seconds=30)) is False
    # Due again, but the first recount still waits: no pile-up.
    assert tallies.recount_if_due(start + timedelta(seconds=61)) is False
    DBTaskResult.objects.update(status="SUCCESSFUL")
    assert tallies.recount_if_due(start + timedelta(seconds=61)) is True
    recounts = DBTaskResult.objects.filter(task_path="medvigil.vulns.tallies.recount_task")
    assert recounts.count() == 2
