"""Reading the index file's records back: every field's type and value checked.

Each function takes one decoded JSON value and returns the model object, or
raises `TypeError`, `ValueError` or `KeyError`; `index_file.read_index`
turns those into `IndexFileError` naming the line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from medvigil.core.advisories import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    CpeConfiguration,
    CpeMatch,
    EpssScore,
    KevEntry,
    RangeEvent,
    Reference,
    Severity,
    VersionChange,
    VersionStatus,
)
from medvigil.core.matching import Key

T = TypeVar("T")


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


_NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)


def group_from_json(value: object) -> Advisory:
    """An alias group ``[id, id, ...]`` as what alias grouping reads: an id and its aliases."""
    members = _items(value, _text)
    if len(members) < 2:
        raise ValueError("an alias group holds two ids or more")
    return Advisory(id=members[0], source="index", modified=_NO_DATE, aliases=members[1:])


def key_entry_from_json(value: object, count: int) -> tuple[Key, list[int]]:
    """``[kind, namespace, name, [positions]]``: a matcher key and the advisories filed under it."""
    kind, namespace, name, positions = _fixed_list(value, 4)
    if not isinstance(positions, list) or not all(
        type(position) is int and 0 <= position < count for position in positions
    ):
        raise ValueError("key positions must be advisory numbers")
    return (_text(kind), _text(namespace), _text(name)), positions


def advisory_from_json(value: object) -> Advisory:
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
        model_numbers=_items(record.get("model_numbers", []), _text),
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


def kev_from_json(value: object) -> KevEntry:
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


def epss_from_json(value: object) -> EpssScore:
    cve_id, probability, percentile = _fixed_list(value, 3)
    numbers = (probability, percentile)
    if any(isinstance(n, bool) or not isinstance(n, int | float) for n in numbers):
        raise TypeError("EPSS scores must be numbers")
    return EpssScore(_text(cve_id), float(probability), float(percentile))
