"""Separation of duties on every kind of signed record: author, reviewers and approver distinct.

The rules live in `audit.signatures`; each record below is signed through its own
service or route, as a person would.
"""

from __future__ import annotations

from typing import Any

import pytest

from medvigil.audit.signatures import sign
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.platform.refusals import Kind, Refusal
from medvigil.platform.roles import Role
from medvigil.reports import services as reports_services
from medvigil.riskfile import controls
from medvigil.riskfile import services as riskfile_services
from medvigil.triage import services as triage_services
from medvigil.triage.statements import Statement
from medvigil.vulns.models import Finding
from tests import factories
from tests.disclosure.advisory_helpers import advisory_data, people_and_case
from tests.security.world import ADVISORY, matrix_report, owned_objects

pytestmark = pytest.mark.django_db
PASSWORD = factories.PASSWORD


def test_an_advisory_reviewer_may_not_approve_even_after_an_edit_and_another_review() -> None:
    world = people_and_case()
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    with pytest.raises(Refusal, match="author may not review"):
        advisory_services.review(advisory, world.author, PASSWORD)
    advisory_services.review(advisory, world.reviewer, PASSWORD)
    # The edit invalidates the first review; a second person reviews the new content.
    advisory_services.update_advisory(advisory, world.author, advisory_data(world, title="New"))
    advisory_services.review(advisory, world.approver, PASSWORD)
    with pytest.raises(Refusal, match="whoever signed this record as reviewed") as refused:
        advisory_services.approve(advisory, world.reviewer, PASSWORD)
    assert refused.value.kind == Kind.FORBIDDEN
    assert advisory.state == "reviewed"


def unacceptable_risk(team: Any) -> Any:
    version = factories.version(factories.product(owner=team), label="1.0", phase="deployed")
    values = {"title": "Remote bolus", "exploitability": "very_high", "patient_safety": "critical"}
    return riskfile_services.create_risk(version, values)


def test_the_writer_of_a_benefit_risk_analysis_may_not_approve_it() -> None:
    team = factories.team()
    writer = factories.user(roles={Role.RISK_MANAGER.value}, teams=[team])
    approver = factories.user(roles={Role.RISK_MANAGER.value}, teams=[team])
    risk = unacceptable_risk(team)
    analysis = controls.record_benefit_risk(
        risk, benefits="Therapy at home", conclusion="Accept", user=writer, password=PASSWORD
    )
    assert not controls.is_signed(analysis)  # written and "authored", not approved
    with pytest.raises(Refusal, match="Separation of duties") as refused:
        controls.approve_benefit_risk(risk, user=writer, password=PASSWORD)
    assert refused.value.kind == Kind.FORBIDDEN
    controls.approve_benefit_risk(risk, user=approver, password=PASSWORD)
    assert controls.is_signed(analysis)


def test_an_issued_report_has_distinct_issuer_reviewer_and_approver() -> None:
    team = factories.team()
    issuer, reviewer, approver = (
        factories.user(roles={Role.REGULATORY.value}, teams=[team]) for _ in range(3)
    )
    version = factories.version(factories.product(owner=team), label="1.0")
    issued = reports_services.issue_report(issuer, "matrix", version, matrix_report(version))
    for meaning in ("reviewed", "approved"):
        with pytest.raises(Refusal, match="author of this record"):
            sign(issuer, issued, meaning, PASSWORD)
    sign(reviewer, issued, "reviewed", PASSWORD)
    with pytest.raises(Refusal, match="signed this record as reviewed may not sign it as approved"):
        sign(reviewer, issued, "approved", PASSWORD)
    sign(approver, issued, "approved", PASSWORD)
    with pytest.raises(Refusal, match="signed this record as approved may not sign it as reviewed"):
        sign(approver, issued, "reviewed", PASSWORD)


def test_the_decider_of_a_triage_decision_may_not_approve_it() -> None:
    team = factories.team()
    decider, approver = (
        factories.user(roles={Role.PRODUCT_SECURITY.value}, teams=[team]) for _ in range(2)
    )
    factories.feed_import(ADVISORY, name="separation-advisory.json")
    place = owned_objects(team, factories.organisation("customer", "Clinic"), "SOD")
    finding = Finding.objects.filter(version_id=place["version_id"]).first()
    decision = triage_services.decide(finding, decider, Statement("affected", action_statement="x"))
    assert decision.requires_approval
    with pytest.raises(Refusal, match="author of this record may not sign it as approved"):
        triage_services.approve(decision, decider, PASSWORD)
    assert triage_services.approve(decision, approver, PASSWORD).approved_by == approver
