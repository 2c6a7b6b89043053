"""Walk a feed (file, folder, zip archive or uploaded bytes) and read each record.

Every file is recognised by its content (or read as the kind the caller
names) and read by `medvigil.core.advisories`. What cannot be read is
reported as a `Rejected` item with the reader's message (file and field),
never raised, so one bad file does not stop an import of thousands.
A record holding a NUL character (which PostgreSQL cannot store) is
rejected alone, naming its field, on every database. Zip and gzip expand
only within `archive_limits()`: a bomb is rejected, never expanded in memory.
Nothing here touches the database.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from medvigil.core.advisories import (
    Advisory,
    AdvisoryFormatError,
    EpssHeader,
    EpssScore,
    KevCatalog,
    csaf_advisories,
    load_osv_yaml,
    read_cve_record,
    read_kev_catalog,
    read_kev_csv,
    read_nvd,
    read_nvd_feed,
    read_osv,
    stream_epss,
)
from medvigil.core.csaf import read_csaf
from medvigil.core.scanning import ArchiveLimitError, ArchiveLimits, gunzip, zip_entries
from medvigil.core.text import nul_path

DATA_SUFFIXES = (".json", ".yaml", ".yml", ".csv", ".gz", ".zip")
KINDS = ("auto", "osv", "nvd", "cve5", "kev", "epss", "csaf")


@dataclass(frozen=True)
class AdvisoryItem:
    source: str  # osv, nvd, cve5, csaf
    document_name: str
    raw: Any
    advisory: Advisory


@dataclass(frozen=True)
class KevItem:
    document_name: str
    catalog: KevCatalog


@dataclass(frozen=True)
class EpssItem:
    document_name: str
    header: EpssHeader
    scores: Iterator[EpssScore]


@dataclass(frozen=True)
class Rejected:
    document_name: str
    reason: str


@dataclass(frozen=True)
class Empty:
    """A readable document that publishes no advisory (a CSAF document without products)."""

    document_name: str


FeedItem = AdvisoryItem | KevItem | EpssItem | Rejected | Empty


def archive_limits() -> ArchiveLimits:
    """How far a feed archive or gzip file may expand (settings FEED_MAX_*)."""
    defaults = ArchiveLimits()
    return ArchiveLimits(
        entry_bytes=getattr(settings, "FEED_MAX_ENTRY_BYTES", defaults.entry_bytes),
        total_bytes=getattr(settings, "FEED_MAX_EXPANDED_BYTES", defaults.total_bytes),
        ratio=getattr(settings, "FEED_MAX_COMPRESSION_RATIO", defaults.ratio),
    )


def json_safe(value: Any) -> Any:
    """YAML values as JSON can hold them (timestamps and dates as ISO text)."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def read_feed(
    target: Path | bytes,
    kind: str = "auto",
    name: str = "upload",
    limits: ArchiveLimits | None = None,
) -> Iterator[FeedItem]:
    """Every item of a file, folder, zip archive or bytes (`name` labels bytes)."""
    if kind not in KINDS:
        raise ValueError(f"unknown feed kind {kind!r}; kinds: {', '.join(KINDS)}")
    bounds = limits or archive_limits()
    if isinstance(target, bytes):
        yield from read_content(target, name, kind, bounds)
    elif target.is_dir():
        for path in sorted(target.rglob("*")):
            hidden = any(part.startswith(".") for part in path.relative_to(target).parts)
            if path.is_file() and path.name.lower().endswith(DATA_SUFFIXES) and not hidden:
                yield from read_content(path.read_bytes(), str(path), kind, bounds)
    else:
        yield from read_content(target.read_bytes(), str(target), kind, bounds)


def read_content(content: bytes, name: str, kind: str, limits: ArchiveLimits) -> Iterator[FeedItem]:
    if content[:4] == b"PK\x03\x04":
        yield from read_archive(content, name, kind, limits)
        return
    lowered = name.lower()
    if content[:2] == b"\x1f\x8b":
        try:
            content = gunzip(content, name, limits)
        except ArchiveLimitError as error:
            yield Rejected(name, str(error))
            return
        except (OSError, EOFError) as error:
            yield Rejected(name, f"{name}: not a readable gzip file: {error}")
            return
        lowered = lowered.removesuffix(".gz")
    try:
        for item in read_one(content, name, lowered, kind):
            yield _without_nul(item)
    except AdvisoryFormatError as error:
        yield Rejected(name, str(error))
    # ValueError covers bad UTF-8, bad JSON and an integer past Python's digit limit.
    except (ValueError, RecursionError) as error:
        yield Rejected(name, f"{name}: not readable as JSON, YAML or CSV: {error}")


