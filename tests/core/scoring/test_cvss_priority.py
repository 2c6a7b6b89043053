"""CVSS base and environmental scores (FIRST's equations through `cvss`), and the priority rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.scoring import (
    HarmSeverity,
    Outcome,
    Priority,
    PriorityInputs,
    VectorError,
    prioritise,
    score,
)

LOG4SHELL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"  # NVD's vector for CVE-2021-44228


def test_an_environment_behind_a_segmented_network_lowers_the_score() -> None:
    result = score(LOG4SHELL, "MAV:A/CR:H/IR:H/AR:H")
    assert (result.base_score, result.severity) == (10.0, "Critical")
    assert result.environmental_vector == LOG4SHELL + "/MAV:A/CR:H/IR:H/AR:H"
    # 1.08 * (6.128 + 2.835) = 9.68, rounded up (CVSS 3.1 specification, section 7.3)
    assert result.environmental_score == 9.7


def test_cvss_4_base_and_environmental() -> None:
    vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
    result = score(vector, "MAV:A")
    assert (result.version, result.base_score, result.environmental_score) == ("4.0", 9.3, 8.7)


@pytest.mark.parametrize(
    ("vector", "environment", "message"),
    [
        ("AV:N/AC:L", "", "starts with"),
        ("CVSS:3.1/AV:N/AC:L", "", "Not a valid"),
        (LOG4SHELL, "AV:L", "not an environmental metric"),
        (LOG4SHELL, "MAV:Q", "Not a valid"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "MC:H", "4.0"),
    ],
)
def test_a_bad_vector_is_refused_with_the_reason(
    vector: str, environment: str, message: str
) -> None:
    with pytest.raises(VectorError, match=message):
        score(vector, environment)


@given(st.text(max_size=60), st.text(max_size=30))
def test_any_text_is_scored_or_refused_as_a_vector_error(vector: str, environment: str) -> None:
    try:
        result = score(vector, environment)
    except VectorError:
        return
    assert 0.0 <= result.base_score <= 10.0


@given(
    st.sampled_from([LOG4SHELL]),
    st.lists(
        st.sampled_from(
            [
                "MAV:N",
                "MAV:A",
                "MAV:L",
                "MAV:P",
                "CR:H",
                "CR:L",
                "MPR:H",
                "MS:U",
                "MS:C",
                "X:Y",
                "MAV:",
            ]
        ),
        max_size=4,
    ),
)
def test_environmental_metrics_in_any_order_are_scored_or_refused(
    vector: str, metrics: list[str]
) -> None:
    try:
        result = score(vector, "/".join(metrics))
    except VectorError:
        return
    assert result.environmental_score is None or 0.0 <= result.environmental_score <= 10.0


@pytest.mark.parametrize(
    ("inputs", "priority"),
    [
        (PriorityInputs(uncontrolled=True), Priority.CRITICAL),
        (PriorityInputs(ssvc=Outcome.ACT), Priority.CRITICAL),
        (PriorityInputs(kev_listed=True, harm=HarmSeverity.SERIOUS), Priority.CRITICAL),
        (PriorityInputs(kev_listed=True, harm=HarmSeverity.MINOR), Priority.HIGH),
        (PriorityInputs(ssvc=Outcome.ATTEND), Priority.HIGH),
        (PriorityInputs(harm=HarmSeverity.CRITICAL), Priority.HIGH),
        (PriorityInputs(cvss=9.8), Priority.MEDIUM),
        (PriorityInputs(epss_percentile=0.95), Priority.MEDIUM),
        (PriorityInputs(ssvc=Outcome.TRACK, cvss=5.0, epss_percentile=0.2), Priority.LOW),
    ],
)
def test_the_priority_rule(inputs: PriorityInputs, priority: Priority) -> None:
    result = prioritise(inputs)
    assert result.priority is priority
    assert result.reasons
    assert result.rule_version == "medvigil-priority/1"
