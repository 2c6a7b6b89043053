"""One pagination convention for every API list: keyset with an opaque cursor.

A list is ordered by fields whose last one is unique (usually `id`). The
cursor carries the ordering values of the last item, signed so a client can
neither forge nor damage it unnoticed. Unlike offsets, pages stay correct
while rows are added, and deep pages cost the same as the first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet
from ninja import Schema
from pydantic import Field

from medvigil.platform.refusals import Kind, Refusal

Item = TypeVar("Item")
CURSOR_SALT = "medvigil.pagination"
DEFAULT_LIMIT = 50
MAXIMUM_LIMIT = 500


class PageQuery(Schema):
    cursor: str | None = Field(None, description="Cursor from the previous page's next_cursor")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAXIMUM_LIMIT, description="Items per page")


class Page(Schema, Generic[Item]):
    items: list[Item]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page"
    )


def encode_cursor(values: Sequence[Any]) -> str:
    return signing.dumps([str(value) for value in values], salt=CURSOR_SALT, compress=True)


def decode_cursor(cursor: str, width: int) -> list[str]:
    try:
        values = signing.loads(cursor, salt=CURSOR_SALT)
    except signing.BadSignature as error:
        message = "The cursor is not one this server issued."
        raise Refusal(message, Kind.UNREADABLE, {"cursor": message}) from error
    if not isinstance(values, list) or len(values) != width:
        message = "The cursor does not belong to this list."
        raise Refusal(message, Kind.UNREADABLE, {"cursor": message})
    return [str(value) for value in values]


def after(ordering: Sequence[str], values: Sequence[str]) -> Q:
    """Rows strictly after `values` in `ordering` (fields, '-' for descending)."""
    condition = Q()
    for position, field in enumerate(ordering):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        step = Q(**{f"{name}__{lookup}": values[position]})
        for earlier_field, earlier_value in zip(ordering[:position], values, strict=False):
            step &= Q(**{earlier_field.lstrip("-"): earlier_value})
        condition |= step
    return condition


ModelType = TypeVar("ModelType", bound=Model)


def paginate(
    queryset: QuerySet[ModelType],
    query: PageQuery,
    *,
    ordering: Sequence[str] = ("-id",),
    serialize: Callable[[ModelType], Any] | None = None,
) -> dict[str, Any]:
    rows = queryset.order_by(*ordering)
    if query.cursor:
        rows = rows.filter(after(ordering, decode_cursor(query.cursor, len(ordering))))
    window = list(rows[: query.limit + 1])
    items = window[: query.limit]
    next_cursor = None
    if len(window) > query.limit and items:
        last = items[-1]
        next_cursor = encode_cursor([getattr(last, field.lstrip("-")) for field in ordering])
    return {
        "items": [serialize(item) for item in items] if serialize else items,
        "next_cursor": next_cursor,
    }
