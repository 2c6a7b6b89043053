"""Reads of the platform: database reachability, pending migrations, dashboard tiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from medvigil.platform.dashboard import DashboardTile, dashboard_tiles
from medvigil.platform.workers import live_workers


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


@dataclass(frozen=True)
class Dashboard:
    tiles: list[DashboardTile]
    live_worker_count: int


def dashboard(viewer: Any) -> Dashboard:
    return Dashboard(tiles=dashboard_tiles(viewer), live_worker_count=len(live_workers()))


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
