"""FDA extras: level of support and end-of-support date from properties."""

from __future__ import annotations

from datetime import date

import pytest

from medvigil.core.sbom import parse_sbom
from medvigil.core.sbom.support import normalise_level_of_support, read_support


@pytest.mark.parametrize(
    ("name", "value", "level"),
    [
        ("medvigil:level-of-support", "actively maintained", "actively maintained"),
        ("fda:level-of-support", "Active", "actively maintained"),
        ("levelOfSupport", "EOL", "no longer maintained"),
        ("medvigil:supportLevel", "unmaintained", "no longer maintained"),
        ("Level of Support", "abandoned", "abandoned"),
        ("support_level", "NOASSERTION", "unknown"),
    ],
)
def test_level_of_support_names_and_values(name: str, value: str, level: str) -> None:
    assert read_support(((name, value),)).level == level


@pytest.mark.parametrize(
    ("name", "value", "end"),
    [
        ("medvigil:end-of-support", "2028-12-31", date(2028, 12, 31)),
        ("cdx:lifecycle:milestone:endOfSupport", "2030-06-30T00:00:00Z", date(2030, 6, 30)),
        ("endOfSupport", "2027-01-15", date(2027, 1, 15)),
        ("fda:end-of-support", "2026-03-01", date(2026, 3, 1)),
    ],
)
def test_end_of_support_names_and_values(name: str, value: str, end: date) -> None:
    assert read_support(((name, value),)).end == end


def test_unreadable_values_are_warnings() -> None:
    support = read_support((("levelOfSupport", "sometimes"), ("endOfSupport", "next year")))
    assert support.level is None
    assert support.end is None
    assert support.warnings == (
        "property 'levelOfSupport': unknown level of support 'sometimes'",
        "property 'endOfSupport': end of support 'next year' is not a date",
    )


def test_first_value_wins_and_a_conflict_is_reported() -> None:
    support = read_support((("levelOfSupport", "active"), ("fda:level-of-support", "abandoned")))
    assert support.level == "actively maintained"
    assert support.warnings == (
        "property 'fda:level-of-support': second level of support 'abandoned' ignored",
    )


def test_unrelated_properties_are_ignored() -> None:
    assert read_support((("cdx:npm:package:path", "node_modules/x"),)).warnings == ()
    assert normalise_level_of_support("whatever") is None


def test_cyclonedx_properties_in_json_and_xml() -> None:
    json_content = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
      {"type": "library", "name": "zlib", "version": "1.3.1", "properties": [
        {"name": "medvigil:level-of-support", "value": "actively maintained"},
        {"name": "cdx:lifecycle:milestone:endOfSupport", "value": "2028-12-31"}]}]}"""
    xml_content = b"""<?xml version="1.0"?>
    <bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>
      <component type="library"><name>zlib</name><version>1.3.1</version><properties>
        <property name="medvigil:level-of-support">actively maintained</property>
        <property name="cdx:lifecycle:milestone:endOfSupport">2028-12-31</property>
      </properties></component></components></bom>"""
    for content, name in ((json_content, "bom.json"), (xml_content, "bom.xml")):
        document = parse_sbom(content, name)
        [component] = document.components
        assert component.level_of_support == "actively maintained"
        assert component.end_of_support == date(2028, 12, 31)
        assert document.warnings == ()


def test_spdx_annotation_and_valid_until_date() -> None:
    content = b"""{
      "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
      "name": "pump", "documentNamespace": "https://example.com/pump-1",
      "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Organization: Acme"]},
      "packages": [{"SPDXID": "SPDXRef-zlib", "name": "zlib", "versionInfo": "1.3.1",
        "downloadLocation": "NOASSERTION", "validUntilDate": "2029-01-01T00:00:00Z",
        "annotations": [{"annotationDate": "2024-01-01T00:00:00Z", "annotationType": "OTHER",
          "annotator": "Organization: Acme",
          "comment": "medvigil:level-of-support=no longer maintained"}]}]}"""
    document = parse_sbom(content, "pump.spdx.json")
    [component] = document.components
    assert component.level_of_support == "no longer maintained"
    assert component.end_of_support == date(2029, 1, 1)
    assert component.properties == (("medvigil:level-of-support", "no longer maintained"),)
    assert document.authors == ("Acme",)
