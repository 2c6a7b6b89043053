"""The OpenAPI document tells the truth about each operation (issue 19, defect 13).

Before, five pairs of schemas shared a name, so 9 operations were documented with
another app's response schema; and operations answered problem statuses that
the document did not list (checked by the refusal walk and the schemathesis run).
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from medvigil.api import api


def models_of(annotation: Any, found: dict[str, set[type]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found.get(annotation.__name__, set()):
            return
        found.setdefault(annotation.__name__, set()).add(annotation)
        for field in annotation.model_fields.values():
            models_of(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        models_of(argument, found)


def all_operations() -> list[Any]:
    return [
        operation
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]


def test_every_schema_of_the_api_has_a_name_of_its_own() -> None:
    found: dict[str, set[type]] = {}
    for operation in all_operations():
        # Each response is wrapped in a model of django-ninja's own with one field.
        for model in (operation.response_models or {}).values():
            for field in getattr(model, "model_fields", {}).values():
                models_of(field.annotation, found)
        # django-ninja's own parameter models (BodyParams, ...) never reach the document.
        for model in operation.models:
            for field in model.model_fields.values():
                models_of(field.annotation, found)
    shared = {name: models for name, models in found.items() if len(models) > 1}
    assert not shared


def test_each_documented_response_schema_is_the_operations_own() -> None:
    document = api.get_openapi_schema(path_prefix="")
    schemas = document["components"]["schemas"]
    checked = 0
    for operation in all_operations():
        for status, model in (operation.response_models or {}).items():
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                continue
            inner = model.model_fields.get("response")
            target = inner.annotation if inner is not None else None
            if not (isinstance(target, type) and issubclass(target, BaseModel)):
                continue
            if "[" in target.__name__:
                continue  # a generic page: pydantic renames it in the document
            assert schemas[target.__name__]["properties"].keys() == {
                field.alias or name for name, field in target.model_fields.items()
            }, (operation.view_func.__name__, status, target)
            checked += 1
    assert checked > 50


def test_every_operation_documents_its_problem_statuses() -> None:
    document = api.get_openapi_schema(path_prefix="")
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            statuses = {int(status) for status in operation["responses"]}
            assert 503 in statuses, (method, path)  # the web statement limit
            if "security" in operation:
                assert {401, 403} <= statuses, (method, path)
            if any(item["in"] == "path" for item in operation.get("parameters", [])):
                assert {404, 422} <= statuses, (method, path)
            if "requestBody" in operation:
                assert {400, 413, 422} <= statuses, (method, path)
    assert document["components"]["schemas"]["Problem"]["required"][0] == "type"
