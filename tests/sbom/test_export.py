"""Export of a version: valid against the official schemas, and read back unchanged."""

from __future__ import annotations

import datetime
import json
import os
from functools import cache
from typing import Any

import jsonschema_rs
import lib4sbom
import pytest
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator
from django.utils import timezone

from medvigil.core.sbom import Component as EngineComponent
from medvigil.core.sbom import parse_sbom
from medvigil.core.sbom.cyclonedx_schema import _json_validator
from medvigil.core.sbom.export import CYCLONEDX_HASH_ALGORITHMS
from medvigil.sbom import selectors, services
from medvigil.sbom.models import Component
from tests import factories
from tests.sbom.test_import import REFUSED, SBOM_FOLDER, SHARED_FILES

IMPORTED = [name for name in SHARED_FILES if name not in REFUSED]
EXPORT_MOMENT = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)


@cache
def spdx_validator() -> Any:
    path = os.path.join(os.path.dirname(lib4sbom.__file__), "schemas", "spdx", "2.3-schema.json")
    with open(path, encoding="utf-8") as handle:
        return jsonschema_rs.validator_for(json.load(handle))


def schema_errors(format_name: str, content: bytes) -> list[str]:
    """Errors from the official schema: CycloneDX 1.6 JSON/XSD (cyclonedx-python-lib's
    bundle), SPDX 2.3 JSON (lib4sbom's bundle)."""
    if format_name == "cyclonedx-json":
        return [error.message for error in _json_validator("1.6").iter_errors(json.loads(content))]
    if format_name == "cyclonedx-xml":
        validator = make_schemabased_validator(OutputFormat.XML, SchemaVersion.V1_6)
        error = validator.validate_str(content.decode("utf-8"))
        return [str(error)] if error else []
    return [error.message for error in spdx_validator().iter_errors(json.loads(content))]


def identifiers(component: EngineComponent, format_name: str) -> tuple[Any, ...]:
    hashes = component.hashes
    if format_name.startswith("cyclonedx"):
        # CycloneDX cannot carry a malformed hash value or an SPDX-only algorithm.
        hashes = tuple(
            (name, value)
            for name, value in hashes
            if name in CYCLONEDX_HASH_ALGORITHMS and set(value) <= set("0123456789abcdef")
        )
    return (component.name, component.version, component.purl, component.cpe, sorted(hashes))


def all_read(document: Any) -> list[EngineComponent]:
    return services.all_components(document)


@pytest.mark.django_db
@pytest.mark.parametrize("name", IMPORTED)
def test_import_export_import_keeps_every_component_and_validates(name: str) -> None:
    path = SBOM_FOLDER / name
    version = factories.sbom_version()
    document = services.import_sbom(version, path.read_bytes(), path.name, "firmware")
    stored = [selectors.engine_component(row) for row in document.components.all()]
    for format_name in selectors.EXPORT_FORMATS:
        content = selectors.export_version(version, format_name, EXPORT_MOMENT)
        assert schema_errors(format_name, content) == [], format_name
        read_back = parse_sbom(content, f"export.{format_name}")
        assert not [warning for warning in read_back.warnings if "schema" in warning]
        components = all_read(read_back)
        root, *others = components if format_name != "spdx-json" else _spdx_order(read_back)
        assert root.name == version.product.name
        assert root.version == version.version
        assert sorted(identifiers(item, format_name) for item in others) == sorted(
            identifiers(item, format_name) for item in stored
        )
        if format_name.startswith("cyclonedx"):
            assert {item.reference for item in others} == {item.reference for item in stored}
        # Imported again into another version, the export stores as many components.
        again = factories.sbom_version()
        services.import_sbom(again, content, f"export.{format_name}", "firmware")
        assert Component.objects.filter(document__version=again).count() == len(stored) + 1


def _spdx_order(document: Any) -> list[EngineComponent]:
    primary = document.primary_component
    return [primary, *(item for item in document.components if item.reference != primary.reference)]


@pytest.mark.django_db
def test_a_version_with_several_sboms_exports_each_component_once_with_support() -> None:
    version = factories.sbom_version()
    firmware = SBOM_FOLDER / "spdx/spdx-spec-v2.3-examples/SPDXJSONExample-v2.3.spdx.json"
    services.import_sbom(version, firmware.read_bytes(), firmware.name, "firmware")
    services.import_sbom(
        version,
        (SBOM_FOLDER / "spdx/spdx-spec-v2.3-examples/SPDXTagExample-v2.3.spdx").read_bytes(),
        "tag.spdx",
        "application",
    )
    merged = list(selectors.merged_components(version))
    assert len(merged) == 4  # the same four packages, listed by both documents
    sources = selectors.provenance(version, merged)
    assert all(len(sources[item.pk]) == 2 for item in merged)
    saxon = next(item for item in merged if item.name == "Saxon")
    services.set_component_support(saxon, "abandoned", datetime.date(2020, 5, 1), None)
    content = selectors.export_version(version, "cyclonedx-json", timezone.now())
    exported = json.loads(content)
    assert len(exported["components"]) == 4
    saxon_out = next(item for item in exported["components"] if item["name"] == "Saxon")
    assert {"name": "medvigil:level-of-support", "value": "abandoned"} in saxon_out["properties"]
    assert {
        "name": "cdx:lifecycle:milestone:endOfSupport",
        "value": "2020-05-01",
    } in saxon_out["properties"]
    spdx = json.loads(selectors.export_version(version, "spdx-json", timezone.now()))
    package = next(item for item in spdx["packages"] if item["name"] == "Saxon")
    assert package["validUntilDate"] == "2020-05-01T00:00:00Z"
    comments = {item["comment"] for item in package["annotations"]}
    assert "medvigil:level-of-support=abandoned" in comments
    for format_name in selectors.EXPORT_FORMATS:
        content = selectors.export_version(version, format_name, timezone.now())
        assert schema_errors(format_name, content) == []
        read_back = {item.name: item for item in parse_sbom(content, "x").components}
        assert read_back["Saxon"].level_of_support == "abandoned"
        assert read_back["Saxon"].end_of_support == datetime.date(2020, 5, 1)


@pytest.mark.django_db
def test_diff_between_two_versions() -> None:
    before = factories.sbom_version(model_number="DIFF-1", version="1.0")
    after = factories.sbom_version(model_number="DIFF-1", version="2.0")
    folder = SBOM_FOLDER / "cyclonedx/bom-examples/SBOM/laravel-7.12.0"
    services.import_sbom(before, (folder / "bom.1.4.json").read_bytes(), "a.json", "firmware")
    services.import_sbom(
        after,
        (SBOM_FOLDER / "cyclonedx/bom-examples/CBOM/Protocol/bom.json").read_bytes(),
        "b.json",
        "firmware",
    )
    result = selectors.diff_versions(before, after)
    assert (len(result.added), len(result.removed), result.unchanged) == (9, 63, 0)
    same = selectors.diff_versions(before, before)
    assert (same.added, same.removed, same.changed, same.unchanged) == ((), (), (), 63)
