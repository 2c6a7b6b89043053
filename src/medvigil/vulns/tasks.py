"""Background work of the vulnerability app.

Matching a new SBOM is interactive (someone just uploaded it); re-matching
after a feed import and the scheduled full re-match are portfolio work on the
low-priority queue (so is feed synchronisation, in `medvigil.vulns.sync`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.queues import interactive_task, portfolio_task
from medvigil.portfolio.models import ProductVersion
from medvigil.sbom.models import SbomDocument
from medvigil.vulns.matching import match_document, match_version, rematch_all, rematch_keys
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
    with acting_as(TASK_ACTOR):
        return asdict(rematch_all())
