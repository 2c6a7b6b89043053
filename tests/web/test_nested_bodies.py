"""A value that is not an object, where the body's schema wants one, is refused at any depth.

The walk reads the published OpenAPI document (GET /api/v1/openapi.json).
For every operation with a JSON body, every property at any depth whose
schema is an object (a nested schema, a map; each item of a list of them)
is sent a string, a number, a list and, unless the schema allows it, a null,
inside an otherwise well-formed body aimed at the authorization matrix's
objects, with an administrator's token. Each must be a 422 problem naming
that field, and change no row of any table. Before the fix django-ninja read
such a value as an object of defaults (`{"statement": "x"}` was a statement
with every field at its default), which then overwrote stored data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from medvigil.accounts import tokens
from tests.security.world import build_world
from tests.web.api_properties import changed_tables, fingerprint, project_tables

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"
JSON = "application/json"
NOT_OBJECTS: tuple[Any, ...] = ("text", 7, ["text"])


@dataclass(frozen=True)
class Target:
    """One object-typed place in one operation's body, and the value sent there."""

    method: str
    path: str
    location: tuple[str, ...]  # inside the body: property names, and list items as `name[0]`
    value: Any

    @property
    def field(self) -> str:
        return ".".join(("body", *self.location))

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} {self.field} = {json.dumps(self.value)}"


class Document:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.schemas = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
        if len(schema.get("allOf", [])) == 1:
            return self.resolve(schema["allOf"][0])
        return schema

    def choices(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        schema = self.resolve(schema)
        for union in ("anyOf", "oneOf"):
            if union in schema:
                return [found for inner in schema[union] for found in self.choices(inner)]
        return [schema]

    def is_object(self, schema: dict[str, Any]) -> bool:
        return schema.get("type") == "object" or "properties" in schema

    def allows(self, schema: dict[str, Any], value: Any) -> bool:
        """Whether a choice of `schema` other than an object takes `value`'s JSON type."""
        kind = {str: "string", int: "integer", list: "array", type(None): "null"}[type(value)]
        return any(
            choice.get("type") == kind or (kind == "integer" and choice.get("type") == "number")
            for choice in self.choices(schema)
        )

    def example(self, schema: dict[str, Any], name: str, values: dict[str, str]) -> Any:
        """A well-formed value: required properties filled, ids aimed at the world's objects."""
        choice: dict[str, Any] = next(
            (item for item in self.choices(schema) if item.get("type") != "null"), {"type": "null"}
        )
        if "enum" in choice:
            return choice["enum"][0]
        if "default" in choice and choice["default"] is not None:
            return choice["default"]
        kind = choice.get("type")
        if self.is_object(choice):
            properties = choice.get("properties", {})
            return {
                key: self.example(properties[key], key, values)
                for key in choice.get("required", [])
            }
        if kind == "array":
            return []
        if kind == "integer":
            return int(values.get(name, "1")) if values.get(name, "1").isdigit() else 1
        if kind == "number":
            return 1.0
        if kind == "boolean":
            return False
        if kind == "string":
            return {"date-time": "2026-06-01T09:00:00Z", "date": "2026-06-01"}.get(
                choice.get("format", ""), "text"
            )
        return None

    def object_places(
        self, schema: dict[str, Any], location: tuple[str, ...], depth: int = 0
    ) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
        """(location, schema) of every object-typed place below `schema`, at any depth."""
        if depth > 6:  # recursive schemas: deep enough to reach every distinct place
            return
        for choice in self.choices(schema):
            if self.is_object(choice):
                if location:
                    yield location, schema
                for key, inner in choice.get("properties", {}).items():
                    yield from self.object_places(inner, (*location, key), depth + 1)
                extra = choice.get("additionalProperties")
                if isinstance(extra, dict):
                    yield from self.object_places(extra, (*location, "name"), depth + 1)
            elif (
                choice.get("type") == "array" and location and isinstance(choice.get("items"), dict)
            ):
                last = f"{location[-1]}[0]"
                yield from self.object_places(choice["items"], (*location[:-1], last), depth + 1)


def body_with(
    document: Document,
    schema: dict[str, Any],
    location: tuple[str, ...],
    value: Any,
    values: dict[str, str],
) -> dict[str, Any]:
    """A well-formed body with `value` at `location` (parents filled in on the way)."""
    body = document.example(schema, "", values)
    assert isinstance(body, dict)
    holder: Any = body
    current = schema
    for index, step in enumerate(location):
        name, _, item = step.partition("[")
        choice = next(c for c in document.choices(current) if document.is_object(c))
        inner: dict[str, Any] = choice.get("properties", {}).get(name) or choice.get(
            "additionalProperties", {}
        )
        last = index == len(location) - 1
        if item:
            items = next(c for c in document.choices(inner) if c.get("type") == "array")["items"]
            holder[name] = [value if last else document.example(items, name, values)]
            holder, current = holder[name][0], items
        else:
            holder[name] = value if last else document.example(inner, name, values)
            holder, current = holder[name], inner
    return body


def targets(document: Document) -> Iterator[tuple[Target, dict[str, Any]]]:
    for path, methods in document.document["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            if JSON not in content:
                continue
            schema = content[JSON]["schema"]
            for location, place in document.object_places(schema, ()):
                for value in (*NOT_OBJECTS, None):
                    if document.allows(place, value):
                        continue
                    yield Target(method, path, location, value), schema


def url(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def test_every_nested_object_of_every_body_refuses_a_value_that_is_not_an_object() -> None:
    world = build_world()
    issued = tokens.issue_token(
        world.users["administrator"], name="nested bodies", scope="write", lifetime_days=5
    )
    tokens.authenticate_token(issued.secret, "127.0.0.1")  # its first use records itself once
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}
    client = Client()
    answer = client.get(f"{PREFIX}/openapi.json")
    assert answer.status_code == 200
    document = Document(answer.json())
    values = {**world.own, "token_id": str(issued.token.pk)}
    tables = project_tables()
    baseline = fingerprint(tables)

    failures = []
    sent = set()
    for target, schema in targets(document):
        body = body_with(document, schema, target.location, target.value, values)
        with transaction.atomic():
            response = client.generic(
                target.method.upper(), url(target.path, values), json.dumps(body), JSON, **headers
            )
            changed = changed_tables(baseline, fingerprint(tables))
            transaction.set_rollback(True)
        sent.add(f"{target.method} {target.path}")
        message = f"{target.field} must be a JSON object."
        expected = [{"location": ["body", *target.location], "message": message}]
        problem = response.json() if response["Content-Type"].endswith("json") else {}
        if (
            response.status_code != 422
            or response["Content-Type"] != "application/problem+json"
            or problem.get("errors") != expected
            or changed
        ):
            failures.append(
                f"{target}: {response.status_code} {response.content[:300]!r} changed {changed}"
            )
    print(f"nested bodies: {len(sent)} operations with object fields, all refused as documented")
    assert len(sent) >= 5
    assert "post /api/v1/triage/decisions/bulk" in sent  # its `statement` read "x" as defaults
    assert failures == [], f"{len(failures)} refused wrongly:\n" + "\n".join(failures)
