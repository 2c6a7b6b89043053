"""What the risk file API answers with: each object as its output schema reads it."""

from __future__ import annotations

from typing import Any

from medvigil.riskfile.models import (
    Control,
    SafetyRiskEntry,
    SecurityRisk,
    Threat,
)


def threat_out(threat: Threat) -> dict[str, Any]:
    risk = getattr(threat, "risk", None)
    return {
        **{
            key: getattr(threat, key)
            for key in (
                "id",
                "identifier",
                "origin",
                "rule_id",
                "stride",
                "targets",
                "flows",
                "capec",
                "cwe",
                "suggested_controls",
                "serves_emergency_access",
                "status",
                "decision",
            )
        },
        "title": threat.shown_title,
        "description": threat.shown_description,
        "risk_id": risk.pk if risk else None,
    }


def risk_out(risk: SecurityRisk) -> dict[str, Any]:
    fields = (
        "id",
        "identifier",
        "title",
        "threat_id",
        "exploitability",
        "cvss_vector",
        "confidentiality",
        "integrity",
        "availability",
        "privacy",
        "patient_safety",
        "severity",
        "region",
        "residual_exploitability",
        "residual_severity",
        "residual_region",
        "needs_review",
        "review_reason",
        "reevaluation_needed",
        "reevaluation_reason",
    )
    linked = [entry.identifier for entry in risk.safety_entries.all()]
    return {**{key: getattr(risk, key) for key in fields}, "safety_entries": linked}


def control_out(control: Control) -> dict[str, Any]:
    return {
        **{
            key: getattr(control, key)
            for key in (
                "id",
                "identifier",
                "name",
                "category",
                "requirement",
                "implementation",
                "elements",
            )
        },
        "risks": [risk.identifier for risk in control.risks.all()],
        "verifications": list(control.verifications.all()),
        "reviewed_elements": [
            review.element
            for review in control.impact_reviews.all()
            if review.function_stays_available
        ],
    }


def entry_out(entry: SafetyRiskEntry) -> dict[str, Any]:
    return {
        **{
            key: getattr(entry, key)
            for key in (
                "id",
                "identifier",
                "hazard",
                "hazardous_situation",
                "harm",
                "severity",
                "needs_review",
                "review_reason",
            )
        },
        "security_risks": [risk.identifier for risk in entry.security_risks.all()],  # type: ignore[attr-defined]
    }
