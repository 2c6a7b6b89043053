"""The navigation of the page shell: capability areas that have pages.

An app adds its area with `register_area` when it gets pages, so the menu
never links to something that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from medvigil.accounts.permissions import is_administrator, is_inside


@dataclass(frozen=True)
class Area:
    label: str
    url_name: str
    order: int
    administrators_only: bool = False
    inside_only: bool = False  # internal records: customers, researchers, suppliers never see them


AREAS: list[Area] = [
    Area("Dashboard", "dashboard", 0),
    Area("API", "api:openapi-view", 90),
    Area("Administration", "admin:index", 100, administrators_only=True),
]


def register_area(area: Area) -> None:
    if all(existing.url_name != area.url_name for existing in AREAS):
        AREAS.append(area)


def navigation_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    from medvigil.accounts.mfa import needs_second_factor, session_is_verified

    if needs_second_factor(user) and not session_is_verified(user):
        return {"navigation": []}  # nothing to navigate to before the second step
    entries = []
    for area in sorted(AREAS, key=lambda item: item.order):
        if area.administrators_only and not is_administrator(user):
            continue
        if area.inside_only and not is_inside(user):
            continue
        try:
            url = reverse(area.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": area.label, "url": url, "current": request.path == url})
    return {"navigation": entries}
