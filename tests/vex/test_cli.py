"""`medvigil vex check|import|export` as subprocesses on a temporary home."""

from __future__ import annotations

import json
from pathlib import Path

from medvigil.core.sbom.cyclonedx_schema import json_schema_warnings
from tests.cli import run_cli
from tests.csaf_validator import validate_csaf
from tests.sbom.test_cli import make_team
from tests.vex.conftest import JACKSON_ADVISORY

EXAMPLES = "vex/cyclonedx/bom-examples/VEX"


def test_check_lists_statements_without_a_database(tmp_path: Path, shared_data: Path) -> None:
    home = tmp_path / "home"
    result = run_cli(
        home, "vex", "check", str(shared_data / "vex/csaf/oasis-tcs-csaf/sec-vex-2022-0001.json")
    )
    assert result.returncode == 0, result.stderr
    assert "sec-vex-2022-0001.json: csaf, 3 statement(s) by Secvisogram" in result.stdout
    assert "component_not_present" in result.stdout
    assert not (home / "medvigil.sqlite3").exists()
    bad = run_cli(home, "vex", "check", str(shared_data / EXAMPLES / "bom.json"))
    assert bad.returncode == 1
    assert "specVersion: must be one of 1.4" in bad.stderr


def test_import_then_export_each_format(
    migrated_home: Path, tmp_path: Path, shared_data: Path
) -> None:
    home = migrated_home
    make_team(home, "Java devices")
    advisory = tmp_path / "GHSA-288c-cq4h-88gq.json"
    advisory.write_text(json.dumps(JACKSON_ADVISORY))
    assert run_cli(home, "feeds", "import", str(advisory)).returncode == 0
    example = shared_data / EXAMPLES / "bom.json"
    sbom = run_cli(
        home, "sbom", "import", "EX-1", "2.0.0", str(example), "--name", "Example console"
    )
    assert sbom.returncode == 0, sbom.stderr
    assert run_cli(home, "worker", "--batch").returncode == 0

    vex = shared_data / EXAMPLES / "vex.json"
    imported = run_cli(home, "vex", "import", str(vex), "--product", "EX-1", "--version", "2.0.0")
    assert imported.returncode == 0, imported.stderr
    assert "1 statement(s), 1 proposal(s) to review" in imported.stdout
    again = run_cli(home, "vex", "import", str(vex), "--product", "EX-1", "--version", "2.0.0")
    assert again.returncode == 1
    assert "already imported" in again.stderr
    unknown = run_cli(home, "vex", "import", str(vex), "--product", "EX-1", "--version", "9")
    assert unknown.returncode == 2

    documents = {}
    for format_name in ("cyclonedx", "openvex", "csaf"):
        output = tmp_path / f"vex.{format_name}.json"
        written = run_cli(
            home, "vex", "export", "EX-1", "2.0.0", "--format", format_name, "-o", str(output)
        )
        assert written.returncode == 0, written.stderr
        documents[format_name] = json.loads(output.read_text())
    streamed = run_cli(home, "vex", "export", "EX-1", "2.0.0")
    assert json.loads(streamed.stdout)["serialNumber"] == documents["cyclonedx"]["serialNumber"]
    assert json_schema_warnings(documents["cyclonedx"], "1.6") == ()
    # A proposal is not a decision: the finding stays under investigation until confirmed.
    (statement,) = documents["openvex"]["statements"]
    assert statement["vulnerability"]["name"] == "CVE-2020-25649"
    assert statement["status"] == "under_investigation"
    report = validate_csaf({"csaf": documents["csaf"]})["csaf"]
    assert report["valid"], report
