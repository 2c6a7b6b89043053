"""Other parties reach their own party record only, while it is not revoked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.disclosure.cases.policies import is_handler
from medvigil.disclosure.parties.models import CaseParty
from medvigil.platform import permissions

PARTY_ACTIONS = frozenset({"view", "message"})


def party_scope(user: Any, rows: QuerySet[CaseParty]) -> QuerySet[CaseParty]:
    if is_handler(user):
        return rows
    return rows.filter(user_id=user.pk, revoked_at__isnull=True)


def party_allows(user: Any, action: str, target: CaseParty) -> bool:
    return is_handler(user) or (action in PARTY_ACTIONS and target.user_id == user.pk)


permissions.register_policy(CaseParty, permissions.Policy(scope=party_scope, allows=party_allows))
