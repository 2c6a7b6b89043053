"""Program metrics on worked examples: each figure computed by hand below."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.disclosure_metrics import CaseMoments, measure, summarise


def at(day: int, hour: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=datetime.UTC)


# Case A: received 1 March 00:00, acknowledged after 12 h, triaged after 2 days,
# remediation from 3 March, fix available 10 March, disclosed 12 March, closed.
A = CaseMoments(at(1), at(1, 12), at(3), at(3), at(10), at(12), open=False)
# Case B: received 2 March, acknowledged after 36 h, triaged after 4 days,
# remediation from 6 March, no recorded fix, disclosed 20 March (fix counted then).
B = CaseMoments(at(2), at(3, 12), at(6), at(6), None, at(20), open=False)
# Case C: received 5 March, acknowledged after 6 h, still being triaged; overdue.
C = CaseMoments(at(5), at(5, 6), open=True, overdue=True)
# Case D: received 25 March, nothing done yet; on time.
D = CaseMoments(at(25), open=True, overdue=False)


def test_worked_example() -> None:
    metrics = summarise([A, B, C, D])
    assert (metrics.cases, metrics.open, metrics.overdue) == (4, 2, 1)
    acknowledge = metrics.duration("acknowledge")
    # 12, 36, 6 hours: median 12, longest 36.
    assert (acknowledge.count, acknowledge.median_hours, acknowledge.longest_hours) == (3, 12, 36)
    triage = metrics.duration("triage")
    # 48 and 96 hours: median of an even count is their mean, 72.
    assert (triage.count, triage.median_hours, triage.longest_hours) == (2, 72, 96)
    fix = metrics.duration("fix")
    # A: 3 → 10 March = 168 h; B: 6 → 20 March (its disclosure) = 336 h.
    assert (fix.count, fix.median_hours, fix.longest_hours) == (2, 252, 336)
    disclose = metrics.duration("disclose")
    # A: 11 days = 264 h; B: 18 days = 432 h.
    assert (disclose.count, disclose.median_hours, disclose.longest_hours) == (2, 348, 432)


def test_no_cases_gives_zero_counts_and_no_medians() -> None:
    metrics = summarise([])
    assert (metrics.cases, metrics.open, metrics.overdue) == (0, 0, 0)
    assert all(item.count == 0 and item.median_hours is None for item in metrics.durations)


def test_a_closed_case_is_never_counted_overdue() -> None:
    closed_late = CaseMoments(at(1), open=False, overdue=True)
    assert summarise([closed_late]).overdue == 0


def test_a_moment_before_its_start_counts_as_zero() -> None:
    backwards = CaseMoments(at(10), acknowledged_at=at(9))
    assert measure(backwards, "acknowledge") == 0.0


def test_an_unknown_measure_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown measure"):
        measure(A, "lunch")


moments = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1),
    max_value=datetime.datetime(2030, 1, 1),
    timezones=st.just(datetime.UTC),
)


@given(
    st.lists(
        st.builds(
            CaseMoments,
            moments,
            st.none() | moments,
            st.none() | moments,
            st.none() | moments,
            st.none() | moments,
            st.none() | moments,
            st.booleans(),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_figures_are_consistent_for_any_cases(cases: list[CaseMoments]) -> None:
    metrics = summarise(cases)
    assert metrics.overdue <= metrics.open <= metrics.cases == len(cases)
    for item in metrics.durations:
        assert item.count <= len(cases)
        if item.count:
            assert item.median_hours is not None
            assert item.longest_hours is not None
            assert 0 <= item.median_hours <= item.longest_hours
