"""The alerts API at /api/v1/alerts: inbox, subscriptions, webhooks, the deliveries log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from medvigil.accounts.models import Team
from medvigil.alerts import selectors, services
from medvigil.alerts.models import Alert, Delivery, Subscription, Webhook
from medvigil.alerts.schemas import (
    AlertDeliveryOut,
    AlertOut,
    AlertsReadIn,
    AlertsReadOut,
    AlertSubscriptionIn,
    AlertSubscriptionOut,
    AlertsUnreadOut,
    AlertWebhookIn,
    AlertWebhookOut,
    NewAlertSubscriptionIn,
    NewAlertWebhookOut,
)
from medvigil.platform import permissions
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal

router = Router(tags=["alerts"])


class InboxFilter(Schema):
    unread_only: bool = Field(False, description="Only alerts not yet read")


class DeliveryFilter(Schema):
    state: str = Field("", description="pending, held, sending, sent, failed or gave-up")


def alert_out(alert: Alert) -> dict[str, Any]:
    event = alert.event
    return {
        "id": alert.pk,
        "created_at": alert.created_at,
        "read_at": alert.read_at,
        "subscription": alert.subscription.name if alert.subscription else None,
        "event": {
            "id": event.pk,
            "kind": event.kind,
            "title": event.title,
            "occurred_at": event.occurred_at,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "product_id": event.product_id,
            "version_id": event.version_id,
            "severity": event.severity,
            "priority": event.priority,
            "details": event.details,
        },
    }


def subscription_out(subscription: Subscription) -> dict[str, Any]:
    owner = subscription.owner
    return {
        **{name: getattr(subscription, name) for name in services.SUBSCRIPTION_FIELDS},
        "id": subscription.pk,
        "owner": owner.get_username() if owner else None,
        "team_id": subscription.team_id,
        "created_at": subscription.created_at,
    }


def webhook_out(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.pk,
        "name": webhook.name,
        "url": webhook.url,
        "flavour": webhook.flavour,
        "team_id": webhook.team_id,
        "created_at": webhook.created_at,
    }


def delivery_out(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "event_id": delivery.event_id,
        "event_title": delivery.event.title,
        "channel": delivery.channel,
        "target": delivery.target,
        "mode": delivery.mode,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "created_at": delivery.created_at,
        "next_attempt_at": delivery.next_attempt_at,
        "sent_at": delivery.sent_at,
    }


def team_named(request: HttpRequest, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    if not permissions.is_administrator(request.user):
        raise Refusal("Only an administrator manages a team's alerts.", Kind.FORBIDDEN)
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Refusal("No such team.", Kind.MISSING, {"team_id": "No such team."})
    return team


def subscription_data(payload: AlertSubscriptionIn) -> services.SubscriptionData:
    values = payload.dict(exclude={"team_id"})
    return services.SubscriptionData(**{**values, "kinds": list(values["kinds"])})


@router.get("/inbox", response=Page[AlertOut], summary="Your alerts, newest first")
def inbox(
    request: HttpRequest, filters: Query[InboxFilter], page: Query[PageQuery]
) -> dict[str, Any]:
    rows = selectors.inbox(request.user, unread_only=filters.unread_only)
    return paginate(rows, page, ordering=("-created_at", "-id"), serialize=alert_out)


@router.get("/inbox/unread", response=AlertsUnreadOut, summary="How many of your alerts are unread")
def unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(request.user)}


@router.post("/inbox/read", response=AlertsReadOut, summary="Mark your alerts read")
def mark_read(request: HttpRequest, payload: AlertsReadIn) -> dict[str, int]:
    return {"marked": services.mark_read(request.user, payload.ids)}


@router.get("/subscriptions", response=list[AlertSubscriptionOut], summary="Your and your teams'")
def list_subscriptions(request: HttpRequest) -> list[dict[str, Any]]:
    return [subscription_out(row) for row in selectors.subscriptions(request.user)]


@router.post("/subscriptions", response={201: AlertSubscriptionOut}, summary="Subscribe")
def create_subscription(
    request: HttpRequest, payload: NewAlertSubscriptionIn
) -> Status[dict[str, Any]]:
    team = team_named(request, payload.team_id)
    subscription = services.create_subscription(request.user, subscription_data(payload), team)
    return Status(201, subscription_out(subscription))


@router.get("/subscriptions/{subscription_id}", response=AlertSubscriptionOut, summary="One")
def get_subscription(request: HttpRequest, subscription_id: int) -> dict[str, Any]:
    return subscription_out(selectors.subscription(request.user, subscription_id))


@router.put("/subscriptions/{subscription_id}", response=AlertSubscriptionOut, summary="Change")
def update_subscription(
    request: HttpRequest, subscription_id: int, payload: AlertSubscriptionIn
) -> dict[str, Any]:
    subscription = selectors.subscription(request.user, subscription_id)
    permissions.require(request.user, "change", subscription)
    services.update_subscription(request.user, subscription, subscription_data(payload))
    return subscription_out(subscription)


@router.delete("/subscriptions/{subscription_id}", response={204: None}, summary="Unsubscribe")
def delete_subscription(request: HttpRequest, subscription_id: int) -> Status[None]:
    subscription = selectors.subscription(request.user, subscription_id)
    permissions.require(request.user, "delete", subscription)
    services.delete_subscription(request.user, subscription)
    return Status(204, None)


@router.get("/webhooks", response=list[AlertWebhookOut], summary="Your and your teams' webhooks")
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    return [webhook_out(row) for row in selectors.webhooks(request.user)]


@router.post("/webhooks", response={201: NewAlertWebhookOut}, summary="Add a signed webhook")
def create_webhook(request: HttpRequest, payload: AlertWebhookIn) -> Status[dict[str, Any]]:
    team = team_named(request, payload.team_id)
    webhook, secret = services.create_webhook(
        request.user, payload.name, payload.url, payload.flavour, team
    )
    return Status(201, {**webhook_out(webhook), "secret": secret})


@router.delete("/webhooks/{webhook_id}", response={204: None}, summary="Remove a webhook")
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status[None]:
    webhook = selectors.webhook(request.user, webhook_id)
    permissions.require(request.user, "delete", webhook)
    services.delete_webhook(request.user, webhook)
    return Status(204, None)


@router.get(
    "/deliveries", response=Page[AlertDeliveryOut], summary="Every delivery (administrators)"
)
def list_deliveries(
    request: HttpRequest, filters: Query[DeliveryFilter], page: Query[PageQuery]
) -> dict[str, Any]:
    if not permissions.is_administrator(request.user):
        raise Refusal("Only administrators see the deliveries log.", Kind.FORBIDDEN)
    rows = selectors.deliveries(request.user, state=filters.state)
    return paginate(rows, page, ordering=("-created_at", "-id"), serialize=delivery_out)
