"""Who sees the risk file: exactly those who see its product version; editing roles change it.

Every record follows its version's policy (medvigil.portfolio.policies):
inside users of the owning team (and administrators) read it, editing roles
change it, and a customer that deployed the version reads it too, as the
issue asks. Whether customers should rather get only a published summary is
an open question (docs/riskfile.md); narrowing it is a change to
`readable_versions` alone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.accounts import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.riskfile.models import (
    Control,
    SafetyRiskEntry,
    SecurityRisk,
    Threat,
    ThreatModel,
)


def readable_versions(user: Any) -> QuerySet[ProductVersion]:
    return permissions.visible(user, ProductVersion.objects.all())


def version_scope(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.filter(version__in=readable_versions(user))


def allows(user: Any, action: str, target: Any) -> bool:
    return permissions.policy_for(ProductVersion).allows(user, action, target.version)


for model in (ThreatModel, Threat, SecurityRisk, Control, SafetyRiskEntry):
    permissions.register_policy(model, permissions.Policy(scope=version_scope, allows=allows))
