"""Per-package interval tables: a cheap "could this advisory affect this version?".

A popular package (tensorflow, the Go standard library) has hundreds of
advisories, each with a few ranges. Walking every range's events for every
component costs thousands of version comparisons. Instead, for one package
name, every bound of every advisory (introduced, fixed, last_affected,
limit, listed versions) is sorted once per ordering. A component's version
is then placed among them with two binary searches, and each advisory's
intervals become integer comparisons against that place.

The table is a filter, never the judge: an advisory that passes it is still
evaluated by `ranges.evaluate`, which builds the verdict and its
explanation. Versions the package ordering cannot place go straight to
`evaluate` (its string fallback), so the filter can only skip work, never
change an answer.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from medvigil.core.matching.ranges import CompiledPackage, CompiledRange
from medvigil.core.matching.versions import UnorderableVersion, Version, parse_version

# An upper position beyond every bound: "no upper bound".
UNBOUNDED = 1 << 62

# (low, high, high_inclusive, limit): positions in the ordering's sorted bounds.
Interval = tuple[int, int, bool, int]
# Where a component's version sits among the bounds: (bisect_left, bisect_right).
Place = tuple[int, int]


@dataclass(frozen=True, slots=True)
class PackagePlan:
    """One affected package's intervals, per ordering, as bound positions."""

    ordering: str | None
    intervals: tuple[tuple[str, tuple[Interval, ...]], ...]
    may_hint: bool  # has a last_affected: a not-affected verdict may carry a hint

    def may_affect(self, places: dict[str, Place | None]) -> bool:
        """True when the version may be affected (or cannot be placed at all)."""
        if self.ordering is None or places.get(self.ordering) is None:
            return True  # only `evaluate`'s string fallback can answer
        for ordering, intervals in self.intervals:
            place = places.get(ordering)
            if place is None:
                continue
            left, right = place
            for low, high, inclusive, limit in intervals:
                if low < right and limit >= right and high >= (left if inclusive else right):
                    return True
        return False


@dataclass(frozen=True, slots=True)
class PackageTable:
    """Sorted bounds per ordering and one plan per affected package of one name.

    `flat` repeats every plan's intervals per ordering as
    ``(low, high, high_inclusive, limit, plan_index)`` sorted by `low`, so
    one loop (not one call per advisory) finds the candidates.
    """

    bounds: dict[str, tuple[tuple[object, ...], ...]]  # `Version.sort_key`s, ascending
    plans: tuple[PackagePlan, ...]
    flat: dict[str, tuple[tuple[int, int, bool, int, int], ...]]
    lows: dict[str, tuple[int, ...]]
    hinting: frozenset[int]  # plans whose not-affected verdicts may carry a hint

    def places(self, version_text: str) -> dict[str, Place | None]:
        """The component version's place in each ordering (None: unorderable there)."""
        places: dict[str, Place | None] = {}
        for ordering, bounds in self.bounds.items():
            try:
                version = parse_version(ordering, version_text)
            except UnorderableVersion:
                places[ordering] = None
                continue
            key = version.sort_key
            places[ordering] = (bisect.bisect_left(bounds, key), bisect.bisect_right(bounds, key))
        return places

    def candidates(self, places: dict[str, Place | None]) -> set[int]:
        """Indexes of the plans that may affect the version (a superset, never fewer)."""
        found = {
            index
            for index, plan in enumerate(self.plans)
            if plan.ordering is None or places.get(plan.ordering) is None
        }
        for ordering, intervals in self.flat.items():
            place = places.get(ordering)
            if place is None:
                continue
            left, right = place
            # Intervals starting above the version cannot hold it.
            end = bisect.bisect_left(self.lows[ordering], right)
            for _low, high, inclusive, limit, index in intervals[:end]:
                if limit >= right and high >= (left if inclusive else right):
                    found.add(index)
        return found


def build_table(packages: list[CompiledPackage]) -> PackageTable:
    """Sort every bound once and turn each package's ranges into position intervals."""
    raw: dict[str, list[Version]] = {}
    for package in packages:
        if package.ordering is not None:
            raw.setdefault(package.ordering, []).extend(package.listed)
        for compiled_range in package.ranges:
            collected = raw.setdefault(compiled_range.ordering, [])
            collected.extend(event[0] for event in compiled_range.events)
            collected.extend(compiled_range.limits)
    bounds = {ordering: _sorted_unique(versions) for ordering, versions in raw.items()}
    plans = tuple(_plan(package, bounds) for package in packages)
    flat: dict[str, list[tuple[int, int, bool, int, int]]] = {}
    for index, plan in enumerate(plans):
        for ordering, intervals in plan.intervals:
            flat.setdefault(ordering, []).extend((*interval, index) for interval in intervals)
    ordered = {ordering: tuple(sorted(rows)) for ordering, rows in flat.items()}
    lows = {ordering: tuple(row[0] for row in rows) for ordering, rows in ordered.items()}
    hinting = frozenset(index for index, plan in enumerate(plans) if plan.may_hint)
    return PackageTable(bounds, plans, ordered, lows, hinting)


def _sorted_unique(versions: list[Version]) -> tuple[tuple[object, ...], ...]:
    # Equal precedence may be spelled differently (1.0 == 1.0.0): deduplicate in order.
    unique: list[tuple[object, ...]] = []
    for key in sorted(version.sort_key for version in versions):
        if not unique or unique[-1] < key:
            unique.append(key)
    return tuple(unique)


def _plan(
    package: CompiledPackage, bounds: dict[str, tuple[tuple[object, ...], ...]]
) -> PackagePlan:
    grouped: dict[str, list[Interval]] = {}
    may_hint = False
    if package.ordering is not None and package.listed:
        table = bounds[package.ordering]
        grouped[package.ordering] = [
            (position, position, True, UNBOUNDED)
            for position in (bisect.bisect_left(table, item.sort_key) for item in package.listed)
        ]
    for compiled_range in package.ranges:
        table = bounds[compiled_range.ordering]
        intervals, has_last_affected = _range_intervals(compiled_range, table)
        grouped.setdefault(compiled_range.ordering, []).extend(intervals)
        may_hint = may_hint or has_last_affected
    return PackagePlan(
        package.ordering,
        tuple((ordering, tuple(intervals)) for ordering, intervals in grouped.items()),
        may_hint,
    )


def _range_intervals(
    compiled: CompiledRange, table: tuple[tuple[object, ...], ...]
) -> tuple[list[Interval], bool]:
    """The OSV walk of `ranges._in_range`, done once for all versions."""

    def position(version: Version) -> int:
        return bisect.bisect_left(table, version.sort_key)

    limit = position(max(compiled.limits)) if compiled.limits else UNBOUNDED
    intervals: list[Interval] = []
    opened: Version | None = None
    has_last_affected = False
    for version, _tie, kind, _text in compiled.events:
        if kind == "introduced":
            if opened is None:
                opened = version
        elif kind == "fixed" and opened is not None:
            intervals.append((position(opened), position(version), False, limit))
            opened = None
        elif kind == "last_affected":
            has_last_affected = True
            if opened is not None:
                intervals.append((position(opened), position(version), True, limit))
                opened = None
    if opened is not None:
        intervals.append((position(opened), UNBOUNDED, False, limit))
    return intervals, has_last_affected
