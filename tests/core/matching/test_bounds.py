"""The interval tables agree with the OSV walk on every shared OSV record."""

from __future__ import annotations

from pathlib import Path

import pytest

from medvigil.core.advisories.model import AffectedPackage
from medvigil.core.advisories.osv import read_osv_json, read_osv_yaml
from medvigil.core.matching.bounds import build_table
from medvigil.core.matching.ranges import compile_package, evaluate


def shared_packages(shared_data: Path) -> list[AffectedPackage]:
    packages = []
    for path in sorted((shared_data / "osv").rglob("*")):
        if path.suffix not in {".json", ".yaml"} or not path.is_file():
            continue
        reader = read_osv_yaml if path.suffix == ".yaml" else read_osv_json
        packages.extend(reader(path.read_bytes(), source=path.name).affected)
    return packages


def probes(package: AffectedPackage) -> set[str]:
    """Every bound and listed version, and neighbours just below and above them."""
    texts = set(package.versions[:20])
    for affected_range in package.ranges:
        for event in affected_range.events:
            texts.add(event.version)
    found = set()
    for text in texts:
        found.add(text)
        if text and text[-1].isdigit():
            last = int(text[-1])
            found.add(text[:-1] + str(last + 1))
            if last:
                found.add(text[:-1] + str(last - 1))
        found.add(text + ".1")
    return found


@pytest.fixture(scope="module")
def packages(shared_data: Path) -> list[AffectedPackage]:
    return shared_packages(shared_data)


@pytest.mark.whole_corpus
def test_the_filter_is_exact_where_the_version_is_ordered(packages: list[AffectedPackage]) -> None:
    checked = affected = 0
    for package in packages:
        compiled = compile_package(package)
        table = build_table([compiled])
        plan = table.plans[0]
        for text in probes(package):
            verdict = evaluate(compiled, text)
            places = table.places(text)
            ordered = compiled.ordering is not None and places.get(compiled.ordering) is not None
            checked += 1
            affected += verdict.affected
            if ordered:
                assert plan.may_affect(places) == verdict.affected, (package.name, text)
            elif verdict.affected:
                assert plan.may_affect(places), (package.name, text)
    assert checked > 50_000
    assert affected > 10_000


def test_one_table_for_many_packages_keeps_each_plan_exact(
    packages: list[AffectedPackage],
) -> None:
    # Shared bounds: positions must stay right when other packages add bounds in between.
    by_name: dict[tuple[str, str], list[AffectedPackage]] = {}
    for package in packages:
        by_name.setdefault((package.ecosystem, package.name), []).append(package)
    crowded = [group for group in by_name.values() if len(group) >= 20]
    assert crowded
    for group in crowded:
        compiled = [compile_package(package) for package in group]
        table = build_table(compiled)
        texts = set().union(*(probes(package) for package in group))
        for text in sorted(texts):
            places = table.places(text)
            for package, plan in zip(compiled, table.plans, strict=True):
                if package.ordering is not None and places.get(package.ordering) is not None:
                    assert plan.may_affect(places) == evaluate(package, text).affected


def test_candidates_equal_the_plans_that_may_affect(packages: list[AffectedPackage]) -> None:
    by_name: dict[tuple[str, str], list[AffectedPackage]] = {}
    for package in packages:
        by_name.setdefault((package.ecosystem, package.name), []).append(package)
    for group in by_name.values():
        compiled = [compile_package(package) for package in group]
        table = build_table(compiled)
        for text in sorted(set().union(*(probes(package) for package in group)))[:40]:
            places = table.places(text)
            expected = {index for index, plan in enumerate(table.plans) if plan.may_affect(places)}
            assert table.candidates(places) == expected, (group[0].name, text)
