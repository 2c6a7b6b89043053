"""Notifications to regulators and coordinators recorded on a case, with their deadlines.

Who (FDA, CISA, CERT/CC, BSI, ENISA's single reporting platform under the EU
CRA, a national authority), under which rule, from which moment the rule
counts, when it was sent, what was sent (kept encrypted) and the recipient's
reference. Deadlines come from `medvigil.core.deadlines`; the fix
moment that starts the CRA final report is recorded here too.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.core.deadlines import notification_due_moment as rule_due_moment
from medvigil.core.deadlines import notification_rule as rule_named
from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.cases.services import aware, check_lengths
from medvigil.disclosure.intake import encryption
from medvigil.disclosure.notifications.models import Notification, Recipient
from medvigil.platform.refusals import Kind, Refusal


def actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def known_rule(key: str) -> Any:
    try:
        return rule_named(key)
    except ValueError as error:
        raise Refusal(str(error), Kind.INVALID, errors={"rule": [str(error)]}) from error


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
        raise Refusal(
            f"There is no recipient {recipient!r}.",
            Kind.INVALID,
            errors={"recipient": ["Unknown."]},
        )
    known_rule(rule)
    started = aware(started_at, "started_at")
    sent = aware(sent_at, "sent_at")
    assert started is not None
    if sent is not None and sent < started:
        raise Refusal(
            "A notification cannot be sent before the moment its rule counts from.",
            Kind.INVALID,
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
        raise Refusal("This notification is already recorded as sent.", Kind.CONFLICT)
    sent = aware(sent_at, "sent_at")
    assert sent is not None
    if sent < notification.started_at:
        raise Refusal(
            "A notification cannot be sent before the moment its rule counts from.",
            Kind.INVALID,
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


# Reads ------------------------------------------------------------------------------------
