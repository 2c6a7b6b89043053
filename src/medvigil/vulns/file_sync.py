"""One file of a feed source: downloaded unless cached, imported unless unchanged.

The step every layout of `medvigil.vulns.sync` is made of. A completed
download whose import failed stays in FEED_CACHE_DIRECTORY (with the
validators of its response) and is imported next time without downloading
again; the source's validators and hash move only after the import succeeded.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from django.conf import settings

from medvigil.vulns.downloads import fetch
from medvigil.vulns.models import FeedImport, FeedSource
from medvigil.vulns.services import import_feed


@dataclass
class SyncOutcome:
    source: str
    status: str  # imported, not-modified, unchanged, failed
    http_status: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    imports: list[int] = field(default_factory=list)

    def add(self, feed_import: FeedImport) -> None:
        self.status = "imported"
        self.imports.append(feed_import.pk)
        self.counts = dict(Counter(self.counts) + Counter(feed_import.counts))
        if feed_import.errors:
            reason = feed_import.errors[0]["reason"]
            self.error = f"{len(feed_import.errors)} file(s) rejected: {reason}"


def cache_folder(source: FeedSource) -> Path:
    folder = Path(settings.FEED_CACHE_DIRECTORY) / f"source-{source.pk}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_name(url: str) -> str:
    return PurePosixPath(urlparse(url).path).name or "feed"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def download_and_import(
    source: FeedSource, url: str, kind: str, outcome: SyncOutcome, *, conditional: bool
) -> None:
    """One file: downloaded unless already in the cache, imported unless unchanged."""
    folder = cache_folder(source)
    complete = folder / file_name(url)
    kept = folder / f"{complete.name}.validators.json"
    if complete.exists() and kept.exists():
        validators = json.loads(kept.read_text())  # the import failed last time: retry it
    else:
        etag, modified = (source.etag, source.last_modified) if conditional else ("", "")
        fetched = fetch(url, complete, etag=etag, last_modified=modified)
        outcome.http_status = fetched.status
        if fetched.status == 304:
            return
        validators = {
            "status": fetched.status,
            "etag": fetched.etag,
            "last_modified": fetched.last_modified,
            "sha256": sha256_of(complete),
        }
        kept.write_text(json.dumps(validators))
    outcome.http_status = outcome.http_status or validators.get("status")
    if conditional and validators["sha256"] == source.state.get("sha256"):
        outcome.status = "unchanged"  # same bytes as the last import: nothing to import
    else:
        outcome.add(import_feed(complete, kind, name=url, source=source))
    if conditional:
        source.etag = validators.get("etag", "")[:500]
        source.last_modified = validators.get("last_modified", "")[:100]
        source.state["sha256"] = validators["sha256"]
    complete.unlink(missing_ok=True)
    kept.unlink(missing_ok=True)
