"""Dashboard tiles of the portfolio: counted from the database on every request."""

from __future__ import annotations

from django.urls import reverse

from medvigil.portfolio import selectors
from medvigil.portfolio.models import Product, ProductVersion
from medvigil.web.dashboard import DashboardTile, register_tiles

AREA = "Products"


@register_tiles
def portfolio_tiles() -> list[DashboardTile]:
    products_link = reverse("portfolio:product-list")
    tiles = [
        DashboardTile("products", "Products", Product.objects.count(), AREA, products_link),
        DashboardTile(
            "cyber-devices",
            "Cyber devices (524B)",
            Product.objects.filter(is_cyber_device=True).count(),
            AREA,
            products_link,
        ),
    ]
    for entry in selectors.phase_counts(ProductVersion.objects.all()):
        tiles.append(
            DashboardTile(
                f"versions-{entry.phase}", f"Versions in {entry.label.lower()}", entry.count, AREA
            )
        )
    return tiles
