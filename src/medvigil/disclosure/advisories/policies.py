"""Who sees and acts on advisories and CVE ids.

Handlers (PSIRT, administrators) see every advisory and CVE id and may
review, approve and publish. Product security engineers may author and edit
advisories. Everyone else reads advisories only once published as TLP:WHITE,
through the public pages and the CSAF provider directory.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.disclosure.advisories.models import Advisory, CveAssignment
from medvigil.disclosure.cases.policies import is_handler
from medvigil.platform import permissions
from medvigil.platform.roles import Role

AUTHOR_ACTIONS = frozenset({"view", "edit"})


def is_author(user: Any) -> bool:
    return is_handler(user) or permissions.has_role(user, Role.PRODUCT_SECURITY)


def advisory_scope(user: Any, rows: QuerySet[Advisory]) -> QuerySet[Advisory]:
    return rows if is_author(user) else rows.none()


def advisory_allows(user: Any, action: str, target: Advisory) -> bool:
    return is_handler(user) or (action in AUTHOR_ACTIONS and is_author(user))


def cve_scope(user: Any, rows: QuerySet[CveAssignment]) -> QuerySet[CveAssignment]:
    return rows if is_author(user) else rows.none()


def cve_allows(user: Any, action: str, target: CveAssignment) -> bool:
    return is_handler(user) or (action == "view" and is_author(user))


permissions.register_policy(
    Advisory, permissions.Policy(scope=advisory_scope, allows=advisory_allows)
)
permissions.register_policy(CveAssignment, permissions.Policy(scope=cve_scope, allows=cve_allows))
