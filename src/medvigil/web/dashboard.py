"""Dashboard tiles: each capability registers a function that counts from the database.

A tile never shows an invented number: its value is a query, zero when the
table is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult


@dataclass(frozen=True)
class DashboardTile:
    key: str
    label: str
    value: int
    area: str
    link: str = ""


TileProvider = Callable[[], list[DashboardTile]]
PROVIDERS: list[TileProvider] = []


def register_tiles(provider: TileProvider) -> TileProvider:
    PROVIDERS.append(provider)
    return provider


def dashboard_tiles() -> list[DashboardTile]:
    tiles: list[DashboardTile] = []
    for provider in PROVIDERS:
        tiles.extend(provider())
    return tiles


@register_tiles
def platform_tiles() -> list[DashboardTile]:
    users = get_user_model().objects.filter(is_active=True).count()
    waiting = DBTaskResult.objects.filter(status="READY").count()
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    return [
        DashboardTile("users", "Active users", users, "Administration"),
        DashboardTile("tasks-waiting", "Background tasks waiting", waiting, "Administration"),
        DashboardTile("tasks-failed", "Background tasks failed", failed, "Administration"),
    ]
