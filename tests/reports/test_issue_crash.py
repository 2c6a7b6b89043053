"""Crash test: a process killed with SIGKILL while it issues or signs a report.

Real processes on one database (SQLite, or PostgreSQL under
tools/with-postgres). A process issuing a report is killed once the report's
row is written but before its transaction commits; then one signing it,
once the signature's row is written. Afterwards there is either no report
(no signature) or a whole one with its audit event, never half of one: no
report without its `report-issued` event, no number taken by a lost issue,
no signature without its `signed` event, and `medvigil audit verify`
passes. The same steps run again finish as in a run without the crash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.crashes import Site, Sites, kill, sites, wait_until

REPORTS = "SELECT number, sha256 FROM reports_issuedreport ORDER BY number"
SIGNATURES = "SELECT meaning, signer_username FROM audit_signature"


@pytest.fixture
def crash_sites(migrated_home_template: Path, tmp_path: Path) -> Iterator[Sites]:
    yield from sites(migrated_home_template, tmp_path)


def step(site: Site, *arguments: str) -> str:
    done = site.run_module("tests.reports.issue_site", *arguments)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def killed_while_held(site: Site, name: str, marker: Path) -> None:
    """Run step `name` until it holds inside its transaction, then SIGKILL it."""
    process = site.start_module("tests.reports.issue_site", name, str(marker))
    try:
        wait_until(marker.exists, f"the {name} step to write its row")
    finally:
        kill(process)


def events(site: Site, action: str) -> list[dict[str, Any]]:
    rows = site.rows("SELECT details FROM audit_auditevent WHERE action = %s", action)
    return [json.loads(row[0]) if isinstance(row[0], str) else row[0] for row in rows]


def verified(site: Site) -> bool:
    return site.run("audit", "verify").returncode == 0


def test_a_report_killed_while_issued_or_signed_is_whole_or_absent(
    crash_sites: Sites, tmp_path: Path
) -> None:
    site = crash_sites.copy(name="reports")
    step(site, "setup")

    killed_while_held(site, "issue", tmp_path / "issue-held")
    assert site.rows(REPORTS) == []  # no half report
    assert events(site, "report-issued") == []
    assert verified(site)

    sha256 = step(site, "issue")
    assert site.rows(REPORTS) == [(1, sha256)]  # the lost issue took no number
    assert [event["sha256"] for event in events(site, "report-issued")] == [sha256]

    killed_while_held(site, "sign", tmp_path / "sign-held")
    assert site.rows(SIGNATURES) == []  # no half signature
    assert events(site, "signed") == []
    assert verified(site)

    step(site, "sign")
    assert site.rows(SIGNATURES) == [("approved", "approver")]
    assert [event["meaning"] for event in events(site, "signed")] == ["approved"]
    assert site.rows(REPORTS) == [(1, sha256)]  # the report signed is the one issued
    assert verified(site)
    print("report issue and signature killed inside their transactions: nothing half-stored")
