"""Notification deadlines: EU CRA Art. 14 hours and days, FDA business days, no-deadline rules."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.deadlines import (
    NOTIFICATION_RULES,
    NotificationRule,
    evaluate_notification,
    notification_due_moment,
    notification_rule,
)

UTC = datetime.UTC


def test_cra_early_warning_is_24_elapsed_hours_even_across_a_dst_change() -> None:
    # Awareness on Saturday 28 March 2026 10:00 in Berlin; clocks go forward that night.
    aware = datetime.datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    due = notification_due_moment(notification_rule("cra-early-warning"), aware, "Europe/Berlin")
    assert due == datetime.datetime(2026, 3, 29, 9, 0, tzinfo=UTC)
    notification = notification_due_moment(
        notification_rule("cra-notification"), aware, "Europe/Berlin"
    )
    assert notification == datetime.datetime(2026, 3, 31, 9, 0, tzinfo=UTC)


def test_cra_final_report_is_14_days_after_the_fix() -> None:
    fixed = datetime.datetime(2026, 10, 1, 15, 0, tzinfo=UTC)
    due = notification_due_moment(notification_rule("cra-final-report"), fixed, "UTC")
    assert due == datetime.datetime(2026, 10, 15, 15, 0, tzinfo=UTC)


def test_fda_806_counts_ten_working_days_without_us_holidays() -> None:
    # Correction initiated Friday 20 November 2026, 09:00 New York; Thanksgiving is
    # Thursday 26 November: ten working days end on Monday 7 December.
    started = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    due = notification_due_moment(notification_rule("fda-806"), started, "America/New_York", "US")
    assert due == datetime.datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def test_a_coordinator_notification_has_no_deadline() -> None:
    started = datetime.datetime(2026, 5, 1, tzinfo=UTC)
    assert notification_due_moment(notification_rule("coordinator"), started) is None
    assert evaluate_notification(notification_rule("coordinator"), started, started) is None


def test_evaluate_reports_overdue_and_sent_on_time() -> None:
    rule = notification_rule("cra-early-warning")
    aware = datetime.datetime(2026, 9, 14, 8, 0, tzinfo=UTC)
    late = evaluate_notification(rule, aware, aware + datetime.timedelta(hours=30))
    assert late is not None
    assert late.overdue
    assert late.remaining == datetime.timedelta(hours=-6)
    sent = evaluate_notification(
        rule,
        aware,
        aware + datetime.timedelta(days=9),
        sent_at=aware + datetime.timedelta(hours=20),
    )
    assert sent is not None
    assert sent.met
    assert not sent.overdue
    assert sent.remaining == datetime.timedelta(hours=4)


def test_rules_carry_a_source_and_refuse_bad_shapes() -> None:
    assert all(rule.source for rule in NOTIFICATION_RULES)
    assert notification_rule("cra-notification").describe() == (
        "within 72 h of awareness of active exploitation"
    )
    with pytest.raises(ValueError, match="Unknown notification rule"):
        notification_rule("tomorrow")
    with pytest.raises(ValueError, match="hours or days"):
        NotificationRule("x", "x", "x", "x", hours=1, days=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        notification_due_moment(
            notification_rule("cra-notification"), datetime.datetime(2026, 1, 1)
        )


@given(
    st.sampled_from([rule for rule in NOTIFICATION_RULES if rule.has_deadline]),
    st.datetimes(
        min_value=datetime.datetime(2020, 1, 1),
        max_value=datetime.datetime(2035, 1, 1),
        timezones=st.just(UTC),
    ),
)
def test_every_deadline_is_after_its_start(
    rule: NotificationRule, start: datetime.datetime
) -> None:
    due = notification_due_moment(rule, start, "Europe/Berlin", "DE")
    assert due is not None
    assert due > start
