# ruff: noqa: E501
"""Benchmark: `medvigil scan` of a 5 000-component SBOM against >= 50 000 advisories.

Advisories: every shared OSV record, plus generated copies of the same shapes
(same ranges, versions and aliases, package names suffixed ``-copyN``, ids
made unique) until there are at least 50 000. SBOM: CycloneDX 1.6 with
mostly distinct packages: half named in advisories (at a version near one of
their bounds), half unknown to every feed, as in a real SBOM.

Measured in one run:
- warm in-process: index built, then the scan timed (second pass);
- cold command line: `medvigil scan --index FILE` in a fresh process;
- peak memory: tracemalloc in process, ru_maxrss of the command line child;
- baseline: the same scan with no interval tables (every advisory of the
  name evaluated with `is_affected`, as before), timed on the same SBOM;
- appthreat-vulnerability-db (`vdb`) when a virtual environment holding it
  is given (VDB_PYTHON=/tmp/vdbenv/bin/python), on the same SBOM and the
  same shared OSV files; otherwise it says vdb is unavailable.
No assertions: figures only.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

from medvigil.core.advisories.model import Advisory
from medvigil.core.matching import AdvisoryIndex, group_aliases, is_affected
from medvigil.core.matching.keys import advisory_keys
from medvigil.core.sbom import parse_sbom
from medvigil.core.scanning import load_feeds, scan, write_index

SHARED = Path(
    os.environ.get("MEDVIGIL_SHARED_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data"
)
PURL_TYPES = {"PyPI": "pypi", "Go": "golang", "crates.io": "cargo", "npm": "npm", "Maven": "maven"}
TARGET_ADVISORIES = 50_000
COMPONENTS = 5_000


def generated(advisories: tuple[Advisory, ...]) -> list[Advisory]:
    """The shared advisories, then renamed copies of the same shapes up to the target."""
    result = list(advisories)
    copy = 0
    while len(result) < TARGET_ADVISORIES:
        copy += 1
        for advisory in advisories:
            if len(result) >= TARGET_ADVISORIES:
                break
            affected = tuple(
                replace(package, name=f"{package.name}-copy{copy}", purl=None)
                for package in advisory.affected
            )
            result.append(
                replace(
                    advisory,
                    id=f"{advisory.id}-COPY{copy}",
                    aliases=tuple(f"{alias}-COPY{copy}" for alias in advisory.aliases),
                    affected=affected,
                )
            )
    return result


def sbom(advisories: list[Advisory]) -> dict[str, object]:
    rng = random.Random(5)
    bounds: dict[tuple[str, str], list[str]] = {}
    for advisory in advisories:
        for package in advisory.affected:
            if package.ecosystem in PURL_TYPES:
                bounds.setdefault((package.ecosystem, package.name), []).extend(
                    event.version
                    for affected_range in package.ranges
                    if affected_range.type != "GIT"
                    for event in affected_range.events
                    if event.version != "0"
                )
    names = sorted(bounds)
    rng.shuffle(names)
    components = []
    for ecosystem, name in names[: COMPONENTS // 2]:
        version = rng.choice(bounds[(ecosystem, name)] or ["1.0.0"])
        if rng.random() < 0.5 and version[-1].isdigit():
            version = version[:-1] + str(max(0, int(version[-1]) + rng.choice([-1, 1])))
        purl_name = name.replace(":", "/") if ecosystem == "Maven" else name
        purl_version = (
            f"v{version}" if ecosystem == "Go" and not version.startswith("v") else version
        )
        components.append(
            (name, version, f"pkg:{PURL_TYPES[ecosystem]}/{purl_name}@{purl_version}")
        )
    while len(components) < COMPONENTS:
        name = f"example-internal-{len(components)}"
        components.append((name, "1.2.3", f"pkg:pypi/{name}@1.2.3"))
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {
                "type": "library",
                "bom-ref": f"c{number}",
                "name": name,
                "version": version,
                "purl": purl,
            }
            for number, (name, version, purl) in enumerate(components)
        ],
    }


def baseline_scan(
    advisories: list[Advisory], components: list[tuple[str | None, str | None]]
) -> int:
    """Before the interval tables: every advisory filed under the name, evaluated one by one."""
    from medvigil.core.matching.keys import component_keys

    by_key: dict[tuple[str, str, str], list[tuple[Advisory, int]]] = {}
    for advisory in advisories:
        for position, package in enumerate(advisory.affected):
            for key in advisory_keys(replace(advisory, affected=(package,), cpe_configurations=())):
                by_key.setdefault(key, []).append((advisory, position))
    found = 0
    for purl, version in components:
        if not purl or not version:
            continue
        for key in component_keys(purl, None):
            for advisory, position in by_key.get(key, ()):
                found += is_affected(advisory.affected[position], version).affected
    return found


# Run inside vdb's own virtual environment: import OSV JSON files (tools.md 2.3), then
# look every SBOM purl up; prints its times and (purl, CVE) pairs as one JSON line.
VDB_HELPER = """
import glob, json, os, sys, time
from vdb.lib import config, db as db_lib
from vdb.lib.osv import OSVSource
from vdb import cli
from vdb.lib import search
sbom_path, osv_dir = sys.argv[1], sys.argv[2]
began = time.perf_counter()
db_lib.get(); db_lib.clear_all()
src = OSVSource()
for f in sorted(glob.glob(os.path.join(osv_dir, "*.json"))):
    src.store(src.convert(json.load(open(f))))
