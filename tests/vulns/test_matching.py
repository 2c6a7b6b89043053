"""Findings: created on SBOM import, closed on withdrawal, re-matched incrementally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from medvigil.platform.workers import run_worker
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.conftest import REPOSITORY
from tests.vulns.history import changes_of, findings_changed

pytestmark = pytest.mark.django_db
DEMO_SBOMS = REPOSITORY / "src/medvigil/sbom/demo_data"
# AIC-APP 1.2.0 (real CycloneDX SBOM) against the real GitHub advisories of the demo feed.
EXPECTED_1_2_0 = {
    ("CVE-2017-16137", "debug", "3.2.6"),
    ("CVE-2017-16137", "debug", "4.1.1"),
    ("CVE-2020-7598", "minimist", "0.0.8"),
    ("CVE-2021-44906", "minimist", "0.0.8"),
    ("CVE-2022-3517", "minimatch", "3.0.4"),
    ("CVE-2025-5889", "brace-expansion", "1.1.11"),
}


def found(version: Any, state: str = "open") -> set[tuple[str, str, str]]:
    return {
        (finding.vulnerability.canonical_id, finding.component.name, finding.component.version)
        for finding in Finding.objects.filter(version=version, state=state).select_related(
            "vulnerability", "component"
        )
    }


def import_sbom(version: Any, name: str, capture: Any) -> Any:
    with capture(execute=True):
        document = factories.sbom_document(version, DEMO_SBOMS / name, role="application")
    return document


# The worker commits as it goes (and on PostgreSQL closes a connection held inside a
# test's transaction): tests that drain the queue run with real transactions.
@pytest.mark.django_db(transaction=True)
def test_an_imported_sbom_is_matched_by_a_queued_task_with_exact_findings(
    django_capture_on_commit_callbacks: Any,
) -> None:
    factories.feed_import(factories.demo_feed_folder())
    version = factories.sbom_version(version="1.2.0")
    document = import_sbom(version, "aic-app-1.2.0.cdx.json", django_capture_on_commit_callbacks)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "medvigil.vulns.tasks.match_document_task"
    assert queued.queue_name == "default"  # interactive: someone just uploaded it
    assert queued.args_kwargs["args"] == [document.pk]
    run_worker(batch=True)
    assert found(version) == EXPECTED_1_2_0
    minimist = Finding.objects.get(version=version, vulnerability__canonical_id="CVE-2021-44906")
    assert minimist.provenance == [
        {
            "advisory": "GHSA-xvch-5gv4-984h",
            "source": "osv",
            "package": 1,
            "method": "purl",
            "rule": "in_range",
            "matched": ">= 0, < 0.2.4",
            "fixed": ["0.2.4"],
            "confidence": "high",
            "explanation": minimist.provenance[0]["explanation"],
        }
    ]
    assert (minimist.method, minimist.confidence) == ("purl", "high")
    # Each finding's history names the batch event that opened it, by whom and why.
    findings = list(Finding.objects.filter(version=version))
    for finding in findings:
        [opened] = changes_of(finding.pk, "opened")
        assert opened["state"] == [None, "open"]
        assert opened["advisories"] == [entry["advisory"] for entry in finding.provenance]
        assert opened["event"].actor_label == "vulnerability matching"
    assert sorted(findings_changed("opened")) == sorted(finding.pk for finding in findings)


# The worker commits as it goes (and on PostgreSQL closes a connection held inside a
# test's transaction): tests that drain the queue run with real transactions.
@pytest.mark.django_db(transaction=True)
def test_matching_one_sbom_touches_only_that_sbom(django_capture_on_commit_callbacks: Any) -> None:
    factories.feed_import(factories.demo_feed_folder())
    first = factories.sbom_version(version="1.2.0")
    second = factories.sbom_version(version="1.3.0")
    import_sbom(first, "aic-app-1.2.0.cdx.json", django_capture_on_commit_callbacks)
    run_worker(batch=True)
    document = import_sbom(second, "aic-app-1.3.0.cdx.json", django_capture_on_commit_callbacks)
    report = matching.match_document(document)
    assert report.examined == document.component_count
    assert found(second) == EXPECTED_1_2_0 - {("CVE-2017-16137", "debug", "4.1.1")}
    assert found(first) == EXPECTED_1_2_0


def withdrawn_copy(path: Path, when: str) -> bytes:
    record = json.loads(path.read_text())
    record["withdrawn"] = when
    record["modified"] = when
    return json.dumps(record).encode()


def test_a_withdrawn_advisory_closes_its_findings_with_the_reason(
    django_capture_on_commit_callbacks: Any,
) -> None:
    factories.feed_import(factories.demo_feed_folder())
    version = factories.sbom_version(version="1.2.0")
    document = import_sbom(version, "aic-app-1.2.0.cdx.json", django_capture_on_commit_callbacks)
    matching.match_document(document)
    source = factories.demo_feed_folder() / "osv" / "GHSA-f8q6-p94x-37v3.json"
    result = factories.feed_import(
        withdrawn_copy(source, "2025-01-01T00:00:00Z"), name="withdrawn.json"
    )
    report = matching.rematch_keys([tuple(key) for key in result.changed_keys])
    assert report.closed == 1
    closed = Finding.objects.get(state="closed")
    assert closed.vulnerability.canonical_id == "CVE-2022-3517"
    assert closed.close_reason == "withdrawn: GHSA-f8q6-p94x-37v3 (withdrawn 2025-01-01)"
    assert closed.closed_at is not None
    assert found(version) == EXPECTED_1_2_0 - {("CVE-2022-3517", "minimatch", "3.0.4")}
    [closing] = changes_of(closed.pk, "closed")
    assert closing["reason"] == closed.close_reason
    assert closing["state"] == ["open", "closed"]
    assert findings_changed("closed") == [closed.pk]
    # Never deleted: all six findings are still there.
    assert Finding.objects.filter(version=version).count() == 6


def test_a_feed_change_re_matches_only_the_components_it_names(
    django_capture_on_commit_callbacks: Any,
) -> None:
    factories.feed_import(factories.demo_feed_folder())
    aic = factories.sbom_version(version="1.2.0")
    for name in ("aic-app-1.2.0.cdx.json",):
        matching.match_document(import_sbom(aic, name, django_capture_on_commit_callbacks))
    pm = factories.sbom_version(version="6.0.1")
    matching.match_document(
        import_sbom(pm, "pm-12-application.spdx.json", django_capture_on_commit_callbacks)
    )
    minimatch = json.loads(
        (factories.demo_feed_folder() / "osv" / "GHSA-f8q6-p94x-37v3.json").read_text()
    )
    minimatch["modified"] = "2026-01-01T00:00:00Z"
    minimatch["affected"][0]["ranges"][0]["events"][1]["fixed"] = "3.0.4"  # 3.0.4 now fixed
    result = factories.feed_import(json.dumps(minimatch).encode(), name="minimatch.json")
    assert result.changed_keys == [["package", "npm", "minimatch"]]
    report = matching.rematch_keys([tuple(key) for key in result.changed_keys])
    # One minimatch component in the whole portfolio: exactly one examined.
    assert report.examined == 1
    assert (report.closed, report.opened) == (1, 0)
    closed = Finding.objects.get(state="closed")
    assert closed.close_reason.startswith("no longer affected")
    # Back to the original record: the same finding opens again (not a new one).
    minimatch["modified"] = "2026-02-01T00:00:00Z"
    minimatch["affected"][0]["ranges"][0]["events"][1]["fixed"] = "3.0.5"
    result = factories.feed_import(json.dumps(minimatch).encode(), name="minimatch.json")
    report = matching.rematch_keys([tuple(key) for key in result.changed_keys])
    assert (report.examined, report.reopened) == (1, 1)
    assert Finding.objects.get(pk=closed.pk).state == "open"


def test_aliases_make_one_finding_whatever_the_number_of_sources(
    django_capture_on_commit_callbacks: Any,
) -> None:
    factories.feed_import(factories.demo_feed_folder())
    version = factories.sbom_version(version="1.2.0")
    document = import_sbom(version, "aic-app-1.2.0.cdx.json", django_capture_on_commit_callbacks)
    mirror = {
        "id": "OSV-TEST-MINIMIST",
        "modified": "2024-01-01T00:00:00Z",
        "aliases": ["CVE-2021-44906"],
        "affected": [{"package": {"ecosystem": "npm", "name": "minimist"}, "versions": ["0.0.8"]}],
    }
    factories.feed_import(json.dumps(mirror).encode(), name="mirror.json")
    matching.match_document(document)
    finding = Finding.objects.get(version=version, vulnerability__canonical_id="CVE-2021-44906")
    assert finding.vulnerability.members == [
        "CVE-2021-44906",
        "GHSA-xvch-5gv4-984h",
        "OSV-TEST-MINIMIST",
    ]
    assert [entry["advisory"] for entry in finding.provenance] == [
        "GHSA-xvch-5gv4-984h",
        "OSV-TEST-MINIMIST",
    ]
    assert finding.provenance[1]["rule"] == "listed_version"
    assert found(version) == EXPECTED_1_2_0


# The worker commits as it goes (and on PostgreSQL closes a connection held inside a
# test's transaction): tests that drain the queue run with real transactions.
@pytest.mark.django_db(transaction=True)
def test_a_full_re_match_is_queued_on_the_portfolio_queue() -> None:
    from medvigil.vulns.tasks import rematch_all_task

    result = rematch_all_task.enqueue()
    assert DBTaskResult.objects.get(id=result.id).queue_name == "portfolio"
    run_worker(batch=True)
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
