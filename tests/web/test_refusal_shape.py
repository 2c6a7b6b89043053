"""Every API operation refuses in one shape: the RFC 9457 body with per-field `errors`.

The operations come from the OpenAPI document, so a new endpoint is checked
without touching this file. Each is only sent requests that it must refuse:
without credentials (401 unless public), a nonexistent id as an administrator
(404), an invalid body or a missing required query value (422), a forged
cursor (400). Nothing is ever stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from medvigil.api import api
from tests import factories

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id", "errors"}
PREFIX = "/api/v1"
MISSING_ID = 987654321
MISSING_UUID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    public: bool
    path_parameters: dict[str, dict[str, Any]]
    required_query: tuple[str, ...]
    paginated: bool
    body_types: tuple[str, ...]
    documented: frozenset[int]

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def url(self) -> str:
        url = PREFIX + self.path
        for name, schema in self.path_parameters.items():
            url = url.replace("{" + name + "}", nonexistent_value(schema))
        return url


def nonexistent_value(schema: dict[str, Any]) -> str:
    """A value of the parameter's type that names nothing that exists."""
    if schema.get("format") == "uuid":
        return MISSING_UUID
    if schema.get("type") == "integer":
        return str(MISSING_ID)
    return "nothing-here"


def operations() -> list[Operation]:
    document = api.get_openapi_schema(path_prefix="")
    found = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            parameters = operation.get("parameters", [])
            found.append(
                Operation(
                    method=method,
                    path=path,
                    public="security" not in operation,
                    path_parameters={
                        item["name"]: item.get("schema", {})
                        for item in parameters
                        if item["in"] == "path"
                    },
                    required_query=tuple(
                        item["name"]
                        for item in parameters
                        if item["in"] == "query" and item.get("required")
                    ),
                    paginated=any(
                        item["in"] == "query" and item["name"] == "cursor" for item in parameters
                    ),
                    body_types=tuple(operation.get("requestBody", {}).get("content", {})),
                    documented=frozenset(int(status) for status in operation["responses"]),
                )
            )
    return found


OPERATIONS = operations()


def send(client: Client, operation: Operation, *, invalid_body: bool) -> Any:
    method = getattr(client, operation.method)
    url = operation.url()
    if invalid_body and "application/json" in operation.body_types:
        return method(url, data=json.dumps("not an object"), content_type="application/json")
    if invalid_body and "multipart/form-data" in operation.body_types:
        return method(url, data={}) if operation.method == "post" else method(url)
    if operation.paginated and not operation.path_parameters:
        return method(url + "?cursor=forged")
    return method(url)


def expected_refusal(operation: Operation) -> set[int]:
    """The statuses a refusing request may get; empty when the operation accepts anything.

    A body whose fields are all optional may pass its schema; the missing id refuses then.
    """
    if operation.body_types:
        return {422, 404} if operation.path_parameters else {422}
    if operation.required_query:
        return {422}
    if operation.path_parameters:
        return {404}
    if operation.paginated:
        return {400}
    return set()


def assert_problem(response: Any, statuses: set[int], operation: Operation) -> None:
    where = f"{operation.name} answered {response.status_code}: {response.content[:300]!r}"
    assert response.status_code in statuses, where
    assert response.status_code in operation.documented, f"undocumented: {where}"
    status = response.status_code
    assert response["Content-Type"] == "application/problem+json", where
    body = json.loads(response.content)
    assert set(body) == PROBLEM_KEYS, where
    assert body["status"] == status, where
    assert body["request_id"] == response["X-Request-Id"], where
    assert body["type"].startswith("/api/v1/problems/"), where
    assert isinstance(body["title"], str), where
    assert isinstance(body["detail"], str), where
    assert body["detail"], where
    assert isinstance(body["errors"], list), where
    for error in body["errors"]:
        assert set(error) == {"location", "message"}, where
        assert isinstance(error["message"], str), where
        assert error["message"], where
        assert isinstance(error["location"], list), where
        assert all(isinstance(part, str) for part in error["location"]), where


def test_the_walk_covers_every_app() -> None:
    prefixes = {operation.path.split("/")[1] for operation in OPERATIONS}
    assert {"accounts", "audit", "portfolio", "sbom", "vulns", "reports", "tasks"} <= prefixes
    assert len(OPERATIONS) > 50


# A public operation without input (the health check) has nothing to refuse.
REFUSABLE = [item for item in OPERATIONS if not (item.public and not expected_refusal(item))]


def test_only_the_health_check_has_nothing_to_refuse() -> None:
    left_out = {item.name for item in OPERATIONS} - {item.name for item in REFUSABLE}
    assert left_out == {"GET /health"}


@pytest.mark.parametrize("operation", REFUSABLE, ids=[item.name for item in REFUSABLE])
def test_every_operation_refuses_in_the_documented_shape(operation: Operation) -> None:
    provoked = 0
    if not operation.public:
        assert_problem(send(Client(), operation, invalid_body=False), {401}, operation)
        provoked += 1
    statuses = expected_refusal(operation)
    if statuses:
        client = Client()
        if not operation.public:
            factories.sign_in(client, factories.user(administrator=True))
        assert_problem(send(client, operation, invalid_body=True), statuses, operation)
        provoked += 1
    assert provoked
