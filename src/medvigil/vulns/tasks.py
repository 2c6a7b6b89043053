"""Background work of the vulnerability app.

Matching a new SBOM is interactive (someone just uploaded it); re-matching
after a feed import, the scheduled full re-match and feed synchronisation
are portfolio work on the low-priority queue.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.queues import interactive_task, portfolio_task

TASK_ACTOR = Actor(label="vulnerability matching")


@interactive_task
def match_document_task(document_id: int) -> dict[str, Any]:
    from medvigil.sbom.models import SbomDocument
    from medvigil.vulns.matching import match_document

    document = SbomDocument.objects.filter(pk=document_id).first()
    if document is None:
        return {"skipped": "document removed"}
    with acting_as(TASK_ACTOR):
        return asdict(match_document(document))


@interactive_task
def match_version_task(version_id: int) -> dict[str, Any]:
    from medvigil.portfolio.models import ProductVersion
    from medvigil.vulns.matching import match_version

    version = ProductVersion.objects.get(pk=version_id)
    with acting_as(TASK_ACTOR):
        return asdict(match_version(version))


@portfolio_task
def rematch_after_import(feed_import_id: int) -> dict[str, Any]:
    from medvigil.vulns.matching import rematch_keys
    from medvigil.vulns.models import FeedImport

    feed_import = FeedImport.objects.get(pk=feed_import_id)
    keys = [tuple(key) for key in feed_import.changed_keys]
    with acting_as(TASK_ACTOR):
        return asdict(rematch_keys(keys, scope=f"feed import {feed_import_id}"))  # type: ignore[arg-type]


@portfolio_task
def rematch_all_task() -> dict[str, Any]:
    from medvigil.vulns.matching import rematch_all

    with acting_as(TASK_ACTOR):
        return asdict(rematch_all())


@portfolio_task
def sync_feeds_task() -> list[dict[str, Any]]:
    from medvigil.vulns.sync import sync_feeds

    with acting_as(Actor(label="feed synchronisation")):
        return [asdict(outcome) for outcome in sync_feeds()]
