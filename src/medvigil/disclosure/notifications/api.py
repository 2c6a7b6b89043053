"""API of regulator and coordinator notifications on a case (handlers only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from medvigil.disclosure.cases.api import handled_case
from medvigil.disclosure.notifications import selectors as notification_selectors
from medvigil.disclosure.notifications import services as notifications
from medvigil.disclosure.notifications.models import Notification
from medvigil.disclosure.notifications.schemas import (
    NotificationIn,
    NotificationOut,
    NotificationSentIn,
)
from medvigil.platform import permissions

router = Router()


def notification_out(notification: Notification) -> dict[str, Any]:
    shown = notification_selectors.notification_view(notification)
    deadline = shown.deadline
    return {
        "id": notification.pk,
        "case_id": notification.case_id,
        "recipient": notification.recipient,
        "recipient_name": notification.recipient_name,
        "rule": notification.rule,
        "rule_text": shown.rule_text,
        "source": shown.source,
        "started_at": notification.started_at,
        "due_at": notification.due_at,
        "sent_at": notification.sent_at,
        "remaining_seconds": int(deadline.remaining.total_seconds()) if deadline else None,
        "overdue": shown.overdue,
        "reference": notification.reference,
        "content": shown.content,
    }


@router.get(
    "/cases/{case_id}/notifications",
    response=list[NotificationOut],
    summary="Regulator and coordinator notifications of a case, with their deadlines",
)
def list_notifications(request: HttpRequest, case_id: int) -> list[Any]:
    case = handled_case(request, case_id)
    return [notification_out(item) for item in case.notifications.all()]


@router.post(
    "/cases/{case_id}/notifications",
    response={201: NotificationOut},
    summary="Record a notification to a regulator or coordinator",
)
def record_notification(request: HttpRequest, case_id: int, payload: NotificationIn) -> Status[Any]:
    case = handled_case(request, case_id)
    notification = notifications.record_notification(
        case,
        user=request.user,
        recipient=payload.recipient,
        rule=payload.rule,
        started_at=payload.started_at or timezone.now(),
        recipient_name=payload.recipient_name,
        sent_at=payload.sent_at,
        content=payload.content,
        reference=payload.reference,
    )
    return Status(201, notification_out(notification))


@router.post(
    "/notifications/{notification_id}/sent",
    response=NotificationOut,
    summary="Record that a notification was sent",
)
def notification_sent(
    request: HttpRequest, notification_id: int, payload: NotificationSentIn
) -> dict[str, Any]:
    notification = permissions.get_visible(
        request.user, Notification.objects.all(), pk=notification_id
    )
    done = notifications.mark_sent(
        notification,
        user=request.user,
        sent_at=payload.sent_at or timezone.now(),
        reference=payload.reference,
        content=payload.content,
    )
    return notification_out(done)
