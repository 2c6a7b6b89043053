"""Writes to the threat model, threats and risks: one transaction each, with its audit event.

Callers check permissions first. A refused write raises `Refusal` and stores
nothing: bad input is invalid (422), beside its field when it is about one (the
problems of a YAML upload each at their path in the document); a record whose
state does not allow the write is a conflict (409).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model

from medvigil.audit.services import changed_fields, record, snapshot
from medvigil.core import risk as risk_engine
from medvigil.core.threats import (
    ArchitectureModel,
    Reconciliation,
    ThreatModelError,
    generate,
    read_model,
    reconcile,
    render_svg,
    write_model,
)
from medvigil.platform.refusals import FieldError, Kind, Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.riskfile.models import ArchitectureElement, SecurityRisk, Threat, ThreatModel
from medvigil.riskfile.safety import flag_entries_of
from medvigil.riskfile.validation import refused_input

MAX_MODEL_BYTES = 1024 * 1024
RISK_FIELDS = (
    "title",
    "exploitability",
    "cvss_vector",
    "confidentiality",
    "integrity",
    "availability",
    "privacy",
    "patient_safety",
    "residual_exploitability",
    "residual_severity",
)
THREAT_FIELDS = ("status", "decision", "edited_title", "edited_description")


def actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def risk_matrix() -> risk_engine.RiskMatrix:
    """The configured matrix (settings.RISKFILE_RISK_MATRIX rows) or the default one."""
    rows = getattr(settings, "RISKFILE_RISK_MATRIX", None)
    return risk_engine.matrix_from_rows(rows) if rows else risk_engine.DEFAULT_MATRIX


def parsed(threat_model: ThreatModel) -> ArchitectureModel:
    return read_model(threat_model.document)


# The architecture model ----------------------------------------------------------------


def element_rows(threat_model: ThreatModel, model: ArchitectureModel) -> list[ArchitectureElement]:
    emergency, clinical = model.emergency_elements(), model.clinical_elements()
    rows = []
    for kind, records in (
        ("trust_boundary", model.boundaries),
        (None, model.elements),
        ("data_flow", model.flows),
    ):
        for item in records:
            attributes = {
                key: list(value) if isinstance(value, tuple) else value
                for key, value in vars(item).items()
                if key not in ("id", "name", "kind")
            }
            rows.append(
                ArchitectureElement(
                    threat_model=threat_model,
                    identifier=item.id,
                    name=item.name,
                    kind=str(kind or getattr(item, "kind", "")),
                    attributes=attributes,
                    serves_clinical_function=item.id in clinical,
                    serves_emergency_access=item.id in emergency,
                )
            )
    return rows


@transaction.atomic
def import_model(version: ProductVersion, content: bytes, user: Any = None) -> ThreatModel:
    """Validate and store a YAML model for `version`, then regenerate its threats."""
    if len(content) > MAX_MODEL_BYTES:
        raise Refusal(
            f"The model is {len(content)} bytes; the limit is {MAX_MODEL_BYTES}.", Kind.TOO_LARGE
        )
    try:
        model = read_model(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise refused_input("The model is not UTF-8 text.") from error
    except ThreatModelError as error:
        problems = [
            FieldError(tuple(problem.path.split(".")) if problem.path else (), problem.message)
            for problem in error.problems
        ]
        raise Refusal("The threat model is not valid.", Kind.INVALID, problems) from error
    threat_model, created = ThreatModel.objects.select_for_update().get_or_create(
        version=version, defaults={"name": model.name, "uploaded_sha256": ""}
    )
    before = "" if created else threat_model.document
    threat_model.name = model.name
    threat_model.document = write_model(model)
    threat_model.uploaded_sha256 = hashlib.sha256(content).hexdigest()
    threat_model.diagram_svg = render_svg(model).decode("utf-8")
    threat_model.updated_by = actor(user)
    threat_model.save()
    threat_model.elements.all().delete()
    ArchitectureElement.objects.bulk_create(element_rows(threat_model, model))
    record(
        "threat-model-imported",
        threat_model,
        details={
            "sha256": threat_model.uploaded_sha256,
            "elements": len(model.elements),
            "flows": len(model.flows),
            "changed": before != threat_model.document,
        },
    )
    regenerate_threats(version, user)
    return threat_model


# Threats -----------------------------------------------------------------------------


@transaction.atomic
def regenerate_threats(version: ProductVersion, user: Any = None) -> Reconciliation:
    """Run the rules again; edits and decisions of kept threats survive, vanished ones retire."""
    threat_model = ThreatModel.objects.filter(version=version).first()
    if threat_model is None:
        raise Refusal("Upload a threat model for this version first.", Kind.CONFLICT)
    generated = generate(parsed(threat_model))
    stored = {
        threat.identifier: threat
        for threat in Threat.objects.select_for_update().filter(
            version=version, origin=Threat.Origin.GENERATED
        )
    }
    result = reconcile(stored, generated)
    for found in generated:
        values = {
            "rule_id": found.rule_id,
            "stride": found.stride,
            "title": found.title[:300],
            "description": found.description,
            "targets": list(found.targets),
            "flows": list(found.flows),
            "capec": list(found.capec),
            "cwe": list(found.cwe),
            "suggested_controls": list(found.controls),
            "serves_emergency_access": found.serves_emergency_access,
        }
        threat = stored.get(found.id)
        if threat is None:
            created = Threat.objects.create(
                version=version, identifier=found.id, origin=Threat.Origin.GENERATED, **values
            )
            record("threat-generated", created, details={"rule_id": found.rule_id})
            continue
        if threat.status == Threat.Status.RETIRED:
            values["status"] = Threat.Status.OPEN
        changes = {
            key: [getattr(threat, key), value]
            for key, value in values.items()
            if getattr(threat, key) != value
        }
        if changes:
            for key, value in values.items():
                setattr(threat, key, value)
            threat.save()
            # Each threat row a regeneration changes is named by an event of its own.
            record("threat-regenerated", threat, changes=changes)
    for retired in Threat.objects.filter(version=version, identifier__in=result.retired).exclude(
        status=Threat.Status.RETIRED
    ):
        before = retired.status
        retired.status = Threat.Status.RETIRED
        retired.save(update_fields=["status"])
        record("threat-retired", retired, changes={"status": [before, retired.status]})
    record(
        "threats-regenerated",
        threat_model,
        details={
            "added": list(result.added),
            "kept": len(result.kept),
            "retired": list(result.retired),
        },
    )
    return result


@transaction.atomic
def add_manual_threat(
    version: ProductVersion,
    *,
    stride: str,
    title: str,
    description: str = "",
    targets: list[str] | None = None,
    user: Any = None,
) -> Threat:
    if stride not in dict(Threat._meta.get_field("stride").choices or []):
        raise refused_input(f"{stride!r} is not a STRIDE category.", "stride")
    if not title.strip():
        raise refused_input("A threat needs a title.", "title")
    number = Threat.objects.filter(version=version, origin=Threat.Origin.MANUAL).count() + 1
    threat = Threat.objects.create(
        version=version,
        identifier=f"MT-{number}",
        origin=Threat.Origin.MANUAL,
        stride=stride,
        title=title.strip()[:300],
        description=description,
        targets=targets or [],
    )
    record("threat-added", threat, changes=changed_fields({}, snapshot(threat, THREAT_FIELDS)))
    return threat


@transaction.atomic
def decide_threat(threat: Threat, values: Mapping[str, Any], user: Any = None) -> Threat:
    """Change status, decision or the edited title/description of a threat."""
    threat = Threat.objects.select_for_update().get(pk=threat.pk)
    before = snapshot(threat, THREAT_FIELDS)
    for key in THREAT_FIELDS:
        if key in values and values[key] is not None:
            setattr(threat, key, values[key])
    if threat.status not in Threat.Status.values:
        raise refused_input(f"{threat.status!r} is not a threat status.", "status")
    if threat.status != Threat.Status.OPEN and not threat.decision.strip():
        raise refused_input("Say why: a status other than open needs a decision text.", "decision")
    threat.save()
    record(
        "threat-decided", threat, changes=changed_fields(before, snapshot(threat, THREAT_FIELDS))
    )
    return threat


# Risks -------------------------------------------------------------------------------


def evaluated(risk: SecurityRisk) -> None:
    """Fill severity and regions from the stored estimates (raises an invalid Refusal)."""
    try:
        if risk.cvss_vector:
            risk.exploitability = risk_engine.exploitability_from_cvss(risk.cvss_vector)
        impact = risk_engine.Impact(
            confidentiality=risk.confidentiality,
            integrity=risk.integrity,
            availability=risk.availability,
            privacy=risk.privacy,
            patient_safety=risk.patient_safety,
        )
        residual_impact = (
            risk_engine.Impact(patient_safety=risk.residual_severity)
            if risk.residual_severity
            else None
        )
        result = risk_engine.evaluate(
            risk.exploitability,
            impact,
            residual_exploitability=risk.residual_exploitability or None,
            residual_impact=residual_impact,
            matrix=risk_matrix(),
        )
    except risk_engine.RiskScaleError as error:
        raise refused_input(str(error)) from error
    risk.severity, risk.region = result.before.severity, result.before.region
    risk.residual_region = result.residual.region


@transaction.atomic
def create_risk(
    version: ProductVersion,
    values: Mapping[str, Any],
    *,
    threat: Threat | None = None,
    user: Any = None,
) -> SecurityRisk:
    if threat is not None and SecurityRisk.objects.filter(threat=threat).exists():
        raise Refusal(f"Threat {threat.identifier} already has a risk.", Kind.CONFLICT)
    number = SecurityRisk.objects.filter(version=version).count() + 1
    risk = SecurityRisk(version=version, threat=threat, identifier=f"SR-{number}")
    risk.title = str(values.get("title") or (threat.shown_title if threat else ""))[:300]
    if not risk.title:
        raise refused_input("A risk needs a title.", "title")
    for key in RISK_FIELDS[1:]:
        if values.get(key) is not None:
            setattr(risk, key, values[key])
    if not risk.exploitability and not risk.cvss_vector:
        raise refused_input("Give an exploitability level or a CVSS vector.", "exploitability")
    evaluated(risk)
    risk.save()
    record("risk-created", risk, changes=changed_fields({}, snapshot(risk, RISK_FIELDS)))
    return risk


@transaction.atomic
def update_risk(risk: SecurityRisk, values: Mapping[str, Any], user: Any = None) -> SecurityRisk:
    """Change estimates; linked safety entries are flagged for review when anything changed."""
    risk = SecurityRisk.objects.select_for_update().get(pk=risk.pk)
    before = snapshot(risk, (*RISK_FIELDS, "residual_region"))
    for key in RISK_FIELDS:
        if key in values and values[key] is not None:
            setattr(risk, key, values[key])
    evaluated(risk)
    risk.save()
    changes = changed_fields(before, snapshot(risk, (*RISK_FIELDS, "residual_region")))
    record("risk-updated", risk, changes=changes)
    if changes:
        flag_entries_of(risk, f"Security risk {risk.identifier} changed: {', '.join(changes)}.")
    return risk


def audited(action: str, target: Model, **details: Any) -> None:
    record(action, target, details=details)
