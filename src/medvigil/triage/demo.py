"""Demo step: decisions, scores and plans on the demo portfolio's real findings.

Runs after the vulnerability demo (this app is installed after it). Priya
(product security) decides and scores; Rick (risk manager) signs most
decisions on released versions with the demo password, and one is left
pending approval on purpose. Idempotent: nothing is done once decisions exist.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.demo import register_demo_step
from medvigil.triage import scoring, services
from medvigil.triage.models import Decision
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.triage.statements import Statement
from medvigil.vulns.models import Finding

STATEMENTS = (
    Statement(
        "not_affected",
        "vulnerable_code_not_in_execute_path",
        "The function with the flaw is never called: the device parses only its own "
        "signed configuration files with this library.",
        note="Call graph of the release build reviewed.",
    ),
    Statement(
        "affected",
        action_statement="Update the component in the next maintenance "
        "release; until then keep the device on an isolated clinical network segment.",
    ),
    Statement(
        "fixed",
        fixed_in_version="the next release",
        note="Fixed by the component update already merged.",
    ),
    Statement("under_investigation", note="Waiting for the supplier's analysis."),
)
SCORES = (
    scoring.ScoreInput(
        rubric_answers={
            "XAVN": "yes",
            "XAVT": "yes",
            "XACL": "yes",
            "XPRL": "yes",
            "XPRZ": "yes",
            "XPRS": "yes",
            "XUI": "no",
            "XS": "no",
            "XCP": "low",
            "XIW": "low",
        },
        rubric_rationale="Only a maintenance account can reach the parser.",
        ssvc_automatable=False,
        ssvc_technical_impact="partial",
        ssvc_mission_prevalence="support",
        harm_severity="minor",
        harm_rationale="At worst a delayed report on the workstation.",
        control_status="controlled",
        control_rationale="Not reachable in the shipped build.",
    ),
    scoring.ScoreInput(
        rubric_answers={
            "XAVN": "yes",
            "XAVT": "yes",
            "XACL": "yes",
            "XPRL": "no",
            "XUI": "no",
            "XS": "yes",
            "XIT": "high",
            "XAT": "high",
            "XCP": "high",
        },
        rubric_rationale="Reachable from the hospital network without credentials.",
        exploit_maturity="proof-of-concept",
        ssvc_automatable=True,
        ssvc_technical_impact="total",
        ssvc_mission_prevalence="essential",
        harm_severity="critical",
        harm_rationale="A changed infusion rate can injure a patient.",
        control_status="uncontrolled",
        control_rationale="No compensating control protects the therapy function today.",
    ),
)


def demo_password() -> str:
    path = Path(settings.MEDVIGIL_HOME) / "demo-credentials"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


@register_demo_step
def load_demo_triage() -> list[str]:
    users = get_user_model().objects
    priya, rick = users.filter(username="priya").first(), users.filter(username="rick").first()
    if priya is None or rick is None or Decision.objects.exists():
        return ["triage demo: already loaded"]
    findings = list(
        Finding.objects.filter(state=Finding.State.OPEN)
        .select_related("version__product", "vulnerability", "component")
        .order_by("version__product__name", "-version__created_at", "vulnerability__canonical_id")
    )[:8]
    approved = pending = 0
    with acting_as(Actor(user=priya, label="priya")):
        for index, finding in enumerate(findings[: len(STATEMENTS)]):
            decision = services.decide(finding, priya, STATEMENTS[index])
            if index < len(SCORES):
                values = SCORES[index]
                if index == 1:  # learned 26 days ago: its 30-day FDA clock is due soon
                    learned = timezone.now() - timedelta(days=26)
                    values = scoring.ScoreInput(**{**values.__dict__, "learned_at": learned})
                scoring.save_scores(finding, priya, values)
                save_plan(
                    finding,
                    priya,
                    PlanInput(
                        fix_in_version="next maintenance release",
                        compensating_controls="Isolate the device on its clinical VLAN; block "
                        "inbound connections from other segments.",
                        customer_communication="Security notice to every customer of the version.",
                    ),
                )
            if decision.requires_approval and index != 1 and demo_password():
                services.approve(decision, rick, demo_password())
                approved += 1
            elif decision.requires_approval:
                pending += 1
        proposals = sum(
            len(services.offer_earlier_decisions(version))
            for version in {finding.version for finding in findings}
        )
    return [
        f"triage demo: {min(len(findings), len(STATEMENTS))} decisions ({approved} approved, "
        f"{pending} pending approval), {min(len(findings), len(SCORES))} scored with plans, "
        f"{proposals} proposals from earlier decisions"
    ]
