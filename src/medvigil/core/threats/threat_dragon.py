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
from dataclasses import dataclass
from typing import Any

from medvigil.core.threats.document import read_model, write_model
from medvigil.core.threats.model import FORMAT, ArchitectureModel
from medvigil.core.threats.threat_dragon_cells import (
    Box,
    Identifiers,
    box_of,
    cell_name,
    end_of,
    fail,
    flag,
    listed,
    mapping,
    text,
)

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
        self.elements.append(
            {
                "id": identifier,
                "name": name,
                "kind": KINDS[kind],
                "description": text(properties.get("description"), f"{path}.description"),
                "in_scope": not flag(properties.get("outOfScope"), f"{path}.outOfScope"),
                "encryption_at_rest": "database" if encrypted and kind == "tm.Store" else "none",
                "data_classes": classes,
            }
        )
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
            described = " ".join(
                part
                for part in (
                    described,
                    "Drawn as a curve in Threat Dragon: "
                    "which elements it encloses is not recorded.",
                )
                if part
            )
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
            "encryption": "tls"
            if flag(properties.get("isEncrypted"), f"{path}.isEncrypted")
            else "none",
            "exposure": ["internet"] if public else [],
        }
        identifier = self.ids.new(name, "flow")
        self.flows.append(
            {"id": identifier, "name": name, "source": source, "destination": destination, **values}
        )
        targets = [identifier]
        if flag(properties.get("isBidirectional"), f"{path}.isBidirectional"):
            back = self.ids.new(f"{name} reply", "flow")
            self.flows.append(
                {
                    "id": back,
                    "name": f"{name} (reply)",
                    "source": destination,
                    "destination": source,
                    **values,
                }
            )
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
            parent = next(
                (
                    name
                    for name, box in by_area
                    if name != boundary["id"]
                    and box.width * box.height > own.width * own.height
                    and own.inside(box)
                ),
                None,
            )
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
    converted = {
        "format": FORMAT,
        "name": name,
        "description": text(summary.get("description"), "summary.description"),
        "boundaries": converter.boundaries,
        "elements": converter.elements,
        "flows": converter.flows,
    }
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
    return [
        {
            "stride": threat.stride,
            "title": threat.title[:300],
            "description": threat.description,
            "targets": list(threat.targets),
        }
        for threat in threats
        if threat.stride is not None
    ]
