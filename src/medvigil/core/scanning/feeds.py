"""Feed files on disk → advisories, KEV entries and EPSS scores, with the existing readers.

A path may be a file, a folder (walked) or a zip archive (an OSV ``all.zip``
or any zip of the files below). Each file is recognised by its name and its
first bytes: OSV JSON or YAML, NVD CVE API 2.0 JSON, CVE JSON 5 records,
the CISA KEV catalog (JSON or CSV), EPSS CSV (plain or gzip). Archives and
gzip files expand only within `ArchiveLimits`: a bomb, wherever it is, is a
`FeedError` that stops the run, never a full expansion in memory.

A path named by the caller must be readable and recognised: otherwise
`FeedError`. Inside folders and archives, files that are no feed at all
(schemas, READMEs) are skipped silently and records a reader rejects are
skipped with a `FeedProblem`, so one bad record never hides the rest.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from medvigil.core.advisories import (
    Advisory,
    AdvisoryFormatError,
    EpssScore,
    KevEntry,
    read_cve_record,
    read_epss,
    read_kev_catalog,
    read_kev_csv,
    read_nvd,
    read_osv,
    read_osv_yaml,
)
from medvigil.core.scanning.archives import ArchiveLimitError, ArchiveLimits, gunzip, zip_entries

# Called with (files done, files known) while loading; folders are counted first.
Progress = Callable[[int, int], None]


class FeedError(ValueError):
    """A path given by the caller is missing, unreadable or not a known feed."""


@dataclass(frozen=True, slots=True)
class FeedProblem:
    """A record skipped inside a folder or archive, and why."""

    source: str
    message: str


@dataclass(frozen=True, slots=True)
class FeedData:
    """Everything read from the feed paths (or from a prebuilt index).

    `identities` stand for the alias groups of an index file (one per group
    of several ids: the first id, the others as aliases), reduced to
    their id and aliases: they still join alias groups, never match.
    """

    advisories: tuple[Advisory, ...]
    kev: dict[str, KevEntry]
    epss: dict[str, EpssScore]
    problems: tuple[FeedProblem, ...] = ()
    files: int = 0
    identities: tuple[Advisory, ...] = ()


@dataclass(slots=True)
class _Collector:
    advisories: list[Advisory]
    kev: dict[str, KevEntry]
    epss: dict[str, EpssScore]
    problems: list[FeedProblem]
    limits: ArchiveLimits
    files: int = 0


def load_feeds(
    paths: Iterable[Path], progress: Progress | None = None, limits: ArchiveLimits | None = None
) -> FeedData:
    """Read every feed under `paths` (files, folders, zip archives within `limits`)."""
    collector = _Collector([], {}, {}, [], limits or ArchiveLimits())
    work: list[tuple[Path, bool]] = []
    for path in paths:
        if not path.exists():
            raise FeedError(f"{path}: no such file or folder")
        if path.is_dir():
            work.extend((child, False) for child in sorted(path.rglob("*")) if child.is_file())
        else:
            work.append((path, True))
    for done, (path, named) in enumerate(work, start=1):
        _load_file(path, named, collector)
        if progress is not None:
            progress(done, len(work))
    return FeedData(
        tuple(collector.advisories),
        collector.kev,
        collector.epss,
        tuple(collector.problems),
        collector.files,
    )


def _load_file(path: Path, named: bool, collector: _Collector) -> None:
    try:
        if zipfile.is_zipfile(path):
            for member, content in zip_entries(path, path.name, collector.limits):
                _read(f"{path.name}:{member}", member, content, False, collector)
            return
        data = path.read_bytes()
    except ArchiveLimitError as error:
        # A bomb is refused whole, named or not: nothing after it is read.
        raise FeedError(str(error)) from None
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError) as error:
        if named:
            raise FeedError(f"{path}: cannot read: {error}") from None
        collector.problems.append(FeedProblem(str(path), f"cannot read: {error}"))
        return
    _read(str(path), path.name, data, named, collector)


def _read(source: str, name: str, data: bytes, named: bool, collector: _Collector) -> None:
    lower = name.lower()
    try:
        if lower.endswith(".gz"):
            data = gunzip(data, source, collector.limits)
            lower = lower[:-3]
        recognised = _dispatch(source, lower, data, collector)
    except ArchiveLimitError as error:
        raise FeedError(str(error)) from None
    except (AdvisoryFormatError, OSError, EOFError, ValueError) as error:
        if named:
            raise FeedError(str(error)) from None
        collector.problems.append(FeedProblem(source, str(error)))
        return
    if recognised:
        collector.files += 1
    elif named:
        raise FeedError(f"{source}: not a recognised feed file (OSV, NVD 2.0, CVE 5, KEV, EPSS)")


def _dispatch(source: str, lower: str, data: bytes, collector: _Collector) -> bool:
    if lower.endswith((".yaml", ".yml")):
        collector.advisories.append(read_osv_yaml(data, source=source))
        return True
    if lower.endswith(".csv"):
        return _read_csv(source, data, collector)
    if not lower.endswith(".json"):
        return False
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AdvisoryFormatError(f"not JSON: {error}", source=source) from None
    except RecursionError:
        raise AdvisoryFormatError("JSON nested too deeply", source=source) from None
    return any(reader(source, document, collector) for reader in _JSON_READERS)


def _read_csv(source: str, data: bytes, collector: _Collector) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"#model_version") or head.startswith(b"cve,epss"):
        collector.epss.update(read_epss(data, source=source))
        return True
    if head.startswith(b"cveID,"):
        collector.kev.update(read_kev_csv(data, source=source).by_cve())
        return True
    return False


def _osv(source: str, document: object, collector: _Collector) -> bool:
    if isinstance(document, dict) and "id" in document and "modified" in document:
        collector.advisories.append(read_osv(document, source=source))
        return True
    return False


def _nvd(source: str, document: object, collector: _Collector) -> bool:
    if isinstance(document, dict) and isinstance(document.get("vulnerabilities"), list):
        if "catalogVersion" in document:
            collector.kev.update(read_kev_catalog(document, source=source).by_cve())
            return True
        if document.get("format") == "NVD_CVE" or "resultsPerPage" in document:
            collector.advisories.extend(read_nvd(document, source=source))
            return True
    return False


def _cve5(source: str, document: object, collector: _Collector) -> bool:
    if isinstance(document, dict) and document.get("dataType") == "CVE_RECORD":
        collector.advisories.append(read_cve_record(document, source=source).advisory)
        return True
    return False


_JSON_READERS: tuple[Callable[[str, object, _Collector], bool], ...] = (_osv, _nvd, _cve5)
