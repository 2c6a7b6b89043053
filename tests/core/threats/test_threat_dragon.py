"""OWASP Threat Dragon's example models converted to medvigil's format."""

from __future__ import annotations

import contextlib
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvigil.core.threats import ThreatModelError, generate, read_model, write_model
from medvigil.core.threats.threat_dragon import (
    convert,
    read_threat_dragon,
    threat_dragon_to_yaml,
    threats_out,
)

FOLDER = "threatmodel/threat-dragon"
DEMO_V1 = "ThreatDragonModels/demo-threat-model.json"
DEMO_V2 = "td.vue/src/service/demo/v2-threat-model.json"
# Every JSON model in the shared folder: (elements, flows, boundaries) or the reason it is refused.
EXPECTED: dict[str, tuple[int, int, int] | str] = {
    DEMO_V1: (7, 10, 4),
    DEMO_V2: (7, 9, 3),
    "td.vue/src/service/demo/cryptocurrency-wallet.json": (15, 21, 2),
    "td.vue/src/service/demo/generic-cms.json": (5, 6, 1),
    "td.vue/src/service/demo/iot-device.json": (11, 14, 1),
    "td.vue/src/service/demo/three-tier-web-app.json": (3, 4, 2),
    "td.vue/src/service/demo/mobile-cloud.otm.json": "an Open Threat Model (OTM) file",
    "ThreatDragonModels/test/example-open-threat-model.json": "an Open Threat Model (OTM) file",
    "ThreatDragonModels/tmbom-otm-example.cdx.json": "a CycloneDX BOM",
    "ThreatDragonModels/tmbom-pytm-example.cdx.json": "a CycloneDX BOM",
}


def load(shared_data: Path, name: str) -> bytes:
    return (shared_data / FOLDER / name).read_bytes()


def test_every_json_model_in_the_shared_folder_is_listed(shared_data: Path) -> None:
    found = {
        str(path.relative_to(shared_data / FOLDER))
        for path in (shared_data / FOLDER).rglob("*.json")
        if "schema" not in path.parts
    }
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_model_converts_and_validates_or_is_refused(shared_data: Path, name: str) -> None:
    expected = EXPECTED[name]
    if isinstance(expected, str):
        with pytest.raises(ThreatModelError, match=re.escape(expected)):
            read_threat_dragon(load(shared_data, name))
        return
    converted = read_threat_dragon(load(shared_data, name))
    model = converted.model
    assert (len(model.elements), len(model.flows), len(model.boundaries)) == expected
    written = threat_dragon_to_yaml(load(shared_data, name))
    assert read_model(written) == model
    assert generate(model)


def test_the_version_1_demo_maps_kinds_flows_and_its_own_threats(shared_data: Path) -> None:
    converted = read_threat_dragon(load(shared_data, DEMO_V1))
    model = converted.model
    assert model.name == "Demo Threat Model"
    kinds = {element.name: element.kind for element in model.elements}
    assert kinds == {
        "Worker Config": "data_store",
        "Database": "data_store",
        "Web Application Config": "data_store",
        "Message Queue": "data_store",
        "Background Worker Process": "process",
        "Web Application": "process",
        "Browser": "external_entity",
    }
    request = next(flow for flow in model.flows if flow.name == "Web Request")
    assert (request.source, request.destination) == ("browser", "web-application")
    assert (request.protocol, request.encryption, request.exposure) == (
        "HTTP/S",
        "tls",
        ("internet",),
    )
    assert model.element("worker-config").data_classes == ("credentials",)
    assert model.element("database").data_classes == ("logs",)
    # Curves enclose nothing: kept as boundaries without elements, each with a note.
    assert all(element.boundary is None for element in model.elements)
    assert all("curve" in boundary.description for boundary in model.boundaries)
    assert sum("is a curve" in note for note in converted.notes) == 4
    assert len(converted.threats) == 14
    poison = [threat for threat in converted.threats if threat.title.startswith("Poison")]
    assert {(threat.stride, threat.targets) for threat in poison} == {
        ("denial_of_service", ("background-worker-process",))
    }
    assert "Mitigation in Threat Dragon: Implement a poison message queue" in (
        poison[0].description
    )


