"""The YAML "threat model as code" format: read (validated) and write (round-trip stable).

`read_model(text)` parses with a safe YAML loader that refuses anchors and
aliases (a few bytes of aliases to one long text would be written out in full)
and checks every field; a NUL character is refused too (PostgreSQL cannot
store it). Bad input raises `ThreatModelError` listing every problem, each naming the path of
the bad field (`elements[2].exposure[0]: ...`). `write_model(model)` writes
the canonical form: fields in a fixed order, defaults left out, so
`write_model(read_model(write_model(m))) == write_model(m)`. The format is
documented field by field in docs/riskfile.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import yaml

from medvigil.core.text import nul_path
from medvigil.core.threats.model import (
    AUTHENTICATION,
    DATA_CLASSES,
    ELEMENT_KINDS,
    ENCRYPTION_AT_REST,
    ENCRYPTION_IN_TRANSIT,
    EXPOSURES,
    FORMAT,
    ArchitectureModel,
    ClinicalFunction,
    DataFlow,
    Element,
    TrustBoundary,
)

IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
Built = TypeVar("Built")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ThreatModelError(ValueError):
    """The document is not a valid threat model; `problems` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


class Reader:
    """Collects every problem of one document instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def mapping(self, value: Any, path: str, allowed: Sequence[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping, got {kind_of(value)}")
            return None
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                self.fail(
                    join(path, str(key)), f"unknown field; expected one of {', '.join(allowed)}"
                )
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(join(path, key), "is required")
            return ""
        if not isinstance(value, str):
            self.fail(join(path, key), f"expected text, got {kind_of(value)}")
            return ""
        if required and not value.strip():
            self.fail(join(path, key), "must not be empty")
        return value

    def identifier(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = self.text(data, key, path, required=True)
        if value and not IDENTIFIER.match(value):
            self.fail(
                join(path, key),
                f"{value!r} is not a valid id (lower-case letters, digits, '_', '-', '.'; "
                "at most 64 characters)",
            )
        return value

    def flag(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(join(path, key), f"expected true or false, got {kind_of(value)}")
            return default
        return value

    def choice(
        self, data: Mapping[str, Any], key: str, path: str, choices: Sequence[str], default: str
    ) -> str:
        value = data.get(key, default)
        if value not in choices or not isinstance(value, str):
            self.fail(join(path, key), f"{value!r} is not one of {', '.join(choices)}")
            return default
        return value

    def items(self, data: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(join(path, key), f"expected a list, got {kind_of(value)}")
            return []
        return value

    def choices(
        self, data: Mapping[str, Any], key: str, path: str, choices: Sequence[str]
    ) -> tuple[str, ...]:
        chosen: list[str] = []
        for index, value in enumerate(self.items(data, key, path)):
            if not isinstance(value, str) or value not in choices:
                self.fail(
                    f"{join(path, key)}[{index}]", f"{value!r} is not one of {', '.join(choices)}"
                )
            elif value not in chosen:
                chosen.append(value)
        return tuple(chosen)

    def texts(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        found: list[str] = []
        for index, value in enumerate(self.items(data, key, path)):
            if not isinstance(value, str):
                self.fail(f"{join(path, key)}[{index}]", f"expected text, got {kind_of(value)}")
            else:
                found.append(value)
        return tuple(found)

    def port(self, value: Any, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            self.fail(path, f"{value!r} is not a port number (1 to 65535)")
            return None
        return int(value)

    def ports(self, data: Mapping[str, Any], key: str, path: str) -> tuple[int, ...]:
        found: list[int] = []
        for index, value in enumerate(self.items(data, key, path)):
            port = self.port(value, f"{join(path, key)}[{index}]")
            if port is not None and port not in found:
                found.append(port)
        return tuple(found)

    def records(
        self,
        data: Mapping[str, Any],
        key: str,
        build: Callable[[Reader, dict[str, Any], str], Built | None],
        allowed: Sequence[str],
    ) -> list[Built]:
        built: list[Built] = []
        for index, value in enumerate(self.items(data, key, "")):
            path = f"{key}[{index}]"
            record = self.mapping(value, path, allowed)
            if record is not None:
                item = build(self, record, path)
                if item is not None:
                    built.append(item)
        return built


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def kind_of(value: Any) -> str:
    names = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


def field_names(kind: type[Any]) -> tuple[str, ...]:
    return tuple(field.name for field in fields(kind))


def build_function(reader: Reader, data: dict[str, Any], path: str) -> ClinicalFunction:
    return ClinicalFunction(
        id=reader.identifier(data, "id", path),
        name=reader.text(data, "name", path, required=True),
        essential_performance=reader.flag(data, "essential_performance", path, False),
        emergency_access=reader.flag(data, "emergency_access", path, False),
    )


def build_boundary(reader: Reader, data: dict[str, Any], path: str) -> TrustBoundary:
    return TrustBoundary(
        id=reader.identifier(data, "id", path),
        name=reader.text(data, "name", path, required=True),
        description=reader.text(data, "description", path),
        parent=reader.text(data, "parent", path) or None,
    )


def build_element(reader: Reader, data: dict[str, Any], path: str) -> Element:
    return Element(
        id=reader.identifier(data, "id", path),
        name=reader.text(data, "name", path, required=True),
        kind=reader.choice(data, "kind", path, ELEMENT_KINDS, "process")
        if "kind" in data
        else missing(reader, path, "kind", "process"),
        description=reader.text(data, "description", path),
        boundary=reader.text(data, "boundary", path) or None,
        in_scope=reader.flag(data, "in_scope", path, True),
        protocols=reader.texts(data, "protocols", path),
        ports=reader.ports(data, "ports", path),
        authentication=reader.choice(data, "authentication", path, AUTHENTICATION, "none"),
        encryption_at_rest=reader.choice(
            data, "encryption_at_rest", path, ENCRYPTION_AT_REST, "none"
        ),
        data_classes=reader.choices(data, "data_classes", path, DATA_CLASSES),
        exposure=reader.choices(data, "exposure", path, EXPOSURES),
        functions=reader.texts(data, "functions", path),
        logging=reader.flag(data, "logging", path, False),
    )


def build_flow(reader: Reader, data: dict[str, Any], path: str) -> DataFlow:
    port = data.get("port")
    return DataFlow(
        id=reader.identifier(data, "id", path),
        name=reader.text(data, "name", path, required=True),
        source=reader.text(data, "source", path, required=True),
        destination=reader.text(data, "destination", path, required=True),
        description=reader.text(data, "description", path),
        protocol=reader.text(data, "protocol", path),
        port=None if port is None else reader.port(port, join(path, "port")),
        authentication=reader.choice(data, "authentication", path, AUTHENTICATION, "none"),
        encryption=reader.choice(data, "encryption", path, ENCRYPTION_IN_TRANSIT, "none"),
        signed=reader.flag(data, "signed", path, False),
        replay_protection=reader.flag(data, "replay_protection", path, False),
        data_classes=reader.choices(data, "data_classes", path, DATA_CLASSES),
        exposure=reader.choices(data, "exposure", path, EXPOSURES),
    )


def missing(reader: Reader, path: str, key: str, default: str) -> str:
    reader.fail(join(path, key), "is required")
    return default


def check_references(reader: Reader, model: ArchitectureModel) -> None:
    seen: dict[str, str] = {}
    groups: list[tuple[str, Sequence[Any]]] = [
        ("functions", model.functions),
        ("boundaries", model.boundaries),
        ("elements", model.elements),
        ("flows", model.flows),
    ]
    for group, records in groups:
        for index, record in enumerate(records):
            path = f"{group}[{index}].id"
            namespace = "functions" if group == "functions" else "architecture"
            key = f"{namespace}:{record.id}"
            if record.id and key in seen:
                reader.fail(path, f"id {record.id!r} is already used by {seen[key]}")
            seen.setdefault(key, f"{group}[{index}]")
    boundary_ids = {boundary.id for boundary in model.boundaries}
    parents = {boundary.id: boundary.parent for boundary in model.boundaries}
    for index, boundary in enumerate(model.boundaries):
        if boundary.parent is not None and boundary.parent not in boundary_ids:
            reader.fail(f"boundaries[{index}].parent", f"no trust boundary {boundary.parent!r}")
        ancestor, steps = boundary.parent, 0
        while ancestor is not None and steps <= len(parents):
            if ancestor == boundary.id:
                reader.fail(f"boundaries[{index}].parent", "trust boundaries nest in a cycle")
                break
            ancestor, steps = parents.get(ancestor), steps + 1
    function_ids = {function.id for function in model.functions}
    element_ids = {element.id for element in model.elements}
    for index, element in enumerate(model.elements):
        if element.boundary is not None and element.boundary not in boundary_ids:
            reader.fail(f"elements[{index}].boundary", f"no trust boundary {element.boundary!r}")
        for position, function in enumerate(element.functions):
            if function not in function_ids:
                reader.fail(
                    f"elements[{index}].functions[{position}]",
                    f"no clinical function {function!r}",
                )
    for index, flow in enumerate(model.flows):
        for end in ("source", "destination"):
            target = getattr(flow, end)
            if target and target not in element_ids:
                reader.fail(f"flows[{index}].{end}", f"no element {target!r}")
        if flow.source and flow.source == flow.destination:
            reader.fail(f"flows[{index}].destination", "a flow joins two different elements")


class NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases: a model has no use for them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problem = "YAML anchors and aliases are not accepted"
            raise yaml.MarkedYAMLError(problem=problem, problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str | bytes) -> Any:
    """Decoded YAML without anchors, aliases or NUL characters; raises ThreatModelError."""
    try:
        document = yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        raise ThreatModelError([Problem(where, f"not valid YAML: {error.problem}")]) from error
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, OverflowError) as error:
        raise ThreatModelError([Problem("", f"not valid YAML: {error}")]) from error
    found = nul_path(document, "")
    if found is not None:
        where = found.removeprefix(".") or "(document)"
        raise ThreatModelError([Problem(where, "contains a NUL character, which cannot be stored")])
    return document


TOP_FIELDS = (
    "format",
    "name",
    "description",
    "assumptions",
    "functions",
    "boundaries",
    "elements",
    "flows",
)


def read_model(text: str | bytes) -> ArchitectureModel:
    """Parse and validate a YAML threat model; raises ThreatModelError (only)."""
    document = load_yaml(text)
    reader = Reader()
    data = reader.mapping(document, "(document)", TOP_FIELDS)
    if data is None:
        raise ThreatModelError(reader.problems)
    if data.get("format") != FORMAT:
        reader.fail("format", f"must be {FORMAT!r}, got {data.get('format')!r}")
    model = ArchitectureModel(
        name=reader.text(data, "name", "", required=True),
        description=reader.text(data, "description", ""),
        assumptions=reader.texts(data, "assumptions", ""),
        functions=tuple(
            reader.records(data, "functions", build_function, field_names(ClinicalFunction))
        ),
        boundaries=tuple(
            reader.records(data, "boundaries", build_boundary, field_names(TrustBoundary))
        ),
        elements=tuple(reader.records(data, "elements", build_element, field_names(Element))),
        flows=tuple(reader.records(data, "flows", build_flow, field_names(DataFlow))),
    )
    check_references(reader, model)
    if reader.problems:
        raise ThreatModelError(reader.problems)
    return model


def record_out(record: Any) -> dict[str, Any]:
    """A record as a mapping in field order, leaving out fields at their default."""
    written: dict[str, Any] = {}
    for field in fields(record):
        value = getattr(record, field.name)
        if value == field.default:
            continue
        written[field.name] = list(value) if isinstance(value, tuple) else value
    return written


def model_out(model: ArchitectureModel) -> dict[str, Any]:
    document: dict[str, Any] = {"format": FORMAT, "name": model.name}
    if model.description:
        document["description"] = model.description
    if model.assumptions:
        document["assumptions"] = list(model.assumptions)
    for key in ("functions", "boundaries", "elements", "flows"):
        records = getattr(model, key)
        if records:
            document[key] = [record_out(record) for record in records]
    return document


def write_model(model: ArchitectureModel) -> str:
    """The canonical YAML of `model` (fixed field order, defaults left out)."""
    return yaml.safe_dump(
        model_out(model), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
