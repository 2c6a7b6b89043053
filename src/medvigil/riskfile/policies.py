"""Who sees the risk file: inside users who see its product version; editing roles change it.

The threat model and risk file describe how to attack the device: they are
internal design records. Customers see the documents made for them (SBOM,
VEX, advisories), not the threat model, so only inside users of the owning
team (and administrators) read these records, and editing roles change them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.platform import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.riskfile.models import (
    Control,
    SafetyRiskEntry,
    SecurityRisk,
    Threat,
    ThreatModel,
    VulnerabilityLink,
)


def readable_versions(user: Any) -> QuerySet[ProductVersion]:
    if not permissions.is_inside(user):
        return ProductVersion.objects.none()
    return permissions.visible(user, ProductVersion.objects.all())


def version_scope(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.filter(version__in=readable_versions(user))


def allows(user: Any, action: str, target: Any) -> bool:
    return permissions.policy_for(ProductVersion).allows(user, action, target.version)


for model in (ThreatModel, Threat, SecurityRisk, Control, SafetyRiskEntry, VulnerabilityLink):
    permissions.register_policy(model, permissions.Policy(scope=version_scope, allows=allows))
