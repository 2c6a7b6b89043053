"""Tasks lost with their worker: put back on their queue, or failed after too many tries.

A worker killed in the middle of a task (kill -9, out of memory, a machine
lost) leaves the task marked running for ever. Every live worker looks for
such tasks with its heartbeat (`register_periodic`): a lost task is put back
on its queue as it was (same id, so whoever waits for it, like the full
re-match schedule, keeps following it) until it has been tried
`settings.TASK_MAX_ATTEMPTS` times (one claim per worker that took it), then
it is failed, and an administrator may retry it. Each change is one
compare-and-set UPDATE on the claim's start time, so of several workers
finding the same lost task only one acts on it. Tasks must therefore be safe
to run again, which each medvigil task is (imports and matching are
idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from medvigil.audit.context import Actor, acting_as
from medvigil.audit.services import record
from medvigil.platform.health import CheckResult
from medvigil.platform.workers import lost_tasks

RECOVERY_ACTOR = Actor(label="task recovery")


class WorkerLost(Exception):
    """Recorded as the error of a task given up after its workers died."""


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def recover_lost_tasks(now: datetime | None = None) -> Recovery:
    """Requeue (or, past the attempts allowed, fail) every task whose worker died."""
    moment = now or timezone.now()
    recovery = Recovery()
    for task in lost_tasks(moment):
        attempts = len(task.worker_ids)
        claim = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        with transaction.atomic(), acting_as(RECOVERY_ACTOR):
            details = {"task": task.task_path, "attempts": attempts, "worker": task.worker_ids[-1:]}
            if attempts < settings.TASK_MAX_ATTEMPTS:
                if claim.update(status=TaskResultStatus.READY, started_at=None):
                    record("task-requeued", ("tasks.task", str(task.pk)), details=details)
                    recovery.requeued.append(str(task.pk))
                continue
            given_up = claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=moment,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"{WorkerLost.__qualname__}: its worker died during each of "
                    f"{attempts} attempt(s)\n"
                ),
            )
            if given_up:
                record("task-lost", ("tasks.task", str(task.pk)), details=details)
                recovery.failed.append(str(task.pk))
    return recovery


def lost_tasks_check() -> list[CheckResult]:
    """`medvigil check` fails while a task is marked running on a dead worker."""
    lost = lost_tasks()
    if not lost:
        return [CheckResult("lost tasks", True, "no task is running on a dead worker")]
    names = ", ".join(sorted({task.task_path.rsplit(".", 1)[-1] for task in lost}))
    return [
        CheckResult(
            "lost tasks",
            False,
            f"{len(lost)} task(s) marked running on a dead worker ({names}); "
            "a live `medvigil worker` puts them back on their queue",
        )
    ]
