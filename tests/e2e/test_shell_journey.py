"""A person signs in, sees the dashboard, opens the API documentation and signs out."""

from __future__ import annotations

import base64
import sqlite3
from typing import Any

import pytest

from tests.e2e.conftest import RunningServer, screenshot

pytestmark = pytest.mark.browser


def recovery_code(server: RunningServer) -> str:
    """One of the administrator's unused recovery codes, read from the server's database."""
    database = sqlite3.connect(server.home / "medvigil.sqlite3")
    return str(
        database.execute(
            "SELECT t.token FROM otp_static_statictoken t "
            "JOIN otp_static_staticdevice d ON d.id = t.device_id "
            "JOIN auth_user u ON u.id = d.user_id WHERE u.username = 'admin' LIMIT 1"
        ).fetchone()[0]
    )


def console_errors(page: Any) -> list[str]:
    return [message.text for message in page.console_messages if message.type == "error"]


def sign_in(page: Any, server: RunningServer, password: str | None = None) -> None:
    page.goto(f"{server.address}/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", password or server.password)
    page.click("main button[type=submit]")


def authenticator_code(secret: str) -> str:
    from django_otp.oath import totp

    padded = secret + "=" * (-len(secret) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


def enrol_authenticator(page: Any) -> None:
    page.wait_for_selector("h1:text('Set up your authenticator')")
    screenshot(page, "authenticator-setup")
    secret = page.inner_text("[data-secret]")
    page.fill("#id_code", authenticator_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-recovery-codes]")
    assert len(page.query_selector_all("[data-recovery-codes] li")) == 10
    page.click("text=Continue")


def test_sign_in_enrol_the_authenticator_see_the_dashboard_and_sign_out(
    page: Any, server: RunningServer
) -> None:
    page.goto(f"{server.address}/")
    assert page.url == f"{server.address}/sign-in/?next=/"
    screenshot(page, "sign-in")
    sign_in(page, server)
    enrol_authenticator(page)
    page.wait_for_selector("h1:text('Dashboard')")
    assert page.inner_text("[data-tile=users] .value") == "9"
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
    page.wait_for_selector("h1:text('Second sign-in step')")
    # The authenticator's current code was used by the first journey: use a recovery code.
    page.fill("#id_code", recovery_code(server))
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:text('Dashboard')")
    page.goto(f"{server.address}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "medvigil API" in page.inner_text(".swagger-ui .info .title")
    screenshot(page, "api-docs")
    assert console_errors(page) == []
