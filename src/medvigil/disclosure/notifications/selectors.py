"""What a case page and the API show of its notifications: rule, deadline, remaining time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from medvigil.core.deadlines import Deadline
from medvigil.core.deadlines import evaluate_notification as evaluate
from medvigil.core.deadlines import notification_rule as rule_named
from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.intake import encryption
from medvigil.disclosure.notifications.models import Notification


@dataclass(frozen=True)
class NotificationView:
    notification: Notification
    rule_label: str
    rule_text: str
    source: str
    content: str
    deadline: Deadline | None

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline.overdue


def notification_view(
    notification: Notification, now: datetime.datetime | None = None
) -> NotificationView:
    rule = rule_named(notification.rule)
    deadline = evaluate(
        rule,
        notification.started_at,
        now or timezone.now(),
        sent_at=notification.sent_at,
        time_zone=settings.DISCLOSURE_TIME_ZONE,
        country=settings.DISCLOSURE_HOLIDAY_COUNTRY,
        subdivision=settings.DISCLOSURE_HOLIDAY_SUBDIVISION,
    )
    return NotificationView(
        notification,
        rule.label,
        rule.describe(),
        rule.source,
        encryption.open_text(notification.content_sealed),
        deadline,
    )


def notifications_of(case: Case, now: datetime.datetime | None = None) -> list[NotificationView]:
    moment = now or timezone.now()
    return [notification_view(item, moment) for item in case.notifications.all()]


def deadline_text(deadline: Deadline | None) -> str:
    if deadline is None:
        return "no deadline"
    seconds = abs(deadline.remaining.total_seconds())
    days, hours = int(seconds // 86400), int(seconds % 86400 // 3600)
    span = f"{days} d {hours} h" if days else f"{hours} h {int(seconds % 3600 // 60)} min"
    if deadline.met:
        return f"sent late by {span}" if deadline.overdue else f"sent with {span} to spare"
    return f"overdue by {span}" if deadline.overdue else f"{span} left"
