"""Writes to controls: creation, verifications, impact reviews and signed benefit-risk records."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from medvigil.audit import signatures
from medvigil.audit.services import changed_fields, record, snapshot
from medvigil.core.threats import CONTROL_CATEGORIES
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.riskfile.models import (
    BenefitRiskRecord,
    Control,
    ControlImpactReview,
    SecurityRisk,
    ThreatModel,
    Verification,
)
from medvigil.riskfile.services import actor
from medvigil.riskfile.validation import refused_input

CONTROL_FIELDS = ("name", "category", "requirement", "implementation", "elements")


def known_elements(version: ProductVersion) -> set[str]:
    model = ThreatModel.objects.filter(version=version).first()
    return set(model.elements.values_list("identifier", flat=True)) if model else set()


@transaction.atomic
def create_control(
    version: ProductVersion,
    values: Mapping[str, Any],
    *,
    risks: Sequence[SecurityRisk] = (),
    user: Any = None,
) -> Control:
    category = values.get("category", "")
    if category not in CONTROL_CATEGORIES:
        raise refused_input(
            f"{category!r} is not one of {', '.join(CONTROL_CATEGORIES)}.", "category"
        )
    name, requirement = str(values.get("name", "")).strip(), str(values.get("requirement", ""))
    if not name or not requirement.strip():
        raise refused_input("A control needs a name and a requirement text.", "requirement")
    elements = [str(element) for element in values.get("elements", [])]
    unknown = sorted(set(elements) - known_elements(version))
    if unknown:
        raise refused_input(
            f"No architecture element {', '.join(unknown)} in the threat model.", "elements"
        )
    if any(risk.version_id != version.pk for risk in risks):
        raise refused_input("A control mitigates risks of its own version only.", "risks")
    implementation = values.get("implementation") or Control.Implementation.PLANNED
    if implementation not in Control.Implementation.values:
        raise refused_input(
            f"{implementation!r} is not an implementation status.", "implementation"
        )
    number = Control.objects.filter(version=version).count() + 1
    control = Control.objects.create(
        version=version,
        identifier=f"CTL-{number}",
        name=name[:300],
        category=category,
        requirement=requirement,
        implementation=implementation,
        elements=elements,
    )
    control.risks.set(risks)
    record(
        "control-created", control, changes=changed_fields({}, snapshot(control, CONTROL_FIELDS))
    )
    return control


@transaction.atomic
def add_verification(
    control: Control,
    *,
    test_reference: str,
    result: str,
    performed_on: Any,
    evidence: bytes | None = None,
    evidence_name: str = "",
    user: Any = None,
) -> Verification:
    if not test_reference.strip():
        raise refused_input("A verification names its test (reference).", "test_reference")
    if result not in Verification.Result.values:
        raise refused_input(
            f"{result!r} is not one of {', '.join(Verification.Result.values)}.", "result"
        )
    verification = Verification(
        control=control,
        test_reference=test_reference.strip()[:300],
        result=result,
        performed_on=performed_on,
        recorded_by=actor(user),
    )
    if evidence is not None:
        verification.evidence_sha256 = hashlib.sha256(evidence).hexdigest()
        verification.evidence.save(evidence_name or "evidence", ContentFile(evidence), save=False)
    verification.save()
    record(
        "control-verified",
        control,
        details={
            "test": verification.test_reference,
            "result": result,
            "evidence_sha256": verification.evidence_sha256,
            "performed_on": str(performed_on),
        },
    )
    return verification


@transaction.atomic
def review_impact(
    control: Control,
    *,
    element: str,
    function_stays_available: bool,
    rationale: str,
    user: Any = None,
) -> ControlImpactReview:
    """Record that `control` leaves the clinical function of `element` available (or not)."""
    if element not in control.elements:
        raise refused_input(
            f"Control {control.identifier} does not touch element {element!r}.", "element"
        )
    if not rationale.strip():
        raise refused_input(
            "Say how the function stays available (for example break-glass).", "rationale"
        )
    review, _ = ControlImpactReview.objects.update_or_create(
        control=control,
        element=element,
        defaults={
            "function_stays_available": function_stays_available,
            "rationale": rationale,
            "reviewed_by": actor(user),
        },
    )
    record(
        "control-impact-reviewed",
        control,
        details={
            "element": element,
            "function_stays_available": function_stays_available,
            "rationale": rationale,
        },
    )
    return review


def record_benefit_risk(
    risk: SecurityRisk,
    *,
    benefits: str,
    conclusion: str,
    user: Any,
    password: str,
    otp_code: str | None = None,
) -> BenefitRiskRecord:
    """Write the analysis and sign it 'authored'; refused signatures store nothing.

    Approval is another person's signature (`approve_benefit_risk`): whoever writes
    the analysis may not approve it (separation of duties, audit.signatures).
    """
    if not benefits.strip() or not conclusion.strip():
        raise refused_input(
            "A benefit-risk analysis states the benefits and a conclusion.", "conclusion"
        )
    try:
        with transaction.atomic():
            analysis, _ = BenefitRiskRecord.objects.update_or_create(
                risk=risk,
                defaults={
                    "benefits": benefits,
                    "conclusion": conclusion,
                    "recorded_by": actor(user),
                },
            )
            record("benefit-risk-recorded", analysis, details={"risk": risk.identifier})
            signatures.sign(
                user,
                analysis,
                "authored",
                password,
                otp_code,
                reason=f"Benefit-risk analysis of {risk.identifier}",
            )
    except Refusal as refusal:
        # The refusal event written by `sign` went down with the rolled-back analysis;
        # the attempt stays in the trail, on the analysis if it existed, else on the risk.
        kept = BenefitRiskRecord.objects.filter(risk=risk).first()
        record(
            "signature-refused",
            kept or risk,
            details={
                "meaning": "authored",
                "reason": str(refusal),
                "record": f"Benefit-risk analysis of {risk.identifier}",
            },
        )
        raise refused_input(f"Not signed: {refusal}", "password") from refusal
    return analysis


def approve_benefit_risk(
    risk: SecurityRisk, *, user: Any, password: str, otp_code: str | None = None
) -> BenefitRiskRecord:
    """Sign the risk's analysis 'approved' (never by its writer); a refusal is audited."""
    analysis = BenefitRiskRecord.objects.filter(risk=risk).first()
    if analysis is None:
        raise Refusal(f"{risk.identifier} has no benefit-risk analysis to approve.", Kind.CONFLICT)
    signatures.sign(
        user,
        analysis,
        "approved",
        password,
        otp_code,
        reason=f"Benefit-risk analysis of {risk.identifier}",
    )
    return analysis


def is_signed(analysis: BenefitRiskRecord | None) -> bool:
    if analysis is None:
        return False
    return any(
        view.valid and view.meaning == "approved" for view in signatures.signature_status(analysis)
    )
