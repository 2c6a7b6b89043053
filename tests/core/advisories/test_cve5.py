"""The CVE JSON 5 reader on every CVE record of the data set, with CISA's enrichment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from medvigil.core.advisories.cve5 import read_cve_record, read_cve_record_json
from medvigil.core.advisories.model import AdvisoryFormatError, RangeEvent, VersionStatus


def _read(shared_data: Path, relative: str):  # type: ignore[no-untyped-def]
    path = shared_data / "cve" / relative
    return read_cve_record_json(path.read_bytes(), source=path.name)


@pytest.mark.whole_corpus
def test_every_cve_record_is_read(shared_data: Path) -> None:
    files = sorted((shared_data / "cve").rglob("*.json"))
    records = [read_cve_record_json(path.read_bytes(), source=path.name) for path in files]
    assert len(files) == 719
    assert len(records) == 719
    assert (
        sum(record.cisa is not None and record.cisa.ssvc is not None for record in records) == 712
    )
    assert sum(record.advisory.is_withdrawn for record in records) == 2


def test_vulnrichment_ssvc_and_derived_range(shared_data: Path) -> None:
    record = _read(shared_data, "cisagov-vulnrichment/2023/24xxx/CVE-2023-24516.json")
    assert record.cisa is not None
    assert record.cisa.ssvc is not None
    assert record.cisa.ssvc.exploitation == "none"
    assert record.cisa.ssvc.automatable == "no"
    assert record.cisa.ssvc.technical_impact == "partial"
    advisory = record.advisory
    assert advisory.cwe_ids == ("CWE-79",)
    assert advisory.severities[0].source == "INCIBE"
    (package,) = advisory.affected
    assert (package.ecosystem, package.vendor, package.name) == ("", "Artica PFMS", "Pandora FMS")
    assert package.version_statuses == (
        VersionStatus("v0", "affected", "custom", less_than_or_equal="v767"),
    )
    assert package.ranges[0].events == (
        RangeEvent("introduced", "v0"),
        RangeEvent("last_affected", "v767"),
    )


def test_log4shell_kev_date_from_cisa_adp(shared_data: Path) -> None:
    record = _read(shared_data, "osv.dev-testdata/cvelistV5/cves/2021/44xxx/CVE-2021-44228.json")
    assert record.cisa is not None
    assert record.cisa.kev_date_added == date(2021, 12, 10)
    assert record.cisa.ssvc is not None
    assert record.cisa.ssvc.exploitation == "active"
    package = record.advisory.affected[0]
    # Changes inside a range cannot be said as OSV events: kept, not derived.
    assert package.ranges == ()
    assert [change.at for change in package.version_statuses[0].changes] == [
        "2.3.1",
        "2.4",
        "2.12.2",
        "2.13.0",
        "2.15.0",
    ]


def test_linux_kernel_default_affected_keeps_statuses(shared_data: Path) -> None:
    record = _read(shared_data, "osv.dev-testdata/cvelistV5/cves/2025/21xxx/CVE-2025-21772.json")
    git, versions = record.advisory.affected[:2]
    assert git.ranges[0].type == "GIT"
    assert git.ranges[0].repository == (
        "https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git"
    )
    assert versions.default_status == "affected"
    assert versions.ranges == ()
    assert versions.version_statuses[0] == VersionStatus(
        "5.4.291", "unaffected", "semver", less_than_or_equal="5.4.*"
    )
    configuration = record.advisory.cpe_configurations[0]
    assert configuration.nodes[0][2][0].version_end_excluding == "5.4.291"


def test_rejected_record_is_withdrawn(shared_data: Path) -> None:
    advisory = _read(shared_data, "cisagov-vulnrichment/2024/40xxx/CVE-2024-40430.json").advisory
    assert advisory.withdrawn == datetime(2024, 9, 13, tzinfo=UTC)
    assert advisory.affected == ()


def test_registry_package_gets_ecosystem_and_purl() -> None:
    record = {
        "dataType": "CVE_RECORD",
        "dataVersion": "5.1",
        "cveMetadata": {
            "cveId": "CVE-2024-0001",
            "state": "PUBLISHED",
            "dateUpdated": "2024-01-01T00:00:00Z",
        },
        "containers": {
            "cna": {
                "descriptions": [{"lang": "en", "value": "x"}],
                "affected": [
                    {
                        "collectionURL": "https://repo.maven.apache.org/maven2",
                        "packageName": "org.apache.logging.log4j:log4j-core",
                        "versions": [
                            {
                                "version": "2.0",
                                "lessThan": "2.15.0",
                                "status": "affected",
                                "versionType": "maven",
                            }
                        ],
                    }
                ],
            }
        },
    }
    (package,) = read_cve_record(record, source="x.json").advisory.affected
    assert package.ecosystem == "Maven"
    assert package.purl == "pkg:maven/org.apache.logging.log4j/log4j-core"
    assert package.ranges[0].events == (
        RangeEvent("introduced", "2.0"),
        RangeEvent("fixed", "2.15.0"),
    )


def test_unknown_ssvc_value_is_refused(shared_data: Path) -> None:
    import json

    path = shared_data / "cve/cisagov-vulnrichment/2023/24xxx/CVE-2023-24516.json"
    record = json.loads(path.read_bytes())
    for adp in record["containers"]["adp"]:
        for metric in adp.get("metrics", []):
            if "other" in metric:
                metric["other"]["content"]["options"][0] = {"Exploitation": "rumoured"}
    with pytest.raises(AdvisoryFormatError, match="Exploitation must be one of") as caught:
        read_cve_record(record, source=path.name)
    assert caught.value.path.endswith(".other.content.options[0].Exploitation")
