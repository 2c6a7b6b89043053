# ruff: noqa: E501
"""Golden answers for real OSV records, computed with the reference tools' orderings.

For a deterministic sample of the shared OSV records of each ecosystem that
has a reference tool, this script evaluates each affected package's ranges
by the OSV schema's own algorithm ("Evaluation" in the osv-schema
specification: events sorted by version; `introduced` opens, `fixed` and
`last_affected` close; `limit` caps; `versions[]` lists), comparing versions
only through the ecosystem's reference tool, never through medvigil:

    PyPI       packaging (PEP 440)            tools/reference_versions/pypi_oracle.py
    Go         golang.org/x/mod/semver        tools/reference_versions/go_oracle (Debian golang-golang-x-mod-dev)
    crates.io  node-semver (SemVer 2.0)       tools/reference_versions/npm_oracle.js
    Ubuntu     dpkg --compare-versions

Candidate versions are each event's version, some listed versions, and near
neighbours of each (one digit changed, a suffix added or dropped); those the
tool rejects are left out. The answers go to
tests/core/matching/golden/osv_answers.json, which the test suite reads, so
`make test` needs none of these tools:

    (cd /tmp/nodesemver && npm install semver)
    .venv/bin/python tools/reference_versions/osv_answers.py --node-path /tmp/nodesemver/node_modules
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import dpkg_compare, dpkg_valid, mutate, run_json, run_lines  # noqa: E402

GOLDEN = HERE.parents[1] / "tests" / "core" / "matching" / "golden" / "osv_answers.json"
SHARED = Path(os.environ.get("MEDVIGIL_SHARED_DATA") or HERE.parents[2] / "shared" / "data")
SEED = 20261129
PACKAGES_PER_ECOSYSTEM = 200
LISTED_PER_PACKAGE = 6
# The tool that orders each ecosystem's versions (SEMVER ranges of crates.io are SemVer 2.0).
ECOSYSTEMS = ("PyPI", "Go", "crates.io", "Ubuntu")


# ------------------------------------------------------------------ oracles


class Oracle:
    """Compares versions of one ecosystem with its reference tool, in batches."""

    def __init__(self, ecosystem: str, options: argparse.Namespace) -> None:
        self.ecosystem = ecosystem
        self.options = options
        self.answers: dict[tuple[str, str], int] = {}
        self.validity: dict[str, bool] = {}
        self.name = ""

    def check(self, versions: set[str]) -> None:
        pending = sorted(version for version in versions if version not in self.validity)
        if not pending:
            return
        if self.ecosystem == "PyPI":
            found = run_json(
                [self.options.python, str(HERE / "pypi_oracle.py")],
                {"pairs": [], "valid": pending, "ranges": []},
            )["valid"]  # type: ignore[index]
        elif self.ecosystem == "crates.io":
            found = run_json(
                ["node", str(HERE / "npm_oracle.js")],
                {"pairs": [], "valid": pending, "ranges": []},
                env={"NODE_PATH": self.options.node_path, "PATH": "/usr/bin:/bin"},
            )["valid"]  # type: ignore[index]
        elif self.ecosystem == "Go":
            output = run_lines([str(self.go_binary())], [f"v{v}\tv{v}" for v in pending])
            found = [output[index + 1] == "true" for index in range(0, len(output), 3)]
        else:
            with ThreadPoolExecutor(8) as pool:
                found = list(pool.map(dpkg_valid, pending))
        self.validity.update(zip(pending, found, strict=True))

    def compare_all(self, pairs: set[tuple[str, str]]) -> None:
        pending = sorted(pair for pair in pairs if pair not in self.answers)
        if not pending:
            return
        if self.ecosystem == "PyPI":
            result = run_json(
                [self.options.python, str(HERE / "pypi_oracle.py")],
                {"pairs": pending, "valid": [], "ranges": []},
            )
            self.name = f"packaging {result['version']}"  # type: ignore[index]
            found = result["pairs"]  # type: ignore[index]
        elif self.ecosystem == "crates.io":
            result = run_json(
                ["node", str(HERE / "npm_oracle.js")],
                {"pairs": pending, "valid": [], "ranges": []},
                env={"NODE_PATH": self.options.node_path, "PATH": "/usr/bin:/bin"},
            )
            self.name = f"node-semver {result['version']} (SemVer 2.0 precedence)"  # type: ignore[index]
            found = result["pairs"]  # type: ignore[index]
        elif self.ecosystem == "Go":
            output = run_lines([str(self.go_binary())], [f"v{a}\tv{b}" for a, b in pending])
            found = [int(output[index]) for index in range(0, len(output), 3)]
            self.name = "golang.org/x/mod/semver.Compare (Debian golang-golang-x-mod-dev)"
        else:
            with ThreadPoolExecutor(8) as pool:
                found = list(pool.map(dpkg_compare, pending))
            version = subprocess.run(["dpkg", "--version"], capture_output=True, text=True)
            self.name = "dpkg --compare-versions (" + version.stdout.splitlines()[0] + ")"
        self.answers.update(zip(pending, (int(value) for value in found), strict=True))

    @functools.cache  # noqa: B019 - one build per run
    def go_binary(self) -> Path:
        binary = Path(tempfile.mkdtemp()) / "gosemver"
        subprocess.run(
            ["go", "build", "-o", str(binary), "."],
            cwd=HERE / "go_oracle",
            check=True,
            env={
                "GO111MODULE": "off",
                "GOPATH": "/usr/share/gocode",
                "HOME": tempfile.gettempdir(),
                "PATH": "/usr/bin:/bin",
                "GOCACHE": tempfile.mkdtemp(),
            },
        )
        return binary

    def compare(self, left: str, right: str) -> int:
        if left == right:
            return 0
        return self.answers[(left, right)]


# ------------------------------------------------------------------ the OSV algorithm


def evaluable_ranges(package: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in package.get("ranges") or [] if r.get("type") in ("SEMVER", "ECOSYSTEM")]


def event_versions(package: dict[str, Any]) -> set[str]:
    return {
        value
        for affected_range in evaluable_ranges(package)
        for event in affected_range.get("events") or []
        for kind, value in event.items()
        if kind in ("introduced", "fixed", "last_affected", "limit") and value not in ("0", "*")
    }


def affected(oracle: Oracle, package: dict[str, Any], version: str) -> bool:
    """The osv-schema evaluation, every comparison made by the reference tool."""
    listed = package.get("versions") or []
    if any(oracle.compare(version, item) == 0 for item in listed if oracle.validity.get(item)):
        return True
    for affected_range in evaluable_ranges(package):
        events = affected_range.get("events") or []
        limits = [event["limit"] for event in events if "limit" in event]
        if limits and not any(
            limit == "*" or oracle.compare(version, limit) < 0 for limit in limits
        ):
            continue
        ordered = sorted(
            (event for event in events if "limit" not in event),
            key=functools.cmp_to_key(lambda a, b: _event_compare(oracle, a, b)),
        )
        inside = False
        for event in ordered:
            if "introduced" in event and (
                event["introduced"] == "0" or oracle.compare(version, event["introduced"]) >= 0
            ):
                inside = True
            elif "fixed" in event:
                inside = inside and oracle.compare(version, event["fixed"]) < 0
            elif "last_affected" in event:
                inside = inside and oracle.compare(version, event["last_affected"]) <= 0
        if inside:
            return True
    return False


def _event_value(event: dict[str, str]) -> str:
    return next(iter(event.values()))


def _event_compare(oracle: Oracle, left: dict[str, str], right: dict[str, str]) -> int:
    a, b = _event_value(left), _event_value(right)
    if a == "0" or b == "0":
        return (a != "0") - (b != "0")  # introduced 0 sorts first
    return oracle.compare(a, b)


# ------------------------------------------------------------------ sampling


def read_record(path: Path) -> dict[str, Any] | None:
    try:
        record = (
            yaml.safe_load(path.read_text())
            if path.suffix == ".yaml"
            else json.loads(path.read_bytes())
        )
    except (ValueError, yaml.YAMLError):
        return None
    return record if isinstance(record, dict) and not record.get("withdrawn") else None


def sample(ecosystem: str) -> list[tuple[Path, int, dict[str, Any]]]:
    found = []
    for path in sorted((SHARED / "osv").rglob("*")):
        if path.suffix not in (".json", ".yaml") or not path.is_file():
            continue
        record = read_record(path)
        for index, package in enumerate((record or {}).get("affected") or []):
            named = (package.get("package") or {}).get("ecosystem", "").split(":")[0]
            if named == ecosystem and evaluable_ranges(package):
                found.append((path, index, package))
    step = max(1, len(found) // PACKAGES_PER_ECOSYSTEM)
    return found[::step][:PACKAGES_PER_ECOSYSTEM]


def candidates(rng: random.Random, package: dict[str, Any]) -> set[str]:
    bounds = event_versions(package)
    listed = sorted(package.get("versions") or [])
    chosen = set(bounds) | set(rng.sample(listed, min(LISTED_PER_PACKAGE, len(listed))))
    for value in sorted(chosen):
        chosen.update((mutate(rng, value), mutate(rng, value), *neighbours(value)))
    return {value for value in chosen if value}


def neighbours(value: str) -> list[str]:
    """The last number one lower and one higher, and a pre-release of the version itself."""
    start = len(value.rstrip("0123456789"))
    found = [value + "-rc.1", value + "rc1", value + "-alpha"]
    if start < len(value):
        number = int(value[start:])
        found.append(value[:start] + str(number + 1))
        if number > 0:
            found.append(value[:start] + str(number - 1))
    return found


def build(ecosystem: str, options: argparse.Namespace) -> tuple[dict[str, Any], str]:
    oracle = Oracle(ecosystem, options)
    picked = sample(ecosystem)
    rng = random.Random(f"{SEED}-{ecosystem}")
    plans = []
    for path, index, package in picked:
        versions = candidates(rng, package)
        oracle.check(versions | event_versions(package) | set(package.get("versions") or []))
        if not all(oracle.validity[value] for value in event_versions(package)):
            continue  # a bound the tool cannot order: the record is outside this oracle's reach
        plans.append((path, index, package, sorted(v for v in versions if oracle.validity[v])))
    pairs: set[tuple[str, str]] = set()
    for _path, _index, package, versions in plans:
        bounds = sorted(event_versions(package))
        listed = [item for item in package.get("versions") or [] if oracle.validity.get(item)]
        pairs.update((a, b) for a in bounds for b in bounds if a != b)
        pairs.update((v, other) for v in versions for other in [*bounds, *listed] if v != other)
    oracle.compare_all(pairs)
    entries = [
        {
            "file": str(path.relative_to(SHARED / "osv")),
            "package": index,
            "name": (package.get("package") or {}).get("name"),
            "cases": [[version, int(affected(oracle, package, version))] for version in versions],
        }
        for path, index, package, versions in plans
    ]
    return {"ecosystem": ecosystem, "oracle": oracle.name, "packages": entries}, oracle.name


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default=",".join(ECOSYSTEMS))
    parser.add_argument(
        "--node-path", default=str(Path(tempfile.gettempdir()) / "nodesemver" / "node_modules")
    )
    parser.add_argument("--python", default=sys.executable, help="a Python that has packaging")
    options = parser.parse_args()
    document: dict[str, Any] = {
        "seed": SEED,
        "algorithm": "osv-schema Evaluation",
        "ecosystems": [],
    }
    for ecosystem in options.only.split(","):
        part, name = build(ecosystem, options)
        document["ecosystems"].append(part)
        cases = sum(len(entry["cases"]) for entry in part["packages"])
        print(f"{ecosystem}: {len(part['packages'])} packages, {cases} versions judged by {name}")
    GOLDEN.write_text(
        json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"-> {GOLDEN} ({GOLDEN.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
