"""The medical priority of a finding: one explicit, versioned rule over its scores.

Regulators ask how a manufacturer ranks its work, so the rule is data a
reader can check, and its version is stored with every result.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from medvigil.core.scoring.harm import HarmSeverity
from medvigil.core.scoring.ssvc import Outcome

PRIORITY_RULE_VERSION = "medvigil-priority/1"


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return list(Priority).index(self)


@dataclass(frozen=True, slots=True)
class PriorityInputs:
    uncontrolled: bool = False
    kev_listed: bool = False
    ssvc: Outcome | None = None
    harm: HarmSeverity | None = None
    cvss: float | None = None
    epss_percentile: float | None = None


@dataclass(frozen=True, slots=True)
class PriorityResult:
    priority: Priority
    reasons: tuple[str, ...]
    rule_version: str = PRIORITY_RULE_VERSION


def prioritise(inputs: PriorityInputs) -> PriorityResult:
    """Critical, high, medium or low, with every reason that led there."""
    harm_rank = inputs.harm.rank if inputs.harm is not None else -1
    critical, high, medium = [], [], []
    if inputs.uncontrolled:
        critical.append("uncontrolled risk of patient harm (FDA postmarket)")
    if inputs.ssvc is Outcome.ACT:
        critical.append("SSVC outcome Act")
    if inputs.kev_listed and harm_rank >= HarmSeverity.SERIOUS.rank:
        critical.append("known exploited (KEV) with serious or worse patient harm")
    if inputs.kev_listed:
        high.append("known exploited (KEV)")
    if inputs.ssvc is Outcome.ATTEND:
        high.append("SSVC outcome Attend")
    if harm_rank >= HarmSeverity.CRITICAL.rank:
        high.append(f"patient harm {inputs.harm}")
    if inputs.ssvc is Outcome.TRACK_STAR:
        medium.append("SSVC outcome Track*")
    if inputs.cvss is not None and inputs.cvss >= 7.0:
        medium.append(f"CVSS {inputs.cvss:.1f} (high or critical)")
    if inputs.epss_percentile is not None and inputs.epss_percentile >= 0.9:
        medium.append(f"EPSS percentile {inputs.epss_percentile:.2f}")
    for priority, reasons in (
        (Priority.CRITICAL, critical),
        (Priority.HIGH, high),
        (Priority.MEDIUM, medium),
    ):
        if reasons:
            return PriorityResult(priority, tuple(reasons))
    return PriorityResult(Priority.LOW, ("none of the rule's conditions holds",))