data_count, index_count = db_lib.stats()
db_lib.optimize_and_close_all()
with open(config.VDB_METADATA_FILE, "w") as fh:
    json.dump(cli.create_db_file_metadata([src], data_count, index_count), fh)
imported = time.perf_counter() - began
db_lib.get()
began = time.perf_counter()
pairs = set()
for component in json.load(open(sbom_path))["components"]:
    for result in search.search_by_any(component["purl"], with_data=False) or []:
        cve = result.get("cve_id") if isinstance(result, dict) else None
        if cve:
            pairs.add((component["purl"], cve))
scanned = time.perf_counter() - began
print(json.dumps({"import_seconds": imported, "scan_seconds": scanned, "pairs": sorted(pairs), "rows": data_count}))
"""


def vdb_osv_folder(workspace: Path) -> Path:
    """The shared OSV records as flat JSON files for vdb.

    vdb skips any PYSEC-/GO- record that has a GHSA alias (it expects the
    GHSA record from GitHub's feed, which the shared data mostly lacks), so
    those GHSA aliases are removed here: that disables the skip, and both
    tools read the same records.
    """
    import yaml

    folder = workspace / "osv-json"
    folder.mkdir()
    for path in sorted((SHARED / "osv").rglob("*")):
        if path.suffix not in {".json", ".yaml"} or not path.is_file():
            continue
        record = (
            yaml.safe_load(path.read_text())
            if path.suffix == ".yaml"
            else json.loads(path.read_bytes())
        )
        if str(record.get("id", "")).startswith(("PYSEC-", "GO-")):
            record["aliases"] = [
                a for a in record.get("aliases") or [] if not a.startswith("GHSA-")
            ]
        (folder / f"{record['id']}.json").write_text(json.dumps(record, default=str))
    return folder


def vdb_times(sbom_path: Path, workspace: Path) -> dict[str, object] | None:
    python = os.environ.get("VDB_PYTHON", "/tmp/vdbenv/bin/python")  # noqa: S108 - a throwaway venv
    if not Path(python).exists():
        return None
    helper = workspace / "vdb_helper.py"
    helper.write_text(VDB_HELPER)
    environment = dict(
        os.environ,
        VDB_HOME=str(workspace / "vdb"),
        VDB_CACHE=str(workspace / "vdb-cache"),
        NVD_START_YEAR="1999",
    )
    result = subprocess.run(
        [python, str(helper), str(sbom_path), str(vdb_osv_folder(workspace))],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
        env=environment,
    )
    if result.returncode != 0:
        print(f"vdb failed: {result.stderr[-2000:]}")
        return None
    answer: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return answer


def main() -> None:
    started = time.perf_counter()
    shared = load_feeds([SHARED / "osv", SHARED / "kev", SHARED / "epss"])
    advisories = generated(shared.advisories)
    print(
        f"advisories: {len(advisories)} ({len(shared.advisories)} shared OSV + generated); read in {time.perf_counter() - started:.1f} s"
    )
    workspace = Path(tempfile.mkdtemp(prefix="medvigil-bench-scan-"))
    sbom_path = workspace / "sbom.cdx.json"
    sbom_path.write_text(json.dumps(sbom(advisories)))
    index_path = workspace / "feeds.index"
    began = time.perf_counter()
    index_path.write_bytes(write_index(replace(shared, advisories=tuple(advisories))))
    print(
        f"index file: {index_path.stat().st_size / 1e6:.1f} MB written in {time.perf_counter() - began:.1f} s"
    )

    document = parse_sbom(sbom_path.read_bytes(), sbom_path.name)
    began = time.perf_counter()
    index = AdvisoryIndex.build(advisories)
    groups = group_aliases(advisories)
    built = time.perf_counter() - began
    began = time.perf_counter()
    scan(document, index, groups, shared.kev, shared.epss)
    first_time = time.perf_counter() - began
    began = time.perf_counter()
    warm = scan(document, index, groups, shared.kev, shared.epss)
    warm_time = time.perf_counter() - began
    # Memory in a separate pass: tracemalloc slows allocation several times.
    tracemalloc.start()
    traced_index = AdvisoryIndex.build(advisories)
    scan(document, traced_index, group_aliases(advisories), shared.kev, shared.epss)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    own_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"in process: index + alias groups built in {built:.2f} s; first scan (tables compiled) {first_time:.2f} s; warm scan {warm_time:.3f} s; {len(warm.findings)} findings on {COMPONENTS} components"
    )
    print(
        f"memory: peak traced {peak / 2**20:.0f} MiB for index + scan; process peak RSS {own_rss:.0f} MiB (50 000 advisories held twice)"
    )

    began = time.perf_counter()
    components = [(component.purl, component.version) for component in document.components]
    baseline_found = baseline_scan(advisories, components)
    baseline_time = time.perf_counter() - began
    print(
        f"baseline (no interval tables, each advisory evaluated): {baseline_time:.2f} s, {baseline_found} affected verdicts; ratio baseline / warm: {baseline_time / warm_time:.0f}x"
    )

    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "medvigil",
            "scan",
            str(sbom_path),
            "--index",
            str(index_path),
            "--format",
            "json",
            "-o",
            str(workspace / "out.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    cold = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_peak = children.ru_maxrss / 1024
    # CPU time as well: on a machine shared with other work, wall time says little.
    child_cpu = (children.ru_utime - before_children.ru_utime) + (
        children.ru_stime - before_children.ru_stime
    )
    cli_findings = (
        len(json.loads((workspace / "out.json").read_text())["findings"])
        if child.returncode == 0
        else None
    )
    print(
        f"cold command line with the prebuilt index: {cold:.2f} s wall, {child_cpu:.2f} s CPU (exit {child.returncode}, {cli_findings} findings); peak RSS {child_peak:.0f} MiB"
    )

    # vdb, on the same SBOM and the same shared OSV files (it reads OSV JSON only).
    shared_result = scan(
        document, AdvisoryIndex.build(shared.advisories), group_aliases(shared.advisories), {}, {}
    )
    # A finding is its purl and every id of its alias group; vdb names a finding by one id.
    ours = [
        (
            finding.component.purl_original or finding.component.purl,
            {finding.vulnerability, *finding.aliases},
        )
        for finding in shared_result.findings
    ]
    side = vdb_times(sbom_path, workspace)
    if side is None:
        print(
            "vdb: unavailable (create /tmp/vdbenv with appthreat-vulnerability-db, or set VDB_PYTHON)"
        )
        return
    theirs = {(purl, name) for purl, name in side["pairs"]}  # type: ignore[union-attr]
    began = time.perf_counter()
    scan(document, AdvisoryIndex.build(shared.advisories), group_aliases(shared.advisories), {}, {})
    ours_time = time.perf_counter() - began
    print(
        f"vdb: import {side['import_seconds']:.1f} s, scan {side['scan_seconds']:.2f} s; medvigil on the same files (index + scan) {ours_time:.2f} s; ratio vdb scan / medvigil: {float(side['scan_seconds']) / ours_time:.1f}x"
    )  # type: ignore[arg-type]
    only_ours = [
        (purl, sorted(names))
        for purl, names in ours
        if not any((purl, name) in theirs for name in names)
    ]
    matched_theirs = {
        (purl, name) for purl, names in ours for name in names if (purl, name) in theirs
    }
    only_theirs = sorted(theirs - matched_theirs)
    print(
        f"findings: medvigil {len(ours)}, vdb {len(theirs)} (purl, id) pairs; medvigil findings vdb also reports: {len(ours) - len(only_ours)}"
    )
    print(f"only medvigil: {len(only_ours)}")
    for purl, names in only_ours[:20]:
        print(f"  {purl} {' '.join(names)}")
    print(f"only vdb: {len(only_theirs)}")
    for purl, name in only_theirs[:20]:
        print(f"  {purl} {name}")


if __name__ == "__main__":
    main()
