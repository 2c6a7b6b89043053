"""Synchronise a CSAF 2.0 provider: its listing, then only the documents that changed.

The source's address is an `aggregator.json` (§7.1.21: every provider it
lists is walked), a `provider-metadata.json`, a ROLIE feed, or a directory's
`changes.csv` or `index.txt` (CSAF 2.0 §7.1.7, §7.1.12 to §7.1.15); a single
CSAF document is imported as one file. From a provider-metadata.json the
public ROLIE feeds are read, else each directory's `changes.csv`, else its
`index.txt`. Every address must be https (loopback http excepted, see
`is_secure_address`). Each document's hash file and signature are checked
(`medvigil.vulns.csaf_integrity`) before it is imported. Of what the
listing names, documents changed since the last walk (narrowed to the
source's `scope`) are downloaded, at most FEED_CSAF_DOCUMENTS_PER_SYNC of
them, each within FEED_CSAF_MAX_DOCUMENT_BYTES, and imported together; the
rest waits for the next run, which the schedule makes due at once. A
document that cannot be downloaded is named in the outcome and tried again
next time; one refused by its hash or signature is named and passed over.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import replace
from datetime import datetime

from django.conf import settings

from medvigil.core.sources import (
    CsafDistributionError,
    CsafWalkLimits,
    DistributedDocument,
    is_secure_address,
    looks_like_aggregator,
    looks_like_provider_metadata,
    read_aggregator,
    read_changes_csv,
    read_index_txt,
    read_provider_metadata,
    read_rolie_feed,
    select_documents,
)
from medvigil.vulns.csaf_integrity import DocumentRefused, Verifier
from medvigil.vulns.downloads import DownloadFailed, fetch
from medvigil.vulns.file_sync import SyncOutcome, cache_folder, download_and_import, file_name
from medvigil.vulns.models import FeedSource
from medvigil.vulns.services import import_feed


def walk_limits() -> CsafWalkLimits:
    return CsafWalkLimits(
        documents=int(settings.FEED_CSAF_DOCUMENTS_PER_SYNC),
        document_bytes=int(settings.FEED_CSAF_MAX_DOCUMENT_BYTES),
    )


def fetch_listing(source: FeedSource, url: str, limits: CsafWalkLimits) -> bytes:
    target = cache_folder(source) / f"listing-{file_name(url)}"
    fetch(url, target, limit=limits.listing_bytes)
    try:
        return target.read_bytes()
    finally:
        target.unlink(missing_ok=True)


def directory_listing(
    source: FeedSource, directory: str, limits: CsafWalkLimits
) -> tuple[DistributedDocument, ...]:
    try:
        return read_changes_csv(
            fetch_listing(source, directory + "changes.csv", limits), directory, limits
        )
    except DownloadFailed as error:
        if error.status != 404:
            raise
    return read_index_txt(fetch_listing(source, directory + "index.txt", limits), directory, limits)


def listing(
    source: FeedSource, content: bytes, limits: CsafWalkLimits
) -> tuple[DistributedDocument, ...] | None:
    """What the source's address lists; None when it is a CSAF document itself."""
    url = source.url
    lowered = url.lower().split("?", 1)[0]
    directory = url.rsplit("/", 1)[0] + "/"
    if lowered.endswith("changes.csv"):
        return read_changes_csv(content, directory, limits)
    if lowered.endswith("index.txt"):
        return read_index_txt(content, directory, limits)
    try:
        document = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise CsafDistributionError(f"{url}: not readable as JSON: {error}") from None
    if isinstance(document, dict) and "feed" in document:
        return read_rolie_feed(content, url, limits)
    if looks_like_aggregator(document):
        found: list[DistributedDocument] = []
        for provider in read_aggregator(content, url, limits):
            metadata = fetch_listing(source, provider, limits)
            found.extend(provider_listing(source, metadata, provider))
        return tuple(found)
    if not looks_like_provider_metadata(document):
        return None
    return provider_listing(source, content, url)


