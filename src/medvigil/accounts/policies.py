"""Who sees which people, organisations and teams."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from medvigil.accounts.models import ApiToken, Organisation, Team
from medvigil.platform import permissions


def user_scope(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    if permissions.is_administrator(user):
        return rows
    return rows.filter(pk=user.pk)


def organisation_scope(user: Any, rows: QuerySet[Organisation]) -> QuerySet[Organisation]:
    if permissions.is_administrator(user):
        return rows
    organisation = permissions.organisation_id(user)
    return rows.none() if organisation is None else rows.filter(pk=organisation)


def team_scope(user: Any, rows: QuerySet[Team]) -> QuerySet[Team]:
    if permissions.is_administrator(user):
        return rows
    return rows.filter(pk__in=permissions.team_ids(user))


def token_scope(user: Any, rows: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    return rows.filter(user=user)


def administrators_change(user: Any, action: str, target: Any) -> bool:
    return action == "view" or permissions.is_administrator(user)


def owner_changes(user: Any, action: str, target: Any) -> bool:
    return bool(target.user_id == user.pk)


permissions.register_policy(
    get_user_model(), permissions.Policy(scope=user_scope, allows=administrators_change)
)
permissions.register_policy(
    Organisation, permissions.Policy(scope=organisation_scope, allows=administrators_change)
)
permissions.register_policy(
    Team, permissions.Policy(scope=team_scope, allows=administrators_change)
)
permissions.register_policy(ApiToken, permissions.Policy(scope=token_scope, allows=owner_changes))
