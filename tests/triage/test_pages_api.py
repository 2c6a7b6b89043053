"""The triage pages and API as people and pipelines use them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.core.scoring import rubric
from medvigil.triage.models import Assessment, Decision, Proposal
from tests import factories
from tests.triage.conftest import MINIMIST, Portfolio

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    return factories.sign_in(Client(raise_request_exception=False), user)


def code(user: Any) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def post_json(client: Client, url: str, body: Any, method: str = "POST") -> Any:
    return client.generic(method, url, json.dumps(body), "application/json")


def test_a_decision_through_the_api_then_its_approval(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.released)
    engineer, approver = client_for(portfolio.engineer), client_for(portfolio.approver)
    made = post_json(
        engineer,
        f"/api/v1/triage/findings/{finding.pk}/decisions",
        {
            "status": "not_affected",
            "justification": "vulnerable_code_not_in_execute_path",
            "impact_statement": "Build-time only.",
        },
    )
    assert made.status_code == 201
    assert made.json()["pending_approval"] is True
    approval = f"/api/v1/triage/decisions/{made.json()['id']}/approval"
    own = {"password": factories.PASSWORD, "otp_code": code(portfolio.engineer)}
    refused = post_json(engineer, approval, own)
    assert refused.status_code == 403  # separation of duties: the author may not approve
    assert refused["Content-Type"] == "application/problem+json"
    assert "author" in refused.json()["detail"]
    other = {"password": factories.PASSWORD, "otp_code": code(portfolio.approver)}
    approved = post_json(approver, approval, other)
    assert approved.status_code == 200
    assert approved.json()["pending_approval"] is False
    listing = engineer.get(
        f"/api/v1/triage/versions/{portfolio.released.pk}/statements", {"status": "not_affected"}
    )
    assert [item["vulnerability_id"] for item in listing.json()["items"]] == [MINIMIST]


def test_incomplete_decisions_are_a_problem_naming_the_field(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    url = f"/api/v1/triage/findings/{finding.pk}/decisions"
    answer = post_json(client_for(portfolio.engineer), url, {"status": "affected"})
    assert answer.status_code == 422
    assert {"location": ["action_statement"], "message": "Affected needs an action statement."} in (
        answer.json()["errors"]
    )
    assert not Decision.objects.exists()


def test_viewers_read_but_do_not_decide(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    viewer = client_for(portfolio.viewer)
    assert viewer.get(f"/api/v1/triage/findings/{finding.pk}").status_code == 200
    refused = post_json(
        viewer, f"/api/v1/triage/findings/{finding.pk}/decisions", {"status": "under_investigation"}
    )
    assert refused.status_code == 403


def test_scores_plan_and_statements_through_the_api(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.released)
    engineer = client_for(portfolio.engineer)
    scores = post_json(
        engineer,
        f"/api/v1/triage/findings/{finding.pk}/scores",
        {
            "rubric_answers": {"XAVN": "no", "XAVP": "yes"},
            "harm_severity": "serious",
            "ssvc_automatable": False,
            "ssvc_technical_impact": "partial",
            "ssvc_mission_prevalence": "support",
            "control_status": "controlled",
            "control_rationale": "The service port needs a hospital key.",
        },
        "PUT",
    )
    assert scores.status_code == 200, scores.content
    body = scores.json()
    assert body["rubric_vector"].startswith("CVSS:3.0/AV:P/")
    assert (body["ssvc_outcome"], body["control_decided_by"]) == (
        "track",
        portfolio.engineer.username,
    )
    planned = {"fix_in_version": "1.2.1", "compensating_controls": "Lock the port."}
    plan = post_json(engineer, f"/api/v1/triage/findings/{finding.pk}/plan", planned, "PUT")
    assert plan.status_code == 200
    assert plan.json()["due_at"] is not None
    detail = engineer.get(f"/api/v1/triage/findings/{finding.pk}").json()
    assert detail["plan"]["fix_in_version"] == "1.2.1"
    bad = post_json(
        engineer,
        f"/api/v1/triage/findings/{finding.pk}/scores",
        {"rubric_answers": {"XAVN": "sometimes"}},
        "PUT",
    )
    assert bad.status_code == 422
    assert ["rubric_answers"] in [error["location"] for error in bad.json()["errors"]]


def test_bulk_and_proposals_through_the_api(portfolio: Portfolio) -> None:
    findings = [portfolio.finding(portfolio.development), portfolio.finding(portfolio.released)]
    engineer = client_for(portfolio.engineer)
    made = post_json(
        engineer,
        "/api/v1/triage/decisions/bulk",
        {
            "finding_ids": [finding.pk for finding in findings],
            "statement": {"status": "affected", "action_statement": "Upgrade minimist."},
        },
    )
    assert made.status_code == 201
    assert len(made.json()) == 2
    unknown = post_json(
        engineer,
        "/api/v1/triage/decisions/bulk",
        {"finding_ids": [999_999], "statement": {"status": "under_investigation"}},
    )
    assert unknown.status_code == 404
    post_json(
        engineer,
        f"/api/v1/triage/findings/{findings[0].pk}/decisions",
        {"status": "fixed", "fixed_in_version": "1.3.0"},
    )
    proposal = Proposal.objects.get(version=portfolio.released, state="open")
    dismissed = post_json(
        engineer,
        f"/api/v1/triage/proposals/{proposal.pk}/dismissal",
        {"reason": "1.2.0 still ships the old minimist."},
    )
    assert dismissed.json()["state"] == "dismissed"


def test_the_pages_show_the_list_the_finding_and_the_forms(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.released)
    engineer = client_for(portfolio.engineer)
    listing = engineer.get(f"/triage/versions/{portfolio.released.pk}/")
    assert listing.status_code == 200
    assert MINIMIST in listing.content.decode()
    partial = engineer.get(
        f"/triage/versions/{portfolio.released.pk}/",
        {"status": "affected"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in partial.content.decode()
    incomplete = {"status": "not_affected", "justification": "component_not_present"}
    answer = engineer.post(f"/triage/findings/{finding.pk}/decision", incomplete)
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "Not affected needs an impact statement." in page
    assert "<script>" not in page
    engineer.post(
        f"/triage/findings/{finding.pk}/decision",
        {"status": "affected", "action_statement": "Upgrade minimist to 1.2.6."},
    )
    page = engineer.get(f"/triage/findings/{finding.pk}/").content.decode()
    assert "Pending approval" in page
    assert "XAVN (AV)" in page  # the rubric questionnaire
    scores = engineer.post(
        f"/triage/findings/{finding.pk}/scores",
        {
            "exploit_maturity": "functional",
            "harm_severity": "serious",
            "XAVN": "yes",
            "XAVT": "yes",
            "XACL": "yes",
            "XPRL": "no",
            "XPRZ": "unknown",
            "XPRS": "unknown",
            "XUI": "no",
            "XS": "no",
            "XAVW": "no",
            "XAVR": "no",
            "XAVP": "no",
            "XAVPA": "no",
            "XCPM": "no",
            **{
                key: "none"
                for key in (
                    "XCP",
                    "XIP",
                    "XAP",
                    "XCD",
                    "XID",
                    "XAD",
                    "XCT",
                    "XIT",
                    "XAT",
                    "XCW",
                    "XIW",
                    "XAW",
                    "XCS",
                    "XIS",
                    "XAS",
                    "XCO",
                    "XIO",
                    "XAO",
                )
            },
            "XIT": "high",
        },
    )
    assert scores.status_code == 302
    page = engineer.get(f"/triage/findings/{finding.pk}/").content.decode()
    assert "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N" in page
    bulk = engineer.get("/triage/bulk/", {"vulnerability": MINIMIST}).content.decode()
    assert bulk.count('name="finding"') == 2
    assert engineer.get("/triage/due/").status_code == 200


WORDS = st.sampled_from(["affected", "not_affected", "fixed", "component_not_present"])
VALUES = st.one_of(st.text(max_size=30), st.integers(), st.none(), st.booleans(), WORDS)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "status",
                "justification",
                "impact_statement",
                "action_statement",
                "fixed_in_version",
                "note",
                "other",
            ]
        ),
        VALUES,
        max_size=6,
    )
)
def test_any_decision_body_is_stored_whole_or_refused_with_nothing_stored(
    portfolio: Portfolio, body: dict[str, Any]
) -> None:
    finding = portfolio.finding(portfolio.development)
    before = Decision.objects.count()
    answer = post_json(
        client_for(portfolio.engineer), f"/api/v1/triage/findings/{finding.pk}/decisions", body
    )
    assert answer.status_code in (201, 400, 422), answer.content
    assert Decision.objects.count() == before + (1 if answer.status_code == 201 else 0)


def test_an_untouched_rubric_questionnaire_is_not_a_rubric_assessment(
    portfolio: Portfolio,
) -> None:
    finding = portfolio.finding(portfolio.released)
    engineer = client_for(portfolio.engineer)
    page = engineer.get(f"/triage/findings/{finding.pk}/").content.decode()
    assert 'name="XAVN"' in page
    untouched = (
        {key: "unknown" for key in rubric.QUESTION_KEYS}
        | {key: "unknown" for key in rubric.IMPACT_KEYS}
        | {"XCPM": "unknown"}
    )
    posted = {"exploit_maturity": "unreported", "harm_severity": "minor", **untouched}
    engineer.post(f"/triage/findings/{finding.pk}/scores", posted)
    assessment = Assessment.objects.get(version=portfolio.released)
    assert (assessment.harm_severity, assessment.rubric_vector) == ("minor", "")
    assert assessment.rubric_score is None


def test_a_proposal_is_confirmed_or_changed_on_the_page(portfolio: Portfolio) -> None:
    engineer = client_for(portfolio.engineer)
    development = portfolio.finding(portfolio.development)
    engineer.post(
        f"/triage/findings/{development.pk}/decision",
        {"status": "affected", "action_statement": "Upgrade minimist to 1.2.6."},
    )
    released = portfolio.finding(portfolio.released)
    page = engineer.get(f"/triage/findings/{released.pk}/").content.decode()
    assert "Change it, then confirm" in page
    proposal = Proposal.objects.get(version=portfolio.released)
    changed = {"change-status": "affected", "change-action_statement": "1.2.0 gets a hotfix 1.2.1."}
    engineer.post(f"/triage/proposals/{proposal.pk}/confirmation", changed)
    proposal.refresh_from_db()
    decision = Decision.objects.get(version=portfolio.released)
    assert (proposal.state, decision.action_statement) == ("changed", "1.2.0 gets a hotfix 1.2.1.")
    assert decision.pending_approval


SCORE_FIELDS = st.sampled_from(
    [
        "rubric_answers",
        "harm_severity",
        "ssvc_exploitation",
        "ssvc_automatable",
        "patients_exposed",
        "control_status",
        "control_rationale",
        "learned_at",
        "exploit_maturity",
    ]
)
SCORE_VALUES = st.one_of(
    VALUES,
    st.dictionaries(st.sampled_from(["XAVN", "XCT", "XQ"]), VALUES, max_size=3),
    st.sampled_from(["critical", "uncontrolled", "active", "2026-01-01T00:00:00Z", "2026-01-01"]),
    st.integers(min_value=-(2**40), max_value=2**40),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(SCORE_FIELDS, SCORE_VALUES, max_size=4))
def test_any_scores_body_is_applied_whole_or_refused_with_nothing_changed(
    portfolio: Portfolio, body: dict[str, Any]
) -> None:
    finding = portfolio.finding(portfolio.development)
    before = list(Assessment.objects.values())
    answer = post_json(
        client_for(portfolio.engineer), f"/api/v1/triage/findings/{finding.pk}/scores", body, "PUT"
    )
    assert answer.status_code in (200, 400, 422), answer.content
    if answer.status_code != 200:
        assert list(Assessment.objects.values()) == before


def test_statements_come_in_keyset_pages(portfolio: Portfolio) -> None:
    engineer = client_for(portfolio.engineer)
    url = f"/api/v1/triage/versions/{portfolio.released.pk}/statements"
    everything = engineer.get(url, {"limit": 500}).json()["items"]
    seen, cursor = [], None
    while True:
        page = engineer.get(url, {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["finding_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(item["finding_id"] for item in everything)
    assert len(seen) == 6  # the six open findings of the real SBOM


def test_the_finding_page_shows_clocks_signatures_and_scores(portfolio: Portfolio) -> None:
    from medvigil.triage import scoring, services
    from medvigil.triage.remediation import PlanInput, save_plan
    from medvigil.triage.statements import Statement

    finding = portfolio.finding(portfolio.released)
    decision = services.decide(
        finding, portfolio.engineer, Statement("affected", action_statement="Hotfix 1.2.1.")
    )
    device = TOTPDevice.objects.get_or_create(
        user=portfolio.approver, confirmed=True, defaults={"name": "approver"}
    )[0]
    code_now = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    services.approve(decision, portfolio.approver, factories.PASSWORD, code_now)
    uncontrolled = scoring.ScoreInput(
        harm_severity="critical", control_status="uncontrolled", control_rationale="None yet."
    )
    scoring.save_scores(finding, portfolio.engineer, uncontrolled)
    save_plan(finding, portfolio.engineer, PlanInput(fix_in_version="1.2.1"))
    page = client_for(portfolio.viewer).get(f"/triage/findings/{finding.pk}/").content.decode()
    assert "Communicate to customers (uncontrolled risk) (30 days)" in page
    assert "Approved by" in page
    assert "uncontrolled" in page.lower()
    assert "Record decision" not in page  # a viewer reads, never decides
    listing = client_for(portfolio.viewer).get(f"/triage/versions/{portfolio.released.pk}/")
    assert "priority-critical" in listing.content.decode()


def test_the_admin_lists_triage_records_read_only(portfolio: Portfolio) -> None:
    from medvigil.triage import services
    from medvigil.triage.statements import Statement

    finding = portfolio.finding(portfolio.development)
    decision = services.decide(finding, portfolio.engineer, Statement("under_investigation"))
    administrator = client_for(factories.user(administrator=True))
    listing = administrator.get("/admin/triage/decision/")
    assert listing.status_code == 200
    assert "pkg:npm/minimist@0.0.8" in listing.content.decode()
    assert administrator.get(f"/admin/triage/decision/{decision.pk}/delete/").status_code == 403
