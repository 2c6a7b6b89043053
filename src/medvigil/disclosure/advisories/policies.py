"""Who sees and acts on advisories and CVE ids.

Handlers (PSIRT, administrators) see every advisory and CVE id and may
review, approve and publish. Product security engineers author and edit the
advisories of cases about their teams' products (the case's product or a
version confirmed affected), and see those cases' CVE ids; another team's
advisory is invisible to them (404), exactly as a product is. Everyone else
reads advisories only once published as TLP:WHITE, through the public pages
and the CSAF provider directory.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from medvigil.disclosure.advisories.models import Advisory, CveAssignment
from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.cases.policies import is_handler
from medvigil.platform import permissions
from medvigil.platform.roles import Role

AUTHOR_ACTIONS = frozenset({"view", "edit"})


def is_author(user: Any) -> bool:
    return is_handler(user) or permissions.has_role(user, Role.PRODUCT_SECURITY)


def authorable_cases(user: Any, rows: QuerySet[Case]) -> QuerySet[Case]:
    """The cases `user` may write advisories about: all for handlers, else their teams'."""
    if is_handler(user):
        return rows
    if not is_author(user):
        return rows.none()
    teams = permissions.team_ids(user)
    about_teams = Case.objects.filter(
        Q(product__team_id__in=teams) | Q(affected_versions__version__product__team_id__in=teams)
    )
    return rows.filter(pk__in=about_teams.values("pk"))


def advisory_scope(user: Any, rows: QuerySet[Advisory]) -> QuerySet[Advisory]:
    if is_handler(user):
        return rows
    return rows.filter(case__in=authorable_cases(user, Case.objects.all()))


def advisory_allows(user: Any, action: str, target: Advisory) -> bool:
    return is_handler(user) or (action in AUTHOR_ACTIONS and is_author(user))


def cve_scope(user: Any, rows: QuerySet[CveAssignment]) -> QuerySet[CveAssignment]:
    if is_handler(user):
        return rows
    return rows.filter(case__in=authorable_cases(user, Case.objects.all()))


def cve_allows(user: Any, action: str, target: CveAssignment) -> bool:
    return is_handler(user) or (action == "view" and is_author(user))


permissions.register_policy(
    Advisory, permissions.Policy(scope=advisory_scope, allows=advisory_allows)
)
permissions.register_policy(CveAssignment, permissions.Policy(scope=cve_scope, allows=cve_allows))
