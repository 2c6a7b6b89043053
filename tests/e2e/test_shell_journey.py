"""A person signs in, sees the dashboard, opens the API documentation and signs out."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import RunningServer, screenshot

pytestmark = pytest.mark.browser


def console_errors(page: Any) -> list[str]:
    return [message.text for message in page.console_messages if message.type == "error"]


def sign_in(page: Any, server: RunningServer, password: str | None = None) -> None:
    page.goto(f"{server.address}/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", password or server.password)
    page.click("button[type=submit]")


def test_sign_in_dashboard_and_sign_out(page: Any, server: RunningServer) -> None:
    page.goto(f"{server.address}/")
    assert page.url == f"{server.address}/sign-in/?next=/"
    screenshot(page, "sign-in")
    sign_in(page, server)
    page.wait_for_selector("h1:text('Dashboard')")
    assert page.inner_text("[data-tile=users] .value") == "1"
    assert page.inner_text("[data-tile=tasks-failed] .value") == "0"
    page.wait_for_function("() => window.htmx !== undefined")
    screenshot(page, "dashboard")
    assert console_errors(page) == []
    page.click("text=Sign out")
    page.wait_for_selector("h1:text('Sign in')")


def test_a_wrong_password_is_refused(page: Any, server: RunningServer) -> None:
    sign_in(page, server, password="not the password")
    page.wait_for_selector("[role=alert]")
    assert "not right" in page.inner_text("[role=alert]")


def test_api_documentation_works_offline_under_the_content_security_policy(
    page: Any, server: RunningServer
) -> None:
    sign_in(page, server)
    page.wait_for_selector("h1:text('Dashboard')")
    page.goto(f"{server.address}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "medvigil API" in page.inner_text(".swagger-ui .info .title")
    screenshot(page, "api-docs")
    assert console_errors(page) == []
