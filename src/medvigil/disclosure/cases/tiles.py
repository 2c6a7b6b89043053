"""Disclosure tiles, counted for the viewer: handlers see all cases, researchers their own."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from medvigil.disclosure.cases import selectors
from medvigil.platform import permissions
from medvigil.platform.dashboard import DashboardTile, register_tiles
from medvigil.platform.roles import Role

AREA = "Disclosure"


@register_tiles
def disclosure_tiles(viewer: Any) -> list[DashboardTile]:
    if not (selectors.sees_internal(viewer) or permissions.has_role(viewer, Role.RESEARCHER)):
        return []
    counted = selectors.metrics(viewer)
    link = reverse("disclosure:case-list")
    return [
        DashboardTile("disclosure-open", "Open disclosure cases", counted.open, AREA, link),
        DashboardTile(
            "disclosure-overdue", "Cases with an overdue clock", counted.overdue, AREA, link
        ),
        DashboardTile(
            "disclosure-acknowledge-hours",
            "Median hours to acknowledge",
            counted.median_hours_to_acknowledge,
            AREA,
            link,
        ),
    ]
