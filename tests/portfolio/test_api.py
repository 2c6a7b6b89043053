"""The portfolio API through HTTP, as each kind of user: exact visibility, 404 and 403."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from medvigil.audit.models import AuditEvent
from tests import factories
from tests.portfolio.conftest import World

API = "/api/v1/portfolio"


def as_user(person: Any) -> Client:
    return factories.sign_in(Client(), person)


def send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def names(response: Any, key: str = "name") -> list[str]:
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("who", "products", "versions"),
    [
        ("engineer", ["Infusion pump"], ["3.1.0", "4.0.0"]),
        ("viewer", ["Infusion pump"], ["3.1.0", "4.0.0"]),
        ("other_engineer", ["Scanner"], ["9.1"]),
        ("customer", ["Infusion pump"], ["3.1.0"]),
        ("other_customer", ["Scanner"], ["9.1"]),
        ("administrator", ["Infusion pump", "Scanner"], ["3.1.0", "4.0.0", "9.1"]),
    ],
)
def test_each_user_lists_exactly_what_they_may_see(
    world: World, who: str, products: list[str], versions: list[str]
) -> None:
    client = as_user(getattr(world, who))
    assert names(client.get(f"{API}/products")) == products
    assert sorted(names(client.get(f"{API}/versions"), "version")) == versions


def test_outside_users_do_not_read_internal_details(world: World) -> None:
    inside = as_user(world.engineer).get(f"{API}/versions/{world.pump_deployed.pk}").json()
    outside = as_user(world.customer).get(f"{API}/versions/{world.pump_deployed.pk}").json()
    assert (inside["installed_base"], outside["installed_base"]) == (100, None)
    assert inside["next_phases"] == ["maintenance", "end-of-support"]
    assert outside["next_phases"] == []
    timeline = as_user(world.customer).get(f"{API}/versions/{world.pump_deployed.pk}/transitions")
    (entry,) = timeline.json()["items"]
    assert (entry["to_phase"], entry["note"], entry["recorded_by"]) == ("deployed", None, None)


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("other_engineer", "pump"),
        ("customer", "scanner"),
        ("other_customer", "pump"),
    ],
)
def test_invisible_products_answer_404_for_reading_and_writing(
    world: World, who: str, target: str
) -> None:
    client = as_user(getattr(world, who))
    product = getattr(world, target)
    body = problem(client.get(f"{API}/products/{product.pk}"), 404)
    assert body["detail"] == "No such object, or it is not visible to you."
    problem(send(client, "patch", f"{API}/products/{product.pk}", {"name": "X"}), 404)
    problem(send(client, "post", f"{API}/products/{product.pk}/versions", {"version": "9"}), 404)


def test_customer_sees_only_the_deployed_version_not_the_others(world: World) -> None:
    client = as_user(world.customer)
    assert client.get(f"{API}/versions/{world.pump_deployed.pk}").status_code == 200
    problem(client.get(f"{API}/versions/{world.pump_design.pk}"), 404)
    problem(client.get(f"{API}/versions/{world.pump_design.pk}/transitions"), 404)


@pytest.mark.parametrize("who", ["viewer", "customer"])
def test_visible_but_read_only_users_get_403_on_every_write(world: World, who: str) -> None:
    client = as_user(getattr(world, who))
    version = world.pump_deployed
    writes = [
        ("patch", f"{API}/products/{world.pump.pk}", {"name": "Renamed"}),
        ("post", f"{API}/products/{world.pump.pk}/versions", {"version": "5.0"}),
        ("patch", f"{API}/versions/{version.pk}", {"notes": "x"}),
        (
            "post",
            f"{API}/versions/{version.pk}/transitions",
            {"to_phase": "maintenance", "note": "x"},
        ),
        ("put", f"{API}/versions/{version.pk}/installed-base", {"count": 1000}),
        ("put", f"{API}/versions/{version.pk}/deployments/{world.clinic.pk}", {"units": 1}),
        ("delete", f"{API}/versions/{version.pk}/deployments/{world.hospital.pk}", None),
    ]
    events = AuditEvent.objects.count()
    for method, url, body in writes:
        problem(send(client, method, url, body), 403)
    assert AuditEvent.objects.count() == events


def test_an_engineer_of_the_owning_team_changes_a_product(world: World) -> None:
    client = as_user(world.engineer)
    response = send(
        client,
        "patch",
        f"{API}/products/{world.pump.pk}",
        {
            "name": "Infusion pump LVP",
            "clinical_functions": [{"name": "Occlusion alarm", "emergency_access": True}],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Infusion pump LVP"
    assert body["model_number"] == "LVP-1"
    assert body["clinical_functions"] == [
        {
            "name": "Occlusion alarm",
            "description": "",
            "essential_performance": False,
            "emergency_access": True,
        }
    ]
    event = AuditEvent.objects.filter(action="product-updated").get()
    assert event.actor_id == world.engineer.pk
    assert event.changes["name"] == ["Infusion pump", "Infusion pump LVP"]


def test_creating_a_product_needs_an_editing_role_in_the_chosen_team(world: World) -> None:
    body = {"name": "Monitor", "model_number": "PM-1", "us_class": "II"}
    engineer = as_user(world.engineer)
    created = send(engineer, "post", f"{API}/products", {**body, "team_id": world.owning_team.pk})
    assert created.status_code == 201, created.content
    assert created.json()["team"] == {"id": world.owning_team.pk, "name": "Infusion"}
    foreign = {**body, "model_number": "PM-2", "team_id": world.other_team.pk}
    refusal = problem(send(engineer, "post", f"{API}/products", foreign), 403)
    assert "team you are in" in refusal["detail"]
    for who in ("viewer", "customer"):
        attempt = {**body, "model_number": f"PM-{who}", "team_id": world.owning_team.pk}
        problem(send(as_user(getattr(world, who)), "post", f"{API}/products", attempt), 403)
    administrator = as_user(world.administrator)
    anywhere = send(administrator, "post", f"{API}/products", foreign)
    assert anywhere.status_code == 201, anywhere.content


def test_bad_product_input_is_a_problem_naming_the_field(world: World) -> None:
    client = as_user(world.engineer)
    duplicate = {"name": "Copy", "model_number": "LVP-1", "team_id": world.owning_team.pk}
    body = problem(send(client, "post", f"{API}/products", duplicate), 422)
    assert body["errors"] == [
        {"location": ["model_number"], "message": "Product with this Model number already exists."}
    ]
    shapeless = problem(send(client, "post", f"{API}/products", {"name": "No number"}), 422)
    assert {tuple(error["location"]) for error in shapeless["errors"]} >= {
        ("body", "payload", "model_number"),
        ("body", "payload", "team_id"),
    }


def test_versions_and_transitions_through_the_api(world: World) -> None:
    client = as_user(world.engineer)
    created = send(
        client,
        "post",
        f"{API}/products/{world.pump.pk}/versions",
        {"version": "4.1.0", "updatable_in_field": True, "update_method": "remote"},
    )
    assert created.status_code == 201, created.content
    version_id = created.json()["id"]
    assert created.json()["phase"] == "design"
    moved = send(
        client,
        "post",
        f"{API}/versions/{version_id}/transitions",
        {"to_phase": "development", "note": "Design review passed"},
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["recorded_by"] == "engineer"
    refused = send(
        client,
        "post",
        f"{API}/versions/{version_id}/transitions",
        {"to_phase": "deployed", "note": "Skip ahead"},
    )
    body = problem(refused, 409)
    assert body["detail"] == (
        "A version in Development cannot move to Deployed; allowed next: Verification, "
        "Decommissioned."
    )
    timeline = client.get(f"{API}/versions/{version_id}/transitions").json()["items"]
    assert [(item["from_phase"], item["to_phase"]) for item in timeline] == [
        ("", "design"),
        ("design", "development"),
    ]
    dates = send(
        client,
        "patch",
        f"{API}/versions/{version_id}",
        {"release_date": "2026-01-10", "end_of_support_date": "2025-01-01"},
    )
    assert problem(dates, 422)["errors"] == [
        {"location": ["__all__"], "message": "End of support cannot come before the release date."}
    ]


def test_installed_base_and_deployments_through_the_api(world: World) -> None:
    client = as_user(world.engineer)
    version = world.pump_deployed
    base = send(client, "put", f"{API}/versions/{version.pk}/installed-base", {"count": 150})
    assert base.json()["installed_base"] == 150
    # Found by the property-based API run: past the column's range, PostgreSQL answered 500.
    huge = send(client, "put", f"{API}/versions/{version.pk}/installed-base", {"count": 2**31})
    assert problem(huge, 422)["errors"][0]["location"][-1] == "count"
    url = f"{API}/versions/{version.pk}/deployments"
    recorded = send(client, "put", f"{url}/{world.clinic.pk}", {"units": 20, "since": "2026-01-05"})
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["organisation_name"] == "Northside Clinic"
    assert sorted(names(client.get(url), "organisation_name")) == [
        "Northside Clinic",
        "St. Example General Hospital",
    ]
    supplier = problem(send(client, "put", f"{url}/{world.supplier.pk}", {"units": 1}), 422)
    assert "not a customer" in supplier["detail"]
    problem(send(client, "put", f"{url}/999999", {"units": 1}), 404)
    assert client.delete(f"{url}/{world.clinic.pk}").status_code == 204
    problem(client.delete(f"{url}/{world.clinic.pk}"), 404)


def test_a_customer_sees_only_its_own_organisations_deployments(world: World) -> None:
    url = f"{API}/versions/{world.pump_deployed.pk}/deployments"
    clinic = as_user(world.other_customer)
    problem(clinic.get(url), 404)
    assert names(clinic.get(f"{API}/deployments"), "product_name") == ["Scanner"]
    send(as_user(world.engineer), "put", f"{url}/{world.clinic.pk}", {"units": 3})
    hospital = as_user(world.customer)
    assert names(hospital.get(url), "organisation_name") == ["St. Example General Hospital"]
    assert names(clinic.get(url), "organisation_name") == ["Northside Clinic"]
    assert sorted(names(clinic.get(f"{API}/deployments"), "product_name")) == [
        "Infusion pump",
        "Scanner",
    ]


def test_lists_are_paginated_with_a_cursor(world: World) -> None:
    client = as_user(world.administrator)
    first = client.get(f"{API}/products", {"limit": 1}).json()
    assert [item["name"] for item in first["items"]] == ["Infusion pump"]
    second = client.get(f"{API}/products", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert [item["name"] for item in second["items"]] == ["Scanner"]
    assert second["next_cursor"] is None
    problem(client.get(f"{API}/products", {"cursor": "forged"}), 400)


def test_filters_narrow_the_lists(world: World) -> None:
    client = as_user(world.administrator)
    assert names(client.get(f"{API}/products", {"search": "lvp"})) == ["Infusion pump"]
    assert names(client.get(f"{API}/products", {"cyber_device": "true"})) == ["Infusion pump"]
    deployed = client.get(f"{API}/versions", {"phase": "deployed"})
    assert sorted(names(deployed, "version")) == ["3.1.0", "9.1"]


def test_signed_out_callers_get_401(db: None) -> None:
    problem(Client().get(f"{API}/products"), 401)
