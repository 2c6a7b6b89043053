"""The medical-device CVSS rubric: answers to vector, against the calculator's own self-tests.

The two vectors and scores are the self-test entries of the MedSec calculator
in `mitre/md-cvss-rubric-tools` (domain notes, regulatory.md §5.2):
AV:N/AC:L/PR:H/UI:R/S:C/C:H/I:H/A:L is 8.3 and AV:A/AC:L/PR:N/UI:R/S:C/C:H/I:L/A:H is 8.7.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.scoring.rubric import (
    IMPACT_KEYS,
    QUESTION_KEYS,
    RubricAnswers,
    RubricError,
    assess,
)


def answers(questions: dict[str, str], impacts: dict[str, str], phi: str = "no") -> RubricAnswers:
    ratings = {key: "none" for key in IMPACT_KEYS} | impacts
    return RubricAnswers.from_mapping({**questions, **ratings, "XCPM": phi})


def test_a_network_attack_by_an_administrator_on_therapy_scores_8_3() -> None:
    result = assess(
        answers(
            {
                "XAVN": "yes",
                "XAVT": "yes",
                "XACL": "yes",
                "XPRL": "yes",
                "XPRZ": "yes",
                "XPRS": "yes",
                "XUI": "yes",
                "XS": "yes",
            },
            {"XCP": "high", "XIT": "high", "XAW": "low"},
        )
    )
    assert result.vector == "CVSS:3.0/AV:N/AC:L/PR:H/UI:R/S:C/C:H/I:H/A:L"
    assert (result.score, result.severity) == (8.3, "High")


def test_a_long_range_non_ip_wireless_attack_scores_8_7() -> None:
    result = assess(
        answers(
            {
                "XAVN": "yes",
                "XAVT": "no",
                "XAVW": "yes",
                "XAVR": "no",
                "XACL": "yes",
                "XPRL": "no",
                "XUI": "yes",
                "XS": "yes",
            },
            {"XCD": "high", "XIS": "low", "XAT": "high"},
        )
    )
    assert result.vector == "CVSS:3.0/AV:A/AC:L/PR:N/UI:R/S:C/C:H/I:L/A:H"
    assert result.score == 8.7
    assert "XAVW:Y" in result.extended_vector
    assert "XAT:H" in result.extended_vector


@pytest.mark.parametrize(
    ("questions", "vector_part"),
    [
        ({"XAVN": "yes", "XAVT": "no", "XAVR": "yes"}, "AV:L"),  # short-range radio
        ({"XAVN": "yes", "XAVT": "no", "XAVR": "unknown"}, "AV:A"),  # unknown: the worse
        ({"XAVN": "no", "XAVP": "yes"}, "AV:P"),
        ({"XAVN": "no", "XAVP": "no"}, "AV:L"),
        ({"XAVN": "unknown"}, "AV:N"),
        ({"XACL": "no"}, "AC:H"),
        ({"XPRL": "yes", "XPRZ": "yes", "XPRS": "no"}, "PR:L"),
        ({"XPRL": "yes", "XPRZ": "no"}, "PR:N"),
        ({"XPRL": "no", "XPRZ": "yes", "XPRS": "yes"}, "PR:N"),  # single-role device
        ({"XS": "no"}, "S:U"),
    ],
)
def test_each_metric_follows_the_rubric_flow(questions: dict[str, str], vector_part: str) -> None:
    assert vector_part in assess(answers(questions, {})).vector.split("/")


def test_unanswered_questions_take_the_worse_value() -> None:
    result = assess(RubricAnswers.from_mapping({}))
    assert result.vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
    assert result.score == 10.0


def test_health_information_of_500_patients_or_more_makes_confidentiality_high() -> None:
    assert "C:H" in assess(answers({}, {"XCP": "low"}, phi="yes")).vector
    assert "C:L" in assess(answers({}, {"XCP": "low"}, phi="no")).vector


def test_stored_answers_read_back_to_the_same_result() -> None:
    given_answers = answers({"XAVN": "no", "XAVP": "yes"}, {"XIT": "high"})
    again = RubricAnswers.from_mapping(given_answers.as_mapping())
    assert assess(again) == assess(given_answers)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"XAVQ": "yes"}, "not a question"),
        ({"XAVN": "maybe"}, "not an answer"),
        ({"XCT": "yes"}, "not an answer"),
        ({"XUI": 1}, "must be text"),
    ],
)
def test_an_unknown_key_or_answer_is_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(RubricError, match=message):
        RubricAnswers.from_mapping(data)  # type: ignore[arg-type]


KEYS = st.sampled_from([*QUESTION_KEYS, *IMPACT_KEYS, "XCPM", "other", ""])


@given(st.dictionaries(KEYS | st.text(max_size=8), st.text(max_size=12) | st.integers()))
def test_any_posted_mapping_is_read_or_refused_with_a_rubric_error(
    data: dict[str, object],
) -> None:
    try:
        parsed = RubricAnswers.from_mapping(data)  # type: ignore[arg-type]
    except RubricError:
        return
    result = assess(parsed)
    assert result.vector.startswith("CVSS:3.0/AV:")
    assert 0.0 <= result.score <= 10.0
