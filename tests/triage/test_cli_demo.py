"""The demo shows triage work, and `medvigil triage notify-due` notices each threshold once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli import run_cli


def test_the_demo_decides_scores_and_plans_and_due_clocks_are_noticed_once(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "migrate").returncode == 0
    demo = run_cli(home, "demo", timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert "triage demo: 4 decisions" in demo.stdout
    database = sqlite3.connect(home / "medvigil.sqlite3")
    statuses = {row[0] for row in database.execute("SELECT status FROM triage_decision")}
    assert statuses == {"not_affected", "affected", "fixed", "under_investigation"}
    [(uncontrolled,)] = database.execute(
        "SELECT count(*) FROM triage_assessment WHERE control_status = 'uncontrolled'"
    )
    assert uncontrolled == 1

    first = run_cli(home, "triage", "notify-due")
    assert first.returncode == 0, first.stderr
    assert "Customer communication (FDA 30 days)" in first.stdout
    assert "Soon due" in first.stdout
    again = run_cli(home, "triage", "notify-due")
    assert again.returncode == 0, again.stderr
    assert "0 new notice(s)." in again.stdout
    [(queued,)] = database.execute("SELECT count(*) FROM triage_duenotification")
    assert queued >= 2

    [(model_number, label)] = database.execute(
        "SELECT p.model_number, v.version FROM triage_assessment a JOIN portfolio_productversion v"
        " ON v.id = a.version_id JOIN portfolio_product p ON p.id = v.product_id"
        " WHERE a.control_status = 'uncontrolled'"
    )
    listed = run_cli(
        home,
        "triage",
        "statements",
        model_number,
        label,
        "--format",
        "json",
        "--fail-on",
        "uncontrolled",
    )
    assert listed.returncode == 1, listed.stderr
    statements = json.loads(listed.stdout)["statements"]
    flagged = [item for item in statements if item["failing"] == ["uncontrolled"]]
    assert len(flagged) == 1
    assert flagged[0]["scores"]["control_status"] == "uncontrolled"
    assert flagged[0]["plan"]["communicate_due_at"]
    assert "uncontrolled" in listed.stderr
    table = run_cli(home, "triage", "statements", model_number, label)
    assert table.returncode == 0, table.stderr
    assert f"{len(statements)} open finding(s)." in table.stdout
    missing = run_cli(home, "triage", "statements", "NO-SUCH", "1.0")
    assert missing.returncode == 2
