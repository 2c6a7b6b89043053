"""Download the configured feeds with conditional requests, then import them.

For each enabled `FeedSource`: a request with `If-None-Match` (its ETag) and
`If-Modified-Since` (its Last-Modified); 304 means nothing to do. A 200 is
written to a temporary file in FEED_CACHE_DIRECTORY and renamed when
complete, then imported. The validators are saved only after the import
succeeded, so a failed or killed run asks again next time; a download that
completed but whose import failed is imported from the cache without
downloading again. A download is capped at FEED_MAX_DOWNLOAD_BYTES: a larger
announced length is refused before reading, a longer body while reading,
and the partial file is removed.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil import __version__
from medvigil.audit.context import Actor, acting_as
from medvigil.audit.services import record
from medvigil.platform.queues import portfolio_task
from medvigil.vulns.models import FeedSource
from medvigil.vulns.services import import_feed

TIMEOUT_SECONDS = 60
CHUNK_BYTES = 1024 * 1024
DEFAULT_MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024


class DownloadTooLarge(OSError):
    """A feed whose body is longer than the configured cap."""


def max_download_bytes() -> int:
    return int(getattr(settings, "FEED_MAX_DOWNLOAD_BYTES", DEFAULT_MAX_DOWNLOAD_BYTES))


@dataclass
class SyncOutcome:
    source: str
    status: str  # imported, not-modified, failed
    http_status: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""


def cache_folder(source: FeedSource) -> Path:
    folder = Path(settings.FEED_CACHE_DIRECTORY) / f"source-{source.pk}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def download_name(source: FeedSource) -> str:
    name = PurePosixPath(urlparse(source.url).path).name
    return name or "feed"


def sync_feeds() -> list[SyncOutcome]:
    """Synchronise every enabled feed source; a failing source does not stop the others."""
    return [sync_source(source) for source in FeedSource.objects.filter(enabled=True)]


def sync_source(source: FeedSource) -> SyncOutcome:
    folder = cache_folder(source)
    complete = folder / download_name(source)
    validators_file = folder / "validators.json"
    outcome = SyncOutcome(source.name, "failed")
    if complete.exists() and validators_file.exists():
        validators = json.loads(validators_file.read_text())  # resume: import what we have
        outcome.http_status = validators.get("status")
    else:
        try:
            validators = download(source, complete, validators_file)
        except urllib.error.HTTPError as error:
            if error.code == 304:
                outcome.status, outcome.http_status = "not-modified", 304
                return remember(source, outcome)
            outcome.http_status, outcome.error = error.code, f"HTTP {error.code} {error.reason}"
            return remember(source, outcome)
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            outcome.error = f"download failed: {getattr(error, 'reason', error)}"
            return remember(source, outcome)
        outcome.http_status = validators.get("status")
    try:
        feed_import = import_feed(complete, source.kind, name=source.url, source=source)
    except Exception as error:
        outcome.error = f"import failed ({type(error).__name__}): {error}"
        return remember(source, outcome)
    outcome.status, outcome.counts = "imported", dict(feed_import.counts)
    if feed_import.errors:
        outcome.error = (
            f"{len(feed_import.errors)} file(s) rejected: {feed_import.errors[0]['reason']}"
        )
    source.etag = validators.get("etag", "")[:500]
    source.last_modified = validators.get("last_modified", "")[:100]
    source.last_imported_at = timezone.now()
    remember(source, outcome)
    complete.unlink(missing_ok=True)
    validators_file.unlink(missing_ok=True)
    return outcome


def download(source: FeedSource, complete: Path, validators_file: Path) -> dict[str, Any]:
    """Fetch to a temporary file, then rename it: a partial file never looks complete."""
    request = urllib.request.Request(  # noqa: S310 - administrators configure http(s) URLs
        source.url, headers={"User-Agent": f"medvigil/{__version__}"}
    )
    if source.etag:
        request.add_header("If-None-Match", source.etag)
    if source.last_modified:
        request.add_header("If-Modified-Since", source.last_modified)
    partial = complete.with_name(complete.name + ".partial")
    limit = max_download_bytes()
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        announced = response.headers.get("Content-Length", "")
        if announced.isdigit() and int(announced) > limit:
            raise DownloadTooLarge(f"{announced} bytes announced, over the limit of {limit} bytes")
        try:
            copy_within(response, partial, limit)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        validators = {
            "status": response.status,
            "etag": response.headers.get("ETag", ""),
            "last_modified": response.headers.get("Last-Modified", ""),
        }
    partial.replace(complete)
    validators_file.write_text(json.dumps(validators))
    return validators


def copy_within(response: Any, partial: Path, limit: int) -> None:
    """Copy the body chunk by chunk, refused as soon as it passes `limit` bytes."""
    written = 0
    with partial.open("wb") as handle:
        while chunk := response.read(CHUNK_BYTES):
            written += len(chunk)
            if written > limit:
                raise DownloadTooLarge(f"the body passes the limit of {limit} bytes")
            handle.write(chunk)


def remember(source: FeedSource, outcome: SyncOutcome) -> SyncOutcome:
    with transaction.atomic():
        source.last_checked_at = timezone.now()
        source.last_status = outcome.status
        source.last_error = outcome.error
        if outcome.counts:
            source.last_counts = outcome.counts
        source.save()
        record(
            "vulns.feed.synced",
            source,
            details={
                "status": outcome.status,
                "http_status": outcome.http_status,
                "error": outcome.error,
                "counts": outcome.counts,
            },
        )
    return outcome


def add_source(name: str, url: str, kind: str = "auto", maximum_age_hours: int = 48) -> FeedSource:
    """Configure a feed to synchronise (administrators; audited)."""
    scheme = urlparse(url).scheme
    if scheme not in ("http", "https"):
        raise ValueError(f"{url}: only http and https feeds can be synchronised")
    with transaction.atomic():
        source, created = FeedSource.objects.update_or_create(
            name=name, defaults={"url": url, "kind": kind, "maximum_age_hours": maximum_age_hours}
        )
        record(
            "vulns.feed.configured",
            source,
            details={
                "url": url,
                "kind": kind,
                "created": created,
                "maximum_age_hours": maximum_age_hours,
            },
        )
    return source


@portfolio_task
def sync_feeds_task() -> list[dict[str, Any]]:
    with acting_as(Actor(label="feed synchronisation")):
        return [asdict(outcome) for outcome in sync_feeds()]
