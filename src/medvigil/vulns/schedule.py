"""The scheduled full re-match: queued by the workers, at most once per interval.

Every worker calls `queue_full_rematch_if_due` with its heartbeat (see
`medvigil.platform.workers.register_periodic`). The work is due when the last
one was queued more than `settings.FULL_REMATCH_HOURS` ago and is no longer
waiting or running. Of several workers that find it due at the same moment,
exactly one queues it: the `ScheduledWork` row is moved forward with a
compare-and-set UPDATE, which holds on SQLite and PostgreSQL alike. The task
goes on the low-priority portfolio queue, so it never delays interactive work.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from medvigil.audit.context import acting_as
from medvigil.audit.services import record
from medvigil.vulns.models import ScheduledWork
from medvigil.vulns.tasks import TASK_ACTOR, rematch_all_task

FULL_REMATCH = "full-rematch"
UNFINISHED = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def schedule_row(name: str) -> ScheduledWork:
    row = ScheduledWork.objects.filter(name=name).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return ScheduledWork.objects.create(name=name)
    except IntegrityError:  # another worker created it first
        return ScheduledWork.objects.get(name=name)


def still_unfinished(task_id: str, task: Any = rematch_all_task) -> bool:
    if not task_id:
        return False
    try:
        return task.get_result(task_id).status in UNFINISHED
    except TaskResultDoesNotExist:
        return False


def queue_full_rematch_if_due(now: datetime | None = None) -> bool:
    """Queue the full re-match when due; True when this call queued it."""
    hours = settings.FULL_REMATCH_HOURS
    if hours <= 0:
        return False
    moment = now or timezone.now()
    row = schedule_row(FULL_REMATCH)
    if row.last_queued_at is not None and moment - row.last_queued_at < timedelta(hours=hours):
        return False
    if still_unfinished(row.task_id):
        return False
    with transaction.atomic(), acting_as(TASK_ACTOR):
        # Compare-and-set (None compares as IS NULL): only a worker still seeing the old value wins.
        claimed = ScheduledWork.objects.filter(pk=row.pk, last_queued_at=row.last_queued_at).update(
            last_queued_at=moment
        )
        if not claimed:
            return False
        result = rematch_all_task.enqueue()
        ScheduledWork.objects.filter(pk=row.pk).update(task_id=str(result.id))
        record(
            "vulns.rematch.scheduled",
            row,
            details={
                "task": str(result.id),
                "interval_hours": hours,
                "previous": row.last_queued_at,
            },
        )
    return True
