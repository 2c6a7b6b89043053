"""The OpenAPI document lists every problem status an operation can answer.

django-ninja documents only the statuses an endpoint declares (its successes),
so 128 to 135 operations answered statuses the document did not list. Each
operation gets, beside its own, the RFC 9457 problems that follow from its shape:
400 when it reads a body or a query, 401 and 403 unless public, 404 when it names
an object (path) or may (body or query), 409 when it changes data, 413 with a
body, 422 when it takes any input, 429 on public writes (rate-limited), and 503
everywhere (a statement past the web statement limit, `platform.statement_timeout`).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from medvigil.platform.problems import PROBLEM_CONTENT_TYPE, TITLES

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details, with per-field errors.",
    "required": ["type", "title", "status", "detail", "instance", "request_id", "errors"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["location", "message"],
                "properties": {
                    "location": {"type": "array", "items": {"type": "string"}},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})


def problem_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    parameters = operation.get("parameters", [])
    in_path = any(item["in"] == "path" for item in parameters)
    in_query = any(item["in"] == "query" for item in parameters)
    has_body = "requestBody" in operation
    public = "security" not in operation
    statuses = {503}
    if has_body or in_query:
        statuses |= {400, 404}
    if in_path:
        statuses.add(404)
    if has_body or in_query or in_path:
        statuses.add(422)
    if not public:
        statuses |= {401, 403}
    if method in UNSAFE_METHODS:
        statuses.add(409)
    if has_body:
        statuses.add(413)
    if public and method in UNSAFE_METHODS:
        statuses.add(429)
    return statuses


def document_problems(document: OpenAPISchema) -> OpenAPISchema:
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for methods in document["paths"].values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(problem_statuses(method, operation)):
                responses.setdefault(
                    status,
                    {
                        "description": TITLES[status],
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}},
                    },
                )
    return document


class ProblemDocumentingAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists the problems each operation can answer."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_problems(document)
