"""Reads of the portfolio. Every list and detail passes through `permissions.visible`.

An object the user may not see answers Http404, exactly like a missing one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from medvigil.accounts.models import Organisation, Team
from medvigil.platform import permissions
from medvigil.portfolio import lifecycle
from medvigil.portfolio.models import (
    Deployment,
    LifecyclePhase,
    PhaseTransition,
    Product,
    ProductVersion,
)


def products(
    user: Any, *, search: str = "", team_id: int | None = None, cyber_device: bool | None = None
) -> QuerySet[Product]:
    rows = Product.objects.select_related("team")
    if search:
        rows = rows.filter(
            Q(name__icontains=search)
            | Q(model_number__icontains=search)
            | Q(udi_di__icontains=search)
        )
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    if cyber_device is not None:
        rows = rows.filter(is_cyber_device=cyber_device)
    return permissions.visible(user, rows)


def product(user: Any, product_id: int) -> Product:
    return permissions.get_visible(
        user,
        Product.objects.select_related("team").prefetch_related("clinical_functions"),
        pk=product_id,
    )


def versions(
    user: Any, *, product_id: int | None = None, phase: str | None = None
) -> QuerySet[ProductVersion]:
    rows = ProductVersion.objects.select_related("product", "product__team")
    if product_id is not None:
        rows = rows.filter(product_id=product_id)
    if phase:
        rows = rows.filter(phase=phase)
    return permissions.visible(user, rows)


def transitions(user: Any, version_id: int) -> QuerySet[PhaseTransition]:
    """The timeline of a visible version, oldest first."""
    return (
        version_for(user, version_id)
        .transitions.select_related("recorded_by")
        .order_by("effective_date", "recorded_at", "id")
    )


def deployments(user: Any, *, version_id: int | None = None) -> QuerySet[Deployment]:
    """Deployments the user may see: a customer sees only its own organisation's."""
    rows = Deployment.objects.select_related("organisation", "version", "version__product")
    if version_id is not None:
        rows = rows.filter(version_id=version_for(user, version_id).pk)
    return permissions.visible(user, rows)


def customer_organisations() -> QuerySet[Organisation]:
    """Organisations a deployment can name (an inside editor picks among them)."""
    return Organisation.objects.filter(kind=Organisation.Kind.CUSTOMER).order_by("name")


def organisation(organisation_id: int) -> Organisation:
    """An organisation named by a deployment (the service checks that it is a customer)."""
    found = Organisation.objects.filter(pk=organisation_id).first()
    if found is None:
        raise Http404("No such organisation.")
    return found


def teams_for_new_products(user: Any) -> QuerySet[Team]:
    """Teams the user may give a product to: all for administrators, else their own."""
    if permissions.is_administrator(user):
        return Team.objects.order_by("name")
    if not (permissions.is_inside(user) and permissions.can_edit(user)):
        return Team.objects.none()
    return Team.objects.filter(pk__in=permissions.team_ids(user)).order_by("name")


def sees_internal_details(user: Any) -> bool:
    """Installed base, notes and who recorded what are for inside users only."""
    return permissions.is_inside(user)


def may_change(user: Any, target: Product | ProductVersion) -> bool:
    return permissions.can(user, "change", target)


@dataclass(frozen=True)
class PhaseCount:
    phase: str
    label: str
    count: int


def phase_counts(rows: QuerySet[ProductVersion]) -> list[PhaseCount]:
    """How many versions are in each phase, in lifecycle order (zeros included)."""
    counted = Counter(
        dict(
            rows.order_by()
            .values_list("phase")
            .annotate(total=Count("id"))
            .values_list("phase", "total")
        )
    )
    return [
        PhaseCount(phase, lifecycle.label(phase), counted.get(phase, 0))
        for phase in LifecyclePhase.values
    ]


def version_for(
    user: Any,
    version_id: int,
    action: str = "view",
    *,
    within: QuerySet[ProductVersion] | None = None,
) -> ProductVersion:
    """The one gate to a product version, used by every app's pages and API.

    Http404 when the user may not see the version (or it is not in `within`,
    an app's narrower set such as the versions open to inside users), exactly
    as for a missing id; PermissionDenied when they may see it but not do
    `action` ("change", "upload", ...).
    """
    rows = ProductVersion.objects.all() if within is None else within
    version = permissions.get_visible(user, rows.select_related("product__team"), pk=version_id)
    if action != "view" and not permissions.policy_for(ProductVersion).allows(
        user, action, version
    ):
        raise PermissionDenied(f"You may not {action} this product version.")
    return version
