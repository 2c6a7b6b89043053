"""Reads of the alerts app for pages, API and commands; each through the policies."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.alerts.models import Alert, Delivery, Subscription, Webhook
from medvigil.platform import permissions


def unread_count(user: Any) -> int:
    """One count over the (recipient, read_at) index: cheap enough for every page."""
    if user is None or not user.is_authenticated:
        return 0
    return Alert.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Alert]:
    rows = Alert.objects.select_related("event", "subscription")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return permissions.visible(user, rows).order_by("-created_at", "-id")


def subscriptions(user: Any) -> QuerySet[Subscription]:
    rows = Subscription.objects.select_related("team", "product", "version", "webhook", "owner")
    return permissions.visible(user, rows).order_by("team_id", "name", "id")


def subscription(user: Any, subscription_id: int) -> Subscription:
    return permissions.get_visible(user, subscriptions(user), pk=subscription_id)


def webhooks(user: Any) -> QuerySet[Webhook]:
    return permissions.visible(user, Webhook.objects.select_related("team", "owner"))


def webhook(user: Any, webhook_id: int) -> Webhook:
    return permissions.get_visible(user, webhooks(user), pk=webhook_id)


def deliveries(user: Any, *, state: str = "") -> QuerySet[Delivery]:
    rows = Delivery.objects.select_related("event", "recipient", "webhook", "subscription")
    if state:
        rows = rows.filter(state=state)
    return permissions.visible(user, rows).order_by("-created_at", "-id")
