"""The prebuilt feed index: read feeds once, scan many times from one compact file.

Format (documented in docs/scanner.md): gzip-compressed JSON lines, UTF-8.

- line 1, the header: ``{"format": "medvigil-feed-index", "version": 1,
  "sha256": "<hex>", "advisories": n, "kev": n, "epss": n}``; `sha256` is
  the digest of every following byte (the body, uncompressed).
- then one line per record: ``{"a": advisory, "keys": [[kind, x, y], ...]}``,
  ``{"k": KEV entry}`` or ``{"e": [cve, probability, percentile]}``. An
  advisory is the `Advisory` model as JSON, its fields named as in the
  model, default values omitted; its keys are those the matcher files it
  under (``["package", ecosystem, name]``, ``["cpe", vendor, product]``), so
  a scan builds only the advisories its SBOM can reach: building model
  objects, not reading JSON, is what costs time on a cold start.

The file is data, never code: no pickle, so a file received from elsewhere
can at worst be refused. Loading checks the format name, the version, the
digest and every field's type; anything else raises `IndexFileError`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from medvigil.core.advisories.epss import EpssScore
from medvigil.core.advisories.kev import KevEntry
from medvigil.core.advisories.model import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    CpeConfiguration,
    CpeMatch,
    RangeEvent,
    Reference,
    Severity,
    VersionChange,
    VersionStatus,
)
from medvigil.core.matching.keys import Key, advisory_keys
from medvigil.core.scanning.feeds import FeedData

FORMAT = "medvigil-feed-index"
VERSION = 1
# A hostile file must not exhaust memory through decompression.
MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024

T = TypeVar("T")


class IndexFileError(ValueError):
    """The index file is not one this version wrote, or was altered."""


def write_index(feeds: FeedData) -> bytes:
    """The index file's bytes for `feeds`."""
    lines = [
        _line({"a": _advisory_json(advisory), "keys": sorted(map(list, advisory_keys(advisory)))})
        for advisory in feeds.advisories
    ]
    lines.extend(_line({"k": _kev_json(entry)}) for entry in feeds.kev.values())
    lines.extend(
        _line({"e": [score.cve_id, score.probability, score.percentile]})
        for score in feeds.epss.values()
    )
    body = b"".join(lines)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "sha256": hashlib.sha256(body).hexdigest(),
        "advisories": len(feeds.advisories),
        "kev": len(feeds.kev),
        "epss": len(feeds.epss),
    }
    return gzip.compress(_line(header) + body, compresslevel=6, mtime=0)


def read_index(data: bytes, wanted: set[Key] | None = None) -> FeedData:
    """The feeds stored in an index file; raises `IndexFileError` for anything else.

    With `wanted` (see `matching.keys.component_keys`), only advisories
    filed under one of those keys are built in full; the others come back
    as identities (id and aliases only) in `FeedData.identities`, enough for
    alias grouping.
    """
    try:
        decompressor = zlib.decompressobj(wbits=31)
        raw = decompressor.decompress(data, MAX_UNCOMPRESSED_BYTES)
        if decompressor.unconsumed_tail or not decompressor.eof:
            raise IndexFileError("not a complete gzip file, or larger than the limit")
    except zlib.error as error:
        raise IndexFileError(f"not a gzip file: {error}") from None
    head, separator, body = raw.partition(b"\n")
    header = _decode(head)
    if not separator or not isinstance(header, dict) or header.get("format") != FORMAT:
        raise IndexFileError("not a medvigil feed index (missing header)")
    if header.get("version") != VERSION:
        raise IndexFileError(
            f"index format version {header.get('version')!r}; this medvigil reads {VERSION}"
        )
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise IndexFileError("content does not match its SHA-256: the file was altered or cut")
    advisories: list[Advisory] = []
    identities: list[Advisory] = []
    kev: dict[str, KevEntry] = {}
    epss: dict[str, EpssScore] = {}
    for number, line in enumerate(body.splitlines(), start=2):
        record = _decode(line)
        try:
            if not isinstance(record, dict) or not record:
                raise TypeError("expected one record per line")
            kind, value = next(iter(record.items()))
            if kind == "a":
                if wanted is None or not wanted.isdisjoint(_keys(record.get("keys"))):
                    advisories.append(_advisory(value))
                else:
                    identities.append(_identity(value))
            elif kind == "k":
                entry = _kev(value)
                kev[entry.cve_id] = entry
            elif kind == "e":
                score = _epss(value)
                epss[score.cve_id] = score
            else:
                raise TypeError(f"unknown record kind {kind!r}")
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            raise IndexFileError(f"line {number}: {error}") from None
    counts = (len(advisories) + len(identities), len(kev), len(epss))
    if counts != (header.get("advisories"), header.get("kev"), header.get("epss")):
        raise IndexFileError("record counts differ from the header")
    return FeedData(tuple(advisories), kev, epss, identities=tuple(identities))


