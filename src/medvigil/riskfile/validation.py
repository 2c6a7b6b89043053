"""The one shape of refused input in the risk file: a 422 beside the field it is about."""

from __future__ import annotations

from medvigil.platform.refusals import Kind, Refusal


def refused_input(message: str, field: str | None = None) -> Refusal:
    """Refused input (422), shown beside `field` when it is about one."""
    return Refusal(message, Kind.INVALID, {field: message} if field else None)