def read_archive(content: bytes, name: str, kind: str, limits: ArchiveLimits) -> Iterator[FeedItem]:
    entries = zip_entries(content, name, limits)
    while True:
        try:
            member, data = next(entries)
        except StopIteration:
            return
        except ArchiveLimitError as error:
            # The archive is refused from here on: what follows a bomb is not read.
            yield Rejected(name, str(error))
            return
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as error:
            yield Rejected(name, f"{name}: not a readable zip archive: {error}")
            return
        if member.lower().endswith(DATA_SUFFIXES[:-1]):
            yield from read_content(data, f"{name}!{member}", kind, limits)


def _without_nul(item: FeedItem) -> FeedItem:
    """The item, or its rejection when a field holds a NUL character (PostgreSQL refuses it).

    Every stored field of an advisory comes from its `raw` record, so `raw` is
    what is searched; a KEV catalog is searched entry by entry.
    """
    if isinstance(item, AdvisoryItem):
        found = nul_path(item.raw)
        record = f"record {item.advisory.id!r}: "
    elif isinstance(item, KevItem):
        found = nul_path([astuple(entry) for entry in item.catalog.entries], "entries")
        record = ""
    else:
        return item
    if found is None:
        return item
    problem = f"{record}{found} contains a NUL character, which cannot be stored"
    return Rejected(item.document_name, f"{item.document_name}: {problem}")


def read_one(content: bytes, name: str, lowered: str, kind: str) -> Iterator[FeedItem]:
    if kind == "epss" or (kind == "auto" and _looks_like_epss(content, lowered)):
        header, scores = stream_epss(content, source=name)
        yield EpssItem(name, header, scores)
        return
    if lowered.endswith(".csv"):
        if kind not in ("auto", "kev"):
            yield Rejected(name, f"{name}: a CSV file is not a {kind} feed")
            return
        yield KevItem(name, read_kev_csv(content, source=name))
        return
    if lowered.endswith((".yaml", ".yml")):
        if kind not in ("auto", "osv"):
            yield Rejected(name, f"{name}: a YAML file is not a {kind} feed")
            return
        raw = json_safe(load_osv_yaml(content, source=name))
        yield AdvisoryItem("osv", name, raw, read_osv(raw, source=name))
        return
    document = json.loads(content)
    found = kind if kind != "auto" else recognise(document)
    if found is None:
        yield Rejected(name, f"{name}: not a vulnerability record, feed or catalog")
        return
    yield from read_document(document, name, found)


def _looks_like_epss(content: bytes, lowered: str) -> bool:
    if content[:2] == b"\x1f\x8b":
        return True
    head = content[:300].lstrip()
    return lowered.endswith(".csv") and (head.startswith(b"#model_version") or head[:4] == b"cve,")


def recognise(document: Any) -> str | None:
    """The kind of a decoded JSON document, or None."""
    if not isinstance(document, dict):
        return None
    if "catalogVersion" in document or ("vulnerabilities" in document and "count" in document):
        return "kev"
    if "CVE_Items" in document or "cve" in document:
        return "nvd"
    if isinstance(document.get("vulnerabilities"), list) and "format" in document:
        return "nvd"
    if "id" in document and "sourceIdentifier" in document:
        return "nvd"
    if "cveMetadata" in document:
        return "cve5"
    if isinstance(document.get("document"), dict) and "csaf_version" in document["document"]:
        return "csaf"
    if "id" in document and "modified" in document:
        return "osv"
    return None


def read_document(document: Any, name: str, kind: str) -> Iterator[FeedItem]:
    if kind == "kev":
        yield KevItem(name, read_kev_catalog(document, source=name))
    elif kind == "osv":
        yield AdvisoryItem("osv", name, document, read_osv(document, source=name))
    elif kind == "cve5":
        yield AdvisoryItem("cve5", name, document, read_cve_record(document, source=name).advisory)
    elif kind == "csaf":
        advisories = csaf_advisories(read_csaf(document, source=name), source=name)
        for advisory in advisories:
            yield AdvisoryItem("csaf", name, document, advisory)
        if not advisories:
            yield Empty(name)
    elif kind == "nvd":
        yield from _nvd(document, name)
    else:
        yield Rejected(name, f"{name}: JSON is not a {kind} feed")


def _nvd(document: Any, name: str) -> Iterator[FeedItem]:
    if isinstance(document, dict) and "CVE_Items" in document:
        advisories = read_nvd_feed(document, source=name)
        items = document["CVE_Items"]
    else:
        advisories = read_nvd(document, source=name)
        if isinstance(document, dict) and "vulnerabilities" in document:
            items = [entry["cve"] for entry in document["vulnerabilities"]]
        else:
            items = [document.get("cve", document)]
    for advisory, raw in zip(advisories, items, strict=True):
        yield AdvisoryItem("nvd", name, raw, advisory)
