"""Decisions with VEX rules, approval on released versions, proposals across versions."""

from __future__ import annotations

import pytest

from medvigil.audit.models import AuditEvent
from medvigil.audit.signatures import signature_status
from medvigil.platform.refusals import Refusal
from medvigil.triage import selectors, services
from medvigil.triage.keys import component_key, key_of
from medvigil.triage.models import Decision, Proposal
from medvigil.triage.statements import Statement
from tests import factories
from tests.triage.conftest import MINIMIST, Portfolio

pytestmark = pytest.mark.django_db

NOT_AFFECTED = Statement(
    "not_affected",
    justification="vulnerable_code_not_in_execute_path",
    impact_statement="The build tool uses minimist only at build time; it is not shipped.",
)


def statement_of(portfolio: Portfolio, version: object) -> selectors.VersionStatement:
    return next(
        item for item in selectors.version_statements(version) if item.vulnerability_id == MINIMIST
    )


def test_component_identity_drops_qualifiers_and_falls_back_to_name_at_version() -> None:
    assert component_key("minimist", "0.0.8", "pkg:npm/minimist@0.0.8?arch=x86#lib") == (
        "pkg:npm/minimist@0.0.8"
    )
    assert component_key("zlib", "1.3.1", "") == "zlib@1.3.1"


@pytest.mark.parametrize(
    ("statement", "field"),
    [
        (Statement("not_affected", impact_statement="No."), "justification"),
        (Statement("not_affected", justification="component_not_present"), "impact_statement"),
        (Statement("affected"), "action_statement"),
        (Statement("fixed", justification="component_not_present"), "justification"),
        (Statement("maybe"), "status"),
    ],
)
def test_an_incomplete_statement_is_refused_and_nothing_is_stored(
    portfolio: Portfolio, statement: Statement, field: str
) -> None:
    finding = portfolio.finding(portfolio.development)
    with pytest.raises(Refusal) as refused:
        services.decide(finding, portfolio.engineer, statement)
    assert (field,) in {error.location for error in refused.value.errors}
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(action="triage-decided").exists()


