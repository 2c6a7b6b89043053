"""A version with a small threat model, its owning engineer, a viewer and outsiders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from medvigil.platform.roles import Role
from medvigil.portfolio import services as portfolio_services
from medvigil.riskfile import services
from tests import factories

MODEL = """
format: medvigil-threat-model/1
name: Test pump
functions:
  - {id: bolus, name: Emergency bolus, emergency_access: true}
  - {id: history, name: History}
boundaries:
  - {id: ward, name: Ward}
elements:
  - {id: pump, name: Pump, kind: process, boundary: ward, functions: [bolus], exposure: [wireless]}
  - {id: log, name: Event log, kind: data_store, boundary: ward, functions: [history],
     data_classes: [logs]}
  - {id: tablet, name: Tablet, kind: external_entity}
flows:
  - {id: orders, name: Orders, source: tablet, destination: pump, protocol: HTTPS,
     data_classes: [therapy_commands]}
  - {id: events, name: Events, source: pump, destination: log, encryption: tls}
"""


@dataclass
class Place:
    version: Any
    other_version: Any
    engineer: Any
    viewer: Any
    other_engineer: Any
    customer: Any
    other_customer: Any


@pytest.fixture
def place(db: None) -> Place:
    team, other_team = factories.team("Pumps"), factories.team("Scanners")
    hospital = factories.organisation("customer", "Hospital")
    clinic = factories.organisation("customer", "Clinic")
    version = factories.version(factories.product(owner=team), label="1.0", phase="deployed")
    other_version = factories.version(factories.product(owner=other_team), label="2.0")
    portfolio_services.set_installed_base(version, user=None, count=10)
    portfolio_services.record_deployment(version, user=None, organisation=hospital, units=2)
    services.import_model(version, MODEL.encode())
    return Place(
        version=version,
        other_version=other_version,
        engineer=factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team]),
        viewer=factories.user(teams=[team]),
        other_engineer=factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[other_team]),
        customer=factories.user(roles=[Role.CUSTOMER.value], organisation=hospital),
        other_customer=factories.user(roles=[Role.CUSTOMER.value], organisation=clinic),
    )
