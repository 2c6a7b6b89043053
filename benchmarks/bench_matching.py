# ruff: noqa: E501
"""Benchmark: a 10 000-component SBOM against every OSV record in ../shared/data/osv.

Two synthetic SBOMs: "skewed" (the first version of this benchmark: each
component drawn from the advisories' packages with repetition, so popular
names such as tensorflow and the Go standard library dominate and each
component has about 20 matches) and "realistic" (distinct packages: every
package name that has advisories at most once, at a version near one of its
bounds, the rest packages with no advisory at all, as in a real SBOM).

Prints the index build time, the matching time and rate, and the ratio to a
naive baseline (univers parsing each range for every check, no index, no
cache) timed on a sample. No assertions: figures only.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from univers.version_range import VersionRange
from univers.versions import GolangVersion, PypiVersion, SemverVersion

from medvigil.core.advisories.osv import read_osv_json, read_osv_yaml
from medvigil.core.matching import AdvisoryIndex

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "osv"
PURL_TYPES = {"PyPI": "pypi", "Go": "golang", "crates.io": "cargo"}
UNIVERS = {
    "PyPI": ("pypi", PypiVersion),
    "Go": ("golang", GolangVersion),
    "crates.io": ("cargo", SemverVersion),
}


def load() -> list:  # type: ignore[type-arg]
    advisories = []
    for path in [*DATA.rglob("*.json"), *DATA.rglob("*.yaml")]:
        reader = read_osv_yaml if path.suffix == ".yaml" else read_osv_json
        advisories.append(reader(path.read_bytes(), source=path.name))
    return advisories


def components(advisories: list, count: int) -> list[tuple[str, str, str, str]]:  # type: ignore[type-arg]
    rng = random.Random(7)
    candidates = []
    for advisory in advisories:
        for package in advisory.affected:
            if package.ecosystem not in PURL_TYPES:
                continue
            bounds = [
                e.version
                for r in package.ranges
                if r.type != "GIT"
                for e in r.events
                if e.version != "0"
            ]
            candidates.append((package.ecosystem, package.name, bounds or ["1.0.0"]))
    chosen = []
    for _ in range(count):
        ecosystem, name, bounds = rng.choice(candidates)
        version = rng.choice(bounds)
        if rng.random() < 0.5 and version[-1].isdigit():
            version = version[:-1] + str(max(0, int(version[-1]) + rng.choice([-1, 1])))
        purl = f"pkg:{PURL_TYPES[ecosystem]}/{name}@{version}"
        chosen.append((ecosystem, name, version, purl))
    return chosen


def realistic_components(advisories: list, count: int) -> list[tuple[str, str, str, str]]:  # type: ignore[type-arg]
    """Distinct packages: each advised name once, then names no advisory mentions."""
    rng = random.Random(11)
    bounds_by_name: dict[tuple[str, str], list[str]] = {}
    for advisory in advisories:
        for package in advisory.affected:
            if package.ecosystem not in PURL_TYPES:
                continue
            bounds = bounds_by_name.setdefault((package.ecosystem, package.name), [])
            bounds.extend(
                e.version
                for r in package.ranges
                if r.type != "GIT"
                for e in r.events
                if e.version != "0"
            )
    names = sorted(bounds_by_name)
    rng.shuffle(names)
    chosen = []
    for ecosystem, name in names[: count // 2]:
        version = rng.choice(bounds_by_name[(ecosystem, name)] or ["1.0.0"])
        if rng.random() < 0.5 and version[-1].isdigit():
            version = version[:-1] + str(max(0, int(version[-1]) + rng.choice([-1, 1])))
        chosen.append((ecosystem, name, version, f"pkg:{PURL_TYPES[ecosystem]}/{name}@{version}"))
    ecosystems = sorted(PURL_TYPES)
    while len(chosen) < count:
        ecosystem = ecosystems[len(chosen) % len(ecosystems)]
        name = f"example-internal-{len(chosen)}"
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
        chosen.append((ecosystem, name, version, f"pkg:{PURL_TYPES[ecosystem]}/{name}@{version}"))
    rng.shuffle(chosen)
    return chosen


def timed(index: AdvisoryIndex, sbom: list[tuple[str, str, str, str]]) -> tuple[int, float, float]:
    """Matches found, first run and warm (second) run in seconds."""
    begin = time.perf_counter()
    found = sum(len(index.match(purl, None, None)) for _e, _n, _v, purl in sbom)
    first = time.perf_counter() - begin
    begin = time.perf_counter()
    sum(len(index.match(purl, None, None)) for _e, _n, _v, purl in sbom)
    return found, first, time.perf_counter() - begin


def naive(advisories: list, ecosystem: str, name: str, version: str) -> int:  # type: ignore[type-arg]
    scheme, version_class = UNIVERS[ecosystem]
    hits = 0
    for advisory in advisories:
        for package in advisory.affected:
            if package.ecosystem != ecosystem or package.name != name:
                continue
            for affected_range in package.ranges:
                if affected_range.type == "GIT":
                    continue
                events = [e for e in affected_range.events]
                pairs, low = [], None
                for event in events:
                    if event.kind == "introduced":
                        low = event.version
                    elif low is not None:
                        pairs.append((low, event.version))
                        low = None
                if low is not None:
                    pairs.append((low, None))
                for start, end in pairs:
                    parts = [] if start == "0" else [f">={start}"]
                    if end:
                        parts.append(f"<{end}")
                    try:
                        spec = f"vers:{scheme}/" + ("|".join(parts) if parts else "*")
                        if version_class(version) in VersionRange.from_string(spec):
                            hits += 1
                    except Exception:  # noqa: S112 - the baseline just skips what univers rejects
                        continue
    return hits


def main() -> None:
    started = time.perf_counter()
    advisories = load()
    loaded = time.perf_counter()
    index = AdvisoryIndex.build(advisories)
    built = time.perf_counter()
    print(
        f"advisories: {len(advisories)} read in {loaded - started:.2f} s; index built in {built - loaded:.3f} s"
    )
    sbom = realistic_components(advisories, 10_000)
    found, cold, warm = timed(index, sbom)
    print(
        f"realistic 10 000 components: {found} matches; first run {cold:.3f} s ({len(sbom) / cold:,.0f}/s), warm {warm:.3f} s"
    )
    skewed = components(advisories, 10_000)
    found_skewed, cold_skewed, warm_skewed = timed(AdvisoryIndex.build(advisories), skewed)
    print(
        f"skewed 10 000 components: {found_skewed} matches; first run {cold_skewed:.3f} s, warm {warm_skewed:.3f} s"
    )
    sample = sbom[:100]
    begin = time.perf_counter()
    for ecosystem, name, version, _purl in sample:
        naive(advisories, ecosystem, name, version)
    naive_time = (time.perf_counter() - begin) / len(sample) * len(sbom)
    print(
        f"naive baseline (univers per check, no index) on the realistic SBOM, projected from {len(sample)}: {naive_time:.1f} s"
    )
    print(f"ratio naive / indexed (first run): {naive_time / cold:,.0f}x")


if __name__ == "__main__":
    sys.exit(main())
