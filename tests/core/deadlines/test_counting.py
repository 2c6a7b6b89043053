"""Disclosure clocks on real calendars: US federal holidays, weekends, DST changes."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvigil.core.deadlines import (
    ACKNOWLEDGE,
    DISCLOSE,
    STATUS_UPDATE,
    ClockRule,
    DayKind,
    due_moment,
    evaluate,
    is_business_day,
)
from medvigil.core.deadlines.disclosure_clocks import with_holidays

NEW_YORK = "America/New_York"
BERLIN = "Europe/Berlin"


def at(zone: str, *parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def local(moment: datetime.datetime, zone: str = NEW_YORK) -> datetime.datetime:
    return moment.astimezone(ZoneInfo(zone))


def test_friday_before_labor_day_skips_the_weekend_and_the_holiday() -> None:
    # Labor Day 2026 is Monday 7 September.
    due = due_moment(at(NEW_YORK, 2026, 9, 4, 10, 0), ACKNOWLEDGE, NEW_YORK)
    assert local(due) == at(NEW_YORK, 2026, 9, 14, 10, 0)  # Tue 8 .. Mon 14


def test_observed_independence_day_on_a_friday_is_not_a_business_day() -> None:
    # 4 July 2026 is a Saturday: the federal holiday is observed on Friday 3 July.
    assert not is_business_day(datetime.date(2026, 7, 3), "US")
    due = due_moment(at(NEW_YORK, 2026, 7, 2, 16, 30), ACKNOWLEDGE, NEW_YORK)
    assert local(due) == at(NEW_YORK, 2026, 7, 10, 16, 30)  # Mon 6 .. Fri 10


def test_thanksgiving_counts_for_the_us_but_not_for_germany() -> None:
    start = at(BERLIN, 2026, 11, 25, 9, 0)  # Wednesday before Thanksgiving (26 November)
    german = with_holidays(ACKNOWLEDGE, "DE", "BY")
    assert local(due_moment(start, german, BERLIN), BERLIN) == at(BERLIN, 2026, 12, 2, 9, 0)
    american = due_moment(at(NEW_YORK, 2026, 11, 25, 9, 0), ACKNOWLEDGE, NEW_YORK)
    assert local(american) == at(NEW_YORK, 2026, 12, 3, 9, 0)


def test_subdivision_holidays_count() -> None:
    # Epiphany (6 January) is a holiday in Bavaria, not in Berlin.
    assert not is_business_day(datetime.date(2026, 1, 6), "DE", "BY")
    assert is_business_day(datetime.date(2026, 1, 6), "DE", "BE")


def test_a_weekend_report_starts_counting_on_monday() -> None:
    due = due_moment(at(NEW_YORK, 2026, 5, 16, 11, 0), ACKNOWLEDGE, NEW_YORK)  # Saturday
    assert local(due) == at(NEW_YORK, 2026, 5, 22, 11, 0)  # Friday of the next week


def test_calendar_clock_across_the_spring_change_keeps_the_wall_clock_hour() -> None:
    start = at(NEW_YORK, 2026, 3, 6, 9, 0)  # Friday; clocks go forward Sunday 8 March
    due = due_moment(start, ClockRule("five", "Five days", 5), NEW_YORK)
    assert local(due) == at(NEW_YORK, 2026, 3, 11, 9, 0)
    assert due - start == datetime.timedelta(hours=119)


def test_calendar_clock_across_the_autumn_change_is_an_hour_longer() -> None:
    start = at(BERLIN, 2026, 10, 23, 14, 0)  # clocks go back Sunday 25 October
    due = due_moment(start, ClockRule("seven", "Seven days", 7), BERLIN)
    assert due - start == datetime.timedelta(days=7, hours=1)


def test_a_due_time_skipped_by_the_change_moves_forward_by_the_gap() -> None:
    start = at(NEW_YORK, 2026, 3, 7, 2, 30)  # 02:30 does not exist on 8 March
    due = due_moment(start, ClockRule("one", "One day", 1), NEW_YORK)
    assert local(due) == at(NEW_YORK, 2026, 3, 8, 3, 30)


def test_disclosure_is_ninety_days_after_the_report() -> None:
    due = due_moment(at(NEW_YORK, 2026, 1, 15, 12, 0), DISCLOSE, NEW_YORK)
    assert local(due) == at(NEW_YORK, 2026, 4, 15, 12, 0)


def test_evaluate_reports_remaining_time_and_overdue() -> None:
    start = at(NEW_YORK, 2026, 6, 1, 9, 0)
    before = evaluate(start, STATUS_UPDATE, NEW_YORK, now=at(NEW_YORK, 2026, 6, 30, 9, 0))
    assert before.remaining == datetime.timedelta(days=1)
    assert not before.overdue
    after = evaluate(start, STATUS_UPDATE, NEW_YORK, now=at(NEW_YORK, 2026, 7, 2, 9, 0))
    assert after.overdue
    assert after.remaining == datetime.timedelta(days=-1)
    met_late = evaluate(
        start,
        STATUS_UPDATE,
        NEW_YORK,
        now=at(NEW_YORK, 2026, 9, 1, 9, 0),
        met_at=at(NEW_YORK, 2026, 7, 1, 10, 0),
    )
    assert met_late.met
    assert met_late.overdue
    assert met_late.remaining == datetime.timedelta(hours=-1)
    assert met_late.due_at.tzinfo is datetime.UTC


def test_bad_rules_and_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        ClockRule("zero", "Zero", 0)
    with pytest.raises(ValueError, match="No public holiday calendar"):
        ClockRule("x", "X", 1, DayKind.BUSINESS, country="ZZ")
    with pytest.raises(ValueError, match="timezone-aware"):
        due_moment(datetime.datetime(2026, 1, 1), ACKNOWLEDGE, NEW_YORK)
    assert ACKNOWLEDGE.describe() == "5 business days"


ZONES = st.sampled_from([NEW_YORK, BERLIN, "Asia/Tokyo", "Australia/Sydney", "UTC"])
MOMENTS = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1),
    max_value=datetime.datetime(2035, 12, 31),
    timezones=st.just(datetime.UTC),
)
COUNTRIES = st.sampled_from([("US", None), ("DE", "BY"), ("GB", "ENG"), ("JP", None)])


@settings(max_examples=200, deadline=None)
@given(
    start=MOMENTS,
    zone=ZONES,
    count=st.integers(1, 40),
    place=COUNTRIES,
    kind=st.sampled_from(list(DayKind)),
)
def test_due_is_never_before_the_start(
    start: datetime.datetime, zone: str, count: int, place: tuple[str, str | None], kind: DayKind
) -> None:
    rule = ClockRule("p", "Property", count, kind, place[0], place[1])
    assert due_moment(start, rule, zone) >= start


@settings(max_examples=200, deadline=None)
@given(start=MOMENTS, zone=ZONES, count=st.integers(1, 25), place=COUNTRIES)
def test_business_clock_never_lands_on_a_weekend_or_holiday(
    start: datetime.datetime, zone: str, count: int, place: tuple[str, str | None]
) -> None:
    rule = ClockRule("p", "Property", count, DayKind.BUSINESS, place[0], place[1])
    day = local(due_moment(start, rule, zone), zone).date()
    assert is_business_day(day, place[0], place[1])


@settings(max_examples=100, deadline=None)
@given(start=MOMENTS, zone=ZONES, count=st.integers(1, 120))
def test_calendar_clock_lands_count_local_days_later(
    start: datetime.datetime, zone: str, count: int
) -> None:
    due = due_moment(start, ClockRule("p", "Property", count), zone)
    assert (local(due, zone).date() - local(start, zone).date()).days == count
