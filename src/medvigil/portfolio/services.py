"""Every write to the portfolio: one transaction each, with its audit event.

Callers (pages, API, command line, demo) check permissions first; these
functions enforce the portfolio's own rules and refuse bad input whole with a
`Refusal` that says what is wrong. Nothing is half-stored: the write
and its audit event commit together or not at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum

from medvigil.accounts.models import Organisation, Team
from medvigil.audit.services import changed_fields, record, snapshot
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio import lifecycle
from medvigil.portfolio.models import (
    ClinicalFunction,
    Deployment,
    LifecyclePhase,
    PhaseTransition,
    Product,
    ProductVersion,
)
from medvigil.portfolio.validation import assign, saved, today, validated

PRODUCT_FIELDS = (
    "name",
    "model_number",
    "udi_di",
    "us_class",
    "eu_class",
    "intended_use",
    "is_cyber_device",
    "cyber_device_reason",
    "team_id",
)
VERSION_FIELDS = (
    "version",
    "release_date",
    "end_of_support_date",
    "end_of_life_date",
    "updatable_in_field",
    "update_method",
    "notes",
)
DEPLOYMENT_FIELDS = ("organisation_id", "units", "since")
# The largest value the column holds on PostgreSQL (integer); deployments fit inside it.
LARGEST_INSTALLED_BASE = 2_147_483_647


@dataclass(frozen=True)
class ClinicalFunctionData:
    name: str
    description: str = ""
    essential_performance: bool = False
    emergency_access: bool = False


# Products and their clinical functions ------------------------------------------------


def function_snapshot(product: Product) -> list[dict[str, Any]]:
    return [
        asdict(
            ClinicalFunctionData(
                name=function.name,
                description=function.description,
                essential_performance=function.essential_performance,
                emergency_access=function.emergency_access,
            )
        )
        for function in product.clinical_functions.order_by("name")
    ]


def replace_clinical_functions(product: Product, functions: Sequence[ClinicalFunctionData]) -> None:
    names = [function.name.strip() for function in functions]
    if any(not name for name in names):
        raise Refusal(
            "Every clinical function needs a name.",
            errors={"clinical_functions": ["A name is missing."]},
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise Refusal(
            f"Clinical function names must be unique in a product: {', '.join(duplicates)}.",
            errors={"clinical_functions": [f"Listed twice: {', '.join(duplicates)}."]},
        )
    existing = {function.name: function for function in product.clinical_functions.all()}
    product.clinical_functions.exclude(name__in=names).delete()
    for data, name in zip(functions, names, strict=True):
        function = existing.get(name) or ClinicalFunction(product=product, name=name)
        function.description = data.description
        function.essential_performance = data.essential_performance
        function.emergency_access = data.emergency_access
        validated(function, exclude=["product"])
        function.save()


@transaction.atomic
def create_product(
    *,
    user: Any,
    team: Team,
    values: Mapping[str, Any],
    clinical_functions: Sequence[ClinicalFunctionData] = (),
) -> Product:
    """Create a product owned by `team`; `values` holds fields of PRODUCT_FIELDS."""
    product = Product(team=team, created_by=user if getattr(user, "pk", None) else None)
    assign(product, values, [field for field in PRODUCT_FIELDS if field != "team_id"])
    validated(product)
    saved(product)
    replace_clinical_functions(product, clinical_functions)
    after = {**snapshot(product, PRODUCT_FIELDS), "clinical_functions": function_snapshot(product)}
    record("product-created", product, changes=changed_fields({}, after))
    return product


@transaction.atomic
def update_product(
    product: Product,
    *,
    user: Any,
    values: Mapping[str, Any],
    clinical_functions: Sequence[ClinicalFunctionData] | None = None,
) -> Product:
    """Change fields of PRODUCT_FIELDS; `clinical_functions`, when given, replaces the list."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = {**snapshot(product, PRODUCT_FIELDS), "clinical_functions": function_snapshot(product)}
    assign(product, values, PRODUCT_FIELDS)
    validated(product)
    saved(product)
    if clinical_functions is not None:
        replace_clinical_functions(product, clinical_functions)
    after = {**snapshot(product, PRODUCT_FIELDS), "clinical_functions": function_snapshot(product)}
    changes = changed_fields(before, after)
    if changes:
        record("product-updated", product, changes=changes)
    return product


# Versions and their lifecycle ---------------------------------------------------------


