"""A researcher reports on the public portal; the PSIRT acknowledges, triages and replies;
the researcher reads the reply through the follow-up link; the PSIRT records a regulator
notification with its deadline."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import RunningServer, screenshot, sign_in_and_enrol

pytestmark = pytest.mark.browser
REPLY = "Thank you: we reproduced the unauthenticated telnet login and are preparing 3.2.1."


def console_errors(page: Any) -> list[str]:
    return [message.text for message in page.console_messages if message.type == "error"]


def submit_report(page: Any, server: RunningServer) -> tuple[str, str]:
    page.goto(f"{server.address}/disclosure/")
    page.click("text=Report a vulnerability")
    page.wait_for_selector("h1:text('Report a vulnerability')")
    page.fill("#id_title", "Telnet login without password on the infusion pump")
    page.fill("#id_description", "Port 23 of the pump's service interface accepts any login.")
    page.fill("#id_steps", "telnet pump 23; press Enter twice.")
    page.fill("#id_reporter_name", "Rosa Researcher")
    screenshot(page, "disclosure-report")
    page.click("main button[type=submit]")
    page.wait_for_selector("#case-number")
    number = page.inner_text("#case-number")
    link = page.get_attribute("#follow-up-link a", "href")
    assert number.startswith("MV-")
    assert link is not None
    assert "/disclosure/follow-up/" in link
    screenshot(page, "disclosure-receipt")
    return number, link


def move(page: Any, target: str, outcome: str = "") -> None:
    page.select_option("#id_target", target)
    if outcome:
        page.select_option("#id_outcome", outcome)
    page.click("form[action$='/move'] button[type=submit]")
    page.wait_for_selector(f"text=is now {target}")


def test_report_acknowledge_triage_reply_follow_up_and_notify(
    browser: Any, page: Any, server: RunningServer
) -> None:
    researcher = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    researcher.console_messages = []
    researcher.on("console", lambda message: researcher.console_messages.append(message))
    number, link = submit_report(researcher, server)

    sign_in_and_enrol(page, server, "pascal")
    page.goto(f"{server.address}/disclosure/cases/")
    page.click(f"[data-case='{number}'] a")
    page.wait_for_selector(f"h1:text('Case {number}')")
    assert "Acknowledge the report" in page.inner_text(".clocks")
    move(page, "acknowledged")
    move(page, "triaged", "valid")
    page.select_option("#id_kind", "to-reporter")
    page.fill("#id_body", REPLY)
    page.click("form[action$='/messages'] button[type=submit]")
    page.wait_for_selector(f"li.to-reporter:has-text('{REPLY[:30]}')")
    assert "Valid vulnerability" in page.inner_text("h1")
    screenshot(page, "disclosure-case-triaged")

    researcher.goto(link)
    researcher.wait_for_selector(f"h1:text('Case {number}')")
    assert "Triaged" in researcher.inner_text("h1")
    assert REPLY in researcher.inner_text(".thread")
    assert "internal" not in researcher.inner_text(".thread").lower()
    screenshot(researcher, "disclosure-follow-up-reply")

    page.click("summary:text('Record a notification')")
    page.select_option("#notification_recipient", "fda")
    page.fill("#notification_recipient_name", "FDA CDRH")
    page.select_option("#notification_rule", "fda-806")
    page.fill("#notification_started_at", "2026-11-30T14:00")
    page.fill("#notification_reference", "3001234567-11/30/26-001-C")
    page.fill("#notification_content", "Correction: firmware 3.2.1 disables telnet.")
    page.click("form[action$='/notifications'] button[type=submit]")
    page.wait_for_selector("text=Notification recorded.")
    row = page.inner_text("[data-notifications] tbody tr")
    assert "FDA" in row
    assert "21 CFR 806.10" in row
    # Ten working days from Monday 30 November 2026 (no US holiday): Monday 14 December.
    assert "2026-12-14 14:00 UTC" in row
    assert "3001234567-11/30/26-001-C" in row
    screenshot(page, "disclosure-notification")
    page.goto(f"{server.address}/disclosure/metrics")
    page.wait_for_selector("h1:text('Disclosure metrics')")
    assert page.inner_text("[data-measure='triage'] td:nth-child(2)") != "0"
    screenshot(page, "disclosure-metrics")
    assert console_errors(page) == []
    assert console_errors(researcher) == []
    researcher.context.close()
