"""What is refused, with which message; XML and YAML safety; limits."""

from __future__ import annotations

import json

import pytest

from medvigil.core.sbom import SbomFormatError, parse_sbom


def _cyclonedx(**fields: object) -> bytes:
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", **fields}).encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "bom.json: the document is empty"),
        (b"   \n", "bom.json: the document is empty"),
        (b"{not json", "bom.json: not valid JSON"),
        (b"[1, 2]", "bom.json: not a recognised SBOM"),
        (b'{"a": 1}', "bom.json: not a recognised SBOM: JSON without 'bomFormat'"),
        (b'{"bomFormat": "SWID"}', "bom.json: bomFormat: 'SWID' is not 'CycloneDX'"),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "2.0"}',
            "bom.json: specVersion: CycloneDX '2.0' is not supported",
        ),
        (b'{"bomFormat": "CycloneDX"}', "bom.json: specVersion: CycloneDX None is not supported"),
        (b'{"spdxVersion": "SPDX-2.1"}', "bom.json: spdxVersion: 'SPDX-2.1' is not supported"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": NaN}', "not valid JSON"),
        (
            b"\xff\xfe\x00garbage",
            "bom.json: not UTF-8 text (byte 0xff on line 1, column 1 is not a UTF-8 character);"
            " save or export the file as UTF-8 and upload it again",
        ),
        (
            b"bomFormat: CycloneDX\nspecVersion: '1.6'\n",
            "CycloneDX is read as JSON or XML, not YAML",
        ),
        (b"<html><body/></html>", "bom.json: not a recognised SBOM: XML root element 'html'"),
        (b"<bom", "bom.json: not well-formed XML"),
        (b"just: text", "bom.json: not a recognised SBOM"),
    ],
)
def test_refused_with_a_clear_message(content: bytes, message: str) -> None:
    with pytest.raises(SbomFormatError) as caught:
        parse_sbom(content, "bom.json")
    assert message in str(caught.value)
    assert caught.value.filename == "bom.json"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"components": {"name": "x"}}, "components: must be an array, not an object"),
        ({"components": ["x"]}, "components[0]: must be an object, not a string"),
        ({"components": [{"type": "library"}]}, "components[0].name: is required"),
        (
            {"components": [{"type": "library", "name": "x", "version": 3}]},
            "components[0].version: must be a string, not a number",
        ),
        (
            {"components": [{"name": "x", "hashes": [{"alg": "MD5"}]}]},
            "components[0].hashes[0].content: is required",
        ),
        (
            {"components": [{"name": "x", "components": [{"name": "y", "purl": ["p"]}]}]},
            "components[0].components[0].purl: must be a string, not an array",
        ),
        ({"dependencies": [{"dependsOn": []}]}, "dependencies[0].ref: is required"),
        ({"metadata": []}, "metadata: must be an object, not an array"),
        ({"metadata": {"timestamp": 5}}, "metadata.timestamp: must be a string, not a number"),
    ],
)
def test_structurally_broken_cyclonedx_is_refused(
    document: dict[str, object], message: str
) -> None:
    with pytest.raises(SbomFormatError) as caught:
        parse_sbom(_cyclonedx(**document), "bom.json")
    assert str(caught.value) == f"bom.json: {message}"


def test_schema_deviations_are_warnings_when_components_are_readable() -> None:
    content = _cyclonedx(
        serialNumber="not-a-urn",
        metadata={"timestamp": "2024-05-01T10:00:00"},
        components=[{"type": "gizmo", "name": "x", "bom-ref": "x"}],
        dependencies=[{"ref": "x", "dependsOn": ["ghost"]}],
    )
    document = parse_sbom(content, "bom.json")
    assert [component.name for component in document.components] == ["x"]
    warnings = "\n".join(document.warnings)
    assert "schema 1.6:" in warnings
    assert '"gizmo" is not one of' in warnings
    assert "has no UTC offset, UTC assumed" in warnings
    assert "dependency on unknown reference 'ghost'" in warnings
    assert document.created is not None
    assert document.created.utcoffset() is not None


def test_duplicate_references_are_a_warning() -> None:
    content = _cyclonedx(components=[{"type": "library", "name": "a", "bom-ref": "same"}] * 2)
    document = parse_sbom(content, "bom.json")
    assert len(document.components) == 2
    assert "schema 1.6:" in document.warnings[0]  # uniqueItems on components
    assert any("reference 'same' is used by 2 components" in w for w in document.warnings)


def test_component_without_bom_ref_is_named_by_position() -> None:
    content = _cyclonedx(
        components=[
            {"type": "library", "name": "a", "components": [{"type": "library", "name": "b"}]}
        ]
    )
    document = parse_sbom(content, "bom.json")
    assert [item.reference for item in document.components] == [
        "components[0]",
        "components[0].components[0]",
    ]


def test_size_limit() -> None:
    content = _cyclonedx(components=[])
    with pytest.raises(SbomFormatError, match=r"over the limit of 10 bytes per document"):
        parse_sbom(content, "bom.json", max_bytes=10)


def test_component_limit() -> None:
    content = _cyclonedx(components=[{"type": "library", "name": f"c{i}"} for i in range(6)])
    with pytest.raises(
        SbomFormatError, match=r"components: more than 5 components: over the limit"
    ):
        parse_sbom(content, "bom.json", max_components=5)
    assert len(parse_sbom(content, "bom.json", max_components=6).components) == 6


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    component: dict[str, object] = {"type": "library", "name": "leaf"}
    for level in range(100):
        component = {"type": "library", "name": f"level{level}", "components": [component]}
    with pytest.raises(SbomFormatError, match="nested deeper than 64 levels"):
        parse_sbom(_cyclonedx(components=[component]), "bom.json")
    with pytest.raises(SbomFormatError, match="JSON nested too deeply"):
        parse_sbom(
            b'{"bomFormat": "CycloneDX", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "b"
        )


XML_ATTACKS = [
    b"""<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
    <bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library">
    <name>&b;</name></component></components></bom>""",
    b"""<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
    <bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library">
    <name>&xxe;</name></component></components></bom>""",
    b"""<?xml version="1.0"?><!DOCTYPE bom SYSTEM "http://example.com/bom.dtd">
    <bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>""",
]


@pytest.mark.parametrize(
    "content", XML_ATTACKS, ids=["entity expansion", "external entity", "external DTD"]
)
def test_xml_with_a_dtd_or_entities_is_refused(content: bytes) -> None:
    with pytest.raises(SbomFormatError, match="XML refused for safety"):
        parse_sbom(content, "bom.xml")


def test_yaml_aliases_are_refused() -> None:
    content = b"spdxVersion: SPDX-2.3\na: &x [1, 2]\nb: [*x, *x, *x]\n"
    with pytest.raises(SbomFormatError, match="YAML aliases are not accepted"):
        parse_sbom(content, "bom.yaml")


def test_broken_spdx_is_refused_with_the_library_message() -> None:
    content = b'{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}'
    with pytest.raises(SbomFormatError, match=r"^doc.json: not a readable SPDX 2 document: "):
        parse_sbom(content, "doc.json")


def test_format_is_detected_from_content_not_the_name() -> None:
    content = _cyclonedx(components=[{"type": "library", "name": "x"}])
    document = parse_sbom(content, "misleading.spdx.yaml")
    assert (document.format, document.serialisation) == ("CycloneDX", "json")


def test_utf8_byte_order_mark_is_accepted() -> None:
    document = parse_sbom(b"\xef\xbb\xbf" + _cyclonedx(), "bom.json")
    assert document.components == ()
