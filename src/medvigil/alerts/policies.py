"""Who sees which subscription, webhook and alert.

A person's subscriptions and webhooks are theirs alone; a team's are read by
its members and managed by administrators. An inbox alert is its
recipient's alone. Deliveries have no policy: administrators only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from medvigil.alerts.models import Alert, Subscription, Webhook
from medvigil.platform import permissions


def owned_scope(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    if permissions.is_administrator(user):
        return rows.filter(Q(owner=user) | Q(team__isnull=False))
    return rows.filter(Q(owner=user) | Q(team_id__in=permissions.team_ids(user)))


def owned_allows(user: Any, action: str, target: Any) -> bool:
    if action == "view":
        return True
    if target.team_id is not None:
        return permissions.is_administrator(user)
    return bool(target.owner_id == user.pk)


def alert_scope(user: Any, rows: QuerySet[Alert]) -> QuerySet[Alert]:
    return rows.filter(recipient=user)


def alert_allows(user: Any, action: str, target: Alert) -> bool:
    return bool(target.recipient_id == user.pk)


OWNED = permissions.Policy(scope=owned_scope, allows=owned_allows)
permissions.register_policy(Subscription, OWNED)
permissions.register_policy(Webhook, OWNED)
permissions.register_policy(Alert, permissions.Policy(scope=alert_scope, allows=alert_allows))
