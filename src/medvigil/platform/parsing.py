"""The API's request parser: JSON object bodies and query strings without NUL characters.

PostgreSQL cannot store a NUL character in text or JSON, so input holding one
is refused up front as a 400 problem naming the field, on every database.

Every JSON body of the API is an object. django-ninja's `Schema` reads any other
value through its attributes, so a body such as `7` became an object of
defaults that overwrote stored data; such a body is refused as a 422 problem.
So is an integer that no database column can hold (beyond 64 bits), which
otherwise reached the database and failed there as an OverflowError.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from medvigil.core.text import nul_path
from medvigil.platform.refusals import Kind, Refusal


def refuse_nul(data: Any, where: str) -> None:
    found = nul_path(data, where)
    if found is not None:
        message = f"{found} contains a NUL character, which cannot be stored."
        raise Refusal(message, Kind.UNREADABLE, {found: message})


# The range of a 64-bit signed integer, the widest integer column on every database.
SMALLEST_INTEGER = -(2**63)
LARGEST_INTEGER = 2**63 - 1


def oversized_integer_path(value: Any, path: str) -> str | None:
    """The path of the first integer beyond 64 bits in parsed JSON, or None."""
    pending: list[tuple[Any, str]] = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, int) and not isinstance(item, bool):
            if not SMALLEST_INTEGER <= item <= LARGEST_INTEGER:
                return where
        elif isinstance(item, dict):
            pending.extend((inner, f"{where}.{key}") for key, inner in item.items())
        elif isinstance(item, list):
            pending.extend((inner, f"{where}[{index}]") for index, inner in enumerate(item))
    return None


def refuse_oversized_integers(data: Any, where: str) -> None:
    found = oversized_integer_path(data, where)
    if found is not None:
        message = f"{found} is a number larger than this server can store."
        raise Refusal(message, Kind.INVALID, {found: message})


def refuse_non_object(data: Any) -> None:
    if not isinstance(data, dict):
        message = "The request body must be a JSON object."
        raise Refusal(message, Kind.INVALID, {"body": message})


class ProblemParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        refuse_nul(data, "body")
        refuse_oversized_integers(data, "body")
        # django-ninja also parses each JSON field of a multipart form through here, on a
        # request of its own without a content type; those fields may be any JSON value.
        if request.content_type is not None:
            refuse_non_object(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        refuse_nul(result, "query")
        return result
