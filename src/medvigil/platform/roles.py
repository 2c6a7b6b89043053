"""The roles of medvigil and what kind of user holds each."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    PRODUCT_SECURITY = "product-security", "Product security"
    RISK_MANAGER = "risk-manager", "Risk manager"
    REGULATORY = "regulatory", "Regulatory affairs"
    PSIRT = "psirt", "PSIRT handler"
    VIEWER = "viewer", "Viewer"
    RESEARCHER = "researcher", "Researcher"
    CUSTOMER = "customer", "Customer (healthcare delivery organisation)"
    SUPPLIER = "supplier", "Supplier"


INSIDE_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.PRODUCT_SECURITY,
        Role.RISK_MANAGER,
        Role.REGULATORY,
        Role.PSIRT,
        Role.VIEWER,
    }
)
OUTSIDE_ROLES = frozenset({Role.RESEARCHER, Role.CUSTOMER, Role.SUPPLIER})
# Inside roles that may change records of their teams' products; Viewer only reads.
EDITING_ROLES = INSIDE_ROLES - {Role.VIEWER}
# Outside roles whose users must belong to an organisation of the matching kind.
ORGANISATION_KIND_OF_ROLE = {Role.CUSTOMER: "customer", Role.SUPPLIER: "supplier"}
