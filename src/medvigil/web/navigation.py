"""The navigation menu of the page shell, drawn for the person asking."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from medvigil.accounts.mfa import needs_second_factor, session_is_verified
from medvigil.platform.navigation import AREAS
from medvigil.platform.permissions import is_administrator, is_inside


def navigation_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    if needs_second_factor(user) and not session_is_verified(user):
        return {"navigation": []}  # nothing to navigate to before the second step
    entries = []
    for area in sorted(AREAS, key=lambda item: item.order):
        if area.administrators_only and not is_administrator(user):
            continue
        if area.inside_only and not is_inside(user):
            continue
        if area.allowed is not None and not area.allowed(user):
            continue
        try:
            url = reverse(area.url_name)
        except NoReverseMatch:
            continue
        badge = area.badge(user) if area.badge else 0
        entries.append(
            {"label": area.label, "url": url, "current": request.path == url, "badge": badge}
        )
    return {"navigation": entries}
