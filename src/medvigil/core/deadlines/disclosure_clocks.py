"""Default clocks of coordinated disclosure (policy defaults, not regulatory rules).

Acknowledge within 5 business days, update the reporter at least every 30
days, disclose 90 days after the report unless coordinated otherwise
(domain notes: regulatory.md §7.2).
"""

from __future__ import annotations

from medvigil.core.deadlines.counting import ClockRule, DayKind

ACKNOWLEDGE = ClockRule("acknowledge", "Acknowledge the report", 5, DayKind.BUSINESS)
STATUS_UPDATE = ClockRule("status-update", "Update the reporter", 30, DayKind.CALENDAR)
DISCLOSE = ClockRule("disclose", "Disclose", 90, DayKind.CALENDAR)
DISCLOSURE_RULES = (ACKNOWLEDGE, STATUS_UPDATE, DISCLOSE)


def with_holidays(rule: ClockRule, country: str, subdivision: str | None) -> ClockRule:
    """The same rule counted on another country's (or subdivision's) holidays."""
    return ClockRule(rule.key, rule.label, rule.count, rule.kind, country, subdivision)
