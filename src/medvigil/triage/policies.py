"""Who triages: inside users who see the version read; four roles decide.

Product security, risk managers, PSIRT handlers and administrators decide,
score, plan and approve; viewers and regulatory affairs read. Customers,
researchers and suppliers see nothing here: they get the VEX documents
made for them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.platform import permissions
from medvigil.platform.roles import Role
from medvigil.portfolio.models import ProductVersion
from medvigil.triage.models import (
    Assessment,
    Decision,
    DueNotification,
    Environment,
    Proposal,
    RemediationPlan,
)

DECIDING_ROLES = (Role.ADMINISTRATOR, Role.PRODUCT_SECURITY, Role.RISK_MANAGER, Role.PSIRT)
READ_ACTIONS = frozenset({"view", "export"})


def readable_versions(user: Any) -> QuerySet[ProductVersion]:
    if not permissions.is_inside(user):
        return ProductVersion.objects.none()
    return permissions.visible(user, ProductVersion.objects.all())


def may_read(user: Any, version: ProductVersion) -> bool:
    return readable_versions(user).filter(pk=version.pk).exists()


def may_decide(user: Any, version: ProductVersion) -> bool:
    """Decide, score, plan, approve and confirm proposals on this version's findings."""
    return may_read(user, version) and permissions.has_role(user, *DECIDING_ROLES)


def version_scope(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.filter(version__in=readable_versions(user))


def allows(user: Any, action: str, target: Any) -> bool:
    if action in READ_ACTIONS:
        return True
    return permissions.has_role(user, *DECIDING_ROLES)


def notice_scope(user: Any, rows: QuerySet[DueNotification]) -> QuerySet[DueNotification]:
    return rows.filter(plan__version__in=readable_versions(user))


for model in (Decision, Proposal, Assessment, RemediationPlan, Environment):
    permissions.register_policy(
        model, permissions.Policy(scope=version_scope, allows=allows, by_access_profile=True)
    )
permissions.register_policy(DueNotification, permissions.Policy(scope=notice_scope, allows=allows))
