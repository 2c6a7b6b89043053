"""Configuring sources (API, page, CLI), when the workers find them due, and what the check says."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from medvigil.audit.models import AuditEvent
from medvigil.platform.workers import PERIODIC
from medvigil.vulns import feed_schedule, sources
from medvigil.vulns.health import feed_ages
from medvigil.vulns.models import FeedSource, ScheduledWork
from tests import factories
from tests.cli import run_cli
from tests.conftest import REPOSITORY

pytestmark = pytest.mark.django_db
AIC_SBOM = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"


@pytest.fixture
def administrator(client: Client) -> Client:
    return factories.sign_in(client, factories.user(administrator=True))


def test_the_api_lists_the_catalogue_for_the_portfolio_and_configures_sources(
    administrator: Client,
) -> None:
    version = factories.sbom_version()
    factories.sbom_document(version, AIC_SBOM, role="application")  # npm components
    listed = administrator.get("/api/v1/vulns/feeds/recommended").json()
    assert [item["name"] for item in listed] == [
        "osv-npm",
        "nvd",
        "kev",
        "epss",
        "csaf-cisa-medical",
    ]
    assert listed[0]["url"] == "https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip"
    assert {(item["configured"], item["enabled"]) for item in listed} == {(False, False)}

    enabled = administrator.post("/api/v1/vulns/feeds/sources/kev/enable")
    assert enabled.status_code == 200
    assert enabled.json() == {
        "name": "kev",
        "kind": "kev",
        "url": KEV_URL,
        "enabled": True,
        "interval_hours": 24,
        "maximum_age_hours": 48,
        "scope": "",
    }
    disabled = administrator.post("/api/v1/vulns/feeds/sources/kev/disable")
    assert disabled.json()["enabled"] is False
    missing = administrator.post("/api/v1/vulns/feeds/sources/osv-cobol/enable")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No configured or recommended source named osv-cobol."

    body = {"name": "mirror", "url": "https://mirror.example/kev.json", "kind": "kev"}
    added = administrator.post(
        "/api/v1/vulns/feeds/sources",
        json.dumps({**body, "interval_hours": 6}),
        content_type="application/json",
    )
    assert added.status_code == 201
    assert (added.json()["interval_hours"], added.json()["maximum_age_hours"]) == (6, 12)
    refused = administrator.post(
        "/api/v1/vulns/feeds/sources",
        json.dumps({**body, "url": "file:///etc/passwd"}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "location": ["url"],
            "message": "file:///etc/passwd: only http and https feeds can be synchronised",
        }
    ]
    assert FeedSource.objects.get(name="mirror").url == "https://mirror.example/kev.json"
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert [action for action in actions if action.startswith("vulns.feed.")] == [
        "vulns.feed.configured",
        "vulns.feed.disabled",
        "vulns.feed.configured",
    ]


def test_an_administrator_enables_a_recommended_source_on_the_feeds_page(
    administrator: Client,
) -> None:
    page = administrator.get(reverse("vulns:feeds")).content.decode()
    assert 'data-source="csaf-cisa-medical"' in page
    assert "not configured" in page
    response = administrator.post(reverse("vulns:feed-enable", args=["csaf-cisa-medical"]))
    assert response.status_code == 302
    source = FeedSource.objects.get(name="csaf-cisa-medical")
    assert (source.enabled, source.kind, source.scope, source.interval_hours) == (
        True,
        "csaf",
        "icsma-",
        12,
    )
    page = administrator.get(reverse("vulns:feeds")).content.decode()
    assert 'data-feed="csaf-cisa-medical"' in page
    assert reverse("vulns:feed-disable", args=["csaf-cisa-medical"]) in page
    assert administrator.post(reverse("vulns:feed-enable", args=["nothing"])).status_code == 404


def test_a_viewer_sees_the_catalogue_but_cannot_enable(client: Client) -> None:
    viewer = factories.sign_in(client, factories.user(roles=["viewer"], teams=[factories.team()]))
    assert viewer.get("/api/v1/vulns/feeds/recommended").status_code == 200
    assert viewer.post("/api/v1/vulns/feeds/sources/kev/enable").status_code == 403
    assert viewer.post(reverse("vulns:feed-enable", args=["kev"])).status_code == 403
    assert not FeedSource.objects.exists()


def test_the_workers_check_every_source_and_back_off_after_failures(settings: Any) -> None:
    assert feed_schedule.queue_due_feed_syncs in PERIODIC
    settings.FEED_FAILURE_RETRY_MINUTES = 15
    source = sources.add_source("kev", KEV_URL, "kev", interval_hours=6)
    start = timezone.now()
    assert feed_schedule.queue_due_feed_syncs(start) == ["kev"]
    [task] = DBTaskResult.objects.filter(task_path="medvigil.vulns.sync.sync_source_task")
    assert (task.queue_name, task.args_kwargs["args"]) == ("portfolio", [source.pk])
    DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCESSFUL")
    assert feed_schedule.queue_due_feed_syncs(start + timedelta(hours=5)) == []
    # Failing three times in a row: retried after 15 min * 2 * 2 = 1 h, not the 6 h interval.
    FeedSource.objects.filter(pk=source.pk).update(state={"failures": 3})
    assert feed_schedule.queue_due_feed_syncs(start + timedelta(minutes=59)) == []
    assert feed_schedule.queue_due_feed_syncs(start + timedelta(minutes=61)) == ["kev"]
    # Due again later, but its task still waits: no pile-up behind a slow source.
    assert feed_schedule.queue_due_feed_syncs(start + timedelta(hours=3)) == []
    # A CSAF walk that left documents for later is due at once, once the last run finished.
    DBTaskResult.objects.update(status="SUCCESSFUL")
    FeedSource.objects.filter(pk=source.pk).update(state={"more": True})
    assert feed_schedule.queue_due_feed_syncs(start + timedelta(minutes=62)) == ["kev"]
    scheduled = AuditEvent.objects.filter(action="vulns.feed.sync-scheduled")
    assert scheduled.count() == 3


def test_of_two_workers_finding_a_source_due_only_one_queues_it() -> None:
    source = sources.add_source("kev", KEV_URL, "kev")
    row = ScheduledWork.objects.create(name=sources.schedule_name(source))
    stale = ScheduledWork.objects.get(pk=row.pk)  # both workers read the row first
    assert feed_schedule.queue_feed_sync_if_due(source, timezone.now()) is True
    with mock.patch.object(feed_schedule, "schedule_row", return_value=stale):
        assert feed_schedule.queue_feed_sync_if_due(source, timezone.now()) is False
    assert DBTaskResult.objects.count() == 1


def test_the_check_names_a_failing_or_stale_source() -> None:
    source = sources.add_source("kev", KEV_URL, "kev", interval_hours=6)
    FeedSource.objects.filter(pk=source.pk).update(
        last_imported_at=timezone.now() - timedelta(hours=1),
        last_status="failed",
        last_error="HTTP 503 Service Unavailable",
    )
    (check,) = feed_ages()
    assert (check.name, check.ok) == ("feed kev", False)
    assert check.detail == "failing: HTTP 503 Service Unavailable"
    FeedSource.objects.filter(pk=source.pk).update(
        last_imported_at=timezone.now() - timedelta(hours=13), last_status="not-modified"
    )
    (check,) = feed_ages()
    assert check.detail == "stale: last imported 13 h ago, over the maximum of 12 h"


def test_the_command_line_lists_enables_and_adds_sources(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "migrate").returncode == 0
    listed = run_cli(home, "feeds", "recommended")
    assert listed.returncode == 0, listed.stderr
    assert "csaf-cisa-medical" in listed.stdout
    assert "not configured" in listed.stdout
    enabled = run_cli(home, "feeds", "enable", "kev", "epss")
    assert enabled.returncode == 0, enabled.stderr
    assert f"kev: enabled, every 24 h ({KEV_URL})" in enabled.stdout
    unknown = run_cli(home, "feeds", "enable", "osv-cobol")
    assert unknown.returncode == 2
    assert "No configured or recommended source named osv-cobol." in unknown.stderr
    added = run_cli(
        home,
        "feeds",
        "add",
        "local",
        "https://mirror.example/kev.json",
        "--kind",
        "kev",
        "--every",
        "6h",
    )
    assert added.returncode == 0, added.stderr
    assert "Feed local is synchronised every 6 h" in added.stdout
    bad = run_cli(home, "feeds", "add", "local", "https://mirror.example/kev.json", "--every", "6m")
    assert bad.returncode == 2
    assert "give an interval such as 6h" in bad.stderr
    check = run_cli(home, "check")
    assert check.returncode == 1
    assert "never imported" in check.stdout
