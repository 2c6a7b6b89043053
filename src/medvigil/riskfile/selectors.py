"""Reads of the risk file: the version's records, the matrix grid, blocking issues."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from medvigil.core import risk as risk_engine
from medvigil.platform import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.portfolio.selectors import version_for
from medvigil.riskfile import controls as control_services
from medvigil.riskfile.models import (
    Control,
    SafetyRiskEntry,
    SecurityRisk,
    Threat,
    ThreatModel,
    VulnerabilityLink,
)
from medvigil.riskfile.policies import readable_versions
from medvigil.riskfile.services import risk_matrix
from medvigil.riskfile.validation import refused_input
from medvigil.vulns.models import Finding, VulnerabilityAlias


def version(user: Any, version_id: int, action: str = "view") -> ProductVersion:
    """A version whose risk file the user may read (404 otherwise), checked for `action`.

    The one version gate, within the versions whose risk file is open to the user.
    """
    return version_for(user, version_id, action, within=readable_versions(user))


def threat_model(version: ProductVersion) -> ThreatModel | None:
    return ThreatModel.objects.filter(version=version).first()


def threats(version: ProductVersion) -> QuerySet[Threat]:
    return Threat.objects.filter(version=version).select_related("risk")


def risks(version: ProductVersion) -> QuerySet[SecurityRisk]:
    return (
        SecurityRisk.objects.filter(version=version)
        .select_related("threat", "benefit_risk")
        .prefetch_related("safety_entries", "controls")
    )


def controls(version: ProductVersion) -> QuerySet[Control]:
    return Control.objects.filter(version=version).prefetch_related(
        "verifications", "impact_reviews", "risks"
    )


def safety_entries(version: ProductVersion) -> QuerySet[SafetyRiskEntry]:
    return SafetyRiskEntry.objects.filter(version=version).prefetch_related("security_risks")


def one(user: Any, model: type[Any], pk: int, action: str = "view") -> Any:
    found = permissions.get_visible(user, model.objects.all(), pk=pk)
    permissions.require(user, action, found)
    return found


@dataclass(frozen=True)
class MatrixCell:
    exploitability: str
    severity: str
    region: str
    risks: tuple[str, ...]


def matrix_rows(version: ProductVersion, residual: bool = False) -> list[list[MatrixCell]]:
    """The matrix, most exploitable row first, each cell listing the risk ids placed there."""
    matrix = risk_matrix()
    placed: dict[tuple[str, str], list[str]] = {}
    for risk in risks(version):
        exploitability = (
            (risk.residual_exploitability or risk.exploitability)
            if residual
            else (risk.exploitability)
        )
        severity = (risk.residual_severity or risk.severity) if residual else risk.severity
        placed.setdefault((exploitability, severity), []).append(risk.identifier)
    return [
        [
            MatrixCell(
                exploitability,
                severity,
                matrix.region(exploitability, severity),
                tuple(placed.get((exploitability, severity), ())),
            )
            for severity in risk_engine.SEVERITY
        ]
        for exploitability in reversed(risk_engine.EXPLOITABILITY)
    ]


def blocking_issues(version: ProductVersion) -> list[risk_engine.BlockingIssue]:
    model = threat_model(version)
    elements = list(model.elements.all()) if model else []
    found_controls = [
        risk_engine.ControlFacts(
            id=control.identifier,
            name=control.name,
            elements=tuple(control.elements),
            reviewed_elements=frozenset(
                review.element
                for review in control.impact_reviews.all()
                if review.function_stays_available
            ),
        )
        for control in controls(version)
    ]
    found_risks = [
        risk_engine.RiskFacts(
            id=risk.identifier,
            title=risk.title,
            residual_region=risk.residual_region,
            benefit_risk_signed=control_services.is_signed(getattr(risk, "benefit_risk", None)),
        )
        for risk in risks(version)
    ]
    return risk_engine.blocking_issues(
        found_controls,
        found_risks,
        clinical_elements=frozenset(e.identifier for e in elements if e.serves_clinical_function),
        emergency_elements=frozenset(e.identifier for e in elements if e.serves_emergency_access),
        element_names={element.identifier: element.name for element in elements},
    )


def review_flags(version: ProductVersion) -> dict[str, list[Any]]:
    risks = SecurityRisk.objects.filter(version=version)
    return {
        "risks": list(SecurityRisk.objects.filter(version=version, needs_review=True)),
        "safety_entries": list(SafetyRiskEntry.objects.filter(version=version, needs_review=True)),
        "reevaluation": list(risks.filter(reevaluation_needed=True)),
    }


def vulnerability_links(version: ProductVersion) -> QuerySet[VulnerabilityLink]:
    return VulnerabilityLink.objects.filter(version=version).select_related(
        "vulnerability", "threat", "risk", "finding"
    )


def link_targets(
    version: ProductVersion,
    vulnerability_id: str,
    finding_id: int | None = None,
    threat_id: int | None = None,
    risk_id: int | None = None,
) -> dict[str, Any]:
    """The vulnerability (any of its ids) and this version's finding, threat, risk; or refused."""
    alias = VulnerabilityAlias.objects.filter(identifier__iexact=vulnerability_id.strip()).first()
    if alias is None:
        raise refused_input(
            f"No vulnerability {vulnerability_id!r} is known (import its feed).", "vulnerability"
        )
    targets: dict[str, Any] = {"vulnerability": alias.vulnerability}
    if finding_id is not None:
        targets["finding"] = Finding.objects.filter(version=version, pk=finding_id).first()
        if targets["finding"] is None:
            raise refused_input("No such finding in this version.", "finding")
    if threat_id is not None:
        targets["threat"] = threats(version).filter(pk=threat_id).first()
        if targets["threat"] is None:
            raise refused_input("No such threat in this version.", "target")
    if risk_id is not None:
        targets["risk"] = risks(version).filter(pk=risk_id).first()
        if targets["risk"] is None:
            raise refused_input("No such risk in this version.", "target")
    return targets
