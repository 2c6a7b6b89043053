"""The NVD readers (API 2.0 and the legacy 1.1 feed) on every NVD file of the data set."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from medvigil.core.advisories.model import AdvisoryFormatError, CpeMatch, Severity
from medvigil.core.advisories.nvd import read_nvd, read_nvd_json
from medvigil.core.advisories.nvd_legacy import read_nvd_feed_json

API = "nvd/api-2.0"


def test_every_api_2_0_file_is_read(shared_data: Path) -> None:
    files = sorted((shared_data / API).rglob("*.json"))
    advisories = [
        advisory
        for path in files
        for advisory in read_nvd_json(path.read_bytes(), source=path.name)
    ]
    assert len(files) == 18
    assert len(advisories) == 18
    assert all(advisory.id.startswith("CVE-") for advisory in advisories)


def test_legacy_feed_is_read(shared_data: Path) -> None:
    path = shared_data / "nvd/feed-1.1/osv.dev-testdata/nvdcve-1.1-test-data.json"
    advisories = read_nvd_feed_json(path.read_bytes(), source=path.name)
    assert len(advisories) == 669
    assert sum(advisory.is_withdrawn for advisory in advisories) == 29
    first = advisories[0]
    assert first.id == "CVE-2022-0090"
    assert first.published == datetime(2022, 1, 18, 17, 15, tzinfo=UTC)
    assert first.cwe_ids == ("CWE-269",)
    assert first.cpe_configurations[0].nodes[0][2][0] == CpeMatch(
        criteria="cpe:2.3:a:gitlab:gitlab:*:*:*:*:community:*:*:*",
        version_start_including="14.6.0",
        version_end_excluding="14.6.1",
    )


def test_and_configuration_with_platform(shared_data: Path) -> None:
    path = shared_data / API / "osv.dev-testdata/nvdcve-2.0/CVE-2020-13595.json"
    (advisory,) = read_nvd_json(path.read_bytes(), source=path.name)
    (configuration,) = advisory.cpe_configurations
    assert configuration.operator == "AND"
    (application, platform) = configuration.nodes
    assert application == (
        "OR",
        False,
        (
            CpeMatch(
                criteria="cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*",
                version_start_including="4.0.0",
                version_end_including="4.2",
            ),
        ),
    )
    assert platform[2][0].vulnerable is False
    assert advisory.modified == datetime(2020, 9, 8, 21, 9, 33, 517000, tzinfo=UTC)


def test_metrics_cwe_and_kev_fields(shared_data: Path) -> None:
    path = shared_data / API / "osv.dev-testdata/nvdcve-2.0/CVE-2023-4863.json"
    (advisory,) = read_nvd_json(path.read_bytes(), source=path.name)
    assert advisory.cwe_ids == ("CWE-787",)
    assert (
        Severity("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "nvd@nist.gov")
        in advisory.severities
    )
    assert ("cisa_exploit_add", "2023-09-13") in advisory.extras
    assert len(advisory.cpe_configurations) == 6
    first = advisory.cpe_configurations[0].nodes[0][2][0]
    assert first.criteria == "cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*"
    assert first.version_end_excluding == "116.0.5845.187"


def test_single_cve_object(shared_data: Path) -> None:
    path = shared_data / API / "dependency-track-testdata/CVE-2017-5638-cvssv3-rating.json"
    (advisory,) = read_nvd_json(path.read_bytes(), source=path.name)
    assert advisory.id == "CVE-2017-5638"
    matches = advisory.cpe_configurations[0].nodes[0][2]
    assert matches[0].criteria == "cpe:2.3:a:apache:struts:2.3.5:*:*:*:*:*:*:*"


def test_rejected_is_withdrawn() -> None:
    cve = {
        "id": "CVE-2020-0001",
        "published": "2020-01-01T00:00:00.000",
        "lastModified": "2021-02-03T04:05:06.000",
        "vulnStatus": "Rejected",
        "descriptions": [{"lang": "en", "value": "Rejected reason: duplicate."}],
        "references": [],
    }
    (advisory,) = read_nvd({"cve": cve}, source="x.json")
    assert advisory.withdrawn == datetime(2021, 2, 3, 4, 5, 6, tzinfo=UTC)


def test_bad_operator_names_its_path() -> None:
    cve = {
        "id": "CVE-2020-0001",
        "published": "2020-01-01T00:00:00",
        "lastModified": "2020-01-01T00:00:00",
        "configurations": [{"nodes": [{"operator": "XOR", "cpeMatch": []}]}],
    }
    with pytest.raises(AdvisoryFormatError) as caught:
        read_nvd({"vulnerabilities": [{"cve": cve}]}, source="page.json")
    assert caught.value.path == "$.vulnerabilities[0].cve.configurations[0].nodes[0].operator"
