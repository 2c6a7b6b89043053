"""Synchronise feed sources: download what changed, import it, remember how it went.

Three layouts, chosen by the source's address and kind:

- one file (OSV `all.zip`, KEV JSON, EPSS `.csv.gz`, …): a conditional request
  (`medvigil.vulns.downloads`); a 304, or a 200 whose bytes hash as the last
  import's, imports nothing;
- NVD (`nvdcve-2.0-modified.json.gz`): every yearly file once (each year
  remembered as imported, so a cut-short first run continues where it
  stopped), then the modified file; a copy older than eight days starts again;
- CSAF (`medvigil.vulns.csaf_walk`): the provider's listing, then only the
  documents changed since the last walk.

A completed download whose import failed stays in FEED_CACHE_DIRECTORY and is
imported next time without downloading again; validators and hashes are
saved only after the import succeeded. Each import or failure is an audit
event (`vulns.feed.synced`); a run that finds nothing new is not.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.context import Actor, acting_as
from medvigil.audit.services import record
from medvigil.core.sources import is_nvd_modified_feed, nvd_year_url
from medvigil.platform.queues import portfolio_task
from medvigil.vulns.csaf_walk import sync_csaf
from medvigil.vulns.downloads import DownloadFailed
from medvigil.vulns.file_sync import SyncOutcome, download_and_import
from medvigil.vulns.models import FeedSource

SYNC_ACTOR = Actor(label="feed synchronisation")
NVD_MODIFIED_COVERS = timedelta(days=8)


def sync_feeds() -> list[SyncOutcome]:
    """Synchronise every enabled feed source; a failing source does not stop the others."""
    return [sync_source(source) for source in FeedSource.objects.filter(enabled=True)]


def sync_source(source: FeedSource) -> SyncOutcome:
    outcome = SyncOutcome(source.name, "not-modified")
    try:
        if source.kind in ("nvd", "auto") and is_nvd_modified_feed(source.url):
            sync_nvd(source, outcome)
        elif source.kind == "csaf":
            sync_csaf(source, outcome)
        else:
            download_and_import(source, source.url, source.kind, outcome, conditional=True)
    except DownloadFailed as error:
        outcome.status, outcome.error = "failed", str(error)
        outcome.http_status = error.status or outcome.http_status
    except Exception as error:  # an import that fails is recorded, and retried from the cache
        outcome.status = "failed"
        outcome.error = f"import failed ({type(error).__name__}): {error}"
    return remember(source, outcome)


def sync_nvd(source: FeedSource, outcome: SyncOutcome) -> None:
    now = timezone.now()
    state = source.state
    fresh = source.last_imported_at is not None and now - source.last_imported_at < (
        NVD_MODIFIED_COVERS
    )
    if state.get("nvd_complete") and not fresh:
        state["nvd_complete"], state["nvd_years"] = False, []
    if not state.get("nvd_complete"):
        done = set(state.get("nvd_years", []))
        for year in range(int(settings.FEED_NVD_FIRST_YEAR), now.year + 1):
            if year in done:
                continue
            download_and_import(
                source, nvd_year_url(source.url, year), "nvd", outcome, conditional=False
            )
            done.add(year)
            state["nvd_years"] = sorted(done)
            save_state(source)  # a run cut short goes on from the next year
        state["nvd_complete"] = True
        state.pop("nvd_years", None)
        save_state(source)
    download_and_import(source, source.url, "nvd", outcome, conditional=True)


def save_state(source: FeedSource) -> None:
    FeedSource.objects.filter(pk=source.pk).update(state=source.state)


def remember(source: FeedSource, outcome: SyncOutcome) -> SyncOutcome:
    with transaction.atomic():
        now = timezone.now()
        source.last_checked_at = now
        source.last_status = outcome.status
        source.last_error = outcome.error
        failed = outcome.status == "failed"
        source.state["failures"] = int(source.state.get("failures", 0)) + 1 if failed else 0
        if not failed:
            source.last_imported_at = now  # the source is current, whether or not it changed
        if outcome.counts:
            source.last_counts = outcome.counts
        source.save()
        if outcome.status in ("imported", "failed"):
            record(
                "vulns.feed.synced",
                source,
                details={
                    "status": outcome.status,
                    "http_status": outcome.http_status,
                    "error": outcome.error,
                    "counts": outcome.counts,
                    "imports": outcome.imports,
                },
            )
    return outcome


@portfolio_task
def sync_feeds_task() -> list[dict[str, Any]]:
    with acting_as(SYNC_ACTOR):
        return [asdict(outcome) for outcome in sync_feeds()]


@portfolio_task
def sync_source_task(source_id: int) -> dict[str, Any]:
    source = FeedSource.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return {"skipped": "source removed or disabled"}
    with acting_as(SYNC_ACTOR):
        return asdict(sync_source(source))
