"""Import an OWASP Threat Dragon model (JSON, version 1 or 2) into medvigil's architecture model.

What maps, cell by cell (version 2 keeps the properties under `data` and
names the type there; version 1 keeps them on the cell itself):

- `tm.Actor` → external entity, `tm.Process` → process, `tm.Store` → data
  store; `outOfScope` → `in_scope: false`; on a store `isEncrypted` →
  `encryption_at_rest: database`, `storesCredentials` → `credentials`,
  `isALog` → `logs`.
- `tm.Flow` → data flow between the cells it joins, with `protocol`;
  `isEncrypted` → `encryption: tls`, `isPublicNetwork` → `exposure:
  [internet]`, `isBidirectional` → a second flow in the other direction. A
  flow with a loose end (drawn to a point, not to an element) joins nothing
  and is left out, with a note.
- `tm.BoundaryBox` (a box) → trust boundary holding every element whose
  centre lies inside the box (the smallest such box when boxes nest; a box
  inside another gets it as parent).
- `tm.Boundary` (a curve) → trust boundary with no elements: a curve does not
  enclose anything, so which side an element is on is left to the reader, and
  the boundary's description says so.
- `tm.Text` (free text on the diagram) is not part of the architecture.

Threat Dragon's own threats are not part of the YAML format; they come back as
`ImportedThreat`s (STRIDE category, title, description with status, severity
and mitigation, target ids), ready to add as manual threats.

Raises ThreatModelError naming the JSON path of anything it cannot map.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from medvigil.core.threats.document import Problem, ThreatModelError, read_model, write_model
from medvigil.core.threats.model import FORMAT, ArchitectureModel

KINDS = {"tm.Actor": "external_entity", "tm.Process": "process", "tm.Store": "data_store"}
BOUNDARIES = ("tm.Boundary", "tm.BoundaryBox")
IGNORED = ("tm.Text",)
# Threat Dragon's threat types by diagram type (STRIDE, CIA, LINDDUN…) with a STRIDE equivalent.
STRIDE_OF = {
    "spoofing": "spoofing",
    "tampering": "tampering",
    "repudiation": "repudiation",
    "information disclosure": "information_disclosure",
    "denial of service": "denial_of_service",
    "elevation of privilege": "elevation_of_privilege",
    "confidentiality": "information_disclosure",
    "integrity": "tampering",
    "availability": "denial_of_service",
    "disclosure of information": "information_disclosure",
}


@dataclass(frozen=True)
class ImportedThreat:
    """A threat written in the Threat Dragon model, to keep as a manual threat."""

    stride: str | None  # None when the model's threat type has no STRIDE equivalent
    kind: str
    title: str
    description: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Conversion:
    model: ArchitectureModel
    threats: tuple[ImportedThreat, ...]
    notes: tuple[str, ...]


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


def threats_of(
    properties: dict[str, Any], path: str, targets: tuple[str, ...]
) -> list[ImportedThreat]:
    found = []
    for index, value in enumerate(listed(properties.get("threats") or [], f"{path}.threats")):
        where = f"{path}.threats[{index}]"
        threat = mapping(value, where)
        kind = text(threat.get("type"), f"{where}.type")
        title = text(threat.get("title"), f"{where}.title").strip()
        if not title:
            raise fail(f"{where}.title", "a threat needs a title")
        details = [text(threat.get("description"), f"{where}.description").strip()]
        for key in ("status", "severity", "mitigation"):
            value = text(threat.get(key), f"{where}.{key}").strip()
            if value:
                details.append(f"{key.capitalize()} in Threat Dragon: {value}")
        described = "\n\n".join(part for part in details if part)
        stride = STRIDE_OF.get(kind.strip().lower())
        found.append(ImportedThreat(stride, kind, title, described, targets))
    return found


class Converter:
    def __init__(self) -> None:
        self.ids = Identifiers()
        self.boundaries: list[dict[str, Any]] = []
        self.boxes: dict[str, Box] = {}
        self.elements: list[dict[str, Any]] = []
        self.centres: dict[str, tuple[float, float]] = {}
        self.flows: list[dict[str, Any]] = []
        self.threats: list[ImportedThreat] = []
        self.notes: list[str] = []

    def diagram(self, value: Any, path: str) -> None:
        diagram = mapping(value, path)
        if "cells" in diagram:
            cells_path = f"{path}.cells"
            cells = listed(diagram["cells"], cells_path)
        else:
            cells_path = f"{path}.diagramJson.cells"
            container = mapping(diagram.get("diagramJson"), f"{path}.diagramJson")
            cells = listed(container.get("cells"), cells_path)
        ours: dict[str, str] = {}  # Threat Dragon cell id → our element id
        flows: list[tuple[dict[str, Any], dict[str, Any], str]] = []
        for index, value in enumerate(cells):
            where = f"{cells_path}[{index}]"
            cell = mapping(value, where)
            properties = mapping(cell["data"], f"{where}.data") if "data" in cell else cell
            kind = text(properties.get("type"), f"{where}.type")
            if kind in KINDS:
                identifier = self.element(cell, properties, kind, where)
                cell_id = cell.get("id")
                if not isinstance(cell_id, str):
                    raise fail(f"{where}.id", "expected the id of the cell")
                ours[cell_id] = identifier
            elif kind == "tm.Flow":
                flows.append((cell, properties, where))
            elif kind in BOUNDARIES:
                self.boundary(cell, properties, kind, where)
            elif kind not in IGNORED:
                raise fail(f"{where}.type", f"unknown cell type {kind!r}")
        for cell, properties, where in flows:
            self.flow(cell, properties, where, ours)

    def element(
        self, cell: dict[str, Any], properties: dict[str, Any], kind: str, path: str
    ) -> str:
        name = cell_name(cell, properties) or KINDS[kind].replace("_", " ")
        identifier = self.ids.new(name, KINDS[kind].replace("_", "-"))
        classes = []
        if flag(properties.get("storesCredentials"), f"{path}.storesCredentials"):
            classes.append("credentials")
        if flag(properties.get("isALog"), f"{path}.isALog"):
            classes.append("logs")
        encrypted = flag(properties.get("isEncrypted"), f"{path}.isEncrypted")
        self.elements.append({
            "id": identifier, "name": name, "kind": KINDS[kind],
            "description": text(properties.get("description"), f"{path}.description"),
            "in_scope": not flag(properties.get("outOfScope"), f"{path}.outOfScope"),
            "encryption_at_rest": "database" if encrypted and kind == "tm.Store" else "none",
            "data_classes": classes,
        })  # fmt: skip
        box = box_of(cell, path)
        self.centres[identifier] = (box.left + box.width / 2, box.top + box.height / 2)
        self.threats.extend(threats_of(properties, path, (identifier,)))
        return identifier

    def boundary(
        self, cell: dict[str, Any], properties: dict[str, Any], kind: str, path: str
    ) -> None:
        name = cell_name(cell, properties) or f"Trust boundary {len(self.boundaries) + 1}"
        identifier = self.ids.new(name, "boundary")
        described = text(properties.get("description"), f"{path}.description")
        if kind == "tm.BoundaryBox":
            self.boxes[identifier] = box_of(cell, path)
        else:
            described = " ".join(part for part in (described,
                "Drawn as a curve in Threat Dragon: which elements it encloses is not recorded.")
                if part)  # fmt: skip
            self.notes.append(f"{path}: trust boundary {name!r} is a curve; no elements put in it")
        self.boundaries.append({"id": identifier, "name": name, "description": described})

    def flow(
        self, cell: dict[str, Any], properties: dict[str, Any], path: str, ours: dict[str, str]
    ) -> None:
        ends = []
        for end in ("source", "target"):
            attached = end_of(cell, end, path)
            if attached is None:
                self.notes.append(f"{path}: flow not attached at its {end}; left out")
                return
            if attached not in ours:
                raise fail(f"{path}.{end}", f"{attached!r} is not an actor, process or store")
            ends.append(ours[attached])
        source, destination = ends
        if source == destination:
            self.notes.append(f"{path}: flow from an element to itself; left out")
            return
        names = {element["id"]: element["name"] for element in self.elements}
        name = cell_name(cell, properties) or f"{names[source]} to {names[destination]}"
        protocol = text(properties.get("protocol"), f"{path}.protocol").strip()
        public = flag(properties.get("isPublicNetwork"), f"{path}.isPublicNetwork")
        values = {
            "description": text(properties.get("description"), f"{path}.description"),
            "protocol": protocol,
            "encryption": "tls" if flag(properties.get("isEncrypted"), f"{path}.isEncrypted")
            else "none",
            "exposure": ["internet"] if public else [],
        }  # fmt: skip
        identifier = self.ids.new(name, "flow")
        self.flows.append({"id": identifier, "name": name, "source": source,
                           "destination": destination, **values})  # fmt: skip
        targets = [identifier]
        if flag(properties.get("isBidirectional"), f"{path}.isBidirectional"):
            back = self.ids.new(f"{name} reply", "flow")
            self.flows.append({"id": back, "name": f"{name} (reply)", "source": destination,
                               "destination": source, **values})  # fmt: skip
            targets.append(back)
        self.threats.extend(threats_of(properties, path, tuple(targets)))

    def place(self) -> None:
        """Put elements in the smallest box holding their centre; nest boxes likewise."""
        by_area = sorted(self.boxes.items(), key=lambda item: item[1].width * item[1].height)
        for element in self.elements:
            x, y = self.centres[element["id"]]
            holder = next((name for name, box in by_area if box.holds(x, y)), None)
            if holder is not None:
                element["boundary"] = holder
        for boundary in self.boundaries:
            own = self.boxes.get(boundary["id"])
            if own is None:
                continue
            parent = next((name for name, box in by_area if name != boundary["id"]
                           and box.width * box.height > own.width * own.height
                           and own.inside(box)), None)  # fmt: skip
            if parent is not None:
                boundary["parent"] = parent


def convert(document: Any) -> Conversion:
    """Threat Dragon's parsed JSON as medvigil's model; raises ThreatModelError."""
    if isinstance(document, dict) and "otmVersion" in document:
        raise fail("", "an Open Threat Model (OTM) file, not a Threat Dragon model")
    if isinstance(document, dict) and "bomFormat" in document:
        raise fail("", "a CycloneDX BOM, not a Threat Dragon model")
    if not isinstance(document, dict) or not isinstance(document.get("detail"), dict):
        raise fail("", "not a Threat Dragon model (no detail.diagrams)")
    diagrams = document["detail"].get("diagrams")
    if not isinstance(diagrams, list):
        raise fail("detail.diagrams", "not a Threat Dragon model (no detail.diagrams)")
    summary = mapping(document.get("summary") or {}, "summary")
    converter = Converter()
    for index, diagram in enumerate(diagrams):
        converter.diagram(diagram, f"detail.diagrams[{index}]")
    converter.place()
    if not converter.elements:
        raise fail("detail.diagrams", "no actor, process or store to import")
    name = text(summary.get("title"), "summary.title").strip() or "Threat Dragon model"
    converted = {"format": FORMAT, "name": name,
                 "description": text(summary.get("description"), "summary.description"),
                 "boundaries": converter.boundaries, "elements": converter.elements,
                 "flows": converter.flows}  # fmt: skip
    model = read_model(json.dumps(converted))
    return Conversion(model, tuple(converter.threats), tuple(converter.notes))


def read_threat_dragon(text: str | bytes) -> Conversion:
    """A Threat Dragon JSON model converted; raises ThreatModelError (only)."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise fail("", f"not valid JSON: {error}") from error
    return convert(document)


def threat_dragon_to_yaml(text: str | bytes) -> str:
    return write_model(read_threat_dragon(text).model)


def threats_out(threats: tuple[ImportedThreat, ...]) -> list[dict[str, Any]]:
    """The threats with a STRIDE category, in the shape the manual threat API takes."""
    return [{"stride": threat.stride, "title": threat.title[:300],
             "description": threat.description, "targets": list(threat.targets)}
            for threat in threats if threat.stride is not None]  # fmt: skip
