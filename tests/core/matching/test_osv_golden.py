"""The engine against golden answers for real OSV records, computed independently.

tools/reference_versions/osv_answers.py applied the osv-schema evaluation to
a deterministic sample of the shared OSV records, comparing versions only
with each ecosystem's reference tool (packaging, Go x/mod/semver,
node-semver, dpkg); the answers are in golden/osv_answers.json. Here the
engine reads the same records with its own readers and must agree on every
version.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medvigil.core.advisories.osv import read_osv_json, read_osv_yaml
from medvigil.core.matching import is_affected

GOLDEN = Path(__file__).parent / "golden" / "osv_answers.json"
DOCUMENT: dict[str, Any] = json.loads(GOLDEN.read_text())
ECOSYSTEMS = {part["ecosystem"]: part for part in DOCUMENT["ecosystems"]}


def test_the_golden_file_covers_each_ecosystem_with_a_tool() -> None:
    assert set(ECOSYSTEMS) == {"PyPI", "Go", "crates.io", "Ubuntu"}
    for part in ECOSYSTEMS.values():
        assert part["oracle"]
        assert part["packages"]
    cases = [
        case
        for part in ECOSYSTEMS.values()
        for entry in part["packages"]
        for case in entry["cases"]
    ]
    assert len(cases) > 10_000
    assert {answer for _version, answer in cases} == {0, 1}  # both answers occur


@pytest.mark.parametrize("ecosystem", sorted(ECOSYSTEMS))
def test_the_engine_agrees_with_the_reference_answers(shared_data: Path, ecosystem: str) -> None:
    disagreements = []
    judged = 0
    for entry in ECOSYSTEMS[ecosystem]["packages"]:
        path = shared_data / "osv" / entry["file"]
        reader = read_osv_yaml if path.suffix == ".yaml" else read_osv_json
        package = reader(path.read_bytes(), source=path.name).affected[entry["package"]]
        for version, expected in entry["cases"]:
            judged += 1
            verdict = is_affected(package, version)
            if verdict.affected != bool(expected):
                disagreements.append((entry["file"], version, expected, verdict.explanation))
    assert judged == sum(len(entry["cases"]) for entry in ECOSYSTEMS[ecosystem]["packages"])
    assert disagreements == []
