"""Vulnerabilities feeding the risk file: links to threats and risks, exploitability re-checks.

A person links a vulnerability (or one of the version's findings of it) to a
threat or a risk. The link keeps the exploitability it last saw; after every
feed import (`recheck_links`, queued by `receivers`) a vulnerability that got
onto CISA KEV, whose EPSS rose past the configured thresholds, or that gained
exploit evidence flags its risk for re-evaluation. A person clears the flag
with `mark_reevaluated`. Every step is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.core.advisories import AdvisoryFormatError, read_cve_record
from medvigil.core.risk import (
    SSVC_EXPLOITATION,
    EpssThresholds,
    ExploitabilityState,
    exploitability_changes,
    state_from_json,
    state_to_json,
)
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.riskfile.models import SecurityRisk, Threat, VulnerabilityLink
from medvigil.riskfile.services import actor
from medvigil.riskfile.validation import refused_input
from medvigil.vulns import selectors as vulns_selectors
from medvigil.vulns.models import Advisory, Finding, Source, Vulnerability

EVIDENCE = "EVIDENCE"  # the reference type every advisory reader gives exploits


def thresholds() -> EpssThresholds:
    """settings.RISKFILE_EPSS_THRESHOLDS (probability_increase, percentile) or the defaults."""
    configured = getattr(settings, "RISKFILE_EPSS_THRESHOLDS", None) or {}
    return EpssThresholds(**configured)


def current_group(vulnerability: Vulnerability) -> Vulnerability:
    """The alias group a vulnerability was merged into, if it was."""
    seen = {vulnerability.pk}
    while vulnerability.merged_into_id is not None and vulnerability.merged_into_id not in seen:
        seen.add(vulnerability.merged_into_id)
        vulnerability = Vulnerability.objects.get(pk=vulnerability.merged_into_id)
    return vulnerability


def current_state(vulnerability: Vulnerability) -> ExploitabilityState:
    """KEV, EPSS (highest over the group's CVE ids) and exploit references known now."""
    group = current_group(vulnerability)
    kev = vulns_selectors.kev_entries_of(group)
    scores = vulns_selectors.epss_of(group)
    best = max(scores, key=lambda score: score.probability, default=None)
    advisories = list(vulns_selectors.advisories_of(group).defer(None))
    references = {
        str(reference.get("url", ""))
        for advisory in advisories
        for reference in advisory.references
        if isinstance(reference, dict) and reference.get("type") == EVIDENCE
    }
    return ExploitabilityState(
        kev_added=min(entry.date_added for entry in kev).isoformat() if kev else "",
        epss_probability=best.probability if best else None,
        epss_percentile=max((score.percentile for score in scores), default=None),
        exploit_references=frozenset(url for url in references if url),
        ssvc_exploitation=ssvc_exploitation(advisories),
    )


def ssvc_exploitation(advisories: list[Advisory]) -> str:
    """The highest SSVC Exploitation CISA gave in the group's CVE 5 records ("" when none)."""
    found = [""]
    for advisory in advisories:
        if advisory.source != Source.CVE5:
            continue
        try:
            enrichment = read_cve_record(advisory.raw, source=advisory.document_name).cisa
        except AdvisoryFormatError:
            continue
        if enrichment is not None and enrichment.ssvc is not None:
            found.append(enrichment.ssvc.exploitation)
    return max(found, key=SSVC_EXPLOITATION.index)


@transaction.atomic
def link_vulnerability(
    version: ProductVersion,
    *,
    vulnerability: Vulnerability,
    rationale: str,
    threat: Threat | None = None,
    risk: SecurityRisk | None = None,
    finding: Finding | None = None,
    user: Any = None,
) -> VulnerabilityLink:
    """Link `vulnerability` to a threat or risk of `version`; its exploitability is the baseline."""
    if threat is None and risk is None:
        raise refused_input("Link the vulnerability to a threat or a risk.", "target")
    if any(item is not None and item.version_id != version.pk for item in (threat, risk)):
        raise refused_input(
            "A vulnerability is linked to threats and risks of this version only.", "target"
        )
    if finding is not None:
        if finding.version_id != version.pk:
            raise refused_input("The finding belongs to another version.", "finding")
        if finding.vulnerability_id != vulnerability.pk:
            raise refused_input("The finding is of another vulnerability.", "finding")
    if not rationale.strip():
        raise refused_input("Say how the vulnerability bears on the threat or risk.", "rationale")
    if VulnerabilityLink.objects.filter(
        version=version, vulnerability=vulnerability, threat=threat, risk=risk
    ).exists():
        raise Refusal(f"{vulnerability.canonical_id} is already linked there.", Kind.CONFLICT)
    state = current_state(vulnerability)
    link = VulnerabilityLink.objects.create(
        version=version,
        vulnerability=vulnerability,
        finding=finding,
        threat=threat,
        risk=risk,
        rationale=rationale.strip(),
        exploitability=state_to_json(state),
        checked_at=timezone.now(),
        created_by=actor(user),
    )
    record(
        "vulnerability-linked",
        link.risk or link.threat,
        details={
            "vulnerability": vulnerability.canonical_id,
            "finding": finding.pk if finding else None,
            "threat": threat.identifier if threat else None,
            "risk": risk.identifier if risk else None,
            "rationale": link.rationale,
            "exploitability": link.exploitability,
        },
    )
    return link


@transaction.atomic
def unlink(link: VulnerabilityLink, user: Any = None) -> None:
    """Remove a link made by mistake; a flag it raised stays until the risk is re-evaluated."""
    target = link.risk or link.threat
    details = {
        "vulnerability": link.vulnerability.canonical_id,
        "rationale": link.rationale,
        "threat": link.threat.identifier if link.threat else None,
        "risk": link.risk.identifier if link.risk else None,
    }
    link.delete()
    record("vulnerability-unlinked", target, details=details)


def recheck_link(link: VulnerabilityLink, limits: EpssThresholds) -> tuple[str, ...]:
    """Compare with the state last seen; flag the risk when it got worse. One transaction."""
    with transaction.atomic():
        link = VulnerabilityLink.objects.select_for_update().get(pk=link.pk)
        try:
            before = state_from_json(link.exploitability)
        except ValueError:
            before = ExploitabilityState()
        after = current_state(link.vulnerability)
        reasons = exploitability_changes(before, after, limits)
        link.exploitability, link.checked_at = state_to_json(after), timezone.now()
        if reasons:
            link.last_reasons = list(reasons)
        link.save(update_fields=["exploitability", "checked_at", "last_reasons"])
        if not reasons:
            return ()
        text = f"{link.vulnerability.canonical_id}: {'; '.join(reasons)}."
        risk = link.flagged_risk
        if risk is not None:
            risk = SecurityRisk.objects.select_for_update().get(pk=risk.pk)
            risk.reevaluation_needed = True
            risk.reevaluation_reason = "\n".join(
                line for line in (risk.reevaluation_reason, text) if line
            )
            risk.save(update_fields=["reevaluation_needed", "reevaluation_reason", "updated_at"])
        record(
            "risk-flagged-for-reevaluation",
            risk or link.threat,
            details={
                "vulnerability": link.vulnerability.canonical_id,
                "reasons": list(reasons),
                "risk": risk.identifier if risk else None,
            },
        )
        return reasons


def recheck_links(version: ProductVersion | None = None) -> dict[str, int]:
    """Re-check every link (of one version, or all); counts of links checked and flagged."""
    limits = thresholds()
    links = VulnerabilityLink.objects.select_related("vulnerability", "risk", "threat__risk")
    if version is not None:
        links = links.filter(version=version)
    counts = {"checked": 0, "flagged": 0}
    for link in links.order_by("pk"):
        counts["checked"] += 1
        counts["flagged"] += bool(recheck_link(link, limits))
    return counts


@transaction.atomic
def mark_reevaluated(risk: SecurityRisk, note: str, user: Any = None) -> SecurityRisk:
    """A person re-evaluated the risk after the exploitability change (the note says how)."""
    if not note.strip():
        raise refused_input(
            "Say what the re-evaluation found (and what changed, if anything).", "note"
        )
    risk = SecurityRisk.objects.select_for_update().get(pk=risk.pk)
    if not risk.reevaluation_needed:
        raise Refusal(f"{risk.identifier} is not flagged for re-evaluation.", Kind.CONFLICT)
    reason = risk.reevaluation_reason
    risk.reevaluation_needed, risk.reevaluation_reason = False, ""
    risk.save(update_fields=["reevaluation_needed", "reevaluation_reason", "updated_at"])
    record("risk-reevaluated", risk, details={"reason": reason, "note": note.strip()})
    return risk
