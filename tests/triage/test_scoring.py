"""Scores kept with their inputs: advisory CVSS, environment, rubric, EPSS/KEV, SSVC, harm, FDA."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from medvigil.audit.models import AuditEvent
from medvigil.platform.refusals import Refusal
from medvigil.triage import scoring, selectors
from medvigil.triage.models import Assessment
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.vulns.models import EpssScore, KevEntry
from tests.triage.conftest import MINIMIST, Portfolio

pytestmark = pytest.mark.django_db
# The GitHub advisory for minimist (GHSA-xvch-5gv4-984h, in the demo feed) scores it 9.8.
MINIMIST_VECTOR = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


def test_first_scores_come_from_the_feeds(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.released)
    assessment = scoring.ensure_assessment(finding)
    assert (assessment.cvss3_vector, assessment.cvss3_base) == (MINIMIST_VECTOR, 9.8)
    assert assessment.learned_at == finding.first_seen
    assert assessment.patients_exposed == 40  # the version's installed base
    kev = KevEntry.objects.filter(cve_id=MINIMIST).first()
    epss = EpssScore.objects.filter(cve_id=MINIMIST).first()
    assert assessment.kev_listed is (kev is not None)
    assert assessment.epss_probability == (epss.probability if epss else None)
    assert AuditEvent.objects.filter(action="triage-scored").count() == 1


def test_the_rubric_ssvc_harm_and_fda_determination_are_stored_with_their_inputs(
    portfolio: Portfolio,
) -> None:
    finding = portfolio.finding(portfolio.released)
    values = scoring.ScoreInput(
        rubric_answers={
            "XAVN": "no",
            "XAVP": "yes",
            "XACL": "yes",
            "XPRL": "no",
            "XUI": "no",
            "XS": "no",
            "XCP": "none",
            "XIT": "high",
            "XAT": "high",
        },
        rubric_rationale="Only the service port on the pump's back exposes the tool.",
        ssvc_exploitation="public-poc",
        ssvc_automatable=False,
        ssvc_technical_impact="total",
        ssvc_mission_prevalence="essential",
        harm_severity="critical",
        harm_rationale="Wrong infusion rate.",
        patients_exposed=120,
        control_status="uncontrolled",
        control_rationale="No compensating control on site.",
    )
    assessment = scoring.save_scores(finding, portfolio.engineer, values)
    assert assessment.rubric_vector.startswith("CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/")
    assert assessment.rubric_vector.endswith("/I:H/A:H")
    assert "XAVP:Y" in assessment.rubric_extended_vector
    assert assessment.rubric_answers["XAVN"] == "no"
    assert (assessment.ssvc_outcome, assessment.ssvc_vector) == (
        "attend",
        "E:P/A:N/TI:T/MWI:H/CISA:AT",
    )
    assert (assessment.priority, assessment.priority_rule) == ("critical", "medvigil-priority/1")
    assert assessment.control_decided_by == portfolio.engineer
    assert assessment.control_decided_at is not None
    event = AuditEvent.objects.filter(action="triage-scored").latest("sequence")
    assert event.changes["control_status"] == ["", "uncontrolled"]
    assert event.changes["harm_severity"] == ["", "critical"]
    summary = next(
        item
        for item in selectors.version_statements(portfolio.released)
        if item.vulnerability_id == MINIMIST
    )
    assert summary.scores is not None
    assert (summary.scores.control_status, summary.scores.patients_exposed) == ("uncontrolled", 120)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (scoring.ScoreInput(control_status="uncontrolled"), "control_rationale"),
        (scoring.ScoreInput(harm_severity="fatal"), "harm_severity"),
        (scoring.ScoreInput(rubric_answers={"XAVN": "perhaps"}), "rubric_answers"),
        (scoring.ScoreInput(patients_exposed=-1), "patients_exposed"),
        (scoring.ScoreInput(learned_at=timezone.now() + datetime.timedelta(days=2)), "learned_at"),
    ],
)
def test_bad_scores_are_refused_and_nothing_changes(
    portfolio: Portfolio, values: scoring.ScoreInput, field: str
) -> None:
    with pytest.raises(Refusal) as refused:
        scoring.save_scores(portfolio.finding(portfolio.released), portfolio.engineer, values)
    assert (field,) in {error.location for error in refused.value.errors}
    assert not Assessment.objects.exists()


def test_the_version_environment_rescores_every_finding(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.released)
    scoring.ensure_assessment(finding)
    scoring.set_environment(portfolio.released, portfolio.engineer, "MAV:A/CR:H", "", "Segmented.")
    assessment = Assessment.objects.get(
        vulnerability=finding.vulnerability, version=portfolio.released
    )
    assert (assessment.cvss3_base, assessment.cvss3_environmental) == (9.8, 8.8)
    with pytest.raises(Refusal, match="not an environmental metric"):
        scoring.set_environment(portfolio.released, portfolio.engineer, "AV:L", "", "")


def test_an_uncontrolled_risk_gets_fda_clocks_from_when_it_was_learned(
    portfolio: Portfolio,
) -> None:
    finding = portfolio.finding(portfolio.released)
    learned = datetime.datetime(2026, 1, 30, 19, 0, tzinfo=datetime.UTC)  # 14:00 in New York
    plan = save_plan(finding, portfolio.engineer, PlanInput(fix_in_version="1.2.1"))
    assert plan.communicate_due_at is None  # controlled until someone says otherwise
    scoring.save_scores(
        finding,
        portfolio.engineer,
        scoring.ScoreInput(
            learned_at=learned,
            control_status="uncontrolled",
            control_rationale="No control.",
        ),
    )
    plan.refresh_from_db()
    assert plan.communicate_due_at == datetime.datetime(2026, 3, 1, 19, 0, tzinfo=datetime.UTC)
    assert plan.remediate_due_at == datetime.datetime(2026, 3, 31, 18, 0, tzinfo=datetime.UTC)
    assert plan.due_at == plan.communicate_due_at  # critical: 30 days by the default policy
    assert AuditEvent.objects.filter(action="triage-plan-dates").count() == 1


def test_the_remediation_policy_comes_from_settings(portfolio: Portfolio, settings: object) -> None:
    settings.TRIAGE_REMEDIATION_DAYS = {"critical": 7, "high": 14, "medium": 30, "low": 5}  # type: ignore[attr-defined]
    finding = portfolio.finding(portfolio.development)
    assessment = scoring.ensure_assessment(finding)
    plan = save_plan(finding, portfolio.engineer, PlanInput(compensating_controls="Firewall."))
    assert plan.due_at is not None
    expected_days = settings.TRIAGE_REMEDIATION_DAYS[assessment.priority]  # type: ignore[attr-defined]
    assert (plan.due_at - assessment.learned_at).days in (expected_days - 1, expected_days)
    with pytest.raises(Refusal, match="in the past"):
        save_plan(
            finding,
            portfolio.engineer,
            PlanInput(remediated_at=timezone.now() + datetime.timedelta(days=1)),
        )
