"""An engineer finds a device's SBOM and imports another; a hospital sees only its devices."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import RunningServer, screenshot, sign_in_and_enrol

pytestmark = pytest.mark.browser


def version_id(server: RunningServer, model_number: str, version: str) -> int:
    database = sqlite3.connect(server.home / "medvigil.sqlite3")
    row = database.execute(
        "SELECT v.id FROM portfolio_productversion v JOIN portfolio_product p "
        "ON p.id = v.product_id WHERE p.model_number = ? AND v.version = ?",
        (model_number, version),
    ).fetchone()
    return int(row[0])


def test_engineer_opens_a_version_searches_components_and_imports_an_sbom(
    page: Any, server: RunningServer, shared_data: Path
) -> None:
    sign_in_and_enrol(page, server, "priya")
    page.click("nav >> text=Products")
    page.wait_for_selector("h1:text('Products')")
    names = page.inner_text("table")
    for product in ("Aurora LVP-300 Infusion Pump", "Vigil PM-12 Patient Monitor"):
        assert product in names
    screenshot(page, "products")
    page.click("text=Aurora LVP-300 Infusion Pump")
    page.click("[data-version='3.2.0'] a")
    page.wait_for_selector("text=SBOMs: components, quality report, diff and export")
    screenshot(page, "version")
    page.click("text=SBOMs: components, quality report, diff and export")
    page.wait_for_selector("#components-heading")
    before = len(page.query_selector_all("tr[data-component]"))
    sbom = shared_data / "sbom/spdx/spdx-spec-v2.3-examples/SPDXJSONExample-v2.3.spdx.json"
    page.set_input_files("input[type=file]", str(sbom))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_selector("text=SPDX 2.3")
    after = len(page.query_selector_all("tr[data-component]"))
    assert after > before
    page.fill("input[name=search]", "glibc")
    page.wait_for_function("() => document.querySelectorAll('tr[data-component]').length === 1")
    assert page.inner_text("tr[data-component]").startswith("glibc")
    screenshot(page, "sbom-components")


def test_a_hospital_sees_only_the_versions_it_owns(page: Any, server: RunningServer) -> None:
    page.goto(f"{server.address}/sign-in/")
    page.fill("#id_username", "carla")
    page.fill("#id_password", server.password)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:text('Dashboard')")
    page.goto(f"{server.address}/products/")
    listed = page.inner_text("main")
    assert "Aurora LVP-300 Infusion Pump" in listed
    assert "ClearView CVW-8 Imaging Workstation" in listed
    screenshot(page, "customer-products")
    own = version_id(server, "PM-12", "6.0.1")  # deployed at the hospital
    foreign = version_id(server, "PM-12", "5.2.0")  # deployed only at Northside Clinic
    assert page.goto(f"{server.address}/products/versions/{own}/").status == 200
    assert page.goto(f"{server.address}/products/versions/{foreign}/").status == 404
    assert page.goto(f"{server.address}/sbom/versions/{foreign}/").status == 404
