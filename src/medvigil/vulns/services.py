"""Every write of vulnerability intelligence: feed imports (advisories, KEV, EPSS).

An import is atomic per batch (`settings.FEED_IMPORT_BATCH_SIZE` records per
transaction, with one audit event per batch that changed something) and
idempotent: the newest `modified` wins, an older or identical record is not
rewritten, so a rerun changes nothing. A killed import loses at most the
batch in progress, never half of one. Each batch saves, in its own
transaction, the keys of the advisories it changed on the `FeedImport`; the
re-match of those keys is queued in the transaction that finishes the import,
and an import killed before that is found interrupted and its keys re-matched
all the same (`medvigil.vulns.interruptions`).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.core.advisories import AdvisoryFormatError
from medvigil.vulns import aliasing, kev_flags
from medvigil.vulns.feed_files import (
    AdvisoryItem,
    Empty,
    EpssItem,
    KevItem,
    Rejected,
    read_feed,
)
from medvigil.vulns.interruptions import take_over_interrupted
from medvigil.vulns.models import (
    Advisory,
    AffectedEntry,
    EpssScore,
    FeedImport,
    FeedSource,
    Finding,
    KevEntry,
)
from medvigil.vulns.records import advisory_keys, advisory_to_json
from medvigil.vulns.tasks import rematch_after_import

ADVISORY_FIELDS = (
    "document_name",
    "modified",
    "published",
    "withdrawn",
    "aliases",
    "summary",
    "details",
    "severities",
    "cwe_ids",
    "references",
    "raw",
    "record",
    "content_hash",
)
KEV_FIELDS = (
    "vendor",
    "product",
    "name",
    "date_added",
    "due_date",
    "required_action",
    "short_description",
    "known_ransomware_campaign_use",
    "notes",
    "cwe_ids",
    "catalog_version",
)


@dataclass
class ImportRun:
    """What one import did so far: counts, rejected files, keys of changed advisories."""

    counts: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, str]] = field(default_factory=list)
    changed_keys: set[tuple[str, str, str]] = field(default_factory=set)
    feed_import: FeedImport | None = None


def content_hash(raw: Any, engine_record: Any) -> str:
    text = json.dumps([raw, engine_record], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_feed(
    target: Path | bytes,
    kind: str = "auto",
    *,
    name: str | None = None,
    source: FeedSource | None = None,
    batch_size: int | None = None,
    rematch: bool = True,
) -> FeedImport:
    """Import a feed file, folder, zip archive or bytes; the `FeedImport` says what changed.

    Keys left by interrupted imports are adopted first, so this import's
    re-match covers what they committed.
    """
    batch_size = batch_size or settings.FEED_IMPORT_BATCH_SIZE
    origin = name or (str(target) if isinstance(target, Path) else "upload")
    feed_import = FeedImport.objects.create(
        kind=kind,
        origin=origin[:1000],
        source=source,
        hostname=socket.gethostname()[:255],
        process_id=os.getpid(),
        progress_at=timezone.now(),
    )
    run = ImportRun(feed_import=feed_import)
    run.changed_keys.update(take_over_interrupted(feed_import))
    try:
        pending: list[AdvisoryItem] = []
        files: set[str] = set()
        for item in read_feed(target, kind, origin):
            files.add(item.document_name)
            run.counts["files"] = len(files)
            if isinstance(item, Empty):
                run.counts["files without advisories"] += 1
            elif isinstance(item, Rejected):
                run.errors.append({"file": item.document_name, "reason": item.reason})
            elif isinstance(item, KevItem):
                store_kev(item, run, batch_size)
            elif isinstance(item, EpssItem):
                store_epss(item, run, batch_size)
            else:
                pending.append(item)
                if len(pending) >= batch_size:
                    store_advisories(pending, run)
                    pending = []
        if pending:
            store_advisories(pending, run)
    except BaseException as error:
        failure = f"{type(error).__name__}: {error}"
        finish(feed_import, run, FeedImport.Status.FAILED, failure, rematch=rematch)
        raise
    status = FeedImport.Status.PARTIAL if run.errors else FeedImport.Status.SUCCEEDED
    finish(feed_import, run, status, "", rematch=rematch)
    return feed_import


def finish(
    feed_import: FeedImport, run: ImportRun, status: str, failure: str, *, rematch: bool
) -> None:
    """Record the outcome; the re-match of what changed (even in a failed run) is queued with it."""
    if failure:
        run.errors.append({"file": feed_import.origin, "reason": failure})
    run.counts["rejected"] = len(run.errors) - (1 if failure else 0)
    with transaction.atomic():
        feed_import.status = status
        feed_import.finished_at = timezone.now()
        feed_import.counts = dict(sorted(run.counts.items()))
        feed_import.errors = run.errors
        feed_import.changed_keys = sorted(list(key) for key in run.changed_keys)
        feed_import.save()
        record(
            "vulns.feed.imported",
            feed_import,
            details={
                "origin": feed_import.origin,
                "kind": feed_import.kind,
                "status": status,
                "counts": feed_import.counts,
                "rejected": [error["file"] for error in run.errors[:50]],
            },
        )
        if rematch and run.changed_keys:
            # In the same transaction: the outcome is never committed without its re-match.
            feed_import.rematch_task_id = str(rematch_after_import.enqueue(feed_import.pk).id)


def store_advisories(items: list[AdvisoryItem], run: ImportRun) -> None:
    """One batch, in one transaction: create, update (newer), or leave alone."""
    newest: dict[tuple[str, str], AdvisoryItem] = {}
    for item in items:
        run.counts["advisories read"] += 1
        key = (item.advisory.id, item.source)
        kept = newest.get(key)
        if kept is None or item.advisory.modified > kept.advisory.modified:
            newest[key] = item
    run.counts["duplicates in feed"] += len(items) - len(newest)
    batch = Counter[str]()
    with transaction.atomic():
        existing = {
            (row.identifier, row.source): row
            for row in Advisory.objects.filter(
                identifier__in={identifier for identifier, _ in newest}
            ).only("id", "identifier", "source", "modified", "content_hash")
        }
        created: list[Advisory] = []
        updated: list[Advisory] = []
        for key, item in newest.items():
            stored = existing.get(key)
            if stored is not None and item.advisory.modified <= stored.modified:
                batch["older" if item.advisory.modified < stored.modified else "unchanged"] += 1
                continue
            row = advisory_row(item, stored)
            (updated if stored is not None else created).append(row)
        if updated:
            old_keys = AffectedEntry.objects.filter(advisory__in=updated).values_list(
                "kind", "namespace", "name"
            )
            run.changed_keys.update((kind, namespace, name) for kind, namespace, name in old_keys)
            AffectedEntry.objects.filter(advisory__in=updated).delete()
        aliasing.regroup(created + updated)
        for row in updated:
            row.save(update_fields=[*ADVISORY_FIELDS, "vulnerability", "updated_at"])
        Advisory.objects.bulk_create(created, batch_size=500)
        entries = []
        for row in created + updated:
            for kind, namespace, name in advisory_keys(row.engine):  # type: ignore[attr-defined]
                entries.append(
                    AffectedEntry(advisory=row, kind=kind, namespace=namespace, name=name)
                )
                run.changed_keys.add((kind, namespace, name))
        AffectedEntry.objects.bulk_create(entries, batch_size=1000)
        batch["created"], batch["updated"] = len(created), len(updated)
        if run.feed_import is not None:
            # The batch's keys commit with its advisories: a kill after this loses no re-match.
            FeedImport.objects.filter(pk=run.feed_import.pk).update(
                changed_keys=sorted(list(key) for key in run.changed_keys),
                progress_at=timezone.now(),
            )
        if created or updated:
            record(
                "vulns.advisories.imported",
                ("vulns.advisory", ""),
                details={
                    **batch,
                    "withdrawn": sum(1 for row in created + updated if row.withdrawn),
                    "first": (created + updated)[0].identifier,
                },
            )
    run.counts.update({f"advisories {key}": value for key, value in batch.items()})


def advisory_row(item: AdvisoryItem, stored: Advisory | None) -> Advisory:
    advisory = item.advisory
    engine_record = advisory_to_json(advisory)
    row = stored or Advisory(identifier=advisory.id[:200], source=item.source)
    row.document_name = item.document_name
    row.modified = advisory.modified
    row.published = advisory.published
    row.withdrawn = advisory.withdrawn
    row.aliases = list(advisory.aliases)
    row.summary = advisory.summary
    row.details = advisory.details
    row.severities = engine_record["severities"]
    row.cwe_ids = list(advisory.cwe_ids)
    row.references = engine_record["references"]
    row.raw = item.raw
    row.record = engine_record
    row.content_hash = content_hash(item.raw, engine_record)
    row.engine = advisory  # type: ignore[attr-defined]  # used for the lookup keys
    return row


def store_kev(item: KevItem, run: ImportRun, batch_size: int) -> None:
    catalog = item.catalog
    version = catalog.version or ""
    for entries in _batches(catalog.entries, batch_size):
        batch = Counter[str]()
        with transaction.atomic():
            existing = {
                row.cve_id: row
                for row in KevEntry.objects.filter(cve_id__in=[entry.cve_id for entry in entries])
            }
            created, updated = [], []
            for entry in entries:
                values = {
                    "vendor": entry.vendor,
                    "product": entry.product,
                    "name": entry.name,
                    "date_added": entry.date_added,
                    "due_date": entry.due_date,
                    "required_action": entry.required_action,
                    "short_description": entry.short_description,
                    "known_ransomware_campaign_use": entry.known_ransomware_campaign_use,
                    "notes": entry.notes,
                    "cwe_ids": list(entry.cwe_ids),
                    "catalog_version": version,
                }
                stored = existing.get(entry.cve_id)
                if stored is None:
                    created.append(KevEntry(cve_id=entry.cve_id, **values))
                    continue
                if version and stored.catalog_version > version:
                    batch["older"] += 1
                    continue
                if not version:
                    values["catalog_version"] = stored.catalog_version
                if all(getattr(stored, name) == value for name, value in values.items()):
                    batch["unchanged"] += 1
                    continue
                for name, value in values.items():
                    setattr(stored, name, value)
                updated.append(stored)
            KevEntry.objects.bulk_create(created)
            KevEntry.objects.bulk_update(updated, KEV_FIELDS)
            kev_flags.listed_identifiers(row.cve_id for row in created)
            batch["created"], batch["updated"] = len(created), len(updated)
            if created or updated:
                record(
                    "vulns.kev.imported",
                    ("vulns.keventry", ""),
                    details={**batch, "catalog": version, "file": item.document_name},
                )
        run.counts.update({f"kev {key}": value for key, value in batch.items()})


def store_epss(item: EpssItem, run: ImportRun, batch_size: int) -> None:
    header = item.header
    model_version = header.model_version or ""
    try:
        for scores in _batches(item.scores, batch_size):
            store_epss_batch(scores, model_version, header.score_date, item.document_name, run)
    except AdvisoryFormatError as error:
        run.errors.append({"file": item.document_name, "reason": str(error)})


def store_epss_batch(
    scores: list[Any], model_version: str, score_date: Any, document_name: str, run: ImportRun
) -> None:
    batch = Counter[str]()
    with transaction.atomic():
        existing = {
            row.cve_id: row
            for row in EpssScore.objects.filter(cve_id__in=[score.cve_id for score in scores])
        }
        created, updated = [], []
        for score in scores:
            stored = existing.get(score.cve_id)
            if stored is None:
                created.append(
                    EpssScore(
                        cve_id=score.cve_id,
                        probability=score.probability,
                        percentile=score.percentile,
                        model_version=model_version,
                        score_date=score_date,
                    )
                )
                continue
            if stored.score_date and (score_date is None or stored.score_date > score_date):
                batch["older"] += 1
                continue
            values = (score.probability, score.percentile, model_version, score_date)
            if (stored.probability, stored.percentile, stored.model_version, stored.score_date) == (
                values
            ):
                batch["unchanged"] += 1
                continue
            stored.probability, stored.percentile, stored.model_version, stored.score_date = values
            updated.append(stored)
        EpssScore.objects.bulk_create(created)
        EpssScore.objects.bulk_update(
            updated, ["probability", "percentile", "model_version", "score_date"]
        )
        batch["created"], batch["updated"] = len(created), len(updated)
        if created or updated:
            record(
                "vulns.epss.imported",
                ("vulns.epssscore", ""),
                details={**batch, "model_version": model_version, "file": document_name},
            )
    run.counts.update({f"epss {key}": value for key, value in batch.items()})


def close_findings_of_document(document: Any, how: str = "deleted") -> int:
    """Close the open findings and candidates of an SBOM's components before it is removed.

    Runs inside the removal's transaction; the findings keep their component
    description, and their component link is emptied by the deletion itself.
    """
    reason = f"component removed: SBOM document {document.filename} {how}"
    now = timezone.now()
    with transaction.atomic():
        live = list(
            Finding.objects.select_for_update()
            .filter(component__document=document)
            .exclude(state=Finding.State.CLOSED)
            .order_by("pk")
        )
        for finding in live:
            record(
                "vulns.finding.closed",
                finding,
                changes={"state": [finding.state, Finding.State.CLOSED]},
                details={"reason": reason, "document": document.pk},
            )
        Finding.objects.filter(pk__in=[finding.pk for finding in live]).update(
            state=Finding.State.CLOSED, close_reason=reason, closed_at=now
        )
    return len(live)
