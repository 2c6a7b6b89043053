"""The numbers behind the triage dashboard plots, from plain values.

Three views of the open work: open findings by priority at the end of each
week (a finding counts while it is open and its newest effective decision
does not settle it as not affected or fixed), remediation due dates per week
against those done, and open findings per product and CVSS severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

PRIORITIES = ("critical", "high", "medium", "low", "unscored")
SEVERITIES = ("critical", "high", "medium", "low", "none", "unscored")
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class FindingSpan:
    """A finding's life: opened, maybe closed, and when decisions settled or reopened it."""

    priority: str
    opened: datetime
    closed: datetime | None = None
    decisions: tuple[tuple[datetime, bool], ...] = ()  # (effective at, settles it)

    def open_at(self, moment: datetime) -> bool:
        if self.opened > moment or (self.closed is not None and self.closed <= moment):
            return False
        earlier = [(when, settles) for when, settles in self.decisions if when <= moment]
        return not (earlier and max(earlier)[1])


@dataclass(frozen=True, slots=True)
class WeekCounts:
    ending: datetime
    counts: tuple[int, ...]  # in the order of PRIORITIES


def week_ends(now: datetime, weeks: int) -> list[datetime]:
    """`weeks` points, one week apart, the last one `now`."""
    return [now - WEEK * back for back in range(weeks - 1, -1, -1)]


def open_by_priority(
    spans: Iterable[FindingSpan], now: datetime, weeks: int = 12
) -> list[WeekCounts]:
    spans = list(spans)
    result = []
    for ending in week_ends(now, weeks):
        counts = dict.fromkeys(PRIORITIES, 0)
        for span in spans:
            if span.open_at(ending):
                counts[span.priority if span.priority in counts else "unscored"] += 1
        result.append(WeekCounts(ending, tuple(counts[name] for name in PRIORITIES)))
    return result


@dataclass(frozen=True, slots=True)
class Clock:
    due: datetime
    done: datetime | None = None


@dataclass(frozen=True, slots=True)
class BurnWeek:
    starting: datetime
    due: int  # clocks falling due in the week
    done: int  # of those, remediated (at any time up to now)
    late: int  # of those, remediated after the due date or not at all though due has passed


def burn_down(
    clocks: Iterable[Clock], now: datetime, past: int = 8, ahead: int = 4
) -> list[BurnWeek]:
    """Weeks from `past` weeks before `now` to `ahead` weeks after it."""
    clocks = list(clocks)
    first = now - WEEK * past
    result = []
    for index in range(past + ahead):
        start, end = first + WEEK * index, first + WEEK * (index + 1)
        due = [clock for clock in clocks if start <= clock.due < end]
        done = [clock for clock in due if clock.done is not None and clock.done <= now]
        late = [clock for clock in due if (clock.done or now) > clock.due and clock.due <= now]
        result.append(BurnWeek(start, len(due), len(done), len(late)))
    return result


def severity_of(score: float | None) -> str:
    """CVSS qualitative rating (same bands for 3.1 and 4.0)."""
    if score is None:
        return "unscored"
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    return "low" if score > 0 else "none"


@dataclass(frozen=True, slots=True)
class HeatMap:
    products: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # per product, in the order of SEVERITIES

    @property
    def highest(self) -> int:
        return max((count for row in self.counts for count in row), default=0)


def heat_map(open_findings: Sequence[tuple[str, float | None]]) -> HeatMap:
    """(product name, CVSS base score) per open finding → counts per product and severity."""
    table: dict[str, dict[str, int]] = {}
    for product, score in open_findings:
        row = table.setdefault(product, dict.fromkeys(SEVERITIES, 0))
        row[severity_of(score)] += 1
    products = tuple(sorted(table, key=str.casefold))
    return HeatMap(products, tuple(tuple(table[name][s] for s in SEVERITIES) for name in products))
