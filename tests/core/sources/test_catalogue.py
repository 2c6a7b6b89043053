"""The catalogue: the real addresses, OSV only for the portfolio's ecosystems."""

from __future__ import annotations

import pytest

from medvigil.core.sources import (
    catalogue_entry,
    is_nvd_modified_feed,
    nvd_year_url,
    parse_interval,
    purl_ecosystem,
    recommended_sources,
)

PURLS = [
    "pkg:pypi/jinja2@3.1.2",
    "pkg:pypi/requests@2.31.0",
    "pkg:npm/minimist@1.2.5",
    "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
    "pkg:apk/alpine/busybox@1.36.1-r5",
    "pkg:rpm/redhat/glibc@2.34-60.el9",
    "pkg:deb/ubuntu/zlib1g@1.2.11",
    "pkg:generic/ti/cc2640-firmware@2.1",
    "not a purl",
]


def test_osv_sources_only_for_the_ecosystems_in_the_portfolio_then_the_fixed_ones() -> None:
    catalogue = recommended_sources(PURLS)
    assert [(source.name, source.url) for source in catalogue] == [
        ("osv-alpine", "https://osv-vulnerabilities.storage.googleapis.com/Alpine/all.zip"),
        ("osv-debian", "https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip"),
        ("osv-pypi", "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"),
        ("osv-red-hat", "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip"),
        ("osv-ubuntu", "https://osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip"),
        ("osv-npm", "https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip"),
        ("nvd", "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-modified.json.gz"),
        (
            "kev",
            "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
        ),
        ("epss", "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"),
        (
            "csaf-cisa-medical",
            "https://raw.githubusercontent.com/cisagov/CSAF/develop/"
            "csaf_files/OT/white/cisa-csaf-ot-feed-tlp-white.json",
        ),
    ]
    pypi = catalogue[2]
    assert pypi.description == "OSV advisories of PyPI (2 component(s) in the portfolio)"
    assert (pypi.kind, pypi.interval_hours) == ("osv", 6)
    assert catalogue[-1].scope == "icsma-"
    assert [source.name for source in recommended_sources([])] == [
        "nvd",
        "kev",
        "epss",
        "csaf-cisa-medical",
    ]


def test_purls_name_their_osv_ecosystem() -> None:
    assert [purl_ecosystem(purl) for purl in PURLS] == [
        "PyPI",
        "PyPI",
        "npm",
        "Debian",
        "Alpine",
        "Red Hat",
        "Ubuntu",
        None,
        None,
    ]
    assert purl_ecosystem("pkg:deb/openssl@3") is None  # no distribution named
    assert purl_ecosystem("pkg:golang/golang.org/x/net@0.1") == "Go"


def test_any_osv_ecosystem_can_be_enabled_by_name() -> None:
    entry = catalogue_entry("osv-crates.io")
    assert entry is not None
    assert entry.url == "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip"
    assert catalogue_entry(" KEV ") is not None
    assert catalogue_entry("osv-cobol") is None


def test_nvd_yearly_files_sit_beside_the_modified_file() -> None:
    modified = "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-modified.json.gz"
    assert is_nvd_modified_feed(modified)
    assert nvd_year_url(modified, 2002) == (
        "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2002.json.gz"
    )
    assert not is_nvd_modified_feed(
        "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2024.json.gz"
    )
    with pytest.raises(ValueError, match="not an NVD modified feed"):
        nvd_year_url("https://example.org/feed.json.gz", 2020)


@pytest.mark.parametrize(
    ("text", "hours"), [("6h", 6), ("2d", 48), ("1w", 168), ("12", 12), (" 3H ", 3)]
)
def test_intervals_read_in_hours_days_or_weeks(text: str, hours: int) -> None:
    assert parse_interval(text) == hours


@pytest.mark.parametrize("text", ["", "0h", "-1h", "6m", "h", "six hours", "400d"])
def test_an_unreadable_interval_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="interval"):
        parse_interval(text)
