"""A JSON body that is not an object is refused whole, and nothing is changed.

django-ninja's `Schema` reads a non-object through its attributes, so a body
such as `7` was an object of defaults: found by fuzzing, `PUT .../embargo` with
`-1594420519` lifted an embargo and `PATCH .../support` with `7` cleared the
support fields. The parser refuses it for every operation (issue 19, defect 8).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from medvigil.disclosure.cases import services as case_services
from medvigil.platform.roles import Role
from medvigil.sbom.models import Component
from medvigil.sbom.services import import_sbom, set_component_support
from tests import factories
from tests.disclosure.conftest import submitted
from tests.security.world import TINY_SBOM

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["-1594420519", "7", '"text"', "[]", "null", "true", "[{}]"]


def assert_refused_as_not_an_object(response: Any) -> None:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["detail"] == "The request body must be a JSON object."
    assert body["errors"] == [
        {"location": ["body"], "message": "The request body must be a JSON object."}
    ]


@pytest.mark.parametrize("sent", NOT_OBJECTS)
def test_an_embargo_is_not_lifted_by_a_body_that_is_not_an_object(sent: str) -> None:
    handler = factories.user(roles={Role.PSIRT.value}, teams=[factories.team()])
    case = submitted().case
    case_services.set_embargo(
        case, user=handler, until=datetime.datetime(2026, 12, 1, 9), time_zone="Europe/Berlin"
    )
    case.refresh_from_db()
    before = (case.embargo_until, case.embargo_time_zone)
    assert before[0] is not None
    client = factories.sign_in(Client(), handler)
    response = client.put(
        f"/api/v1/disclosure/cases/{case.pk}/embargo", sent, content_type="application/json"
    )
    assert_refused_as_not_an_object(response)
    case.refresh_from_db()
    assert (case.embargo_until, case.embargo_time_zone) == before


@pytest.mark.parametrize("sent", NOT_OBJECTS)
def test_support_fields_are_not_cleared_by_a_body_that_is_not_an_object(sent: str) -> None:
    team = factories.team()
    engineer = factories.user(roles={Role.PRODUCT_SECURITY.value}, teams=[team])
    version = factories.sbom_version(owner=team)
    document = import_sbom(version, TINY_SBOM, "bom.json", "firmware", None)
    component = Component.objects.filter(document=document).first()
    assert component is not None
    set_component_support(component, "actively maintained", None, engineer)
    component.refresh_from_db()
    before = (component.level_of_support, component.end_of_support, component.support_set_by)
    client = factories.sign_in(Client(), engineer)
    response = client.patch(
        f"/api/v1/sbom/components/{component.pk}/support", sent, content_type="application/json"
    )
    assert_refused_as_not_an_object(response)
    component.refresh_from_db()
    assert (
        component.level_of_support,
        component.end_of_support,
        component.support_set_by,
    ) == before


BEYOND_64_BITS = [2**63, -(2**63) - 1, 10**30]


@pytest.mark.parametrize("number", BEYOND_64_BITS)
def test_a_bulk_body_with_an_integer_beyond_64_bits_is_a_422_naming_it(number: int) -> None:
    client = factories.sign_in(Client(), factories.user(administrator=True))
    response = client.post(
        "/api/v1/triage/decisions/bulk",
        f'{{"finding_ids": [1, {number}], "statement": {{"status": "affected"}}}}',
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    message = "body.finding_ids[1] is a number larger than this server can store."
    assert response.json()["errors"] == [
        {"location": ["body", "finding_ids[1]"], "message": message}
    ]


def test_an_integer_beyond_64_bits_in_the_path_or_query_is_a_422() -> None:
    client = factories.sign_in(Client(), factories.user(administrator=True))
    for url in (f"/api/v1/portfolio/products/{10**30}", f"/api/v1/vulns/findings?limit={10**30}"):
        response = client.get(url)
        assert response.status_code in {404, 422}, (url, response.content)
        assert response["Content-Type"] == "application/problem+json"
