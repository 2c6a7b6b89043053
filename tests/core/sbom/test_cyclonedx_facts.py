"""Exact facts read from real CycloneDX documents, checked against the files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from medvigil.core.sbom import SbomDocument

Load = Callable[[str], SbomDocument]
DROPWIZARD = "cyclonedx/bom-examples/SBOM/dropwizard-1.3.15/bom.json"
JUICE_SHOP = "cyclonedx/bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json"
PROTON = "cyclonedx/bom-examples/SBOM/proton-bridge/proton-bridge-v1.6.3.bom.json"


def test_dropwizard_document_facts(load_sbom: Load) -> None:
    document = load_sbom(DROPWIZARD)
    assert (document.format, document.spec_version, document.serialisation) == (
        "CycloneDX",
        "1.2",
        "json",
    )
    assert document.serial == "urn:uuid:b4f2954f-a96d-4578-9509-1ae2d6476209"
    assert document.created == datetime(2020, 8, 2, 21, 27, 4, tzinfo=UTC)
    assert document.tools == ("CycloneDX CycloneDX Maven plugin 2.0.2",)
    assert document.authors == ()
    assert len(document.components) == 167
    assert document.primary_component_ref == "pkg:maven/io.dropwizard/dropwizard-parent@1.3.15"
    assert document.primary_component is not None
    assert document.primary_component.licenses == ("Apache-2.0",)
    assert document.warnings == ("CycloneDX 1.2 is older than 1.4: read on a best-effort basis",)


def test_dropwizard_component_purl_version_hashes_supplier(load_sbom: Load) -> None:
    document = load_sbom(DROPWIZARD)
    component = next(item for item in document.components if item.name == "jackson-annotations")
    assert component.reference == (
        "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10?type=jar"
    )
    assert component.group == "com.fasterxml.jackson.core"
    assert component.version == "2.9.10"
    assert component.purl == component.purl_original == component.reference
    assert component.supplier == "FasterXML"  # from `publisher`
    hashes = dict(component.hashes)
    assert hashes["MD5"] == "26c2b6f7bc704ccadc64c83995e0ff7f"
    assert hashes["SHA-1"] == "53ab2f0f92e87ea4874c8c6997335c211d81e636"
    assert hashes["SHA-256"] == "c876f2e85d0f108a34cdd11ccc9d8d7875697367efc75bf10a89c2c26aee994c"
    assert len(component.hashes) == 8


def test_dropwizard_dependency_edges(load_sbom: Load) -> None:
    dependencies = dict(load_sbom(DROPWIZARD).dependencies)
    assert len(dependencies) == 167
    assert dependencies["pkg:maven/com.google.guava/guava@24.1.1-jre?type=jar"] == (
        "pkg:maven/org.checkerframework/checker-compat-qual@2.0.0?type=jar",
        "pkg:maven/com.google.errorprone/error_prone_annotations@2.1.3?type=jar",
        "pkg:maven/com.google.j2objc/j2objc-annotations@1.1?type=jar",
        "pkg:maven/org.codehaus.mojo/animal-sniffer-annotations@1.14?type=jar",
    )


def test_juice_shop_nested_components_are_flattened(load_sbom: Load) -> None:
    document = load_sbom(JUICE_SHOP)
    # 837 top-level components plus 278 nested ones (counted in the raw JSON).
    assert len(document.components) == 1115
    assert document.created is None
    assert document.tools == (
        "@cyclonedx cyclonedx-library 1.13.3",
        "@cyclonedx cyclonedx-npm 1.9.2",
    )
    express = next(item for item in document.components if item.name == "express")
    assert express.purl == "pkg:npm/express@4.18.2"
    assert express.licenses == ("MIT",)
    assert express.properties == (("cdx:npm:package:path", "node_modules/express"),)
    scoped = next(item for item in document.components if item.reference == "@babel/parser@7.21.2")
    assert scoped.group == "@babel"
    assert scoped.purl == "pkg:npm/%40babel/parser@7.21.2#packages/babel-parser"
    root_dependencies = dict(document.dependencies)["juice-shop@14.1.1"]
    assert len(root_dependencies) == 71
    assert root_dependencies[:3] == (
        "body-parser@1.20.2",
        "check-dependencies@1.1.0",
        "clarinet@0.12.5",
    )


def test_juice_shop_nested_component_keeps_its_own_reference(
    load_sbom: Load, load_json: Callable[[str], dict[str, object]]
) -> None:
    raw = load_json(JUICE_SHOP)
    components = raw["components"]
    assert isinstance(components, list)
    parent = next(item for item in components if item.get("components"))
    child = parent["components"][0]
    document = load_sbom(JUICE_SHOP)
    references = [item.reference for item in document.components]
    # A nested component follows its parent.
    assert references.index(child["bom-ref"]) > references.index(parent["bom-ref"])


def test_proton_bridge_go_components_keep_case_and_offset_timestamp(load_sbom: Load) -> None:
    document = load_sbom(PROTON)
    assert document.created == datetime(2021, 5, 16, 17, 8, 44, tzinfo=timezone(timedelta(hours=2)))
    first = document.components[0]
    assert first.purl == "pkg:golang/github.com/0xAX/notificator@v0.0.0-20191016112426-3962a5ea8da1"
    assert first.hashes == (
        ("SHA-256", "8fd1da69f6a90db3db1910e4bba7bf1d1b3a28131c287896726d7ff526f19e5e"),
    )
    assert first.licenses == ("BSD-3-Clause",)


def test_cbom_1_6_dependencies_and_primary(load_sbom: Load) -> None:
    document = load_sbom("cyclonedx/bom-examples/CBOM/Example-With-Dependencies/bom.json")
    assert document.spec_version == "1.6"
    assert document.primary_component_ref == "acme-application"
    assert [item.reference for item in document.components] == [
        "aes128gcm",
        "crypto-library",
        "some-library",
    ]
    assert document.components[0].type == "cryptographic-asset"
    assert document.dependencies == (
        ("acme-application", ("crypto-library",)),
        ("crypto-library", ("some-library",)),
        ("some-library", ()),
        ("aes128gcm", ()),
    )
    assert document.warnings == ()


def test_saasbom_dependencies_on_services_are_not_unknown(load_sbom: Load) -> None:
    document = load_sbom(
        "cyclonedx/bom-examples/SaaSBOM/apigateway-microservices-datastores/bom.json"
    )
    assert document.components == ()
    assert len(document.dependencies) == 5
    assert document.warnings == ()


def test_laravel_1_1_xml_without_metadata(load_sbom: Load) -> None:
    document = load_sbom("cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.1.xml")
    assert (document.spec_version, document.serialisation) == ("1.1", "xml")
    assert document.primary_component is None
    assert len(document.components) == 62
    first = document.components[0]
    assert (first.group, first.name) == ("asm89", "stack-cors")
