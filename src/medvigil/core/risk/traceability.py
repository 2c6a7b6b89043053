"""The traceability matrix of a risk file: threat → risk → control → requirement → verification.

One row per path through the chain; a row carries the gaps found on it, so a
reader sees at once where the chain breaks (FDA premarket guidance §V.A.2 and
Appendix 2 ask for traceability between threats, controls and their testing):

- `threat-without-risk`: a threat still in play (not retired, not judged not
  applicable) that was never assessed as a risk;
- `risk-without-control`: a risk outside the acceptable region with no control;
- `control-without-requirement`: a control whose requirement text is empty;
- `control-without-verification` / `verification-failed`: no verification, or
  the latest one did not pass;
- `impact-review-missing`: a control touching a clinical or emergency-access
  function without a review that the function stays available.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

GAP_LABELS = {
    "threat-without-risk": "threat without risk",
    "risk-without-control": "risk without control (not acceptable)",
    "control-without-requirement": "control without requirement text",
    "control-without-verification": "control without verification",
    "verification-failed": "latest verification did not pass",
    "impact-review-missing": "emergency-access / clinical impact review missing",
}
SETTLED_THREATS = frozenset({"retired", "not_applicable"})


@dataclass(frozen=True)
class TracedVerification:
    reference: str
    result: str  # passed, failed, not_run
    performed_on: str  # ISO date


@dataclass(frozen=True)
class TracedControl:
    id: str
    name: str
    category: str
    requirement: str
    implementation: str
    verifications: tuple[TracedVerification, ...] = ()  # newest first
    unreviewed_elements: tuple[str, ...] = ()


@dataclass(frozen=True)
class TracedRisk:
    id: str
    title: str
    region: str
    residual_region: str
    controls: tuple[str, ...] = ()


@dataclass(frozen=True)
class TracedThreat:
    id: str
    title: str
    stride: str
    status: str
    risk: str | None = None


@dataclass(frozen=True)
class TraceRow:
    threat: str
    threat_title: str
    risk: str
    region: str
    residual_region: str
    control: str
    category: str
    requirement: str
    verification: str
    result: str
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class Traceability:
    rows: tuple[TraceRow, ...]

    @property
    def gap_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(GAP_LABELS, 0)
        for row in self.rows:
            for gap in row.gaps:
                counts[gap] += 1
        return counts

    @property
    def flagged(self) -> frozenset[int]:
        return frozenset(index for index, row in enumerate(self.rows) if row.gaps)


def control_gaps(control: TracedControl) -> tuple[str, ...]:
    gaps = []
    if not control.requirement.strip():
        gaps.append("control-without-requirement")
    if not control.verifications:
        gaps.append("control-without-verification")
    elif control.verifications[0].result != "passed":
        gaps.append("verification-failed")
    if control.unreviewed_elements:
        gaps.append("impact-review-missing")
    return tuple(gaps)


def trace(
    threats: Iterable[TracedThreat],
    risks: Iterable[TracedRisk],
    controls: Iterable[TracedControl],
) -> Traceability:
    """Rows in threat order, then risks with no threat, then controls mitigating no risk."""
    risk_by_id = {risk.id: risk for risk in risks}
    control_by_id = {control.id: control for control in controls}
    rows: list[TraceRow] = []
    used_risks: set[str] = set()
    used_controls: set[str] = set()

    def control_row(
        threat: TracedThreat | None,
        risk: TracedRisk | None,
        control: TracedControl | None,
        gaps: tuple[str, ...],
    ) -> TraceRow:
        latest = control.verifications[0] if control and control.verifications else None
        return TraceRow(
            threat=threat.id if threat else "",
            threat_title=threat.title if threat else "",
            risk=risk.id if risk else "",
            region=risk.region if risk else "",
            residual_region=risk.residual_region if risk else "",
            control=control.id if control else "",
            category=control.category if control else "",
            requirement=control.requirement if control else "",
            verification=f"{latest.reference} ({latest.performed_on})" if latest else "",
            result=latest.result if latest else "",
            gaps=gaps + (control_gaps(control) if control else ()),
        )

    def risk_rows(threat: TracedThreat | None, risk: TracedRisk) -> None:
        used_risks.add(risk.id)
        chosen = [control_by_id[name] for name in risk.controls if name in control_by_id]
        if not chosen:
            gaps = ("risk-without-control",) if risk.region != "acceptable" else ()
            rows.append(control_row(threat, risk, None, gaps))
        for control in chosen:
            used_controls.add(control.id)
            rows.append(control_row(threat, risk, control, ()))

    for threat in threats:
        if threat.status == "retired":
            continue
        risk = risk_by_id.get(threat.risk or "")
        if risk is None:
            needs_risk = threat.status not in SETTLED_THREATS
            rows.append(control_row(threat, None, None, ("threat-without-risk",) * needs_risk))
            continue
        risk_rows(threat, risk)
    for risk in risk_by_id.values():
        if risk.id not in used_risks:
            risk_rows(None, risk)
    for control in control_by_id.values():
        if control.id not in used_controls:
            rows.append(control_row(None, None, control, ()))
    return Traceability(tuple(rows))
