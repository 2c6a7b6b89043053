"""Safety entries, vulnerability links and the traceability matrix."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from medvigil.riskfile import safety, selectors, vulnerabilities
from medvigil.riskfile.api.output import entry_out, risk_out
from medvigil.riskfile.models import (
    SafetyRiskEntry,
    SecurityRisk,
    VulnerabilityLink,
)
from medvigil.riskfile.schemas import (
    ReviewIn,
    RiskOut,
    SafetyEntryOut,
    SafetyImportIn,
    TraceabilityOut,
    VulnerabilityLinkIn,
    VulnerabilityLinkOut,
)
from medvigil.riskfile.traceability import traceability

router = Router(tags=["riskfile"])


@router.get(
    "/versions/{version_id}/safety-entries",
    response=list[SafetyEntryOut],
    summary="Safety risk file entries",
)
def list_entries(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    version = selectors.version(request.user, version_id)
    return [entry_out(entry) for entry in selectors.safety_entries(version)]


@router.post(
    "/versions/{version_id}/safety-entries",
    response=dict[str, int],
    summary="Import safety risk file entries (CSV)",
)
def import_entries(
    request: HttpRequest, version_id: int, payload: SafetyImportIn
) -> dict[str, int]:
    version = selectors.version(request.user, version_id, "change")
    return safety.import_safety_entries(version, payload.csv.encode("utf-8"), request.user)


@router.post(
    "/safety-entries/{entry_id}/reviewed",
    response=SafetyEntryOut,
    summary="Clear a safety entry's review flag",
)
def entry_reviewed(request: HttpRequest, entry_id: int, payload: ReviewIn) -> dict[str, Any]:
    entry = selectors.one(request.user, SafetyRiskEntry, entry_id, "change")
    safety.mark_reviewed(entry, payload.note, request.user)
    return entry_out(entry)


def link_out(link: VulnerabilityLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "vulnerability": link.vulnerability.canonical_id,
        "finding_id": link.finding_id,
        "threat": link.threat.identifier if link.threat else None,
        "risk": link.risk.identifier if link.risk else None,
        "rationale": link.rationale,
        "exploitability": link.exploitability,
        "last_reasons": link.last_reasons,
        "checked_at": link.checked_at,
    }


@router.get(
    "/versions/{version_id}/vulnerability-links",
    response=list[VulnerabilityLinkOut],
    summary="Vulnerabilities linked to threats and risks",
)
def list_links(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    version = selectors.version(request.user, version_id)
    return [link_out(link) for link in selectors.vulnerability_links(version)]


@router.post(
    "/versions/{version_id}/vulnerability-links",
    response={201: VulnerabilityLinkOut},
    summary="Link a vulnerability or finding to a threat or risk",
)
def add_link(
    request: HttpRequest, version_id: int, payload: VulnerabilityLinkIn
) -> Status[dict[str, Any]]:
    version = selectors.version(request.user, version_id, "change")
    targets = selectors.link_targets(
        version, payload.vulnerability, payload.finding_id, payload.threat_id, payload.risk_id
    )
    link = vulnerabilities.link_vulnerability(
        version, rationale=payload.rationale, user=request.user, **targets
    )
    return Status(201, link_out(link))


@router.delete(
    "/vulnerability-links/{link_id}", response={204: None}, summary="Remove a vulnerability link"
)
def remove_link(request: HttpRequest, link_id: int) -> Status[None]:
    link = selectors.one(request.user, VulnerabilityLink, link_id, "change")
    vulnerabilities.unlink(link, request.user)
    return Status(204, None)


@router.post(
    "/risks/{risk_id}/reevaluated",
    response=RiskOut,
    summary="Clear a re-evaluation flag after re-evaluating the risk",
)
def risk_reevaluated(request: HttpRequest, risk_id: int, payload: ReviewIn) -> dict[str, Any]:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    risk = vulnerabilities.mark_reevaluated(risk, payload.note, request.user)
    return risk_out(risk)


@router.get(
    "/versions/{version_id}/traceability",
    response=TraceabilityOut,
    summary="Traceability matrix, gaps on each row",
)
def get_traceability(request: HttpRequest, version_id: int) -> dict[str, Any]:
    result = traceability(selectors.version(request.user, version_id))
    return {"rows": list(result.rows), "gap_counts": result.gap_counts}
