"""Every role's pages in Chromium: WCAG 2.1 AA by axe-core, no sideways scroll, screenshots.

The people are checked in three test modules (`test_every_page_*.py`), a third
each, so that a parallel run spreads them over its workers.

Each demo person signs in and walks from the navigation to every page one link
away (one address per route). Every page is checked by axe-core (from npm, in
tools/axe) for WCAG 2.1 A and AA, and at 1,366 and 390 px wide it must not
scroll sideways; a screenshot of each width is kept in artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from medvigil.accounts.demo import DEMO_PEOPLE
from tests.e2e.conftest import ARTIFACTS, RunningServer, screenshot, sign_in_and_enrol

AXE = Path(__file__).resolve().parents[2] / "tools" / "axe" / "node_modules" / "axe-core"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1366, 390)
PAGES_PER_ROLE = 40
NOT_PAGES = re.compile(
    r"^/(api|admin|static)/|\.(json|csv|pdf|docx|xlsx|txt|xml|asc|zip)$|/download"
)


def axe_source() -> str:
    script = AXE / "axe.min.js"
    if not script.exists():
        raise RuntimeError("the accessibility checks need axe-core: make pytest installs it")
    return script.read_text()


def people() -> list[tuple[str, bool]]:
    listed = [("admin", True)]
    listed += [(username, organisation is None) for username, _, _, organisation in DEMO_PEOPLE]
    return listed


def sign_in(page: Any, server: RunningServer, username: str, inside: bool) -> None:
    if inside:
        sign_in_and_enrol(page, server, username)
        return
    page.goto(f"{server.address}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", server.password)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:text('Dashboard')")


def addresses_to_check(page: Any, server: RunningServer) -> list[str]:
    """The navigation's pages and the pages they link to, one address per route shape."""
    shapes: set[str] = set()
    found: list[str] = []

    def take(links: list[str]) -> None:
        for link in links:
            parts = urlsplit(link)
            if parts.netloc not in ("", urlsplit(server.address).netloc):
                continue
            path = parts.path
            shape = re.sub(r"\d+", "N", path)
            if NOT_PAGES.search(path) or "sign-out" in path or shape in shapes:
                continue
            shapes.add(shape)
            found.append(path + (f"?{parts.query}" if parts.query else ""))

    page.goto(f"{server.address}/")
    take(page.eval_on_selector_all("header nav a", "links => links.map(link => link.href)"))
    for address in list(found):
        if len(found) >= PAGES_PER_ROLE:
            break
        page.goto(f"{server.address}{address}")
        take(page.eval_on_selector_all("main a[href]", "links => links.map(link => link.href)"))
    return found[:PAGES_PER_ROLE]


def violations(page: Any, source: str) -> list[str]:
    page.add_script_tag(content=source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{item['id']} ({item['impact']}): {item['help']} at "
        + ", ".join(node["target"][0] for node in item["nodes"][:3])
        for item in result["violations"]
    ]


def sideways_overflow(page: Any) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def a_third_of_the_people(third: int) -> list[tuple[str, bool]]:
    return people()[third::3]


def check_every_page(browser: Any, server: RunningServer, username: str, inside: bool) -> None:
    # The page's content security policy would refuse axe's script: the check alone bypasses it.
    context = browser.new_context(viewport={"width": 1366, "height": 800}, bypass_csp=True)
    page = context.new_page()
    source = axe_source()
    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    try:
        sign_in(page, server, username, inside)
        addresses = addresses_to_check(page, server)
        assert len(addresses) >= 3, addresses
        for address in addresses:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                response = page.goto(f"{server.address}{address}")
                if response is None or response.status != 200:
                    failures.append(f"{address}: answered {response and response.status}")
                    break
                name = f"{username}-{width}-{re.sub(r'[^a-z0-9]+', '-', address).strip('-')}"
                screenshot(page, f"pages/{name or 'home'}")
                overflow = sideways_overflow(page)
                if overflow > 0:
                    failures.append(f"{address} at {width} px scrolls sideways by {overflow} px")
                if width == WIDTHS[0]:
                    failures.extend(f"{address}: {item}" for item in violations(page, source))
    finally:
        context.close()
    assert failures == [], "\n".join(failures)
