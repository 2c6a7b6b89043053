"""A portfolio with real SBOMs, real advisories and decisions in every VEX state.

The application version uses the project's demo SBOM and demo feed (real
npm packages, real GHSA records). The Java version uses CycloneDX's own
example SBOM (shared/data/vex/cyclonedx/bom-examples/VEX/bom.json), for
which the shared supplier VEX example speaks, with the public GitHub
advisory of CVE-2020-25649 in jackson-databind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from medvigil.platform.roles import Role
from medvigil.portfolio import services as portfolio_services
from medvigil.triage import services as triage_services
from medvigil.triage.statements import Statement
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.conftest import REPOSITORY

AIC_SBOM = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"
# GHSA-288c-cq4h-88gq as published in the GitHub Advisory Database (affected ranges abridged
# to the 2.10 line the example SBOM uses).
JACKSON_ADVISORY = {
    "schema_version": "1.4.0",
    "id": "GHSA-288c-cq4h-88gq",
    "modified": "2023-09-13T19:38:42Z",
    "published": "2020-12-03T20:29:38Z",
    "aliases": ["CVE-2020-25649"],
    "summary": "XML External Entity (XXE) Injection in Jackson Databind",
    "affected": [
        {
            "package": {
                "ecosystem": "Maven",
                "name": "com.fasterxml.jackson.core:jackson-databind",
            },
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "2.10.0"}, {"fixed": "2.10.5.1"}]}
            ],
        }
    ],
}


@dataclass
class Portfolio:
    team: Any
    hospital: Any
    application: Any  # deployed at the hospital, decisions approved by signature
    java: Any  # development version built from the CycloneDX example SBOM
    engineer: Any
    approver: Any
    viewer: Any
    customer: Any
    stranger: Any

    def finding(self, version: Any, vulnerability: str) -> Finding:
        return Finding.objects.select_related("component", "vulnerability", "version").get(
            version=version, vulnerability__members__contains=vulnerability, state="open"
        )

    def findings(self, version: Any) -> list[Finding]:
        return list(
            Finding.objects.filter(version=version, state="open")
            .select_related("component", "vulnerability", "version")
            .order_by("vulnerability__canonical_id", "id")
        )


@pytest.fixture
def portfolio(shared_data: Path, tmp_path: Path) -> Portfolio:
    factories.feed_import(factories.demo_feed_folder())
    advisory = tmp_path / "GHSA-288c-cq4h-88gq.json"
    advisory.write_text(json.dumps(JACKSON_ADVISORY))
    factories.feed_import(advisory)
    team = factories.team()
    hospital = factories.organisation("customer", "Saint Example Hospital")
    product = factories.product(owner=team, name="Infusion Centre", model_number="AIC-1")
    application = factories.version(product, label="1.2.0", phase="deployed")
    portfolio_services.set_installed_base(application, user=None, count=40)
    portfolio_services.record_deployment(application, user=None, organisation=hospital, units=4)
    matching.match_document(factories.sbom_document(application, AIC_SBOM, role="application"))
    java = factories.version(product, label="2.0.0", phase="development")
    example = shared_data / "vex/cyclonedx/bom-examples/VEX/bom.json"
    matching.match_document(factories.sbom_document(java, example, role="application"))
    return Portfolio(
        team=team,
        hospital=hospital,
        application=application,
        java=java,
        engineer=factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team]),
        approver=factories.user(roles=[Role.RISK_MANAGER.value], teams=[team]),
        viewer=factories.user(roles=[Role.VIEWER.value], teams=[team]),
        customer=factories.user(roles=[Role.CUSTOMER.value], organisation=hospital),
        stranger=factories.user(
            roles=[Role.CUSTOMER.value],
            organisation=factories.organisation("customer", "Another Hospital"),
        ),
    )


def decide_every_state(portfolio: Portfolio) -> dict[str, Finding]:
    """Decisions in each VEX state on the application version, approved by a second person."""
    findings = portfolio.findings(portfolio.application)
    chosen = {
        "not_affected": findings[0],
        "affected": findings[1],
        "fixed": findings[2],
    }
    statements = {
        "not_affected": Statement(
            "not_affected",
            "vulnerable_code_not_in_execute_path",
            "The parser is only reached with configuration files signed at the factory.",
        ),
        "affected": Statement(
            "affected", action_statement="Update to 1.2.1; until then block USB configuration."
        ),
        "fixed": Statement("fixed", fixed_in_version="1.2.0"),
    }
    for status, finding in chosen.items():
        decision = triage_services.decide(finding, portfolio.engineer, statements[status])
        triage_services.approve(decision, portfolio.approver, factories.PASSWORD)
    return chosen
