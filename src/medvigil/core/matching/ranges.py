"""The OSV affected-version algorithm (osv-schema "Evaluation"), on compiled ranges.

A version is affected if it equals (in the ecosystem's order) a `versions[]`
entry, or lies inside any range. Within a range, events are sorted by version
with ties ordered introduced < last_affected < fixed < limit, then walked:
``introduced`` opens an interval (inclusive), ``fixed`` closes it (exclusive),
``last_affected`` closes it after its version (inclusive). ``limit`` events are
exclusive upper bounds of the whole range. Several introduced/fixed pairs are
disjoint intervals. Compiling (parsing and sorting) is done once per package.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Literal

from medvigil.core.advisories import AffectedPackage, AffectedRange
from medvigil.core.matching import ecosystems
from medvigil.core.matching.ecosystems import parse_ecosystem
from medvigil.core.matching.result import (
    ABOVE_LAST_AFFECTED,
    UNORDERED_VERSION,
    Confidence,
    Rule,
    Verdict,
)
from medvigil.core.matching.versions import (
    INFINITY,
    UnorderableVersion,
    Version,
    parse_event_version,
    parse_version,
)

_TIE_ORDER = {"introduced": 0, "last_affected": 1, "fixed": 2, "limit": 3}


@dataclass(frozen=True, slots=True)
class CompiledRange:
    """One SEMVER/ECOSYSTEM range, its events parsed and sorted."""

    index: int
    ordering: str
    events: tuple[tuple[Version, int, str, str], ...]  # (version, tie, kind, text)
    limits: tuple[Version, ...]


@dataclass(frozen=True, slots=True)
class CompiledPackage:
    """An affected package ready to answer many versions quickly."""

    ordering: str | None
    listed: tuple[Version, ...]  # sorted; only the entries that parse
    listed_strings: frozenset[str]
    ranges: tuple[CompiledRange, ...]


def range_ordering(package_ordering: str | None, affected_range: AffectedRange) -> str | None:
    """SEMVER ranges use SemVer precedence whatever the ecosystem; GIT ranges have none here."""
    if affected_range.type == "GIT":
        return None
    if affected_range.type == "SEMVER":
        if package_ordering in (ecosystems.GO, ecosystems.NPM):
            return package_ordering
        return ecosystems.SEMVER
    return package_ordering


def compile_range(index: int, ordering: str, affected_range: AffectedRange) -> CompiledRange:
    events = sorted(
        (
            (
                parse_event_version(ordering, event.version),
                _TIE_ORDER[event.kind],
                event.kind,
                event.version,
            )
            for event in affected_range.events
            if event.kind != "limit"
        ),
        key=lambda item: (item[0].sort_key, item[1]),  # plain tuples: no Python comparisons
    )
    limits = tuple(
        parse_event_version(ordering, event.version) if event.version != "*" else INFINITY
        for event in affected_range.events
        if event.kind == "limit"
    )
    return CompiledRange(index, ordering, tuple(events), limits)


def compile_package(package: AffectedPackage) -> CompiledPackage:
    """Parse and sort once everything that `evaluate` compares."""
    reference = parse_ecosystem(package.ecosystem)
    ordering = reference.ecosystem.ordering if reference.ecosystem else None
    listed: list[Version] = []
    if ordering is not None:
        for text in package.versions:
            try:
                listed.append(parse_version(ordering, text))
            except UnorderableVersion:
                continue  # still reachable through listed_strings
    ranges = []
    for index, affected_range in enumerate(package.ranges):
        ordering_of_range = range_ordering(ordering, affected_range)
        if ordering_of_range is not None:
            ranges.append(compile_range(index, ordering_of_range, affected_range))
    return CompiledPackage(
        ordering,
        tuple(sorted(listed, key=lambda version: version.sort_key)),
        frozenset(package.versions),
        tuple(ranges),
    )


def _in_range(compiled: CompiledRange, version: Version) -> Verdict | None:
    """The interval holding `version`, or a not-affected verdict carrying a hint, or None."""
    if compiled.limits and not any(version < limit for limit in compiled.limits):
        return None
    opened: str | None = None
    closed_by_last_affected: str | None = None
    upper: tuple[Literal["fixed", "last_affected", "limit"], str] | None = None
    for event_version, _tie, kind, text in compiled.events:
        if version < event_version:
            if opened is not None and kind in ("fixed", "last_affected") and upper is None:
                upper = (kind, text)  # type: ignore[assignment]
            break
        if kind == "introduced":
            opened, closed_by_last_affected = text, None
        elif kind == "fixed":
            opened = None
        elif kind == "last_affected":
            if version > event_version:
                opened, closed_by_last_affected = None, text
            elif opened is not None:
                upper = ("last_affected", text)
    if opened is not None:
        if upper is None and compiled.limits:
            upper = ("limit", min(compiled.limits).text)
        return Verdict(
            affected=True,
            rule=Rule.IN_RANGE,
            confidence=Confidence.HIGH,
            explanation=_interval_text(compiled.index, opened, upper),
            range_index=compiled.index,
            introduced=opened,
            upper_bound=upper[1] if upper else None,
            upper_bound_kind=upper[0] if upper else None,
        )
    if closed_by_last_affected is not None:
        return Verdict(
            affected=False,
            rule=Rule.NOT_AFFECTED,
            confidence=Confidence.HIGH,
            explanation=f"above range {compiled.index}",
            range_index=compiled.index,
            hint=ABOVE_LAST_AFFECTED.format(bound=closed_by_last_affected),
        )
    return None


def _interval_text(index: int, introduced: str, upper: tuple[str, str] | None) -> str:
    low = "any version" if introduced == "0" else f">= {introduced}"
    if upper is None:
        return f"range {index}: {low}, no fix"
    operator = "<=" if upper[0] == "last_affected" else "<"
    return f"range {index}: {low} and {operator} {upper[1]} ({upper[0]})"


def evaluate(compiled: CompiledPackage, version_text: str) -> Verdict:
    """Whether `version_text` is affected, by the OSV algorithm with osv.dev's fallbacks."""
    hint: Verdict | None = None
    if compiled.ordering is not None:
        try:
            version = parse_version(compiled.ordering, version_text)
        except UnorderableVersion:
            version = None
        if version is not None:
            position = bisect.bisect_left(compiled.listed, version)
            if position < len(compiled.listed) and compiled.listed[position] == version:
                listed = compiled.listed[position].text
                return Verdict(
                    affected=True,
                    rule=Rule.LISTED_VERSION,
                    confidence=Confidence.HIGH,
                    explanation=f"equal to listed version {listed}",
                    listed_version=listed,
                )
            for compiled_range in compiled.ranges:
                in_ordering = _in_ordering(compiled_range, version)
                if in_ordering is None:
                    continue
                verdict = _in_range(compiled_range, in_ordering)
                if verdict is not None and verdict.affected:
                    return verdict
                hint = hint or verdict
            if hint is not None:
                return hint
            return Verdict(False, Rule.NOT_AFFECTED, Confidence.HIGH, "outside every range")
    # No ordering for this ecosystem or this version: exact strings only (osv.dev does the same).
    if version_text in compiled.listed_strings:
        return Verdict(
            affected=True,
            rule=Rule.LISTED_STRING,
            confidence=Confidence.LOW,
            explanation=f"listed version {version_text} (exact string; no version ordering)",
            listed_version=version_text,
        )
    for compiled_range in compiled.ranges:
        # A SEMVER range still orders a version that its ecosystem could not.
        try:
            version = parse_version(compiled_range.ordering, version_text)
        except UnorderableVersion:
            continue
        verdict = _in_range(compiled_range, version)
        if verdict is not None and verdict.affected:
            return verdict
    return Verdict(
        affected=False,
        rule=Rule.NOT_AFFECTED,
        confidence=Confidence.LOW,
        explanation="not among the listed version strings",
        hint=UNORDERED_VERSION.format(version=version_text, ordering=compiled.ordering or "(none)"),
    )


def _in_ordering(compiled_range: CompiledRange, version: Version) -> Version | None:
    # A SEMVER range inside an ecosystem with another order re-reads the version.
    if compiled_range.ordering == version.ordering:
        return version
    try:
        return parse_version(compiled_range.ordering, version.text)
    except UnorderableVersion:
        return None


def is_affected(package: AffectedPackage, version_text: str) -> Verdict:
    """Convenience for one-off checks: compile and evaluate (the index caches compiling)."""
    return evaluate(compile_package(package), version_text)
