"""The portfolio API at /api/v1/portfolio: it only translates HTTP.

Reads go through selectors (invisible objects answer 404, versions through the one
gate `version_for`), writes through services after the "change" check (visible but not
allowed answers 403). Rule violations come out as problem details.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from medvigil.accounts.models import Team
from medvigil.platform import permissions
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio import lifecycle, policies, selectors, services
from medvigil.portfolio.models import Deployment, PhaseTransition, Product, ProductVersion
from medvigil.portfolio.schemas import (
    DeploymentIn,
    DeploymentOut,
    InstalledBaseIn,
    PhaseName,
    ProductIn,
    ProductOut,
    ProductPatch,
    ProductSummaryOut,
    TransitionIn,
    TransitionOut,
    VersionIn,
    VersionOut,
    VersionPatch,
)

router = Router(tags=["portfolio"])


class ProductFilter(Schema):
    search: str = Field("", description="Part of the name, model number or UDI-DI")
    team_id: int | None = None
    cyber_device: bool | None = Field(None, description="Only 524B cyber devices (or only not)")


class VersionFilter(Schema):
    phase: PhaseName | None = None


# Serializers: what each user may read of a record -------------------------------------


def team_out(team: Team) -> dict[str, Any]:
    return {"id": team.pk, "name": team.name}


def product_summary(product: Product) -> dict[str, Any]:
    return {
        "id": product.pk,
        "name": product.name,
        "model_number": product.model_number,
        "us_class": product.us_class,
        "eu_class": product.eu_class,
        "is_cyber_device": product.is_cyber_device,
        "team": team_out(product.team),
    }


def product_out(product: Product) -> dict[str, Any]:
    return {
        **product_summary(product),
        "udi_di": product.udi_di,
        "intended_use": product.intended_use,
        "cyber_device_reason": product.cyber_device_reason,
        "clinical_functions": list(product.clinical_functions.all()),
        "created_at": product.created_at,
    }


def version_out(version: ProductVersion, inside: bool) -> dict[str, Any]:
    return {
        "id": version.pk,
        "product_id": version.product_id,
        "product_name": version.product.name,
        "version": version.version,
        "phase": version.phase,
        "phase_label": lifecycle.label(version.phase),
        "next_phases": lifecycle.next_phases(version.phase) if inside else [],
        "release_date": version.release_date,
        "end_of_support_date": version.end_of_support_date,
        "end_of_life_date": version.end_of_life_date,
        "updatable_in_field": version.updatable_in_field,
        "update_method": version.update_method,
        "installed_base": version.installed_base if inside else None,
        "notes": version.notes if inside else None,
        "created_at": version.created_at,
    }


def transition_out(transition: PhaseTransition, inside: bool) -> dict[str, Any]:
    recorder = transition.recorded_by
    return {
        "id": transition.pk,
        "from_phase": transition.from_phase,
        "to_phase": transition.to_phase,
        "effective_date": transition.effective_date,
        "note": transition.note if inside else None,
        "recorded_by": (recorder.get_username() if recorder else "system") if inside else None,
        "recorded_at": transition.recorded_at,
    }


def deployment_out(deployment: Deployment) -> dict[str, Any]:
    return {
        "id": deployment.pk,
        "organisation_id": deployment.organisation_id,
        "organisation_name": deployment.organisation.name,
        "version_id": deployment.version_id,
        "product_id": deployment.version.product_id,
        "product_name": deployment.version.product.name,
        "version": deployment.version.version,
        "units": deployment.units,
        "since": deployment.since,
    }


def team_for_new_product(request: HttpRequest, team_id: int) -> Team:
    team = selectors.teams_for_new_products(request.user).filter(pk=team_id).first()
    if team is None or not policies.may_own_products_of(request.user, team):
        raise Refusal(
            "Products belong to a team you are in, and only editing roles create them.",
            Kind.FORBIDDEN,
        )
    return team


# Products -----------------------------------------------------------------------------


@router.get("/products", response=Page[ProductSummaryOut], summary="Products you may see")
def list_products(
    request: HttpRequest, filters: Query[ProductFilter], page: Query[PageQuery]
) -> dict[str, Any]:
    rows = selectors.products(
        request.user,
        search=filters.search,
        team_id=filters.team_id,
        cyber_device=filters.cyber_device,
    )
    return paginate(rows, page, ordering=("name", "id"), serialize=product_summary)


@router.post("/products", response={201: ProductOut}, summary="Create a product")
def create_product(request: HttpRequest, payload: ProductIn) -> Status[dict[str, Any]]:
    if not permissions.can_edit(request.user):
        raise Refusal("Only inside editing roles create products.", Kind.FORBIDDEN)
    team = team_for_new_product(request, payload.team_id)
    values = payload.dict(exclude={"team_id", "clinical_functions"})
    functions = [
        services.ClinicalFunctionData(**item.dict()) for item in payload.clinical_functions
    ]
    product = services.create_product(
        user=request.user, team=team, values=values, clinical_functions=functions
    )
    return Status(201, product_out(product))


@router.get("/products/{product_id}", response=ProductOut, summary="One product")
def get_product(request: HttpRequest, product_id: int) -> dict[str, Any]:
    return product_out(selectors.product(request.user, product_id))


@router.patch("/products/{product_id}", response=ProductOut, summary="Change a product")
def update_product(request: HttpRequest, product_id: int, payload: ProductPatch) -> dict[str, Any]:
    product = selectors.product(request.user, product_id)
    permissions.require(request.user, "change", product)
    values = payload.dict(exclude_unset=True, exclude={"clinical_functions"})
    if "team_id" in values:
        if values["team_id"] is None:
            raise Refusal("A product always has a team.", errors={"team_id": "Required."})
        values["team_id"] = team_for_new_product(request, values["team_id"]).pk
    for field in ("name", "model_number"):
        if field in values and values[field] is None:
            raise Refusal(f"{field} cannot be null.", errors={field: "Cannot be null."})
    values = {field: ("" if value is None else value) for field, value in values.items()}
    functions = None
    if payload.clinical_functions is not None:
        functions = [
            services.ClinicalFunctionData(**item.dict()) for item in payload.clinical_functions
        ]
    product = services.update_product(
        product, user=request.user, values=values, clinical_functions=functions
    )
    return product_out(product)


# Versions -----------------------------------------------------------------------------


@router.get(
    "/products/{product_id}/versions", response=Page[VersionOut], summary="Versions of a product"
)
def list_product_versions(
    request: HttpRequest, product_id: int, filters: Query[VersionFilter], page: Query[PageQuery]
) -> dict[str, Any]:
    product = selectors.product(request.user, product_id)
    rows = selectors.versions(request.user, product_id=product.pk, phase=filters.phase)
    inside = selectors.sees_internal_details(request.user)
    return paginate(rows, page, ordering=("id",), serialize=lambda row: version_out(row, inside))


@router.post(
    "/products/{product_id}/versions", response={201: VersionOut}, summary="Create a version"
)
def create_version(
    request: HttpRequest, product_id: int, payload: VersionIn
) -> Status[dict[str, Any]]:
    product = selectors.product(request.user, product_id)
    permissions.require(request.user, "change", product)
    values = payload.dict(exclude={"phase", "effective_date", "note"})
    version = services.create_version(
        product,
        user=request.user,
        values=values,
        phase=payload.phase,
        effective_date=payload.effective_date,
        note=payload.note,
    )
    return Status(201, version_out(version, inside=True))


@router.get("/versions", response=Page[VersionOut], summary="Versions you may see")
def list_versions(
    request: HttpRequest, filters: Query[VersionFilter], page: Query[PageQuery]
) -> dict[str, Any]:
    rows = selectors.versions(request.user, phase=filters.phase)
    inside = selectors.sees_internal_details(request.user)
    return paginate(rows, page, ordering=("id",), serialize=lambda row: version_out(row, inside))


@router.get("/versions/{version_id}", response=VersionOut, summary="One version")
def get_version(request: HttpRequest, version_id: int) -> dict[str, Any]:
    version = selectors.version_for(request.user, version_id)
    return version_out(version, selectors.sees_internal_details(request.user))


@router.patch("/versions/{version_id}", response=VersionOut, summary="Change a version")
def update_version(request: HttpRequest, version_id: int, payload: VersionPatch) -> dict[str, Any]:
    version = selectors.version_for(request.user, version_id, "change")
    values = payload.dict(exclude_unset=True)
    for field in ("version", "updatable_in_field", "update_method", "notes"):
        if field in values and values[field] is None:
            raise Refusal(f"{field} cannot be null.", errors={field: "Cannot be null."})
    version = services.update_version(version, user=request.user, values=values)
    return version_out(version, inside=True)


@router.get(
    "/versions/{version_id}/transitions",
    response=Page[TransitionOut],
    summary="Lifecycle timeline of a version, oldest first",
)
def list_transitions(
    request: HttpRequest, version_id: int, page: Query[PageQuery]
) -> dict[str, Any]:
    rows = selectors.transitions(request.user, version_id)
    inside = selectors.sees_internal_details(request.user)
    return paginate(rows, page, ordering=("id",), serialize=lambda row: transition_out(row, inside))


@router.post(
    "/versions/{version_id}/transitions",
    response={201: TransitionOut},
    summary="Move a version to another lifecycle phase",
)
def create_transition(
    request: HttpRequest, version_id: int, payload: TransitionIn
) -> Status[dict[str, Any]]:
    version = selectors.version_for(request.user, version_id, "change")
    transition = services.move_to_phase(
        version,
        user=request.user,
        to_phase=payload.to_phase,
        note=payload.note,
        effective_date=payload.effective_date,
    )
    return Status(201, transition_out(transition, inside=True))


@router.put(
    "/versions/{version_id}/installed-base",
    response=VersionOut,
    summary="Set the number of units in use",
)
def set_installed_base(
    request: HttpRequest, version_id: int, payload: InstalledBaseIn
) -> dict[str, Any]:
    version = selectors.version_for(request.user, version_id, "change")
    version = services.set_installed_base(
        version, user=request.user, count=payload.count, note=payload.note
    )
    return version_out(version, inside=True)


# Deployments --------------------------------------------------------------------------


@router.get(
    "/deployments", response=Page[DeploymentOut], summary="Customer deployments you may see"
)
def list_deployments(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    rows = selectors.deployments(request.user)
    return paginate(rows, page, ordering=("id",), serialize=deployment_out)


@router.get(
    "/versions/{version_id}/deployments",
    response=Page[DeploymentOut],
    summary="Customer deployments of a version",
)
def list_version_deployments(
    request: HttpRequest, version_id: int, page: Query[PageQuery]
) -> dict[str, Any]:
    rows = selectors.deployments(request.user, version_id=version_id)
    return paginate(rows, page, ordering=("id",), serialize=deployment_out)


@router.put(
    "/versions/{version_id}/deployments/{organisation_id}",
    response=DeploymentOut,
    summary="Record or change the units a customer organisation owns",
)
def record_deployment(
    request: HttpRequest, version_id: int, organisation_id: int, payload: DeploymentIn
) -> dict[str, Any]:
    version = selectors.version_for(request.user, version_id, "change")
    organisation = selectors.organisation(organisation_id)
    deployment = services.record_deployment(
        version,
        user=request.user,
        organisation=organisation,
        units=payload.units,
        since=payload.since,
    )
    return deployment_out(deployment)


@router.delete(
    "/versions/{version_id}/deployments/{organisation_id}",
    response={204: None},
    summary="Remove a customer's deployment",
)
def remove_deployment(request: HttpRequest, version_id: int, organisation_id: int) -> Status[None]:
    version = selectors.version_for(request.user, version_id, "change")
    organisation = selectors.organisation(organisation_id)
    services.remove_deployment(version, user=request.user, organisation=organisation)
    return Status(204, None)
