"""What every risk file page shares: the version's context and list input."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from medvigil.platform import permissions


def base_context(request: HttpRequest, version: Any, **extra: Any) -> dict[str, Any]:
    return {
        "version": version,
        "product": version.product,
        "may_change": permissions.can(request.user, "change", version),
        **extra,
    }


def listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]
