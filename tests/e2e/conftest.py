"""A real server (gunicorn + worker, SQLite home) driven by Debian's Chromium."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli import OutputCollector, copy_home, free_port, run_cli, start_cli

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@dataclass(frozen=True)
class RunningServer:
    address: str
    home: Path
    username: str
    password: str


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, migrated_home_template: Path
) -> Iterator[RunningServer]:
    home = copy_home(migrated_home_template, tmp_path_factory.mktemp("e2e") / "home")
    assert run_cli(home, "demo").returncode == 0
    port = free_port()
    process = start_cli(home, "serve", "--port", str(port), "--with-worker")
    output = OutputCollector(process)
    output.start()
    address = f"http://127.0.0.1:{port}"
    try:
        assert output.wait_for(f"medvigil is serving at {address}"), output.text
        password = (home / "demo-credentials").read_text().strip()
        yield RunningServer(address, home, "admin", password)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        # The demo's disclosure key started a gpg-agent for this home: stop it with the server.
        from medvigil.disclosure.keys import openpgp

        if (home / "gnupg").exists():
            openpgp.stop_agent(openpgp.short_path(home / "gnupg"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError("browser tests need Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.console_messages = []
    opened.on("console", lambda message: opened.console_messages.append(message))
    yield opened
    context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def authenticator_code(secret: str) -> str:
    import base64

    from django_otp.oath import totp

    padded = secret + "=" * (-len(secret) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


def sign_in_and_enrol(page: Any, server: RunningServer, username: str) -> str:
    """Password, then the authenticator enrolment an inside user meets at first sign-in.

    Returns the authenticator's secret, for the codes electronic signatures ask for."""
    page.goto(f"{server.address}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", server.password)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:text('Set up your authenticator')")
    secret: str = page.inner_text("[data-secret]")
    page.fill("#id_code", authenticator_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-recovery-codes]")
    page.click("text=Continue")
    page.wait_for_selector("h1:text('Dashboard')")
    return secret
