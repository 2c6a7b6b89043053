"""The statement in force kept on each finding stays right after every writer.

After a decision, an approval, scores, a plan, a confirmed supplier VEX
statement, a re-match that closes and reopens a finding, and an SBOM replaced
(new finding rows of an already decided key), the queue columns of every
open finding say what `selectors.version_statements` says, and the queue
shows it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from medvigil.sbom import services as sbom_services
from medvigil.triage import services
from medvigil.triage.models import Proposal
from medvigil.triage.queue import QueueFilter, queue_page_rows
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.triage.scoring import ScoreInput, save_scores
from medvigil.triage.selectors import version_statements
from medvigil.triage.standing import DEFAULTS, RANKS
from medvigil.triage.statements import Statement
from medvigil.vex import services as vex_services
from medvigil.vulns import matching
from medvigil.vulns.models import NO_DUE, UNSCORED_RANK, Finding
from tests import factories
from tests.triage.conftest import AIC_SBOM, MINIMIST, Portfolio
from tests.vex.test_import import supplier_cyclonedx

pytestmark = pytest.mark.django_db

NOT_AFFECTED = Statement(
    status="not_affected",
    justification="vulnerable_code_not_in_execute_path",
    impact_statement="Build-time only.",
)


def assert_standing_is_in_force(version: Any) -> None:
    """Every open finding's columns match the statement built from the triage records."""
    statements = {row.finding_id: row for row in version_statements(version)}
    findings = Finding.objects.filter(version=version, state="open")
    assert {row.pk for row in findings} == set(statements)
    for finding in findings:
        stated = statements[finding.pk]
        scores, plan = stated.scores, stated.plan
        due = plan.due_at if plan and plan.remediated_at is None and plan.due_at else NO_DUE
        assert (
            finding.triage_status,
            finding.triage_pending,
            finding.triage_priority,
            finding.triage_rank,
            finding.triage_ssvc,
            finding.triage_kev,
            finding.triage_due,
        ) == (
            stated.status,
            stated.pending_approval,
            scores.priority if scores else "unscored",
            RANKS.get(scores.priority, UNSCORED_RANK) if scores else UNSCORED_RANK,
            scores.ssvc_outcome if scores else "",
            bool(scores and scores.kev_listed),
            due,
        ), stated.vulnerability_id


def queue_status(portfolio: Portfolio, finding: Finding) -> str | None:
    rows, _ = queue_page_rows(portfolio.viewer, QueueFilter(), None, 500)
    return next((row.status for row in rows if row.finding_id == finding.pk), None)


def test_a_decision_and_its_approval_are_in_force_in_the_queue(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    services.decide(finding, portfolio.engineer, NOT_AFFECTED)
    assert_standing_is_in_force(portfolio.development)
    assert queue_status(portfolio, finding) == "not_affected"
    released = portfolio.finding(portfolio.released)
    decision = services.decide(released, portfolio.engineer, NOT_AFFECTED)
    assert_standing_is_in_force(portfolio.released)
    released.refresh_from_db()
    assert (released.triage_status, released.triage_pending) == ("under_investigation", True)
    services.approve(decision, portfolio.approver, factories.PASSWORD)
    assert_standing_is_in_force(portfolio.released)
    assert queue_status(portfolio, released) == "not_affected"


def test_scores_and_a_plan_set_priority_and_due_date(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    save_scores(finding, portfolio.engineer, ScoreInput(harm_severity="critical"))
    save_plan(finding, portfolio.engineer, PlanInput())
    assert_standing_is_in_force(portfolio.development)
    finding.refresh_from_db()
    assert finding.triage_priority != "unscored"
    assert finding.triage_due != NO_DUE
    rows, _ = queue_page_rows(portfolio.viewer, QueueFilter(), None, 1)
    assert [row.finding_id for row in rows] == [finding.pk]  # the only one with a due date


def test_a_confirmed_supplier_vex_statement_is_in_force(portfolio: Portfolio) -> None:
    vex_services.import_vex(
        portfolio.development, supplier_cyclonedx(), "parsers-vex.json", portfolio.engineer
    )
    assert_standing_is_in_force(portfolio.development)  # proposals change nothing yet
    proposal = Proposal.objects.filter(
        version=portfolio.development, vulnerability__canonical_id=MINIMIST
    ).get()
    services.confirm_proposal(proposal, portfolio.engineer)
    assert_standing_is_in_force(portfolio.development)
    finding = portfolio.finding(portfolio.development)
    assert queue_status(portfolio, finding) == proposal.status


def test_a_rematch_that_closes_and_reopens_keeps_the_statement(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    services.decide(finding, portfolio.engineer, NOT_AFFECTED)
    # The advisory stops naming the component (as after a withdrawn range): closed.
    Finding.objects.filter(pk=finding.pk).update(state="closed", close_reason="no longer matches")
    assert queue_status(portfolio, finding) is None
    matching.match_version(portfolio.development)  # it matches again: the same row reopens
    finding.refresh_from_db()
    assert finding.state == "open"
    assert queue_status(portfolio, finding) == "not_affected"
    assert_standing_is_in_force(portfolio.development)


def test_an_sbom_replaced_gives_its_new_findings_the_decision_in_force(
    portfolio: Portfolio, django_capture_on_commit_callbacks: Any
) -> None:
    finding = portfolio.finding(portfolio.development)
    services.decide(finding, portfolio.engineer, NOT_AFFECTED)
    with django_capture_on_commit_callbacks(execute=True):
        sbom_services.delete_document(finding.component.document)
    assert queue_status(portfolio, finding) is None
    matching.match_document(
        factories.sbom_document(portfolio.development, AIC_SBOM, role="application")
    )
    renewed = portfolio.finding(portfolio.development)
    assert renewed.pk != finding.pk
    assert queue_status(portfolio, renewed) == "not_affected"
    assert_standing_is_in_force(portfolio.development)


def test_the_data_migration_fills_the_columns_of_existing_findings(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    services.decide(finding, portfolio.engineer, NOT_AFFECTED)
    save_plan(finding, portfolio.engineer, PlanInput())
    Finding.objects.update(**DEFAULTS)  # as before the migration
    migration = import_module("medvigil.triage.migrations.0002_finding_standing")
    migration.fill(apps, None)
    assert_standing_is_in_force(portfolio.development)
    finding.refresh_from_db()
    assert (finding.triage_status, finding.triage_due != NO_DUE) == ("not_affected", True)
