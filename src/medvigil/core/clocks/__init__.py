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
from medvigil.core.clocks.rules import (
    ACKNOWLEDGE,
    DISCLOSE,
    DISCLOSURE_RULES,
    STATUS_UPDATE,
)

__all__ = [
    "ACKNOWLEDGE",
    "DISCLOSE",
    "DISCLOSURE_RULES",
    "STATUS_UPDATE",
    "ClockRule",
    "ClockState",
    "DayKind",
    "due_moment",
    "evaluate",
    "is_business_day",
]
