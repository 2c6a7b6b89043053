"""Portfolio pages render real data, write through the services, and hide what they must."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from medvigil.audit.models import AuditEvent
from medvigil.portfolio.models import Product
from tests import factories
from tests.portfolio.conftest import World

TODAY = timezone.now().date()


def as_user(person: Any) -> Client:
    return factories.sign_in(Client(), person)


def page(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content[:2000]
    return str(response.content.decode())


def tile(text: str, key: str) -> int:
    start = text.index(f'data-tile="{key}"')
    value_start = text.index('class="value">', start) + len('class="value">')
    return int(text[value_start : text.index("<", value_start)])


def test_product_list_shows_only_visible_products_and_searches_with_htmx(world: World) -> None:
    client = as_user(world.engineer)
    text = page(client.get("/products/"))
    assert "Infusion pump" in text
    assert "Scanner" not in text
    assert 'href="/products/new"' in text
    rows = page(client.get("/products/", {"search": "nothing"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in rows
    assert "No product matches “nothing”." in rows
    assert 'href="/products/new"' not in page(as_user(world.viewer).get("/products/"))


def test_product_detail_shows_functions_with_flags_and_versions(world: World) -> None:
    client = as_user(world.engineer)
    client.post(
        f"/products/{world.pump.pk}/edit",
        {
            "name": "Infusion pump",
            "model_number": "LVP-1",
            "team": world.owning_team.pk,
            "is_cyber_device": "on",
            "cyber_device_reason": "Wi-Fi to the drug library server",
            "functions-TOTAL_FORMS": "2",
            "functions-INITIAL_FORMS": "0",
            "functions-0-name": "Infusion delivery",
            "functions-0-essential_performance": "on",
            "functions-0-emergency_access": "on",
            "functions-1-name": "History log",
        },
    )
    text = page(client.get(f"/products/{world.pump.pk}/"))
    start = text.index('data-function="Infusion delivery"')
    row = text[start : text.index("</tr>", start)]
    assert "essential" in row
    assert "emergency" in row
    history = text[text.index('data-function="History log"') :]
    assert "flag" not in history[: history.index("</tr>")]
    assert 'data-version="3.1.0"' in text
    assert 'data-version="4.0.0"' in text
    assert "Installed base" in text


def test_a_customer_sees_the_owned_version_without_internal_details(world: World) -> None:
    client = as_user(world.customer)
    text = page(client.get(f"/products/{world.pump.pk}/"))
    assert 'data-version="3.1.0"' in text
    assert 'data-version="4.0.0"' not in text
    assert "Installed base" not in text
    assert "Edit" not in text
    version = page(client.get(f"/products/versions/{world.pump_deployed.pk}/"))
    assert 'data-deployment="St. Example General Hospital"' in version
    assert "data-installed-base" not in version
    assert "Move to another phase" not in version
    page(client.get(f"/products/versions/{world.pump_design.pk}/"), 404)
    page(client.get(f"/products/{world.scanner.pk}/"), 404)


@pytest.mark.parametrize(
    ("who", "status"), [("other_engineer", 404), ("viewer", 403), ("customer", 403)]
)
def test_edit_pages_answer_404_when_invisible_and_403_when_read_only(
    world: World, who: str, status: int
) -> None:
    client = as_user(getattr(world, who))
    page(client.get(f"/products/{world.pump.pk}/edit"), status)
    page(client.get(f"/products/{world.pump.pk}/versions/new"), status)
    response = client.post(
        f"/products/versions/{world.pump_deployed.pk}/move",
        {"to_phase": "maintenance", "effective_date": TODAY.isoformat(), "note": "x"},
    )
    page(response, status)


def test_creating_a_product_from_the_form_is_audited_as_the_user(world: World) -> None:
    client = as_user(world.engineer)
    form = page(client.get("/products/new"))
    assert "Infusion" in form
    assert "Imaging" not in form  # only the user's own teams are offered
    response = client.post(
        "/products/new",
        {
            "name": "Vigil PM-12",
            "model_number": "PM-12",
            "team": world.owning_team.pk,
            "us_class": "II",
            "eu_class": "IIb",
            "functions-TOTAL_FORMS": "2",
            "functions-INITIAL_FORMS": "0",
            "functions-0-name": "ECG alarms",
            "functions-0-emergency_access": "on",
            "functions-1-name": "",
        },
    )
    product = Product.objects.get(model_number="PM-12")
    assert response.status_code == 302
    assert response["Location"] == f"/products/{product.pk}/"
    assert list(product.clinical_functions.values_list("name", "emergency_access")) == [
        ("ECG alarms", True)
    ]
    event = AuditEvent.objects.get(action="product-created", object_id=str(product.pk))
    assert event.actor_id == world.engineer.pk


def test_a_bad_product_form_says_why_and_stores_nothing(world: World) -> None:
    client = as_user(world.engineer)
    response = client.post(
        "/products/new",
        {
            "name": "Gateway",
            "model_number": "GW-1",
            "team": world.owning_team.pk,
            "is_cyber_device": "on",
            "functions-TOTAL_FORMS": "0",
            "functions-INITIAL_FORMS": "0",
        },
    )
    assert "Say why the product is a cyber device (section 524B)." in page(response)
    assert not Product.objects.filter(model_number="GW-1").exists()


def test_version_page_shows_the_timeline_and_moves_a_phase_with_htmx(world: World) -> None:
    client = as_user(world.engineer)
    text = page(client.get(f"/products/versions/{world.pump_deployed.pk}/"))
    assert text.count("<li data-phase=") == 1
    assert "Move to another phase" in text
    assert 'hx-post="/products/versions/' in text
    assert "<script>" not in text
    assert "style=" not in text
    response = client.post(
        f"/products/versions/{world.pump_deployed.pk}/move",
        {"to_phase": "maintenance", "effective_date": TODAY.isoformat(), "note": "Succeeded"},
        HTTP_HX_REQUEST="true",
    )
    partial = page(response)
    assert "<html" not in partial
    assert partial.count("<li data-phase=") == 2
    assert '<li data-phase="maintenance">' in partial
    assert "Succeeded" in partial
    assert "recorded by engineer" in partial


def test_a_refused_move_shows_the_reason_on_the_form(world: World) -> None:
    client = as_user(world.engineer)
    future = TODAY + datetime.timedelta(days=3)
    response = client.post(
        f"/products/versions/{world.pump_deployed.pk}/move",
        {"to_phase": "maintenance", "effective_date": future.isoformat(), "note": "Early"},
        HTTP_HX_REQUEST="true",
    )
    assert "The date is in the future." in page(response, 422)
    world.pump_deployed.refresh_from_db()
    assert world.pump_deployed.phase == "deployed"


def test_deployment_forms_record_and_remove(world: World) -> None:
    client = as_user(world.engineer)
    version = world.pump_deployed
    response = client.post(
        f"/products/versions/{version.pk}/deployments",
        {"organisation": world.clinic.pk, "units": "4"},
    )
    assert response.status_code == 302
    assert 'data-deployment="Northside Clinic"' in page(
        client.get(f"/products/versions/{version.pk}/")
    )
    too_many = client.post(
        f"/products/versions/{version.pk}/deployments",
        {"organisation": world.clinic.pk, "units": "500"},
    )
    assert "Raise the installed base first." in page(too_many, 422)
    client.post(f"/products/versions/{version.pk}/deployments/{world.clinic.pk}/remove")
    assert not version.deployments.filter(organisation=world.clinic).exists()


def test_dashboard_counts_products_versions_per_phase_and_cyber_devices(world: World) -> None:
    # The engineer's team owns the pump only: the scanner of the other team is not counted.
    text = page(as_user(world.engineer).get("/"))
    assert tile(text, "products") == 1
    assert tile(text, "cyber-devices") == 1
    assert tile(text, "versions-deployed") == 1
    assert tile(text, "versions-design") == 1
    assert tile(text, "versions-maintenance") == 0
    assert '<a href="/products/"' in text
