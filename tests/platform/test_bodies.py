"""The body guard: a non-object where a nested schema stands is refused, not read as defaults.

A small API of its own shows the defect the guard closes: django-ninja reads
`"x"`, `7`, `[]` or `null` given for a nested schema whose fields all have
defaults as that schema with its defaults (what would then overwrite stored
data). Guarded, each is a 422 naming the field; objects, and nulls where the
schema allows them, go through as before.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.testing import TestClient

from medvigil.platform.bodies import guard_bodies
from medvigil.platform.problems import install_problem_handlers


class Support(Schema):
    level: str = "unknown"
    until: str | None = None


class Component(Schema):
    name: str
    support: Support = Support()
    previous: Support | None = None
    history: list[Support] = []
    by_supplier: dict[str, Support] = {}


def component_api(guarded: bool) -> NinjaAPI:
    api = NinjaAPI(urls_namespace=f"bodies-{guarded}")
    install_problem_handlers(api)

    @api.post("/components")
    def create(request: HttpRequest, payload: Component) -> dict[str, Any]:
        return payload.dict()

    if guarded:
        guard_bodies(api)
    return api


def post(api: NinjaAPI, body: dict[str, Any]) -> Any:
    return TestClient(api).post(
        "/components", data=json.dumps(body), content_type="application/json"
    )


NOT_OBJECTS = [("support", "x"), ("support", 7), ("support", []), ("support", None)]
NESTED = [
    ({"previous": "x"}, "body.previous"),
    ({"history": [{}, "x"]}, "body.history[1]"),
    ({"by_supplier": {"acme": 7}}, "body.by_supplier.acme"),
]


@pytest.mark.parametrize(("field", "value"), NOT_OBJECTS)
def test_unguarded_a_value_that_is_not_an_object_becomes_the_defaults(
    field: str, value: Any
) -> None:
    response = post(component_api(guarded=False), {"name": "zlib", field: value})
    assert response.status_code == 200
    assert response.json()[field] == {"level": "unknown", "until": None}  # the defect


@pytest.mark.parametrize(("field", "value"), NOT_OBJECTS)
def test_guarded_it_is_a_422_naming_the_field(field: str, value: Any) -> None:
    response = post(component_api(guarded=True), {"name": "zlib", field: value})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": ["body", field], "message": f"body.{field} must be a JSON object."}
    ]


@pytest.mark.parametrize(("body", "field"), NESTED)
def test_guarded_it_is_refused_at_any_depth(body: dict[str, Any], field: str) -> None:
    response = post(component_api(guarded=True), {"name": "zlib", **body})
    assert response.status_code == 422
    message = f"{field} must be a JSON object."
    assert response.json()["errors"] == [{"location": field.split("."), "message": message}]


def test_guarded_objects_and_allowed_nulls_still_go_through() -> None:
    body = {
        "name": "zlib",
        "support": {"level": "actively maintained"},
        "previous": None,
        "history": [{"level": "abandoned", "until": "2020-01-01"}],
        "by_supplier": {"acme": {}},
    }
    response = post(component_api(guarded=True), body)
    assert response.status_code == 200
    assert response.json()["support"] == {"level": "actively maintained", "until": None}
    assert response.json()["history"] == [{"level": "abandoned", "until": "2020-01-01"}]
    # Type mismatches other than a missing object stay pydantic's to report.
    wrong = post(component_api(guarded=True), {"name": ["zlib"]})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["location"][-1] == "name"
