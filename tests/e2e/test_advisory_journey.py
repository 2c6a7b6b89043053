"""From a report with an attachment to a published, signed CSAF advisory, in the browser.

A researcher reports with a log attached; the PSIRT acknowledges within the clock,
exchanges messages with the researcher and confirms the affected version; product
security writes the advisory; a PSIRT handler reviews it and an administrator approves
and publishes it, both signing with password and authenticator code. The published
document is then read from the live provider directory as any CSAF aggregator would.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from medvigil.core.csaf import read_csaf
from tests.csaf_validator import validate_csaf
from tests.e2e.conftest import RunningServer, authenticator_code, screenshot, sign_in_and_enrol

pytestmark = pytest.mark.browser
PRODUCT = "Aurora LVP-300 Infusion Pump"
LOG = (
    b"2026-11-28T09:14:02Z pump-svc[311]: update image accepted from 10.0.0.66\n"
    b"2026-11-28T09:14:02Z pump-svc[311]: signature check skipped (no key configured)\n"
    b"2026-11-28T09:14:07Z pump-svc[311]: rebooting into image 3.1.0-mod\n"
)
REPLY = "We reproduced the unsigned update on 3.1.0; 3.2.0 verifies the image signature."
ANSWER = "Thanks. I can confirm 3.2.0 refuses my modified image."
# The last authenticator time step each secret has spent: a code is accepted only once.
SPENT_STEPS: dict[str, int] = {}


def console_errors(page: Any) -> list[str]:
    return [message.text for message in page.console_messages if message.type == "error"]


def new_page(browser: Any) -> Any:
    opened = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    opened.console_messages = []
    opened.on("console", lambda message: opened.console_messages.append(message))
    return opened


def fresh_code(secret: str) -> str:
    """A code from a time step this authenticator has not used yet (waits up to 30 s)."""
    while int(time.time()) // 30 <= SPENT_STEPS.get(secret, -1):
        time.sleep(1)
    SPENT_STEPS[secret] = int(time.time()) // 30
    return authenticator_code(secret)


def enrol(page: Any, server: RunningServer, username: str) -> str:
    secret = sign_in_and_enrol(page, server, username)
    SPENT_STEPS[secret] = int(time.time()) // 30
    return secret


def fetch(server: RunningServer, path: str) -> bytes:
    with urllib.request.urlopen(f"{server.address}{path}", timeout=30) as response:
        assert response.status == 200, path
        content: bytes = response.read()
        return content


def sign(page: Any, action: str, password: str, secret: str, done: str) -> None:
    form = f"form[action$='/{action}']"
    page.fill(f"{form} input[name=password]", password)
    page.fill(f"{form} input[name=otp_code]", fresh_code(secret))
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(f"text={done}")


def submit_report(page: Any, server: RunningServer, log: Path) -> tuple[str, str]:
    page.goto(f"{server.address}/disclosure/report")
    page.wait_for_selector("h1:text('Report a vulnerability')")
    page.fill("#id_title", f"Unsigned firmware accepted by the {PRODUCT}")
    page.select_option("#id_product", label=f"{PRODUCT} (LVP-300)")
    page.fill("#id_version_text", "3.1.0")
    page.fill("#id_description", "The pump installs an update image without checking it.")
    page.fill("#id_steps", "Serve a modified image to the update service; see the log.")
    page.fill("#id_reporter_name", "Rosa Researcher")
    page.set_input_files("#id_attachments", str(log))
    page.click("main button[type=submit]")
    page.wait_for_selector("#case-number")
    link = page.get_attribute("#follow-up-link a", "href")
    assert link is not None
    return page.inner_text("#case-number"), link


def move(page: Any, target: str, outcome: str = "") -> None:
    page.select_option("#id_target", target)
    if outcome:
        page.select_option("#id_outcome", outcome)
    page.click("form[action$='/move'] button[type=submit]")
    page.wait_for_selector(f"text=is now {target}")


def handle_case(page: Any, researcher: Any, server: RunningServer, number: str, link: str) -> None:
    """Acknowledge in time, check the attachment, talk both ways, confirm the version."""
    page.goto(f"{server.address}/disclosure/cases/")
    page.click(f"[data-case='{number}'] a")
    page.wait_for_selector(f"h1:text('Case {number}')")
    attachment = page.locator("a[href*='/disclosure/attachments/']")
    assert attachment.inner_text() == "pump-update.log"
    assert hashlib.sha256(LOG).hexdigest() in page.inner_text("main")
    downloaded = page.request.get(server.address + attachment.get_attribute("href"))
    assert downloaded.body() == LOG
    move(page, "acknowledged")
    acknowledge = page.locator(".clocks li", has_text="Acknowledge")
    assert "met with" in acknowledge.inner_text()
    assert "overdue" not in (acknowledge.get_attribute("class") or "")
    move(page, "triaged", "valid")
    page.select_option("#id_kind", "to-reporter")
    page.fill("#id_body", REPLY)
    page.click("form[action$='/messages'] button[type=submit]")
    page.wait_for_selector(f"li.to-reporter:has-text('{REPLY[:30]}')")

    researcher.goto(link)
    researcher.wait_for_selector(f"h1:text('Case {number}')")
    assert REPLY in researcher.inner_text(".thread")
    researcher.fill("#id_body", ANSWER)
    researcher.click("form:has(#id_body) button[type=submit]")
    researcher.wait_for_selector("text=Your message was sent to the PSIRT.")
    assert ANSWER in researcher.inner_text("li.from-reporter")
    screenshot(researcher, "advisory-journey-follow-up")

    page.reload()
    assert ANSWER in page.inner_text("li.from-reporter")
    page.click(f"[data-suggestion='{PRODUCT} 3.1.0'] button")
    page.wait_for_selector("text=as affected.")
    assert f"{PRODUCT} 3.1.0" in page.inner_text("main")
    screenshot(page, "advisory-journey-case")


def write_advisory(page: Any, server: RunningServer, number: str) -> str:
    """Product security writes the draft from the case; returns the advisory page's address."""
    page.goto(f"{server.address}/advisories/manage/")
    page.click(f"li:has-text('{number}') >> text=new advisory")
    page.wait_for_selector(f"h1:text('New advisory for case {number}')")
    page.fill("#id_title", "LVP-300: unsigned firmware updates accepted")
    page.fill("#id_summary", "A modified update image could run on the pump.")
    page.select_option("#id_fixed_versions", label=f"{PRODUCT} 3.2.0")
    page.fill("#id_fix_details", "Version 3.2.0 verifies the update image's signature.")
    page.fill("#id_acknowledgments", "Rosa Researcher")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=created as a draft")
    url: str = page.url
    return url


