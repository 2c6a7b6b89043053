"""Who sees supplier VEX documents and who imports them; who downloads a version's VEX.

Supplier documents are inside material: the inside users who see the
version read them, editors import them. The version's own VEX is what
customers are given: whoever may see the version (a customer, the versions
its organisation has deployed) may download it, as with the SBOM export.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.platform import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.vex.models import SupplierVex

READ_ACTIONS = frozenset({"view", "export"})


def inside_versions(user: Any) -> QuerySet[ProductVersion]:
    if not permissions.is_inside(user):
        return ProductVersion.objects.none()
    return permissions.visible(user, ProductVersion.objects.all())


def may_import(user: Any, version: ProductVersion) -> bool:
    return inside_versions(user).filter(pk=version.pk).exists() and permissions.can(
        user, "change", version
    )


def document_scope(user: Any, rows: QuerySet[SupplierVex]) -> QuerySet[SupplierVex]:
    return rows.filter(version__in=inside_versions(user))


def document_allows(user: Any, action: str, target: SupplierVex) -> bool:
    if action in READ_ACTIONS:
        return True
    return permissions.can(user, "change", target.version)


permissions.register_policy(
    SupplierVex, permissions.Policy(scope=document_scope, allows=document_allows)
)
