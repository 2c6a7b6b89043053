"""What a finding keeps of why it was opened, and the reason it is closed.

The provenance names the advisory, the rule and the version range that made
the match, so anyone can trace a finding to the exact advisory text; the
close reason says whether the advisory was withdrawn, regrouped or no longer
covers the component's version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medvigil.core.advisories import Advisory as CoreAdvisory
from medvigil.core.matching import Match, Rule
from medvigil.vulns.models import Advisory, Finding, Vulnerability


@dataclass(frozen=True)
class StoredAdvisory:
    pk: int
    identifier: str
    source: str
    vulnerability_id: int | None
    engine: CoreAdvisory


def provenance(advisory: StoredAdvisory, match: Match) -> dict[str, Any]:
    verdict = match.verdict
    fixed: list[str] = []
    if match.method == "purl":
        package = advisory.engine.affected[match.package_index]
        fixed = [
            event.version
            for affected_range in package.ranges
            for event in affected_range.events
            if event.kind == "fixed"
        ]
    if verdict.rule == Rule.CPE_EVERY_VERSION:
        matched = "every version (CPE criterion without version bounds)"
    elif verdict.listed_version:
        matched = f"listed version {verdict.listed_version}"
    elif verdict.introduced is not None or verdict.upper_bound is not None:
        matched = f">= {verdict.introduced or '0'}"
        if verdict.upper_bound:
            operator = "<=" if verdict.upper_bound_kind == "last_affected" else "<"
            matched += f", {operator} {verdict.upper_bound}"
    else:
        matched = verdict.explanation
    return {
        "advisory": advisory.identifier,
        "source": advisory.source,
        "package": match.package_index,
        "method": match.method,
        "rule": str(verdict.rule),
        "matched": matched,
        "fixed": fixed,
        "confidence": str(verdict.confidence),
        "explanation": verdict.explanation,
    }


def close_reason(finding: Finding) -> str:
    return reason_to_close(finding.vulnerability_id, finding.provenance)


def reason_to_close(vulnerability_id: int, entries: list[dict[str, Any]]) -> str:
    """Why a finding of this vulnerability, matched by these provenance entries, is closed."""
    vulnerability = Vulnerability.objects.select_related("merged_into").get(pk=vulnerability_id)
    if vulnerability.merged_into is not None:
        return f"regrouped: now tracked as {vulnerability.merged_into.canonical_id}"
    identifiers = {entry["advisory"] for entry in entries}
    withdrawn = list(
        Advisory.objects.filter(identifier__in=identifiers, withdrawn__isnull=False)
        .order_by("identifier")
        .values_list("identifier", "withdrawn")
    )
    if withdrawn and len({identifier for identifier, _ in withdrawn}) == len(identifiers):
        return "withdrawn: " + ", ".join(
            f"{identifier} (withdrawn {moment:%Y-%m-%d})" for identifier, moment in withdrawn
        )
    return "no longer affected: the component's version is outside every current advisory's range"
