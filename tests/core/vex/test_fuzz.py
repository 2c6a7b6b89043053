"""Fuzzing the VEX readers: any input is read or refused with VexFormatError, nothing else."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.core.vex import VexFormatError, read_vex

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def survives(data: bytes | str) -> None:
    with contextlib.suppress(VexFormatError):
        read_vex(data, source="fuzz.json")


@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    survives(data)


@given(json_values)
def test_arbitrary_json(value: Any) -> None:
    survives(json.dumps(value))


def mutations(document: dict[str, Any]) -> st.SearchStrategy[str]:
    """The document with one member somewhere replaced by an arbitrary value."""
    paths: list[tuple[object, ...]] = []

    def walk(value: object, path: tuple[object, ...]) -> None:
        paths.append(path)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value[:3]):
                walk(item, (*path, index))

    walk(document, ())

    def mutate(path: tuple[object, ...], replacement: object) -> str:
        copy = json.loads(json.dumps(document))
        if not path:
            return json.dumps(replacement)
        target = copy
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = replacement
        return json.dumps(copy)

    return st.builds(mutate, st.sampled_from(paths), json_values)


def real_documents() -> list[dict[str, Any]]:
    from tests.conftest import shared_data_directory

    root = shared_data_directory() / "vex"
    chosen = [
        root / "cyclonedx/bom-examples/VEX/vex.json",
        root / "cyclonedx/bom-examples/VEX/Use-Cases/Case-8/vex.json",
        root / "csaf/oasis-tcs-csaf/sec-vex-2022-0001.json",
        root / "csaf/oasis-tcs-csaf/2022-evd-uc-09-001.json",
    ]
    documents = [json.loads(Path(path).read_text()) for path in chosen]
    documents.append(
        {
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.com/vex/1",
            "author": "Example",
            "timestamp": "2023-10-11T08:00:00Z",
            "version": 1,
            "statements": [
                {
                    "vulnerability": {"name": "CVE-2023-44487", "aliases": ["GHSA-x"]},
                    "products": [
                        {
                            "@id": "pkg:oci/example",
                            "identifiers": {"purl": "pkg:oci/example"},
                            "subcomponents": [{"@id": "pkg:golang/golang.org/x/net@0.7.0"}],
                        }
                    ],
                    "status": "affected",
                    "action_statement": "Update",
                }
            ],
        }
    )
    return documents


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(real_documents()).flatmap(mutations))
def test_real_documents_with_one_field_broken(data: str) -> None:
    survives(data)


def test_deep_nesting_is_refused_not_crashed() -> None:
    nested: dict[str, Any] = {"name": "leaf", "type": "library"}
    for _ in range(200):
        nested = {"name": "x", "type": "library", "components": [nested]}
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [nested],
        "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "in_triage"}}],
    }
    with pytest.raises(VexFormatError, match="nest deeper"):
        read_vex(json.dumps(document), source="deep.json")
