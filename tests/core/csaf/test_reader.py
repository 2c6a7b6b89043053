"""The CSAF reader: every CSAF document of the data set, and the OASIS conformance tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medvigil.core.advisories import csaf_advisories
from medvigil.core.advisories.model import AdvisoryFormatError
from medvigil.core.csaf import read_csaf_json

MEDICAL = "csaf/cisagov-CSAF/icsma-medical"
VALIDATOR = "csaf/oasis-tcs-csaf/validator-testdata"
# Mandatory tests the reader runs (core.csaf.mandatory_tests); documents failing others are read.
DETECTED = {
    "6.1.1",
    "6.1.2",
    "6.1.3",
    "6.1.4",
    "6.1.5",
    "6.1.6",
    "6.1.7",
    "6.1.8",
    "6.1.9",
    "6.1.26",
    "6.1.27.1",
    "6.1.27.2",
    "6.1.27.3",
    "6.1.27.4",
    "6.1.27.5",
    "6.1.27.6",
    "6.1.27.7",
    "6.1.27.8",
    "6.1.27.9",
    "6.1.27.10",
    "6.1.27.11",
    "6.1.29",
    "6.1.32",
    "6.1.33",
}


def _documents(folder: Path) -> list[Path]:
    # ROLIE feeds, provider metadata and aggregator lists are not CSAF documents.
    return sorted(
        path
        for path in folder.rglob("*.json")
        if "feed" not in path.name
        and not {"ROLIE", "aggregator", "provider-metadata"} & set(path.parts)
    )


@pytest.mark.whole_corpus
def test_all_medical_advisories_are_read(shared_data: Path) -> None:
    files = _documents(shared_data / MEDICAL)
    documents = [read_csaf_json(path.read_bytes(), source=path.name) for path in files]
    assert len(files) == 80
    assert len(documents) == 80
    assert {document.profile for document in documents} == {"security_advisory"}
    advisories = [
        a
        for path, d in zip(files, documents, strict=True)
        for a in csaf_advisories(d, source=path.name)
    ]
    assert len(advisories) == 235


@pytest.mark.whole_corpus
@pytest.mark.parametrize(
    ("folder", "count"),
    [
        ("csaf/cisagov-CSAF/icsa-industrial", 30),
        ("csaf/cisagov-CSAF/it", 2),
        ("csaf/oasis-tcs-csaf/examples", 4),
        ("vex/csaf/oasis-tcs-csaf", 6),
    ],
)
def test_other_csaf_documents_are_read(shared_data: Path, folder: str, count: int) -> None:
    files = _documents(shared_data / folder)
    assert len([read_csaf_json(path.read_bytes(), source=path.name) for path in files]) == count


def test_medical_advisory_facts(shared_data: Path) -> None:
    path = shared_data / MEDICAL / "csaf_files/OT/white/2017/icsma-17-009-01a.json"
    document = read_csaf_json(path.read_bytes(), source=path.name)
    assert document.tracking_id == "ICSMA-17-009-01A"
    assert document.publisher_name == "CISA"
    vulnerability = document.vulnerabilities[0]
    assert vulnerability.cve == "CVE-2017-5149"
    assert vulnerability.product_status.known_affected == (
        "CSAFPID-0001",
        "CSAFPID-0002",
        "CSAFPID-0003",
    )
    product = document.product("CSAFPID-0001")
    assert product.branch("vendor") == "St. Jude Medical"
    assert product.branch("product_version_range") == "< 8.2.2"
    advisory = csaf_advisories(document, source=path.name)[0]
    assert advisory.id == "CVE-2017-5149"
    package = advisory.affected[0]
    assert (package.ecosystem, package.vendor, package.name) == (
        "",
        "St. Jude Medical",
        "Inductive models EX1100",
    )
    assert package.version_ranges == ("< 8.2.2",)
    assert ("csaf_tracking_id", "ICSMA-17-009-01A") in advisory.extras


def test_vex_not_affected_with_flag(shared_data: Path) -> None:
    folder = shared_data / "vex/csaf/oasis-tcs-csaf"
    documents = {
        path.name: read_csaf_json(path.read_bytes(), source=path.name)
        for path in _documents(folder)
    }
    vex = next(d for d in documents.values() if d.vulnerabilities[0].flags)
    assert vex.profile == "vex"
    vulnerability = vex.vulnerabilities[0]
    assert vulnerability.cve == "CVE-2021-44228"
    assert vulnerability.flags[0].label == "component_not_present"
    assert vulnerability.product_status.known_not_affected == vulnerability.flags[0].product_ids
    # Not affected products are no affected packages.
    assert csaf_advisories(vex, source="vex.json")[0].affected == ()


def test_validator_test_documents(shared_data: Path) -> None:
    folder = shared_data / VALIDATOR
    cases = json.loads((folder / "testcases.json").read_bytes())
    refused = accepted = 0
    for test in cases["tests"]:
        for case in test.get("failures", []) + test.get("valid", []):
            path = folder / case["name"]
            if not path.exists():
                continue  # the other half of the split lives elsewhere
            if not case["valid"] and test["id"] in DETECTED:
                with pytest.raises(AdvisoryFormatError):
                    read_csaf_json(path.read_bytes(), source=path.name)
                refused += 1
            else:
                read_csaf_json(path.read_bytes(), source=path.name)
                accepted += 1
    assert (refused, accepted) == (20, 92)
    assert len(list(folder.rglob("*.json"))) == 114  # 112 cases, the index, the template
    template = folder / "oasis_csaf_tc-csaf_2_0-2021-TEMPLATE.json"
    read_csaf_json(template.read_bytes(), source=template.name)


def test_contradicting_status_names_its_path(shared_data: Path) -> None:
    path = shared_data / VALIDATOR / "mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-06-02.json"
    with pytest.raises(AdvisoryFormatError) as caught:
        read_csaf_json(path.read_bytes(), source=path.name)
    assert caught.value.path == "$.vulnerabilities[0].product_status"
    assert "6.1.6" in str(caught.value)
