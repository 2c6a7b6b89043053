"""Service-level and regulatory clocks: when something is due, and how long is left.

Pure: the start moment, the rule, the time zone and "now" are all passed in.
Public holidays come from the `holidays` package for the rule's country and
subdivision. See `medvigil.core.clocks.engine` for the counting conventions.
"""

from medvigil.core.clocks.engine import (
    ClockRule,
    ClockState,
    DayKind,
    due_moment,
    evaluate,
    is_business_day,
)
from medvigil.core.clocks.postmarket import (
    COMMUNICATE_UNCONTROLLED,
    REMEDIATE_UNCONTROLLED,
    RemediationClocks,
    RemediationPolicy,
    due_soon,
    remediation_clocks,
    remediation_policy,
)
from medvigil.core.clocks.rules import (
    ACKNOWLEDGE,
    DISCLOSE,
    DISCLOSURE_RULES,
    STATUS_UPDATE,
)

__all__ = [
    "ACKNOWLEDGE",
    "COMMUNICATE_UNCONTROLLED",
    "DISCLOSE",
    "DISCLOSURE_RULES",
    "REMEDIATE_UNCONTROLLED",
    "STATUS_UPDATE",
    "ClockRule",
    "ClockState",
    "DayKind",
    "RemediationClocks",
    "RemediationPolicy",
    "due_moment",
    "due_soon",
    "evaluate",
    "is_business_day",
    "remediation_clocks",
    "remediation_policy",
]
