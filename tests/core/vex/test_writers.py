"""CycloneDX 1.6 and OpenVEX 0.2.0 output: valid against the official schemas, and read back."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from medvigil.core.sbom.cyclonedx_schema import json_schema_warnings
from medvigil.core.vex import (
    VexExport,
    VexProduct,
    VexScore,
    VexStatement,
    read_vex,
    write_csaf_vex,
    write_cyclonedx_vex,
    write_openvex,
)
from tests.csaf_validator import validate_csaf

ISSUED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LOG4J = VexProduct(
    name="log4j-core",
    version="2.14.1",
    purl="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
    reference="component-7",
)
OPENSSL = VexProduct(
    name="openssl", version="1.1.1k", cpe="cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"
)
UNNAMED = VexProduct(name="vendor-firmware-blob", version="4")
STATEMENTS = (
    VexStatement(
        vulnerability="CVE-2021-44228",
        aliases=("GHSA-jfh8-c2jp-5v3q",),
        status="not_affected",
        products=(),
        subcomponents=(LOG4J,),
        justification="vulnerable_code_not_in_execute_path",
        impact_statement="JNDI lookups are disabled in the shipped configuration.",
        scores=(
            VexScore(
                method="CVSSv31",
                score=10.0,
                severity="critical",
                vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
            ),
        ),
        timestamp=datetime(2026, 1, 5, tzinfo=UTC),
    ),
    VexStatement(
        vulnerability="CVE-2021-3711",
        status="affected",
        products=(),
        subcomponents=(OPENSSL,),
        action_statement="Update to 3.2.1, which ships OpenSSL 1.1.1l.",
        responses=("update",),
    ),
    VexStatement(
        vulnerability="CVE-2022-0001",
        status="fixed",
        products=(),
        subcomponents=(UNNAMED,),
        notes="Fixed in firmware 4.1.",
    ),
    VexStatement(
        vulnerability="GHSA-aaaa-bbbb-cccc",
        status="under_investigation",
        products=(),
        subcomponents=(LOG4J,),
    ),
)
EXPORT = VexExport(
    identifier="urn:uuid:6f1c2b8e-0d2a-4b84-9d51-2f1f6f5c2b11",
    author="Example Medical",
    author_namespace="https://medical.example.com",
    timestamp=ISSUED,
    version=3,
    product=VexProduct(
        name="Infusion Pump LVP-300", version="3.2.0", reference="urn:example:lvp-300:3.2.0"
    ),
    statements=STATEMENTS,
    tool_version="0.1.0",
)


@pytest.fixture(scope="module")
def openvex_schema(shared_data: Path) -> object:
    return json.loads((shared_data / "schemas/openvex/openvex_json_schema.json").read_text())


def test_cyclonedx_vex_is_valid_1_6_and_says_what_was_decided() -> None:
    document = write_cyclonedx_vex(EXPORT)
    assert json_schema_warnings(document, "1.6") == ()
    assert document["metadata"]["component"]["name"] == "Infusion Pump LVP-300"
    by_id = {item["id"]: item for item in document["vulnerabilities"]}
    log4j = by_id["CVE-2021-44228"]
    assert log4j["analysis"] == {
        "state": "not_affected",
        "justification": "code_not_reachable",
        "detail": "JNDI lookups are disabled in the shipped configuration.",
        "firstIssued": "2026-01-05T00:00:00Z",
    }
    assert log4j["affects"] == [{"ref": "component-7"}]
    assert log4j["ratings"][0]["vector"].startswith("CVSS:3.1/")
    assert by_id["CVE-2021-3711"]["analysis"]["state"] == "exploitable"
    assert by_id["CVE-2021-3711"]["analysis"]["response"] == ["update"]
    assert by_id["CVE-2022-0001"]["analysis"]["state"] == "resolved"
    assert by_id["GHSA-aaaa-bbbb-cccc"]["analysis"]["state"] == "in_triage"
    # One component entry each, referenced by every statement about it.
    assert len(document["components"]) == 3


def test_openvex_is_valid_0_2_0(openvex_schema: object) -> None:
    document = write_openvex(EXPORT)
    jsonschema.validate(document, openvex_schema)
    first = document["statements"][0]
    assert first["products"][0]["@id"] == "urn:example:lvp-300:3.2.0"
    assert first["products"][0]["subcomponents"] == [
        {
            "@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "identifiers": {"purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
        }
    ]
    assert first["justification"] == "vulnerable_code_not_in_execute_path"
    assert document["statements"][1]["action_statement"].startswith("Update to 3.2.1")
    # Without purl or CPE a component is named by a generic purl of name and version.
    assert document["statements"][2]["products"][0]["subcomponents"][0]["@id"] == (
        "pkg:generic/vendor-firmware-blob@4"
    )
    assert document["statements"][3]["timestamp"] == "2026-03-02T09:30:00Z"


@pytest.mark.parametrize("writer", [write_cyclonedx_vex, write_openvex])
def test_written_documents_read_back_to_the_same_statements(writer: object) -> None:
    document = writer(EXPORT)  # type: ignore[operator]
    read = read_vex(json.dumps(document), source="written.json")
    assert [(item.vulnerability, item.status) for item in read.statements] == [
        (item.vulnerability, item.status) for item in STATEMENTS
    ]
    assert read.statements[0].justification == "vulnerable_code_not_in_execute_path"
    assert read.statements[0].aliases == ("GHSA-jfh8-c2jp-5v3q",)
    assert read.statements[1].action_statement == STATEMENTS[1].action_statement


@pytest.mark.parametrize("writer", [write_cyclonedx_vex, write_openvex])
def test_a_statement_breaking_the_rules_is_not_written(writer: object) -> None:
    broken = VexStatement(
        vulnerability="CVE-2021-44228", status="affected", products=(), subcomponents=(LOG4J,)
    )
    export = replace(EXPORT, statements=(broken,))
    with pytest.raises(ValueError, match="CVE-2021-44228: affected needs an action statement"):
        writer(export)  # type: ignore[operator]


CSAF_EXPORT = replace(
    EXPORT,
    identifier="EXAMPLE-VEX-LVP-300-3.2.0",
    product=replace(EXPORT.product, purl="pkg:generic/example/lvp-300@3.2.0"),
)
# Two components with the same CVE and different statuses: the version is affected.
MIXED_EXPORT = replace(
    CSAF_EXPORT,
    identifier="EXAMPLE-VEX-MIXED",
    statements=(
        replace(STATEMENTS[0], subcomponents=(LOG4J,)),
        VexStatement(
            vulnerability="CVE-2021-44228",
            status="affected",
            products=(),
            subcomponents=(replace(LOG4J, name="log4j-core-shaded", reference="component-9"),),
            action_statement="Replace the shaded copy in 3.2.1.",
            responses=("update",),
        ),
        replace(STATEMENTS[3], vulnerability="CVE-2024-0002"),
    ),
)


@pytest.fixture(scope="module")
def csaf_documents() -> dict[str, dict[str, object]]:
    return {"plain": write_csaf_vex(CSAF_EXPORT), "mixed": write_csaf_vex(MIXED_EXPORT)}


@pytest.fixture(scope="module")
def csaf_reports(csaf_documents: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    return validate_csaf(csaf_documents)


def test_csaf_vex_passes_the_official_validator(
    csaf_reports: dict[str, dict[str, object]],
) -> None:
    for name, report in csaf_reports.items():
        assert report["valid"], (name, report)
        assert report["errors"] == [], name


def test_csaf_vex_states_each_vulnerability_for_the_version(
    csaf_documents: dict[str, dict[str, object]],
) -> None:
    read = read_vex(json.dumps(csaf_documents["plain"]), source="vex.json")
    statuses = {item.vulnerability: item for item in read.statements}
    log4j = statuses["CVE-2021-44228"]
    assert log4j.status == "not_affected"
    assert log4j.justification == "vulnerable_code_not_in_execute_path"
    assert log4j.impact_statement == (
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1: "
        "JNDI lookups are disabled in the shipped configuration."
    )
    assert log4j.products[0].purl == "pkg:generic/example/lvp-300@3.2.0"
    assert statuses["CVE-2021-3711"].status == "affected"
    assert statuses["CVE-2021-3711"].action_statement is not None
    assert statuses["CVE-2021-3711"].action_statement.startswith("vendor fix: ")
    assert statuses["CVE-2022-0001"].status == "fixed"
    assert statuses["GHSA-aaaa-bbbb-cccc"].status == "under_investigation"
    scores = csaf_documents["plain"]["vulnerabilities"][0]["scores"]  # type: ignore[index]
    assert scores[0]["cvss_v3"]["baseScore"] == 10.0


def test_csaf_vex_folds_components_into_the_worst_status(
    csaf_documents: dict[str, dict[str, object]],
) -> None:
    read = read_vex(json.dumps(csaf_documents["mixed"]), source="mixed.json")
    log4j = next(item for item in read.statements if item.vulnerability == "CVE-2021-44228")
    assert log4j.status == "affected"
    assert log4j.action_statement is not None
    assert "log4j-core-shaded" not in log4j.action_statement  # the purl names it
    assert "Replace the shaded copy in 3.2.1." in log4j.action_statement
