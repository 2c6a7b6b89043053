"""Fetch a triage object the user may see (404 otherwise), and check that they may decide (403).

Versions come through the one version gate, `medvigil.portfolio.selectors.version_for`,
within `policies.readable_versions`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from medvigil.platform import permissions
from medvigil.triage.models import Decision, Proposal
from medvigil.triage.policies import DECIDING_ROLES, readable_versions
from medvigil.vulns.models import Finding


def require_decider(user: Any) -> None:
    if not permissions.has_role(user, *DECIDING_ROLES):
        raise PermissionDenied(
            "Only product security, risk managers, PSIRT handlers and administrators decide."
        )


def finding_for(user: Any, finding_id: int, decide: bool = False) -> Finding:
    rows = Finding.objects.filter(version__in=readable_versions(user)).select_related(
        "vulnerability", "component", "version__product"
    )
    found = permissions.get_visible(user, rows, pk=finding_id)
    if decide:
        require_decider(user)
    return found


def decision_for(user: Any, decision_id: int, decide: bool = False) -> Decision:
    rows = Decision.objects.select_related("version__product", "vulnerability")
    found = permissions.get_visible(user, rows, pk=decision_id)
    if decide:
        require_decider(user)
    return found


def proposal_for(user: Any, proposal_id: int, decide: bool = False) -> Proposal:
    rows = Proposal.objects.select_related("version__product", "vulnerability", "finding")
    found = permissions.get_visible(user, rows, pk=proposal_id)
    if decide:
        require_decider(user)
    return found


def findings_for(user: Any, finding_ids: list[int]) -> list[Finding]:
    """The selected findings, all visible (else 404 naming none); for a bulk decision."""
    require_decider(user)
    rows = Finding.objects.filter(version__in=readable_versions(user), pk__in=set(finding_ids))
    found = list(rows.select_related("vulnerability", "component", "version__product"))
    if len(found) != len(set(finding_ids)):
        raise Http404("Some selected findings do not exist or are not visible to you.")
    return sorted(found, key=lambda finding: finding.pk)


def require_inside(user: Any) -> None:
    if not permissions.is_inside(user):
        raise PermissionDenied("Triage is for the manufacturer's own staff.")
