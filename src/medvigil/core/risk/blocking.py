"""Blocking issues of a security risk file: what stops it from being complete.

Two rules, both from the intended-use principle (a security control must not
degrade clinical use or emergency access) and ISO 14971 7.4 / TIR57 6.5:

1. `control-impact-review`: every control that touches an element serving a
   clinical or emergency-access function needs a recorded review that the
   function stays available (for example a break-glass path).
2. `benefit-risk`: a risk whose residual level is in the unacceptable region
   needs a signed benefit-risk analysis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ControlFacts:
    id: str
    name: str
    elements: tuple[str, ...]
    reviewed_elements: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RiskFacts:
    id: str
    title: str
    residual_region: str
    benefit_risk_signed: bool = False


@dataclass(frozen=True)
class BlockingIssue:
    rule: str
    subject: str
    message: str


def blocking_issues(
    controls: Iterable[ControlFacts],
    risks: Iterable[RiskFacts],
    *,
    clinical_elements: frozenset[str],
    emergency_elements: frozenset[str],
    element_names: dict[str, str] | None = None,
) -> list[BlockingIssue]:
    """Every blocking issue, controls first, each naming what to record to clear it."""
    names = element_names or {}
    issues: list[BlockingIssue] = []
    for control in controls:
        for element in control.elements:
            if element not in clinical_elements or element in control.reviewed_elements:
                continue
            kind = "an emergency-access" if element in emergency_elements else "a clinical"
            issues.append(
                BlockingIssue(
                    "control-impact-review",
                    control.id,
                    f"Control {control.name!r} touches {names.get(element, element)!r}, which "
                    f"serves {kind} function: record a review that the function stays "
                    "available (for example a break-glass path).",
                )
            )
    for risk in risks:
        if risk.residual_region == "unacceptable" and not risk.benefit_risk_signed:
            issues.append(
                BlockingIssue(
                    "benefit-risk",
                    risk.id,
                    f"Risk {risk.title!r} stays unacceptable after controls: it needs a "
                    "signed benefit-risk analysis.",
                )
            )
    return issues
