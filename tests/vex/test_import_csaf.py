"""The OASIS CSAF VEX example 2022-EVD-UC-04-001 applied to a version that embeds product ABC.

The example says Example Company's ABC 2.4, 2.6 and 2.9 to 4.1 are affected by
CVE-2021-44228, with a vendor fix. Here ABC 3.0 is a component of a device,
known by CPE, and a stand-in NVD record names that CPE range for the CVE so
that the device has the finding the supplier's statement speaks of.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medvigil.sbom import services as sbom_services
from medvigil.triage.models import Proposal
from medvigil.vex import services
from medvigil.vulns import matching
from tests import factories

pytestmark = pytest.mark.django_db

ABC_CPE = "cpe:2.3:a:example_company:abc:{version}:*:*:*:*:*:*:*"
STAND_IN_NVD = {
    "format": "NVD_CVE",
    "version": "2.0",
    "timestamp": "2026-01-01T00:00:00.000",
    "resultsPerPage": 1,
    "startIndex": 0,
    "totalResults": 1,
    "vulnerabilities": [
        {
            "cve": {
                "id": "CVE-2021-44228",
                "published": "2021-12-10T10:15:09.143",
                "lastModified": "2024-01-01T00:00:00.000",
                "vulnStatus": "Analyzed",
                "descriptions": [{"lang": "en", "value": "Stand-in record for product ABC."}],
                "configurations": [
                    {
                        "nodes": [
                            {
                                "operator": "OR",
                                "negate": False,
                                "cpeMatch": [
                                    {
                                        "vulnerable": True,
                                        "criteria": ABC_CPE.format(version="*"),
                                        "versionStartIncluding": "2.4",
                                        "versionEndExcluding": "4.2",
                                        "matchCriteriaId": "00000000-0000-0000-0000-000000000001",
                                    }
                                ],
                            }
                        ]
                    }
                ],
            }
        }
    ],
}


def device_with_abc(version_label: str) -> object:
    version = factories.sbom_version(version="1.0")
    sbom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {
                "type": "application",
                "bom-ref": "abc",
                "name": "ABC",
                "version": version_label,
                "supplier": {"name": "Example Company"},
                "cpe": ABC_CPE.format(version=version_label),
            }
        ],
    }
    document = sbom_services.import_sbom(
        version, json.dumps(sbom).encode(), "device.cdx.json", "firmware"
    )
    matching.match_document(document)
    return version


@pytest.mark.parametrize(("abc", "proposed"), [("3.0", 1), ("2.6", 1), ("4.1.5", 0)])
def test_the_csaf_statement_names_abc_by_name_and_version_range(
    shared_data: Path, abc: str, proposed: int
) -> None:
    factories.feed_import(json.dumps(STAND_IN_NVD).encode(), name="nvd.json")
    version = device_with_abc(abc)
    content = (shared_data / "vex/csaf/oasis-tcs-csaf/2022-evd-uc-04-001.json").read_bytes()
    document = services.import_vex(version, content, "2022-evd-uc-04-001.json", None)
    assert document.format == "csaf"
    assert document.statement_count == 3
    assert document.proposal_count == proposed
    if proposed:
        proposal = Proposal.objects.get()
        assert proposal.status == "affected"
        assert proposal.action_statement == "vendor fix: Update to version 4.2 or later."
        assert "CSAF VEX from Example Company ProductCERT" in proposal.source_label
