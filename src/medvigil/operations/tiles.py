"""Administration tiles: active users, background tasks waiting and failed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult

from medvigil.platform.dashboard import DashboardTile, register_tiles
from medvigil.platform.permissions import is_administrator


@register_tiles
def administration_tiles(viewer: Any) -> list[DashboardTile]:
    if not is_administrator(viewer):
        return []
    users = get_user_model().objects.filter(is_active=True).count()
    waiting = DBTaskResult.objects.filter(status="READY").count()
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    return [
        DashboardTile("users", "Active users", users, "Administration"),
        DashboardTile("tasks-waiting", "Background tasks waiting", waiting, "Administration"),
        DashboardTile("tasks-failed", "Background tasks failed", failed, "Administration"),
    ]
