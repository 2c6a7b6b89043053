"""`medvigil scan` and `medvigil feeds index` as a pipeline runs them: subprocesses, no database."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from medvigil.core.sbom.cyclonedx_schema import json_schema_warnings
from tests.cli import run_cli
from tests.core.scanning.scenario import EXPECTED, build


@pytest.fixture
def scenario(shared_data: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    sbom, feeds = build(shared_data, tmp_path)
    return tmp_path / "home", sbom, feeds


def findings_of(stdout: str) -> set[tuple[str, str, tuple[str, ...]]]:
    return {
        (f["component"]["bom_ref"], f["vulnerability"], tuple(f["aliases"]))
        for f in json.loads(stdout)["findings"]
    }


def test_json_output_and_exit_codes(scenario: tuple[Path, Path, Path]) -> None:
    home, sbom, feeds = scenario
    result = run_cli(home, "scan", str(sbom), "--feed", str(feeds), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert findings_of(result.stdout) == EXPECTED
    high = run_cli(
        home, "scan", str(sbom), "--feed", str(feeds), "--format", "json", "--fail-on", "high"
    )
    assert high.returncode == 1
    critical = run_cli(home, "scan", str(sbom), "--feed", str(feeds), "--fail-on", "critical")
    assert critical.returncode == 0, critical.stderr
    assert "CVE-2021-38561" in critical.stdout  # the table
    assert not (home / "medvigil.sqlite3").exists()  # no database was touched


def test_prebuilt_index_gives_the_same_findings(
    scenario: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    home, sbom, feeds = scenario
    index = tmp_path / "feeds.index"
    built = run_cli(home, "feeds", "index", str(feeds), "-o", str(index))
    assert built.returncode == 0, built.stderr
    assert "Indexed 3 advisories, 1 KEV entries and 1 EPSS scores" in built.stderr
    result = run_cli(home, "scan", str(sbom), "--index", str(index), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert findings_of(result.stdout) == EXPECTED
    kev = {f["vulnerability"]: f["kev"] for f in json.loads(result.stdout)["findings"]}
    assert kev == {"CVE-2021-38561": True, "CVE-2019-1020019": False}


def test_tampered_index_is_refused(scenario: tuple[Path, Path, Path], tmp_path: Path) -> None:
    home, sbom, feeds = scenario
    index = tmp_path / "feeds.index"
    assert run_cli(home, "feeds", "index", str(feeds), "-o", str(index)).returncode == 0
    content = gzip.decompress(index.read_bytes()).replace(b'"fixed","0.3.7"', b'"fixed","0.3.4"')
    index.write_bytes(gzip.compress(content))
    result = run_cli(home, "scan", str(sbom), "--index", str(index))
    assert result.returncode == 2
    assert "does not match its SHA-256" in result.stderr


def test_cyclonedx_vex_and_sarif_files(scenario: tuple[Path, Path, Path], tmp_path: Path) -> None:
    home, sbom, feeds = scenario
    vex = tmp_path / "vex.json"
    result = run_cli(
        home, "scan", str(sbom), "--feed", str(feeds), "--format", "cyclonedx-vex", "-o", str(vex)
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(vex.read_text())
    assert json_schema_warnings(document, "1.6") == ()
    assert {v["id"] for v in document["vulnerabilities"]} == {"CVE-2019-1020019", "CVE-2021-38561"}
    sarif = run_cli(home, "scan", str(sbom), "--feed", str(feeds), "--format", "sarif")
    assert sarif.returncode == 0, sarif.stderr
    assert {r["ruleId"] for r in json.loads(sarif.stdout)["runs"][0]["results"]} == {
        "CVE-2019-1020019",
        "CVE-2021-38561",
    }


def test_unreadable_inputs_exit_2(scenario: tuple[Path, Path, Path], tmp_path: Path) -> None:
    home, sbom, feeds = scenario
    not_sbom = tmp_path / "notes.json"
    not_sbom.write_text('{"hello": "world"}')
    assert run_cli(home, "scan", str(not_sbom), "--feed", str(feeds)).returncode == 2
    missing = run_cli(home, "scan", str(sbom), "--feed", str(tmp_path / "missing"))
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
    assert run_cli(home, "scan", str(sbom)).returncode == 2  # no feed at all
    garbage = tmp_path / "garbage.index"
    garbage.write_bytes(b"\x1f\x8b not really")
    assert run_cli(home, "scan", str(sbom), "--index", str(garbage)).returncode == 2


def test_a_cold_scan_imports_neither_typer_nor_rich_nor_django(
    scenario: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    import subprocess
    import sys

    home, sbom, feeds = scenario
    index = tmp_path / "feeds.index"
    assert run_cli(home, "feeds", "index", str(feeds), "-o", str(index)).returncode == 0
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "medvigil",
            "scan",
            str(sbom),
            "--index",
            str(index),
            "--format",
            "json",
            "-o",
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert {"typer", "rich", "django", "pydantic", "spdx_tools"} & imported == set()
    assert findings_of((tmp_path / "out.json").read_text()) == EXPECTED


def test_scan_options_are_checked_by_the_light_front_end_too(
    scenario: tuple[Path, Path, Path],
) -> None:
    home, sbom, feeds = scenario
    wrong = run_cli(home, "scan", str(sbom), "--feed", str(feeds), "--format", "xml")
    assert wrong.returncode == 2
    assert "invalid choice: 'xml'" in wrong.stderr
    helped = run_cli(home, "scan", "--help")
    assert helped.returncode == 0
    assert "--fail-on {low,medium,high,critical}" in helped.stdout
    listed = run_cli(home, "--help")
    assert "scan" in listed.stdout