def test_the_version_2_demo_leaves_out_the_flow_with_a_loose_end(shared_data: Path) -> None:
    converted = read_threat_dragon(load(shared_data, DEMO_V2))
    assert "Web Request" not in {flow.name for flow in converted.model.flows}
    assert "detail.diagrams[0].cells[19]: flow not attached at its source; left out" in (
        converted.notes
    )
    assert len(threats_out(converted.threats)) == 13


def test_boxes_hold_the_elements_drawn_inside_them(shared_data: Path) -> None:
    model = read_threat_dragon(
        load(shared_data, "td.vue/src/service/demo/three-tier-web-app.json")
    ).model
    assert {element.name: element.boundary for element in model.elements} == {
        "Web UI": "internet",
        "Web Service": "public-cloud",
        "PostgresSQL": "public-cloud",
    }
    names = {flow.name for flow in model.flows}
    assert {"Web Service to PostgresSQL", "Web Service to PostgresSQL (reply)"} <= names


def box(identifier: str, x: float, y: float, width: float, height: float) -> dict[str, Any]:
    return {
        "id": identifier,
        "shape": "trust-boundary-box",
        "position": {"x": x, "y": y},
        "size": {"width": width, "height": height},
        "data": {"type": "tm.BoundaryBox", "name": identifier},
    }


def node(identifier: str, kind: str, x: float, y: float) -> dict[str, Any]:
    return {
        "id": identifier,
        "position": {"x": x, "y": y},
        "size": {"width": 10, "height": 10},
        "data": {"type": kind, "name": identifier},
    }


def model_of(cells: list[dict[str, Any]]) -> dict[str, Any]:
    return {"summary": {"title": "T"}, "detail": {"diagrams": [{"cells": cells}]}}


def test_nested_boxes_give_the_innermost_boundary_and_a_parent() -> None:
    document = model_of(
        [
            box("hospital", 0, 0, 1000, 1000),
            box("device", 100, 100, 200, 200),
            node("pump", "tm.Process", 150, 150),
            node("ehr", "tm.Store", 600, 600),
            node("nurse", "tm.Actor", 2000, 2000),
        ]
    )
    model = convert(document).model
    assert {element.id: element.boundary for element in model.elements} == {
        "pump": "device",
        "ehr": "hospital",
        "nurse": None,
    }
    assert {boundary.id: boundary.parent for boundary in model.boundaries} == {
        "hospital": None,
        "device": "hospital",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda cells: cells[0]["data"].update(type="tm.Cloud"),
            "detail.diagrams[0].cells[0].type: unknown cell type 'tm.Cloud'",
        ),
        (
            lambda cells: cells[0].update(position={"x": "left", "y": 0}),
            "detail.diagrams[0].cells[0].position.x: expected a number",
        ),
        (
            lambda cells: cells.append(
                {
                    "id": "f",
                    "data": {"type": "tm.Flow"},
                    "source": {"cell": "a"},
                    "target": {"cell": "nowhere"},
                }
            ),
            "detail.diagrams[0].cells[2].target: 'nowhere' is not an actor, process or store",
        ),
        (
            lambda cells: cells[1]["data"].update(threats=[{"type": "Spoofing"}]),
            "detail.diagrams[0].cells[1].threats[0].title: a threat needs a title",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_path(change: Any, message: str) -> None:
    cells = [node("a", "tm.Process", 0, 0), node("b", "tm.Actor", 50, 0)]
    change(cells)
    with pytest.raises(ThreatModelError) as refused:
        convert(model_of(cells))
    assert str(refused.value) == message


def test_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(ThreatModelError, match="not valid JSON"):
        read_threat_dragon(b"{")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_is_converted_or_refused_with_the_converter_s_error(value: Any) -> None:
    with contextlib.suppress(ThreatModelError):
        convert(value)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(paths(item, (*prefix, index)))
    return found


@pytest.fixture(scope="module")
def demo(shared_data: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(load(shared_data, DEMO_V2))
    return loaded


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_damaged_demo_model_is_converted_or_refused(demo: dict[str, Any], data: Any) -> None:
    damaged = copy.deepcopy(demo)
    where = data.draw(st.sampled_from(paths(damaged)[1:]))
    parent = damaged
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = data.draw(json_values)
    try:
        converted = convert(damaged)
    except ThreatModelError as error:
        refused = error
    else:
        assert read_model(write_model(converted.model)) == converted.model
        return
    assert all(problem.message for problem in refused.problems)
