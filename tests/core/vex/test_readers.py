"""The VEX readers on every real document in shared/data/vex, and on small written cases."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from medvigil.core.vex import VexFormatError, read_vex


def read(path: Path) -> object:
    return read_vex(path.read_bytes(), source=path.name)


def vex_files(root: Path, folder: str) -> list[Path]:
    return sorted(
        path for path in (root / "vex" / folder).rglob("*.json") if "bom-" not in path.name
    )


def test_every_shared_cyclonedx_vex_reads(shared_data: Path) -> None:
    files = [path for path in vex_files(shared_data, "cyclonedx") if path.name == "vex.json"]
    assert len(files) == 14
    counts = {}
    for path in files:
        document = read_vex(path.read_bytes(), source=str(path))
        assert document.format == "cyclonedx"
        counts[path.parent.name] = len(document.statements)
        for statement in document.statements:
            assert statement.products
            if statement.status == "not_affected":
                assert statement.justification or statement.impact_statement
    assert counts["Case-11"] == 19
    # Case 7 states one vulnerability for "any product" and names none.
    assert counts["Case-7"] == 0


def test_cyclonedx_not_affected_keeps_native_and_mapped_justification(shared_data: Path) -> None:
    document = read(shared_data / "vex/cyclonedx/bom-examples/VEX/Use-Cases/Case-1/vex.json")
    (statement,) = document.statements
    assert statement.vulnerability == "CVE-2020-25649"
    assert statement.status == "not_affected"
    assert statement.native_justification == "code_not_reachable"
    assert statement.justification == "vulnerable_code_not_in_execute_path"
    assert statement.responses == ("will_not_fix", "update")
    assert statement.impact_statement is not None
    assert "not reachable" in statement.impact_statement
    (product,) = statement.products
    assert (product.name, product.version, product.reference) == (
        "Acme Product",
        "2.4.0",
        "acme-product",
    )
    assert document.timestamp == datetime(2022, 1, 13, tzinfo=UTC)


def test_cyclonedx_exploitable_is_affected_with_its_advice(shared_data: Path) -> None:
    document = read(shared_data / "vex/cyclonedx/bom-examples/VEX/Use-Cases/Case-12/vex.json")
    statuses = {item.vulnerability: item for item in document.statements}
    assert statuses["CVE-2020-35491"].status == "affected"
    assert statuses["CVE-2020-35491"].action_statement == "Update to Acme Product v2.4.0 or higher"
    assert statuses["CVE-2020-14195"].native_justification == "protected_by_mitigating_control"
    assert statuses["CVE-2020-14195"].justification == "inline_mitigations_already_exist"


def test_cyclonedx_versions_ranges_and_bom_links(shared_data: Path) -> None:
    use_cases = shared_data / "vex/cyclonedx/bom-examples/VEX/Use-Cases"
    ranges = read(use_cases / "Case-8/vex.json").statements[0].products
    assert [(item.version, item.version_range) for item in ranges] == [
        (None, "vers:semver/>=2.0.0|<=2.7.0"),
        (None, "vers:semver/>=3.0.0|<=3.2.0"),
        (None, "vers:semver/>=3.8.0|<=4.1.0"),
        ("5.9.0", None),
    ]
    linked = read(use_cases / "Case-6/vex.json").statements[0].products
    assert linked[0].reference == "urn:cdx:2c385cf7-e1ee-46e9-a51c-13de1ecb380a/1#acme-product-1"
    triage = read(use_cases / "Case-3/vex.json").statements[0]
    assert triage.status == "under_investigation"


def test_cyclonedx_purl_bom_link_gives_the_purl(shared_data: Path) -> None:
    document = read(shared_data / "vex/cyclonedx/bom-examples/VEX/vex.json")
    (product,) = document.statements[0].products
    assert product.purl == "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"
    assert document.statements[0].aliases == ("SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302",)
    assert [score.score for score in document.statements[0].scores] == [7.5, 8.2, 0.0]


def test_an_sbom_without_vulnerabilities_is_refused(shared_data: Path) -> None:
    path = shared_data / "vex/cyclonedx/bom-examples/VEX/Use-Cases/Case-6/bom-1.json"
    with pytest.raises(VexFormatError, match=r"bom-1.json: \$: no vulnerabilities"):
        read(path)


def test_every_shared_csaf_vex_reads(shared_data: Path) -> None:
    files = vex_files(shared_data, "csaf")
    assert len(files) == 6
    for path in files:
        document = read(path)
        assert document.format == "csaf"
        assert document.statements
        for statement in document.statements:
            if statement.status == "not_affected":
                assert statement.impact_statement or statement.justification
            if statement.status == "affected":
                assert statement.action_statement


def test_csaf_statuses_flags_threats_and_remediations(shared_data: Path) -> None:
    folder = shared_data / "vex/csaf/oasis-tcs-csaf"
    secvisogram = read(folder / "sec-vex-2022-0001.json")
    assert [item.vulnerability for item in secvisogram.statements] == [
        "CVE-2021-44228",
        "CVE-2021-45046",
        "CVE-2021-45105",
    ]
    first = secvisogram.statements[0]
    assert first.status == "not_affected"
    assert first.justification == "component_not_present"
    assert first.impact_statement == "Secvisogram is written in JavaScript. No Java is included."
    assert first.products[0].name == "Secvisogram"
    assert first.products[0].version_range == "<=1.14.0"
    mixed = read(folder / "2022-evd-uc-09-001.json")
    by_product = {(item.vulnerability, item.products[0].name): item for item in mixed.statements}
    beta = by_product[("CVE-2021-44228", "PROD_BETA")]
    assert beta.status == "affected"
    assert beta.action_statement is not None
    assert beta.action_statement.startswith("none available: ")
    assert by_product[("CVE-2021-44228", "PROD_ALPHA")].status == "not_affected"
    fixed = read(folder / "2022-evd-uc-01-f-001.json").statements[0]
    assert (fixed.status, fixed.products[0].name, fixed.products[0].version) == (
        "fixed",
        "DEF",
        "1.1",
    )


def openvex(**statement: object) -> bytes:
    body: dict[str, object] = {
        "vulnerability": {"name": "CVE-2023-44487", "aliases": ["GHSA-qppj-fm5r-hxr3"]},
        "products": [
            {
                "@id": "pkg:oci/example@sha256:abc",
                "subcomponents": [{"@id": "pkg:golang/golang.org/x/net@0.7.0"}],
            }
        ],
        "status": "not_affected",
        "justification": "vulnerable_code_not_in_execute_path",
    }
    body.update(statement)
    return json.dumps(
        {
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.com/vex/2023-0001",
            "author": "Example Supplier <security@example.com>",
            "timestamp": "2023-10-11T08:00:00Z",
            "version": 1,
            "statements": [body],
        }
    ).encode()


def test_openvex_statement_with_products_and_subcomponents() -> None:
    document = read_vex(openvex(), source="supplier.openvex.json")
    (statement,) = document.statements
    assert document.format == "openvex"
    assert document.author == "Example Supplier <security@example.com>"
    assert statement.aliases == ("GHSA-qppj-fm5r-hxr3",)
    assert statement.subcomponents[0].purl == "pkg:golang/golang.org/x/net@0.7.0"
    assert statement.timestamp == datetime(2023, 10, 11, 8, tzinfo=UTC)


def test_openvex_older_documents_with_plain_strings() -> None:
    data = json.loads(openvex(vulnerability="CVE-2023-44487", products=["pkg:pypi/Flask@2.0.0"]))
    data["@context"] = "https://openvex.dev/ns"
    document = read_vex(json.dumps(data), source="old.json")
    assert document.statements[0].products[0].purl == "pkg:pypi/flask@2.0.0"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "exploited"}, r"\$\.statements\[0\]\.status: must be one of"),
        ({"justification": None}, "needs a justification or an impact_statement"),
        ({"status": "affected"}, "an affected statement needs an action_statement"),
        ({"products": []}, "a statement needs at least one product"),
        ({"products": [{"@id": "pkg:::"}]}, r"products\[0\]\[\"@id\"\]: invalid purl"),
    ],
)
def test_openvex_breaking_a_must_is_refused_naming_the_field(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(VexFormatError, match=message) as raised:
        read_vex(openvex(**change), source="supplier.json")
    assert str(raised.value).startswith("supplier.json: ")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{", "not valid JSON"),
        (
            b'{"author": "Gr\xcdn"}',
            r"not valid JSON: not UTF-8 text \(byte 0xcd on line 1, column 15 is not a UTF-8",
        ),
        (b"[]", "not a CycloneDX, OpenVEX or CSAF VEX document"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.3"}', "must be one of 1.4"),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": '
            b'[{"id": "CVE-1", "analysis": {"state": "broken"}}]}',
            r"vulnerabilities\[0\]\.analysis\.state",
        ),
        (b'{"document": {"csaf_version": "2.0"}}', r"\$\.document\.publisher"),
    ],
)
def test_bad_documents_are_refused_with_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(VexFormatError, match=message):
        read_vex(data, source="upload.json")
