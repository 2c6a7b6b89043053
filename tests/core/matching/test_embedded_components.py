"""Embedded and native components on real records: NVD 2.0 CPE ranges, CVE 5 product CPEs.

An upstream component (``pkg:generic``, a Yocto CPE with part ``*``) is matched
through the CPE; a distribution package carrying the same CPE is not, since its
distribution backports fixes (its own OSV data decides).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvigil.core.advisories.cve5 import read_cve_record
from medvigil.core.advisories.model import Advisory, AffectedPackage, VersionStatus
from medvigil.core.advisories.nvd import read_nvd
from medvigil.core.matching import AdvisoryIndex, Rule, product_configurations
from medvigil.core.matching.product_cpes import package_configuration

DEMO_NVD = Path(str(resources.files("medvigil.vulns").joinpath("demo_data", "nvd")))
OPENSSL = "cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*"


def demo_nvd() -> list[Advisory]:
    return [
        advisory
        for path in sorted(DEMO_NVD.glob("*.json"))
        for advisory in read_nvd(json.loads(path.read_bytes()), source=path.name)
    ]


def vulnrichment(shared_data: Path, name: str) -> Advisory:
    path = next((shared_data / "cve" / "cisagov-vulnrichment").rglob(name))
    return read_cve_record(json.loads(path.read_bytes()), source=path.name).advisory


def ids(index: AdvisoryIndex, purl: str | None, cpe: str | None, **options: bool) -> list[str]:
    return sorted(match.advisory.id for match in index.match(purl, cpe, None, **options))


OPENSSL_3_0_7 = ["CVE-2022-4450", "CVE-2023-0215", "CVE-2023-0286"]


@pytest.mark.parametrize(
    ("purl", "cpe"),
    [
        ("pkg:generic/openssl@3.0.7", OPENSSL),
        (None, OPENSSL),
        # Yocto's create-spdx writes part "*": vendor and product still decide.
        (None, "cpe:2.3:*:openssl:openssl:3.0.7:*:*:*:*:*:*:*"),
        ("pkg:github/openssl/openssl@3.0.7", OPENSSL),
    ],
)
def test_upstream_openssl_is_matched_through_nvd_cpe_ranges(purl: str | None, cpe: str) -> None:
    assert ids(AdvisoryIndex.build(demo_nvd()), purl, cpe) == OPENSSL_3_0_7


def test_fixed_upstream_versions_are_not_matched() -> None:
    index = AdvisoryIndex.build(demo_nvd())
    assert ids(index, None, "cpe:2.3:a:openssl:openssl:3.0.8:*:*:*:*:*:*:*") == []
    assert ids(index, None, "cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*") == []
    assert ids(index, None, "cpe:2.3:a:zlib:zlib:1.2.12:*:*:*:*:*:*:*") == ["CVE-2022-37434"]
    assert ids(index, None, "cpe:2.3:*:busybox:busybox:1.35.0:*:*:*:*:*:*:*") == ["CVE-2022-48174"]


@pytest.mark.parametrize(
    "purl",
    [
        "pkg:rpm/redhat/openssl@3.0.7-18.el9_2?arch=src&distro=rhel-9.2",
        "pkg:deb/debian/openssl@3.0.7-1?distro=debian-12",
        "pkg:apk/alpine/openssl@3.0.7-r0?distro=alpine-3.17",
    ],
)
def test_a_distribution_package_is_never_matched_by_upstream_cpe_ranges(purl: str) -> None:
    # Red Hat's 3.0.7-18.el9_2 carries the fixes: only the distribution's data may say otherwise.
    index = AdvisoryIndex.build(demo_nvd())
    assert ids(index, purl, OPENSSL, include_candidates=True) == []


def test_registry_packages_still_reach_nvd_only_advisories_through_their_cpe() -> None:
    index = AdvisoryIndex.build(demo_nvd())
    assert ids(index, "pkg:pypi/openssl@3.0.7", OPENSSL) == OPENSSL_3_0_7


def test_cisa_adp_product_cpes_match_before_nvd_analysis(shared_data: Path) -> None:
    # CVE-2020-36767: no NVD configuration in the record, CISA-ADP names the CPE and "< 3.8.0".
    advisory = vulnrichment(shared_data, "CVE-2020-36767.json")
    assert advisory.cpe_configurations == ()
    index = AdvisoryIndex.build([advisory])
    cpe = "cpe:2.3:a:vareille:tinyfiledialogs:{}:*:*:*:*:*:*:*"
    (match,) = index.match(None, cpe.format("3.7.0"), None)
    assert match.verdict.rule == Rule.CPE_CRITERIA
    assert "CVE record's affected product" in match.verdict.explanation
    assert index.match(None, cpe.format("3.8.0"), None) == ()
    assert index.match("pkg:generic/tinyfiledialogs@3.8.0", cpe.format("3.8.0"), None) == ()


def test_cve5_products_without_any_version_bound_are_only_candidates(shared_data: Path) -> None:
    # CVE-2021-3182: CISA-ADP gives "0 lessThan *" for the D-Link firmware: every version.
    advisory = vulnrichment(shared_data, "CVE-2021-3182.json")
    index = AdvisoryIndex.build([advisory])
    cpe = "cpe:2.3:o:d-link:dcs-5220_firmware:1.05:*:*:*:*:*:*:*"
    assert index.match(None, cpe, None) == ()
    (candidate,) = index.match(None, cpe, None, include_candidates=True)
    assert candidate.verdict.rule == Rule.CPE_EVERY_VERSION
    assert not candidate.verdict.affected


@pytest.mark.whole_corpus
def test_every_vulnrichment_product_configuration_keeps_its_cpe_identity(
    shared_data: Path,
) -> None:
    converted = 0
    for path in sorted((shared_data / "cve" / "cisagov-vulnrichment").rglob("*.json")):
        advisory = read_cve_record(json.loads(path.read_bytes()), source=path.name).advisory
        for configuration in product_configurations(advisory):
            converted += 1
            for _operator, _negate, matches in configuration.nodes:
                assert all(match.criteria.split(":")[5] == "*" for match in matches)
    assert converted > 100


VERSION_TEXT = st.sampled_from(["0", "n/a", "*", "1.2", "2.*", "3.0.8", "", "unspecified", "x y"])
ENTRY = st.builds(
    VersionStatus,
    version=VERSION_TEXT,
    status=st.sampled_from(["affected", "unaffected", "unknown"]),
    less_than=st.none() | VERSION_TEXT,
    less_than_or_equal=st.none() | VERSION_TEXT,
)


@settings(max_examples=300, deadline=None)
@given(
    entries=st.lists(ENTRY, max_size=4),
    default=st.sampled_from([None, "affected", "unaffected", "unknown"]),
    cpes=st.lists(
        st.sampled_from(
            [
                "cpe:2.3:a:zlib:zlib:-:*:*:*:*:*:*:*",
                "cpe:2.3:a:*:zlib:*:*:*:*:*:*:*:*",
                "not a cpe",
                "cpe:2.3:o:d-link:dcs-5220_firmware:1.05:*:*:*:*:*:*:*",
            ]
        ),
        max_size=3,
    ),
)
def test_any_cve5_product_reads_as_a_configuration_or_nothing(
    entries: list[VersionStatus], default: str | None, cpes: list[str]
) -> None:
    package = AffectedPackage(
        ecosystem="",
        name="zlib",
        vendor="zlib",
        cpes=tuple(cpes),
        default_status=default,  # type: ignore[arg-type]
        version_statuses=tuple(entries),
    )
    configuration = package_configuration(package)
    if configuration is None:
        return
    index = AdvisoryIndex.build(
        [Advisory("CVE-2099-0001", "fuzz", datetime.now(UTC), affected=(package,))]
    )
    for _operator, _negate, matches in configuration.nodes:
        for match in matches:
            assert match.criteria.split(":")[5] == "*"  # versions live in the bounds
            assert match.criteria.split(":")[3] != "*"  # never a vendor wildcard
    for version in ("0.1", "1.2", "3.0.8", "9"):
        index.match(None, f"cpe:2.3:a:zlib:zlib:{version}:*:*:*:*:*:*:*", None)
