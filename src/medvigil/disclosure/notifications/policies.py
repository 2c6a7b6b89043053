"""Regulator notifications are the handlers' alone (the default policy would let only
administrators in)."""

from medvigil.disclosure.cases.policies import handler_allows, handler_scope
from medvigil.disclosure.notifications.models import Notification
from medvigil.platform import permissions

permissions.register_policy(
    Notification, permissions.Policy(scope=handler_scope, allows=handler_allows)
)
