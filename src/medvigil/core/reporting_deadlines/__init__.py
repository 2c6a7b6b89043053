"""Deadlines of notifications to regulators and coordinators, by the rule that sets them.

Pure: the start moment (awareness, or a fix becoming available), the rule and
"now" come in; the due moment, the time left and the overdue flag come out.
"""

from medvigil.core.reporting_deadlines.rules import (
    RULES,
    Deadline,
    NotificationRule,
    due_moment,
    evaluate,
    rule_named,
)

__all__ = ["RULES", "Deadline", "NotificationRule", "due_moment", "evaluate", "rule_named"]
