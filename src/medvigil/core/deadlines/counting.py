"""Counting calendar and business days in a time zone.

Conventions a caller may rely on:

- Counting happens on the local calendar of the rule's time zone. The day of
  the start does not count: "5 business days" from a Friday report are the
  next five business days.
- The due moment keeps the start's local wall-clock time on the last counted
  day, so a clock across a daylight-saving change ends at the same hour on
  the clock on the wall (a 5-day clock across the spring change is 119 hours
  long). A wall-clock time that does not exist that day (skipped by the
  change) moves forward by the size of the gap.
- A business day is Monday to Friday and not a public holiday of the rule's
  country (and subdivision, when given), as the `holidays` package says.
- Inputs must be timezone-aware; results are timezone-aware in UTC.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

UTC = datetime.UTC
WEEKEND = frozenset({5, 6})  # Saturday, Sunday


class DayKind(StrEnum):
    CALENDAR = "calendar"
    BUSINESS = "business"


@dataclass(frozen=True, slots=True)
class ClockRule:
    """`count` days of `kind` after the start; holidays of `country`/`subdivision`."""

    key: str
    label: str
    count: int
    kind: DayKind = DayKind.CALENDAR
    country: str = "US"
    subdivision: str | None = None

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"A clock counts at least one day, not {self.count}.")
        if self.kind is DayKind.BUSINESS:
            holiday_calendar(self.country, self.subdivision, 2000)  # unknown country: ValueError

    def describe(self) -> str:
        days = "business day" if self.kind is DayKind.BUSINESS else "day"
        plural = "" if self.count == 1 else "s"
        return f"{self.count} {days}{plural}"


@dataclass(frozen=True, slots=True)
class ClockState:
    """One clock evaluated at `now`.

    `remaining` is negative once overdue. When the clock was met (`met_at`),
    `overdue` says whether it was met late and `remaining` is the margin left
    at that moment.
    """

    rule: ClockRule
    started_at: datetime.datetime
    due_at: datetime.datetime
    remaining: datetime.timedelta
    overdue: bool
    met_at: datetime.datetime | None = None

    @property
    def met(self) -> bool:
        return self.met_at is not None


@lru_cache(maxsize=256)
def holiday_calendar(country: str, subdivision: str | None, year: int) -> frozenset[datetime.date]:
    try:
        calendar = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError as error:
        raise ValueError(
            f"No public holiday calendar for {country}/{subdivision or '-'}."
        ) from error
    return frozenset(calendar.keys())


def is_business_day(day: datetime.date, country: str, subdivision: str | None = None) -> bool:
    return day.weekday() not in WEEKEND and day not in holiday_calendar(
        country, subdivision, day.year
    )


def aware(moment: datetime.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware.")


def local_wall_clock(day: datetime.date, time: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    """`time` on `day` in `zone`; a time skipped by a DST change moves forward by the gap."""
    naive = datetime.datetime.combine(day, time)
    candidate = naive.replace(tzinfo=zone)
    round_trip = candidate.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != naive:
        # Non-existent local time: fold=0 used the offset before the change.
        return round_trip
    return candidate


def due_moment(start: datetime.datetime, rule: ClockRule, time_zone: str) -> datetime.datetime:
    """When a clock started at `start` under `rule` in `time_zone` is due (UTC)."""
    aware(start, "start")
    zone = ZoneInfo(time_zone)
    local_start = start.astimezone(zone)
    day = local_start.date()
    if rule.kind is DayKind.CALENDAR:
        day += datetime.timedelta(days=rule.count)
    else:
        counted = 0
        while counted < rule.count:
            day += datetime.timedelta(days=1)
            if is_business_day(day, rule.country, rule.subdivision):
                counted += 1
    wall_time = local_start.time().replace(tzinfo=None)
    return local_wall_clock(day, wall_time, zone).astimezone(UTC)


def evaluate(
    start: datetime.datetime,
    rule: ClockRule,
    time_zone: str,
    now: datetime.datetime,
    met_at: datetime.datetime | None = None,
) -> ClockState:
    """The clock's due moment, time left and overdue flag at `now` (or when met)."""
    aware(now, "now")
    if met_at is not None:
        aware(met_at, "met_at")
    due = due_moment(start, rule, time_zone)
    reference = met_at if met_at is not None else now
    return ClockState(
        rule=rule,
        started_at=start.astimezone(UTC),
        due_at=due,
        remaining=due - reference,
        overdue=reference > due,
        met_at=met_at.astimezone(UTC) if met_at is not None else None,
    )
