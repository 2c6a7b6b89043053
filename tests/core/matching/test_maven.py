"""Maven ComparableVersion: item lists as Maven 3.8.7 prints them, and its documented order."""

from __future__ import annotations

import pytest

from medvigil.core.matching.maven import MavenKey, parse_maven
from medvigil.core.matching.versions import compare_versions


@pytest.mark.parametrize(
    ("text", "items"),
    [
        # Shown by `java -cp maven-artifact-3.x.jar ...ComparableVersion` (Maven 3.8.7).
        ("9.foo", (9, ("foo",))),
        ("9.foo.1", (9, "foo", 1)),
        ("12.x.0", (12, "x")),
        ("11.beta-1", (11, "beta", (1,))),
        ("10.0.1-0", (10, 0, 1)),
        ("10.0.1-0.post1", (10, 0, 1, (("post", (1,)),))),
        ("9.1.RELEASE-SNAPSHOT", (9, 1, ("snapshot",))),
        ("1.0alpha1", (1, ("alpha", (1,)))),
        ("1-sp", (1, ("sp",))),
        ("12-RELEASE", (12,)),
        ("1.0.0", (1,)),
    ],
)
def test_items_are_those_maven_prints(text: str, items: tuple[object, ...]) -> None:
    assert parse_maven(text) == items


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("1-alpha", "1-beta"),
        ("1-beta", "1-milestone"),
        ("1-milestone", "1-rc"),
        ("1-rc", "1-snapshot"),
        ("1-snapshot", "1"),
        ("1", "1-sp"),
        ("1-sp", "1-foo"),
        ("1.0-a1", "1.0-b1"),
        ("1-cr1", "1-rc2"),
        ("1.foo.1", "1-foo.1"),  # .qualifier < -qualifier (when not last)
        ("1-foo", "1-1"),  # -qualifier < -number
        ("1-1", "1.1"),  # -number < .number
        ("2.0.9", "2.0.10"),
        ("1.0.0.RC1", "1.0.0"),
    ],
)
def test_documented_order(lower: str, higher: str) -> None:
    assert compare_versions("maven", lower, higher) == -1
    assert compare_versions("maven", higher, lower) == 1
    assert MavenKey(lower) < MavenKey(higher)


@pytest.mark.parametrize(
    ("left", "right"),
    [("1.0", "1"), ("1-ga", "1"), ("1.foo", "1-foo"), ("1.FINAL", "1.0.0"), ("1-cr1", "1-rc1")],
)
def test_equal_spellings(left: str, right: str) -> None:
    assert compare_versions("maven", left, right) == 0
    assert MavenKey(left) == MavenKey(right)
