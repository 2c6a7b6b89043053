"""Every write of the alerts app a person asks for: subscriptions, webhooks, reading the inbox.

A person subscribes for themselves; an administrator also for a team (its
members' inboxes and email, and the team's webhook). The products and
versions a subscription names must be ones the owner may read. Each write
commits with its audit event; bad input is refused whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from medvigil.accounts.models import Team
from medvigil.alerts import channels
from medvigil.alerts.events import RANKS
from medvigil.alerts.models import Alert, EventKind, Mode, Subscription, Webhook
from medvigil.alerts.processing import AUDIT_CURSOR, cursor
from medvigil.audit.services import changed_fields, record, snapshot
from medvigil.platform import permissions
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import Product, ProductVersion

SUBSCRIPTION_FIELDS = (
    "name",
    "kinds",
    "minimum_severity",
    "minimum_priority",
    "epss_threshold",
    "product_id",
    "version_id",
    "product_team_id",
    "email",
    "webhook_id",
    "mode",
    "active",
)


@dataclass(frozen=True)
class SubscriptionData:
    name: str
    kinds: list[str] = field(default_factory=list)
    minimum_severity: str = ""
    minimum_priority: str = ""
    epss_threshold: float | None = None
    product_id: int | None = None
    version_id: int | None = None
    product_team_id: int | None = None
    email: bool = False
    webhook_id: int | None = None
    mode: str = Mode.IMMEDIATE
    active: bool = True


def require_team_rights(user: Any, team: Team | None) -> None:
    if team is not None and not permissions.is_administrator(user):
        raise Refusal("Only an administrator manages a team's alerts.", Kind.FORBIDDEN)


def checked(user: Any, data: SubscriptionData, team: Team | None) -> dict[str, Any]:
    """The fields to store, or a refusal naming every wrong one."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Give the subscription a name."
    kinds = list(dict.fromkeys(data.kinds))
    unknown = [kind for kind in kinds if kind not in EventKind.values]
    if not kinds or unknown:
        errors["kinds"] = "Choose one or more of: " + ", ".join(EventKind.values) + "."
    for name in ("minimum_severity", "minimum_priority"):
        if getattr(data, name) and getattr(data, name) not in RANKS:
            errors[name] = "One of: " + ", ".join(RANKS) + " (or empty for any)."
    threshold = data.epss_threshold
    if EventKind.EPSS_CROSSED in kinds and threshold is None:
        errors["epss_threshold"] = "Say which EPSS probability (0 to 1) to watch for."
    if threshold is not None and not 0 < threshold <= 1:
        errors["epss_threshold"] = "An EPSS probability is above 0 and at most 1."
    if data.mode not in Mode.values:
        errors["mode"] = "Immediately, or in the daily digest."
    # Whom visibility is asked for: the owner, or (a team's) the administrator setting it up.
    products = permissions.visible(user, Product.objects.all())
    versions = permissions.visible(user, ProductVersion.objects.all())
    if team is not None:
        products, versions = products.filter(team=team), versions.filter(product__team=team)
    if data.product_id is not None and not products.filter(pk=data.product_id).exists():
        errors["product_id"] = "No such product, or not one you (or this team) may read."
    if data.version_id is not None and not versions.filter(pk=data.version_id).exists():
        errors["version_id"] = "No such version, or not one you (or this team) may read."
    if (
        data.product_team_id is not None
        and not Team.objects.filter(pk=data.product_team_id).exists()
    ):
        errors["product_team_id"] = "No such team."
    if data.webhook_id is not None:
        hooks = Webhook.objects.filter(team=team) if team else Webhook.objects.filter(owner=user)
        if not hooks.filter(pk=data.webhook_id).exists():
            errors["webhook_id"] = "No such webhook of yours (or of this team)."
    if errors:
        raise Refusal("The subscription cannot be saved as it is.", Kind.INVALID, errors)
    values = {name: getattr(data, name) for name in SUBSCRIPTION_FIELDS if name != "kinds"}
    return {**values, "name": data.name.strip()[:100], "kinds": kinds}


def create_subscription(
    user: Any, data: SubscriptionData, team: Team | None = None
) -> Subscription:
    require_team_rights(user, team)
    values = checked(user, data, team)
    cursor(AUDIT_CURSOR)  # alerts are about what happens from the first subscription on
    with transaction.atomic():
        subscription = Subscription.objects.create(
            **values,
            owner=None if team else user,
            team=team,
            created_at=timezone.now(),
        )
        record(
            "alerts.subscription-created",
            subscription,
            details={**snapshot(subscription, SUBSCRIPTION_FIELDS), "team": team and team.name},
        )
    return subscription


def update_subscription(user: Any, subscription: Subscription, data: SubscriptionData) -> None:
    require_team_rights(user, subscription.team)
    values = checked(user, data, subscription.team)
    with transaction.atomic():
        before = snapshot(subscription, SUBSCRIPTION_FIELDS)
        for name, value in values.items():
            setattr(subscription, name, value)
        subscription.save()
        after = snapshot(subscription, SUBSCRIPTION_FIELDS)
        record("alerts.subscription-changed", subscription, changes=changed_fields(before, after))


def delete_subscription(user: Any, subscription: Subscription) -> None:
    require_team_rights(user, subscription.team)
    with transaction.atomic():
        record(
            "alerts.subscription-deleted",
            subscription,
            details=snapshot(subscription, SUBSCRIPTION_FIELDS),
        )
        subscription.delete()


def create_webhook(
    user: Any, name: str, url: str, flavour: str = "generic", team: Team | None = None
) -> tuple[Webhook, str]:
    """The webhook and its signing secret, shown this once (only its encryption is kept)."""
    require_team_rights(user, team)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Give the webhook a name."
    if not url.startswith(("https://", "http://")) or len(url) > 1000:
        errors["url"] = "An http or https address, at most 1000 characters."
    if flavour not in Webhook.Flavour.values:
        errors["flavour"] = "One of: " + ", ".join(Webhook.Flavour.values) + "."
    if errors:
        raise Refusal("The webhook cannot be saved as it is.", Kind.INVALID, errors)
    secret = channels.new_secret()
    with transaction.atomic():
        webhook = Webhook.objects.create(
            name=name.strip()[:100],
            url=url,
            flavour=flavour,
            owner=None if team else user,
            team=team,
            secret_sealed=channels.seal_secret(secret),
            created_at=timezone.now(),
        )
        record(
            "alerts.webhook-created",
            webhook,
            details={"url": url, "flavour": flavour, "team": team and team.name},
        )
    return webhook, secret


def delete_webhook(user: Any, webhook: Webhook) -> None:
    require_team_rights(user, webhook.team)
    with transaction.atomic():
        record("alerts.webhook-deleted", webhook, details={"url": webhook.url})
        webhook.delete()


def mark_read(user: Any, alert_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own alerts read (all of them when no ids are given); how many."""
    rows = Alert.objects.filter(recipient=user, read_at__isnull=True)
    if alert_ids is not None:
        rows = rows.filter(pk__in=list(alert_ids))
    with transaction.atomic():
        count = rows.update(read_at=timezone.now())
        if count:
            record("alerts.read", ("alerts.alert", ""), details={"count": count})
    return count
