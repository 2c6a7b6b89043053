"""Our orderings and native ranges against the reference tools' answers (golden files).

The files come from tools/reference_versions/generate.py (dpkg, rpm, packaging,
node-semver, Maven ComparableVersion, golang.org/x/mod/semver). Every answer is
checked; deliberate differences are listed here, never skipped silently.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from medvigil.core.matching.native_ranges import npm_range_contains, pypi_specifier_contains
from medvigil.core.matching.semver import InvalidSemver, npm_key
from medvigil.core.matching.versions import UnorderableVersion, compare_versions, parse_version

GOLDEN = Path(__file__).parent / "golden"
ECOSYSTEMS = ["debian", "rpm", "pypi", "npm", "go", "maven"]

# univers' port of Maven ComparableVersion differs from Maven 3.8.7 on these
# pairs (trailing qualifiers after a dot, "RELEASE" prefixes, "-0" suffixes).
# Known gap, kept explicit: if univers changes, this list must be revisited.
MAVEN_KNOWN_DIFFERENCES = {  # (left, right, Maven 3.8.7 answer)
    ("0.2.1.9.SNAPSHOT", "0.2.1.9.SNAPSHOT.0", 1),  # univers says 0
    ("12.x", "12.x.0", 1),  # univers says 0
    ("9.foo", "9.foo.1", 1),  # univers says -1
    ("11.beta", "11.beta-1", 1),  # univers says -1
    ("12.2.12.RELEASE", "12.2.12.R", -1),  # univers says 1
    ("11.69.3.0-RELEASE", "11.69.3.0-RELEA", -1),  # univers says 1
    ("3.74.12.12.RELEASE", "3.74.12.12.RELE", -1),  # univers says 1
    ("10.0.1-0", "10.0.1-0.post1", -1),  # univers says 0
    ("11.10.9.SNAPSHOT", "11.10.9.SNAPSHOT.post1", 1),  # univers says -1
    ("1-RELEASE-SNAPSHOT", "1.GA", -1),  # univers says 1
    ("12.10.alpha", "12.10.alpha.0", 1),  # univers says 0
    ("12-RELEASE", "12", 0),  # univers says 1
    ("9-0", "9-0.post1", -1),  # univers says 0
    ("0.2.RELEASE", "0.2.R", -1),  # univers says 1
    ("0.0RELEASE", "0.0RELEAS", -1),  # univers says 1
    ("3.12.1.RELEASE", "3.12.1.REL", -1),  # univers says 1
    ("1.12.10.21.SNAPSHOT", "1.12.10.21.SNAPSHOT.0", 1),  # univers says 0
    ("9-beta", "9.foo", -1),  # univers says 1
    ("9.1.RELEASE-SNAPSHOT", "9.1.REL", -1),  # univers says 1
}


@cache
def golden(ecosystem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{ecosystem}.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("ecosystem", ECOSYSTEMS)
def test_every_golden_pair_is_ordered_as_the_reference_tool_orders_it(ecosystem: str) -> None:
    data = golden(ecosystem)
    versions = data["versions"]
    assert len(data["pairs"]) >= 1500
    disagreements = []
    for left, right, expected in data["pairs"]:
        pair = (versions[left], versions[right])
        actual = compare_versions(ecosystem, *pair)
        if actual != expected:
            disagreements.append(pair)
    known = {(left, right) for left, right, _answer in MAVEN_KNOWN_DIFFERENCES}
    assert set(disagreements) == (known if ecosystem == "maven" else set())


def test_go_versions_order_the_same_without_the_v_prefix_that_osv_drops() -> None:
    data = golden("go")
    versions = data["versions"]
    for left, right, expected in data["pairs"]:
        assert compare_versions("go", versions[left][1:], versions[right][1:]) == expected


@pytest.mark.parametrize("ecosystem", ["pypi", "npm", "go"])
def test_versions_the_reference_tool_rejects_are_rejected(ecosystem: str) -> None:
    invalid = golden(ecosystem).get("invalid", [])
    assert invalid, "the generator should produce some invalid versions"
    for text in invalid:
        with pytest.raises(UnorderableVersion):
            parse_version(ecosystem, text)


def test_npm_ranges_match_node_semver_in_both_pre_release_modes() -> None:
    data = golden("npm")
    ranges = data["ranges"]
    checked = 0
    for index, version, include_prerelease, default in data["range_checks"]:
        try:
            npm_key(version)
        except InvalidSemver:
            # Documented difference: node-semver answers False for an invalid
            # version, we raise. The tool must indeed have said False.
            assert (include_prerelease, default) == (0, 0)
            with pytest.raises(InvalidSemver):
                npm_range_contains(ranges[index], version)
            continue
        checked += 1
        assert npm_range_contains(ranges[index], version) == bool(include_prerelease), (
            ranges[index],
            version,
        )
        assert npm_range_contains(ranges[index], version, include_prerelease=False) == bool(
            default
        ), (ranges[index], version)
    assert checked >= 800


def test_pypi_specifiers_match_packaging_in_both_pre_release_modes() -> None:
    data = golden("pypi")
    ranges = data["ranges"]
    assert len(data["range_checks"]) >= 1000
    for index, version, include_prerelease, default in data["range_checks"]:
        assert pypi_specifier_contains(ranges[index], version) == bool(include_prerelease)
        assert pypi_specifier_contains(ranges[index], version, include_prerelease=False) == bool(
            default
        )
