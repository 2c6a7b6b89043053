"""Security risks: assessment, estimates, benefit-risk, safety links, reviews."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from medvigil.riskfile import controls as control_services
from medvigil.riskfile import safety, selectors, services
from medvigil.riskfile.api.output import risk_out
from medvigil.riskfile.models import (
    SafetyRiskEntry,
    SecurityRisk,
)
from medvigil.riskfile.schemas import (
    BenefitRiskApprovalIn,
    BenefitRiskIn,
    IssueOut,
    LinksIn,
    ReviewIn,
    RiskIn,
    RiskOut,
    RiskPatch,
)
from medvigil.riskfile.validation import refused_input

router = Router(tags=["riskfile"])


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


@router.post(
    "/risks/{risk_id}/benefit-risk",
    response={201: IssueOut},
    summary="Record and sign (authored) a benefit-risk analysis",
)
def benefit_risk(
    request: HttpRequest, risk_id: int, payload: BenefitRiskIn
) -> Status[dict[str, Any]]:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    control_services.record_benefit_risk(risk, user=request.user, **payload.dict())
    message = "Signed as authored; another person approves it."
    return Status(201, {"rule": "benefit-risk", "subject": risk.identifier, "message": message})


@router.post(
    "/risks/{risk_id}/benefit-risk/approval",
    response={201: IssueOut},
    summary="Approve (sign) a benefit-risk analysis that another person wrote",
)
def approve_benefit_risk(
    request: HttpRequest, risk_id: int, payload: BenefitRiskApprovalIn
) -> Status[dict[str, Any]]:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    control_services.approve_benefit_risk(risk, user=request.user, **payload.dict())
    return Status(201, {"rule": "benefit-risk", "subject": risk.identifier, "message": "Approved."})


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
