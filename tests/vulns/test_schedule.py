"""The scheduled full re-match: queued by workers when due, once, on the portfolio queue."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from medvigil.audit.models import AuditEvent
from medvigil.configuration import ConfigurationError, read_configuration
from medvigil.platform.workers import PERIODIC, run_worker
from medvigil.vulns import matching, schedule
from medvigil.vulns.models import ComponentMatchKey, Finding, ScheduledWork
from tests import factories
from tests.conftest import REPOSITORY

pytestmark = pytest.mark.django_db
AIC_SBOM = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"


def queued() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path="medvigil.vulns.tasks.rematch_all_task").order_by(
            "enqueued_at"
        )
    )


def test_the_workers_run_the_full_re_match_check() -> None:
    assert schedule.queue_full_rematch_if_due in PERIODIC


def test_due_work_is_queued_once_per_interval_and_not_while_unfinished(settings: Any) -> None:
    settings.FULL_REMATCH_HOURS = 24
    start = timezone.now()
    assert schedule.queue_full_rematch_if_due(start) is True
    [first] = queued()
    assert (first.queue_name, first.priority) == ("portfolio", -50)
    assert schedule.queue_full_rematch_if_due(start + timedelta(hours=1)) is False
    # Due again, but the first one is still waiting: no pile-up behind a slow run.
    assert schedule.queue_full_rematch_if_due(start + timedelta(hours=25)) is False
    DBTaskResult.objects.filter(pk=first.pk).update(status="SUCCESSFUL")
    assert schedule.queue_full_rematch_if_due(start + timedelta(hours=25)) is True
    assert len(queued()) == 2
    row = ScheduledWork.objects.get(name="full-rematch")
    assert row.last_queued_at == start + timedelta(hours=25)
    assert row.task_id == str(queued()[1].pk)
    events = AuditEvent.objects.filter(action="vulns.rematch.scheduled")
    assert [event.details["interval_hours"] for event in events] == [24, 24]
    assert events.first().actor_label == "vulnerability matching"


def test_of_two_workers_finding_the_work_due_only_one_queues_it(settings: Any) -> None:
    settings.FULL_REMATCH_HOURS = 24
    ScheduledWork.objects.create(name="full-rematch")
    # Both workers read the row before either writes it.
    stale = ScheduledWork.objects.get(name="full-rematch")
    assert schedule.queue_full_rematch_if_due() is True
    with mock.patch.object(schedule, "schedule_row", return_value=stale):
        assert schedule.queue_full_rematch_if_due() is False
    assert len(queued()) == 1


def test_zero_hours_switches_the_schedule_off(settings: Any, tmp_path: Path) -> None:
    settings.FULL_REMATCH_HOURS = 0
    assert schedule.queue_full_rematch_if_due() is False
    assert queued() == []
    home = {"MEDVIGIL_HOME": str(tmp_path)}
    assert read_configuration(home).full_rematch_hours == 24
    off = read_configuration({**home, "MEDVIGIL_FULL_REMATCH_HOURS": "0"})
    assert off.full_rematch_hours == 0
    with pytest.raises(ConfigurationError, match="MEDVIGIL_FULL_REMATCH_HOURS must be a whole"):
        read_configuration({**home, "MEDVIGIL_FULL_REMATCH_HOURS": "daily"})


# The worker commits as it goes: tests that drain the queue run with real transactions.
@pytest.mark.django_db(transaction=True)
def test_a_worker_queues_and_runs_the_full_re_match_which_keys_older_sboms(
    settings: Any,
) -> None:
    settings.FULL_REMATCH_HOURS = 24
    factories.feed_import(factories.demo_feed_folder())
    version = factories.sbom_version(version="1.2.0")
    document = factories.sbom_document(version, AIC_SBOM, role="application")
    # An SBOM stored before match keys existed: no keys, no findings.
    ComponentMatchKey.objects.all().delete()
    DBTaskResult.objects.all().delete()
    run_worker(batch=True, periodic=True)
    [task] = queued()
    assert task.status == "SUCCESSFUL"
    # The full re-match queued one task per range of components, which the worker ran too.
    ranges = DBTaskResult.objects.filter(task_path="medvigil.vulns.tasks.rematch_range_task")
    assert sorted(str(row.id) for row in ranges) == sorted(task.return_value["tasks"])
    assert {row.status for row in ranges} == {"SUCCESSFUL"}
    assert sum(row.return_value["examined"] for row in ranges) == document.component_count
    assert Finding.objects.filter(version=version, state="open").count() == 6
    keyed = set(ComponentMatchKey.objects.values_list("component_id", flat=True))
    assert keyed == set(document.components.values_list("pk", flat=True))
    # Now keyed, the SBOM is reached by an incremental re-match after a feed change.
    assert matching.components_with_keys([("package", "npm", "minimist")]) != []
    # A second batch run within the interval queues nothing more.
    run_worker(batch=True, periodic=True)
    assert len(queued()) == 1
