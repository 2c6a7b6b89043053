"""Read a version's risk file into the traceability engine's values (threat → … → verification)."""

from __future__ import annotations

from medvigil.core.risk import (
    Traceability,
    TracedControl,
    TracedRisk,
    TracedThreat,
    TracedVerification,
    trace,
)
from medvigil.portfolio.models import ProductVersion
from medvigil.riskfile import selectors


def clinical_elements(version: ProductVersion) -> frozenset[str]:
    model = selectors.threat_model(version)
    if model is None:
        return frozenset()
    return frozenset(
        model.elements.filter(serves_clinical_function=True).values_list("identifier", flat=True)
    )


def traced_controls(version: ProductVersion) -> list[TracedControl]:
    clinical = clinical_elements(version)
    found = []
    for control in selectors.controls(version):
        reviewed = {
            review.element
            for review in control.impact_reviews.all()
            if review.function_stays_available
        }
        found.append(
            TracedControl(
                id=control.identifier,
                name=control.name,
                category=control.get_category_display(),
                requirement=control.requirement,
                implementation=control.get_implementation_display(),
                # newest first: the model's ordering
                verifications=tuple(
                    TracedVerification(
                        item.test_reference, item.result, item.performed_on.isoformat()
                    )
                    for item in control.verifications.all()
                ),
                unreviewed_elements=tuple(
                    element
                    for element in control.elements
                    if element in clinical and element not in reviewed
                ),
            )
        )
    return found


def traceability(version: ProductVersion) -> Traceability:
    threats = [
        TracedThreat(
            id=threat.identifier,
            title=threat.shown_title,
            stride=threat.stride,
            status=threat.status,
            risk=threat.risk.identifier if getattr(threat, "risk", None) else None,
        )
        for threat in selectors.threats(version)
    ]
    risks = [
        TracedRisk(
            id=risk.identifier,
            title=risk.title,
            region=risk.region,
            residual_region=risk.residual_region,
            controls=tuple(control.identifier for control in risk.controls.all()),
        )
        for risk in selectors.risks(version)
    ]
    return trace(threats, risks, traced_controls(version))
