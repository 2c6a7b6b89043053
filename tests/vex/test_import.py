"""Importing a supplier's VEX: statements become proposals on matching findings, never decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medvigil.audit.models import AuditEvent
from medvigil.platform.refusals import Refusal
from medvigil.triage import services as triage_services
from medvigil.triage.models import Decision, Proposal
from medvigil.vex import services
from medvigil.vex.models import SupplierVex
from tests.vex.conftest import Portfolio

pytestmark = pytest.mark.django_db

SHARED_VEX = "vex/cyclonedx/bom-examples/VEX/vex.json"


def supplier_cyclonedx() -> bytes:
    """A component supplier's VEX about minimist 0.0.8 (two advisories, by CVE and by GHSA)."""
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "metadata": {"timestamp": "2026-02-01T10:00:00Z", "supplier": {"name": "Parsers Ltd"}},
            "components": [
                {
                    "type": "library",
                    "bom-ref": "mm",
                    "name": "minimist",
                    "version": "0.0.8",
                    "purl": "pkg:npm/minimist@0.0.8",
                },
            ],
            "vulnerabilities": [
                {
                    "id": "CVE-2021-44906",
                    "analysis": {
                        "state": "not_affected",
                        "justification": "code_not_reachable",
                        "detail": "Our build never passes user input to minimist.",
                    },
                    "affects": [{"ref": "mm"}],
                },
                {
                    "id": "GHSA-vh95-rmgr-6w4m",
                    "analysis": {
                        "state": "exploitable",
                        "response": ["update"],
                        "detail": "Upgrade to minimist 1.2.6.",
                    },
                    "affects": [{"ref": "mm"}],
                },
                {
                    "id": "CVE-2099-0001",
                    "analysis": {"state": "in_triage"},
                    "affects": [{"ref": "mm"}],
                },
            ],
        }
    ).encode()


def test_statements_become_proposals_on_the_matching_findings(portfolio: Portfolio) -> None:
    document = services.import_vex(
        portfolio.application, supplier_cyclonedx(), "parsers-vex.json", portfolio.engineer
    )
    proposals = {
        proposal.vulnerability.canonical_id: proposal
        for proposal in Proposal.objects.filter(version=portfolio.application)
    }
    not_affected = proposals["CVE-2021-44906"]
    assert not_affected.status == "not_affected"
    assert not_affected.justification == "vulnerable_code_not_in_execute_path"
    assert not_affected.impact_statement == "Our build never passes user input to minimist."
    assert not_affected.component_purl == "pkg:npm/minimist@0.0.8"
    assert not_affected.source == Proposal.Source.SUPPLIER_VEX
    assert "Parsers Ltd" in not_affected.source_label
    assert "parsers-vex.json" in not_affected.source_label
    assert not_affected.source_document_ref == f"/vex/documents/{document.pk}/#statement-1"
    affected = proposals["CVE-2020-7598"]  # named by its GHSA alias
    assert (affected.status, affected.action_statement) == (
        "affected",
        "Upgrade to minimist 1.2.6.",
    )
    # Proposals only: nothing is decided until a person confirms.
    assert not Decision.objects.exists()
    assert document.statement_count == 3
    assert document.proposal_count == 2
    assert document.outcomes[2]["note"] == "No open finding of this version matches."
    assert bytes(document.content) == supplier_cyclonedx()
    event = AuditEvent.objects.filter(action="vex.imported").latest("sequence")
    assert event.details["proposals"] == 2


def test_the_shared_supplier_vex_applies_to_the_example_sbom(
    portfolio: Portfolio, shared_data: Path
) -> None:
    content = (shared_data / SHARED_VEX).read_bytes()
    document = services.import_vex(portfolio.java, content, "vex.json", portfolio.engineer)
    (proposal,) = Proposal.objects.filter(version=portfolio.java)
    assert proposal.vulnerability.canonical_id == "CVE-2020-25649"
    assert proposal.component_name == "jackson-databind"
    assert proposal.status == "not_affected"
    assert proposal.justification == "vulnerable_code_not_in_execute_path"
    assert proposal.impact_statement.startswith("Automated dataflow analysis")
    assert document.format == "cyclonedx"


def test_the_same_document_twice_is_refused(portfolio: Portfolio) -> None:
    services.import_vex(portfolio.application, supplier_cyclonedx(), "a.json", portfolio.engineer)
    with pytest.raises(Refusal, match="already imported") as duplicate:
        services.import_vex(
            portfolio.application, supplier_cyclonedx(), "b.json", portfolio.engineer
        )
    assert duplicate.value.status == 409
    assert SupplierVex.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not valid JSON"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.6"}', "no vulnerabilities"),
        (
            b'{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a", '
            b'"timestamp": "2026-01-01T00:00:00Z", "version": 1, "statements": [{"vulnerability":'
            b' {"name": "CVE-2021-44906"}, "status": "affected", "products": [{"@id": "pkg:npm/'
            b'minimist@0.0.8"}]}]}',
            "needs an action_statement",
        ),
    ],
)
def test_bad_documents_change_nothing(portfolio: Portfolio, content: bytes, message: str) -> None:
    with pytest.raises(Refusal, match=message):
        services.import_vex(portfolio.application, content, "bad.json", portfolio.engineer)
    assert not SupplierVex.objects.exists()
    assert not Proposal.objects.exists()
    assert not AuditEvent.objects.filter(action="vex.imported").exists()


def test_a_not_affected_statement_without_justification_is_proposed_for_completion(
    portfolio: Portfolio,
) -> None:
    content = json.dumps(
        {
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://parsers.example/vex/7",
            "author": "Parsers Ltd",
            "timestamp": "2026-02-01T10:00:00Z",
            "version": 1,
            "statements": [
                {
                    "vulnerability": {"name": "CVE-2021-44906"},
                    "products": [{"@id": "pkg:npm/minimist@0.0.8"}],
                    "status": "not_affected",
                    "impact_statement": "Not reachable.",
                }
            ],
        }
    ).encode()
    document = services.import_vex(portfolio.application, content, "open.json", portfolio.engineer)
    # OpenVEX allows an impact statement instead of a justification; our decisions need both,
    # so the proposal is kept and whoever confirms it chooses the justification.
    assert document.proposal_count == 1
    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.justification) == ("not_affected", "")
    with pytest.raises(Refusal, match="five justifications"):
        triage_services.confirm_proposal(proposal, portfolio.engineer)
