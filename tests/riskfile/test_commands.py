"""`medvigil threatmodel check|threats|list|export` as subprocesses on a temporary home."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from medvigil.core.threats import generate, read_model
from tests.cli import cli_environment, run_cli

DEMO = Path(__file__).parents[2] / "src/medvigil/riskfile/demo_data/lvp-300-3.2.0.threatmodel.yaml"


def test_check_validates_without_a_server_or_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_cli(home, "threatmodel", "check", str(DEMO))
    assert result.returncode == 0, result.stderr
    assert "valid. 9 elements, 13 data flows, 5 trust boundaries, 6 clinical functions" in (
        result.stdout
    )
    assert not (home / "medvigil.sqlite3").exists()


def test_check_lists_each_bad_field_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO.read_text().replace("kind: data_store", "kind: database", 1))
    result = run_cli(tmp_path, "threatmodel", "check", str(bad))
    assert result.returncode == 1
    assert "elements[1].kind: 'database' is not one of process, data_store, external_entity" in (
        result.stderr
    )
    missing = run_cli(tmp_path, "threatmodel", "check", str(tmp_path / "absent.yaml"))
    assert missing.returncode == 2


def test_threats_as_json_are_the_engine_s_threats(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "home", "threatmodel", "threats", str(DEMO), "--format", "json")
    assert result.returncode == 0, result.stderr
    expected = [threat.id for threat in generate(read_model(DEMO.read_text()))]
    assert [threat["id"] for threat in json.loads(result.stdout)] == expected
    table = run_cli(tmp_path / "home", "threatmodel", "threats", str(DEMO))
    assert table.stdout.endswith("55 threats.\n")


def test_the_check_command_never_sets_django_up(tmp_path: Path) -> None:
    script = (
        "import sys; from medvigil.cli.main import app\n"
        "try:\n"
        f"    app(['threatmodel', 'check', {str(DEMO)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "from django.apps import apps; print('apps ready:', apps.ready)"
    )
    environment = cli_environment(tmp_path / "home")
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    assert "apps ready: False" in result.stdout


def test_list_and_export_name_product_and_version(migrated_home: Path, tmp_path: Path) -> None:
    script = (
        "import django; django.setup()\n"
        "from medvigil.accounts.services import create_team\n"
        "from medvigil.portfolio import services\n"
        "from medvigil.riskfile.services import import_model\n"
        "product = services.create_product(user=None, team=create_team(name='Pumps'),\n"
        "    values={'name': 'Aurora LVP-300', 'model_number': 'LVP-300'})\n"
        "version = services.create_version(product, user=None, values={'version': '3.2.0'})\n"
        f"import_model(version, open({str(DEMO)!r}, 'rb').read())\n"
    )
    environment = cli_environment(migrated_home) | {"DJANGO_SETTINGS_MODULE": "medvigil.settings"}
    subprocess.run([sys.executable, "-c", script], env=environment, check=True)
    listed = run_cli(migrated_home, "threatmodel", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [entry] = json.loads(listed.stdout)
    assert (entry["product"], entry["model_number"], entry["version"]) == (
        "Aurora LVP-300",
        "LVP-300",
        "3.2.0",
    )
    assert entry["threats"] == 55
    output = tmp_path / "exported.yaml"
    exported = run_cli(
        migrated_home, "threatmodel", "export", "LVP-300", "3.2.0", "-o", str(output)
    )
    assert exported.returncode == 0, exported.stderr
    assert read_model(output.read_text()) == read_model(DEMO.read_text())
    absent = run_cli(migrated_home, "threatmodel", "export", "LVP-300", "9.9")
    assert absent.returncode == 1
    assert "has no threat model" in absent.stderr


def test_a_threagile_model_converts_and_checks(tmp_path: Path, shared_data: Path) -> None:
    source = shared_data / "threatmodel/threagile/demo/example/threagile.yaml"
    output = tmp_path / "converted.yaml"
    result = run_cli(tmp_path, "threatmodel", "import-threagile", str(source), "-o", str(output))
    assert result.returncode == 0, result.stderr
    checked = run_cli(tmp_path, "threatmodel", "check", str(output))
    assert "valid. 14 elements, 20 data flows, 5 trust boundaries" in checked.stdout


def test_a_threat_dragon_model_converts_and_checks(tmp_path: Path, shared_data: Path) -> None:
    source = shared_data / "threatmodel/threat-dragon/td.vue/src/service/demo/v2-threat-model.json"
    output, threats = tmp_path / "converted.yaml", tmp_path / "threats.json"
    result = run_cli(
        tmp_path,
        "threatmodel",
        "import-threat-dragon",
        str(source),
        "-o",
        str(output),
        "--threats",
        str(threats),
    )
    assert result.returncode == 0, result.stderr
    assert "cells[19]: flow not attached at its source; left out" in result.stderr
    checked = run_cli(tmp_path, "threatmodel", "check", str(output))
    assert "valid. 7 elements, 9 data flows, 3 trust boundaries" in checked.stdout
    written = json.loads(threats.read_text())
    assert len(written) == 13
    assert {"stride", "title", "description", "targets"} == set(written[0])
    other = shared_data / "threatmodel/threat-dragon/ThreatDragonModels/tmbom-otm-example.cdx.json"
    refused = run_cli(tmp_path, "threatmodel", "import-threat-dragon", str(other))
    assert refused.returncode == 1
    assert "a CycloneDX BOM, not a Threat Dragon model" in refused.stderr
