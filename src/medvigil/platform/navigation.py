"""The areas of the page shell, as data: each capability registers its own.

An app adds its area with `register_area` when it gets pages, so the menu
never links to something that does not exist. `medvigil.web.navigation`
renders them for the person asking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Area:
    label: str
    url_name: str
    order: int
    administrators_only: bool = False
    inside_only: bool = False  # internal records: customers, researchers, suppliers never see them
    badge: Callable[[Any], int] | None = None  # a count shown beside the label (keep it cheap)
    # Who may open the area, when roles decide it: the menu never shows an area that refuses.
    allowed: Callable[[Any], bool] | None = None


AREAS: list[Area] = [
    Area("Dashboard", "dashboard", 0),
    Area("API", "api:openapi-view", 90),
    Area("Administration", "admin:index", 100, administrators_only=True),
]


def register_area(area: Area) -> None:
    if all(existing.url_name != area.url_name for existing in AREAS):
        AREAS.append(area)
