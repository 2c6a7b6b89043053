"""Portfolio services: every write audited with before/after values; refusals change nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from medvigil.audit.models import AuditEvent
from medvigil.audit.services import verify_chain
from medvigil.platform.refusals import Refusal
from medvigil.portfolio import lifecycle, services
from medvigil.portfolio.models import Deployment, LifecyclePhase, PhaseTransition, ProductVersion
from medvigil.portfolio.services import ClinicalFunctionData
from tests import factories
from tests.portfolio.conftest import World

pytestmark = pytest.mark.django_db
TODAY = timezone.now().date()


def last_event(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-sequence").first()
    assert event is not None, f"no {action} event"
    return event


def state_of(version: ProductVersion) -> tuple[Any, ...]:
    """Everything a refused write must leave as it was."""
    version.refresh_from_db()
    return (
        version.phase,
        version.release_date,
        version.installed_base,
        PhaseTransition.objects.filter(version=version).count(),
        list(Deployment.objects.filter(version=version).values_list("organisation_id", "units")),
        AuditEvent.objects.count(),
    )


def test_creating_a_product_records_every_value_and_its_functions() -> None:
    team = factories.team("Infusion")
    engineer = factories.user(roles=["product-security"], teams=[team])
    product = services.create_product(
        user=engineer,
        team=team,
        values={"name": "Pump", "model_number": "LVP-9", "us_class": "II", "eu_class": "IIb"},
        clinical_functions=[ClinicalFunctionData("Infusion delivery", "", True, True)],
    )
    assert product.created_by == engineer
    event = last_event("product-created")
    assert (event.object_type, event.object_id) == ("portfolio.product", str(product.pk))
    assert event.actor_id is None  # no request context: the system acts, the row names the user
    assert event.changes["name"] == [None, "Pump"]
    assert event.changes["team_id"] == [None, team.pk]
    assert event.changes["eu_class"] == [None, "IIb"]
    assert event.changes["clinical_functions"] == [
        None,
        [
            {
                "name": "Infusion delivery",
                "description": "",
                "essential_performance": True,
                "emergency_access": True,
            }
        ],
    ]
    assert verify_chain().intact


def test_updating_a_product_records_only_what_changed() -> None:
    product = factories.product(name="Pump", model_number="LVP-9")
    services.update_product(
        product,
        user=None,
        values={"name": "Pump II", "model_number": "LVP-9"},
        clinical_functions=[ClinicalFunctionData("Bolus", emergency_access=True)],
    )
    event = last_event("product-updated")
    assert set(event.changes) == {"name", "clinical_functions"}
    assert event.changes["name"] == ["Pump", "Pump II"]
    assert event.changes["clinical_functions"][0] == []
    assert event.changes["clinical_functions"][1][0]["emergency_access"] is True
    before = AuditEvent.objects.count()
    services.update_product(product, user=None, values={"name": "Pump II"})
    assert AuditEvent.objects.count() == before  # nothing changed, nothing recorded


def test_replacing_clinical_functions_keeps_updates_and_drops_the_missing() -> None:
    product = factories.product()
    services.update_product(
        product,
        user=None,
        values={},
        clinical_functions=[ClinicalFunctionData("Alarms"), ClinicalFunctionData("Trends")],
    )
    services.update_product(
        product,
        user=None,
        values={},
        clinical_functions=[ClinicalFunctionData("Alarms", essential_performance=True)],
    )
    functions = list(product.clinical_functions.values_list("name", "essential_performance"))
    assert functions == [("Alarms", True)]


@pytest.mark.parametrize(
    ("values", "functions", "field", "message"),
    [
        (
            {"is_cyber_device": True},
            [],
            "__all__",
            "Say why the product is a cyber device (section 524B).",
        ),
        ({"eu_class": "IV"}, [], "eu_class", "Value 'IV' is not a valid choice."),
        ({"model_number": "TAKEN"}, [], "model_number", "Product with this Model number"),
        ({}, [ClinicalFunctionData("A"), ClinicalFunctionData("A")], "clinical_functions", "A"),
        ({"colour": "red"}, [], None, "These fields cannot be set here: colour."),
    ],
)
def test_bad_product_input_is_refused_whole(
    values: dict[str, Any], functions: list[ClinicalFunctionData], field: str | None, message: str
) -> None:
    team = factories.team()
    factories.product(owner=team, model_number="TAKEN")
    events = AuditEvent.objects.count()
    with pytest.raises(Refusal) as refusal:
        services.create_product(
            user=None,
            team=team,
            values={"name": "New", "model_number": "NEW-1", **values},
            clinical_functions=functions,
        )
    assert refusal.value.status == 422
    if field is None:
        assert refusal.value.message == message
    else:
        beside_field = [
            error.message for error in refusal.value.errors if error.location == (field,)
        ]
        assert any(message in text for text in beside_field)
    assert AuditEvent.objects.count() == events
    assert not team.products.filter(model_number="NEW-1").exists()


def test_a_version_starts_with_a_dated_transition_and_an_audit_event() -> None:
    product = factories.product()
    version = services.create_version(
        product,
        user=None,
        values={"version": "1.0", "updatable_in_field": True, "update_method": "remote"},
        phase="deployed",
        effective_date=TODAY - datetime.timedelta(days=30),
        note="From the legacy register.",
    )
    (transition,) = version.transitions.all()
    assert (transition.from_phase, transition.to_phase) == ("", "deployed")
    assert transition.effective_date == TODAY - datetime.timedelta(days=30)
    assert transition.note == "From the legacy register."
    event = last_event("version-created")
    assert event.changes["phase"] == [None, "deployed"]
    assert event.changes["update_method"] == [None, "remote"]
    assert event.details == {"effective_date": transition.effective_date.isoformat()}


def test_moving_forward_is_dated_noted_audited_and_fills_the_release_date() -> None:
    engineer = factories.user(roles=["product-security"])
    version = factories.version(factories.product(), phase="production")
    transition = services.move_to_phase(
        version, user=engineer, to_phase="distribution", note="Shipping", effective_date=TODAY
    )
    version.refresh_from_db()
    assert version.phase == "distribution"
    assert version.release_date == TODAY
    assert transition.recorded_by == engineer
    assert (transition.from_phase, transition.to_phase, transition.note) == (
        "production",
        "distribution",
        "Shipping",
    )
    event = last_event("version-phase-changed")
    assert event.changes == {
        "phase": ["production", "distribution"],
        "release_date": [None, TODAY.isoformat()],
    }
    assert event.details == {"effective_date": TODAY.isoformat(), "note": "Shipping"}


def test_maintenance_and_deployed_alternate_and_verification_may_go_back() -> None:
    deployed = factories.version(factories.product(), phase="deployed")
    for phase in ("maintenance", "deployed", "end-of-support"):
        services.move_to_phase(deployed, user=None, to_phase=phase, note=f"to {phase}")
    verification = factories.version(factories.product(), phase="verification")
    services.move_to_phase(verification, user=None, to_phase="development", note="Failed")
    deployed.refresh_from_db()
    verification.refresh_from_db()
    assert deployed.phase == "end-of-support"
    assert deployed.end_of_support_date == TODAY
    assert verification.phase == "development"


def test_the_transition_table_moves_forward_except_the_documented_steps() -> None:
    order = LifecyclePhase.values
    backward = {
        (source, target)
        for source, targets in lifecycle.ALLOWED_TRANSITIONS.items()
        for target in targets
        if order.index(target) < order.index(source)
    }
    assert backward == {("verification", "development"), ("maintenance", "deployed")}
    assert lifecycle.next_phases("decommissioned") == []
    assert lifecycle.next_phases("deployed") == ["maintenance", "end-of-support"]


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        (
            "design",
            "deployed",
            "A version in Design cannot move to Deployed; allowed next: Development, "
            "Decommissioned.",
        ),
        (
            "deployed",
            "development",
            "A version in Deployed cannot move to Development; allowed next: Maintenance, "
            "End of support.",
        ),
        (
            "decommissioned",
            "deployed",
            "A version in Decommissioned cannot move to Deployed; allowed next: none (final "
            "phase).",
        ),
        ("design", "design", "A version in Design cannot move to Design; allowed next: "),
    ],
)
def test_a_transition_outside_the_table_is_refused_and_changes_nothing(
    start: str, target: str, message: str
) -> None:
    version = factories.version(factories.product(), phase=start)
    before = state_of(version)
    with pytest.raises(Refusal) as refusal:
        services.move_to_phase(version, user=None, to_phase=target, note="try")
    assert refusal.value.status == 409
    assert refusal.value.message.startswith(message)
    assert state_of(version) == before


@pytest.mark.parametrize(
    ("keywords", "status", "message"),
    [
        ({"note": "  "}, 422, "Say why the version changes phase (a note is required)."),
        ({"to_phase": "retired"}, 422, "There is no lifecycle phase 'retired'."),
        (
            {"effective_date": TODAY + datetime.timedelta(days=1)},
            422,
            "is in the future: record a phase once it is reached.",
        ),
        (
            {"effective_date": TODAY - datetime.timedelta(days=1)},
            409,
            f"is before the version's last transition ({TODAY.isoformat()})",
        ),
    ],
)
def test_bad_transitions_are_refused_with_a_clear_error(
    keywords: dict[str, Any], status: int, message: str
) -> None:
    version = factories.version(factories.product(), phase="design")
    before = state_of(version)
    arguments = {"to_phase": "development", "note": "Start", **keywords}
    with pytest.raises(Refusal) as refusal:
        services.move_to_phase(version, user=None, **arguments)
    assert refusal.value.status == status
    assert message in refusal.value.message
    assert state_of(version) == before


def test_decommissioning_needs_an_empty_installed_base(world: World) -> None:
    version = world.scanner_deployed
    services.move_to_phase(version, user=None, to_phase="end-of-support", note="End")
    before = state_of(version)
    with pytest.raises(Refusal, match="5 units are still in use"):
        services.move_to_phase(version, user=None, to_phase="decommissioned", note="Gone")
    assert state_of(version) == before
    services.remove_deployment(version, user=None, organisation=world.clinic)
    services.set_installed_base(version, user=None, count=0)
    services.move_to_phase(version, user=None, to_phase="decommissioned", note="Gone")
    version.refresh_from_db()
    assert (version.phase, version.end_of_life_date) == ("decommissioned", TODAY)


def test_installed_base_is_audited_and_bounded(world: World) -> None:
    version = services.set_installed_base(
        world.pump_deployed, user=None, count=120, note="Service records"
    )
    assert version.installed_base == 120
    event = last_event("installed-base-set")
    assert event.changes == {"installed_base": [100, 120]}
    assert event.details == {"note": "Service records"}
    before = state_of(world.pump_deployed)
    with pytest.raises(Refusal, match="deployments already account for 10 units"):
        services.set_installed_base(world.pump_deployed, user=None, count=9)
    with pytest.raises(Refusal, match="A version in Design has no units in the field"):
        services.set_installed_base(world.pump_design, user=None, count=1)
    assert state_of(world.pump_deployed) == before


def test_deployments_are_recorded_changed_and_removed_with_audit_events(world: World) -> None:
    version = world.pump_deployed
    since = TODAY - datetime.timedelta(days=10)
    deployment = services.record_deployment(
        version, user=None, organisation=world.clinic, units=5, since=since
    )
    assert last_event("deployment-recorded").changes == {
        "organisation_id": [None, world.clinic.pk],
        "units": [None, 5],
        "since": [None, since.isoformat()],
    }
    services.record_deployment(version, user=None, organisation=world.clinic, units=7, since=since)
    assert last_event("deployment-changed").changes == {"units": [5, 7]}
    services.remove_deployment(version, user=None, organisation=world.clinic)
    removed = last_event("deployment-removed")
    assert removed.object_id == str(deployment.pk)
    assert removed.changes["units"] == [7, None]
    assert not Deployment.objects.filter(pk=deployment.pk).exists()
    assert verify_chain().intact


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("supplier", "Embedded Components Ltd. is a supplier, not a customer"),
        ("design", "A version in Design has not reached customers."),
        ("too-many", "The installed base is 100 units and other customers own 10; 91 more"),
    ],
)
def test_impossible_deployments_are_refused(world: World, case: str, message: str) -> None:
    organisation = world.supplier if case == "supplier" else world.clinic
    version = world.pump_design if case == "design" else world.pump_deployed
    before = state_of(version)
    with pytest.raises(Refusal) as refusal:
        services.record_deployment(version, user=None, organisation=organisation, units=91)
    assert message in refusal.value.message
    assert state_of(version) == before
