"""Program metrics over the cases a handler may see, and their dashboard tiles.

The figures come from `medvigil.core.disclosure_metrics` (pure); this module
only gathers each case's moments and overdue flag (`selectors.is_overdue`,
the service-level clocks of `medvigil.core.deadlines`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from medvigil.core.disclosure_metrics import CaseMoments, ProgramMetrics, summarise
from medvigil.disclosure.cases import selectors, workflow
from medvigil.disclosure.notifications.models import Notification
from medvigil.platform.dashboard import DashboardTile, register_tiles

AREA = "Disclosure"
LABELS = {
    "acknowledge": "Time to acknowledge",
    "triage": "Time to triage",
    "fix": "Time to fix (remediation to fix available)",
    "disclose": "Time to disclose",
}


@dataclass(frozen=True)
class Figures:
    program: ProgramMetrics
    notifications_overdue: int
    measured_at: datetime.datetime


MOMENT_FIELDS = (
    "received_at",
    "acknowledged_at",
    "triaged_at",
    "remediation_at",
    "fix__available_at",
    "disclosed_at",
    "state",
)


def moments(user: Any, now: datetime.datetime, *, overdue: bool = True) -> list[CaseMoments]:
    """Each visible case's moments; `overdue=False` skips the clocks (the costly part)."""
    if not overdue:
        return [
            CaseMoments(
                received,
                acknowledged,
                triaged,
                remediation,
                fixed,
                disclosed,
                open=state in workflow.OPEN_STATES,
            )
            for received, acknowledged, triaged, remediation, fixed, disclosed, state in (
                selectors.cases(user).values_list(*MOMENT_FIELDS)
            )
        ]
    rows = selectors.cases(user).select_related("fix")
    listed = []
    for case in rows:
        fix = getattr(case, "fix", None)
        is_open = case.state in workflow.OPEN_STATES
        listed.append(
            CaseMoments(
                received_at=case.received_at,
                acknowledged_at=case.acknowledged_at,
                triaged_at=case.triaged_at,
                remediation_at=case.remediation_at,
                fixed_at=fix.available_at if fix is not None else None,
                disclosed_at=case.disclosed_at,
                open=is_open,
                overdue=is_open and selectors.is_overdue(case, now),
            )
        )
    return listed


def figures(user: Any, now: datetime.datetime | None = None, *, overdue: bool = True) -> Figures:
    moment = now or timezone.now()
    pending = Notification.objects.filter(
        case__in=selectors.cases(user), sent_at__isnull=True, due_at__lt=moment
    )
    return Figures(summarise(moments(user, moment, overdue=overdue)), pending.count(), moment)


def hours_text(hours: float | None) -> str:
    if hours is None:
        return "—"
    return f"{hours / 24:.1f} d" if hours >= 48 else f"{hours:.1f} h"


def rows(counted: Figures) -> list[dict[str, Any]]:
    return [
        {
            "key": item.key,
            "label": LABELS[item.key],
            "count": item.count,
            "median": hours_text(item.median_hours),
            "longest": hours_text(item.longest_hours),
        }
        for item in counted.program.durations
    ]


def whole_hours(hours: float | None) -> int:
    return round(hours) if hours is not None else 0


@register_tiles
def metric_tiles(viewer: Any) -> list[DashboardTile]:
    """Handlers only: the timings of the program and overdue regulator notifications."""
    if not selectors.sees_internal(viewer):
        return []
    # The overdue-case count already has its own tile; these need no clock evaluation.
    counted = figures(viewer, overdue=False)
    link = reverse("disclosure:metrics")
    program = counted.program
    return [
        DashboardTile(
            "disclosure-triage-hours",
            "Median hours to triage",
            whole_hours(program.duration("triage").median_hours),
            AREA,
            link,
        ),
        DashboardTile(
            "disclosure-fix-days",
            "Median days to fix",
            round((program.duration("fix").median_hours or 0) / 24),
            AREA,
            link,
        ),
        DashboardTile(
            "disclosure-disclose-days",
            "Median days to disclose",
            round((program.duration("disclose").median_hours or 0) / 24),
            AREA,
            link,
        ),
        DashboardTile(
            "disclosure-notifications-overdue",
            "Regulator notifications overdue",
            counted.notifications_overdue,
            AREA,
            link,
        ),
    ]
