"""Two versions of one product with the same real SBOM and the demo feed's real advisories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from medvigil.platform.roles import Role
from medvigil.portfolio import services as portfolio_services
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.conftest import REPOSITORY

AIC_SBOM = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"
MINIMIST = "CVE-2021-44906"


@dataclass
class Portfolio:
    team: Any
    development: Any  # version 1.3.0, in development: decisions need no approval
    released: Any  # version 1.2.0, deployed: decisions need a signature
    engineer: Any
    approver: Any
    viewer: Any

    def finding(self, version: Any, vulnerability: str = MINIMIST) -> Finding:
        return Finding.objects.select_related("component", "vulnerability", "version").get(
            version=version, vulnerability__canonical_id=vulnerability, state="open"
        )


@pytest.fixture
def portfolio() -> Portfolio:
    factories.feed_import(factories.demo_feed_folder())
    team = factories.team()
    product = factories.product(owner=team)
    released = factories.version(product, label="1.2.0", phase="deployed")
    portfolio_services.set_installed_base(released, user=None, count=40)
    development = factories.version(product, label="1.3.0", phase="development")
    for version in (released, development):
        matching.match_document(factories.sbom_document(version, AIC_SBOM, role="application"))
    return Portfolio(
        team=team,
        development=development,
        released=released,
        engineer=factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team]),
        approver=factories.user(roles=[Role.RISK_MANAGER.value], teams=[team]),
        viewer=factories.user(roles=[Role.VIEWER.value], teams=[team]),
    )
