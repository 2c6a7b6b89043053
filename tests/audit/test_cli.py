"""`medvigil audit verify` and `medvigil audit export`, run as a user would."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from medvigil.audit import triggers
from tests.cli import cli_environment, run_cli

FILL = """
import django
django.setup()
from medvigil.audit.context import Actor
from medvigil.audit.services import record
for number in range(1, 7):
    who = Actor(label="alice" if number % 2 else "bob")
    record("product-changed", ("portfolio.product", str(number)), details={"n": number}, actor=who)
"""


@pytest.fixture
def filled_home(migrated_home: Path) -> Path:
    home = migrated_home
    environment = cli_environment(home) | {"DJANGO_SETTINGS_MODULE": "medvigil.settings"}
    filled = subprocess.run(
        [sys.executable, "-c", FILL],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert filled.returncode == 0, filled.stderr
    return home


def tamper(home: Path, statement: str) -> None:
    database = sqlite3.connect(home / "medvigil.sqlite3")
    with database:
        for drop in triggers.statements("sqlite", create=False):
            database.execute(drop)
        database.execute(statement)
    database.close()


def test_verify_says_intact_and_exits_0(filled_home: Path) -> None:
    result = run_cli(filled_home, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "6 audit event(s) checked." in result.stdout
    assert "The audit chain is intact." in result.stdout


def test_verify_names_the_altered_event_and_exits_1(filled_home: Path) -> None:
    tamper(filled_home, "UPDATE audit_auditevent SET actor_label = 'mallory' WHERE sequence = 4")
    result = run_cli(filled_home, "audit", "verify")
    assert result.returncode == 1
    assert "3 audit event(s) checked." in result.stdout
    assert "The audit chain is broken at event #4:" in result.stderr
    assert "reason: its content does not match its hash (altered)" in result.stderr
    assert "action: product-changed" in result.stderr
    assert "object: portfolio.product:4" in result.stderr
    assert "time:   20" in result.stderr


def test_verify_reports_a_deleted_middle_event_as_missing(filled_home: Path) -> None:
    tamper(filled_home, "DELETE FROM audit_auditevent WHERE sequence = 3")
    result = run_cli(filled_home, "audit", "verify")
    assert result.returncode == 1
    assert "The audit chain is broken at event #3:" in result.stderr
    assert "reason: event #3 is missing" in result.stderr


def test_export_json_to_a_file_is_filtered_and_audited(filled_home: Path, tmp_path: Path) -> None:
    output = tmp_path / "alice.json"
    result = run_cli(
        filled_home,
        "audit",
        "export",
        "--format",
        "json",
        "--output",
        str(output),
        "--actor",
        "alice",
        "--action",
        "product-changed",
    )
    assert result.returncode == 0, result.stderr
    assert f"Exported 3 event(s) to {output}." in result.stderr
    document = json.loads(output.read_text())
    assert document["filters"] == {"actor": "alice", "action": "product-changed"}
    assert [event["sequence"] for event in document["events"]] == [1, 3, 5]
    assert {event["actor_label"] for event in document["events"]} == {"alice"}
    database = sqlite3.connect(filled_home / "medvigil.sqlite3")
    action, label, details = database.execute(
        "SELECT action, actor_label, details FROM audit_auditevent ORDER BY sequence DESC LIMIT 1"
    ).fetchone()
    assert (action, label) == ("audit-exported", "command line")
    assert json.loads(details) == {
        "format": "json",
        "filters": {"actor": "alice", "action": "product-changed"},
        "count": 3,
    }
    assert run_cli(filled_home, "audit", "verify").returncode == 0


def test_export_csv_to_standard_output_with_a_time_range(filled_home: Path) -> None:
    result = run_cli(
        filled_home, "audit", "export", "--since", "2000-01-01", "--until", "2999-12-31"
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["sequence"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    assert json.loads(rows[1]["details"]) == {"n": 2}
    assert len(rows[0]["hash"]) == 64
    nothing = run_cli(filled_home, "audit", "export", "--until", "2000-01-01")
    assert list(csv.DictReader(io.StringIO(nothing.stdout))) == []


def test_export_refuses_bad_input(filled_home: Path) -> None:
    wrong_format = run_cli(filled_home, "audit", "export", "--format", "xml")
    assert wrong_format.returncode == 2
    assert "Unknown format xml" in wrong_format.stderr
    wrong_date = run_cli(filled_home, "audit", "export", "--since", "last tuesday")
    assert wrong_date.returncode == 2
    assert "is not an ISO 8601 date" in wrong_date.stderr
    assert "Traceback" not in wrong_date.stderr


def test_checkpoint_then_a_cut_tail_fails_verify_with_the_first_missing_event(
    filled_home: Path,
) -> None:
    taken = run_cli(filled_home, "audit", "checkpoint")
    assert taken.returncode == 0, taken.stderr
    assert "Checkpoint of event #6" in taken.stdout
    assert run_cli(filled_home, "audit", "verify").returncode == 0
    tamper(filled_home, "DELETE FROM audit_auditevent WHERE sequence > 4")
    result = run_cli(filled_home, "audit", "verify")
    assert result.returncode == 1
    assert "4 audit event(s) checked." in result.stdout
    assert "1 signed checkpoint(s) in" in result.stdout
    assert "The chain does not match the checkpoints from event #5:" in result.stderr
    assert "events after #4 are missing: the chain ends at #4, a checkpoint saw #6" in (
        result.stderr.replace("\n", " ")
    )


def test_verify_without_checkpoints_says_what_it_cannot_detect(filled_home: Path) -> None:
    result = run_cli(filled_home, "audit", "verify")
    assert result.returncode == 0
    assert "No checkpoint in" in result.stdout
