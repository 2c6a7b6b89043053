"""Reading Threat Dragon's cells: typed field access that names the JSON path of a bad
value, identifiers made from names, and the geometry of a cell."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from medvigil.core.threats.document import Problem, ThreatModelError


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    def holds(self, x: float, y: float) -> bool:
        return self.left <= x <= self.left + self.width and self.top <= y <= self.top + self.height

    def inside(self, other: Box) -> bool:
        return other.holds(self.left, self.top) and other.holds(
            self.left + self.width, self.top + self.height
        )


def fail(path: str, message: str) -> ThreatModelError:
    return ThreatModelError([Problem(path, message)])


def mapping(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(path, "expected an object")
    return value


def listed(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise fail(path, "expected a list")
    return value


def text(value: Any, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fail(path, "expected text")
    return value


def flag(value: Any, path: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise fail(path, "expected true or false")
    return value


def number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise fail(path, "expected a number")
    try:
        return float(value)
    except OverflowError as error:
        raise fail(path, "number too large") from error


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:56] or "x"


class Identifiers:
    """Readable ids from names, unique across boundaries, elements and flows."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(self, name: str, fallback: str) -> str:
        base = slug(name) if slug(name) != "x" else fallback
        candidate, number = base, 2
        while candidate in self.used:
            candidate, number = f"{base}-{number}", number + 1
        self.used.add(candidate)
        return candidate


def nested(cell: dict[str, Any], *keys: str) -> Any:
    value: Any = cell
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def cell_name(cell: dict[str, Any], properties: dict[str, Any]) -> str:
    """The name a cell shows: `name` in version 2, the drawn text or label otherwise."""
    for keys in (("name",), ("attrs", "text", "text"), ("attrs", "label", "text")):
        source = properties if keys == ("name",) else cell
        value = nested(source, *keys)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    labels = cell.get("labels")
    if isinstance(labels, list):
        for label in labels:
            for keys in (("attrs", "text", "text"), ("attrs", "labelText", "text")):
                value = nested(label, *keys)
                if isinstance(value, str) and value.strip():
                    return " ".join(value.split())
    return ""


def box_of(cell: dict[str, Any], path: str) -> Box:
    position = mapping(cell.get("position"), f"{path}.position")
    size = mapping(cell.get("size"), f"{path}.size")
    return Box(
        number(position.get("x"), f"{path}.position.x"),
        number(position.get("y"), f"{path}.position.y"),
        number(size.get("width"), f"{path}.size.width"),
        number(size.get("height"), f"{path}.size.height"),
    )


def end_of(cell: dict[str, Any], end: str, path: str) -> str | None:
    """The cell id a flow end is attached to (`cell` in version 2, `id` in 1), None if loose."""
    point = mapping(cell.get(end), f"{path}.{end}")
    attached = point.get("cell", point.get("id"))
    if attached is None:
        return None
    if not isinstance(attached, str):
        raise fail(f"{path}.{end}", "expected the id of a cell")
    return attached
