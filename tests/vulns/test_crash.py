"""Crash tests: a feed import killed with `kill -9` in the middle, then run again.

Real processes on a temporary MEDVIGIL_HOME (SQLite), on a slice of the
public PyPI advisory database: the findings after the crash and the re-run
are exactly those of an uninterrupted import.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.cli import cli_environment, copy_home, run_cli

PACKAGES = 40  # folders of the PyPI advisory database taken, in name order
BATCH_SIZE = "5"


@pytest.fixture
def pypi_slice(shared_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A feed folder of real PyPI advisories, and an SBOM naming each package at version 0.0.1."""
    source = shared_data / "osv/PyPI/pypa-advisory-database/vulns"
    feed = tmp_path / "feed"
    feed.mkdir()
    packages = sorted(path for path in source.iterdir() if path.is_dir())[:PACKAGES]
    for package in packages:
        for advisory in sorted(package.iterdir()):
            (feed / f"{package.name}-{advisory.name}").write_bytes(advisory.read_bytes())
    components = [
        {
            "type": "library",
            "bom-ref": package.name,
            "name": package.name,
            "version": "0.0.1",
            "purl": f"pkg:pypi/{package.name}@0.0.1",
        }
        for package in packages
    ]
    sbom = tmp_path / "device.cdx.json"
    sbom.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.5",
                "version": 1,
                "components": components,
            }
        )
    )
    return feed, sbom


def database(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "medvigil.sqlite3", timeout=30)


def findings(home: Path) -> set[tuple[str, str]]:
    with database(home) as connection:
        rows = connection.execute(
            "SELECT vulnerability.canonical_id, finding.component_purl "
            "FROM vulns_finding AS finding JOIN vulns_vulnerability AS vulnerability "
            "ON vulnerability.id = finding.vulnerability_id WHERE finding.state = 'open'"
        )
        return set(rows.fetchall())


def import_statuses(home: Path) -> list[str]:
    with database(home) as connection:
        return [row[0] for row in connection.execute("SELECT status FROM vulns_feedimport")]


def portfolio_home(template: Path, destination: Path, sbom: Path) -> Path:
    """A home with one matched SBOM (its components' keys known), no advisory yet."""
    home = copy_home(template, destination)
    with database(home) as connection:  # the command line has no team command: one row
        connection.execute(
            "INSERT INTO accounts_team (name, description, created_at) "
            "VALUES ('Pumps', '', '2025-01-01 00:00:00')"
        )
    imported = run_cli(home, "sbom", "import", "PUMP-1", "1.0", str(sbom), "--name", "Pump")
    assert imported.returncode == 0, imported.stderr
    matched = run_cli(home, "worker", "--batch")
    assert matched.returncode == 0, matched.stderr
    return home


def kill_after_first_batch(home: Path, feed: Path) -> None:
    """Start `feeds import`, wait for its first committed batch, kill -9 it."""
    environment = {**cli_environment(home), "MEDVIGIL_FEED_BATCH_SIZE": BATCH_SIZE}
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "medvigil", "feeds", "import", str(feed)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with database(home) as connection:
                    stored = connection.execute("SELECT count(*) FROM vulns_advisory").fetchone()
            except sqlite3.OperationalError:  # table locked or not yet readable
                stored = None
            if stored and stored[0] > 0:  # a first batch is committed
                break
            time.sleep(0.05)
        assert process.poll() is None, "the import ended before a batch could be seen"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def test_a_feed_import_killed_mid_way_loses_no_finding_after_a_rerun(
    migrated_home_template: Path, tmp_path: Path, pypi_slice: tuple[Path, Path]
) -> None:
    feed, sbom = pypi_slice
    clean = portfolio_home(migrated_home_template, tmp_path / "clean", sbom)
    whole = run_cli(clean, "feeds", "import", str(feed))
    assert whole.returncode == 0, whole.stderr
    expected = findings(clean)
    assert len(expected) > 20

    crashed = portfolio_home(migrated_home_template, tmp_path / "crashed", sbom)
    kill_after_first_batch(crashed, feed)
    assert import_statuses(crashed) == ["running"]
    assert len(findings(crashed)) < len(expected)

    rerun = run_cli(crashed, "feeds", "import", str(feed))
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(import_statuses(crashed)) == ["interrupted", "succeeded"]
    assert findings(crashed) == expected  # before: the killed batches' findings stayed missing