def test_a_decision_before_release_is_effective_at_once_and_audited(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    decision = services.decide(finding, portfolio.engineer, NOT_AFFECTED)
    assert not decision.requires_approval
    stated = statement_of(portfolio, portfolio.development)
    assert (stated.status, stated.justification, stated.component_purl) == (
        "not_affected",
        "vulnerable_code_not_in_execute_path",
        "pkg:npm/minimist@0.0.8",
    )
    assert stated.impact_statement.startswith("The build tool")
    event = AuditEvent.objects.get(action="triage-decided")
    assert event.details["status"] == "not_affected"
    assert event.details["component"] == "pkg:npm/minimist@0.0.8"


def test_on_a_released_version_a_decision_waits_for_an_approval_signature(
    portfolio: Portfolio,
) -> None:
    finding = portfolio.finding(portfolio.released)
    decision = services.decide(finding, portfolio.engineer, NOT_AFFECTED)
    stated = statement_of(portfolio, portfolio.released)
    assert (stated.status, stated.pending_approval) == ("under_investigation", True)
    with pytest.raises(Refusal, match="author"):
        services.approve(decision, portfolio.engineer, factories.PASSWORD)
    with pytest.raises(Refusal, match="password"):
        services.approve(decision, portfolio.approver, "wrong password")
    services.approve(decision, portfolio.approver, factories.PASSWORD)
    stated = statement_of(portfolio, portfolio.released)
    assert (stated.status, stated.pending_approval) == ("not_affected", False)
    assert stated.approved_at is not None
    [signature] = signature_status(decision)
    assert (signature.meaning, signature.valid) == ("approved", True)


def test_a_later_unsigned_decision_leaves_the_approved_one_in_force(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.released)
    first = services.decide(finding, portfolio.engineer, NOT_AFFECTED)
    services.approve(first, portfolio.approver, factories.PASSWORD)
    services.decide(finding, portfolio.engineer, Statement("affected", action_statement="Patch."))
    stated = statement_of(portfolio, portfolio.released)
    assert (stated.status, stated.pending_approval, stated.decision_id) == (
        "not_affected",
        True,
        first.pk,
    )
    assert [row.status for row in selectors.history(key_of(finding))] == [
        "affected",
        "not_affected",
    ]


def test_a_decision_is_offered_to_the_same_component_elsewhere_never_applied(
    portfolio: Portfolio,
) -> None:
    decision = services.decide(
        portfolio.finding(portfolio.development), portfolio.engineer, NOT_AFFECTED
    )
    proposal = Proposal.objects.get()
    assert (proposal.version, proposal.source, proposal.source_decision) == (
        portfolio.released,
        "earlier_decision",
        decision,
    )
    assert statement_of(portfolio, portfolio.released).status == "under_investigation"
    assert statement_of(portfolio, portfolio.released).open_proposals == 1
    confirmed = services.confirm_proposal(proposal, portfolio.engineer)
    proposal.refresh_from_db()
    assert (proposal.state, confirmed.requires_approval) == ("confirmed", True)
    services.approve(confirmed, portfolio.approver, factories.PASSWORD)
    assert statement_of(portfolio, portfolio.released).status == "not_affected"


def test_a_proposal_changed_before_confirming_records_the_change(portfolio: Portfolio) -> None:
    services.decide(portfolio.finding(portfolio.development), portfolio.engineer, NOT_AFFECTED)
    proposal = Proposal.objects.get()
    changed = Statement("affected", action_statement="Update minimist to 1.2.6 in 1.2.1.")
    decision = services.confirm_proposal(proposal, portfolio.engineer, changed)
    proposal.refresh_from_db()
    assert (proposal.state, decision.status, decision.proposal) == ("changed", "affected", proposal)
    with pytest.raises(Refusal, match="already") as refused:
        services.confirm_proposal(proposal, portfolio.engineer)
    assert refused.value.status == 409


def test_supplier_proposals_come_through_propose_once_per_document(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    made = services.propose(
        finding,
        "not_affected",
        "vulnerable_code_not_present",
        "Not compiled in.",
        "",
        "Supplier VEX from Acme",
        "vex/acme-2026-01.json#CVE-2021-44906",
    )
    again = services.propose(
        finding,
        "not_affected",
        "vulnerable_code_not_present",
        "Not compiled in.",
        "",
        "Supplier VEX from Acme",
        "vex/acme-2026-01.json#CVE-2021-44906",
    )
    assert made is not None
    assert again is None
    assert made.source == "supplier_vex"
    with pytest.raises(Refusal, match="Choose one of"):
        services.propose(finding, "harmless", "", "", "", "Supplier VEX", "x")
    services.dismiss_proposal(made, portfolio.engineer, "The supplier describes another build.")
    assert AuditEvent.objects.filter(action="triage-proposal-dismissed").count() == 1


def test_a_supplier_statement_without_justification_is_completed_by_the_confirmer(
    portfolio: Portfolio,
) -> None:
    # Many CSAF VEX documents say "known not affected" with no justification flag.
    finding = portfolio.finding(portfolio.development)
    bare = services.propose(finding, "not_affected", "", "", "", "CSAF VEX from Acme", "csaf#1")
    assert bare is not None
    with pytest.raises(Refusal, match="five justifications"):
        services.confirm_proposal(bare, portfolio.engineer)
    assert Decision.objects.count() == 0
    completed = Statement(
        "not_affected",
        "vulnerable_code_not_in_execute_path",
        "The parser is never given untrusted input.",
    )
    decision = services.confirm_proposal(bare, portfolio.engineer, completed)
    bare.refresh_from_db()
    assert bare.state == "changed"
    assert decision.justification == "vulnerable_code_not_in_execute_path"


def test_bulk_decisions_are_audited_one_by_one_and_all_or_nothing(portfolio: Portfolio) -> None:
    findings = [portfolio.finding(portfolio.development), portfolio.finding(portfolio.released)]
    decisions = services.bulk_decide(
        findings, portfolio.engineer, Statement("affected", action_statement="Upgrade.")
    )
    assert [decision.version for decision in decisions] == [
        portfolio.development,
        portfolio.released,
    ]
    assert AuditEvent.objects.filter(action="triage-decided").count() == 2
    with pytest.raises(Refusal):
        services.bulk_decide(findings, portfolio.engineer, Statement("affected"))
    assert Decision.objects.count() == 2


def test_earlier_decisions_are_gathered_for_a_new_version(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    decision = services.decide(finding, portfolio.engineer, NOT_AFFECTED)
    Proposal.objects.all().delete()
    made = services.offer_earlier_decisions(portfolio.released)
    assert [(row.source_decision, row.component_key) for row in made] == [
        (decision, "pkg:npm/minimist@0.0.8")
    ]
    assert services.offer_earlier_decisions(portfolio.released) == []
