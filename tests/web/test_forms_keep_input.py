"""A refused form comes back as typed, with the error beside its field, on every page.

The administrator walks the site from the navigation (the crawl of
test_navigation_crawl). Every form that posts and asks for a required text
field and some other text is sent with that field left empty and every other
text field typed: the answer must be the form again (not a redirect), show the
typed text, and mark the refused field itself (`aria-invalid`, which Django
sets on a field with an error) rather than only a message at the top.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.security.test_authorization_matrix import clients_for
from tests.security.world import build_world
from tests.web.test_navigation_crawl import crawl

pytestmark = pytest.mark.django_db

TEXT_INPUTS = frozenset({"text", "email", "url", "search", None})


class Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        values = dict(attributes)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self._current = {
                "action": values.get("action") or "",
                "multipart": "multipart" in (values.get("enctype") or ""),
                "hidden": {},
                "text": [],
                "required": [],
                "selects": [],
            }
            self.forms.append(self._current)
        if self._current is None or not values.get("name"):
            return
        name = values["name"] or ""
        kind = values.get("type")
        if tag == "input" and kind == "hidden":
            self._current["hidden"][name] = values.get("value") or ""
        elif (tag == "input" and kind in TEXT_INPUTS) or tag == "textarea":
            self._current["text"].append(name)
            if "required" in values:
                self._current["required"].append(name)
        elif tag == "select":
            self._current["selects"].append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def test_every_refused_form_keeps_what_was_typed_and_shows_the_error_beside_its_field() -> None:
    world = build_world()
    client = clients_for(world)["administrator"]
    pages = crawl(client, "/").pages
    tried: set[str] = set()
    failures: list[str] = []
    for address, html in pages.items():
        parser = Forms()
        parser.feed(html)
        for form in parser.forms:
            action = form["action"] or address
            if form["multipart"] or not form["required"] or action in tried:
                continue
            left_empty = form["required"][0]
            typed = {name: f"typed into {name}" for name in form["text"] if name != left_empty}
            if not typed:
                continue  # nothing typed, nothing to lose
            tried.add(action)
            response = client.post(action, {**form["hidden"], **typed, left_empty: ""})
            page = response.content.decode()
            where = f"{action} (from {address}, {left_empty} left empty)"
            if response.status_code not in (200, 400, 409, 422):
                failures.append(f"{where}: answered {response.status_code}")
                continue
            kept = [name for name, text in typed.items() if text not in page]
            if kept:
                failures.append(f"{where}: lost {', '.join(kept)}")
            field = re.search(rf'<(?:input|textarea)[^>]*name="{left_empty}"[^>]*>', page)
            if field is None or 'aria-invalid="true"' not in field.group(0):
                failures.append(f"{where}: the field is not marked with its error")
    assert len(tried) >= 8, sorted(tried)
    assert failures == [], "\n".join(failures)
