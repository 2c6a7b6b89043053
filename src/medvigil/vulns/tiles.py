"""Dashboard tiles: open findings and KEV-listed open findings the viewer may see (tallies)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from medvigil.platform import permissions
from medvigil.platform.dashboard import DashboardTile, register_tiles
from medvigil.vulns import selectors, tallies
from medvigil.vulns.policies import reads_reference_data

AREA = "Vulnerabilities"


@register_tiles
def vulnerability_tiles(viewer: Any) -> list[DashboardTile]:
    if not reads_reference_data(viewer):
        return []
    counts = tallies.finding_counts(viewer)
    link = reverse("vulns:search")
    tiles = [
        DashboardTile("open-findings", "Open findings", counts["open"], AREA, link),
        DashboardTile("kev-findings", "Open findings listed in KEV", counts["kev"], AREA, link),
    ]
    if permissions.is_inside(viewer):
        stale = sum(1 for status in selectors.feed_status() if status.stale)
        tiles.append(
            DashboardTile(
                "stale-feeds", "Stale vulnerability feeds", stale, AREA, reverse("vulns:feeds")
            )
        )
    return tiles
