"""The demo portfolio: realistic content, loaded through the services, idempotent."""

from __future__ import annotations

import pytest

from medvigil.accounts.models import Organisation
from medvigil.audit.models import AuditEvent
from medvigil.audit.services import verify_chain
from medvigil.platform.demo import DEMO_STEPS
from medvigil.portfolio.demo import DEMO_CUSTOMERS, load_portfolio
from medvigil.portfolio.models import Deployment, Product, ProductVersion

pytestmark = pytest.mark.django_db


def test_the_demo_step_is_registered() -> None:
    assert load_portfolio in DEMO_STEPS


def test_the_demo_portfolio_is_realistic_and_loaded_once() -> None:
    report = load_portfolio()
    assert "created product Aurora LVP-300 Infusion Pump" in report
    products = {product.model_number: product for product in Product.objects.all()}
    assert set(products) == {"LVP-300", "AIC-APP", "PM-12", "CVW-8"}
    assert all(
        product.is_cyber_device and product.cyber_device_reason for product in products.values()
    )
    assert all(product.team.name == "Device Security" for product in products.values())
    pump = products["LVP-300"]
    assert (pump.us_class, pump.eu_class) == ("II", "IIb")
    assert (
        pump.clinical_functions.filter(essential_performance=True, emergency_access=True).count()
        == 2
    )
    phases = {
        (version.product.model_number, version.version): version.phase
        for version in ProductVersion.objects.select_related("product")
    }
    assert phases[("LVP-300", "2.4.1")] == "end-of-support"
    assert phases[("LVP-300", "3.0.2")] == "maintenance"
    assert phases[("LVP-300", "3.1.0")] == "deployed"
    assert phases[("LVP-300", "3.2.0")] == "verification"
    assert phases[("PM-12", "5.0.3")] == "decommissioned"
    assert phases[("CVW-8", "9.0")] == "design"
    assert len(set(phases.values())) >= 7
    for product in products.values():
        assert product.versions.count() >= 2
    released = ProductVersion.objects.get(product=pump, version="3.1.0")
    assert [transition.to_phase for transition in released.transitions.all()] == [
        "design",
        "development",
        "verification",
        "production",
        "distribution",
        "deployed",
    ]
    assert released.release_date is not None
    customers = Organisation.objects.filter(name__in=DEMO_CUSTOMERS, kind="customer")
    assert customers.count() == 2
    assert Deployment.objects.filter(organisation__in=customers).count() >= 8
    assert verify_chain().intact

    counts = (Product.objects.count(), ProductVersion.objects.count(), AuditEvent.objects.count())
    assert load_portfolio() == ["demo portfolio already present"]
    after = (Product.objects.count(), ProductVersion.objects.count(), AuditEvent.objects.count())
    assert after == counts
