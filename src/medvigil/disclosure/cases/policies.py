"""Who sees which disclosure case.

Handlers (the PSIRT role, and administrators) see every case and may act on
it. A researcher with an account sees only the cases they reported, without
internal notes. Every other role sees no case. An anonymous reporter reaches
their case only through the secret follow-up link (selectors.case_by_token).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.disclosure.cases.models import Case, FindingLink, Message, MessageKind
from medvigil.disclosure.intake.models import Attachment
from medvigil.platform import permissions
from medvigil.platform.roles import Role

REPORTER_ACTIONS = frozenset({"view", "message"})


def is_handler(user: Any) -> bool:
    return permissions.is_administrator(user) or permissions.has_role(user, Role.PSIRT)


def case_scope(user: Any, rows: QuerySet[Case]) -> QuerySet[Case]:
    if is_handler(user):
        return rows
    if permissions.has_role(user, Role.RESEARCHER):
        return rows.filter(reporter_user_id=user.pk)
    return rows.none()


def case_allows(user: Any, action: str, target: Case) -> bool:
    if is_handler(user):
        return True
    return action in REPORTER_ACTIONS and target.reporter_user_id == user.pk


def message_scope(user: Any, rows: QuerySet[Message]) -> QuerySet[Message]:
    rows = rows.filter(case__in=case_scope(user, Case.objects.all()))
    return rows if is_handler(user) else rows.exclude(kind=MessageKind.INTERNAL)


def attachment_scope(user: Any, rows: QuerySet[Attachment]) -> QuerySet[Attachment]:
    return rows.filter(case__in=case_scope(user, Case.objects.all()))


def read_only(user: Any, action: str, target: Any) -> bool:
    return action == "view" or is_handler(user)


permissions.register_policy(Case, permissions.Policy(scope=case_scope, allows=case_allows))
permissions.register_policy(Message, permissions.Policy(scope=message_scope, allows=read_only))
permissions.register_policy(
    Attachment, permissions.Policy(scope=attachment_scope, allows=read_only)
)


# Finding links (and regulator notifications, notifications.policies) are the handlers'
# alone: the default policy would let only administrators in.
def handler_scope(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows if is_handler(user) else rows.none()


def handler_allows(user: Any, action: str, target: Any) -> bool:
    return is_handler(user)


permissions.register_policy(
    FindingLink, permissions.Policy(scope=handler_scope, allows=handler_allows)
)
