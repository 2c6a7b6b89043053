"""Every CycloneDX and SPDX file of the shared data set is read, or refused by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medvigil.core.sbom import SbomFormatError, parse_sbom
from tests.conftest import shared_data_directory

SBOM_FOLDER = shared_data_directory() / "sbom"
ALL_FILES = sorted(path for path in SBOM_FOLDER.rglob("*") if path.is_file())


def _is_spdx_3(path: Path) -> bool:
    return "spdx3.0" in path.parts


def _is_rdf(path: Path) -> bool:
    return path.name.endswith(".rdf.xml")


def _id(path: Path) -> str:
    return str(path.relative_to(SBOM_FOLDER))


@pytest.mark.whole_corpus
def test_the_data_set_holds_the_expected_files() -> None:
    # A vanished file would make the parametrised tests below pass vacuously.
    assert len(ALL_FILES) == 51
    assert sum(1 for path in ALL_FILES if _is_spdx_3(path)) == 8
    assert sum(1 for path in ALL_FILES if _is_rdf(path)) == 1


@pytest.mark.parametrize(
    "path", [path for path in ALL_FILES if not _is_spdx_3(path) and not _is_rdf(path)], ids=_id
)
def test_every_cyclonedx_and_spdx_2_file_is_read(path: Path) -> None:
    document = parse_sbom(path.read_bytes(), path.name)
    expected_format = "CycloneDX" if "cyclonedx" in path.parts else "SPDX"
    assert document.format == expected_format
    assert document.spec_version
    references = [component.reference for component in document.components]
    assert all(reference for reference in references)
    assert all(component.name for component in document.components)
    # No schema error in these published examples: only expected warnings.
    assert not [warning for warning in document.warnings if warning.startswith("schema")]


@pytest.mark.parametrize("path", [path for path in ALL_FILES if _is_spdx_3(path)], ids=_id)
def test_spdx_3_is_refused_as_unsupported(path: Path) -> None:
    with pytest.raises(SbomFormatError, match=r"SPDX 3 \(JSON-LD\) is not supported") as caught:
        parse_sbom(path.read_bytes(), path.name)
    assert caught.value.filename == path.name
    assert str(caught.value).startswith(f"{path.name}: ")


def test_spdx_rdf_is_refused_as_unsupported() -> None:
    path = SBOM_FOLDER / "spdx/spdx-spec-v2.3-examples/SPDXRdfExample-v2.3.spdx.rdf.xml"
    with pytest.raises(SbomFormatError, match="SPDX RDF/XML is not supported"):
        parse_sbom(path.read_bytes(), path.name)


def _count_cyclonedx_components(items: list[dict[str, object]]) -> int:
    total = 0
    for item in items:
        nested = item.get("components", [])
        assert isinstance(nested, list)
        total += 1 + _count_cyclonedx_components(nested)
    return total


@pytest.mark.parametrize("path", [path for path in ALL_FILES if path.suffix == ".json"], ids=_id)
def test_component_count_matches_a_second_reading_of_the_raw_json(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    if "@context" in raw:
        return  # SPDX 3: refused above
    document = parse_sbom(path.read_bytes(), path.name)
    if "bomFormat" in raw:
        expected = _count_cyclonedx_components(raw.get("components", []))
    else:
        expected = len(raw.get("packages", []))
    assert len(document.components) == expected


def test_the_same_spdx_document_reads_alike_in_four_serialisations() -> None:
    folder = SBOM_FOLDER / "spdx/spdx-spec-v2.3-examples"
    names = (
        "SPDXJSONExample-v2.3.spdx.json",
        "SPDXYAMLExample-2.3.spdx.yaml",
        "SPDXXMLExample-v2.3.spdx.xml",
        "SPDXTagExample-v2.3.spdx",
    )
    documents = [parse_sbom((folder / name).read_bytes(), name) for name in names]
    assert [document.serialisation for document in documents] == [
        "json",
        "yaml",
        "xml",
        "tag-value",
    ]
    reference = documents[0]
    for document in documents[1:]:
        assert sorted(document.components, key=lambda item: item.reference) == sorted(
            reference.components, key=lambda item: item.reference
        )
        assert document.dependencies == reference.dependencies
        assert document.created == reference.created
        assert document.primary_component_ref == reference.primary_component_ref


@pytest.mark.parametrize(
    ("json_name", "xml_name"),
    [
        ("SBOM/laravel-7.12.0/bom.1.4.json", "SBOM/laravel-7.12.0/bom.1.4.xml"),
        ("SBOM/laravel-7.12.0/bom.1.3.json", "SBOM/laravel-7.12.0/bom.1.3.xml"),
        (
            "SBOM/proton-bridge/proton-bridge-v1.6.3.bom.json",
            "SBOM/proton-bridge/proton-bridge-v1.6.3.bom.xml",
        ),
        ("SBOM/cern-lhc-vdm-editor-e564943/bom.json", "SBOM/cern-lhc-vdm-editor-e564943/bom.xml"),
    ],
)
def test_cyclonedx_json_and_xml_of_one_project_give_the_same_components(
    json_name: str, xml_name: str
) -> None:
    folder = SBOM_FOLDER / "cyclonedx/bom-examples"
    from_json = parse_sbom((folder / json_name).read_bytes(), json_name)
    from_xml = parse_sbom((folder / xml_name).read_bytes(), xml_name)
    assert from_xml.serialisation == "xml"
    assert from_json.components == from_xml.components
    assert from_json.dependencies == from_xml.dependencies
    assert from_json.primary_component == from_xml.primary_component


def test_dropwizard_json_and_xml_differ_only_where_the_files_differ() -> None:
    # The published XML leaves out one licence expression that the JSON has.
    folder = SBOM_FOLDER / "cyclonedx/bom-examples/SBOM/dropwizard-1.3.15"
    from_json = parse_sbom((folder / "bom.json").read_bytes(), "bom.json")
    from_xml = parse_sbom((folder / "bom.xml").read_bytes(), "bom.xml")
    different = [
        (left, right)
        for left, right in zip(from_json.components, from_xml.components, strict=True)
        if left != right
    ]
    assert len(different) == 1
    left, right = different[0]
    assert left.name == right.name == "osgi-resource-locator"
    assert left.licenses == ("(CDDL-1.0 OR GPL-2.0-with-classpath-exception)",)
    assert right.licenses == ()
    assert left.hashes == right.hashes
    assert from_json.dependencies == from_xml.dependencies
