"""Who sees which SBOM: exactly those who see its product version.

The version's own policy (medvigil.portfolio.policies) decides, so an SBOM
never leaks beyond its version: inside users of the owning team, and the
customers who deployed that version. A later supplier-intake issue may let a
supplier see the documents it sent (`SbomDocument.supplied_by`); it is not
granted here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.platform import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.sbom.models import Component, SbomDocument


def visible_versions(user: Any) -> QuerySet[ProductVersion]:
    return permissions.visible(user, ProductVersion.objects.all())


def document_scope(user: Any, rows: QuerySet[SbomDocument]) -> QuerySet[SbomDocument]:
    return rows.filter(version__in=visible_versions(user))


def component_scope(user: Any, rows: QuerySet[Component]) -> QuerySet[Component]:
    return rows.filter(document__version__in=visible_versions(user))


def document_allows(user: Any, action: str, target: SbomDocument) -> bool:
    return permissions.policy_for(ProductVersion).allows(user, action, target.version)


def component_allows(user: Any, action: str, target: Component) -> bool:
    return permissions.policy_for(ProductVersion).allows(user, action, target.document.version)


permissions.register_policy(
    SbomDocument, permissions.Policy(scope=document_scope, allows=document_allows)
)
permissions.register_policy(
    Component, permissions.Policy(scope=component_scope, allows=component_allows)
)
