"""Demo step: the LVP-300 3.2.0 threat model with threats, risks, controls and verifications.

Runs after the portfolio demo (this app is installed after it) and finds the
version by product model number. Idempotent: a version that already has a
threat model is left as it is.
"""

from __future__ import annotations

import datetime
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from medvigil.audit import signatures
from medvigil.audit.context import Actor, acting_as
from medvigil.platform.demo import demo_password, register_demo_step
from medvigil.portfolio.models import ProductVersion
from medvigil.reports import services as reports_services
from medvigil.reports.models import IssuedReport
from medvigil.riskfile import controls, safety, services
from medvigil.riskfile.models import SafetyRiskEntry, Threat, ThreatModel

MODEL_NUMBER, VERSION = "LVP-300", "3.2.0"
MODEL_FILE = "lvp-300-3.2.0.threatmodel.yaml"
SAFETY_FILE = "lvp-300-safety-risk-file.csv"

# (rule id, first target, risk estimates, residual, safety entries)
RISKS = (
    (
        "MV-T-FLOW-2",
        "remote-programming",
        {"exploitability": "high", "integrity": "critical", "patient_safety": "critical"},
        {"residual_exploitability": "very_low"},
        ["HAZ-012"],
    ),
    (
        "MV-D-PROCESS-2",
        "pump-controller",
        {
            "cvss_vector": "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
            "availability": "critical",
            "patient_safety": "critical",
        },
        {"residual_exploitability": "low", "residual_severity": "serious"},
        ["HAZ-013", "HAZ-021"],
    ),
    (
        "MV-T-STORE-1",
        "pump-storage",
        {"exploitability": "moderate", "integrity": "critical", "patient_safety": "critical"},
        {"residual_exploitability": "very_low"},
        ["HAZ-030"],
    ),
    (
        "MV-E-FLOW-1",
        "ehr-orders",
        {
            "exploitability": "very_high",
            "integrity": "catastrophic",
            "patient_safety": "catastrophic",
        },
        {"residual_exploitability": "high"},
        ["HAZ-012"],
    ),
)
# (name, category, requirement, elements, risk index, verification, impact reviews by element)
CONTROLS = (
    (
        "Signed, nonce-protected infusion orders",
        "authentication",
        "Every remote programming request carries a signature of the tablet app's device key and "
        "a single-use nonce; the pump rejects replays and unsigned orders.",
        ["pump-controller", "tablet-app"],
        0,
        ("TC-SEC-041 replay of captured orders", "passed"),
        {
            "pump-controller": "The keypad path does not use the nonce check; "
            "remote orders failing it leave the running infusion unchanged.",
            "tablet-app": "A refused order is shown to the nurse, who programs the pump at the "
            "keypad.",
        },
    ),
    (
        "Local operation without the network",
        "resiliency_and_recovery",
        "Therapy, alarms and the emergency bolus work at the keypad with the Wi-Fi link lost or "
        "flooded; the network stack runs in a separate partition with a CPU budget.",
        ["pump-controller"],
        1,
        ("TC-SEC-052 Wi-Fi flood during infusion", "passed"),
        {"pump-controller": "Break-glass: the keypad bolus needs no network and no sign-in."},
    ),
    (
        "Authenticated encryption of the pump storage",
        "cryptography",
        "Drug library, configuration and keys in flash are encrypted and MAC'd with a key in the "
        "secure element; a failed MAC falls back to the last good library and alarms.",
        ["pump-storage", "pump-controller"],
        2,
        ("TC-SEC-060 flash tamper", "not_run"),
        # The storage's own review is left open on purpose: the demo shows a blocking issue.
        {"pump-controller": "A failed MAC keeps the last good library; therapy continues."},
    ),
)


def demo_text(name: str) -> bytes:
    return resources.files("medvigil.riskfile").joinpath("demo_data", name).read_bytes()


@register_demo_step
def load_risk_file() -> list[str]:
    version = ProductVersion.objects.filter(
        product__model_number=MODEL_NUMBER, version=VERSION
    ).first()
    if version is None:
        return [f"no demo version {MODEL_NUMBER} {VERSION}: risk file not loaded"]
    if ThreatModel.objects.filter(version=version).exists():
        return ["demo risk file already loaded"]
    with acting_as(Actor(label="demo")):
        services.import_model(version, demo_text(MODEL_FILE))
        safety.import_safety_entries(version, demo_text(SAFETY_FILE))
        risks = []
        for rule_id, target, estimates, residual, entries in RISKS:
            threat = next(
                (
                    found
                    for found in Threat.objects.filter(version=version, rule_id=rule_id)
                    if target in found.targets
                ),
                None,
            )
            risk = services.create_risk(version, {**estimates, **residual}, threat=threat)
            safety.set_links(
                risk, SafetyRiskEntry.objects.filter(version=version, identifier__in=entries)
            )
            risks.append(risk)
            if threat is not None:
                services.decide_threat(
                    threat, {"status": "mitigated", "decision": f"Assessed as {risk.identifier}."}
                )
        for name, category, requirement, elements, index, test, review in CONTROLS:
            control = controls.create_control(
                version,
                {
                    "name": name,
                    "category": category,
                    "requirement": requirement,
                    "elements": elements,
                    "implementation": "implemented",
                },
                risks=[risks[index]],
            )
            controls.add_verification(
                control,
                test_reference=test[0],
                result=test[1],
                performed_on=datetime.date(2026, 3, 2),
            )
            for element, rationale in review.items():
                controls.review_impact(
                    control, element=element, function_stays_available=True, rationale=rationale
                )
    return [
        f"loaded the {MODEL_NUMBER} {VERSION} risk file: "
        f"{Threat.objects.filter(version=version).count()} threats, {len(risks)} risks, "
        f"{len(CONTROLS)} controls"
    ]


@register_demo_step
def issue_signed_report() -> list[str]:
    """The pump's security risk management report, issued by Priya and approved by Rick."""
    version = (
        ThreatModel.objects.filter(
            version__product__model_number=MODEL_NUMBER, version__version=VERSION
        )
        .values_list("version", flat=True)
        .first()
    )
    people = get_user_model().objects.filter(username__in=("priya", "rick"))
    author, approver = (people.filter(username=name).first() for name in ("priya", "rick"))
    if version is None or author is None or approver is None:
        return ["no demo risk file or demo people: security risk management report not issued"]
    found = ProductVersion.objects.get(pk=version)
    if IssuedReport.objects.filter(kind="security-risk-management", version=found).exists():
        return ["demo security risk management report already issued"]
    password, _ = demo_password(Path(settings.MEDVIGIL_HOME))
    issued = reports_services.issue(author, "security-risk-management", found)
    reason = f"Security risk management report of the {MODEL_NUMBER} {VERSION} release"
    signatures.sign(approver, issued, "approved", password, reason=reason)
    return [f"issued and signed {issued.identifier}"]
