"""Each enabled feed source synchronised at its interval, by the workers, once.

Every worker heartbeat calls `queue_due_feed_syncs`. A source is due when its
last synchronisation was queued `interval_hours` ago (sooner after a failure:
FEED_FAILURE_RETRY_MINUTES, doubled with each failure in a row, never longer
than the interval; at once when a CSAF walk left documents for later), and
the task queued last time has finished. As with the full re-match
(`medvigil.vulns.schedule`), a compare-and-set UPDATE on the source's
`ScheduledWork` row lets exactly one of several workers queue it; the task
goes on the low-priority portfolio queue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.context import acting_as
from medvigil.audit.services import record
from medvigil.vulns.models import FeedSource, ScheduledWork
from medvigil.vulns.schedule import schedule_row, still_unfinished
from medvigil.vulns.sources import schedule_name
from medvigil.vulns.sync import SYNC_ACTOR, sync_source_task


def due_after(source: FeedSource) -> timedelta:
    interval = timedelta(hours=source.interval_hours)
    if source.state.get("more"):
        return timedelta(0)
    failures = int(source.state.get("failures", 0))
    if failures:
        retry = timedelta(minutes=settings.FEED_FAILURE_RETRY_MINUTES * 2 ** min(failures - 1, 16))
        return min(interval, retry)
    return interval


def queue_due_feed_syncs(now: datetime | None = None) -> list[str]:
    """Queue the synchronisation of every due source; the names this call queued."""
    moment = now or timezone.now()
    return [
        source.name
        for source in FeedSource.objects.filter(enabled=True)
        if queue_feed_sync_if_due(source, moment)
    ]


def queue_feed_sync_if_due(source: FeedSource, moment: datetime) -> bool:
    row = schedule_row(schedule_name(source))
    if row.last_queued_at is not None and moment - row.last_queued_at < due_after(source):
        return False
    if still_unfinished(row.task_id, sync_source_task):
        return False
    with transaction.atomic(), acting_as(SYNC_ACTOR):
        # Compare-and-set (None compares as IS NULL): only a worker still seeing the old value wins.
        claimed = ScheduledWork.objects.filter(pk=row.pk, last_queued_at=row.last_queued_at).update(
            last_queued_at=moment
        )
        if not claimed:
            return False
        result = sync_source_task.enqueue(source.pk)
        ScheduledWork.objects.filter(pk=row.pk).update(task_id=str(result.id))
        record(
            "vulns.feed.sync-scheduled",
            source,
            details={
                "task": str(result.id),
                "interval_hours": source.interval_hours,
                "previous": row.last_queued_at,
            },
        )
    return True
