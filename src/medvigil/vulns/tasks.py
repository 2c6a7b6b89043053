"""Background work of the vulnerability app.

Matching a new SBOM is interactive (someone just uploaded it); re-matching
after a feed import and the scheduled full re-match are portfolio work on the
low-priority queue (so is feed synchronisation, in `medvigil.vulns.sync`).

The full re-match is one task that cuts the portfolio into ranges of
`REMATCH_TASK_SIZE` components and queues one task per range, all in one
transaction: every worker takes ranges at once, and a range whose worker is
killed is put back on the queue by the operations app and matched again
(matching is idempotent: the same findings, no duplicates).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.context import Actor, acting_as
from medvigil.audit.services import record
from medvigil.platform.queues import interactive_task, portfolio_task
from medvigil.portfolio.models import ProductVersion
from medvigil.sbom.models import SbomDocument
from medvigil.vulns.matching import (
    component_ranges,
    match_document,
    match_version,
    rematch_keys,
    rematch_range,
)
from medvigil.vulns.models import FeedImport

TASK_ACTOR = Actor(label="vulnerability matching")


@interactive_task
def match_document_task(document_id: int) -> dict[str, Any]:
    document = SbomDocument.objects.filter(pk=document_id).first()
    if document is None:
        return {"skipped": "document removed"}
    with acting_as(TASK_ACTOR):
        return asdict(match_document(document))


@interactive_task
def match_version_task(version_id: int) -> dict[str, Any]:
    version = ProductVersion.objects.get(pk=version_id)
    with acting_as(TASK_ACTOR):
        return asdict(match_version(version))


@portfolio_task
def rematch_after_import(feed_import_id: int) -> dict[str, Any]:
    feed_import = FeedImport.objects.get(pk=feed_import_id)
    keys = [tuple(key) for key in feed_import.changed_keys]
    with acting_as(TASK_ACTOR):
        return asdict(rematch_keys(keys, scope=f"feed import {feed_import_id}"))


@portfolio_task
def rematch_all_task() -> dict[str, Any]:
    """Queue the full re-match as one task per range of components."""
    run = timezone.now().isoformat(timespec="seconds")
    ranges = component_ranges(settings.REMATCH_TASK_SIZE)
    with acting_as(TASK_ACTOR), transaction.atomic():
        tasks = [str(rematch_range_task.enqueue(run, first, last).id) for first, last in ranges]
        record(
            "vulns.rematch.split",
            ("vulns.finding", ""),
            details={"run": run, "tasks": len(tasks), "size": settings.REMATCH_TASK_SIZE},
        )
    return {"run": run, "tasks": tasks}


@portfolio_task
def rematch_range_task(run: str, first: int, last: int) -> dict[str, Any]:
    """One range of the full re-match (components `first` to `last` by id)."""
    with acting_as(TASK_ACTOR):
        return asdict(rematch_range(first, last, f"portfolio re-match {run} ({first} to {last})"))
