"""Deadlines: service-level clocks and the regulatory reporting rules, with how long is left.

Pure: the start moment, the rule, the time zone and "now" are all passed in.
Public holidays come from the `holidays` package for the rule's country and
subdivision. Modules by idea:

- `counting`: calendar and business days in a time zone (`ClockRule`, `evaluate`)
- `disclosure_clocks`: the default clocks of coordinated disclosure
- `postmarket`: FDA's uncontrolled-risk clocks and the remediation policy
- `notifications`: deadlines of notifications to regulators and coordinators
  (EU CRA, 21 CFR 806/803, coordinators), `evaluate_notification`
"""

from medvigil.core.deadlines.counting import (
    ClockRule,
    ClockState,
    DayKind,
    due_moment,
    evaluate,
    is_business_day,
)
from medvigil.core.deadlines.disclosure_clocks import (
    ACKNOWLEDGE,
    DISCLOSE,
    DISCLOSURE_RULES,
    STATUS_UPDATE,
)
from medvigil.core.deadlines.notifications import (
    NOTIFICATION_RULES,
    Deadline,
    NotificationRule,
    evaluate_notification,
    notification_due_moment,
    notification_rule,
)
from medvigil.core.deadlines.postmarket import (
    COMMUNICATE_UNCONTROLLED,
    REMEDIATE_UNCONTROLLED,
    RemediationClocks,
    RemediationPolicy,
    due_soon,
    remediation_clocks,
    remediation_policy,
)

__all__ = [
    "ACKNOWLEDGE",
    "COMMUNICATE_UNCONTROLLED",
    "DISCLOSE",
    "DISCLOSURE_RULES",
    "NOTIFICATION_RULES",
    "REMEDIATE_UNCONTROLLED",
    "STATUS_UPDATE",
    "ClockRule",
    "ClockState",
    "DayKind",
    "Deadline",
    "NotificationRule",
    "RemediationClocks",
    "RemediationPolicy",
    "due_moment",
    "due_soon",
    "evaluate",
    "evaluate_notification",
    "is_business_day",
    "notification_due_moment",
    "notification_rule",
    "remediation_clocks",
    "remediation_policy",
]
