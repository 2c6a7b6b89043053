"""A task whose worker was killed is found, put back on its queue, and failed after 3 tries."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from medvigil.operations.recovery import lost_tasks_check, recover_lost_tasks
from medvigil.operations.services import retry_task
from medvigil.platform.models import WorkerHeartbeat
from medvigil.vulns.schedule import queue_full_rematch_if_due
from medvigil.vulns.tasks import rematch_all_task
from tests import factories

pytestmark = pytest.mark.django_db
DEAD_PROCESS_ID = 2**22 + 17  # above Linux's largest process id: never a live process


def claimed_by_dead_worker(result: Any, attempt: int) -> DBTaskResult:
    """What `kill -9` of a worker leaves: the task running, the worker's heartbeat fresh."""
    worker_id = f"killed-{attempt}"
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname=socket.gethostname()[:255],
        process_id=DEAD_PROCESS_ID,
        queues="default,portfolio",
        started_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    return row


def test_a_killed_full_rematch_is_requeued_then_failed_and_the_schedule_queues_again(
    settings: Any,
) -> None:
    settings.FULL_REMATCH_HOURS = 24
    assert queue_full_rematch_if_due()
    result = DBTaskResult.objects.get()
    claimed_by_dead_worker(result, 1)
    assert [check.ok for check in lost_tasks_check()] == [False]
    assert recover_lost_tasks().requeued == [str(result.pk)]
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    assert lost_tasks_check()[0].ok

    for attempt in (2, 3):
        claimed_by_dead_worker(result, attempt)
        recovery = recover_lost_tasks()
    assert recovery.failed == [str(result.pk)]
    failed = DBTaskResult.objects.get()
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "medvigil.operations.recovery.WorkerLost"
    # The schedule no longer waits for it: once due, it queues a new full re-match.
    assert queue_full_rematch_if_due(now=timezone.now() + timedelta(hours=25))
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_a_task_running_on_a_dead_worker_can_be_retried() -> None:
    result = rematch_all_task.enqueue()
    claimed_by_dead_worker(result, 1)
    assert retry_task(str(result.id)) == str(result.id)  # before: 409, "this one is RUNNING"
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


def test_a_task_on_a_live_worker_is_left_alone() -> None:
    result = rematch_all_task.enqueue()
    row = claimed_by_dead_worker(result, 1)
    WorkerHeartbeat.objects.filter(worker_id=row.worker_ids[-1]).update(process_id=os.getpid())
    assert recover_lost_tasks().requeued == []
    assert lost_tasks_check()[0].ok


def test_the_task_list_counts_the_attempts_of_a_task_whose_worker_died(client: Any) -> None:
    result = rematch_all_task.enqueue()
    claimed_by_dead_worker(result, 1)
    recover_lost_tasks()
    claimed_by_dead_worker(result, 2)
    factories.sign_in(client, factories.user(administrator=True))
    [task] = client.get("/api/v1/tasks").json()["items"]
    assert (task["status"], task["attempts"]) == ("RUNNING", 2)
