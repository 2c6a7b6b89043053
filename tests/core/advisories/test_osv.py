"""The OSV reader on every OSV record of the public data set, and on exact facts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from medvigil.core.advisories.model import AdvisoryFormatError, RangeEvent
from medvigil.core.advisories.osv import read_osv, read_osv_json, read_osv_yaml


def _read(path: Path):  # type: ignore[no-untyped-def]
    reader = read_osv_yaml if path.suffix == ".yaml" else read_osv_json
    return reader(path.read_bytes(), source=path.name)


@pytest.mark.whole_corpus
def test_every_osv_file_is_read(shared_data: Path) -> None:
    files = sorted(
        path for path in (shared_data / "osv").rglob("*") if path.suffix in {".json", ".yaml"}
    )
    advisories = [_read(path) for path in files]
    assert len(files) == 4527
    assert len(advisories) == 4527
    assert sum(1 for path in files if path.suffix == ".yaml") == 1749
    assert sum(advisory.is_withdrawn for advisory in advisories) == 23
    assert all(advisory.modified.tzinfo is UTC for advisory in advisories)


def test_pypa_yaml_record(shared_data: Path) -> None:
    path = shared_data / "osv/PyPI/pypa-advisory-database/vulns/py/PYSEC-2022-42969.yaml"
    advisory = _read(path)
    assert advisory.id == "PYSEC-2022-42969"
    package = advisory.affected[0]
    assert (package.ecosystem, package.name, package.purl) == ("PyPI", "py", "pkg:pypi/py")
    assert package.ranges[0].type == "ECOSYSTEM"
    assert package.ranges[0].events == (
        RangeEvent("introduced", "0"),
        RangeEvent("last_affected", "1.11.0"),
    )
    # Version strings stay strings in YAML: "0.9.0" is not a float.
    assert package.versions[:3] == ("0.8.0-alpha2", "0.9.0", "0.9.1")


def test_ghsa_aliases_cwe_and_cvss_v4(shared_data: Path) -> None:
    advisory = _read(
        shared_data / "osv/mixed-ecosystems/trustify-testdata/GHSA-fmj7-7gfw-64pg.json"
    )
    assert advisory.aliases == ("CVE-2024-48915",)
    assert advisory.cwe_ids == ("CWE-295", "CWE-347")
    assert [severity.type for severity in advisory.severities] == ["CVSS_V3", "CVSS_V4"]
    assert advisory.severities[1].score == (
        "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N"
    )
    assert advisory.affected[0].ecosystem == "Pub"
    assert advisory.affected[0].ranges[0].events[1] == RangeEvent("fixed", "1.0.0-dev.29")


def test_withdrawn_record_is_kept_and_flagged(shared_data: Path) -> None:
    advisory = _read(
        shared_data / "osv/crates.io/rustsec-advisory-db-osv-branch/crates/RUSTSEC-2023-0002.json"
    )
    assert advisory.is_withdrawn
    assert advisory.withdrawn == datetime(2023, 1, 13, 12, 0, tzinfo=UTC)
    assert advisory.modified == datetime(2023, 2, 9, 3, 11, 29, tzinfo=UTC)


def test_ubuntu_severity_suffix_and_versionless_purl(shared_data: Path) -> None:
    advisory = _read(
        shared_data
        / "osv/linux-distros/osv.dev-testdata/gcp/workers/oss_fuzz_worker/testdata"
        / "UBUNTU-CVE-2025-38094.json"
    )
    assert advisory.severities[0].type == "Ubuntu"
    assert advisory.severities[0].score == "medium"
    package = advisory.affected[0]
    assert package.ecosystem == "Ubuntu:Pro:14.04:LTS"
    assert package.purl == "pkg:deb/ubuntu/linux?arch=source&distro=esm-infra-legacy/trusty"


def test_usn_upstream_goes_to_extras_not_aliases(shared_data: Path) -> None:
    advisory = _read(
        shared_data / "osv/linux-distros/osv.dev-testdata/gcp/website/testdata/osv/USN-6315-1.json"
    )
    assert advisory.aliases == ()
    assert ("upstream", "CVE-2023-21400") in advisory.extras


def test_unquoted_yaml_timestamp_is_utc() -> None:
    data = b"id: PYSEC-0\nmodified: 2023-01-24T00:00:00Z\naffected: []\n"
    advisory = read_osv_yaml(data, source="x.yaml")
    assert advisory.modified == datetime(2023, 1, 24, tzinfo=UTC)


@pytest.mark.parametrize(
    ("record", "path", "message"),
    [
        ({"modified": "2024-01-01T00:00:00Z"}, "$.id", "required field is missing"),
        ({"id": "X-1", "modified": "yesterday"}, "$.modified", "expected a timestamp"),
        (
            {
                "id": "X-1",
                "modified": "2024-01-01T00:00:00Z",
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "a"},
                        "ranges": [{"type": "SEMVER", "events": [{"fixed": "1"}]}],
                    }
                ],
            },
            "$.affected[0].ranges[0].events",
            "at least one introduced",
        ),
        (
            {
                "id": "X-1",
                "modified": "2024-01-01T00:00:00Z",
                "severity": [{"type": "CVSS_V3", "score": "AV:N"}],
            },
            "$.severity[0].score",
            "not a CVSS_V3 score",
        ),
    ],
)
def test_errors_name_the_file_and_path(record: object, path: str, message: str) -> None:
    with pytest.raises(AdvisoryFormatError) as caught:
        read_osv(record, source="broken.json")
    assert caught.value.source == "broken.json"
    assert caught.value.path == path
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"broken.json: {path}: ")


def test_invalid_bytes_are_format_errors() -> None:
    with pytest.raises(AdvisoryFormatError, match="not valid JSON"):
        read_osv_json(b"{", source="a.json")
    with pytest.raises(AdvisoryFormatError, match="not valid YAML"):
        read_osv_yaml(b"a: [", source="a.yaml")
