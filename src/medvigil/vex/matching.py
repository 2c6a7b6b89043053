"""Which open findings of a version a supplier's statement speaks of.

A statement matches a finding when one of its identifiers (the vulnerability
id or an alias) is in the finding's vulnerability group, and one of the
products or subcomponents it names is the finding's component
(`core.vex.targets.names_component`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from medvigil.core.vex import ComponentIdentity, VexStatement, names_component
from medvigil.portfolio.models import ProductVersion
from medvigil.triage.keys import component_fields
from medvigil.vulns.models import Finding


@dataclass(frozen=True)
class FindingTarget:
    finding: Finding
    component: ComponentIdentity


def finding_targets(version: ProductVersion) -> dict[str, list[FindingTarget]]:
    """The version's open findings, by every identifier of their vulnerability group."""
    by_identifier: dict[str, list[FindingTarget]] = defaultdict(list)
    findings = Finding.objects.filter(version=version, state=Finding.State.OPEN).select_related(
        "vulnerability", "component__document", "version__product"
    )
    for finding in findings:
        target = FindingTarget(finding, _identity(finding))
        group = finding.vulnerability
        for identifier in {group.canonical_id, *group.members}:
            by_identifier[identifier.upper()].append(target)
    return by_identifier


def _identity(finding: Finding) -> ComponentIdentity:
    """The finding's component, or what the finding kept of it once its SBOM was replaced."""
    name, version, purl = component_fields(finding)
    component = finding.component if finding.component_id is not None else None
    if component is None:
        return ComponentIdentity(
            name=name, version=version, purl=purl, cpe=str(getattr(finding, "component_cpe", ""))
        )
    return ComponentIdentity(
        name=name,
        version=version,
        purl=purl,
        cpe=component.cpe,
        reference=component.reference,
        document_serial=component.document.serial,
    )


def matching_findings(
    statement: VexStatement, targets: dict[str, list[FindingTarget]]
) -> list[Finding]:
    named = (*statement.products, *statement.subcomponents)
    found: dict[int, Finding] = {}
    for identifier in statement.identifiers:
        for target in targets.get(identifier.upper(), []):
            if any(names_component(product, target.component) for product in named):
                found.setdefault(target.finding.pk, target.finding)
    return list(found.values())
