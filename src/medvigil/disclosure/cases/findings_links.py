"""Links from a case to findings (a vulnerability in a component of a product version).

Suggested findings are the open findings on the case's confirmed affected
versions; when the case names CVE ids (in the report, or as its recorded CVE
id), only findings whose vulnerability is known by one of them (any alias of
its alias group) are suggested. A person links each; only findings the
handler may see are offered or accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.disclosure.cases import selectors
from medvigil.disclosure.cases.models import Case, FindingLink
from medvigil.platform import permissions
from medvigil.vulns.models import Finding

CVE_ID = re.compile(r"\bCVE-\d{4}-\d{4,}\b", re.IGNORECASE)


def case_cve_ids(case: Case) -> list[str]:
    """CVE ids the case names: those recorded on it and those in the report's text."""
    report = selectors.report(case)
    text = " ".join((report.title, report.description, report.steps, report.impact))
    found = {match.upper() for match in CVE_ID.findall(text)}
    # CVE ids recorded on the case (the advisory workflow's assignments), when that
    # relation exists.
    assignments = getattr(case, "cve_assignments", None)
    if assignments is not None:
        found.update(str(cve).upper() for cve in assignments.values_list("cve_id", flat=True))
    return sorted(found)


@dataclass(frozen=True)
class FindingSuggestion:
    finding_id: int
    vulnerability: str
    aliases: list[str]
    version: str
    component: str
    state: str
    matched_cve: list[str]
    linked: bool


def visible_findings(user: Any) -> Any:
    return permissions.visible(
        user,
        Finding.objects.select_related("vulnerability", "component", "version", "version__product"),
    )


def suggest(user: Any, case: Case) -> list[FindingSuggestion]:
    cve_ids = set(case_cve_ids(case))
    versions = case.affected_versions.values_list("version_id", flat=True)
    rows = visible_findings(user).filter(version_id__in=versions, state=Finding.State.OPEN)
    if cve_ids:
        rows = rows.filter(vulnerability__aliases__identifier__in=cve_ids).distinct()
    linked = set(case.finding_links.values_list("finding_id", flat=True))
    suggestions = []
    for finding in rows.order_by("version_id", "vulnerability__canonical_id", "id")[:200]:
        members = [str(member) for member in finding.vulnerability.members]
        suggestions.append(
            FindingSuggestion(
                finding_id=finding.pk,
                vulnerability=finding.vulnerability.canonical_id,
                aliases=members,
                version=str(finding.version),
                component=finding.component_label,
                state=finding.state,
                matched_cve=sorted(cve_ids & {member.upper() for member in members}),
                linked=finding.pk in linked,
            )
        )
    return suggestions


@transaction.atomic
def link(case: Case, *, user: Any, finding: Finding, reason: str = "") -> FindingLink:
    created_link, created = FindingLink.objects.get_or_create(
        case=case,
        finding=finding,
        defaults={
            "reason": reason.strip()[:300],
            "linked_by": user if getattr(user, "pk", None) else None,
            "linked_at": timezone.now(),
        },
    )
    if created:
        record(
            "disclosure-finding-linked",
            case,
            details={
                "finding_id": finding.pk,
                "vulnerability": finding.vulnerability.canonical_id,
                "version_id": finding.version_id,
            },
        )
    return created_link


def linked_findings(case: Case) -> list[FindingLink]:
    return list(
        case.finding_links.select_related(
            "finding__vulnerability", "finding__component", "finding__version__product"
        )
    )
