"""The OSV affected-version algorithm, one rule at a time (each firing and not firing)."""

from __future__ import annotations

import pytest

from medvigil.core.advisories.model import AffectedPackage, AffectedRange, RangeEvent
from medvigil.core.matching import Confidence, Rule, is_affected


def package(
    ecosystem: str,
    *events: tuple[str, str],
    versions: tuple[str, ...] = (),
    range_type: str = "ECOSYSTEM",
) -> AffectedPackage:
    ranges = ()
    if events:
        ranges = (
            AffectedRange(range_type, tuple(RangeEvent(kind, v) for kind, v in events)),  # type: ignore[arg-type]
        )
    return AffectedPackage(ecosystem, "example", ranges=ranges, versions=versions)


@pytest.mark.parametrize(
    ("version", "affected"),
    [("0.9", False), ("1.0", True), ("1.5", True), ("1.9.9", True), ("2.0", False), ("3.0", False)],
)
def test_introduced_is_inclusive_and_fixed_exclusive(version: str, affected: bool) -> None:
    record = package("PyPI", ("introduced", "1.0"), ("fixed", "2.0"))
    assert is_affected(record, version).affected is affected


@pytest.mark.parametrize(
    ("version", "affected", "hint"),
    [("1.5", True, False), ("1.6", True, False), ("1.6.1", False, True), ("0.5", False, False)],
)
def test_last_affected_is_inclusive_and_hints_above_it(
    version: str, affected: bool, hint: bool
) -> None:
    verdict = is_affected(package("PyPI", ("introduced", "1.0"), ("last_affected", "1.6")), version)
    assert verdict.affected is affected
    assert (verdict.hint is not None and "last_affected 1.6" in verdict.hint) is hint


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("1.0.1", True),
        ("1.0.2", False),
        ("2.9", False),
        ("3.0.0", True),
        ("3.2.4", True),
        ("3.2.5", False),
    ],
)
def test_several_pairs_are_disjoint_intervals(version: str, affected: bool) -> None:
    record = package(
        "npm",
        ("introduced", "3.0.0"),  # unsorted on purpose: consumers must sort
        ("fixed", "1.0.2"),
        ("introduced", "1.0.0"),
        ("fixed", "3.2.5"),
    )
    assert is_affected(record, version).affected is affected


def test_introduced_zero_is_below_every_version() -> None:
    record = package("Go", ("introduced", "0"), ("fixed", "0.3.7"))
    assert is_affected(record, "0.0.0-20170101000000-abcdefabcdef").affected
    assert not is_affected(record, "0.3.7").affected


@pytest.mark.parametrize(("version", "affected"), [("1.5", True), ("2.4", True), ("2.5", False)])
def test_limit_is_an_exclusive_upper_bound(version: str, affected: bool) -> None:
    record = package("PyPI", ("introduced", "1.0"), ("limit", "2.5"))
    assert is_affected(record, version).affected is affected


def test_limit_star_is_infinity() -> None:
    assert is_affected(package("PyPI", ("introduced", "1.0"), ("limit", "*")), "99").affected


def test_equal_introduced_and_fixed_is_empty() -> None:
    # Tie order introduced < last_affected < fixed < limit: fixed wins at the same version.
    assert not is_affected(package("PyPI", ("introduced", "1.0"), ("fixed", "1.0")), "1.0").affected


def test_unparseable_fixed_never_makes_a_version_unaffected() -> None:
    record = package("PyPI", ("introduced", "1.0"), ("fixed", "not a version!"))
    assert is_affected(record, "500.0").affected


def test_unparseable_introduced_never_opens_a_range() -> None:
    assert not is_affected(package("PyPI", ("introduced", "garbage!")), "500.0").affected


def test_listed_versions_use_ecosystem_equality() -> None:
    verdict = is_affected(package("PyPI", versions=("1.0.0", "1.1")), "1.0")
    assert (verdict.affected, verdict.rule, verdict.listed_version) == (
        True,
        Rule.LISTED_VERSION,
        "1.0.0",
    )
    assert not is_affected(package("PyPI", versions=("1.0.0",)), "1.0.1").affected


def test_build_metadata_is_equal_precedence_for_listed_semver_versions() -> None:
    assert is_affected(package("npm", versions=("1.2.2",)), "1.2.2+build.4").affected
    assert is_affected(package("Go", versions=("1.1.2",)), "v1.1.2+incompatible").affected


def test_unparseable_queried_version_falls_back_to_exact_strings_with_low_confidence() -> None:
    record = package("PyPI", ("introduced", "0"), versions=("weird-build!",))
    verdict = is_affected(record, "weird-build!")
    assert (verdict.affected, verdict.rule, verdict.confidence) == (
        True,
        Rule.LISTED_STRING,
        Confidence.LOW,
    )
    missed = is_affected(record, "other-build!")
    assert not missed.affected
    assert missed.confidence is Confidence.LOW
    assert missed.hint is not None


def test_ecosystem_without_ordering_matches_only_exact_strings() -> None:
    record = package("OSS-Fuzz", versions=("v1.2", "1.3"))
    assert is_affected(record, "v1.2").confidence is Confidence.LOW
    assert is_affected(record, "v1.2").affected
    assert not is_affected(record, "1.2").affected


def test_package_without_ranges_or_versions_never_matches() -> None:
    assert not is_affected(package("PyPI"), "1.0").affected


def test_semver_range_in_another_ecosystem_uses_semver_precedence() -> None:
    record = package("PyPI", ("introduced", "1.0.0"), ("fixed", "1.2.0"), range_type="SEMVER")
    assert is_affected(record, "1.1.0").affected
    assert not is_affected(record, "1.2.0").affected


def test_git_ranges_are_not_evaluated_but_listed_tags_are() -> None:
    record = AffectedPackage(
        "OSS-Fuzz",
        "libexample",
        ranges=(AffectedRange("GIT", (RangeEvent("introduced", "a" * 40),), "https://x/y"),),
        versions=("v2.1",),
    )
    assert is_affected(record, "v2.1").affected
    assert not is_affected(record, "v2.2").affected


def test_match_reason_names_the_interval() -> None:
    verdict = is_affected(
        package("crates.io", ("introduced", "0.87.0"), ("fixed", "0.88.0")), "0.87.5"
    )
    assert (
        verdict.range_index,
        verdict.introduced,
        verdict.upper_bound,
        verdict.upper_bound_kind,
    ) == (
        0,
        "0.87.0",
        "0.88.0",
        "fixed",
    )