def provider_listing(
    source: FeedSource, content: bytes, url: str
) -> tuple[DistributedDocument, ...]:
    """The documents one provider-metadata.json lists, each carrying the provider's keys."""
    limits = walk_limits()
    metadata = read_provider_metadata(content, url, limits)
    found: list[DistributedDocument] = []
    for feed in metadata.feeds:
        found.extend(read_rolie_feed(fetch_listing(source, feed, limits), feed, limits))
    if not metadata.feeds:
        for folder in metadata.directories:
            found.extend(directory_listing(source, folder, limits))
    return tuple(replace(document, keys=metadata.public_keys) for document in found)


def sync_csaf(source: FeedSource, outcome: SyncOutcome) -> None:
    limits = walk_limits()
    if not is_secure_address(source.url):
        raise DownloadFailed(f"{source.url}: plain http refused; CSAF is read over https only")
    try:
        documents = listing(source, fetch_listing(source, source.url, limits), limits)
    except CsafDistributionError as error:
        raise DownloadFailed(f"CSAF listing refused: {error}") from error
    outcome.http_status = 200
    if documents is None:
        download_and_import(source, source.url, "csaf", outcome, conditional=True)
        return
    state = source.state
    since = datetime.fromisoformat(state["csaf_since"]) if state.get("csaf_since") else None
    seen = frozenset(state.get("csaf_seen", []))
    chosen, more = select_documents(
        documents, since=since, seen=seen, scope=source.scope, limits=limits
    )
    state["more"] = more
    if not chosen:
        outcome.status = "unchanged"
        return
    folder = cache_folder(source) / "csaf-documents"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    missed: list[str] = []
    refused: list[str] = []
    first_missed = len(chosen)
    checks = folder.parent / "csaf-checks"
    checks.mkdir(exist_ok=True)
    with Verifier(checks) as verifier:
        for position, document in enumerate(chosen):
            target = folder / f"{position:05d}-{document.file_name}"
            try:
                fetch(document.url, target, limit=limits.document_bytes)
                verifier.check(document, target)
            except DownloadFailed as error:
                target.unlink(missing_ok=True)
                missed.append(f"{document.url}: {error}")
                first_missed = min(first_missed, position)
            except DocumentRefused as error:
                target.unlink(missing_ok=True)
                refused.append(str(error))
    if len(missed) + len(refused) < len(chosen):
        outcome.add(import_feed(folder, "csaf", name=source.url, source=source))
    shutil.rmtree(folder, ignore_errors=True)
    outcome.counts = dict(Counter(outcome.counts) + verifier.tally)
    remember_checks(state, refused, verifier.notes)
    if refused:
        outcome.error = f"{len(refused)} document(s) refused: {refused[0]}"
        if outcome.status != "imported":
            outcome.status = "failed"  # recorded and audited, though the walk moves on
    if missed:
        outcome.error = f"{len(missed)} document(s) not downloaded: {missed[0]}"
        state["more"] = True
    # The walk moves on only past what arrived, up to the first document that did not.
    remember_walk(state, chosen[:first_missed], since, seen)


def remember_checks(state: dict[str, object], refused: list[str], notes: list[str]) -> None:
    """Keep the latest refusals and unverified documents on the source, for its page."""
    kept = state.get("csaf_refused", [])
    earlier = [str(line) for line in kept] if isinstance(kept, list) else []
    state["csaf_refused"] = (refused + earlier)[:20]
    state["csaf_unverified"] = notes


def remember_walk(
    state: dict[str, object],
    taken: tuple[DistributedDocument, ...],
    since: datetime | None,
    seen: frozenset[str],
) -> None:
    dated = [document.updated for document in taken if document.updated is not None]
    if dated:
        latest = max(dated)
        state["csaf_since"] = max(latest, since).isoformat() if since else latest.isoformat()
    undated = {document.url for document in taken if document.updated is None}
    if undated:
        state["csaf_seen"] = sorted(seen | undated)
