"""The watch, in a browser: the administrator of the demo signs in, finds the recommended
sources on the feeds page, reads the alerts the demo's history gave, sees the
subscriptions, searches components with a prefix, and meets a refused CPE confirmation
with the reason beside its field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import RunningServer, screenshot, sign_in_and_enrol

pytestmark = pytest.mark.browser


def test_feeds_alerts_components_and_identities(page: Any, server: RunningServer) -> None:
    sign_in_and_enrol(page, server, server.username)

    page.goto(f"{server.address}/vulnerabilities/feeds/")
    page.wait_for_selector("h1:text('Vulnerability feeds')")
    recommended = page.inner_text("tr[data-source=csaf-cisa-medical]")
    assert "not configured" in recommended or "disabled" in recommended  # the demo is offline
    screenshot(page, "watch-feeds")

    page.goto(f"{server.address}/alerts/")
    page.wait_for_selector("h1:text('Alerts')")
    assert page.query_selector_all("table.list tbody tr"), "the demo fills the inbox"
    screenshot(page, "watch-inbox")
    page.goto(f"{server.address}/alerts/subscriptions/")
    page.wait_for_selector("h1:text('Subscriptions')")
    assert page.query_selector_all("table tbody tr")

    page.goto(f"{server.address}/sbom/components/")
    page.fill("#id_q", "openssl*")
    page.press("#id_q", "Enter")
    page.wait_for_selector("p.status[data-total]")
    assert int(page.get_attribute("p.status[data-total]", "data-total")) > 0
    names = [cell.inner_text() for cell in page.query_selector_all("tr[data-component]")]
    assert names
    assert all("openssl" in name.lower() for name in names)
    screenshot(page, "watch-components-prefix")
    page.fill("#id_q", "o*")
    page.press("#id_q", "Enter")
    page.wait_for_selector("text=at least 2 characters")

    page.goto(f"{server.address}/vulnerabilities/identities/")
    page.wait_for_selector("h1:text('Component identities')")
    row = page.query_selector("tr[data-identity]")
    assert row is not None, "the demo's firmware has components to place"
    identity = row.get_attribute("data-identity")
    row.query_selector("input[name=vendor]").fill("two words")
    row.query_selector("input[name=note]").fill("checked in the build")
    row.query_selector("button[type=submit]").click()
    page.wait_for_selector("ul.errorlist")
    again = page.query_selector(f'tr[data-identity="{identity}"]')
    assert again is not None
    assert "one word" in again.inner_text()
    assert again.query_selector("input[name=vendor]").input_value() == "two words"
    screenshot(page, "watch-identity-refused")
