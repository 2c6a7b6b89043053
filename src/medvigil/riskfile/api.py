"""The risk file API at /api/v1/riskfile: it only translates HTTP.

Reads go through selectors (a version you may not see answers 404), writes
through services after `permissions.require(user, "change", …)` (403).
A refused write is the platform's problem answer: 422 with each error at
its field (or its path in the YAML document), 409 when the state does not allow it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from medvigil.platform.refusals import Kind, Refusal
from medvigil.riskfile import controls as control_services
from medvigil.riskfile import safety, selectors, services, vulnerabilities
from medvigil.riskfile.models import (
    Control,
    SafetyRiskEntry,
    SecurityRisk,
    Threat,
    VulnerabilityLink,
)
from medvigil.riskfile.schemas import (
    BenefitRiskIn,
    ControlIn,
    ControlOut,
    ImpactReviewIn,
    IssueOut,
    LinksIn,
    ModelIn,
    ModelOut,
    ReconciliationOut,
    ReviewIn,
    RiskIn,
    RiskOut,
    RiskPatch,
    SafetyEntryOut,
    SafetyImportIn,
    ThreatIn,
    ThreatOut,
    ThreatPatch,
    TraceabilityOut,
    VerificationIn,
    VulnerabilityLinkIn,
    VulnerabilityLinkOut,
)
from medvigil.riskfile.traceability import traceability
from medvigil.riskfile.validation import refused_input

router = Router(tags=["riskfile"])


def threat_out(threat: Threat) -> dict[str, Any]:
    risk = getattr(threat, "risk", None)
    return {**{key: getattr(threat, key) for key in (
        "id", "identifier", "origin", "rule_id", "stride", "targets", "flows", "capec", "cwe",
        "suggested_controls", "serves_emergency_access", "status", "decision")},
        "title": threat.shown_title, "description": threat.shown_description,
        "risk_id": risk.pk if risk else None}  # fmt: skip


def risk_out(risk: SecurityRisk) -> dict[str, Any]:
    fields = ("id", "identifier", "title", "threat_id", "exploitability", "cvss_vector",
              "confidentiality", "integrity", "availability", "privacy", "patient_safety",
              "severity", "region", "residual_exploitability", "residual_severity",
              "residual_region", "needs_review", "review_reason", "reevaluation_needed",
              "reevaluation_reason")  # fmt: skip
    linked = [entry.identifier for entry in risk.safety_entries.all()]
    return {**{key: getattr(risk, key) for key in fields}, "safety_entries": linked}


def control_out(control: Control) -> dict[str, Any]:
    return {
        **{key: getattr(control, key) for key in (
            "id", "identifier", "name", "category", "requirement", "implementation", "elements")},
        "risks": [risk.identifier for risk in control.risks.all()],
        "verifications": list(control.verifications.all()),
        "reviewed_elements": [review.element for review in control.impact_reviews.all()
                              if review.function_stays_available],
    }  # fmt: skip


def entry_out(entry: SafetyRiskEntry) -> dict[str, Any]:
    return {**{key: getattr(entry, key) for key in (
        "id", "identifier", "hazard", "hazardous_situation", "harm", "severity", "needs_review",
        "review_reason")},
        "security_risks": [risk.identifier for risk in entry.security_risks.all()]}  # fmt: skip


@router.get("/versions/{version_id}/model", response=ModelOut, summary="The threat model")
def get_model(request: HttpRequest, version_id: int) -> dict[str, Any]:
    version = selectors.version(request.user, version_id)
    found = selectors.threat_model(version)
    if found is None:
        raise Refusal("This version has no threat model yet.", Kind.MISSING)
    return {
        "version_id": version.pk,
        "name": found.name,
        "yaml": found.document,
        "uploaded_sha256": found.uploaded_sha256,
        "elements": list(found.elements.all()),
    }


@router.put("/versions/{version_id}/model", response=ReconciliationOut,
            summary="Upload the threat model (YAML) and regenerate threats")  # fmt: skip
def put_model(request: HttpRequest, version_id: int, payload: ModelIn) -> dict[str, Any]:
    version = selectors.version(request.user, version_id, "change")
    before = set(selectors.threats(version).values_list("identifier", flat=True))
    services.import_model(version, payload.yaml.encode("utf-8"), request.user)
    threats = selectors.threats(version)
    return {
        "added": sorted(set(threats.values_list("identifier", flat=True)) - before),
        "kept": sorted(before & set(threats.exclude(status="retired").values_list(
            "identifier", flat=True))),
        "retired": sorted(threats.filter(status="retired").values_list("identifier", flat=True)),
    }  # fmt: skip


@router.post("/versions/{version_id}/threats/regenerate", response=ReconciliationOut,
             summary="Run the rules again; decisions are kept")  # fmt: skip
def regenerate(request: HttpRequest, version_id: int) -> dict[str, Any]:
    version = selectors.version(request.user, version_id, "change")
    result = services.regenerate_threats(version, request.user)
    return {"added": list(result.added), "kept": list(result.kept),
            "retired": list(result.retired)}  # fmt: skip


@router.get("/versions/{version_id}/threats", response=list[ThreatOut], summary="Threats")
def list_threats(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    return [threat_out(t) for t in selectors.threats(selectors.version(request.user, version_id))]


@router.post("/versions/{version_id}/threats", response={201: ThreatOut},
             summary="Add a threat by hand")  # fmt: skip
def add_threat(request: HttpRequest, version_id: int, payload: ThreatIn) -> Status[dict[str, Any]]:
    version = selectors.version(request.user, version_id, "change")
    threat = services.add_manual_threat(version, user=request.user, **payload.dict())
    return Status(201, threat_out(threat))


@router.patch("/threats/{threat_id}", response=ThreatOut, summary="Decide or edit a threat")
def decide_threat(request: HttpRequest, threat_id: int, payload: ThreatPatch) -> dict[str, Any]:
    threat = selectors.one(request.user, Threat, threat_id, "change")
    threat = services.decide_threat(threat, payload.dict(exclude_unset=True), request.user)
    return threat_out(threat)


@router.get("/versions/{version_id}/risks", response=list[RiskOut], summary="Security risks")
def list_risks(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    return [risk_out(r) for r in selectors.risks(selectors.version(request.user, version_id))]


@router.post("/versions/{version_id}/risks", response={201: RiskOut}, summary="Assess a risk")
def create_risk(request: HttpRequest, version_id: int, payload: RiskIn) -> Status[dict[str, Any]]:
    version = selectors.version(request.user, version_id, "change")
    threat = None
    if payload.threat_id is not None:
        threat = selectors.threats(version).filter(pk=payload.threat_id).first()
        if threat is None:
            raise refused_input("No such threat in this version.", "threat_id")
    risk = services.create_risk(
        version, payload.dict(exclude={"threat_id"}), threat=threat, user=request.user
    )
    return Status(201, risk_out(risk))


@router.patch("/risks/{risk_id}", response=RiskOut, summary="Change a risk's estimates")
def update_risk(request: HttpRequest, risk_id: int, payload: RiskPatch) -> dict[str, Any]:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    risk = services.update_risk(risk, payload.dict(exclude_unset=True), request.user)
    return risk_out(risk)


@router.post("/risks/{risk_id}/benefit-risk", response={201: IssueOut},
             summary="Record and sign a benefit-risk analysis")  # fmt: skip
def benefit_risk(
    request: HttpRequest, risk_id: int, payload: BenefitRiskIn
) -> Status[dict[str, Any]]:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    control_services.record_benefit_risk(risk, user=request.user, **payload.dict())
    return Status(201, {"rule": "benefit-risk", "subject": risk.identifier, "message": "Signed."})


@router.put("/risks/{risk_id}/safety-links", response=RiskOut, summary="Link safety entries")
def link_safety(request: HttpRequest, risk_id: int, payload: LinksIn) -> dict[str, Any]:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    entries = list(SafetyRiskEntry.objects.filter(version=risk.version, pk__in=payload.entry_ids))
    if len(entries) != len(set(payload.entry_ids)):
        raise refused_input("Some safety entries are not in this version.", "entry_ids")
    safety.set_links(risk, entries, request.user)
    return risk_out(risk)


@router.post("/risks/{risk_id}/reviewed", response=RiskOut, summary="Clear a review flag")
def risk_reviewed(request: HttpRequest, risk_id: int, payload: ReviewIn) -> dict[str, Any]:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    safety.mark_reviewed(risk, payload.note, request.user)
    return risk_out(risk)


@router.get("/versions/{version_id}/controls", response=list[ControlOut], summary="Controls")
def list_controls(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    return [control_out(c) for c in selectors.controls(selectors.version(request.user, version_id))]


@router.post("/versions/{version_id}/controls", response={201: ControlOut}, summary="Add a control")
def create_control(
    request: HttpRequest, version_id: int, payload: ControlIn
) -> Status[dict[str, Any]]:
    version = selectors.version(request.user, version_id, "change")
    risks = list(selectors.risks(version).filter(pk__in=payload.risk_ids))
    control = control_services.create_control(
        version, payload.dict(exclude={"risk_ids"}), risks=risks, user=request.user
    )
    return Status(201, control_out(control))


@router.post("/controls/{control_id}/verifications", response={201: ControlOut},
             summary="Record a verification of a control")  # fmt: skip
def verify(
    request: HttpRequest, control_id: int, payload: VerificationIn
) -> Status[dict[str, Any]]:
    control = selectors.one(request.user, Control, control_id, "change")
    control_services.add_verification(control, user=request.user, **payload.dict())
    return Status(201, control_out(control))


@router.post("/controls/{control_id}/impact-reviews", response={201: ControlOut},
             summary="Record that a clinical function stays available")  # fmt: skip
def impact_review(
    request: HttpRequest, control_id: int, payload: ImpactReviewIn
) -> Status[dict[str, Any]]:
    control = selectors.one(request.user, Control, control_id, "change")
    control_services.review_impact(control, user=request.user, **payload.dict())
    return Status(201, control_out(control))


@router.get("/versions/{version_id}/blocking-issues", response=list[IssueOut],
            summary="What blocks the risk file")  # fmt: skip
def blocking(request: HttpRequest, version_id: int) -> list[Any]:
    return selectors.blocking_issues(selectors.version(request.user, version_id))


@router.get("/versions/{version_id}/safety-entries", response=list[SafetyEntryOut],
            summary="Safety risk file entries")  # fmt: skip
def list_entries(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    version = selectors.version(request.user, version_id)
    return [entry_out(entry) for entry in selectors.safety_entries(version)]


@router.post("/versions/{version_id}/safety-entries", response=dict[str, int],
             summary="Import safety risk file entries (CSV)")  # fmt: skip
def import_entries(
    request: HttpRequest, version_id: int, payload: SafetyImportIn
) -> dict[str, int]:
    version = selectors.version(request.user, version_id, "change")
    return safety.import_safety_entries(version, payload.csv.encode("utf-8"), request.user)


@router.post("/safety-entries/{entry_id}/reviewed", response=SafetyEntryOut,
             summary="Clear a safety entry's review flag")  # fmt: skip
def entry_reviewed(request: HttpRequest, entry_id: int, payload: ReviewIn) -> dict[str, Any]:
    entry = selectors.one(request.user, SafetyRiskEntry, entry_id, "change")
    safety.mark_reviewed(entry, payload.note, request.user)
    return entry_out(entry)


def link_out(link: VulnerabilityLink) -> dict[str, Any]:
    return {"id": link.pk, "vulnerability": link.vulnerability.canonical_id,
            "finding_id": link.finding_id,
            "threat": link.threat.identifier if link.threat else None,
            "risk": link.risk.identifier if link.risk else None, "rationale": link.rationale,
            "exploitability": link.exploitability, "last_reasons": link.last_reasons,
            "checked_at": link.checked_at}  # fmt: skip


@router.get("/versions/{version_id}/vulnerability-links", response=list[VulnerabilityLinkOut],
            summary="Vulnerabilities linked to threats and risks")  # fmt: skip
def list_links(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    version = selectors.version(request.user, version_id)
    return [link_out(link) for link in selectors.vulnerability_links(version)]


@router.post("/versions/{version_id}/vulnerability-links", response={201: VulnerabilityLinkOut},
             summary="Link a vulnerability or finding to a threat or risk")  # fmt: skip
def add_link(
    request: HttpRequest, version_id: int, payload: VulnerabilityLinkIn
) -> Status[dict[str, Any]]:
    version = selectors.version(request.user, version_id, "change")
    targets = selectors.link_targets(version, payload.vulnerability, payload.finding_id,
                                     payload.threat_id, payload.risk_id)  # fmt: skip
    link = vulnerabilities.link_vulnerability(
        version, rationale=payload.rationale, user=request.user, **targets
    )
    return Status(201, link_out(link))


@router.delete("/vulnerability-links/{link_id}", response={204: None},
               summary="Remove a vulnerability link")  # fmt: skip
def remove_link(request: HttpRequest, link_id: int) -> Status[None]:
    link = selectors.one(request.user, VulnerabilityLink, link_id, "change")
    vulnerabilities.unlink(link, request.user)
    return Status(204, None)


@router.post("/risks/{risk_id}/reevaluated", response=RiskOut,
             summary="Clear a re-evaluation flag after re-evaluating the risk")  # fmt: skip
def risk_reevaluated(request: HttpRequest, risk_id: int, payload: ReviewIn) -> dict[str, Any]:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    risk = vulnerabilities.mark_reevaluated(risk, payload.note, request.user)
    return risk_out(risk)


@router.get("/versions/{version_id}/traceability", response=TraceabilityOut,
            summary="Traceability matrix, gaps on each row")  # fmt: skip
def get_traceability(request: HttpRequest, version_id: int) -> dict[str, Any]:
    result = traceability(selectors.version(request.user, version_id))
    return {"rows": list(result.rows), "gap_counts": result.gap_counts}