def test_report_to_signed_csaf_advisory_in_a_complete_provider_directory(
    browser: Any, page: Any, server: RunningServer, tmp_path: Path
) -> None:
    log = tmp_path / "pump-update.log"
    log.write_bytes(LOG)
    researcher = new_page(browser)
    number, link = submit_report(researcher, server, log)

    pascal = enrol(page, server, "pascal")
    handle_case(page, researcher, server, number, link)

    author = new_page(browser)
    enrol(author, server, "priya")
    advisory_url = write_advisory(author, server, number)
    assert "/advisories/manage/" in advisory_url

    page.goto(advisory_url)
    sign(page, "review", server.password, pascal, "Signed as reviewed.")

    approver = new_page(browser)
    administrator = enrol(approver, server, server.username)
    approver.goto(advisory_url)
    sign(approver, "approve", server.password, administrator, "Signed as approved.")
    assert approver.locator("[data-signature-status=valid]").count() == 2
    screenshot(approver, "advisory-journey-signed")
    approver.click("form[action$='/publish'] button[type=submit]")
    approver.wait_for_selector("text=Published as revision 1.")
    # The signatures vouched for revision 1; the next revision needs its own.
    assert approver.locator("[data-signature-status=valid]").count() == 0
    assert "reviewed by pascal" in approver.inner_text("main")
    assert "approved by admin" in approver.inner_text("main")
    screenshot(approver, "advisory-journey-published")

    tracking_id = approver.inner_text("h1").split(":", 1)[0]
    check_provider_directory(server, tracking_id)
    for opened in (page, researcher, author, approver):
        assert console_errors(opened) == []
    for opened in (researcher, author, approver):
        opened.context.close()


def check_provider_directory(server: RunningServer, tracking_id: str) -> None:
    metadata = json.loads(fetch(server, "/.well-known/csaf/provider-metadata.json"))
    assert metadata["role"] == "csaf_trusted_provider"
    [key] = metadata["public_openpgp_keys"]
    listed = fetch(server, "/.well-known/csaf/white/index.txt").decode().split()
    [path] = [line for line in listed if line.endswith(f"/{tracking_id.lower()}.json")]
    changes = fetch(server, "/.well-known/csaf/white/changes.csv").decode()
    assert changes.startswith(f'"{path}",')
    folder = f"/.well-known/csaf/white/{path}"
    document = fetch(server, folder)
    parsed = json.loads(document)
    assert validate_csaf({"published": parsed})["published"]["errors"] == []
    assert parsed["document"]["tracking"]["id"] == tracking_id
    assert parsed["document"]["tracking"]["status"] == "final"
    read = read_csaf(parsed, source=path)
    status = read.vulnerabilities[0].product_status
    [affected] = [read.product(pid).name for pid in status.known_affected]
    [fixed] = [read.product(pid).name for pid in status.fixed]
    assert affected.endswith(f"{PRODUCT} 3.1.0")
    assert fixed.endswith(f"{PRODUCT} 3.2.0")
    filename = path.rsplit("/", 1)[1]
    sha256 = fetch(server, folder + ".sha256").decode()
    sha512 = fetch(server, folder + ".sha512").decode()
    assert sha256.split() == [hashlib.sha256(document).hexdigest(), filename]
    assert sha512.split() == [hashlib.sha512(document).hexdigest(), filename]
    public_key = fetch(server, "/disclosure/openpgp-key.asc")
    verify_signature(document, fetch(server, folder + ".asc"), public_key, key["fingerprint"])


def verify_signature(
    document: bytes, signature: bytes, public_key: bytes, fingerprint: str
) -> None:
    """gpg itself checks the detached signature against the key the directory names."""
    with tempfile.TemporaryDirectory(prefix="gpg", dir="/tmp") as home:
        folder = Path(home)
        folder.chmod(0o700)
        (folder / "document.json").write_bytes(document)
        (folder / "document.json.asc").write_bytes(signature)
        (folder / "key.asc").write_bytes(public_key)
        base = ["gpg", "--homedir", home, "--batch", "--status-fd", "1"]
        subprocess.run(
            [*base, "--import", str(folder / "key.asc")], check=True, capture_output=True
        )
        checked = subprocess.run(
            [*base, "--verify", str(folder / "document.json.asc"), str(folder / "document.json")],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stderr
        assert f"VALIDSIG {fingerprint.replace(' ', '').upper()}" in checked.stdout
