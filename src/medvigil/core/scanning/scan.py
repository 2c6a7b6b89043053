"""Scan an SBOM: every component matched, one finding per vulnerability per component.

Several advisories describing one vulnerability (CVE, GHSA, PYSEC, GO...)
are one alias group (`matching.aliases`), so they make one finding that
lists them all. KEV and EPSS are looked up by the group's CVE ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from medvigil.core.advisories import EpssScore, KevEntry
from medvigil.core.matching import (
    AdvisoryIndex,
    AliasGroups,
    Confidence,
    InvalidCpe,
    InvalidPurl,
    Match,
)
from medvigil.core.sbom import Component, SbomDocument
from medvigil.core.scanning.severity import SeveritySummary, best_severity, level_rank

_CONFIDENCE_RANK = {Confidence.HIGH: 3, Confidence.MEDIUM: 2, Confidence.LOW: 1}


@dataclass(frozen=True, slots=True)
class FindingAdvisory:
    """One advisory behind a finding: what matched and which versions fix it."""

    id: str
    source: str
    matched: str
    fixed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One vulnerability (an alias group) on one component."""

    component: Component
    vulnerability: str
    aliases: tuple[str, ...]
    advisories: tuple[FindingAdvisory, ...]
    method: str
    confidence: Confidence
    severity: SeveritySummary
    kev: KevEntry | None
    epss: EpssScore | None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ScanResult:
    findings: tuple[Finding, ...]
    components: int
    skipped: tuple[tuple[str, str], ...] = ()  # (component reference, why it was not matched)


def scan(
    document: SbomDocument,
    index: AdvisoryIndex,
    groups: AliasGroups,
    kev: Mapping[str, KevEntry],
    epss: Mapping[str, EpssScore],
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """Every finding of the document's components, ordered by component then vulnerability."""
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    for number, component in enumerate(document.components, start=1):
        if progress is not None:
            progress(number)
        if not component.purl and not component.cpe:
            continue
        try:
            matches = index.match(component.purl, component.cpe, component.version)
        except (InvalidPurl, InvalidCpe) as error:
            skipped.append((component.reference, str(error)))
            continue
        findings.extend(_findings(component, matches, groups, kev, epss))
    return ScanResult(tuple(findings), len(document.components), tuple(skipped))


def _findings(
    component: Component,
    matches: tuple[Match, ...],
    groups: AliasGroups,
    kev: Mapping[str, KevEntry],
    epss: Mapping[str, EpssScore],
) -> list[Finding]:
    by_group: dict[str, list[Match]] = {}
    for match in matches:
        if match.affected:
            by_group.setdefault(groups.group_of(match.advisory.id), []).append(match)
    findings = []
    for group_id in sorted(by_group):
        grouped = sorted(by_group[group_id], key=lambda match: match.advisory.id)
        members = set(groups.members(group_id))
        for match in grouped:
            members.update(match.advisory.aliases)
        members.discard(group_id)
        cves = sorted(name for name in (group_id, *members) if name.upper().startswith("CVE-"))
        kev_entry = next((kev[cve] for cve in cves if cve in kev), None)
        epss_scores = [epss[cve] for cve in cves if cve in epss]
        best = max(
            grouped,
            key=lambda match: (match.method == "purl", _CONFIDENCE_RANK[match.confidence]),
        )
        findings.append(
            Finding(
                component=component,
                vulnerability=group_id,
                aliases=tuple(sorted(members)),
                advisories=tuple(_advisory(match) for match in grouped),
                method=best.method,
                confidence=best.confidence,
                severity=best_severity(
                    (match.advisory.id, severity)
                    for match in grouped
                    for severity in match.advisory.severities
                ),
                kev=kev_entry,
                epss=max(epss_scores, key=lambda score: score.probability, default=None),
                summary=next((m.advisory.summary for m in grouped if m.advisory.summary), ""),
            )
        )
    return findings


def _advisory(match: Match) -> FindingAdvisory:
    fixed: list[str] = []
    if match.method == "purl":
        package = match.advisory.affected[match.package_index]
        for affected_range in package.ranges:
            for event in affected_range.events:
                if event.kind == "fixed" and event.version not in fixed:
                    fixed.append(event.version)
    return FindingAdvisory(
        match.advisory.id,
        match.advisory.source,
        f"{match.verdict.rule}: {match.verdict.explanation}",
        tuple(fixed),
    )


def at_or_above(findings: tuple[Finding, ...], level: str) -> list[Finding]:
    """Findings whose severity level is `level` or higher (unknown severities never are)."""
    threshold = level_rank(level)
    return [finding for finding in findings if level_rank(finding.severity.level) >= threshold]
