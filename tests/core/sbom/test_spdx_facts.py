"""Exact facts read from real SPDX 2.2/2.3 documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from medvigil.core.sbom import SbomDocument

Load = Callable[[str], SbomDocument]
SPEC_EXAMPLE = "spdx/spdx-spec-v2.3-examples/SPDXJSONExample-v2.3.spdx.json"
QUARKUS = "spdx/redhat-via-trustify/spdx/quarkus-bom-3.2.11.Final-redhat-00001.json"
OPENSSL = "spdx/redhat-via-trustify/spdx/rh/product_component/openssl-3.0.7-18.el9_2.spdx.json"


def test_spec_example_document_facts(load_sbom: Load) -> None:
    document = load_sbom(SPEC_EXAMPLE)
    assert (document.format, document.spec_version) == ("SPDX", "2.3")
    assert document.name == "SPDX-Tools-v2.0"
    assert document.serial == (
        "http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301"
    )
    assert document.authors == ("ExampleCodeInspect", "Jane Doe")
    assert document.tools == ("LicenseFind-1.0",)
    assert document.created == datetime(2010, 1, 29, 18, 30, 22, tzinfo=UTC)
    assert document.primary_component_ref == "SPDXRef-Package"
    # CONTAINS / DEPENDS_ON between packages; edges to files are not dependencies.
    assert document.dependencies == (("SPDXRef-Package", ("SPDXRef-Saxon",)),)
    assert document.warnings == ()


def test_spec_example_glibc_package(load_sbom: Load) -> None:
    document = load_sbom(SPEC_EXAMPLE)
    glibc = document.primary_component
    assert glibc is not None
    assert (glibc.name, glibc.version, glibc.type) == ("glibc", "2.11.1", "source")
    assert glibc.supplier == "Jane Doe"
    assert glibc.cpe == "cpe:2.3:a:pivotal_software:spring_framework:4.1.0:*:*:*:*:*:*:*"
    assert glibc.licenses == ("LGPL-2.0-only AND LicenseRef-3",)
    assert dict(glibc.hashes) == {
        "MD5": "624c1abb3664f4b35547e7c73864ad24",
        "SHA-1": "85ed0817af83a24ad8da68c2b5094de69833983c",
        "SHA-256": "11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd",
        "BLAKE2b-384": (
            "aaabd89c926ab525c242e6621f2f5fa73aa4afe3d9e24aed727faaadd6af38b6"
            "20bdb623dd2b4788b1c8086984af8706"
        ),
    }
    # validUntilDate is the end of support when no property says otherwise.
    assert glibc.end_of_support == date(2014, 1, 29)
    jena = next(item for item in document.components if item.reference == "SPDXRef-fromDoap-0")
    assert jena.purl == "pkg:maven/org.apache.jena/apache-jena@3.12.0"
    assert jena.version == "3.12.0"


def test_quarkus_red_hat_sbom(load_sbom: Load) -> None:
    document = load_sbom(QUARKUS)
    assert len(document.components) == 1053
    assert document.primary_component_ref == "SPDXRef-2d16b9fa-2dfb-44e5-abab-dc32fcd49628"
    # 196 CONTAINED_BY relationships become the product's dependencies.
    [(source, targets)] = document.dependencies
    assert source == document.primary_component_ref
    assert len(targets) == 196
    aesh = next(item for item in document.components if item.name == "aesh")
    assert aesh.version == "2.7.0.redhat-00002"
    assert aesh.supplier == "Red Hat"
    assert aesh.purl == (
        "pkg:maven/org.aesh/aesh@2.7.0.redhat-00002"
        "?repository_url=https://maven.repository.redhat.com/ga/&type=jar"
    )


def test_openssl_quirks_are_warnings_not_errors(load_sbom: Load) -> None:
    document = load_sbom(OPENSSL)
    assert len(document.components) == 38
    assert document.primary_component_ref == "SPDXRef-SRPM"
    assert any("must consist of 64 lowercase hexadecimal digits" in w for w in document.warnings)
    assert any(
        'must only contain letters, numbers, "." and "-"' in warning
        for warning in document.warnings
    )


def test_tag_value_2_2_document(load_sbom: Load) -> None:
    document = load_sbom("spdx/spdx-examples/software/example4/spdx2.2/example4-bin.spdx")
    assert (document.spec_version, document.serialisation) == ("2.2", "tag-value")
    assert [item.reference for item in document.components] == [
        "SPDXRef-Package-main-bin",
        "SPDXRef-libc",
        "SPDXRef-libdl",
    ]
    assert document.authors == ("Steve Winslow",)
    assert document.tools == (
        "github.com/spdx/tools-golang/builder",
        "github.com/spdx/tools-golang/idsearcher",
    )
    assert document.created == datetime(2021, 8, 26, 1, 51, 30, tzinfo=UTC)
    assert document.components[0].licenses == ("GPL-3.0-or-later AND BSD-3-Clause",)


def test_spdx_dependency_relationship_direction(load_sbom: Load) -> None:
    document = load_sbom(
        "spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/03-SBOMwDependency.json"
    )
    assert len(document.components) == 2
    assert len(document.dependencies) == 1
    source, targets = document.dependencies[0]
    assert source == document.primary_component_ref == "SPDXRef-Package"
    assert targets == ("SPDXRef-xlsx",)  # DYNAMIC_LINK, read left to right
