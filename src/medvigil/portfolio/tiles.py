"""Dashboard tiles of the portfolio: counted from the database on every request."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from medvigil.platform import permissions
from medvigil.platform.dashboard import DashboardTile, register_tiles
from medvigil.portfolio import selectors
from medvigil.portfolio.models import Product, ProductVersion

AREA = "Products"


@register_tiles
def portfolio_tiles(viewer: Any) -> list[DashboardTile]:
    products = permissions.visible(viewer, Product.objects.all())
    versions = permissions.visible(viewer, ProductVersion.objects.all())
    products_link = reverse("portfolio:product-list")
    tiles = [
        DashboardTile("products", "Products", products.count(), AREA, products_link),
        DashboardTile(
            "cyber-devices",
            "Cyber devices (524B)",
            products.filter(is_cyber_device=True).count(),
            AREA,
            products_link,
        ),
    ]
    for entry in selectors.phase_counts(versions):
        tiles.append(
            DashboardTile(
                f"versions-{entry.phase}", f"Versions: {entry.label.lower()}", entry.count, AREA
            )
        )
    return tiles
