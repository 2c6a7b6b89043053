"""Who sees vulnerability intelligence and findings.

Advisories, vulnerabilities, KEV entries and EPSS scores are public
reference data: every inside user and every customer reads them (suppliers
and researchers do not use these pages). A finding is visible exactly when
its product version is (the portfolio's version policy decides), so a
customer sees the findings of the versions it has deployed. Imports and
re-matches are for inside editing roles; feed sources are administered by
administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.platform import permissions
from medvigil.platform.roles import Role
from medvigil.portfolio.models import ProductVersion
from medvigil.vulns.models import (
    Advisory,
    EpssScore,
    FeedImport,
    FeedSource,
    Finding,
    KevEntry,
    Vulnerability,
)

READ_ACTIONS = frozenset({"view", "export"})


def reads_reference_data(user: Any) -> bool:
    return permissions.is_inside(user) or permissions.has_role(user, Role.CUSTOMER)


def may_trigger_matching(user: Any) -> bool:
    """Import a feed file or start a re-match: inside users who edit records."""
    return permissions.is_administrator(user) or (
        permissions.is_inside(user) and permissions.can_edit(user)
    )


def may_administer_feeds(user: Any) -> bool:
    return permissions.is_administrator(user)


def reference_scope(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows if reads_reference_data(user) else rows.none()


def reference_allows(user: Any, action: str, target: Any) -> bool:
    return action in READ_ACTIONS or permissions.is_administrator(user)


def feed_scope(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    """Feed status is read by inside users; only administrators change sources."""
    return rows if permissions.is_inside(user) else rows.none()


def finding_scope(user: Any, rows: QuerySet[Finding]) -> QuerySet[Finding]:
    return rows.filter(version__in=permissions.visible(user, ProductVersion.objects.all()))


def finding_allows(user: Any, action: str, target: Finding) -> bool:
    return permissions.policy_for(ProductVersion).allows(user, action, target.version)


REFERENCE = permissions.Policy(scope=reference_scope, allows=reference_allows)
for model in (Advisory, Vulnerability, KevEntry, EpssScore):
    permissions.register_policy(model, REFERENCE)
FEEDS = permissions.Policy(scope=feed_scope, allows=reference_allows)
for feed_model in (FeedSource, FeedImport):
    permissions.register_policy(feed_model, FEEDS)
permissions.register_policy(
    Finding,
    permissions.Policy(scope=finding_scope, allows=finding_allows, by_access_profile=True),
)
