"""Dashboard tiles: each capability registers a function that counts from the database.

A tile never shows an invented number: its value is a query, zero when the
table is empty. A provider receives the viewer and counts only what that
viewer may see (through the permission service), so a tile never leaks the
size of someone else's portfolio.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DashboardTile:
    key: str
    label: str
    value: int
    area: str
    link: str = ""


TileProvider = Callable[[Any], list[DashboardTile]]
PROVIDERS: list[TileProvider] = []


def register_tiles(provider: TileProvider) -> TileProvider:
    PROVIDERS.append(provider)
    return provider


def dashboard_tiles(viewer: Any) -> list[DashboardTile]:
    tiles: list[DashboardTile] = []
    for provider in PROVIDERS:
        tiles.extend(provider(viewer))
    return tiles
