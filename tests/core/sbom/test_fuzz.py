"""Fuzzing: any bytes give a document or an SbomFormatError, never another exception.

Each example has a deadline, so a hang or a pathological slowdown fails the
test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.core.sbom import SbomFormatError, normalise_purl, parse_sbom
from tests.conftest import shared_data_directory

SBOM_FOLDER = shared_data_directory() / "sbom"
SEEDS = {
    name: (SBOM_FOLDER / name).read_bytes()
    for name in (
        "cyclonedx/bom-examples/CBOM/Example-With-Dependencies/bom.json",
        "cyclonedx/bom-examples/HBOM/PCIe-SATA-adapter-board/bom.json",
        "cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml",
        "spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/04-SBOMwSecurity.json",
        "spdx/spdx-examples/software/example4/spdx2.2/example4-bin.spdx",
    )
}
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("MEDVIGIL_FUZZ_EXAMPLES", "150")),
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _parse_or_refuse(content: bytes, name: str) -> None:
    message = None
    try:
        document = parse_sbom(content, name)
    except SbomFormatError as error:
        message = str(error)
    if message is None:
        assert document.format in ("CycloneDX", "SPDX")
    else:
        assert message.startswith(f"{name}: ")


@FUZZ_SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(content: bytes) -> None:
    _parse_or_refuse(content, "random.bin")


@FUZZ_SETTINGS
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_mutated_bytes_of_real_documents(name: str, data: st.DataObject) -> None:
    content = bytearray(SEEDS[name])
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if action == "flip":
            content[position] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del content[position : position + data.draw(st.integers(1, 50))]
        elif action == "insert":
            content[position:position] = data.draw(st.binary(min_size=1, max_size=20))
        else:
            del content[position:]
        if not content:
            break
    _parse_or_refuse(bytes(content), Path(name).name)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


JSON_SEEDS = sorted(name for name in SEEDS if name.endswith(".json"))


@FUZZ_SETTINGS
@given(st.sampled_from(JSON_SEEDS), st.data())
def test_mutated_valid_json(name: str, data: st.DataObject) -> None:
    document = json.loads(SEEDS[name])
    for _ in range(data.draw(st.integers(1, 4))):
        paths = _paths(document)
        path = data.draw(st.sampled_from(paths))
        replacement = data.draw(JSON_VALUES)
        if not path:
            document = replacement
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = replacement
    _parse_or_refuse(json.dumps(document).encode(), Path(name).name)


@FUZZ_SETTINGS
@given(st.text(max_size=200))
def test_any_purl_text_normalises_or_warns(text: str) -> None:
    result = normalise_purl(text)
    assert result.original == text
    assert result.canonical is not None or result.warning is not None


def test_an_unknown_xml_encoding_is_a_format_error() -> None:
    """Found by fuzzing: a mutated encoding declaration made the XML reader raise LookupError."""
    document = b'<?xml version="1.0" encoding="no-such-codec"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>'
    with pytest.raises(SbomFormatError, match="unknown encoding"):
        parse_sbom(document, "bom.xml")
