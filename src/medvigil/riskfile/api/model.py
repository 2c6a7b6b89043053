"""The threat model and its threats."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from medvigil.platform.refusals import Kind, Refusal
from medvigil.riskfile import selectors, services
from medvigil.riskfile.api.output import threat_out
from medvigil.riskfile.models import (
    Threat,
)
from medvigil.riskfile.schemas import (
    ModelIn,
    ModelOut,
    ReconciliationOut,
    ThreatIn,
    ThreatOut,
    ThreatPatch,
)

router = Router(tags=["riskfile"])


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


@router.put(
    "/versions/{version_id}/model",
    response=ReconciliationOut,
    summary="Upload the threat model (YAML) and regenerate threats",
)
def put_model(request: HttpRequest, version_id: int, payload: ModelIn) -> dict[str, Any]:
    version = selectors.version(request.user, version_id, "change")
    before = set(selectors.threats(version).values_list("identifier", flat=True))
    services.import_model(version, payload.yaml.encode("utf-8"), request.user)
    threats = selectors.threats(version)
    return {
        "added": sorted(set(threats.values_list("identifier", flat=True)) - before),
        "kept": sorted(
            before & set(threats.exclude(status="retired").values_list("identifier", flat=True))
        ),
        "retired": sorted(threats.filter(status="retired").values_list("identifier", flat=True)),
    }


@router.post(
    "/versions/{version_id}/threats/regenerate",
    response=ReconciliationOut,
    summary="Run the rules again; decisions are kept",
)
def regenerate(request: HttpRequest, version_id: int) -> dict[str, Any]:
    version = selectors.version(request.user, version_id, "change")
    result = services.regenerate_threats(version, request.user)
    return {"added": list(result.added), "kept": list(result.kept), "retired": list(result.retired)}


@router.get("/versions/{version_id}/threats", response=list[ThreatOut], summary="Threats")
def list_threats(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    return [threat_out(t) for t in selectors.threats(selectors.version(request.user, version_id))]


@router.post(
    "/versions/{version_id}/threats", response={201: ThreatOut}, summary="Add a threat by hand"
)
def add_threat(request: HttpRequest, version_id: int, payload: ThreatIn) -> Status[dict[str, Any]]:
    version = selectors.version(request.user, version_id, "change")
    threat = services.add_manual_threat(version, user=request.user, **payload.dict())
    return Status(201, threat_out(threat))


@router.patch("/threats/{threat_id}", response=ThreatOut, summary="Decide or edit a threat")
def decide_threat(request: HttpRequest, threat_id: int, payload: ThreatPatch) -> dict[str, Any]:
    threat = selectors.one(request.user, Threat, threat_id, "change")
    threat = services.decide_threat(threat, payload.dict(exclude_unset=True), request.user)
    return threat_out(threat)
