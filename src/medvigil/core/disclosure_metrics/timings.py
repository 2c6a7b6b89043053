"""Time to acknowledge, to triage, to fix and to disclose; open and overdue cases.

Conventions a caller may rely on:

- Acknowledge, triage and disclose are measured from the report's arrival.
- Fix is measured from the start of remediation to the moment a fix was
  available; a case disclosed without a recorded fix counts its disclosure
  as the fix (an advisory is published once a fix or mitigation exists).
- A case counts in a measure only once the measured moment happened; a
  moment earlier than its start (a clock set back by hand) counts as zero.
- Medians of an even count are the mean of the two middle values.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MEASURES = ("acknowledge", "triage", "fix", "disclose")


@dataclass(frozen=True, slots=True)
class CaseMoments:
    received_at: datetime.datetime
    acknowledged_at: datetime.datetime | None = None
    triaged_at: datetime.datetime | None = None
    remediation_at: datetime.datetime | None = None
    fixed_at: datetime.datetime | None = None
    disclosed_at: datetime.datetime | None = None
    open: bool = True
    overdue: bool = False


@dataclass(frozen=True, slots=True)
class Duration:
    """One measure over the cases where it happened, in hours."""

    key: str
    count: int
    median_hours: float | None
    longest_hours: float | None


@dataclass(frozen=True, slots=True)
class ProgramMetrics:
    cases: int
    open: int
    overdue: int
    durations: tuple[Duration, ...]

    def duration(self, key: str) -> Duration:
        for item in self.durations:
            if item.key == key:
                return item
        raise KeyError(key)


def span(start: datetime.datetime | None, end: datetime.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds() / 3600, 0.0)


def measure(case: CaseMoments, key: str) -> float | None:
    """Hours taken by one case for one measure, or None when it has not happened."""
    if key == "acknowledge":
        return span(case.received_at, case.acknowledged_at)
    if key == "triage":
        return span(case.received_at, case.triaged_at)
    if key == "fix":
        return span(case.remediation_at, case.fixed_at or case.disclosed_at)
    if key == "disclose":
        return span(case.received_at, case.disclosed_at)
    raise ValueError(f"Unknown measure {key!r}; known: {', '.join(MEASURES)}.")


def duration(key: str, hours: Sequence[float]) -> Duration:
    if not hours:
        return Duration(key, 0, None, None)
    return Duration(key, len(hours), round(statistics.median(hours), 2), round(max(hours), 2))


def summarise(cases: Iterable[CaseMoments]) -> ProgramMetrics:
    listed = list(cases)
    durations = []
    for key in MEASURES:
        hours = [value for case in listed if (value := measure(case, key)) is not None]
        durations.append(duration(key, hours))
    return ProgramMetrics(
        cases=len(listed),
        open=sum(1 for case in listed if case.open),
        overdue=sum(1 for case in listed if case.open and case.overdue),
        durations=tuple(durations),
    )
