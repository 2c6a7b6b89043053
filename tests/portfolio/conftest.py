"""A small portfolio seen by users of every kind that matters to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from medvigil.platform.roles import Role
from medvigil.portfolio import services
from tests import factories


@dataclass
class World:
    owning_team: Any
    other_team: Any
    hospital: Any
    clinic: Any
    supplier: Any
    pump: Any  # product of the owning team
    pump_deployed: Any  # version deployed at the hospital (10 of 100 units)
    pump_design: Any  # version not released
    scanner: Any  # product of the other team
    scanner_deployed: Any  # version of the other team, deployed at the clinic
    engineer: Any  # product security, owning team
    other_engineer: Any  # product security, other team
    viewer: Any  # viewer, owning team
    customer: Any  # customer at the hospital
    other_customer: Any  # customer at the clinic
    administrator: Any


@pytest.fixture
def world(db: None) -> World:
    owning_team = factories.team("Infusion")
    other_team = factories.team("Imaging")
    hospital = factories.organisation("customer", "St. Example General Hospital")
    clinic = factories.organisation("customer", "Northside Clinic")
    supplier = factories.organisation("supplier", "Embedded Components Ltd.")
    pump = factories.product(
        owner=owning_team,
        name="Infusion pump",
        model_number="LVP-1",
        is_cyber_device=True,
        cyber_device_reason="Wi-Fi to the drug library server",
    )
    pump_deployed = factories.version(pump, label="3.1.0", phase="deployed")
    services.set_installed_base(pump_deployed, user=None, count=100)
    services.record_deployment(pump_deployed, user=None, organisation=hospital, units=10)
    pump_design = factories.version(pump, label="4.0.0", phase="design")
    scanner = factories.product(owner=other_team, name="Scanner", model_number="CT-9")
    scanner_deployed = factories.version(scanner, label="9.1", phase="deployed")
    services.set_installed_base(scanner_deployed, user=None, count=5)
    services.record_deployment(scanner_deployed, user=None, organisation=clinic, units=2)
    security = [Role.PRODUCT_SECURITY.value]
    return World(
        owning_team=owning_team,
        other_team=other_team,
        hospital=hospital,
        clinic=clinic,
        supplier=supplier,
        pump=pump,
        pump_deployed=pump_deployed,
        pump_design=pump_design,
        scanner=scanner,
        scanner_deployed=scanner_deployed,
        engineer=factories.user(username="engineer", roles=security, teams=[owning_team]),
        other_engineer=factories.user(username="other", roles=security, teams=[other_team]),
        viewer=factories.user(username="viewer", teams=[owning_team]),
        customer=factories.user(
            username="customer", roles=[Role.CUSTOMER.value], organisation=hospital
        ),
        other_customer=factories.user(
            username="clinic", roles=[Role.CUSTOMER.value], organisation=clinic
        ),
        administrator=factories.user(username="root", administrator=True),
    )
