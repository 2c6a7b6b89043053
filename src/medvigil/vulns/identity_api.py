"""Component identities in the API (/api/v1/vulns/identities): it only translates HTTP.

Inside users read the CPE proposals (for components of versions they see),
the confirmations and the product mappings. Inside users who edit records
confirm a CPE or map a CSAF product for a component of a version they may
change, and withdraw either; every write re-matches the identity's components.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from medvigil.platform import permissions
from medvigil.platform.refusals import Kind, Refusal
from medvigil.sbom.models import Component
from medvigil.vulns import identities, identity_selectors
from medvigil.vulns.models import CpeConfirmation, ProductMapping
from medvigil.vulns.policies import may_trigger_matching

router = Router(tags=["component identities"])


class CpeConfirmationIn(Schema):
    vendor: str = Field(description="CPE vendor, e.g. openssl")
    product: str = Field(description="CPE product, e.g. openssl")
    note: str = Field(description="Why this is the product (checked how)")
    part: str = Field("a", description="CPE part: a, o or h")


class ProductMappingIn(Schema):
    kind: str = Field(description="name, model, cpe or purl")
    value: str = Field(description="The product name, model number, CPE or purl as published")
    vendor: str = Field("", description="The advisory's vendor (for a name or model number)")
    note: str = Field(description="Why the advisory's product is this component")


class WithdrawIn(Schema):
    reason: str = Field(description="Why; it becomes the close reason of the findings")


class CpeConfirmationOut(Schema):
    id: int
    identity: str
    supplier: str
    cpe: str
    note: str
    confirmed_by: str
    confirmed_at: datetime.datetime
    withdrawn_at: datetime.datetime | None = None
    withdraw_reason: str = ""


class ProductMappingOut(Schema):
    id: int
    kind: str
    vendor: str
    value: str
    identity: str
    supplier: str
    note: str
    created_by: str
    created_at: datetime.datetime
    withdrawn_at: datetime.datetime | None = None
    withdraw_reason: str = ""


class CpeProposalOut(Schema):
    component_id: int
    identity: str
    supplier: str
    components: int = Field(description="Components with this identity in versions you see")
    proposed_cpe: str
    advisories: int = Field(description="Advisories that name the proposed CPE product")
    alternatives: list[str]


class IdentitiesOut(Schema):
    proposals: list[CpeProposalOut] = Field(description="One page of proposals, by identity")
    next_after: str = Field(
        description="Pass as `after` for the next page of proposals; empty on the last page"
    )
    confirmations: list[CpeConfirmationOut]
    mappings: list[ProductMappingOut]


def _name(user: Any) -> str:
    return user.get_username() if user is not None else "demo"


def confirmation_out(row: CpeConfirmation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "identity": row.identity,
        "supplier": row.supplier,
        "cpe": row.cpe,
        "note": row.note,
        "confirmed_by": _name(row.confirmed_by),
        "confirmed_at": row.confirmed_at,
        "withdrawn_at": row.withdrawn_at,
        "withdraw_reason": row.withdraw_reason,
    }


def mapping_out(row: ProductMapping) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "vendor": row.vendor,
        "value": row.value,
        "identity": row.identity,
        "supplier": row.supplier,
        "note": row.note,
        "created_by": _name(row.created_by),
        "created_at": row.created_at,
        "withdrawn_at": row.withdrawn_at,
        "withdraw_reason": row.withdraw_reason,
    }


def require_inside(user: Any) -> None:
    if not permissions.is_inside(user):
        raise Refusal("Component identities are for inside users.", Kind.FORBIDDEN)


def require_editor(user: Any) -> None:
    if not may_trigger_matching(user):
        raise Refusal("Only inside users who edit records change identities.", Kind.FORBIDDEN)


def changeable_component(user: Any, component_id: int) -> Component:
    component = permissions.get_visible(
        user, Component.objects.select_related("document__version"), pk=component_id
    )
    permissions.require(user, "change", component.document.version)
    require_editor(user)
    return component


@router.get("", response=IdentitiesOut, summary="CPE proposals, confirmations, product mappings")
def listing(request: HttpRequest, after: str = "") -> dict[str, Any]:
    require_inside(request.user)
    page, following = identity_selectors.proposal_page(
        identity_selectors.unplaced_components(request.user), after[:2000]
    )
    return {
        "next_after": following,
        "proposals": [
            {
                "component_id": item.component.pk,
                "identity": item.identity,
                "supplier": item.supplier,
                "components": item.count,
                "proposed_cpe": f"cpe:2.3:a:{item.vendor}:{item.product}:*:*:*:*:*:*:*:*",
                "advisories": item.advisories,
                "alternatives": [f"{vendor}:{product}" for vendor, product, _ in item.alternatives],
            }
            for item in page
        ],
        "confirmations": [confirmation_out(row) for row in identity_selectors.confirmations()],
        "mappings": [mapping_out(row) for row in identity_selectors.mappings()],
    }


@router.post(
    "/components/{component_id}/cpe",
    response=CpeConfirmationOut,
    summary="Confirm the CPE product of a component's identity (every version, every product)",
)
def confirm(request: HttpRequest, component_id: int, body: CpeConfirmationIn) -> dict[str, Any]:
    component = changeable_component(request.user, component_id)
    row = identities.confirm_cpe(
        component, request.user, body.vendor, body.product, body.note, body.part
    )
    return confirmation_out(row)


@router.post(
    "/confirmations/{confirmation_id}/withdraw",
    response=CpeConfirmationOut,
    summary="Withdraw a CPE confirmation; the findings it produced close with the reason",
)
def withdraw_confirmation(
    request: HttpRequest, confirmation_id: int, body: WithdrawIn
) -> dict[str, Any]:
    require_inside(request.user)
    require_editor(request.user)
    row = CpeConfirmation.objects.filter(pk=confirmation_id).first()
    if row is None:
        raise Refusal("No such confirmation.", Kind.MISSING)
    return confirmation_out(identities.withdraw_confirmation(row, request.user, body.reason))


@router.post(
    "/components/{component_id}/product-mappings",
    response=ProductMappingOut,
    summary="Map a CSAF product name, model number, CPE or purl to a component's identity",
)
def map_product(request: HttpRequest, component_id: int, body: ProductMappingIn) -> dict[str, Any]:
    component = changeable_component(request.user, component_id)
    row = identities.map_product(
        component, request.user, body.kind, body.value, body.vendor, body.note
    )
    return mapping_out(row)


@router.post(
    "/product-mappings/{mapping_id}/withdraw",
    response=ProductMappingOut,
    summary="Withdraw a product mapping; the candidates it produced close with the reason",
)
def withdraw_mapping(request: HttpRequest, mapping_id: int, body: WithdrawIn) -> dict[str, Any]:
    require_inside(request.user)
    require_editor(request.user)
    row = ProductMapping.objects.filter(pk=mapping_id).first()
    if row is None:
        raise Refusal("No such product mapping.", Kind.MISSING)
    return mapping_out(identities.withdraw_mapping(row, request.user, body.reason))
