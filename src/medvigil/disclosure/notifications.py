"""Notifications to regulators and coordinators recorded on a case, with their deadlines.

Who (FDA, CISA, CERT/CC, BSI, ENISA's single reporting platform under the EU
CRA, a national authority), under which rule, from which moment the rule
counts, when it was sent, what was sent (kept encrypted) and the recipient's
reference. Deadlines come from `medvigil.core.reporting_deadlines`; the fix
moment that starts the CRA final report is recorded here too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.core.deadlines import Deadline
from medvigil.core.deadlines import evaluate_notification as evaluate
from medvigil.core.deadlines import notification_due_moment as rule_due_moment
from medvigil.core.deadlines import notification_rule as rule_named
from medvigil.disclosure import encryption
from medvigil.disclosure.models import Case, FixAvailability, Notification, Recipient
from medvigil.disclosure.services import DisclosureError, check_lengths


def actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def aware(moment: datetime.datetime | None, name: str) -> datetime.datetime | None:
    if moment is None:
        return None
    if timezone.is_naive(moment):
        raise DisclosureError(
            f"{name} needs a time zone (for example 2026-09-14T10:00:00Z).",
            errors={name: ["No time zone."]},
        )
    return moment


def known_rule(key: str) -> Any:
    try:
        return rule_named(key)
    except ValueError as error:
        raise DisclosureError(str(error), errors={"rule": [str(error)]}) from error


def due_at(rule_key: str, started_at: datetime.datetime) -> datetime.datetime | None:
    return rule_due_moment(
        known_rule(rule_key),
        started_at,
        settings.DISCLOSURE_TIME_ZONE,
        settings.DISCLOSURE_HOLIDAY_COUNTRY,
        settings.DISCLOSURE_HOLIDAY_SUBDIVISION,
    )


@transaction.atomic
def record_notification(
    case: Case,
    *,
    user: Any,
    recipient: str,
    rule: str,
    started_at: datetime.datetime,
    recipient_name: str = "",
    sent_at: datetime.datetime | None = None,
    content: str = "",
    reference: str = "",
) -> Notification:
    """Record a notification, sent or still to send; its deadline follows from the rule."""
    if recipient not in Recipient.values:
        raise DisclosureError(
            f"There is no recipient {recipient!r}.", errors={"recipient": ["Unknown."]}
        )
    known_rule(rule)
    started = aware(started_at, "started_at")
    sent = aware(sent_at, "sent_at")
    assert started is not None
    if sent is not None and sent < started:
        raise DisclosureError(
            "A notification cannot be sent before the moment its rule counts from.",
            errors={"sent_at": ["Before the start."]},
        )
    check_lengths({"content": content})
    notification = Notification.objects.create(
        case=case,
        recipient=recipient,
        recipient_name=recipient_name.strip()[:200],
        rule=rule,
        started_at=started,
        due_at=due_at(rule, started),
        sent_at=sent,
        content_sealed=encryption.seal_text(content.strip()),
        reference=reference.strip()[:200],
        recorded_by=actor(user),
        recorded_at=timezone.now(),
    )
    record(
        "disclosure-notification-recorded",
        case,
        details={
            "notification_id": notification.pk,
            "recipient": recipient,
            "rule": rule,
            "started_at": started,
            "due_at": notification.due_at,
            "sent_at": sent,
            "reference": notification.reference,
        },
    )
    return notification


@transaction.atomic
def mark_sent(
    notification: Notification,
    *,
    user: Any,
    sent_at: datetime.datetime,
    reference: str = "",
    content: str = "",
) -> Notification:
    """Record that a planned notification went out (once; a sent one is not re-dated)."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.sent_at is not None:
        raise DisclosureError("This notification is already recorded as sent.", status=409)
    sent = aware(sent_at, "sent_at")
    assert sent is not None
    if sent < notification.started_at:
        raise DisclosureError(
            "A notification cannot be sent before the moment its rule counts from.",
            errors={"sent_at": ["Before the start."]},
        )
    check_lengths({"content": content})
    notification.sent_at = sent
    if reference.strip():
        notification.reference = reference.strip()[:200]
    if content.strip():
        notification.content_sealed = encryption.seal_text(content.strip())
    notification.save(update_fields=["sent_at", "reference", "content_sealed"])
    record(
        "disclosure-notification-sent",
        notification.case,
        details={
            "notification_id": notification.pk,
            "sent_at": sent,
            "reference": notification.reference,
        },
    )
    return notification


@transaction.atomic
def record_fix(
    case: Case, *, user: Any, available_at: datetime.datetime, description: str = ""
) -> FixAvailability:
    """When a fix or mitigation became available (replaces an earlier record)."""
    available = aware(available_at, "available_at")
    assert available is not None
    if available < case.received_at:
        raise DisclosureError(
            "A fix cannot be available before the report arrived.",
            errors={"available_at": ["Before the report."]},
        )
    fix, _ = FixAvailability.objects.update_or_create(
        case=case,
        defaults={
            "available_at": available,
            "description": description.strip()[:300],
            "recorded_by": actor(user),
        },
    )
    record("disclosure-fix-recorded", case, details={"available_at": available})
    return fix


# Reads ------------------------------------------------------------------------------------


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
