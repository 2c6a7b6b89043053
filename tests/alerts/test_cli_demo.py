"""The demo fills the demo people's inboxes; `medvigil alerts …` runs a pass and lists."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli import run_cli


def test_the_demo_inboxes_and_the_alerts_commands(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "migrate").returncode == 0
    demo = run_cli(home, "demo", timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert "alerts demo: 5 subscriptions" in demo.stdout
    database = sqlite3.connect(home / "medvigil.sqlite3")
    inboxes = dict(
        database.execute(
            "SELECT u.username, count(*) FROM alerts_alert a JOIN auth_user u"
            " ON u.id = a.recipient_id GROUP BY u.username"
        )
    )
    # Priya (product security, in the team) and Pascal (PSIRT: disclosure reports) have
    # alerts; Rosa the researcher subscribed to nothing and has none.
    assert inboxes["priya"] > 0
    assert inboxes["pascal"] > inboxes["vera"]  # the disclosure reports on top of the team's
    assert "rosa" not in inboxes
    [(kinds,)] = database.execute("SELECT count(DISTINCT kind) FROM alerts_alertevent")
    assert kinds >= 3  # new findings, disclosure reports, remediation clocks

    again = run_cli(home, "demo", timeout=300)
    assert again.returncode == 0, again.stderr
    assert (
        dict(
            database.execute(
                "SELECT u.username, count(*) FROM alerts_alert a JOIN auth_user u"
                " ON u.id = a.recipient_id GROUP BY u.username"
            )
        )
        == inboxes
    )

    ran = run_cli(home, "alerts", "run")
    assert ran.returncode == 0, ran.stderr
    assert "0 alert event(s) fanned out" in ran.stdout
    listed = run_cli(home, "alerts", "subscriptions", "--json")
    assert listed.returncode == 0, listed.stderr
    subscriptions = json.loads(listed.stdout)
    assert {item["for"] for item in subscriptions} >= {"priya", "team Device Security"}
    assert run_cli(home, "alerts", "deliveries", "--state", "bogus").returncode == 2
    digest = run_cli(home, "alerts", "digest")
    assert digest.returncode == 0, digest.stderr
    assert "0 digest message(s)" in digest.stdout
