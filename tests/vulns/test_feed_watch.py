"""The watch, end to end: sources laid out as the real ones, served on 127.0.0.1, and a
worker that synchronises them on its own (its heartbeat's periodic checks), imports them,
and opens findings; a second round finds nothing changed and imports nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from medvigil.audit.models import AuditEvent
from medvigil.platform.workers import run_worker
from medvigil.vulns import feed_schedule, sources, sync
from medvigil.vulns.health import feed_ages
from medvigil.vulns.models import (
    Advisory,
    EpssScore,
    FeedImport,
    FeedSource,
    Finding,
    KevEntry,
)
from tests import factories
from tests.feed_mirror import Mirror, build_mirror, pypi_records, serve

OSV_RECORDS = 300


def vulnerable_components(records: list[dict[str, Any]], count: int) -> list[tuple[str, str, str]]:
    """(package, affected version, record id) of PyPI records that list their versions,
    one per package."""
    found = []
    for record in records:
        for affected in record.get("affected", []):
            versions = affected.get("versions") or []
            package = affected.get("package", {})
            known = {name for name, _, _ in found}
            if versions and package.get("ecosystem") == "PyPI" and package["name"] not in known:
                found.append((package["name"], versions[0], record["id"]))
                break
        if len(found) == count:
            break
    return found


def cyclonedx(components: list[tuple[str, str, str]]) -> bytes:
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "version": 1,
            "components": [
                {
                    "type": "library",
                    "bom-ref": f"{name}@{version}",
                    "name": name,
                    "version": version,
                    "purl": f"pkg:pypi/{name.lower()}@{version}",
                }
                for name, version, _ in components
            ],
        }
    ).encode()


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[Mirror]:
    root = tmp_path / "mirror"
    root.mkdir()
    with serve(root) as base_url:
        yield build_mirror(root, base_url, osv_records=pypi_records(OSV_RECORDS))


def sync_tasks() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path="medvigil.vulns.sync.sync_source_task").order_by(
            "enqueued_at"
        )
    )


# The worker commits as it goes: tests that drain the queue run with real transactions.
@pytest.mark.django_db(transaction=True)
def test_a_worker_synchronises_every_enabled_source_and_opens_findings(
    mirror: Mirror, settings: Any, tmp_path: Path
) -> None:
    settings.FULL_REMATCH_HOURS = 0
    settings.FEED_NVD_FIRST_YEAR = 2020
    components = vulnerable_components(mirror.osv_records, 4)
    sbom = tmp_path / "device.cdx.json"
    sbom.write_bytes(cyclonedx(components))
    version = factories.sbom_version(version="2.0")
    factories.sbom_document(version, sbom, role="application")
    for name, url in mirror.urls.items():
        kind = "csaf" if name.startswith("csaf") else name.split("-")[0]
        scope = "icsma-" if name == "csaf-rolie" else ""
        sources.add_source(name, url, kind, interval_hours=6, scope=scope)
    assert [result.ok for result in feed_ages()] == [False] * len(mirror.urls)  # never imported

    run_worker(batch=True, periodic=True)  # no one presses a button: the heartbeat queues

    tasks = sync_tasks()
    assert len(tasks) == len(mirror.urls)
    assert {task.queue_name for task in tasks} == {"portfolio"}
    assert all(task.status == "SUCCESSFUL" for task in tasks), [t.exception_class for t in tasks]
    statuses = {row.name: (row.last_status, row.last_error) for row in FeedSource.objects.all()}
    assert statuses == {name: ("imported", "") for name in mirror.urls}
    # Findings: each vulnerable component is found with the OSV record that names it.
    found = set(
        Finding.objects.filter(version=version, state="open").values_list(
            "component_name", "vulnerability__aliases__identifier"
        )
    )
    for name, _, identifier in components:
        assert (name, identifier) in found
    # NVD: every yearly file once, then the modified file; KEV and EPSS in full.
    nvd = FeedSource.objects.get(name="nvd")
    assert nvd.state["nvd_complete"] is True
    nvd_origins = list(
        FeedImport.objects.filter(source=nvd).order_by("pk").values_list("origin", flat=True)
    )
    assert [origin.rsplit("-", 1)[-1] for origin in nvd_origins] == [
        *(f"{year}.json.gz" for year in range(2020, timezone.now().year + 1)),
        "modified.json.gz",
    ]
    assert Advisory.objects.filter(source="nvd").count() == 11
    assert KevEntry.objects.count() == 1404
    assert EpssScore.objects.exists()
    # CSAF: only the medical advisories of the ROLIE provider; every document of the directory.
    rolie = FeedSource.objects.get(name="csaf-rolie")
    assert rolie.last_counts["files"] == mirror.icsma_documents
    csaf_files = set(Advisory.objects.filter(source="csaf").values_list("document_name", flat=True))
    assert csaf_files
    assert all("icsa-" not in name for name in csaf_files)
    directory = FeedSource.objects.get(name="csaf-directory")
    assert directory.last_counts["files"] == mirror.csaf_directory_documents
    assert [result.ok for result in feed_ages()] == [True] * len(mirror.urls)
    synced = AuditEvent.objects.filter(action="vulns.feed.synced")
    assert synced.count() == len(mirror.urls)

    # The next round, an interval later: conditional requests, nothing changed, nothing imported.
    imports = FeedImport.objects.count()
    later = timezone.now() + timedelta(hours=7)
    assert sorted(feed_schedule.queue_due_feed_syncs(later)) == sorted(mirror.urls)
    assert feed_schedule.queue_due_feed_syncs(later) == []  # once, however many workers ask
    run_worker(batch=True)
    assert FeedImport.objects.count() == imports
    statuses = {row.name: row.last_status for row in FeedSource.objects.all()}
    assert statuses == {
        "osv-pypi": "not-modified",
        "nvd": "not-modified",
        "kev": "not-modified",
        "epss": "not-modified",
        "csaf-rolie": "unchanged",
        "csaf-directory": "unchanged",
    }
    assert AuditEvent.objects.filter(action="vulns.feed.synced").count() == len(mirror.urls)


@pytest.mark.django_db(transaction=True)
def test_a_disabled_source_is_never_downloaded(mirror: Mirror, settings: Any) -> None:
    settings.FULL_REMATCH_HOURS = 0
    sources.add_source("kev", mirror.urls["kev"], "kev", enabled=False)
    run_worker(batch=True, periodic=True)
    assert sync_tasks() == []
    assert FeedImport.objects.count() == 0
    (check,) = feed_ages()
    assert (check.ok, check.name) == (False, "vulnerability feeds")
    assert "no feed source enabled" in check.detail


def nvd_years_imported(source: FeedSource) -> list[str]:
    origins = (
        FeedImport.objects.filter(source=source).order_by("pk").values_list("origin", flat=True)
    )
    return [origin.rsplit("-", 1)[-1].removesuffix(".json.gz") for origin in origins]


@pytest.mark.django_db
def test_a_first_nvd_run_cut_short_goes_on_from_the_next_year(
    mirror: Mirror, settings: Any, tmp_path: Path
) -> None:
    settings.FEED_NVD_FIRST_YEAR = 2020
    settings.FEED_RETRY_ATTEMPTS = 1
    feeds = tmp_path / "mirror/nvd/feeds/json/cve/2.0"
    held = feeds / "nvdcve-2.0-2022.json.gz"
    kept = held.read_bytes()
    held.unlink()
    source = sources.add_source("nvd", mirror.urls["nvd"], "nvd")
    failed = sync.sync_source(source)
    assert (failed.status, failed.http_status) == ("failed", 404)
    source.refresh_from_db()
    assert source.state["nvd_years"] == [2020, 2021]
    assert nvd_years_imported(source) == ["2020", "2021"]
    held.write_bytes(kept)
    assert sync.sync_source(source).status == "imported"
    years = [str(year) for year in range(2020, timezone.now().year + 1)]
    assert nvd_years_imported(source) == [*years, "modified"]
    # A copy older than the eight days the modified file covers starts again.
    FeedSource.objects.filter(pk=source.pk).update(
        last_imported_at=timezone.now() - timedelta(days=9)
    )
    source.refresh_from_db()
    assert sync.sync_source(source).status == "imported"
    assert nvd_years_imported(source) == [*years, "modified", *years]  # modified: 304


@pytest.mark.django_db
def test_a_csaf_directory_without_changes_csv_is_walked_by_index_txt_within_the_limit(
    mirror: Mirror, settings: Any, tmp_path: Path
) -> None:
    settings.FEED_CSAF_DOCUMENTS_PER_SYNC = 1
    (tmp_path / "mirror/csaf-directory/white/changes.csv").unlink()
    source = sources.add_source("csaf", mirror.urls["csaf-directory"], "csaf")
    first = sync.sync_source(source)
    assert (first.status, first.counts["files"]) == ("imported", 1)
    source.refresh_from_db()
    assert source.state["more"] is True  # the rest waits: the schedule makes it due at once
    assert feed_schedule.due_after(source) == timedelta(0)
    for _ in range(mirror.csaf_directory_documents - 1):
        assert sync.sync_source(source).status == "imported"
    source.refresh_from_db()
    assert len(source.state["csaf_seen"]) == mirror.csaf_directory_documents
    assert source.state["more"] is False
    assert sync.sync_source(source).status == "unchanged"
    assert FeedImport.objects.filter(source=source).count() == mirror.csaf_directory_documents
