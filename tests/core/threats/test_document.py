"""The YAML format: exact validation messages, canonical round trip, fuzzing."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from medvigil.core.threats import ThreatModelError, read_model, write_model

DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).parents[3] / "src/medvigil/riskfile/demo_data/lvp-300-3.2.0.threatmodel.yaml"

VALID = """
format: medvigil-threat-model/1
name: Pump
functions:
  - {id: bolus, name: Emergency bolus, emergency_access: true}
boundaries:
  - {id: ward, name: Ward}
elements:
  - {id: pump, name: Pump, kind: process, boundary: ward, functions: [bolus], ports: [443]}
  - {id: tablet, name: Tablet, kind: external_entity}
flows:
  - {id: command, name: Command, source: tablet, destination: pump, port: 443}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(ThreatModelError) as error:
        read_model(text)
    return [str(problem) for problem in error.value.problems]


def test_a_valid_model_reads_into_dataclasses() -> None:
    model = read_model(VALID)
    assert model.element("pump").functions == ("bolus",)
    assert model.emergency_elements() == frozenset({"pump"})
    assert model.flows[0].port == 443


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("kind: process", "kind: robot"),
            ["elements[0].kind: 'robot' is not one of process, data_store, external_entity"],
        ),
        (
            ("ports: [443]", "ports: [443, 70000]"),
            ["elements[0].ports[1]: 70000 is not a port number (1 to 65535)"],
        ),
        (
            ("boundary: ward,", "boundary: ocean,"),
            ["elements[0].boundary: no trust boundary 'ocean'"],
        ),
        (
            ("functions: [bolus]", "functions: [flush]"),
            ["elements[0].functions[0]: no clinical function 'flush'"],
        ),
        (
            ("destination: pump", "destination: nowhere"),
            ["flows[0].destination: no element 'nowhere'"],
        ),
        (
            ("destination: pump", "destination: tablet"),
            ["flows[0].destination: a flow joins two different elements"],
        ),
        (
            ("id: tablet", "id: pump"),
            [
                "elements[1].id: id 'pump' is already used by elements[0]",
                "flows[0].source: no element 'tablet'",
            ],
        ),
        (
            ("id: command", "id: Command!"),
            [
                "flows[0].id: 'Command!' is not a valid id "
                "(lower-case letters, digits, '_', '-', '.'; at most 64 characters)"
            ],
        ),
        (
            ("emergency_access: true", "emergency_access: maybe"),
            ["functions[0].emergency_access: expected true or false, got text"],
        ),
        (
            ("name: Tablet, kind", "colour: blue, name: Tablet, kind"),
            [
                "elements[1].colour: unknown field; expected one of id, name, kind, description, "
                "boundary, in_scope, protocols, ports, authentication, encryption_at_rest, "
                "data_classes, exposure, functions, logging"
            ],
        ),
        (
            ("format: medvigil-threat-model/1", "format: pytm"),
            ["format: must be 'medvigil-threat-model/1', got 'pytm'"],
        ),
        (
            ("name: Tablet, kind: external_entity", "name: Tablet"),
            ["elements[1].kind: is required"],
        ),
    ],
)
def test_each_bad_field_is_named_with_its_path(
    change: tuple[str, str], expected: list[str]
) -> None:
    old, new = change
    assert old in VALID
    assert problems_of(VALID.replace(old, new, 1)) == expected


def test_every_problem_is_reported_at_once() -> None:
    text = VALID.replace("kind: process", "kind: robot").replace("port: 443}", "port: 0}")
    assert problems_of(text) == [
        "elements[0].kind: 'robot' is not one of process, data_store, external_entity",
        "flows[0].port: 0 is not a port number (1 to 65535)",
    ]


def test_broken_yaml_names_line_and_column() -> None:
    assert problems_of("name: [unclosed\nformat: x") == [
        "line 2, column 7: not valid YAML: expected ',' or ']', but got ':'"
    ]


def test_a_document_that_is_not_a_mapping() -> None:
    assert problems_of("- just\n- a list") == ["(document): expected a mapping, got a list"]


def test_unsafe_yaml_tags_are_refused() -> None:
    [message] = problems_of("!!python/object/apply:os.system ['true']")
    assert message.startswith("line 1, column 1: not valid YAML")


@pytest.mark.parametrize("path", [DATA / "pytm-sample.yaml", DEMO], ids=["pytm", "demo"])
def test_round_trip_is_stable(path: Path) -> None:
    model = read_model(path.read_text())
    written = write_model(model)
    assert read_model(written) == model
    assert write_model(read_model(written)) == written


def test_written_yaml_leaves_defaults_out() -> None:
    written = yaml.safe_load(write_model(read_model(VALID)))
    assert written["elements"][1] == {"id": "tablet", "name": "Tablet", "kind": "external_entity"}


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["id", "name", "kind", "flows", "elements", "format", "source", "ports"]
            )
            | st.text(max_size=6),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_fuzzed_text_raises_only_the_declared_error(text: str) -> None:
    with contextlib.suppress(ThreatModelError):
        read_model(text)


@settings(max_examples=300, deadline=None)
@given(yaml_values)
def test_fuzzed_structures_raise_only_the_declared_error(value: object) -> None:
    with contextlib.suppress(ThreatModelError):
        read_model(yaml.safe_dump(value))
