"""Who sees which product and version.

Inside users see the products of their teams (administrators: all); a
Viewer only reads. A customer sees the versions its organisation has
deployed, and their products, read-only. Suppliers and researchers see no
product records here (they see what they supplied or reported, elsewhere).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.accounts.models import Team
from medvigil.platform import permissions
from medvigil.platform.roles import Role
from medvigil.portfolio.models import Deployment, Product, ProductVersion

READ_ACTIONS = frozenset({"view", "export"})


def product_scope(user: Any, rows: QuerySet[Product]) -> QuerySet[Product]:
    if permissions.is_administrator(user):
        return rows
    if permissions.is_inside(user):
        return rows.filter(team_id__in=permissions.team_ids(user))
    if permissions.has_role(user, Role.CUSTOMER):
        organisation = permissions.organisation_id(user)
        if organisation is None:  # a customer without an organisation owns nothing
            return rows.none()
        return rows.filter(versions__deployments__organisation_id=organisation).distinct()
    return rows.none()


def version_scope(user: Any, rows: QuerySet[ProductVersion]) -> QuerySet[ProductVersion]:
    if permissions.is_administrator(user):
        return rows
    if permissions.is_inside(user):
        return rows.filter(product__team_id__in=permissions.team_ids(user))
    if permissions.has_role(user, Role.CUSTOMER):
        organisation = permissions.organisation_id(user)
        if organisation is None:  # a customer without an organisation owns nothing
            return rows.none()
        return rows.filter(deployments__organisation_id=organisation).distinct()
    return rows.none()


def allows(user: Any, action: str, target: Any) -> bool:
    if action in READ_ACTIONS:
        return True
    return permissions.is_administrator(user) or (
        permissions.is_inside(user) and permissions.can_edit(user)
    )


def deployment_scope(user: Any, rows: QuerySet[Deployment]) -> QuerySet[Deployment]:
    """Inside users see their teams' deployments; a customer only its own organisation's."""
    if permissions.is_administrator(user):
        return rows
    if permissions.is_inside(user):
        return rows.filter(version__product__team_id__in=permissions.team_ids(user))
    organisation = permissions.organisation_id(user)
    if permissions.has_role(user, Role.CUSTOMER) and organisation is not None:
        return rows.filter(organisation_id=organisation)
    return rows.none()


def may_own_products_of(user: Any, team: Team) -> bool:
    """May create a product for `team` (or move one to it): an editor in that team."""
    if permissions.is_administrator(user):
        return True
    return (
        permissions.is_inside(user)
        and permissions.can_edit(user)
        and team.pk in permissions.team_ids(user)
    )


# Roles, teams and organisation decide: people sharing them may be asked about at once.
BY_PROFILE = {"by_access_profile": True}
permissions.register_policy(
    Product, permissions.Policy(scope=product_scope, allows=allows, **BY_PROFILE)
)
permissions.register_policy(
    ProductVersion, permissions.Policy(scope=version_scope, allows=allows, **BY_PROFILE)
)
permissions.register_policy(Deployment, permissions.Policy(scope=deployment_scope, allows=allows))