def check_effective_date(version: ProductVersion | None, effective_date: datetime.date) -> None:
    if effective_date > today():
        raise Refusal(
            f"The date {effective_date.isoformat()} is in the future: "
            "record a phase once it is reached.",
            errors={"effective_date": ["The date is in the future."]},
        )
    if version is None:
        return
    latest = (
        version.transitions.order_by("-effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )
    if latest is not None and effective_date < latest:
        raise Refusal(
            f"The date {effective_date.isoformat()} is before the version's last transition "
            f"({latest.isoformat()}); the timeline only moves forward.",
            kind=Kind.CONFLICT,
            errors={"effective_date": [f"Earlier than {latest.isoformat()}."]},
        )


@transaction.atomic
def create_version(
    product: Product,
    *,
    user: Any,
    values: Mapping[str, Any],
    phase: str = LifecyclePhase.DESIGN,
    effective_date: datetime.date | None = None,
    note: str = "",
) -> ProductVersion:
    """Create a version in `phase` (design by default) with its first, dated transition."""
    if phase not in LifecyclePhase.values:
        raise Refusal(
            f"There is no lifecycle phase {phase!r}.", errors={"phase": ["Unknown phase."]}
        )
    effective_date = effective_date or today()
    check_effective_date(None, effective_date)
    acting = user if getattr(user, "pk", None) else None
    version = ProductVersion(product=product, phase=phase, created_by=acting)
    assign(version, values, VERSION_FIELDS)
    validated(version)
    saved(version)
    PhaseTransition.objects.create(
        version=version,
        from_phase="",
        to_phase=phase,
        effective_date=effective_date,
        note=note or f"Created in phase {lifecycle.label(phase)}.",
        recorded_by=acting,
    )
    after = snapshot(version, (*VERSION_FIELDS, "phase", "installed_base", "product_id"))
    record(
        "version-created",
        version,
        changes=changed_fields({}, after),
        details={"effective_date": effective_date.isoformat()},
    )
    return version


@transaction.atomic
def update_version(
    version: ProductVersion, *, user: Any, values: Mapping[str, Any]
) -> ProductVersion:
    """Change fields of VERSION_FIELDS (the phase changes only through `move_to_phase`)."""
    version = ProductVersion.objects.select_for_update().get(pk=version.pk)
    before = snapshot(version, VERSION_FIELDS)
    assign(version, values, VERSION_FIELDS)
    validated(version)
    saved(version)
    changes = changed_fields(before, snapshot(version, VERSION_FIELDS))
    if changes:
        record("version-updated", version, changes=changes)
    return version


@transaction.atomic
def move_to_phase(
    version: ProductVersion,
    *,
    user: Any,
    to_phase: str,
    note: str,
    effective_date: datetime.date | None = None,
) -> PhaseTransition:
    """Move a version to the next phase along `lifecycle.ALLOWED_TRANSITIONS`, dated and noted."""
    version = ProductVersion.objects.select_for_update().get(pk=version.pk)
    from_phase = version.phase
    if to_phase not in LifecyclePhase.values:
        raise Refusal(
            f"There is no lifecycle phase {to_phase!r}.", errors={"to_phase": ["Unknown phase."]}
        )
    if not lifecycle.is_allowed(from_phase, to_phase):
        allowed = ", ".join(lifecycle.label(phase) for phase in lifecycle.next_phases(from_phase))
        raise Refusal(
            f"A version in {lifecycle.label(from_phase)} cannot move to "
            f"{lifecycle.label(to_phase)}; "
            f"allowed next: {allowed or 'none (final phase)'}.",
            kind=Kind.CONFLICT,
            errors={"to_phase": ["Not allowed from the current phase."]},
        )
    if not note.strip():
        raise Refusal(
            "Say why the version changes phase (a note is required).",
            errors={"note": ["Required."]},
        )
    if to_phase == LifecyclePhase.DECOMMISSIONED and version.installed_base:
        raise Refusal(
            f"{version.installed_base} units are still in use: set the installed base to 0 "
            "(and remove customer deployments) before decommissioning.",
            kind=Kind.CONFLICT,
        )
    effective_date = effective_date or today()
    check_effective_date(version, effective_date)
    before = snapshot(version, ("phase", *lifecycle.DATE_SET_ON_ENTRY.values()))
    version.phase = to_phase
    date_field = lifecycle.DATE_SET_ON_ENTRY.get(LifecyclePhase(to_phase))
    if date_field and getattr(version, date_field) is None:
        setattr(version, date_field, effective_date)
    validated(version)
    version.save()
    transition = PhaseTransition.objects.create(
        version=version,
        from_phase=from_phase,
        to_phase=to_phase,
        effective_date=effective_date,
        note=note.strip(),
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    record(
        "version-phase-changed",
        version,
        changes=changed_fields(before, snapshot(version, before.keys())),
        details={"effective_date": effective_date.isoformat(), "note": transition.note},
    )
    return transition


# Installed base and customer deployments ----------------------------------------------


def deployed_units(version: ProductVersion, *, excluding: Organisation | None = None) -> int:
    rows = version.deployments.all()
    if excluding is not None:
        rows = rows.exclude(organisation=excluding)
    return int(rows.aggregate(total=Sum("units"))["total"] or 0)


@transaction.atomic
def set_installed_base(
    version: ProductVersion, *, user: Any, count: int, note: str = ""
) -> ProductVersion:
    """Set the number of units in use across all customers."""
    version = ProductVersion.objects.select_for_update().get(pk=version.pk)
    if count < 0:
        raise Refusal("The installed base cannot be negative.", errors={"count": ["Negative."]})
    if count > LARGEST_INSTALLED_BASE:
        message = f"The installed base is at most {LARGEST_INSTALLED_BASE} units."
        raise Refusal(message, errors={"count": [message]})
    if count and version.phase not in lifecycle.DEPLOYABLE_PHASES:
        raise Refusal(
            f"A version in {lifecycle.label(version.phase)} has no units in the field; "
            "an installed base is recorded from distribution to end of support.",
            kind=Kind.CONFLICT,
        )
    assigned = deployed_units(version)
    if count < assigned:
        raise Refusal(
            f"Customer deployments already account for {assigned} units; "
            f"the installed base cannot be {count}.",
            kind=Kind.CONFLICT,
        )
    before = snapshot(version, ("installed_base",))
    version.installed_base = count
    version.save(update_fields=["installed_base"])
    changes = changed_fields(before, snapshot(version, ("installed_base",)))
    if changes:
        record("installed-base-set", version, changes=changes, details={"note": note})
    return version


@transaction.atomic
def record_deployment(
    version: ProductVersion,
    *,
    user: Any,
    organisation: Organisation,
    units: int,
    since: datetime.date | None = None,
) -> Deployment:
    """Record (or change) the units of a version that a customer organisation owns."""
    version = ProductVersion.objects.select_for_update().get(pk=version.pk)
    if organisation.kind != Organisation.Kind.CUSTOMER:
        raise Refusal(
            f"{organisation.name} is a {organisation.get_kind_display().lower()}, not a customer; "
            "only customers own deployed units.",
            errors={"organisation_id": ["Not a customer organisation."]},
        )
    if version.phase not in lifecycle.DEPLOYABLE_PHASES:
        raise Refusal(
            f"A version in {lifecycle.label(version.phase)} has not reached customers.",
            kind=Kind.CONFLICT,
        )
    if units < 1:
        raise Refusal("A deployment has at least one unit.", errors={"units": ["At least 1."]})
    if since is not None and since > today():
        raise Refusal("The deployment date is in the future.", errors={"since": ["In the future."]})
    others = deployed_units(version, excluding=organisation)
    if others + units > version.installed_base:
        raise Refusal(
            f"The installed base is {version.installed_base} units and other customers "
            f"own {others}; "
            f"{units} more do not fit. Raise the installed base first.",
            kind=Kind.CONFLICT,
        )
    deployment = Deployment.objects.filter(version=version, organisation=organisation).first()
    before = snapshot(deployment, DEPLOYMENT_FIELDS) if deployment else {}
    if deployment is None:
        deployment = Deployment(
            version=version,
            organisation=organisation,
            recorded_by=user if getattr(user, "pk", None) else None,
        )
    deployment.units = units
    deployment.since = since
    deployment.save()
    changes = changed_fields(before, snapshot(deployment, DEPLOYMENT_FIELDS))
    if changes:
        action = "deployment-changed" if before else "deployment-recorded"
        record(action, deployment, changes=changes, details={"version_id": version.pk})
    return deployment


@transaction.atomic
def remove_deployment(version: ProductVersion, *, user: Any, organisation: Organisation) -> None:
    """Forget that a customer owns units of this version (their units left service)."""
    deployment = Deployment.objects.filter(version=version, organisation=organisation).first()
    if deployment is None:
        raise Refusal(
            f"{organisation.name} has no recorded deployment of this version.", kind=Kind.MISSING
        )
    before = snapshot(deployment, DEPLOYMENT_FIELDS)
    record(
        "deployment-removed",
        deployment,
        changes=changed_fields(before, {}),
        details={"version_id": version.pk},
    )
    deployment.delete()
