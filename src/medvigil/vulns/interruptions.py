"""Feed imports interrupted by the death of their process, and the re-match they still owe.

Each batch of an import commits its advisories together with the keys they
changed (`FeedImport.changed_keys`), so what an import committed is always
known, even after `kill -9`. An import still marked running whose process is
gone (on this machine: its process id no longer exists; elsewhere: no batch
committed for `settings.FEED_IMPORT_STALE_AFTER_SECONDS`) is *interrupted*.
Its keys are then re-matched in one of two ways, exactly once (each import
is claimed with a compare-and-set UPDATE on its status):

- the next import takes them over (`take_over_interrupted`): they become
  part of its own changed keys, so its re-match covers them;
- otherwise a live worker finds it with its heartbeat
  (`recover_interrupted_imports`) and queues the re-match of its keys.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.context import acting_as
from medvigil.audit.services import record
from medvigil.platform.workers import process_is_gone
from medvigil.vulns.models import FeedImport
from medvigil.vulns.tasks import TASK_ACTOR, rematch_after_import


def interrupted_imports(now: datetime | None = None) -> list[FeedImport]:
    """Imports marked running whose process is gone."""
    moment = now or timezone.now()
    threshold = moment - timedelta(seconds=settings.FEED_IMPORT_STALE_AFTER_SECONDS)
    return [
        feed_import
        for feed_import in FeedImport.objects.filter(status=FeedImport.Status.RUNNING)
        if process_is_gone(feed_import.hostname, feed_import.process_id)
        or (feed_import.progress_at or feed_import.started_at) < threshold
    ]


def _claim(feed_import: FeedImport, moment: datetime, taken_over_by: int | None) -> bool:
    """Mark it interrupted (one caller wins) with its audit event; in the caller's transaction."""
    claimed = FeedImport.objects.filter(pk=feed_import.pk, status=FeedImport.Status.RUNNING).update(
        status=FeedImport.Status.INTERRUPTED, finished_at=moment
    )
    if claimed:
        record(
            "vulns.feed.interrupted",
            feed_import,
            details={
                "origin": feed_import.origin,
                "process": f"{feed_import.hostname}:{feed_import.process_id}",
                "last_batch_at": feed_import.progress_at,
                "changed_keys": len(feed_import.changed_keys),
                "re-matched by": (
                    f"feed import {taken_over_by}" if taken_over_by else "a queued re-match"
                ),
            },
        )
    return bool(claimed)


def take_over_interrupted(successor: FeedImport) -> set[tuple[str, str, str]]:
    """Mark interrupted imports and adopt their changed keys into `successor` (saved at once)."""
    moment = timezone.now()
    adopted: set[tuple[str, str, str]] = set()
    for feed_import in interrupted_imports(moment):
        with transaction.atomic():
            if not _claim(feed_import, moment, successor.pk):
                continue
            adopted.update(
                (kind, namespace, name) for kind, namespace, name in feed_import.changed_keys
            )
            FeedImport.objects.filter(pk=successor.pk).update(
                changed_keys=sorted(list(key) for key in adopted)
            )
    return adopted


def recover_interrupted_imports(now: datetime | None = None) -> list[int]:
    """Mark interrupted imports and queue the re-match of what they committed (with heartbeats)."""
    moment = now or timezone.now()
    recovered = []
    for feed_import in interrupted_imports(moment):
        with transaction.atomic(), acting_as(TASK_ACTOR):
            if not _claim(feed_import, moment, None):
                continue
            if feed_import.changed_keys:
                # Queued in the same transaction: the mark and the re-match commit together.
                rematch_after_import.enqueue(feed_import.pk)
            recovered.append(feed_import.pk)
    return recovered
