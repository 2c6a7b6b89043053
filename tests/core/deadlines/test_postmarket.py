"""FDA's uncontrolled-risk clocks (30 and 60 days) and the remediation policy, on worked dates."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.deadlines import (
    COMMUNICATE_UNCONTROLLED,
    REMEDIATE_UNCONTROLLED,
    due_soon,
    remediation_clocks,
    remediation_policy,
)
from medvigil.core.deadlines.postmarket import DEFAULT_REMEDIATION_DAYS

NEW_YORK, BERLIN, UTC = "America/New_York", "Europe/Berlin", datetime.UTC
POLICY = remediation_policy(DEFAULT_REMEDIATION_DAYS)


def at(zone: str, *parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def test_learned_on_30_january_communicate_by_1_march_and_fix_by_31_march() -> None:
    learned = at(NEW_YORK, 2026, 1, 30, 14, 0)
    running = remediation_clocks(learned, "high", True, POLICY, NEW_YORK, learned)
    communicate, remediate = running.regulatory
    assert communicate.rule is COMMUNICATE_UNCONTROLLED
    assert remediate.rule is REMEDIATE_UNCONTROLLED
    # February 2026 has 28 days; US daylight saving starts on 8 March.
    assert communicate.due_at == datetime.datetime(2026, 3, 1, 19, 0, tzinfo=UTC)  # 14:00 EST
    assert remediate.due_at == datetime.datetime(2026, 3, 31, 18, 0, tzinfo=UTC)  # 14:00 EDT
    assert running.policy.due_at == remediate.due_at  # high priority: 60 days by default


def test_month_end_start_counts_into_march() -> None:
    learned = at(NEW_YORK, 2026, 1, 31, 9, 0)
    communicate, remediate = remediation_clocks(
        learned, "low", True, POLICY, NEW_YORK, learned
    ).regulatory
    assert communicate.due_at.astimezone(ZoneInfo(NEW_YORK)).date() == datetime.date(2026, 3, 2)
    assert remediate.due_at.astimezone(ZoneInfo(NEW_YORK)).date() == datetime.date(2026, 4, 1)


def test_across_the_autumn_change_the_clock_ends_at_the_same_wall_time() -> None:
    learned = at(BERLIN, 2026, 10, 10, 9, 0)  # CEST; Europe changes back on 25 October
    communicate = remediation_clocks(learned, "low", True, POLICY, BERLIN, learned).regulatory[0]
    assert communicate.due_at == datetime.datetime(2026, 11, 9, 8, 0, tzinfo=UTC)  # 09:00 CET
    assert communicate.due_at - learned == datetime.timedelta(days=30, hours=1)


def test_the_same_moment_is_a_different_day_in_another_time_zone() -> None:
    learned = datetime.datetime(2026, 7, 2, 23, 30, tzinfo=UTC)
    german = remediation_policy({"critical": {"days": 1, "kind": "business"}}, "DE")
    american = remediation_policy({"critical": {"days": 1, "kind": "business"}}, "US")

    def due(policy: object, zone: str) -> datetime.datetime:
        return remediation_clocks(learned, "critical", False, policy, zone, learned).policy.due_at  # type: ignore[arg-type]

    # Friday 3 July 01:30 in Berlin: the next business day is Monday 6 July.
    assert due(german, BERLIN) == at(BERLIN, 2026, 7, 6, 1, 30)
    # Thursday 2 July 19:30 in New York: Friday 3 July is a German business day...
    assert due(german, NEW_YORK) == at(NEW_YORK, 2026, 7, 3, 19, 30)
    # ...but the observed US Independence Day, so the US clock ends on Monday.
    assert due(american, NEW_YORK) == at(NEW_YORK, 2026, 7, 6, 19, 30)


def test_ten_business_days_over_christmas_and_new_year() -> None:
    policy = remediation_policy({"critical": {"days": 10, "kind": "business"}})
    learned = at(NEW_YORK, 2026, 12, 18, 9, 0)  # a Friday
    due = remediation_clocks(learned, "critical", False, policy, NEW_YORK, learned).policy.due_at
    # 21-24, 28-31 December, 4 and 5 January: 25 December and 1 January are holidays.
    assert due == at(NEW_YORK, 2027, 1, 5, 9, 0)


def test_a_controlled_risk_runs_only_the_policy_clock() -> None:
    learned = at(NEW_YORK, 2026, 5, 4, 9, 0)
    running = remediation_clocks(learned, "medium", False, POLICY, NEW_YORK, learned)
    assert running.regulatory == ()
    assert running.policy.due_at == at(NEW_YORK, 2026, 8, 2, 9, 0)  # 90 days


def test_met_and_late_and_soon_due() -> None:
    learned = at(NEW_YORK, 2026, 1, 30, 14, 0)
    communicated = learned + datetime.timedelta(days=29)
    fixed = learned + datetime.timedelta(days=61)
    communicate, remediate = remediation_clocks(
        learned, "high", True, POLICY, NEW_YORK, fixed, communicated, fixed
    ).regulatory
    assert (communicate.met, communicate.overdue) == (True, False)
    assert (remediate.met, remediate.overdue) == (True, True)
    now = learned + datetime.timedelta(days=25)
    open_clock = remediation_clocks(learned, "high", True, POLICY, NEW_YORK, now).regulatory[0]
    assert due_soon(open_clock, datetime.timedelta(days=7))
    assert not due_soon(open_clock, datetime.timedelta(days=3))
    assert not due_soon(communicate, datetime.timedelta(days=7))


@pytest.mark.parametrize(
    ("days", "country", "message"),
    [
        ({"high": 0}, "US", "at least one day"),
        ({"high": "30"}, "US", "whole number"),
        ({"high": True}, "US", "whole number"),
        ({"high": {"days": 5, "kind": "weekly"}}, "US", "not a valid DayKind"),
        ({"high": {"days": 5, "kind": "business"}}, "XX", "No public"),
    ],
)
def test_a_bad_policy_is_refused(days: dict[str, object], country: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        remediation_policy(days, country=country)  # type: ignore[arg-type]


def test_a_priority_without_a_clock_is_named() -> None:
    with pytest.raises(ValueError, match="no clock for 'urgent'"):
        POLICY.rule_for("urgent")


@given(
    st.datetimes(
        min_value=datetime.datetime(2000, 1, 1),
        max_value=datetime.datetime(2090, 1, 1),
        timezones=st.sampled_from([ZoneInfo(NEW_YORK), ZoneInfo(BERLIN), UTC]),
    ),
    st.sampled_from(sorted(DEFAULT_REMEDIATION_DAYS)),
)
def test_the_fix_is_always_due_after_the_communication(
    learned: datetime.datetime, priority: str
) -> None:
    running = remediation_clocks(learned, priority, True, POLICY, NEW_YORK, learned)
    communicate, remediate = running.regulatory
    assert learned < communicate.due_at < remediate.due_at
    assert datetime.timedelta(days=59) < remediate.due_at - learned < datetime.timedelta(days=61)
