"""Controls: creation, verification, the impact review, blocking issues."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from medvigil.riskfile import controls as control_services
from medvigil.riskfile import selectors
from medvigil.riskfile.api.output import control_out
from medvigil.riskfile.models import (
    Control,
)
from medvigil.riskfile.schemas import (
    ControlIn,
    ControlOut,
    ImpactReviewIn,
    IssueOut,
    VerificationIn,
)

router = Router(tags=["riskfile"])


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


@router.post(
    "/controls/{control_id}/verifications",
    response={201: ControlOut},
    summary="Record a verification of a control",
)
def verify(
    request: HttpRequest, control_id: int, payload: VerificationIn
) -> Status[dict[str, Any]]:
    control = selectors.one(request.user, Control, control_id, "change")
    control_services.add_verification(control, user=request.user, **payload.dict())
    return Status(201, control_out(control))


@router.post(
    "/controls/{control_id}/impact-reviews",
    response={201: ControlOut},
    summary="Record that a clinical function stays available",
)
def impact_review(
    request: HttpRequest, control_id: int, payload: ImpactReviewIn
) -> Status[dict[str, Any]]:
    control = selectors.one(request.user, Control, control_id, "change")
    control_services.review_impact(control, user=request.user, **payload.dict())
    return Status(201, control_out(control))


@router.get(
    "/versions/{version_id}/blocking-issues",
    response=list[IssueOut],
    summary="What blocks the risk file",
)
def blocking(request: HttpRequest, version_id: int) -> list[Any]:
    return selectors.blocking_issues(selectors.version(request.user, version_id))
