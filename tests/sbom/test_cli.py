"""`medvigil sbom check|import|export` as subprocesses on a temporary home."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.cli import cli_environment, run_cli
from tests.sbom.test_import import SBOM_FOLDER

LARAVEL = SBOM_FOLDER / "cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml"


def test_check_prints_the_quality_report_without_a_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_cli(home, "sbom", "check", str(LARAVEL))
    assert result.returncode == 0, result.stderr
    assert "bom.1.4.xml: CycloneDX 1.4 (xml), 63 components" in result.stdout
    assert "supplier" in result.stdout
    assert "dependency relationship" in result.stdout
    assert "NTIA minimum elements met: no" in result.stdout
    assert not (home / "medvigil.sqlite3").exists()


def test_check_fails_on_an_unreadable_document(tmp_path: Path) -> None:
    rdf = SBOM_FOLDER / "spdx/spdx-spec-v2.3-examples/SPDXRdfExample-v2.3.spdx.rdf.xml"
    result = run_cli(tmp_path, "sbom", "check", str(rdf))
    assert result.returncode == 1
    assert "SPDX RDF/XML is not supported" in result.stderr
    missing = run_cli(tmp_path, "sbom", "check", str(tmp_path / "absent.json"))
    assert missing.returncode == 2
    assert "Cannot read" in missing.stderr


def make_team(home: Path, name: str) -> None:
    import subprocess

    script = (
        "import django; django.setup(); "
        "from medvigil.accounts.services import create_team; "
        f"create_team(name={name!r})"
    )
    environment = cli_environment(home) | {"DJANGO_SETTINGS_MODULE": "medvigil.settings"}
    subprocess.run([sys.executable, "-c", script], env=environment, check=True)


def test_import_creates_product_and_version_then_export_writes_each_format(
    migrated_home: Path, tmp_path: Path
) -> None:
    home = migrated_home
    no_team = run_cli(home, "sbom", "import", "PUMP-1", "1.0", str(LARAVEL))
    assert no_team.returncode == 2
    assert "give the owning team with --team" in no_team.stderr
    make_team(home, "Pumps")
    imported = run_cli(
        home,
        "sbom",
        "import",
        "PUMP-1",
        "1.0",
        str(LARAVEL),
        "--role",
        "application",
        "--name",
        "Infusion pump",
    )
    assert imported.returncode == 0, imported.stderr
    assert "Created product Infusion pump (PUMP-1)." in imported.stdout
    assert "63 components" in imported.stdout
    again = run_cli(home, "sbom", "import", "PUMP-1", "1.0", str(LARAVEL))
    assert again.returncode == 1
    assert "already attached" in again.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"bomFormat": "CycloneDX", "specVersion": "0.1"}')
    refused = run_cli(home, "sbom", "import", "PUMP-1", "1.0", str(bad))
    assert refused.returncode == 1
    assert "specVersion: CycloneDX '0.1' is not supported" in refused.stderr
    exported = run_cli(home, "sbom", "export", "PUMP-1", "1.0")
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert document["specVersion"] == "1.6"
    assert len(document["components"]) == 63
    assert document["metadata"]["component"]["name"] == "Infusion pump"
    for format_name, marker in (("cyclonedx-xml", b"<bom"), ("spdx-json", b'"SPDX-2.3"')):
        output = tmp_path / f"out.{format_name}"
        written = run_cli(
            home, "sbom", "export", "PUMP-1", "1.0", "--format", format_name, "-o", str(output)
        )
        assert written.returncode == 0, written.stderr
        assert marker in output.read_bytes()
    unknown = run_cli(home, "sbom", "export", "PUMP-1", "9.9")
    assert unknown.returncode == 1
    assert "There is no version '9.9' of product 'PUMP-1'" in unknown.stderr


def test_components_where_answers_in_a_table_and_in_json(migrated_home: Path) -> None:
    home = migrated_home
    make_team(home, "Pumps")
    openssl = SBOM_FOLDER / "spdx/redhat-via-trustify/spdx/rh/product_component"
    source = openssl / "openssl-3.0.7-18.el9_2.spdx.json"
    imported = run_cli(home, "sbom", "import", "PUMP-1", "1.0", str(source), "--team", "Pumps")
    assert imported.returncode == 0, imported.stderr
    answer = run_cli(home, "components", "where", "openssl>3.0.7", "--format", "json")
    assert answer.returncode == 0, answer.stderr
    body = json.loads(answer.stdout)
    assert (body["query"], body["kind"], body["total"], body["version_count"]) == (
        "openssl >3.0.7",
        "name",
        6,
        1,
    )
    assert len(body["items"]) == 6
    assert {item["component"]["version"] for item in body["items"]} == {"3.0.7-18.el9_2"}
    assert {item["version"]["version"] for item in body["items"]} == {"1.0"}
    assert {item["document"]["filename"] for item in body["items"]} == {source.name}
    table = run_cli(home, "components", "where", "pkg:generic/openssl@3.0.7")
    assert table.returncode == 0, table.stderr
    assert "2 component(s) matching 'pkg:generic/openssl ==3.0.7' in 1 product version(s)." in (
        table.stdout.replace("\n", " ")
    )
    refused = run_cli(home, "components", "where", "openssl<")
    assert refused.returncode == 2
    assert "'<' is not a version constraint" in refused.stderr
