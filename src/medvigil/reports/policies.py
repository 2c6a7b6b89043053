"""Who sees issued reports: inside users who see the product version; editors issue and sign."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.platform import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.reports.models import IssuedReport


def readable_versions(user: Any) -> QuerySet[ProductVersion]:
    # Reports gather internal design and triage records: inside users only.
    if not permissions.is_inside(user):
        return ProductVersion.objects.none()
    return permissions.visible(user, ProductVersion.objects.all())


def report_scope(user: Any, rows: QuerySet[IssuedReport]) -> QuerySet[IssuedReport]:
    return rows.filter(version__in=readable_versions(user))


def allows(user: Any, action: str, target: IssuedReport) -> bool:
    wanted = "change" if action == "sign" else action
    return permissions.policy_for(ProductVersion).allows(user, wanted, target.version)


permissions.register_policy(IssuedReport, permissions.Policy(scope=report_scope, allows=allows))
