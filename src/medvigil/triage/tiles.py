"""Dashboard tiles: overdue and soon-due remediation, decisions waiting for approval."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from medvigil.platform import permissions
from medvigil.platform.dashboard import DashboardTile, register_tiles
from medvigil.triage.models import Decision, RemediationPlan
from medvigil.triage.notifications import soon_window
from medvigil.triage.policies import readable_versions

AREA = "Triage"


@register_tiles
def triage_tiles(viewer: Any) -> list[DashboardTile]:
    if not permissions.is_inside(viewer):
        return []
    now = timezone.now()
    versions = readable_versions(viewer)
    open_plans = RemediationPlan.objects.filter(version__in=versions, remediated_at__isnull=True)
    overdue = open_plans.filter(due_at__lte=now).count()
    soon = open_plans.filter(due_at__gt=now, due_at__lte=now + soon_window()).count()
    pending = Decision.objects.filter(
        version__in=versions, requires_approval=True, approved_at__isnull=True
    ).count()
    link = reverse("triage:due")
    return [
        DashboardTile("remediation-overdue", "Remediation overdue", overdue, AREA, link),
        DashboardTile("remediation-soon-due", "Remediation due soon", soon, AREA, link),
        DashboardTile("decisions-pending-approval", "Decisions pending approval", pending, AREA),
    ]
