"""An engineer's refused decision keeps what they typed, the error beside its field."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from medvigil.portfolio.models import RELEASED_PHASES
from tests.e2e.conftest import RunningServer, screenshot, sign_in_and_enrol

pytestmark = pytest.mark.browser

IMPACT = "The parser is only reached from the signed update package."


def open_finding_before_release(server: RunningServer) -> int:
    """An open finding of a version not yet released: its decision is in force at once."""
    database = sqlite3.connect(server.home / "medvigil.sqlite3")
    rows = database.execute(
        "SELECT f.id, v.phase FROM vulns_finding f JOIN portfolio_productversion v "
        "ON v.id = f.version_id WHERE f.state = 'open' ORDER BY f.id"
    ).fetchall()
    released = {str(phase) for phase in RELEASED_PHASES}
    return next(int(finding) for finding, phase in rows if phase not in released)


def test_a_refused_decision_keeps_the_status_and_statements_typed(
    page: Any, server: RunningServer
) -> None:
    sign_in_and_enrol(page, server, "priya")
    finding = open_finding_before_release(server)
    page.goto(f"{server.address}/triage/findings/{finding}/")
    page.wait_for_selector("form.record >> #id_status")
    page.select_option("#id_status", "not_affected")
    page.fill("#id_impact_statement", IMPACT)
    page.fill("#id_note", "Checked with the firmware team.")
    page.click("form[action$='/decision'] button[type=submit]")
    page.wait_for_selector("text=Not affected needs one of the five justifications.")
    # The error stands right before the justification field's line, not in a list at the top.
    beside = page.locator("#id_justification").locator("xpath=../preceding-sibling::*[1]")
    assert beside.inner_text() == "Not affected needs one of the five justifications."
    assert page.get_attribute("#id_justification", "aria-invalid") == "true"
    assert page.locator("ul.messages").count() == 0
    assert page.input_value("#id_status") == "not_affected"
    assert page.input_value("#id_impact_statement") == IMPACT
    assert page.input_value("#id_note") == "Checked with the firmware team."
    screenshot(page, "triage-decision-refused")
    page.select_option("#id_justification", "vulnerable_code_not_in_execute_path")
    page.click("form[action$='/decision'] button[type=submit]")
    page.wait_for_selector("text=Decision recorded.")
    assert "In force: Not affected" in page.inner_text(".effective")
    assert page.input_value("#id_status") == "not_affected"  # the decision in force
    screenshot(page, "triage-decision-recorded")
