"""`{% load audit_display %}`: an event's changes and details as people read them."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()
NOTHING = "—"


def label(name: str) -> str:
    """`content_hash` → "Content hash"."""
    words = str(name).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else NOTHING


def readable(value: Any) -> str:
    """A value as a sentence fragment: yes/no, lists joined, nested objects as "name: value"."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        parts = [f"{label(key).lower()}: {readable(item)}" for key, item in value.items()]
        return "; ".join(parts) or NOTHING
    if isinstance(value, list | tuple):
        return ", ".join(readable(item) for item in value) or "none"
    return str(value)


@register.filter
def change_rows(changes: Any) -> list[tuple[str, str, str]]:
    """`{field: [before, after]}` as (label, before, after) rows."""
    if not isinstance(changes, dict):
        return []
    rows = []
    for name, values in changes.items():
        pair = values if isinstance(values, list | tuple) and len(values) == 2 else [None, values]
        rows.append((label(name), readable(pair[0]), readable(pair[1])))
    return rows


@register.filter
def detail_rows(details: Any) -> list[tuple[str, str]]:
    if not isinstance(details, dict):
        return []
    return [(label(name), readable(value)) for name, value in details.items()]
