"""Walk every URL pattern and API operation as every role, on owned and foreign objects."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from medvigil.api import api
from medvigil.audit.models import AuditEvent
from tests import factories
from tests.security.matrix import ANONYMOUS, API, PAGES, ROLES, Rule
from tests.security.world import TINY_SBOM, World, build_world, own_token_id

pytestmark = pytest.mark.django_db
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
DENIED_STATUSES = {401, 403, 404}
SKIPPED_NAMESPACES = {"api"}  # API operations are walked through the OpenAPI document


def named_patterns(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in SKIPPED_NAMESPACES:
                continue
            if inner == "admin":
                yield "admin:*", prefix + str(pattern.pattern)
                continue
            yield from named_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                continue  # the API's catch-all for unknown paths
            yield (
                (f"{namespace}:" if namespace else "") + pattern.name,
                prefix + str(pattern.pattern),
            )


SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})


def api_operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), path, operation


def test_every_route_has_an_entry_and_every_entry_a_route() -> None:
    pages = {name for name, _ in named_patterns(get_resolver().url_patterns)}
    operations = {(method, path) for method, path, _ in api_operations()}
    assert pages - set(PAGES) == set(), "pages without an entry in tests/security/matrix.py"
    assert set(PAGES) - pages == set(), "entries for pages that do not exist"
    assert operations - set(API) == set(), "API operations without an entry"
    assert set(API) - operations == set(), "entries for API operations that do not exist"


def clients_for(world: World) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        clients[role] = (
            client if role == ANONYMOUS else factories.sign_in(client, world.users[role])
        )
    return clients


def values_for(world: World, role: str, mine: bool) -> dict[str, str]:
    values = dict(world.own if mine else world.other)
    values["token_id"] = world.own_token_ids.get(role, "") if mine else world.other_token_id
    return values


def sample_value(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return sample_value(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            choices = [item for item in schema[combined] if item.get("type") != "null"]
            return sample_value(choices[0] if choices else {}, components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        properties = schema.get("properties", {})
        return {name: sample_value(properties[name], components) for name in required}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-01-01"
    return "matrix"


def api_request(
    client: Client, method: str, path: str, operation: dict[str, Any], values: dict[str, str]
) -> Any:
    url = re.sub(r"\{(\w+)\}", lambda match: values[match.group(1)], path)
    query = urlencode(
        {
            parameter["name"]: values.get(parameter["name"], "1")
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query" and parameter.get("required")
        }
    )
    target = f"{url}?{query}" if query else url
    body = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in body:
        fields = sample_value(body["multipart/form-data"]["schema"], COMPONENTS)
        fields["file"] = SimpleUploadedFile("bom.json", TINY_SBOM, "application/json")
        return client.post(target, fields)
    if "application/json" in body:
        payload = sample_value(body["application/json"]["schema"], COMPONENTS)
        if isinstance(payload, dict) and "team_id" in payload:
            payload["team_id"] = int(values["team_id"])
        return client.generic(method, target, json.dumps(payload), "application/json")
    return client.generic(method, target)


def page_request(client: Client, name: str, route: str, values: dict[str, str]) -> Any:
    if name == "admin:*":
        return client.get(reverse("admin:index"))
    parameters = PARAMETER.findall(route)
    url = "/" + PARAMETER.sub(lambda match: values[match.group(1)], route)
    query = {"before": values["before"], "after": values["after"]} if name == "sbom:diff" else {}
    response = client.get(url, query)
    if response.status_code == 405:
        response = client.post(url, {})
    assert parameters is not None
    return response


def reached(response: Any, anonymous_allowed: bool, label: str) -> bool:
    if response.status_code in DENIED_STATUSES:
        return False
    if response.status_code in (301, 302) and not anonymous_allowed:
        refusals = ["/sign-in/", "/admin/login/"]
        if not label.startswith("mfa-"):
            refusals.append("/account/mfa/")
        return not response["Location"].startswith(tuple(refusals))
    return True


def run(client: Client, request_maker: Any) -> tuple[Any, int]:
    """One request whose writes are undone, so every role meets the same world.

    Returns the response and how many audit events it wrote: every write emits one,
    so a refused request that wrote any changed something. The cookies are restored
    too: signing out must not sign the next request out.
    """
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    with transaction.atomic():
        before = AuditEvent.objects.count()
        response = request_maker()
        written = AuditEvent.objects.count() - before
        transaction.set_rollback(True)
    for key, value in cookies.items():
        client.cookies[key] = value
    return response, written


def check(
    rule: Rule, label: str, call: Any, world: World, tally: Counter[str], failures: list[str]
) -> None:
    for mine in (True, False):
        allowed = rule.own if mine else rule.other
        for role in ROLES:
            client = world.clients[role]
            values = values_for(world, role, mine)
            response, written = run(
                client, lambda client=client, values=values: call(client, values)
            )
            where = f"{label} as {role} on {'own' if mine else 'other'} objects"
            if response.status_code >= 500:
                failures.append(f"{where}: server error {response.status_code}")
                continue
            expected = role in allowed
            got = reached(response, ANONYMOUS in allowed, label)
            tally["allow" if expected else "deny"] += 1
            if expected != got:
                verdict = "reached" if got else "was refused"
                failures.append(f"{where}: {verdict} ({response.status_code})")
            elif not expected and written and role != ANONYMOUS:
                # A refusal changes nothing (sign-in and sign-out pages record themselves).
                failures.append(f"{where}: refused ({response.status_code}) but wrote {written}")


def test_every_role_reaches_exactly_what_the_matrix_allows() -> None:
    world = build_world()
    world.clients = clients_for(world)
    world.own_token_ids = {role: own_token_id(user) for role, user in world.users.items()}
    tally: Counter[str] = Counter()
    failures: list[str] = []
    for name, route in named_patterns(get_resolver().url_patterns):
        check(
            PAGES[name],
            name,
            lambda client, values, name=name, route=route: page_request(
                client, name, route, values
            ),
            world,
            tally,
            failures,
        )
    for method, path, operation in api_operations():
        check(
            API[(method, path)],
            f"{method} {path}",
            lambda client, values, method=method, path=path, operation=operation: api_request(
                client, method, path, operation, values
            ),
            world,
            tally,
            failures,
        )
    print(f"authorization matrix: {tally['allow']} allow and {tally['deny']} deny cases")
    assert failures == [], "\n".join(failures)