def _line(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def _decode(line: bytes) -> Any:
    try:
        return json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise IndexFileError(f"not JSON lines: {error}") from None


# -- writing: the model as JSON, defaults left out ---------------------------------------


def _drop_defaults(pairs: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in pairs.items() if value not in (None, (), [], "")}


def _advisory_json(advisory: Advisory) -> dict[str, Any]:
    return _drop_defaults(
        {
            "id": advisory.id,
            "source": advisory.source,
            "modified": advisory.modified.isoformat(),
            "published": advisory.published.isoformat() if advisory.published else None,
            "withdrawn": advisory.withdrawn.isoformat() if advisory.withdrawn else None,
            "aliases": list(advisory.aliases),
            "summary": advisory.summary,
            "details": advisory.details,
            "severities": [[s.type, s.score, s.source] for s in advisory.severities],
            "cwe_ids": list(advisory.cwe_ids),
            "references": [[r.url, r.type] for r in advisory.references],
            "affected": [_package_json(package) for package in advisory.affected],
            "cpe_configurations": [_configuration_json(c) for c in advisory.cpe_configurations],
            "extras": [list(pair) for pair in advisory.extras],
        }
    )


def _package_json(package: AffectedPackage) -> dict[str, Any]:
    return _drop_defaults(
        {
            "ecosystem": package.ecosystem,
            "name": package.name,
            "purl": package.purl,
            "ranges": [
                _drop_defaults(
                    {
                        "type": r.type,
                        "events": [[e.kind, e.version] for e in r.events],
                        "repository": r.repository,
                    }
                )
                for r in package.ranges
            ],
            "versions": list(package.versions),
            "vendor": package.vendor,
            "cpes": list(package.cpes),
            "default_status": package.default_status,
            "version_statuses": [
                _drop_defaults(
                    {
                        "version": s.version,
                        "status": s.status,
                        "version_type": s.version_type,
                        "less_than": s.less_than,
                        "less_than_or_equal": s.less_than_or_equal,
                        "changes": [[c.at, c.status] for c in s.changes],
                    }
                )
                for s in package.version_statuses
            ],
            "version_ranges": list(package.version_ranges),
        }
    )


def _configuration_json(configuration: CpeConfiguration) -> dict[str, Any]:
    return {
        "operator": configuration.operator,
        "negate": configuration.negate,
        "nodes": [
            [
                operator,
                negate,
                [
                    [
                        m.criteria,
                        m.vulnerable,
                        m.version_start_including,
                        m.version_start_excluding,
                        m.version_end_including,
                        m.version_end_excluding,
                    ]
                    for m in matches
                ],
            ]
            for operator, negate, matches in configuration.nodes
        ],
    }


def _kev_json(entry: KevEntry) -> dict[str, Any]:
    return {
        "cve_id": entry.cve_id,
        "vendor": entry.vendor,
        "product": entry.product,
        "name": entry.name,
        "date_added": entry.date_added.isoformat(),
        "due_date": entry.due_date.isoformat(),
        "required_action": entry.required_action,
        "short_description": entry.short_description,
        "known_ransomware_campaign_use": entry.known_ransomware_campaign_use,
        "notes": entry.notes,
        "cwe_ids": list(entry.cwe_ids),
    }


# -- reading: every field checked ------------------------------------------------------


def _get(record: dict[str, Any], key: str, kind: type[T], default: T | None = None) -> T:
    value = record.get(key, default)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{key}: expected {kind.__name__}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _items(value: object, convert: Callable[[Any], T]) -> tuple[T, ...]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return tuple(convert(item) for item in value)


def _choice(value: object, allowed: tuple[str, ...]) -> Any:
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _timestamp(value: object) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return parsed


def _record(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


def _keys(value: object) -> set[Key]:
    keys = set()
    for item in _items(value, lambda key: _fixed_list(key, 3)):
        keys.add((_text(item[0]), _text(item[1]), _text(item[2])))
    return keys


_NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)


def _identity(value: object) -> Advisory:
    # Only what alias grouping reads: the id and the aliases.
    record = _record(value)
    return Advisory(
        id=_text(record["id"]),
        source=_text(record["source"]),
        modified=_NO_DATE,
        aliases=_items(record.get("aliases", []), _text),
    )


def _advisory(value: object) -> Advisory:
    record = _record(value)
    published = record.get("published")
    withdrawn = record.get("withdrawn")
    return Advisory(
        id=_text(record["id"]),
        source=_text(record["source"]),
        modified=_timestamp(record["modified"]),
        published=None if published is None else _timestamp(published),
        withdrawn=None if withdrawn is None else _timestamp(withdrawn),
        aliases=_items(record.get("aliases", []), _text),
        summary=_get(record, "summary", str, ""),
        details=_get(record, "details", str, ""),
        severities=_items(record.get("severities", []), _severity),
        cwe_ids=_items(record.get("cwe_ids", []), _text),
        references=_items(record.get("references", []), _reference),
        affected=_items(record.get("affected", []), _package),
        cpe_configurations=_items(record.get("cpe_configurations", []), _configuration),
        extras=_items(record.get("extras", []), _pair),
    )


_SEVERITY_TYPES = ("CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu", "qualitative")
_STATUSES = ("affected", "unaffected", "unknown")


def _fixed_list(value: object, size: int) -> list[Any]:
    if not isinstance(value, list) or len(value) != size:
        raise TypeError(f"expected a list of {size}")
    return value


def _severity(value: object) -> Severity:
    kind, score, source = _fixed_list(value, 3)
    return Severity(_choice(kind, _SEVERITY_TYPES), _text(score), _optional_text(source))


def _reference(value: object) -> Reference:
    url, kind = _fixed_list(value, 2)
    return Reference(_text(url), _text(kind))


def _pair(value: object) -> tuple[str, str]:
    key, text = _fixed_list(value, 2)
    return (_text(key), _text(text))


def _package(value: object) -> AffectedPackage:
    record = _record(value)
    default_status = record.get("default_status")
    return AffectedPackage(
        ecosystem=_get(record, "ecosystem", str, ""),
        name=_get(record, "name", str, ""),
        purl=_optional_text(record.get("purl")),
        ranges=_items(record.get("ranges", []), _range),
        versions=_items(record.get("versions", []), _text),
        vendor=_optional_text(record.get("vendor")),
        cpes=_items(record.get("cpes", []), _text),
        default_status=None if default_status is None else _choice(default_status, _STATUSES),
        version_statuses=_items(record.get("version_statuses", []), _version_status),
        version_ranges=_items(record.get("version_ranges", []), _text),
    )


def _range(value: object) -> AffectedRange:
    record = _record(value)
    return AffectedRange(
        type=_choice(record.get("type"), ("SEMVER", "ECOSYSTEM", "GIT")),
        events=_items(record.get("events", []), _event),
        repository=_optional_text(record.get("repository")),
    )


def _event(value: object) -> RangeEvent:
    kind, version = _fixed_list(value, 2)
    return RangeEvent(
        _choice(kind, ("introduced", "fixed", "last_affected", "limit")), _text(version)
    )


def _version_status(value: object) -> VersionStatus:
    record = _record(value)
    return VersionStatus(
        version=_text(record.get("version", "")),
        status=_choice(record.get("status"), _STATUSES),
        version_type=_optional_text(record.get("version_type")),
        less_than=_optional_text(record.get("less_than")),
        less_than_or_equal=_optional_text(record.get("less_than_or_equal")),
        changes=_items(record.get("changes", []), _change),
    )


def _change(value: object) -> VersionChange:
    at, status = _fixed_list(value, 2)
    return VersionChange(_text(at), _choice(status, _STATUSES))


def _configuration(value: object) -> CpeConfiguration:
    record = _record(value)
    return CpeConfiguration(
        nodes=_items(record.get("nodes"), _node),
        operator=_choice(record.get("operator"), ("AND", "OR")),
        negate=_get(record, "negate", bool),
    )


def _node(value: object) -> tuple[Any, bool, tuple[CpeMatch, ...]]:
    operator, negate, matches = _fixed_list(value, 3)
    if not isinstance(negate, bool):
        raise TypeError("negate: expected a boolean")
    return (_choice(operator, ("AND", "OR")), negate, _items(matches, _cpe_match))


def _cpe_match(value: object) -> CpeMatch:
    criteria, vulnerable, start_in, start_ex, end_in, end_ex = _fixed_list(value, 6)
    if not isinstance(vulnerable, bool):
        raise TypeError("vulnerable: expected a boolean")
    return CpeMatch(
        _text(criteria),
        vulnerable,
        _optional_text(start_in),
        _optional_text(start_ex),
        _optional_text(end_in),
        _optional_text(end_ex),
    )


def _kev(value: object) -> KevEntry:
    record = _record(value)
    return KevEntry(
        cve_id=_get(record, "cve_id", str),
        vendor=_get(record, "vendor", str),
        product=_get(record, "product", str),
        name=_get(record, "name", str),
        date_added=date.fromisoformat(_get(record, "date_added", str)),
        due_date=date.fromisoformat(_get(record, "due_date", str)),
        required_action=_get(record, "required_action", str),
        short_description=_get(record, "short_description", str, ""),
        known_ransomware_campaign_use=_get(record, "known_ransomware_campaign_use", bool, False),
        notes=_get(record, "notes", str, ""),
        cwe_ids=_items(record.get("cwe_ids", []), _text),
    )


def _epss(value: object) -> EpssScore:
    cve_id, probability, percentile = _fixed_list(value, 3)
    numbers = (probability, percentile)
    if any(isinstance(n, bool) or not isinstance(n, int | float) for n in numbers):
        raise TypeError("EPSS scores must be numbers")
    return EpssScore(_text(cve_id), float(probability), float(percentile))
