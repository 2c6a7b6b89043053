# ruff: noqa: E501
"""Ecosystem orderings beyond the golden files: the univers gaps and the ecosystems without an oracle here."""

from __future__ import annotations

import pytest

from medvigil.core.matching import UnorderableVersion, compare_versions, parse_version
from medvigil.core.matching.versions import ZERO, parse_event_version


@pytest.mark.parametrize(
    ("ordering", "lower", "higher"),
    [
        ("go", "0.0.0-20191109021931-daa7c04131f5", "0.1.0"),
        ("go", "v1.2.3-pre", "1.2.3"),
        ("go", "go1.20.3", "1.21.0"),
        ("npm", "1.0.0-alpha.1", "1.0.0-alpha.beta"),
        ("npm", "1.0.0-beta.2", "1.0.0-beta.11"),
        ("semver", "1.32.0", "1.32.1"),
        ("nuget", "1.0.0", "1.0.0.1"),
        ("nuget", "1.0.0-alpha", "1.0.0"),
        ("rubygems", "1.0.a", "1.0"),
        ("rubygems", "5.0.0", "5.0.0.1"),
        ("packagist", "4.3alpha1", "4.3beta2"),
        ("packagist", "4.3beta2", "4.3.0"),
        ("packagist", "5.0-RC1", "5.0"),
        ("packagist", "1.0-dev", "1.0-alpha"),
        ("packagist", "1.0", "1.0-p1"),
        ("alpine", "10.4.25-r0", "10.5.16-r0"),
        ("alpine", "1.2.3_rc1-r0", "1.2.3-r0"),
        ("alpine", "1.2.3-r0", "1.2.3_p1-r0"),
        ("debian", "1:0.1", "2:0.0"),
        ("debian", "1.0~rc1", "1.0"),
        ("rpm", "1.0~rc1-1", "1.0-1"),
        ("rpm", "2.17-324.el8", "2.17-325.el8"),
        ("dotted-numbers", "1.2-3", "1.10"),
        ("pub", "1.0.0-dev.29", "1.0.0"),
        ("pub", "1.0.0", "1.0.0+1"),
        ("generic", "1.1.1", "1.1.1k"),
        ("generic", "8.0.0-beta", "8.0.0"),
    ],
)
def test_order(ordering: str, lower: str, higher: str) -> None:
    assert compare_versions(ordering, lower, higher) == -1
    assert compare_versions(ordering, higher, lower) == 1


@pytest.mark.parametrize(
    ("ordering", "left", "right"),
    [
        ("npm", "1.2.2+build.4", "1.2.2"),  # univers: neither equal nor ordered
        ("go", "v1.1.2+incompatible", "1.1.2"),
        ("go", "v1.2", "1.2.0"),
        ("pypi", "1.0", "1.0.0"),
        ("pypi", "1.0.POST1", "1.0.post1"),
        ("maven", "1.0", "1.0.0"),
        ("nuget", "1.0.0-Beta", "1.0.0-beta"),
        ("packagist", "1.0", "1.0.0.0"),
        ("packagist", "v2.1.0", "2.1.0"),
        ("debian", "1.0", "1.00"),
        ("dotted-numbers", "1.2", "1.2.0"),
    ],
)
def test_equal_precedence(ordering: str, left: str, right: str) -> None:
    assert compare_versions(ordering, left, right) == 0
    assert parse_version(ordering, left) == parse_version(ordering, right)


@pytest.mark.parametrize(
    ("ordering", "text"),
    [
        ("npm", "1.2"),
        ("go", "v01.2.3"),
        ("pypi", "not a version"),
        ("rpm", "latest"),
        ("semver", "abc"),
        ("packagist", "dev-master"),
        ("pub", "1.0"),
        ("nuget", ""),
        ("no-such-ordering", "1.0"),
    ],
)
def test_unorderable_versions_raise_the_documented_error(ordering: str, text: str) -> None:
    with pytest.raises(UnorderableVersion):
        parse_version(ordering, text)


def test_event_zero_is_below_everything_and_garbage_above() -> None:
    lowest = parse_version("pypi", "0.0.0.dev0")
    garbage = parse_event_version("pypi", "???")
    assert parse_event_version("pypi", "0") is ZERO
    assert ZERO < lowest < garbage
    assert garbage.is_unparseable
