"""Clocks of postmarket vulnerability handling: FDA's uncontrolled-risk clocks and
the manufacturer's remediation policy per priority.

FDA, "Postmarket Management of Cybersecurity in Medical Devices" (2016),
section VII.C: for an uncontrolled risk, communicate with customers (with
interim compensating controls) within 30 days of learning of the
vulnerability, and fix, validate and distribute the fix within 60 days.
Both count calendar days from the day the manufacturer learned of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from medvigil.core.deadlines.counting import ClockRule, ClockState, DayKind, evaluate

COMMUNICATE_UNCONTROLLED = ClockRule(
    "fda-uncontrolled-communicate", "Communicate to customers (uncontrolled risk)", 30
)
REMEDIATE_UNCONTROLLED = ClockRule(
    "fda-uncontrolled-remediate", "Distribute a validated fix (uncontrolled risk)", 60
)
UNCONTROLLED_RULES = (COMMUNICATE_UNCONTROLLED, REMEDIATE_UNCONTROLLED)

# Default remediation policy (calendar days per priority); settings may replace it.
DEFAULT_REMEDIATION_DAYS = {"critical": 30, "high": 60, "medium": 90, "low": 180}


@dataclass(frozen=True, slots=True)
class RemediationPolicy:
    """One remediation clock per priority."""

    rules: Mapping[str, ClockRule]

    def rule_for(self, priority: str) -> ClockRule:
        try:
            return self.rules[priority]
        except KeyError as error:
            raise ValueError(f"The remediation policy has no clock for {priority!r}.") from error


def remediation_policy(
    days: Mapping[str, int | Mapping[str, object]],
    country: str = "US",
    subdivision: str | None = None,
) -> RemediationPolicy:
    """Build the policy from `{priority: days}` or `{priority: {"days": n, "kind": "business"}}`."""
    rules: dict[str, ClockRule] = {}
    for priority, value in days.items():
        if isinstance(value, Mapping):
            count = value.get("days")
            kind = DayKind(str(value.get("kind", "calendar")))
        else:
            count, kind = value, DayKind.CALENDAR
        if not isinstance(count, int) or isinstance(count, bool):
            raise ValueError(
                f"The remediation policy for {priority!r} needs a whole number of days."
            )
        rules[priority] = ClockRule(
            f"remediate-{priority}",
            f"Remediate ({priority} priority)",
            count,
            kind,
            country,
            subdivision,
        )
    return RemediationPolicy(rules)


@dataclass(frozen=True, slots=True)
class RemediationClocks:
    """Every clock running on one finding; `regulatory` is empty for a controlled risk."""

    policy: ClockState
    regulatory: tuple[ClockState, ...]

    @property
    def all(self) -> tuple[ClockState, ...]:
        return (self.policy, *self.regulatory)


def remediation_clocks(
    learned_at: datetime.datetime,
    priority: str,
    uncontrolled: bool,
    policy: RemediationPolicy,
    time_zone: str,
    now: datetime.datetime,
    communicated_at: datetime.datetime | None = None,
    remediated_at: datetime.datetime | None = None,
) -> RemediationClocks:
    """The policy clock for `priority` and, for an uncontrolled risk, FDA's 30/60-day clocks."""
    policy_state = evaluate(learned_at, policy.rule_for(priority), time_zone, now, remediated_at)
    regulatory: tuple[ClockState, ...] = ()
    if uncontrolled:
        regulatory = (
            evaluate(learned_at, COMMUNICATE_UNCONTROLLED, time_zone, now, communicated_at),
            evaluate(learned_at, REMEDIATE_UNCONTROLLED, time_zone, now, remediated_at),
        )
    return RemediationClocks(policy_state, regulatory)


def due_soon(state: ClockState, window: datetime.timedelta) -> bool:
    """Still open, not yet overdue, and due within `window`."""
    return not state.met and not state.overdue and state.remaining <= window
