"""The notification rules a manufacturer's PSIRT meets, with their sources.

Hours are elapsed hours ("within 24 hours"); days are counted by
`medvigil.core.deadlines.counting` (calendar or business days with public holidays,
keeping the start's wall-clock time). Sources are the project's domain notes
(regulatory.md §2.4 for 21 CFR 806/803, §3.4 for the EU Cyber Resilience Act
Art. 14, §7.2 for coordinators). The CRA does not apply to medical devices
themselves (Art. 2(2)(a)) but to a manufacturer's other products with
digital elements; the rule is chosen per notification, not per product.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from medvigil.core.deadlines.counting import ClockRule, DayKind, aware
from medvigil.core.deadlines.counting import due_moment as clock_due_moment

UTC = datetime.UTC


@dataclass(frozen=True, slots=True)
class NotificationRule:
    """A deadline of `hours` elapsed hours, or of `days` counted as `day_kind`, or none."""

    key: str
    label: str
    starts_at: str  # what the start moment is, in words
    source: str
    hours: int | None = None
    days: int | None = None
    day_kind: DayKind = DayKind.CALENDAR

    def __post_init__(self) -> None:
        if self.hours is not None and self.days is not None:
            raise ValueError("A rule counts hours or days, not both.")
        if (self.hours is not None and self.hours < 1) or (self.days is not None and self.days < 1):
            raise ValueError("A deadline is at least one hour or one day.")

    @property
    def has_deadline(self) -> bool:
        return self.hours is not None or self.days is not None

    def describe(self) -> str:
        if self.hours is not None:
            return f"within {self.hours} h of {self.starts_at}"
        if self.days is not None:
            unit = "business days" if self.day_kind is DayKind.BUSINESS else "days"
            return f"within {self.days} {unit} of {self.starts_at}"
        return "no deadline set by a rule"


NOTIFICATION_RULES: tuple[NotificationRule, ...] = (
    NotificationRule(
        "cra-early-warning",
        "EU CRA early warning (actively exploited vulnerability)",
        "awareness of active exploitation",
        "Regulation (EU) 2024/2847 Art. 14(2)(a); regulatory.md §3.4",
        hours=24,
    ),
    NotificationRule(
        "cra-notification",
        "EU CRA vulnerability notification",
        "awareness of active exploitation",
        "Regulation (EU) 2024/2847 Art. 14(2)(b); regulatory.md §3.4",
        hours=72,
    ),
    NotificationRule(
        "cra-final-report",
        "EU CRA final report",
        "a corrective or mitigating measure being available",
        "Regulation (EU) 2024/2847 Art. 14(2)(c); regulatory.md §3.4",
        days=14,
    ),
    NotificationRule(
        "fda-806",
        "FDA correction or removal report (21 CFR 806.10)",
        "initiating the correction or removal",
        "21 CFR 806.10; regulatory.md §2.4",
        days=10,
        day_kind=DayKind.BUSINESS,
    ),
    NotificationRule(
        "fda-mdr-5-day",
        "FDA 5-day MDR report (21 CFR 803.53)",
        "becoming aware that remedial action is needed",
        "21 CFR 803.10(c)(2) / 803.53; regulatory.md §2.4",
        days=5,
        day_kind=DayKind.BUSINESS,
    ),
    NotificationRule(
        "coordinator",
        "Coordinator notification (CISA, CERT/CC, national CSIRT)",
        "the decision to coordinate",
        "ISO/IEC 29147 §6 coordinator involvement; regulatory.md §7.2 (no regulatory deadline)",
    ),
    NotificationRule(
        "other",
        "Other notification",
        "the event",
        "no rule",
    ),
)
NOTIFICATION_RULES_BY_KEY = {rule.key: rule for rule in NOTIFICATION_RULES}


def notification_rule(key: str) -> NotificationRule:
    try:
        return NOTIFICATION_RULES_BY_KEY[key]
    except KeyError:
        raise ValueError(
            f"Unknown notification rule {key!r}; known: {', '.join(NOTIFICATION_RULES_BY_KEY)}."
        ) from None


@dataclass(frozen=True, slots=True)
class Deadline:
    """A notification's deadline at `now`; `remaining` is negative once overdue.

    Once sent (`sent_at`), `overdue` says whether it was sent late and
    `remaining` is the margin left at that moment.
    """

    rule: NotificationRule
    started_at: datetime.datetime
    due_at: datetime.datetime
    remaining: datetime.timedelta
    overdue: bool
    sent_at: datetime.datetime | None

    @property
    def met(self) -> bool:
        return self.sent_at is not None


def notification_due_moment(
    rule: NotificationRule,
    start: datetime.datetime,
    time_zone: str = "UTC",
    country: str = "US",
    subdivision: str | None = None,
) -> datetime.datetime | None:
    """When a notification under `rule` started at `start` is due (UTC), or None."""
    aware(start, "start")
    if rule.hours is not None:
        return (start + datetime.timedelta(hours=rule.hours)).astimezone(UTC)
    if rule.days is not None:
        clock = ClockRule(rule.key, rule.label, rule.days, rule.day_kind, country, subdivision)
        return clock_due_moment(start, clock, time_zone)
    return None


def evaluate_notification(
    rule: NotificationRule,
    start: datetime.datetime,
    now: datetime.datetime,
    *,
    sent_at: datetime.datetime | None = None,
    time_zone: str = "UTC",
    country: str = "US",
    subdivision: str | None = None,
) -> Deadline | None:
    """The deadline at `now` (or when sent), or None for a rule without one."""
    aware(now, "now")
    due = notification_due_moment(rule, start, time_zone, country, subdivision)
    if due is None:
        return None
    reference = sent_at if sent_at is not None else now
    aware(reference, "sent_at")
    return Deadline(
        rule=rule,
        started_at=start.astimezone(UTC),
        due_at=due,
        remaining=due - reference,
        overdue=reference > due,
        sent_at=sent_at.astimezone(UTC) if sent_at is not None else None,
    )
