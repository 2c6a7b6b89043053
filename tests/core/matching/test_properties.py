# ruff: noqa: E501
"""Property tests: orderings are total orders consistent with the golden files; fuzz never crashes."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from medvigil.core.advisories.model import AffectedPackage, AffectedRange, RangeEvent
from medvigil.core.matching import UnorderableVersion, compare_versions, is_affected, parse_version

GOLDEN = Path(__file__).parent / "golden"
POOLS = {
    name: json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))["versions"]
    for name in ("debian", "rpm", "pypi", "npm", "go", "maven")
}
ORDERINGS = [
    "semver",
    "npm",
    "go",
    "pub",
    "pypi",
    "maven",
    "nuget",
    "rubygems",
    "packagist",
    "debian",
    "alpine",
    "rpm",
    "dotted-numbers",
    "generic",
]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_golden_versions_form_a_total_order(data: st.DataObject) -> None:
    ordering = data.draw(st.sampled_from(sorted(POOLS)))
    a, b, c = (data.draw(st.sampled_from(POOLS[ordering])) for _ in range(3))
    ab, bc, ac = (compare_versions(ordering, x, y) for x, y in ((a, b), (b, c), (a, c)))
    assert compare_versions(ordering, b, a) == -ab  # antisymmetric
    if ab <= 0 and bc <= 0:
        assert ac <= 0  # transitive
    assert compare_versions(ordering, a, a) == 0


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(ORDERINGS), st.text(max_size=40))
def test_fuzzed_versions_parse_or_raise_the_documented_error(ordering: str, text: str) -> None:
    with contextlib.suppress(UnorderableVersion):
        parse_version(ordering, text)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["PyPI", "npm", "Go", "Debian", "Maven", "Packagist", "Alpine", "Nope"]),
    st.lists(st.text(max_size=12), min_size=1, max_size=4),
    st.text(max_size=20),
)
def test_fuzzed_records_never_crash_the_algorithm(
    ecosystem: str, events: list[str], version: str
) -> None:
    kinds = ["introduced", "fixed", "last_affected", "limit"]
    affected_range = AffectedRange(
        "ECOSYSTEM",
        (
            RangeEvent("introduced", "0"),
            *(RangeEvent(kinds[i % 4], e) for i, e in enumerate(events)),
        ),  # type: ignore[arg-type]
    )
    package = AffectedPackage(ecosystem, "x", ranges=(affected_range,), versions=tuple(events))
    assert isinstance(is_affected(package, version).affected, bool)
