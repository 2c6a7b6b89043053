"""Risk evaluation, the matrix, CVSS exploitability and the two blocking rules."""

from __future__ import annotations

import pytest

from medvigil.core.risk import (
    ControlFacts,
    Impact,
    RiskFacts,
    RiskScaleError,
    blocking_issues,
    evaluate,
    exploitability_from_cvss,
    matrix_from_rows,
)


def test_overall_severity_is_the_worst_impact() -> None:
    impact = Impact(confidentiality="serious", patient_safety="critical", privacy="minor")
    assert impact.severity == "critical"


def test_an_unknown_level_is_refused_with_the_scale() -> None:
    with pytest.raises(RiskScaleError) as error:
        Impact(patient_safety="deadly")
    assert str(error.value) == (
        "'deadly' is not one of negligible, minor, serious, critical, catastrophic"
    )


def test_risk_before_and_after_controls() -> None:
    result = evaluate("high", Impact(patient_safety="critical"), residual_exploitability="very_low")
    assert (result.before.region, result.after and result.after.region) == (
        "unacceptable",
        "alarp",
    )
    assert result.residual.severity == "critical"
    assert not result.acceptable
    assert not result.needs_benefit_risk


def test_an_unacceptable_residual_needs_a_benefit_risk_analysis() -> None:
    result = evaluate("very_high", Impact(patient_safety="catastrophic"))
    assert result.after is None
    assert result.needs_benefit_risk


def test_a_configured_matrix_changes_the_regions() -> None:
    strict = matrix_from_rows(
        {
            "very_low": "ALUUU",
            "low": "LUUUU",
            "moderate": "UUUUU",
            "high": "UUUUU",
            "very_high": "UUUUU",
        }
    )
    assert evaluate("low", Impact(integrity="minor"), matrix=strict).residual.region == (
        "unacceptable"
    )
    assert evaluate("low", Impact(integrity="minor")).residual.region == "acceptable"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            {"very_low": "AAALL"},
            "the matrix needs exactly the rows very_low, low, moderate, high, very_high",
        ),
        (
            {
                "very_low": "AAAL",
                "low": "AALLU",
                "moderate": "ALLUU",
                "high": "ALUUU",
                "very_high": "LLUUU",
            },
            "row very_low: expected 5 letters of A, L, U, got 'AAAL'",
        ),
        (
            {
                "very_low": "AAALA",
                "low": "AALLU",
                "moderate": "ALLUU",
                "high": "ALUUU",
                "very_high": "LLUUU",
            },
            "row very_low: catastrophic is less severe a region than critical",
        ),
        (
            {
                "very_low": "AAALL",
                "low": "AAALL",
                "moderate": "AAAAL",
                "high": "ALUUU",
                "very_high": "LLUUU",
            },
            "row moderate: critical is a lower region than at exploitability low",
        ),
    ],
)
def test_an_inconsistent_matrix_is_refused(rows: dict[str, str], message: str) -> None:
    with pytest.raises(RiskScaleError) as error:
        matrix_from_rows(rows)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("vector", "level"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "very_high"),
        ("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "high"),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "moderate"),
        ("CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:H/I:H/A:H", "low"),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:H", "very_low"),
    ],
)
def test_exploitability_from_cvss_exploitability_metrics(vector: str, level: str) -> None:
    assert exploitability_from_cvss(vector) == level


def test_a_bad_cvss_vector_is_refused() -> None:
    with pytest.raises(RiskScaleError, match="not a CVSS v3 vector"):
        exploitability_from_cvss("CVSS:3.1/AV:X")


CLINICAL = frozenset({"pump", "tablet"})
EMERGENCY = frozenset({"pump"})


def test_a_control_on_an_emergency_element_without_review_blocks() -> None:
    control = ControlFacts("C-1", "PIN lock on the keypad", ("pump", "cloud"))
    [issue] = blocking_issues(
        [control],
        [],
        clinical_elements=CLINICAL,
        emergency_elements=EMERGENCY,
        element_names={"pump": "Pump controller"},
    )
    assert issue.rule == "control-impact-review"
    assert issue.subject == "C-1"
    assert issue.message == (
        "Control 'PIN lock on the keypad' touches 'Pump controller', which serves an "
        "emergency-access function: record a review that the function stays available "
        "(for example a break-glass path)."
    )


def test_a_recorded_review_clears_it_and_other_elements_never_block() -> None:
    reviewed = ControlFacts("C-1", "PIN lock", ("pump",), frozenset({"pump"}))
    elsewhere = ControlFacts("C-2", "WAF", ("cloud",))
    clinical_only = ControlFacts("C-3", "Session timeout", ("tablet",))
    issues = blocking_issues(
        [reviewed, elsewhere, clinical_only],
        [],
        clinical_elements=CLINICAL,
        emergency_elements=EMERGENCY,
    )
    assert [(issue.subject, "clinical function" in issue.message) for issue in issues] == [
        ("C-3", True)
    ]


def test_an_unacceptable_residual_without_signed_benefit_risk_blocks() -> None:
    risks = [
        RiskFacts("R-1", "Remote bolus replay", "unacceptable"),
        RiskFacts("R-2", "Signed one", "unacceptable", benefit_risk_signed=True),
        RiskFacts("R-3", "Tolerable", "alarp"),
    ]
    issues = blocking_issues(
        risks=risks, controls=[], clinical_elements=CLINICAL, emergency_elements=EMERGENCY
    )
    assert [(issue.rule, issue.subject) for issue in issues] == [("benefit-risk", "R-1")]
