"""The full re-match split into range tasks gives exactly the findings of one single task."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from medvigil.audit.models import AuditEvent
from medvigil.platform.workers import run_worker
from medvigil.sbom.models import Component
from medvigil.vulns import matching
from medvigil.vulns.models import ComponentMatchKey, Finding
from medvigil.vulns.tasks import rematch_all_task
from tests import factories
from tests.conftest import REPOSITORY
from tests.vulns.history import changes_of

DEMO_SBOMS = REPOSITORY / "src/medvigil/sbom/demo_data"
SBOMS = (
    ("AIC-APP", "1.2.0", "aic-app-1.2.0.cdx.json"),
    ("AIC-APP", "1.3.0", "aic-app-1.3.0.cdx.json"),
    ("PM-12", "6.0.1", "pm-12-application.spdx.json"),
    ("LVP-300", "3.1", "lvp-300-firmware.spdx.json"),
    ("CVW-8", "2.0", "cvw-8-rhel.spdx.json"),
)


def findings() -> list[tuple[Any, ...]]:
    """Every finding as a user reads it: what, where, state, why and how sure."""
    rows = Finding.objects.values_list(
        "vulnerability__canonical_id",
        "component_id",
        "version_id",
        "state",
        "close_reason",
        "provenance",
        "method",
        "confidence",
    )
    return sorted((*row[:5], json.dumps(row[5], sort_keys=True), *row[6:]) for row in rows)


def range_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="medvigil.vulns.tasks.rematch_range_task"))


def chunked_rematch() -> None:
    rematch_all_task.enqueue()
    run_worker(batch=True)


# The worker commits as it goes: tests that drain the queue run with real transactions.
@pytest.mark.django_db(transaction=True)
def test_a_chunked_full_re_match_gives_the_findings_of_a_single_task(settings: Any) -> None:
    settings.REMATCH_TASK_SIZE = 7  # components per range task
    settings.MATCH_CHUNK_SIZE = 3  # components per transaction inside a task
    factories.feed_import(factories.demo_feed_folder())
    for model_number, label, name in SBOMS:
        version = factories.sbom_version(model_number=model_number, version=label)
        factories.sbom_document(version, DEMO_SBOMS / name, role="application")
    DBTaskResult.objects.all().delete()  # the matching each import queued: not run here
    components = Component.objects.count()

    single = matching.rematch_all()
    expected = findings()
    assert single.opened > 10
    # Again from nothing, now as range tasks run by a worker.
    Finding.objects.all().delete()
    ComponentMatchKey.objects.all().delete()
    chunked_rematch()

    assert findings() == expected
    tasks = range_tasks()
    assert len(tasks) == -(-components // 7) > 3
    assert {task.status for task in tasks} == {"SUCCESSFUL"}
    assert sum(task.return_value["opened"] for task in tasks) == single.opened
    assert sum(task.return_value["examined"] for task in tasks) == single.examined
    # Each finding's history names the batch event that opened it.
    for pk in Finding.objects.values_list("pk", flat=True):
        [opened] = changes_of(pk, "opened") or changes_of(pk, "candidate")
        assert opened["event"].actor_label == "vulnerability matching"

    # Seen again, nothing changes: no batch event, every finding kept.
    events = AuditEvent.objects.filter(action="vulns.findings.matched").count()
    chunked_rematch()
    assert findings() == expected
    assert AuditEvent.objects.filter(action="vulns.findings.matched").count() == events
